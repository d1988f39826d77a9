"""An editor turning a source's draft into events (issue 11): the review page
in the admin (timeline/drafting/review.py) and the writes behind it
(timeline/drafting/accept.py).

The proposals here are built by hand from the seed article's real text:
every quote is a verbatim substring at its real offset (text.index), every
date is the one the article's own words give (it was written on Wednesday
19 March 2025). Their titles, summaries and date bases are written for these
tests. They stand in for the extractor, so the page is tested whatever the
extractor proposes; one test at the end runs the real extractor."""

import dataclasses
import datetime
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils.html import escape

from timeline import drafting
from timeline.drafting.accept import (
    NO_DATE,
    Acceptance,
    ProposalsNotAccepted,
    proposal_accept,
    proposals_accept,
)
from timeline.drafting.proposals import Draft, Proposal, ProposedActor, ProposedQuote
from timeline.drafting.review import (
    INCOMPLETE,
    NO_NEW_ACTORS,
    NOTHING_TICKED,
    PROPOSAL_CHANGED,
    TEXT_CHANGED,
    Passage,
    marked_text,
)
from timeline.models import Actor, Event, Quote, Source
from timeline.services import timeline_import
from timeline.tests.conftest import staff_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

WEDNESDAY = datetime.date(2025, 3, 19)

SWAP = (
    "A prisoner swap was also confirmed to happen today (Wed), with a 175-for-175 exchange "
    "between Russia and Ukraine."
)
SPOKESMAN = (
    "He reiterated that all must work together to put Ukraine in the strongest possible "
    "position to secure a just and lasting peace."
)
DOWNING_STREET = (
    "Downing Street confirmed Sir Keir Starmer spoke to President Trump ahead of the call."
)
HANDOVER = "Putin said he would hand over 23 injured Ukrainian soldiers as a gesture of good will."
KREMLIN_SENTENCE = (
    "The Kremlin said in a statement that the two leaders had a \u201cdetailed and frank "
    "exchange of views\u201d on Ukraine during the phone call."
)
KREMLIN_WORDS = "comprehensive, sustainable and long-term"
# The spokesman as an extractor that does not know him would offer him.
NEW_SPOKESMAN = ProposedActor(
    name="the Prime Minister\u2019s official spokesman", role="participant", kind="person"
)


def quoted(text: str, words: str, speaker=None) -> ProposedQuote:
    start = text.index(words)
    assert text.count(words) == 1
    return ProposedQuote(text=words, start=start, end=start + len(words), speaker=speaker)


def dated(text: str, words: str) -> dict:
    start = text.index(words)
    return {"date_text": words, "date_start": start, "date_end": start + len(words)}


def seed_proposals(text: str) -> list[Proposal]:
    """Three proposals as the extractor could draw them from the seed article."""
    return [
        Proposal(
            key="p1",
            title="Prisoner swap of 175 for 175",
            kind="prisoner_exchange",
            status="planned",
            start=WEDNESDAY,
            end=None,
            precision="day",
            date_basis="\u201ctoday (Wed)\u201d: the day the article was written, Wednesday 19 March 2025.",
            **dated(text, "today (Wed)"),
            actors=[
                ProposedActor(name="Russia", role="principal", slug="russia"),
                ProposedActor(name="Ukraine", role="principal", slug="ukraine"),
            ],
            quotes=[quoted(text, SWAP)],
        ),
        Proposal(
            key="p2",
            title="Starmer and Trump speak by phone",
            kind="call",
            status="occurred",
            start=datetime.date(2025, 3, 17),
            end=None,
            precision="day",
            date_basis="\u201con Monday night\u201d: the Monday before Wednesday 19 March 2025.",
            **dated(text, "on Monday night"),
            actors=[
                ProposedActor(name="Keir Starmer", role="principal", slug="keir-starmer"),
                ProposedActor(name="Donald Trump", role="principal", slug="donald-trump"),
                NEW_SPOKESMAN,
            ],
            quotes=[quoted(text, DOWNING_STREET), quoted(text, SPOKESMAN, NEW_SPOKESMAN)],
        ),
        Proposal(
            key="p3",
            title="Putin to hand over 23 injured soldiers",
            kind="pledge",
            status="planned",
            start=None,
            end=None,
            precision="day",
            date_text="",
            date_basis="The sentence gives no date of its own.",
            actors=[ProposedActor(name="Vladimir Putin", role="principal", slug="vladimir-putin")],
            quotes=[quoted(text, HANDOVER)],
        ),
    ]


def kremlin_repeat(text: str) -> Proposal:
    """A proposal repeating the seed's kremlin-statement: one of its quotes
    the event has, one it has not."""
    return Proposal(
        key="p4",
        title="The Kremlin's statement",
        kind="statement",
        status="occurred",
        start=datetime.date(2025, 3, 18),
        end=None,
        precision="day",
        date_text="",
        date_basis="The day of the call, the day before the article was written.",
        date_inferred=True,
        actors=[ProposedActor(name="Kremlin", role="principal", slug="kremlin")],
        quotes=[quoted(text, KREMLIN_WORDS), quoted(text, KREMLIN_SENTENCE)],
        duplicate_of="kremlin-statement",
    )


@pytest.fixture
def article(seed_document):
    """The seed article and its actors, before any event was made of it."""
    timeline_import(document={**seed_document, "events": []})
    return Source.objects.get()


@pytest.fixture
def proposed(article, monkeypatch):
    """The hand-built proposals, drawn from whatever the article's text is now."""
    monkeypatch.setattr(
        drafting,
        "draft_events",
        lambda source: Draft(
            source_slug=source.slug,
            base_date=source.published_on,
            proposals=seed_proposals(Source.objects.get(pk=source.pk).text),
        ),
    )
    return article


@pytest.fixture
def editor():
    return staff_user("editor", groups=[Group.objects.get(name="Editors")])


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def draft_url(source) -> str:
    return f"/admin/timeline/source/{source.pk}/draft/"


class FormInHtml(HTMLParser):
    """What a browser posts from the review form: every named input (each
    ticked box, by name, as a list), selected option and text area."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields: dict[str, list[str]] = {}
        self.inside = False
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == "drafting-review"
        name = attrs.get("name")
        if not self.inside:
            return
        if tag == "option" and self.select and "selected" in attrs:
            self.fields[self.select] = [attrs.get("value", "")]
        if not name:
            return
        kind = attrs.get("type", "text")
        if tag == "input" and kind not in {"submit", "button"}:
            if kind != "checkbox" or "checked" in attrs:
                default = "on" if kind == "checkbox" else ""
                self.fields.setdefault(name, []).append(attrs.get("value", default))
        elif tag == "select":
            self.select = name
        elif tag == "textarea":
            self.textarea = name
            self.fields[name] = [""]

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            # A browser drops the newline that starts a text area's content.
            value = self.fields[self.textarea][0]
            self.fields[self.textarea] = [value.removeprefix("\n")]
            self.textarea = None
        elif tag == "form":
            self.inside = False


def form_in(response, **changes) -> dict:
    """The review form as the page has it, with `changes` (None unticks or empties)."""
    parser = FormInHtml()
    parser.feed(response.content.decode())
    data = dict(parser.fields)
    for name, value in changes.items():
        name = name.replace("__", "-")
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def page_text(response) -> str:
    return response.content.decode()


# The writes (accept.py) ------------------------------------------------------


def test_an_accepted_proposal_is_a_draft_event_with_its_actors_and_anchored_quotes(
    proposed, editor
):
    text = proposed.text
    swap = seed_proposals(text)[0]
    event = proposal_accept(source=proposed, proposal=swap, user=editor)

    event.refresh_from_db()
    assert (event.title, event.kind, event.status) == (swap.title, "prisoner_exchange", "planned")
    assert (event.start, event.precision, event.date_basis) == (WEDNESDAY, "day", swap.date_basis)
    assert event.publication == Event.Publication.DRAFT
    assert event.slug == "prisoner-swap-of-175-for-175"
    assert {(p.actor.slug, p.role) for p in event.participations.all()} == {
        ("russia", "principal"),
        ("ukraine", "principal"),
    }
    quote = event.quotes.get()
    assert (quote.start, quote.end) == (text.index(SWAP), text.index(SWAP) + len(SWAP))
    assert text[quote.start : quote.end] == quote.text == SWAP
    assert quote.status == Quote.Status.VERIFIED
    assert quote.prefix == text[quote.start - 32 : quote.start]
    # Recorded in the history as the editor's doing.
    assert event.history.get().history_user == editor
    assert quote.history.get().history_user == editor


def test_a_title_already_taken_gives_the_next_free_number_in_the_slug(proposed):
    swap = dataclasses.replace(seed_proposals(proposed.text)[0], quotes=[])
    slugs = [proposal_accept(source=proposed, proposal=swap).slug for _ in range(3)]
    assert slugs == [
        "prisoner-swap-of-175-for-175",
        "prisoner-swap-of-175-for-175-2",
        "prisoner-swap-of-175-for-175-3",
    ]


def test_the_editors_changes_are_what_is_saved_and_the_date_basis_says_so(proposed):
    swap = seed_proposals(proposed.text)[0]
    event = proposal_accept(
        source=proposed,
        proposal=swap,
        overrides={
            "title": "Russia and Ukraine to exchange prisoners",
            "status": "agreed",
            "start": datetime.date(2025, 3, 20),
            "summary": "175 prisoners each.",
        },
    )
    event.refresh_from_db()
    assert (event.title, event.status, event.summary) == (
        "Russia and Ukraine to exchange prisoners",
        "agreed",
        "175 prisoners each.",
    )
    assert event.start == datetime.date(2025, 3, 20)
    assert event.date_basis.startswith(swap.date_basis)
    assert "changed by the editor from 19 March 2025 to 20 March 2025" in event.date_basis


def test_a_date_changed_by_the_editor_is_marked_inferred(proposed):
    # The text states 19 March; 20 March is the editor's, and the public page
    # must say the date is inferred (it shows no basis for a stated day).
    swap = seed_proposals(proposed.text)[0]
    event = proposal_accept(
        source=proposed, proposal=swap, overrides={"start": datetime.date(2025, 3, 20)}
    )
    assert event.date_inferred
    kept = proposal_accept(
        source=proposed, proposal=seed_proposals(proposed.text)[1], quotes=frozenset({0})
    )
    assert not kept.date_inferred  # the date the text states, as stated


def test_a_date_known_only_within_bounds_keeps_its_bounds(proposed):
    # As the extractor drafts "following the call": after the call on 18
    # March, before the article of 19 March; placed on the 18th.
    swap = dataclasses.replace(
        seed_proposals(proposed.text)[0],
        start=datetime.date(2025, 3, 18),
        earliest=datetime.date(2025, 3, 18),
        latest=WEDNESDAY,
        date_inferred=True,
    )
    event = proposal_accept(source=proposed, proposal=swap)
    event.refresh_from_db()
    assert (event.earliest, event.latest) == (datetime.date(2025, 3, 18), WEDNESDAY)
    # A date the editor gives instead is theirs, without the proposal's bounds.
    Event.objects.all().delete()
    event = proposal_accept(
        source=proposed, proposal=swap, overrides={"start": datetime.date(2025, 3, 17)}
    )
    assert (event.earliest, event.latest) == (None, None)


def test_a_new_actor_is_made_only_when_the_editor_confirms_them(proposed):
    call = seed_proposals(proposed.text)[1]
    actors_before = Actor.objects.count()

    # Their quote kept but the speaker not confirmed: refused, nothing written.
    with pytest.raises(ProposalsNotAccepted) as refused:
        proposal_accept(source=proposed, proposal=call)
    assert "is a new actor, who speaks a quote you kept" in str(refused.value)
    assert (Event.objects.count(), Actor.objects.count()) == (0, actors_before)

    # Their quote left out: accepted without them.
    event = proposal_accept(source=proposed, proposal=call, quotes=frozenset({0}))
    assert [q.text for q in event.quotes.all()] == [DOWNING_STREET]
    assert Actor.objects.count() == actors_before
    assert {p.actor.slug for p in event.participations.all()} == {"keir-starmer", "donald-trump"}

    # Confirmed: made once, as the speaker of their quote.
    event = proposal_accept(source=proposed, proposal=call, confirm_new_actors={NEW_SPOKESMAN.name})
    spokesman = Actor.objects.get(name=NEW_SPOKESMAN.name)  # once, as actor and speaker
    assert (spokesman.slug, spokesman.kind) == ("the-prime-ministers-official-spokesman", "person")
    assert event.quotes.get(text=SPOKESMAN).speaker == spokesman
    assert event.participations.get(actor=spokesman).role == "participant"


def test_a_proposal_without_a_date_waits_for_the_editors_date(proposed):
    handover = seed_proposals(proposed.text)[2]
    with pytest.raises(ProposalsNotAccepted) as refused:
        proposal_accept(source=proposed, proposal=handover)
    assert refused.value.errors == {"p3": [("start", NO_DATE)]}
    assert not Event.objects.exists()

    event = proposal_accept(
        source=proposed, proposal=handover, overrides={"start": datetime.date(2025, 3, 18)}
    )
    assert event.start == datetime.date(2025, 3, 18)
    assert event.date_inferred  # no source states it
    assert "given by the editor when accepting the draft: 18 March 2025" in event.date_basis


def test_accepting_several_is_all_or_nothing(proposed):
    swap, call, handover = seed_proposals(proposed.text)
    with pytest.raises(ProposalsNotAccepted) as refused:
        proposals_accept(
            source=proposed,
            acceptances=[Acceptance(proposal=swap), Acceptance(proposal=handover)],
        )
    assert set(refused.value.errors) == {"p3"}
    assert not Event.objects.exists()
    assert not Quote.objects.exists()

    accepted = proposals_accept(
        source=proposed,
        acceptances=[Acceptance(proposal=swap), Acceptance(proposal=call, quotes=frozenset({0}))],
    )
    assert [a.event.title for a in accepted] == [swap.title, call.title]
    assert Event.objects.filter(publication="draft").count() == 2


def test_a_quote_no_longer_at_its_offsets_is_refused(proposed):
    swap = seed_proposals(proposed.text)[0]
    proposed.text = "Correction: " + proposed.text  # every offset moves on by 12
    proposed.save()
    with pytest.raises(ProposalsNotAccepted) as refused:
        proposal_accept(source=proposed, proposal=swap)
    assert "is not at its place in the source text any more" in str(refused.value)
    assert not Event.objects.exists()


def test_a_repeat_adds_its_new_quotes_to_the_existing_event(seeded):
    source = Source.objects.get()
    event = Event.objects.get(slug="kremlin-statement")
    before = (event.quotes.count(), Event.objects.count(), event.version)

    proposal_accept(source=source, proposal=kremlin_repeat(source.text))

    event.refresh_from_db()
    assert Event.objects.count() == before[1]
    assert event.quotes.count() == before[0] + 1  # the words it had are not added twice
    added = event.quotes.get(text=KREMLIN_SENTENCE)
    assert source.text[added.start : added.end] == KREMLIN_SENTENCE
    assert event.version > before[2]  # an editor's form opened before is refused


# The review page (review.py, admin.py) -------------------------------------------


def test_the_page_shows_each_proposal_with_its_words_marked_in_the_text(proposed, editor_client):
    text = proposed.text
    response = editor_client.get(draft_url(proposed))
    assert response.status_code == 200
    html = page_text(response)
    for title in ("Prisoner swap of 175 for 175", "Starmer and Trump speak by phone"):
        assert f">{title}</h3>" in html
    assert "Prisoner exchange" in html and "Planned" in html  # kind and status by their names
    assert "19 March 2025" in html and "(to the day)" in html
    assert "the day the article was written, Wednesday 19 March 2025." in html
    assert "Unknown: give a date below before accepting" in html  # p3
    assert "New &mdash; confirm to create" in html
    assert "the Prime Minister\u2019s official spokesman (new)" in html

    # The date's words and each quote, marked where they stand, and linked to.
    date_at = text.index("today (Wed)")
    date_anchor = f"passage-{date_at}-{date_at + len('today (Wed)')}"
    assert f'<a href="#{date_anchor}" class="drafting-goto drafting-goto-date">' in html
    assert (
        f'<mark id="{date_anchor}" tabindex="-1" class="drafting-date drafting-quote" '
        f'data-passages="{text.index(SWAP)}-{text.index(SWAP) + len(SWAP)} '
        f'{date_at}-{date_at + len("today (Wed)")}">today (Wed)</mark>'
    ) in html
    quote_anchor = f"passage-{text.index(HANDOVER)}-{text.index(HANDOVER) + len(HANDOVER)}"
    assert f'href="#{quote_anchor}"' in html
    assert f'<mark id="{quote_anchor}" tabindex="-1" class="drafting-quote"' in html
    # The whole text is there, in order, around the marks.
    assert "Donald Trump and Vladimir Putin have agreed to a partial ceasefire" in html


def test_the_source_page_links_to_the_draft(proposed, editor_client):
    html = page_text(editor_client.get(f"/admin/timeline/source/{proposed.pk}/change/"))
    assert f'<a href="{draft_url(proposed)}">Draft events from this text</a>' in html


def test_a_repeat_is_flagged_and_accepting_it_adds_to_its_event(seeded, editor_client, monkeypatch):
    source = Source.objects.get()
    monkeypatch.setattr(
        drafting,
        "draft_events",
        lambda s: Draft(s.slug, s.published_on, [kremlin_repeat(s.text)]),
    )
    html = page_text(editor_client.get(draft_url(source)))
    event = Event.objects.get(slug="kremlin-statement")
    assert "<strong>Duplicate of</strong>" in html
    assert f'<a href="/admin/timeline/event/{event.pk}/change/">{event.title}</a>' in html

    response = editor_client.post(
        draft_url(source),
        form_in(editor_client.get(draft_url(source)), accept_one="p4"),
        follow=True,
    )
    assert response.redirect_chain[0][0] == f"/admin/timeline/event/?id__in={event.pk}"
    assert "Added 1 new quote(s) to the existing event" in page_text(response)
    assert Event.objects.filter(slug__startswith="the-kremlin").count() == 0  # no new event


def test_accepting_two_at_once_makes_two_drafts_and_lists_them(proposed, editor_client):
    page = editor_client.get(draft_url(proposed))
    response = editor_client.post(
        draft_url(proposed),
        form_in(page, p1__accept="on", p2__accept="on", p2__new_actors=[NEW_SPOKESMAN.name]),
    )
    swap, call = Event.objects.get(title__startswith="Prisoner"), Event.objects.get(kind="call")
    assert response.status_code == 302
    assert response.url == f"/admin/timeline/event/?id__in={swap.pk},{call.pk}"
    assert {swap.publication, call.publication} == {"draft"}
    assert call.quotes.get(text=SPOKESMAN).speaker.name == NEW_SPOKESMAN.name

    listing = editor_client.get(response.url)
    html = page_text(listing)
    assert "Accepted 2 proposal(s) as draft events" in html
    assert f'<a href="/admin/timeline/event/{swap.pk}/change/">{swap.title}</a>' in html
    assert listing.context["cl"].result_count == 2  # the list shows the new drafts only


def test_an_edited_proposal_is_saved_as_edited_with_the_quotes_kept(proposed, editor_client):
    page = editor_client.get(draft_url(proposed))
    response = editor_client.post(
        draft_url(proposed),
        form_in(
            page,
            accept_one="p2",
            p2__title="Starmer calls Trump ahead of the Putin call",
            p2__kind="discussion",
            p2__quotes=["0"],  # the spokesman's words left out
        ),
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert (event.title, event.kind) == (
        "Starmer calls Trump ahead of the Putin call",
        "discussion",
    )
    assert [q.text for q in event.quotes.all()] == [DOWNING_STREET]
    assert not Actor.objects.filter(name=NEW_SPOKESMAN.name).exists()


def test_a_proposal_without_a_date_gets_a_form_error_until_given_one(proposed, editor_client):
    page = editor_client.get(draft_url(proposed))
    response = editor_client.post(draft_url(proposed), form_in(page, p3__accept="on"))
    assert response.status_code == 200
    assert NO_DATE in page_text(response)
    assert not Event.objects.exists()

    response = editor_client.post(
        draft_url(proposed), form_in(page, p3__accept="on", p3__start="2025-03-18")
    )
    assert response.status_code == 302
    assert Event.objects.get().start == datetime.date(2025, 3, 18)


def test_accepting_refuses_when_the_text_changed_since_the_page_was_opened(proposed, editor_client):
    page = editor_client.get(draft_url(proposed))
    proposed.text = "Correction: " + proposed.text  # every offset moves on by 12
    proposed.save()
    response = editor_client.post(draft_url(proposed), form_in(page, p1__accept="on"), follow=True)
    assert TEXT_CHANGED in page_text(response)
    assert not Event.objects.exists()


def test_accepting_refuses_a_proposal_that_changed_since_the_page_was_opened(
    proposed, editor_client, monkeypatch
):
    page = editor_client.get(draft_url(proposed))
    changed = seed_proposals(proposed.text)
    changed[0].status = "occurred"  # the extractor now reads it otherwise
    monkeypatch.setattr(drafting, "draft_events", lambda s: Draft(s.slug, None, changed))
    response = editor_client.post(draft_url(proposed), form_in(page, p1__accept="on"))
    assert response.status_code == 200
    assert PROPOSAL_CHANGED in page_text(response)
    assert not Event.objects.exists()


def test_nothing_ticked_says_so(proposed, editor_client):
    page = editor_client.get(draft_url(proposed))
    response = editor_client.post(draft_url(proposed), form_in(page, accept_selected="1"))
    assert NOTHING_TICKED in page_text(response)
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"p1__accept": "on", "p1__start": "2025-13-45"}, "Enter a valid date."),
        ({"p1__accept": "on", "p1__kind": "invasion"}, "invasion is not one of the available"),
        ({"p1__accept": "on", "p1__quotes": ["7"]}, "7 is not one of the available choices"),
        ({"p1__accept": "on", "p1__end": "2025-03-01"}, "The end date cannot be before"),
        ({"p1__accept": "on", "p1__title": "   "}, "Give the event a title."),
        ({"p1__accept": "on", "p1__title": "x" * 301}, "at most 300 characters"),
        ({"p1__accept": "on", "p1__fingerprint": None}, PROPOSAL_CHANGED),
        (
            {"p2__accept": "on", "p2__new_actors": ["Someone not proposed"]},
            "Someone not proposed is not one of the available choices",
        ),
        ({"accept_one": "p99"}, NOTHING_TICKED),
        ({"accept_one": "p1", "text_sha256": None}, INCOMPLETE),
    ],
)
def test_bad_input_gets_a_clear_error_and_writes_nothing(proposed, editor_client, changes, said):
    page = editor_client.get(draft_url(proposed))
    response = editor_client.post(draft_url(proposed), form_in(page, **changes), follow=True)
    assert response.status_code == 200
    assert escape(said) in page_text(response)
    assert not Event.objects.exists()


def test_a_discarded_proposal_is_set_aside_and_can_be_restored(proposed, editor_client):
    swap_title = ">Prisoner swap of 175 for 175</h3>"
    page = editor_client.get(draft_url(proposed))
    response = editor_client.post(
        draft_url(proposed), form_in(page, discard="p1", p3__title="Kept while discarding")
    )
    html = page_text(response)
    assert swap_title not in html
    assert "1 discarded proposal" in html
    assert 'value="Kept while discarding"' in html  # the other edits are kept
    # Ticked in a form opened before, it is still not accepted.
    editor_client.post(draft_url(proposed), form_in(page, p1__accept="on"))
    assert not Event.objects.exists()
    # And it stays aside on the next visit, until restored.
    assert swap_title not in page_text(editor_client.get(draft_url(proposed)))
    response = editor_client.post(draft_url(proposed), form_in(page, restore="p1"))
    assert swap_title in page_text(response)


def test_only_users_who_may_add_events_reach_the_page(proposed, client):
    url = draft_url(proposed)
    assert client.get(url).status_code == 302  # to the login page
    viewer = staff_user(
        "viewer",
        permissions=Permission.objects.filter(
            content_type__app_label="timeline", codename__startswith="view_"
        ),
    )
    client.force_login(viewer)
    assert client.get(url).status_code == 403
    assert client.post(url, {"accept_one": "p1"}).status_code == 403
    assert "Draft events from this text" not in page_text(
        client.get(f"/admin/timeline/source/{proposed.pk}/change/")
    )
    assert not Event.objects.exists()
    assert client.get("/admin/timeline/source/999999/draft/").status_code in (403, 404)


def test_accepting_is_a_post_with_the_forms_csrf_token(proposed, editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    page = client.get(draft_url(proposed))
    assert (
        client.post(
            draft_url(proposed), form_in(page, accept_one="p1", csrfmiddlewaretoken=None)
        ).status_code
        == 403
    )
    assert not Event.objects.exists()
    assert client.post(draft_url(proposed), form_in(page, accept_one="p1")).status_code == 302
    assert Event.objects.count() == 1


def test_confirming_a_new_actor_needs_the_right_to_add_actors(proposed, client):
    writer = staff_user(
        "writer",
        permissions=Permission.objects.filter(
            content_type__app_label="timeline",
            codename__in=["view_source", "add_event", "add_participation", "add_quote"],
        ),
    )
    client.force_login(writer)
    page = client.get(draft_url(proposed))
    response = client.post(
        draft_url(proposed),
        form_in(page, accept_one="p2", p2__new_actors=[NEW_SPOKESMAN.name]),
    )
    assert NO_NEW_ACTORS in page_text(response)
    assert not Event.objects.exists()
    # Without the new actor, the same editor may accept it.
    response = client.post(draft_url(proposed), form_in(page, accept_one="p2", p2__quotes=["0"]))
    assert response.status_code == 302


def test_everything_the_text_and_the_proposals_say_is_escaped(db, editor_client, monkeypatch):
    # Written for this test: a source whose text and proposal carry markup.
    text = 'An <img src=x onerror="alert(1)"> said: <script>alert(2)</script> & left.'
    source = Source.objects.create(title="<b>Markup</b>", slug="markup", text=text)
    words = "<script>alert(2)</script>"
    proposal = Proposal(
        key="p1",
        title="<i>Bold</i> claim",
        kind="statement",
        status="occurred",
        start=WEDNESDAY,
        end=None,
        precision="day",
        date_text="",
        date_basis="<u>basis</u>",
        actors=[ProposedActor(name="<svg onload=alert(3)>", role="participant")],
        quotes=[quoted(text, words)],
    )
    monkeypatch.setattr(drafting, "draft_events", lambda s: Draft(s.slug, None, [proposal]))
    html = page_text(editor_client.get(draft_url(source)))
    for raw in ("<img src=x", "<script>alert", "<i>Bold", "<u>basis", "<svg onload", "<b>Markup"):
        assert raw not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_words_not_at_their_offsets_are_not_marked_and_cannot_be_accepted(
    article, editor_client, monkeypatch
):
    text = article.text
    swap = seed_proposals(text)[0]
    # As a faulty extractor could give them: the quote and the date one character off.
    start = text.index(SWAP) + 1
    swap.quotes = [ProposedQuote(text=SWAP, start=start, end=start + len(SWAP))]
    swap.date_start += 1
    swap.date_end += 1
    monkeypatch.setattr(drafting, "draft_events", lambda s: Draft(s.slug, None, [swap]))
    page = editor_client.get(draft_url(article))
    html = page_text(page)
    assert "<mark" not in html.split('class="drafting-source-text"')[1].split("</div>")[0]
    assert "Not found at its place in the text: it cannot be accepted." in html
    assert "drafting-goto-date" not in html
    response = editor_client.post(draft_url(article), form_in(page, accept_one="p1"))
    assert "is not at its place in the source text any more" in page_text(response)
    assert not Event.objects.exists()


# The marked text, as a pure function -------------------------------------------------


def test_marked_text_escapes_and_marks_overlapping_passages():
    text = "He said <today> it ends."
    html = str(
        marked_text(text, [Passage(3, 15, "quote"), Passage(8, 15, "date"), Passage(8, 12, "date")])
    )
    assert html == (
        'He <mark id="passage-3-15" tabindex="-1" class="drafting-quote" '
        'data-passages="3-15">said </mark>'
        '<span id="passage-8-12" class="drafting-anchor" tabindex="-1"></span>'
        '<mark id="passage-8-15" tabindex="-1" class="drafting-date drafting-quote" '
        'data-passages="3-15 8-15 8-12">&lt;tod</mark>'
        '<mark class="drafting-date drafting-quote" data-passages="3-15 8-15">ay&gt;</mark>'
        " it ends."
    )


# With the real extractor ---------------------------------------------------------------


def test_the_real_extractor_on_the_seed_article_its_first_proposal_accepted(article, editor_client):
    page = editor_client.get(draft_url(article))
    proposals = page.context["reviews"]
    assert proposals, "the extractor proposed nothing for the seed article"
    first = proposals[0].proposal
    changes = {"accept_one": first.key}
    if first.start is None:
        changes[f"{first.key}__start"] = "2025-03-18"  # the editor gives the date
    new_names = page.context["reviews"][0].form.new_actor_names
    if new_names:
        changes[f"{first.key}__new_actors"] = new_names
    response = editor_client.post(draft_url(article), form_in(page, **changes))
    assert response.status_code == 302, page_text(response)
    event = (
        Event.objects.get()
        if not first.duplicate_of
        else Event.objects.get(slug=first.duplicate_of)
    )
    assert event.publication == "draft"
    for quote in event.quotes.all():
        assert article.text[quote.start : quote.end] == quote.text
    assert event.quotes.count() == len(first.quotes)

"""Drafting events from a source's text (issue 11, timeline/drafting/): what an
editor gets from the seed article and from the press release written for the
tests (fixtures/test-articles/, invented), held at the benchmark's floor, and
the rules that make a proposal trustworthy: every quote verbatim, every date
from words in the text (or says it has none), no actor created behind the
editor's back."""

import datetime
import time
from types import SimpleNamespace

import pytest
from hypothesis import example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from timeline.drafting import draft_events
from timeline.drafting.actors import KnownActor
from timeline.drafting.events import propose
from timeline.drafting.scoring import (
    date_right,
    expected_from_document,
    expected_from_test_article,
    score,
)
from timeline.models import (
    Actor,
    Event,
    EventKind,
    EventPrecision,
    EventStatus,
    ParticipationRole,
    Quote,
    Source,
)
from timeline.tests.drafting_articles import (
    harbour_document,
    import_harbour_article,
    import_seed,
    seed_document,
)

pytestmark = pytest.mark.django_db


def _proposal_with(draft, words):
    matches = [p for p in draft.proposals if any(words in q.text for q in p.quotes)]
    assert matches, f"no proposal quotes {words!r}"
    return matches[0]


@pytest.fixture
def seed_source():
    return import_seed()


@pytest.fixture
def harbour_source():
    return import_harbour_article()


# The benchmark's floor ---------------------------------------------------------


def test_seed_article_meets_the_issue_targets(seed_source):
    draft = draft_events(seed_source)
    figures = score(seed_source.text, draft.proposals, expected_from_document(seed_document()))
    assert figures.quote_share >= 0.9, figures.wrong
    assert figures.date_share >= 0.9, figures.wrong
    assert figures.relative_right == figures.relative_expected == 3, figures.wrong
    assert figures.proposals_per_event <= 1.5


def test_invented_article_meets_the_issue_targets(harbour_source):
    draft = draft_events(harbour_source)
    expected = expected_from_test_article(harbour_document())
    figures = score(harbour_source.text, draft.proposals, expected)
    assert figures.quote_share >= 0.9, figures.wrong
    assert figures.date_share >= 0.9, figures.wrong
    assert figures.relative_right == figures.relative_expected == 4, figures.wrong
    assert figures.proposals_per_event <= 1.5


def test_the_seed_article_is_drafted_within_a_second(seed_source):
    best = min(_timed(lambda: draft_events(seed_source)) for _ in range(3))
    assert best <= 1.0


def _timed(call):
    # CPU time of this process: what the work costs, whatever else the
    # machine is running meanwhile.
    started = time.process_time()
    call()
    return time.process_time() - started


def test_a_long_text_takes_time_in_proportion_not_quadratically(seed_source):
    # The review page drafts again on every request: an 80 KB text must not
    # take minutes. Four times the text took 31 times as long (8 s) when
    # sentences were matched to proposals by list.index on whole sentences.
    actors = [KnownActor(a.slug, a.name, a.kind, tuple(a.alias_list)) for a in Actor.objects.all()]
    base = seed_source.published_on

    def drafted(text):
        return min(_timed(lambda: propose(text, base, actors, seed_source.notes)) for _ in range(3))

    four_times = drafted("\n".join([seed_source.text] * 4))
    sixteen_times = drafted("\n".join([seed_source.text] * 16))
    assert sixteen_times <= 10 * four_times


def test_a_date_is_right_only_to_its_precision_and_with_its_end():
    event = {"start": datetime.date(2025, 3, 18), "end": None, "precision": "day"}

    def proposal(start, precision="day", end=None):
        return SimpleNamespace(start=start, precision=precision, end=end)

    assert date_right(proposal(datetime.date(2025, 3, 18)), event)
    assert not date_right(proposal(datetime.date(2025, 3, 17)), event)
    assert not date_right(proposal(datetime.date(2025, 3, 18), "year"), event)
    assert not date_right(
        proposal(datetime.date(2025, 3, 18), end=datetime.date(2025, 4, 17)), event
    )
    assert not date_right(proposal(None), event)
    # A date the text does not give is right only when none is proposed.
    assert date_right(proposal(None), {**event, "start": None})
    assert not date_right(proposal(datetime.date(2025, 3, 18)), {**event, "start": None})


# Nothing invented -----------------------------------------------------------


@pytest.mark.parametrize("article", ["seed_source", "harbour_source"])
def test_every_quote_is_verbatim_and_every_date_has_its_words(article, request):
    source = request.getfixturevalue(article)
    draft = draft_events(source)
    assert draft.proposals
    for proposal in draft.proposals:
        for quote in proposal.quotes:
            assert source.text[quote.start : quote.end] == quote.text
        if proposal.date_start is not None:
            assert source.text[proposal.date_start : proposal.date_end] == proposal.date_text
        else:
            assert proposal.date_text == ""
        assert proposal.date_basis
        if proposal.start is not None and not proposal.date_inferred:
            # A stated date is always a date expression in the text.
            assert proposal.date_text and proposal.date_text in proposal.date_basis
        assert proposal.kind in EventKind.values
        assert proposal.status in EventStatus.values
        assert proposal.precision in EventPrecision.values
        assert {a.role for a in proposal.actors} <= set(ParticipationRole.values)


PIECES = [
    "Monday", "on Friday", "said", "said:", "told", "Ana Bell", "the Minister", "agreed", "call",
    "will", "yesterday", "3 March 2025", "for 30 days", "\u201c", "\u201d", '"', ",", ".", "\n",
    "Mr Vale", "the two leaders", "during the call", "since", "is yet to", "rejected", "\u2013",
    "Ana Bell and Bo Ray held a call.", "The Minister said during the call that it was over.",
    "Bo Ray said: \u201cWe agreed.", "\u201cWe stay,\u201d said Mr Vale.",
]  # fmt: skip


@hypothesis_settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=6), max_size=60))
@example(
    ["Ana Bell and Bo Ray held a call.", "The Minister said during the call that it was over."]
)
def test_any_text_gives_verbatim_quotes_and_dates_with_their_words(pieces):
    text = " ".join(pieces)
    actors = [
        KnownActor("ana-bell", "Ana Bell", "person", ("the Minister",)),
        KnownActor("bo-ray", "Bo Ray", "person"),
    ]
    notes = "The call took place on Tuesday 18 March 2025."
    for proposal in propose(text, datetime.date(2025, 3, 19), actors, notes):
        for quote in proposal.quotes:
            assert text[quote.start : quote.end] == quote.text
        if proposal.date_start is None:
            assert proposal.date_text == ""
        else:
            assert text[proposal.date_start : proposal.date_end] == proposal.date_text
        assert proposal.date_basis


def test_drafting_writes_nothing(seed_source):
    before = [model.objects.count() for model in (Event, Quote, Actor, Source)]
    draft_events(seed_source)
    assert [model.objects.count() for model in (Event, Quote, Actor, Source)] == before


# Dates ----------------------------------------------------------------------


def test_relative_dates_resolve_against_the_sources_date(seed_source):
    draft = draft_events(seed_source)
    swap = _proposal_with(draft, "A prisoner swap was also confirmed")
    assert (swap.start, swap.date_text, swap.date_inferred) == (
        datetime.date(2025, 3, 19), "today (Wed)", False,
    )  # fmt: skip
    starmer = _proposal_with(draft, "Following a call between Sir Keir and Mr Trump")
    assert (starmer.start, starmer.date_text) == (datetime.date(2025, 3, 17), "on Monday night")
    coalition = _proposal_with(draft, "coalition of the willing call with international leaders")
    assert (coalition.start, coalition.date_text) == (datetime.date(2025, 3, 15), "on Saturday")


def test_the_call_told_twice_is_one_proposal(seed_source):
    draft = draft_events(seed_source)
    call = _proposal_with(draft, "a marathon 90-minute call")
    assert call.kind == "call"
    assert any(q.text.endswith("following historic talks.") for q in call.quotes)
    assert sum("90-minute call" in q.text for p in draft.proposals for q in p.quotes) == 1


def test_a_date_inherited_from_the_call_says_how_the_text_ties_them(seed_source):
    draft = draft_events(seed_source)
    kremlin = _proposal_with(draft, "detailed and frank exchange of views")
    assert kremlin.start == datetime.date(2025, 3, 18)
    assert kremlin.date_inferred
    assert kremlin.date_text == "during the phone call"
    assert (kremlin.earliest, kremlin.latest) == (
        datetime.date(2025, 3, 18),
        datetime.date(2025, 3, 19),
    )
    call = _proposal_with(draft, "a marathon 90-minute call")
    assert call.date_inferred and "the source's notes say" in call.date_basis


def test_without_the_notes_the_call_and_what_hangs_on_it_have_no_date(seed_source):
    seed_source.notes = ""
    draft = draft_events(seed_source)
    call = _proposal_with(draft, "a marathon 90-minute call")
    pause = _proposal_with(draft, "pause strikes on energy targets for 30 days")
    for proposal in (call, pause):
        assert proposal.start is None
        assert "the date must be supplied" in proposal.date_basis
    # What the text dates itself keeps its date.
    assert _proposal_with(draft, "A prisoner swap").start == datetime.date(2025, 3, 19)


def test_since_is_a_word_not_letters_of_sincere():
    # Written for the test. "insincere" holds the letters of "since": the
    # rejection was dated "some time before the call", its basis quoting a
    # "since" the text does not have.
    text = "Ana Bell and Bo Ray held a call on Tuesday. Cy Dunn rejected the talks as insincere."
    actors = [
        KnownActor("ana-bell", "Ana Bell", "person"),
        KnownActor("bo-ray", "Bo Ray", "person"),
        KnownActor("cy-dunn", "Cy Dunn", "person"),
    ]
    proposals = propose(text, datetime.date(2025, 3, 19), actors)
    (rejection,) = [p for p in proposals if p.status == "rejected"]
    assert "\u201csince\u201d" not in rejection.date_basis
    assert rejection.start is None


def test_a_source_without_a_date_gets_no_relative_dates(seed_source):
    seed_source.published_on = None
    draft = draft_events(seed_source)
    assert draft.base_date is None
    assert _proposal_with(draft, "A prisoner swap").start is None


def test_a_stated_length_gives_the_end(seed_source):
    pause = _proposal_with(draft_events(seed_source), "pause strikes on energy targets for 30 days")
    assert (pause.start, pause.end) == (datetime.date(2025, 3, 18), datetime.date(2025, 4, 17))
    assert "\u201cfor 30 days\u201d" in pause.date_basis


# Quotes, speakers and actors --------------------------------------------------


def test_speakers_are_found_by_name_and_alias(seed_source):
    draft = draft_events(seed_source)
    speakers = {q.text: q.speaker.slug for p in draft.proposals for q in p.quotes if q.speaker}
    assert speakers["Both leaders agreed this conflict needs to end with a lasting peace."] == (
        "white-house"
    )
    # "the statement added:" and "the readout said" are the White House's statement.
    assert (
        speakers[
            "The leaders spoke broadly about the Middle East as a region of potential cooperation "
            "to prevent future conflicts"
        ]
        == "white-house"
    )
    # "the Prime Minister's official spokesman said:" is an alias of Downing Street.
    assert (
        speakers[
            "He reiterated that all must work together to put Ukraine in the strongest possible "
            "position to secure a just and lasting peace."
        ]
        == "downing-street"
    )
    assert speakers["comprehensive, sustainable and long-term"] == "vladimir-putin"


def test_known_actors_are_found_by_their_aliases(seed_source):
    draft = draft_events(seed_source)
    despot = _proposal_with(draft, "The despot said that he would not agree")
    assert ("vladimir-putin", "principal") in {(a.slug, a.role) for a in despot.actors}
    assert despot.status == "rejected"
    kursk = _proposal_with(draft, "The tyrant also assured the US President")
    roles = {a.slug: a.role for a in kursk.actors}
    assert (roles["vladimir-putin"], roles["donald-trump"]) == ("principal", "participant")


def test_unknown_names_are_offered_as_new_actors_never_created(harbour_source):
    actors_before = Actor.objects.count()
    draft = draft_events(harbour_source)
    new = {a.name: a.kind for p in draft.proposals for a in p.actors if a.slug is None}
    assert new["Aurel Vasko"] == "person"
    assert new["Ines Marlowe"] == "person"
    assert new["Harbour Commission"] == "organisation"
    assert "Port Lissen" not in new  # a place, not an actor
    assert Actor.objects.count() == actors_before


def test_an_actor_without_aliases_is_not_found_by_them(seed_source):
    Actor.objects.filter(slug="vladimir-putin").update(aliases="")
    draft = draft_events(seed_source)
    despot = _proposal_with(draft, "The despot said that he would not agree")
    assert "vladimir-putin" not in {a.slug for a in despot.actors}


# Duplicates -----------------------------------------------------------------


def test_proposals_repeating_existing_events_are_flagged_with_their_new_quotes_only():
    source = import_seed(with_events=True)
    draft = draft_events(source)
    swap = next(p for p in draft.proposals if p.title.startswith("A prisoner swap"))
    assert swap.duplicate_of == "prisoner-swap"
    assert swap.quotes == []  # the event has its only quote already
    assert all(p.duplicate_of for p in draft.proposals)
    kremlin = next(p for p in draft.proposals if p.title.startswith("The Kremlin said"))
    assert kremlin.duplicate_of == "kremlin-statement"
    existing = set(
        Event.objects.get(slug="kremlin-statement").quotes.values_list("text", flat=True)
    )
    assert kremlin.quotes and not {q.text for q in kremlin.quotes} & existing


def test_a_proposal_is_not_a_duplicate_of_an_unrelated_event_on_the_same_day(harbour_source):
    Event.objects.create(
        title="Unrelated", slug="unrelated", kind="agreement", status="agreed",
        start=datetime.date(2025, 11, 6), date_basis="Written for the test.",
    )  # fmt: skip
    assert not any(p.duplicate_of for p in draft_events(harbour_source).proposals)


# Aliases on Actor -------------------------------------------------------------


def test_aliases_travel_in_the_timeline_document():
    from timeline.exports import timeline_document
    from timeline.services import timeline_import

    import_seed(with_events=True)
    events = Event.objects.prefetch_related("participations__actor", "quotes__speaker")
    document = timeline_document(events, Source.objects.all())
    putin = next(a for a in document["actors"] if a["slug"] == "vladimir-putin")
    assert "the Russian leader" in putin["aliases"].splitlines()
    putin["aliases"] = "the Russian leader\nthe Kremlin's master"
    timeline_import(document=document)
    assert Actor.objects.get(slug="vladimir-putin").alias_list == [
        "the Russian leader",
        "the Kremlin's master",
    ]


def test_an_editor_can_enter_aliases_in_the_admin(admin_client):
    page = admin_client.get("/admin/timeline/actor/add/").content.decode()
    assert 'name="aliases"' in page
    response = admin_client.post(
        "/admin/timeline/actor/add/",
        {"name": "Tomas Reyk", "slug": "tomas-reyk", "kind": "person", "description": "",
         "aliases": "Mr Reyk\nthe Foreign Minister"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Actor.objects.get(slug="tomas-reyk").alias_list == ["Mr Reyk", "the Foreign Minister"]

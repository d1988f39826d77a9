"""No lost edits (issue 10): two editors open the same event; the one who
saves second is refused, told who saved meanwhile and what changed, before
and now, and shown the form again with their own input, brought up to date
wherever they had not changed the same thing. Their next save goes through,
and neither editor's changes are lost. Through the real admin forms, as a
browser posts them, inlines included.

Every title, summary and name below was written for these tests."""

from html import unescape
from html.parser import HTMLParser

import pytest
from django.test import Client

from timeline import services
from timeline.admin import EventAdmin
from timeline.exports import timeline_document
from timeline.models import Event, Participation, Quote, Source
from timeline.services import timeline_import

from . import test_browser
from .conftest import artifact, editor_user
from .factories import ActorFactory, EventFactory, ParticipationFactory, QuoteFactory

pytestmark = pytest.mark.django_db
seeded_site = test_browser.seeded_site

REFUSED = "Someone else saved this event since you opened it"
NOT_SAVED = "Your changes are below and have not been saved; review them and save again."


class FormInHtml(HTMLParser):
    """What a browser posts from the form `form_id` (an admin change form):
    every named input, ticked box, selected option and text area, the
    inlines' management forms and the hidden fields among them."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.fields: dict[str, str] = {}
        self.inside = False
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        name = attrs.get("name") or ""
        if not self.inside:
            return
        if tag == "option" and self.select is not None and "selected" in attrs:
            self.fields[self.select] = attrs.get("value", "")
        if not name or "__prefix__" in name:  # the template for new inline rows
            return
        kind = attrs.get("type", "text")
        if tag == "input" and kind not in {"submit", "button", "file", "reset", "image"}:
            if kind != "checkbox" or "checked" in attrs:
                self.fields[name] = attrs.get("value", "on" if kind == "checkbox" else "")
        elif tag == "select":
            self.select = name
            self.fields[name] = ""
        elif tag == "textarea":
            self.textarea = name
            self.fields[name] = ""

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            # Browsers drop the newline that follows <textarea>.
            text = self.fields[self.textarea]
            self.fields[self.textarea] = text[1:] if text.startswith("\n") else text
            self.textarea = None


def form_of(response, form_id="event_form") -> dict[str, str]:
    assert response.status_code == 200
    parser = FormInHtml(form_id)
    parser.feed(response.content.decode())
    return parser.fields


def change_url(event) -> str:
    return f"/admin/timeline/event/{event.pk}/change/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice():
    return signed_in(editor_user("alice"))


@pytest.fixture
def bruno():
    return signed_in(editor_user("bruno"))


@pytest.fixture
def event():
    event = EventFactory(title="Envoys meet in Geneva", summary="", date_basis="Stated on Monday.")
    ParticipationFactory(event=event, actor=ActorFactory(name="Lena Marsh"))
    QuoteFactory(event=event)
    return event


def saved(client, event, fields):
    response = client.post(change_url(event), {**fields, "_save": "Save"})
    assert response.status_code == 302, refusal(response)
    return response


def refusal(response) -> list[str]:
    """The lines of the error at the top of a change form shown again."""
    assert response.status_code == 200
    return [str(line) for line in response.context["adminform"].form.non_field_errors()]


def history_counts() -> list[int]:
    return [model.history.count() for model in (Event, Participation, Quote)]


def test_the_second_save_is_refused_with_what_changed_and_both_edits_survive(alice, bruno, event):
    opened_by_alice = form_of(alice.get(change_url(event)))
    opened_by_bruno = form_of(bruno.get(change_url(event)))

    saved(alice, event, {**opened_by_alice, "title": "Envoys meet in Bern"})
    response = bruno.post(
        change_url(event), {**opened_by_bruno, "summary": "Talks resume in April."}
    )

    lines = refusal(response)
    assert lines[0].startswith(f"{REFUSED} (by alice at ")
    assert "What changed meanwhile (before \u2192 now):" in lines
    assert "Title: Envoys meet in Geneva \u2192 Envoys meet in Bern" in lines
    assert lines[-1] == NOT_SAVED
    page = response.content.decode()
    assert "Title: Envoys meet in Geneva \u2192 Envoys meet in Bern" in unescape(page)
    event.refresh_from_db()
    assert (event.title, event.summary) == ("Envoys meet in Bern", "")

    # Shown again: Bruno's summary, and Alice's title, which he had not touched.
    shown_again = form_of(response)
    assert shown_again["summary"] == "Talks resume in April."
    assert shown_again["title"] == "Envoys meet in Bern"
    saved(bruno, event, shown_again)
    event.refresh_from_db()
    assert (event.title, event.summary) == ("Envoys meet in Bern", "Talks resume in April.")


def test_an_editor_with_the_event_open_twice_is_told_it_was_them(alice, event):
    first_tab = form_of(alice.get(change_url(event)))
    second_tab = form_of(alice.get(change_url(event)))
    saved(alice, event, {**first_tab, "title": "Envoys meet in Bern"})
    lines = refusal(alice.post(change_url(event), {**second_tab, "summary": "Talks resume."}))
    assert lines[0].startswith(
        "You saved this event in another window or tab since you opened it here (at "
    )


def test_where_both_changed_the_same_field_the_second_editor_sees_it_and_wins_on_saving_again(
    alice, bruno, event
):
    opened_by_alice = form_of(alice.get(change_url(event)))
    opened_by_bruno = form_of(bruno.get(change_url(event)))
    saved(alice, event, {**opened_by_alice, "title": "Envoys meet in Bern"})

    response = bruno.post(change_url(event), {**opened_by_bruno, "title": "Envoys meet in Basel"})
    lines = refusal(response)
    assert "You changed these too, and the form keeps your version: Title." in lines
    assert form_of(response)["title"] == "Envoys meet in Basel"
    assert Event.objects.get(pk=event.pk).title == "Envoys meet in Bern"

    saved(bruno, event, form_of(response))
    assert Event.objects.get(pk=event.pk).title == "Envoys meet in Basel"


def test_an_actor_added_meanwhile_refuses_a_stale_quote_edit_and_nothing_of_it_is_written(
    alice, bruno, event
):
    quote = event.quotes.get()
    newcomer = ActorFactory(name="Omar Field")
    opened_by_alice = form_of(alice.get(change_url(event)))
    opened_by_bruno = form_of(bruno.get(change_url(event)))

    # Alice fills the empty actor row; Bruno, from his older form, changes the quote.
    saved(
        alice,
        event,
        {
            **opened_by_alice,
            "participations-1-actor": newcomer.pk,
            "participations-1-role": "mentioned",
        },
    )
    records = history_counts()
    edited = {**opened_by_bruno, "quotes-0-text": "A second round is planned for April."}
    response = bruno.post(change_url(event), edited)

    lines = refusal(response)
    assert "Actor added: Omar Field (mentioned)" in lines
    quote.refresh_from_db()
    assert quote.text == "We agreed to keep talking,"
    assert history_counts() == records  # not even a history record of his save
    # Shown again with his quote, and the actors as they now stand.
    shown_again = form_of(response)
    assert shown_again["quotes-0-text"] == "A second round is planned for April."
    assert shown_again["participations-INITIAL_FORMS"] == "2"
    assert shown_again["participations-1-actor"] == str(newcomer.pk)

    saved(bruno, event, shown_again)
    quote.refresh_from_db()
    assert quote.text == "A second round is planned for April."
    assert set(event.participations.values_list("actor__name", flat=True)) == {
        "Lena Marsh",
        "Omar Field",
    }


def change_quote_in_the_event_form(client, event, text):
    saved(client, event, {**form_of(client.get(change_url(event))), "quotes-0-text": text})


def change_quote_on_its_own_page(client, event, text):
    """The Quotes admin: a write that reaches the event through QuerySet.update()."""
    url = f"/admin/timeline/quote/{event.quotes.get().pk}/change/"
    fields = form_of(client.get(url), "quote_form")
    assert client.post(url, {**fields, "text": text, "_save": "Save"}).status_code == 302


@pytest.mark.parametrize(
    "change_quote", [change_quote_in_the_event_form, change_quote_on_its_own_page]
)
def test_a_quote_changed_meanwhile_is_not_undone_by_the_stale_form_saved_again(
    alice, bruno, event, change_quote
):
    source = event.quotes.get().source.title
    opened_by_bruno = form_of(bruno.get(change_url(event)))
    change_quote(alice, event, "A second round is planned for April.")

    response = bruno.post(change_url(event), {**opened_by_bruno, "summary": "Talks resume."})
    lines = refusal(response)
    assert lines[0].startswith(f"{REFUSED} (by alice at ")
    assert (
        f"Quote: \u201cWe agreed to keep talking,\u201d \u2014 {source} \u2192 "
        f"\u201cA second round is planned for April.\u201d \u2014 {source}"
    ) in lines
    assert Event.objects.get(pk=event.pk).summary == ""
    shown_again = form_of(response)
    assert shown_again["quotes-0-text"] == "A second round is planned for April."

    saved(bruno, event, shown_again)
    event.refresh_from_db()
    assert event.summary == "Talks resume."
    assert event.quotes.get().text == "A second round is planned for April."


def test_an_actor_removed_meanwhile_stays_removed_when_the_stale_form_is_saved_again(
    alice, bruno, event
):
    ParticipationFactory(event=event, actor=ActorFactory(name="Omar Field"), role="participant")
    opened_by_alice = form_of(alice.get(change_url(event)))
    opened_by_bruno = form_of(bruno.get(change_url(event)))
    lena = str(event.participations.get(actor__name="Lena Marsh").actor_id)
    row = next(
        key for key, value in opened_by_alice.items() if key.endswith("-actor") and value == lena
    )
    saved(alice, event, {**opened_by_alice, row.replace("actor", "DELETE"): "on"})

    response = bruno.post(change_url(event), {**opened_by_bruno, "summary": "Talks resume."})
    assert "Actor removed: Lena Marsh (principal)" in refusal(response)
    saved(bruno, event, form_of(response))
    event.refresh_from_db()
    assert event.summary == "Talks resume."
    assert list(event.participations.values_list("actor__name", flat=True)) == ["Omar Field"]


def test_a_quote_edited_from_a_stale_form_after_it_was_removed_comes_back_as_a_new_one(
    alice, bruno, event
):
    QuoteFactory(event=event, text="A second round is planned for April.")
    opened_by_alice = form_of(alice.get(change_url(event)))
    opened_by_bruno = form_of(bruno.get(change_url(event)))
    first = next(
        key for key, value in opened_by_alice.items() if value == "We agreed to keep talking,"
    )
    saved(alice, event, {**opened_by_alice, first.replace("text", "DELETE"): "on"})

    edited = {**opened_by_bruno, first: "Observers called the talks \u201cconstructive\u201d."}
    response = bruno.post(change_url(event), edited)
    lines = refusal(response)
    assert any(
        line.startswith("Quote removed: \u201cWe agreed to keep talking,\u201d") for line in lines
    )
    assert (
        "You changed these, which were removed meanwhile; the form adds them again: "
        "Quote \u201cWe agreed to keep talking,\u201d."
    ) in lines
    saved(bruno, event, form_of(response))
    assert sorted(event.quotes.values_list("text", flat=True)) == [
        "A second round is planned for April.",
        "Observers called the talks \u201cconstructive\u201d.",
    ]


def test_an_import_that_changes_the_event_after_it_was_opened_refuses_the_stale_form(bruno, event):
    opened_by_bruno = form_of(bruno.get(change_url(event)))
    document = timeline_document(Event.objects.filter(pk=event.pk), Source.objects.all())
    document["events"][0]["date_basis"] = "The envoy's office gave the day."
    timeline_import(document=document)

    response = bruno.post(change_url(event), {**opened_by_bruno, "summary": "Talks resume."})
    lines = refusal(response)
    assert lines[0].startswith(f"{REFUSED} (at ")  # an import has no editor
    assert (
        "How the date was established: Stated on Monday. \u2192 The envoy's office gave the day."
        in lines
    )
    event.refresh_from_db()
    assert (event.date_basis, event.summary) == ("The envoy's office gave the day.", "")


def test_an_import_that_read_the_event_before_an_editor_saved_it_is_refused_whole(
    event, monkeypatch
):
    """An editor's save lands between the import's read of the event and its
    write (as it can on PostgreSQL; simulated here inside the import's own
    transaction): the import is refused, with the reason, and writes nothing."""
    document = timeline_document(Event.objects.filter(pk=event.pk), Source.objects.all())
    document["events"][0]["date_basis"] = "The envoy's office gave the day."
    read_and_checked = services._Import._publication

    def an_editor_saves_meanwhile(self, stored, *args):
        Event.objects.filter(pk=stored.pk).update(summary="Saved by an editor meanwhile.")
        return read_and_checked(self, stored, *args)

    monkeypatch.setattr(services._Import, "_publication", an_editor_saves_meanwhile)
    records = history_counts()
    with pytest.raises(services.TimelineImportError) as refused:
        timeline_import(document=document)
    assert refused.value.errors == [
        "events[0]: saved by someone else during the import; import again."
    ]
    assert Event.objects.get(pk=event.pk).date_basis == "Stated on Monday."
    assert history_counts() == records


def test_a_save_that_lands_between_the_check_and_the_update_is_refused_by_the_update(
    alice, bruno, event, monkeypatch
):
    """Alice's save commits after Bruno's request has read the event (as it
    can on PostgreSQL): the form's check passes, the UPDATE refuses it."""
    opened_by_alice = form_of(alice.get(change_url(event)))
    opened_by_bruno = form_of(bruno.get(change_url(event)))
    as_bruno_read_it = Event.objects.get(pk=event.pk)
    saved(alice, event, {**opened_by_alice, "title": "Envoys meet in Bern"})

    reads = []
    get_object = EventAdmin.get_object

    def read_before_alice_saved(self, request, object_id, from_field=None):
        reads.append(object_id)
        if len(reads) == 1:
            return as_bruno_read_it
        return get_object(self, request, object_id, from_field)

    monkeypatch.setattr(EventAdmin, "get_object", read_before_alice_saved)
    response = bruno.post(change_url(event), {**opened_by_bruno, "summary": "Talks resume."})

    assert "Title: Envoys meet in Geneva \u2192 Envoys meet in Bern" in refusal(response)
    assert len(reads) == 2  # refused by the UPDATE, then shown again
    event.refresh_from_db()
    assert (event.title, event.summary) == ("Envoys meet in Bern", "")


def test_a_form_that_does_not_say_which_version_it_was_opened_at_is_refused(bruno, event):
    fields = form_of(bruno.get(change_url(event)))
    del fields["opened_version"], fields["opened_history"]
    response = bruno.post(change_url(event), {**fields, "summary": "Talks resume."})
    assert refusal(response)[1] == (
        "This form does not say when it was opened, so what changed is not known."
    )
    assert Event.objects.get(pk=event.pk).summary == ""
    saved(bruno, event, form_of(response))  # shown again, it says
    assert Event.objects.get(pk=event.pk).summary == "Talks resume."


def test_the_same_actor_added_twice_is_a_form_error_not_a_server_error(alice, bruno, event):
    newcomer = ActorFactory(name="Omar Field")
    opened_by_alice = form_of(alice.get(change_url(event)))
    opened_by_bruno = form_of(bruno.get(change_url(event)))
    added = {"participations-1-actor": newcomer.pk, "participations-1-role": "participant"}
    saved(alice, event, {**opened_by_alice, **added})

    # Bruno adds him too from his older form: refused as stale, and shown
    # Alice's row beside his; saved again, told that Omar Field is in it twice.
    response = bruno.post(change_url(event), {**opened_by_bruno, **added})
    assert refusal(response)[0].startswith(REFUSED)
    response = bruno.post(change_url(event), form_of(response))
    assert response.status_code == 200
    assert "Omar Field is in this list twice: remove one of the rows." in unescape(
        response.content.decode()
    )
    assert event.participations.filter(actor=newcomer).count() == 1


def test_a_hand_made_post_adding_an_actor_the_event_has_is_a_form_error(bruno, event):
    stored = event.participations.get()
    fields = form_of(bruno.get(change_url(event)))
    # The stored row left out of the form, and its actor added as a new one.
    fields |= {
        "participations-TOTAL_FORMS": "1",
        "participations-INITIAL_FORMS": "0",
        "participations-0-id": "",
        "participations-0-actor": stored.actor_id,
        "participations-0-role": "mentioned",
    }
    response = bruno.post(change_url(event), fields)
    assert response.status_code == 200
    assert "Lena Marsh already takes part in this event." in response.content.decode()
    assert list(Participation.objects.filter(event=event).values_list("role", flat=True)) == [
        "principal"
    ]


def test_reverting_to_an_old_version_from_a_stale_page_is_refused_too(alice, bruno, event):
    saved(alice, event, {**form_of(alice.get(change_url(event))), "title": "Envoys meet in Bern"})
    first = event.history.earliest()
    revert_url = f"{change_url(event)[: -len('change/')]}history/{first.history_id}/"
    opened_by_bruno = form_of(bruno.get(revert_url), "historicalevent_form")
    saved(alice, event, {**form_of(alice.get(change_url(event))), "summary": "Talks resume."})

    response = bruno.post(revert_url, opened_by_bruno)
    assert "Summary: (none) \u2192 Talks resume." in refusal(response)
    assert Event.objects.get(pk=event.pk).title == "Envoys meet in Bern"


# In Chromium: two editors, two browser contexts, the same event.


@pytest.fixture
def two_editors(live_server, fast_password_hashing):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=test_browser.chromium_path(), args=test_browser.CHROMIUM_FLAGS
        )
        pages = []
        for name in ("alice", "bruno"):
            editor_user(name)
            page = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
            page.problems = []
            page.on("pageerror", lambda error, page=page: page.problems.append(str(error)))
            test_browser.log_in(page, live_server.url, name)
            pages.append(page)
        yield pages
        browser.close()


@pytest.mark.browser
def test_two_editors_in_chromium_the_second_is_refused_and_saves_again(two_editors, seeded_site):
    alice, bruno = two_editors
    event = Event.objects.get(slug="trump-putin-call")
    title, url = event.title, f"{seeded_site}{change_url(event)}"
    alice.goto(url)
    bruno.goto(url)

    alice.fill("#id_title", f"{title} (checked)")
    alice.click("input[name=_save]")
    alice.wait_for_url("**/admin/timeline/event/")
    bruno.fill("#id_summary", "Summary rewritten by the second editor for this test.")
    bruno.click("input[name=_save]")

    message = bruno.locator("ul.errorlist.nonfield")
    message.wait_for()
    text = message.inner_text()
    assert f"{REFUSED} (by alice at " in text
    assert f"Title: {title} \u2192 {title} (checked)" in text
    assert NOT_SAVED in text
    assert bruno.input_value("#id_summary") == (
        "Summary rewritten by the second editor for this test."
    )
    assert bruno.input_value("#id_title") == f"{title} (checked)"
    bruno.screenshot(path=str(artifact("concurrency-refused.png")))  # the top
    event.refresh_from_db()
    assert event.title == f"{title} (checked)"
    assert event.summary != "Summary rewritten by the second editor for this test."

    bruno.click("input[name=_save]")
    bruno.wait_for_url("**/admin/timeline/event/")
    event.refresh_from_db()
    assert event.title == f"{title} (checked)"
    assert event.summary == "Summary rewritten by the second editor for this test."
    assert alice.problems == [] and bruno.problems == []

"""Corrections in public: an editor ticks "This is a correction" and writes a
one-line note; readers then see "Corrected on …" with what changed on the
event's page, in the Atom feed and in /events.json. Silent edits stay
silent; corrections never disappear.

Every title, note and quote below was written for these tests."""

import datetime

import feedparser
import pytest
from django.contrib.auth.models import Group, User

from timeline.models import Correction, Event

from . import test_browser
from .conftest import PASSWORD, staff_user
from .factories import QuoteFactory
from .test_history import admin_change_form, change_url, published_event

pytestmark = pytest.mark.django_db
page = test_browser.page
seeded_site = test_browser.seeded_site

NOTE = "An earlier version gave the wrong day of the meeting."


@pytest.fixture
def editor():
    return staff_user("desk", groups=[Group.objects.get(name="Editors")])


@pytest.fixture
def desk(client, editor):
    """A client signed in as the editor (the public `client` stays anonymous)."""
    from django.test import Client

    desk = Client()
    desk.force_login(editor)
    return desk


def correct(desk, event, note=NOTE, **changes):
    data = admin_change_form(event, is_correction="on", correction_note=note, **changes)
    response = desk.post(change_url(event), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


@pytest.mark.django_db(transaction=True)
def test_the_event_page_shows_the_correction_at_once(client, admin_client):
    # A superuser: a transactional test's database may have lost the Editors
    # group that the migration made, as the previous one's flush removes it.
    desk = admin_client
    event = published_event(title="Envoys meet in Geneva", start=datetime.date(2025, 3, 17))
    page = client.get(event.get_absolute_url())  # cached for readers now
    assert "Corrected on" not in page.content.decode()

    correct(
        desk,
        event,
        start="2025-03-18",
        **{"quotes-0-text": "A second round is planned for April."},
    )

    html = client.get(event.get_absolute_url()).content.decode()
    correction = Correction.objects.get()
    day = correction.created_at.strftime("%-d %B %Y")
    assert f"Corrected on {day}</time>: {NOTE}" in html
    assert "Date: was 17 March 2025, now 18 March 2025" in html
    # The quote edited in the event's inline is part of the same correction.
    assert "Quote: was \u201cWe agreed to keep talking,\u201d \u2014 Report" in html
    assert "now \u201cA second round is planned for April.\u201d" in html


def test_what_changed_is_kept_with_the_correction(desk, editor):
    event = published_event(status="planned")
    quote = event.quotes.get()
    correct(desk, event, status="occurred", **{"participations-0-role": "mentioned"})
    correction = Correction.objects.get()
    actor = event.participations.get().actor
    assert correction.editor == editor and correction.event == event
    assert correction.note == NOTE
    assert correction.changes == [
        {"field": "status", "before": "planned", "after": "occurred"},
        {
            "field": "actors",
            "before": f"{actor.name} (principal)",
            "after": f"{actor.name} (mentioned)",
        },
    ]
    assert quote.history.count() == 1  # the quote was not touched


def test_a_silent_edit_records_no_correction_and_shows_nothing(client, desk):
    event = published_event(title="Envoys meet in Geneva")
    response = desk.post(change_url(event), admin_change_form(event, title="Envoys meet in Bern"))
    assert response.status_code == 302
    assert not Correction.objects.exists()
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Envoys meet in Bern" in html and "Corrected on" not in html
    assert client.get("/events.json").json()["events"][0]["corrections"] == []


def test_a_correction_needs_its_note(desk):
    event = published_event(title="Envoys meet in Geneva")
    data = admin_change_form(event, title="Envoys meet in Bern", is_correction="on")
    data["correction_note"] = "   "
    response = desk.post(change_url(event), data)
    assert response.status_code == 200
    assert "Say in one line what was corrected: readers see this note." in response.content.decode()
    event.refresh_from_db()
    assert event.title == "Envoys meet in Geneva" and not Correction.objects.exists()


def test_the_box_is_offered_when_changing_an_event_not_when_adding_one(desk):
    event = published_event()
    assert "This is a correction" in desk.get(change_url(event)).content.decode()
    assert "This is a correction" not in desk.get("/admin/timeline/event/add/").content.decode()


def test_events_json_and_the_feed_carry_the_correction(client, desk):
    event = published_event(title="Envoys meet in Geneva")
    added = datetime.datetime(2025, 3, 19, 8, tzinfo=datetime.UTC)
    Event.objects.filter(pk=event.pk).update(created_at=added, updated_at=added)
    correct(desk, event, title="Envoys meet in Bern")
    correction = Correction.objects.get()

    (listed,) = client.get("/events.json").json()["events"]
    assert listed["corrections"] == [
        {
            "date": correction.created_at.isoformat(timespec="seconds"),
            "note": NOTE,
            "changes": [
                {
                    "field": "title",
                    "before": "Envoys meet in Geneva",
                    "after": "Envoys meet in Bern",
                }
            ],
        }
    ]

    feed = feedparser.parse(client.get("/events.atom").content)
    (entry,) = feed.entries
    assert (
        NOTE in entry.summary
        and "Title: was Envoys meet in Geneva, now Envoys meet in Bern" in (entry.summary)
    )
    # The entry shows as updated when it was corrected; it was published before.
    updated = datetime.datetime(*entry.updated_parsed[:6], tzinfo=datetime.UTC)
    assert updated == correction.created_at.replace(microsecond=0)
    assert datetime.datetime(*entry.published_parsed[:6], tzinfo=datetime.UTC) == added


def test_dates_are_in_the_readers_language_and_the_note_as_entered(client, desk):
    event = published_event(start=datetime.date(2025, 3, 17))
    correct(desk, event, note="Datum korrigiert: <Montag>, nicht Dienstag.", start="2025-03-18")
    Correction.objects.update(created_at=datetime.datetime(2025, 3, 20, 12, tzinfo=datetime.UTC))
    html = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert (
        "Korrigiert am 20. März 2025</time>: Datum korrigiert: &lt;Montag&gt;, nicht Dienstag."
        in (html)
    )
    assert "Datum: vorher 17. März 2025, jetzt 18. März 2025" in html
    french = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Corrigé le 20 mars 2025" in french


def test_corrections_never_disappear(client, desk, editor):
    event = published_event()
    correct(desk, event, title="A corrected title")
    correction = Correction.objects.get()

    # Editors read corrections; nobody may change or delete one in the admin.
    assert desk.get(f"/admin/timeline/correction/{correction.pk}/change/").status_code == 200
    assert desk.post(f"/admin/timeline/correction/{correction.pk}/delete/").status_code == 403
    superuser = User.objects.create_superuser("chief", password=PASSWORD)
    client.force_login(superuser)
    assert client.post(f"/admin/timeline/correction/{correction.pk}/delete/").status_code == 403

    # An event with a correction is not deleted: the admin says what protects it.
    response = client.post(f"/admin/timeline/event/{event.pk}/delete/", {"post": "yes"})
    html = response.content.decode()
    assert "Cannot delete event" in html and "correction" in html.split("Cannot delete event")[-1]
    assert Event.objects.filter(pk=event.pk).exists() and Correction.objects.count() == 1


def test_a_quote_added_and_removed_in_the_inline_is_listed(desk):
    event = published_event()
    old = event.quotes.get()
    data = admin_change_form(
        event,
        **{
            "quotes-0-DELETE": "on",
            "quotes-TOTAL_FORMS": "2",
            "quotes-1-event": str(event.pk),
            "quotes-1-source": str(old.source_id),
            "quotes-1-speaker": "",
            "quotes-1-text": "Observers called the talks",
        },
    )
    correct(desk, event, **data)
    changes = Correction.objects.get().changes
    assert [(c["field"], c["before"] is None, c["after"] is None) for c in changes] == [
        ("quotes", False, True),
        ("quotes", True, False),
    ]
    assert QuoteFactory._meta.model.objects.get(event=event).text == "Observers called the talks"


def test_a_revert_from_the_history_can_be_a_correction(client, desk):
    event = published_event(title="Envoys meet in Geneva")
    desk.post(change_url(event), admin_change_form(event, title="Envoys meet in Bern"))
    first = event.history.earliest()
    revert = {key: value for key, value in admin_change_form(event).items() if "-" not in key}
    revert |= {"title": "Envoys meet in Geneva", "is_correction": "on", "correction_note": NOTE}
    response = desk.post(f"/admin/timeline/event/{event.pk}/history/{first.history_id}/", revert)
    assert response.status_code == 302
    assert Correction.objects.get().changes == [
        {"field": "title", "before": "Envoys meet in Bern", "after": "Envoys meet in Geneva"}
    ]
    assert "Title: was Envoys meet in Bern, now Envoys meet in Geneva" in (
        client.get(event.get_absolute_url()).content.decode()
    )


@pytest.mark.browser
def test_in_the_browser_an_editor_corrects_and_a_reader_sees_it(page, seeded_site):
    """Through the real admin page in Chromium: tick the box, write the note,
    save; the event's public page then says what was corrected."""
    User.objects.create_superuser("chief", password=PASSWORD)
    event = Event.objects.published().get(slug="white-house-readout")
    test_browser.log_in(page, seeded_site, "chief")
    page.goto(f"{seeded_site}{change_url(event)}")
    page.fill("#id_title", "White House readout of the call (corrected)")
    page.check("#id_is_correction")
    page.fill("#id_correction_note", "The title misnamed the readout.")
    page.click("input[name=_save]")
    page.wait_for_url(f"{seeded_site}/admin/timeline/event/")

    page.context.clear_cookies()  # a reader, not the editor
    page.goto(f"{seeded_site}{event.get_absolute_url()}")
    correction = page.locator("#corrections")
    assert "The title misnamed the readout." in correction.inner_text()
    assert f"was {event.title}, now White House readout of the call (corrected)" in (
        correction.inner_text()
    )
    assert page.problems == []
    correction.scroll_into_view_if_needed()
    test_browser.screenshot(page, "event-correction")

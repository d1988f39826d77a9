"""Every change to events, actors, quotes, participations and sources is
recorded (who, when, the values before and after), shown in the admin as a
difference, and revertible from there; whatever path the write takes.

Every text below was written for these tests; the source text is the
factories' made-up report."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from timeline.management.commands.generate_events import generate
from timeline.models import Actor, Event, Participation, Quote, Source
from timeline.services import events_unpublish_unbacked, source_save, timeline_import

from .conftest import staff_user
from .factories import ActorFactory, EventFactory, QuoteFactory

pytestmark = pytest.mark.django_db


def admin_change_form(event, **overrides):
    """What the admin's change form of `event` posts when nothing is edited:
    its fields, and its actors and quotes in the inline formsets."""
    participations = list(event.participations.order_by("pk"))
    quotes = list(event.quotes.order_by("pk"))
    data = {
        "title": event.title,
        "summary": event.summary,
        "kind": event.kind,
        "status": event.status,
        "publication": event.publication,
        "start": event.start.isoformat(),
        "end": event.end.isoformat() if event.end else "",
        "precision": event.precision,
        "date_basis": event.date_basis,
        "earliest": event.earliest.isoformat() if event.earliest else "",
        "latest": event.latest.isoformat() if event.latest else "",
        "participations-TOTAL_FORMS": str(len(participations)),
        "participations-INITIAL_FORMS": str(len(participations)),
        "quotes-TOTAL_FORMS": str(len(quotes)),
        "quotes-INITIAL_FORMS": str(len(quotes)),
        # Opened now: at the event's current version (see test_concurrency.py).
        "opened_version": str(Event.objects.get(pk=event.pk).version),
    }
    if event.date_inferred:
        data["date_inferred"] = "on"
    for index, participation in enumerate(participations):
        prefix = f"participations-{index}-"
        data |= {
            f"{prefix}id": str(participation.pk),
            f"{prefix}event": str(event.pk),
            f"{prefix}actor": str(participation.actor_id),
            f"{prefix}role": participation.role,
        }
    for index, quote in enumerate(quotes):
        prefix = f"quotes-{index}-"
        data |= {
            f"{prefix}id": str(quote.pk),
            f"{prefix}event": str(event.pk),
            f"{prefix}source": str(quote.source_id),
            f"{prefix}speaker": str(quote.speaker_id or ""),
            f"{prefix}text": quote.text,
        }
    data.update(overrides)
    return data


def published_event(**fields):
    """A published event with one actor and one quote, as the admin makes them."""
    event = EventFactory(**fields)
    Participation.objects.create(event=event, actor=ActorFactory(), role="principal")
    QuoteFactory(event=event)
    return event


@pytest.fixture
def editor(client):
    """A member of the Editors group (the migration's), signed in."""
    user = staff_user("desk", groups=[Group.objects.get(name="Editors")])
    client.force_login(user)
    return user


def change_url(event):
    return f"/admin/timeline/event/{event.pk}/change/"


def test_an_admin_save_records_who_when_and_the_values_before_and_after(client, editor):
    event = published_event(title="Envoys meet in Geneva")
    before = datetime.datetime.now(datetime.UTC)
    response = client.post(change_url(event), admin_change_form(event, title="Envoys meet in Bern"))
    assert response.status_code == 302

    last = event.history.first()
    assert last.history_user == editor and last.history_type == "~"
    assert last.history_date >= before
    delta = last.diff_against(last.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("title", "Envoys meet in Geneva", "Envoys meet in Bern")
    ]


def test_the_admin_history_page_shows_each_change_as_a_difference(client, editor):
    event = published_event(title="Envoys meet in Geneva")
    quote = event.quotes.get()
    client.post(
        change_url(event),
        admin_change_form(
            event, title="Envoys meet in Bern", **{"quotes-0-text": "A second round is planned"}
        ),
    )
    html = client.get(f"/admin/timeline/event/{event.pk}/history/").content.decode()
    assert "Envoys meet in Geneva" in html and "Envoys meet in Bern" in html
    assert "desk" in html  # who
    quote_history = client.get(f"/admin/timeline/quote/{quote.pk}/history/").content.decode()
    assert "We agreed to keep talking," in quote_history
    assert "A second round is planned" in quote_history


def test_a_revert_from_the_history_restores_the_values_and_is_itself_recorded(client, editor):
    event = published_event(title="Envoys meet in Geneva", start=datetime.date(2025, 3, 17))
    client.post(
        change_url(event),
        admin_change_form(event, title="Envoys meet in Bern", start="2025-03-18"),
    )
    first = event.history.earliest()
    revert_url = f"/admin/timeline/event/{event.pk}/history/{first.history_id}/"
    page = client.get(revert_url).content.decode()
    assert 'value="Envoys meet in Geneva"' in page  # the version, ready to save

    old = {key: value for key, value in admin_change_form(event).items() if "-" not in key}
    old |= {"title": "Envoys meet in Geneva", "start": "2025-03-17"}
    assert client.post(revert_url, old).status_code == 302

    event.refresh_from_db()
    assert (event.title, event.start) == ("Envoys meet in Geneva", datetime.date(2025, 3, 17))
    assert event.history.count() == 3
    revert = event.history.first()
    assert revert.history_user == editor
    assert {c.field for c in revert.diff_against(revert.prev_record).changes} == {"title", "start"}


def test_a_revert_cannot_publish_for_an_editor_who_may_not_publish(client, editor):
    # A published version in the history of what is now a draft: reverting to
    # it is publishing, which needs the right to publish like any other save.
    editor.groups.get(name="Editors").permissions.remove(
        editor.groups.get(name="Editors").permissions.get(codename="publish_event")
    )
    event = published_event(title="Envoys meet in Geneva")
    client.post(change_url(event), admin_change_form(event, publication="draft"))
    event.refresh_from_db()
    assert event.publication == "draft"
    published = event.history.filter(publication="published").earliest()
    revert_url = f"/admin/timeline/event/{event.pk}/history/{published.history_id}/"
    form = {key: value for key, value in admin_change_form(event).items() if "-" not in key}
    response = client.post(revert_url, form | {"publication": "published"})
    assert response.status_code == 200  # the form again, with the reason
    assert "publish" in response.content.decode().lower()
    event.refresh_from_db()
    assert event.publication == "draft"


def test_deleting_in_the_admin_is_recorded_with_the_values_deleted(client, editor):
    event = published_event()
    doomed = QuoteFactory(
        event=event, source=event.quotes.get().source, text="A second round is planned for April."
    )
    response = client.post(
        "/admin/timeline/quote/",
        {"action": "delete_selected", "_selected_action": [doomed.pk], "post": "yes"},
    )
    assert response.status_code == 302 and not Quote.objects.filter(pk=doomed.pk).exists()
    gone = Quote.history.filter(id=doomed.pk).first()
    assert gone.history_type == "-" and gone.text == doomed.text and gone.history_user == editor


def test_an_import_records_what_it_created_and_changed():
    document = {
        "format": "ceasefire-timeline/1",
        "sources": [{"slug": "memo", "title": "Memo", "text": "Talks resume on Friday."}],
        "actors": [{"slug": "envoy", "name": "The envoy", "kind": "person"}],
        "events": [
            {
                "slug": "talks-resume",
                "title": "Talks resume",
                "kind": "meeting",
                "status": "planned",
                "start": "2025-03-21",
                "date_basis": "The memo says Friday.",
                "actors": [{"actor": "envoy", "role": "principal"}],
                "quotes": [{"source": "memo", "speaker": None, "text": "Talks resume on Friday."}],
            }
        ],
    }
    timeline_import(document=document)
    event = Event.objects.get(slug="talks-resume")
    assert [r.history_type for r in event.history.all()] == ["+"]
    for model in (Source, Actor, Participation, Quote):
        assert model.history.filter(history_type="+").count() == 1, model

    document["events"][0]["title"] = "Talks resume in Riyadh"
    timeline_import(document=document)
    changed = event.history.first()
    assert changed.title == "Talks resume in Riyadh" and changed.prev_record.title == "Talks resume"


def test_a_source_correction_records_the_quotes_it_orphans():
    """Re-anchoring writes quotes with bulk_update(): their history has it."""
    quote = QuoteFactory(text="A second round is planned for April.")
    source = quote.source
    source.text = source.text.replace("April", "May")
    source_save(source=source)
    last = quote.history.first()
    assert last.status == Quote.Status.ORPHANED and last.prev_record.status == "verified"
    assert source.history.first().text == source.text


def test_bulk_updates_record_history_but_a_touch_of_the_time_alone_does_not():
    event = EventFactory()  # published, with no quote: moved back to draft
    assert events_unpublish_unbacked(event_ids={event.pk}) == [event]
    last = event.history.first()
    assert last.publication == "draft" and last.prev_record.publication == "published"
    Event.objects.filter(pk=event.pk).update(updated_at=datetime.datetime.now(datetime.UTC))
    assert event.history.count() == 2  # updated_at is not part of the history


def test_an_admin_bulk_action_records_history(client, editor):
    draft = published_event(publication="draft")
    response = client.post(
        "/admin/timeline/event/", {"action": "publish_drafts", "_selected_action": [draft.pk]}
    )
    assert response.status_code == 302
    last = draft.history.first()
    assert last.publication == "published" and last.history_user == editor


def test_generated_benchmark_data_writes_no_history():
    made = generate(count=30, seed=5, actor_count=3, prefix="h-")
    assert made["events"] == 30 and Event.objects.count() == 30
    assert not Event.history.exists() and not Quote.history.exists()


def test_public_pages_never_read_the_history(client):
    event = published_event()
    with CaptureQueriesContext(connection) as queries:
        for url in ("/", event.get_absolute_url(), "/events.json", "/events.atom"):
            assert client.get(url).status_code == 200, url
    assert not [q["sql"] for q in queries if "historical" in q["sql"].lower()]


def test_records_from_before_the_history_get_a_first_record_when_it_begins(seeded):
    # As a database from before migration 0011 stands: records, no history.
    import importlib

    from django.apps import apps

    baseline = importlib.import_module("timeline.migrations.0015_history_baseline")
    for model in (Actor, Source, Event, Participation, Quote):
        model.history.all().delete()
    kept = QuoteFactory()  # one that has its history already
    baseline.record_baseline(apps, None)
    for model in (Actor, Source, Event, Participation, Quote):
        assert model.history.count() == model.objects.count(), model
    assert kept.history.count() == 1
    event = Event.objects.get(slug="trump-putin-call")
    first = event.history.get()
    assert (first.history_type, first.title, first.start) == ("+", event.title, event.start)

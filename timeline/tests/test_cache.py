"""The data version: one bump per committed write operation, from every write
path, so that a reader's next request shows the edit.

These tests commit for real (transaction=True): the bump runs on commit, as
in production. Each write-path test first reads the page an anonymous
reader gets, so that it is cached, then writes, then reads again."""

import copy
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import F

from timeline.cache import data_changed, data_version
from timeline.models import Actor, Event, Quote

from .factories import ActorFactory, QuoteFactory
from .test_admin import event_change_form, source_form

pytestmark = pytest.mark.django_db(transaction=True)


def chart_hover_text(client, query: str = "") -> str:
    """What the chart shows on hover, as an anonymous reader gets the page."""
    html = client.get(f"/{query}").content.decode()
    start = html.index('<script id="timeline-figure" type="application/json">')
    figure = json.loads(html[start : html.index("</script>", start)].split(">", 1)[1])
    return "\n".join(text for trace in figure["data"] for text in trace.get("text", []))


def test_the_seed_import_is_one_bump(seed_document):
    from timeline.services import timeline_import

    before = data_version()
    timeline_import(document=seed_document)
    assert Event.objects.count() == 18
    assert data_version() == before + 1


def test_a_refused_import_bumps_nothing(seed_document):
    from timeline.services import TimelineImportError, timeline_import

    document = copy.deepcopy(seed_document)
    document["events"][0]["quotes"][0]["text"] = "Words the article never printed."
    before = data_version()
    with pytest.raises(TimelineImportError):
        timeline_import(document=document)
    assert data_version() == before and not Event.objects.exists()


def test_one_transaction_bumps_once_and_only_when_it_commits():
    before = data_version()
    with transaction.atomic():
        for _ in range(5):
            data_changed()
        assert data_version() == before  # not yet: another worker would cache old data
    assert data_version() == before + 1
    with transaction.atomic():
        data_changed()
        transaction.set_rollback(True)
    assert data_version() == before + 1


def test_a_reader_revalidating_after_an_edit_gets_the_new_page(client, admin_client):
    quote = QuoteFactory(event__title="Before the correction")
    etag = client.get("/")["ETag"]
    assert client.get("/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    data = event_change_form(quote, ActorFactory(), title="After the correction")
    response = admin_client.post(f"/admin/timeline/event/{quote.event.pk}/change/", data)
    assert response.status_code == 302
    again = client.get("/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and "After the correction" in again.content.decode()


def test_a_restored_database_never_reuses_a_version_for_other_data():
    """Versions go back with a restore; the stamp in keys and ETags is new at
    every bump, so the same number later names different data."""
    from timeline.cache import request_cache_version
    from timeline.models import DataVersion

    class Request:
        pass

    data_changed()
    seen = request_cache_version(Request())
    DataVersion.objects.filter(pk=1).update(number=F("number") - 1)  # the restore
    data_changed()
    assert request_cache_version(Request()) != seen


def test_a_rolled_back_savepoint_does_not_cancel_the_outer_change():
    before = data_version()
    with transaction.atomic():
        with transaction.atomic():
            data_changed()
            transaction.set_rollback(True)
        data_changed()
    assert data_version() == before + 1


# Write paths. Each changes what the chart shows, and fails if its bump is lost.


def test_admin_save_with_inlines(client, admin_client):
    quote = QuoteFactory()
    event, actor = quote.event, ActorFactory(name="Added inline")
    assert "Added inline" not in chart_hover_text(client)
    data = event_change_form(quote, actor)
    response = admin_client.post(f"/admin/timeline/event/{event.pk}/change/", data)
    assert response.status_code == 302
    assert "Actors: Added inline" in chart_hover_text(client)


def test_admin_delete(client, admin_client):
    quote = QuoteFactory(event__title="Deleted by an editor")
    assert "Deleted by an editor" in chart_hover_text(client)
    url = f"/admin/timeline/event/{quote.event.pk}/delete/"
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert "Deleted by an editor" not in chart_hover_text(client)


def test_admin_bulk_delete_action(client, admin_client):
    quotes = [QuoteFactory(event__title=f"Bulk deleted {n}") for n in range(3)]
    assert "Bulk deleted 2" in chart_hover_text(client)
    data = {
        "action": "delete_selected",
        "_selected_action": [str(q.event.pk) for q in quotes],
        "post": "yes",
    }
    assert admin_client.post("/admin/timeline/event/", data).status_code == 302
    assert "Bulk deleted" not in chart_hover_text(client)


def test_admin_actor_rename(client, admin_client):
    quote = QuoteFactory()
    actor = ActorFactory(name="Old name")
    quote.event.participations.create(actor=actor)
    assert "Old name" in chart_hover_text(client)
    data = {"name": "New name", "slug": actor.slug, "kind": actor.kind, "description": ""}
    assert admin_client.post(f"/admin/timeline/actor/{actor.pk}/change/", data).status_code == 302
    assert "Actors: New name" in chart_hover_text(client)


def test_admin_source_correction_reanchors_and_shows(client, admin_client):
    quote = QuoteFactory()
    event_url = quote.event.get_absolute_url()
    assert "Orphaned" not in client.get(event_url).content.decode()
    text = quote.source.text.replace(quote.text, "Something else entirely.")
    url = f"/admin/timeline/source/{quote.source.pk}/change/"
    assert admin_client.post(url, source_form(quote.source, text)).status_code == 302
    assert "orphaned" in client.get(event_url).content.decode().lower()


def test_admin_source_retitle(client, admin_client):
    quote = QuoteFactory()
    assert "Retitled report" not in client.get("/sources/").content.decode()
    data = {**source_form(quote.source, quote.source.text), "title": "Retitled report"}
    url = f"/admin/timeline/source/{quote.source.pk}/change/"
    assert admin_client.post(url, data).status_code == 302
    assert "Retitled report" in client.get("/sources/").content.decode()


def test_admin_attach_passage(client, admin_client):
    quote = QuoteFactory()
    source, event = quote.source, quote.event
    before = client.get("/events.json").json()["events"][0]["quotes"]
    passage = "A second round is planned for April."
    url = f"/admin/timeline/source/{source.pk}/attach-quote/"
    data = {"event": event.pk, "speaker": "", "text": passage, "start": source.text.index(passage)}
    assert admin_client.post(url, data).status_code == 302
    after = client.get("/events.json").json()["events"][0]["quotes"]
    assert len(after) == len(before) + 1


def test_import(client, seeded, seed_document):
    from timeline.services import timeline_import

    assert "Retitled by an import" not in chart_hover_text(client)
    # Only the event: its source and actors are already there.
    event = copy.deepcopy(seed_document["events"][0])
    event["title"] = "Retitled by an import"
    timeline_import(document={"format": seed_document["format"], "events": [event]})
    assert "Retitled by an import" in chart_hover_text(client)


def test_check_quotes_after_a_text_changed_behind_the_apps_back(client):
    quote = QuoteFactory()
    assert client.get("/events.json").json()["events"][0]["quotes"][0]["start"] is not None
    with connection.cursor() as cursor:  # as a database restore or a raw fix would
        cursor.execute("UPDATE timeline_source SET text = %s", ["Nothing quoted is left."])
    with pytest.raises(Exception, match="orphaned"):
        call_command("check_quotes", stdout=io.StringIO())
    assert client.get("/events.json").json()["events"][0]["quotes"][0]["start"] is None
    assert Quote.objects.get(pk=quote.pk).is_orphaned


def test_generate_events(client):
    assert "0 events in the timeline" in client.get("/").content.decode()
    call_command("generate_events", "--count", "12", "--seed", "2", stdout=io.StringIO())
    assert "12 events in the timeline" in client.get("/").content.decode()


def test_queryset_update(client):
    quote = QuoteFactory()
    assert "Renamed after correction" not in chart_hover_text(client)
    Event.objects.filter(pk=quote.event.pk).update(title="Renamed after correction")
    assert "Renamed after correction" in chart_hover_text(client)


def test_many_to_many_add_and_remove(client):
    quote = QuoteFactory()
    actor = Actor.objects.create(name="Joined later", slug="joined-later", kind="state")
    assert "Joined later" not in chart_hover_text(client)
    quote.event.actors.add(actor)
    assert "Actors: Joined later" in chart_hover_text(client)
    quote.event.actors.remove(actor)
    assert "Joined later" not in chart_hover_text(client)


def test_quote_delete_through_the_queryset(client):
    kept = QuoteFactory()
    dropped = QuoteFactory(
        event=kept.event, source=kept.source, text="A second round is planned for April."
    )
    url = kept.event.get_absolute_url()
    assert dropped.text in client.get(url).content.decode()
    Quote.objects.filter(pk=dropped.pk).delete()
    assert dropped.text not in client.get(url).content.decode()
    assert kept.text.split(" ")[0] in client.get(url).content.decode()

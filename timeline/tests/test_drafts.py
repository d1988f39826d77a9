"""Drafts are for editors: no public page, export, feed or API shows them,
or counts them."""

import pytest

from timeline.models import Event

from .factories import ActorFactory, QuoteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_and_published(db):
    """Written for this test: two events on one source, by one actor."""
    actor = ActorFactory(name="Shared actor", slug="shared-actor")
    published = QuoteFactory(event__title="Published meeting", event__slug="published-one")
    draft = QuoteFactory(
        event__title="Draft meeting under embargo",
        event__slug="draft-under-embargo",
        event__publication=Event.Publication.DRAFT,
        source=published.source,
        text="A second round is planned for April.",
    )
    for quote in (published, draft):
        quote.event.participations.create(actor=actor)
    return draft.event, actor, published.source


PUBLIC_URLS = [
    "/", "/?actor=shared-actor", "/embed/", "/chart.json?from=2024-01-01&to=2026-01-01",
    "/events.json", "/events.csv", "/quotes.csv", "/events.ics", "/events.atom",
    "/timelinejs.json",
    "/actors/shared-actor/", "/sources/",
]  # fmt: skip


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_no_public_page_shows_a_draft(client, draft_and_published, url):
    _, _, source = draft_and_published
    html = body(client.get(url, HTTP_HX_REQUEST="true" if "actor=" in url else ""))
    # What the page shows of the published event (the source list shows its source).
    assert (source.title if url == "/sources/" else "Published meeting") in html
    assert "under embargo" not in html and "draft-under-embargo" not in html


def test_drafts_are_not_counted_nor_quoted(client, draft_and_published):
    draft, actor, source = draft_and_published
    assert client.get("/events.json").json()["count"] == 1
    assert "1 event in the timeline" in client.get("/").content.decode()
    form = client.get("/").content.decode()
    # The shared actor's count and the source's; the draft's own actor is not offered.
    assert f'id="count-actor-{actor.slug}">1<' in form
    assert f'id="count-source-{source.slug}">1<' in form
    source_page = client.get(source.get_absolute_url()).content.decode()
    assert f'href="{draft.get_absolute_url()}"' not in source_page
    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_publishing_a_draft_shows_it(client, draft_and_published):
    draft, _, _ = draft_and_published
    assert "1 of 1 events involve" in client.get("/?actor=shared-actor").content.decode()
    Event.objects.filter(pk=draft.pk).update(publication=Event.Publication.PUBLISHED)
    assert "2 of 2 events involve" in client.get("/?actor=shared-actor").content.decode()
    assert client.get("/events.json").json()["count"] == 2
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_actors_and_sources_only_a_draft_names_stay_unknown(client, admin_client, db):
    # Written for this test: an embargoed story's subject and document.
    from .factories import SourceFactory

    envoy = ActorFactory(name="Secret envoy", slug="secret-envoy")
    memo = SourceFactory(title="Embargoed memo", slug="embargoed-memo")
    draft = QuoteFactory(event__publication=Event.Publication.DRAFT, source=memo, speaker=envoy)
    draft.event.participations.create(actor=envoy)
    QuoteFactory(event__title="Something public")
    assert client.get("/actors/secret-envoy/").status_code == 404
    assert client.get("/sources/embargoed-memo/").status_code == 404
    assert "Embargoed memo" not in client.get("/sources/").content.decode()
    html = client.get("/?actor=secret-envoy&source=embargoed-memo").content.decode()
    assert "Secret envoy" not in html and "Embargoed memo" not in html
    assert "Ignored 1 unknown actor" in html and "Ignored 1 unknown source" in html
    assert admin_client.get("/actors/secret-envoy/").status_code == 200  # editors see it
    assert admin_client.get("/sources/embargoed-memo/").status_code == 200


def test_an_event_whose_last_quote_goes_is_a_draft_again(admin_client, client, db):
    from timeline.services import source_save

    deleted = QuoteFactory(event__title="Loses its only quote")
    deleted.event.participations.create(actor=ActorFactory())
    url = f"/admin/timeline/quote/{deleted.pk}/delete/"
    response = admin_client.post(url, {"post": "yes"}, follow=True)
    assert "is a draft again" in response.content.decode()
    assert Event.objects.get(pk=deleted.event.pk).publication == Event.Publication.DRAFT

    # A source correction that orphans the last quote keeps the event public,
    # its quote marked orphaned: readers see the correction.
    orphaned = QuoteFactory(event__title="Its source was corrected")
    orphaned.event.participations.create(actor=ActorFactory())
    source = orphaned.source
    source.text = source.text.replace(orphaned.text, "Words that differ now.")
    source_save(source=source)
    assert Event.objects.get(pk=orphaned.event.pk).publication == Event.Publication.PUBLISHED
    assert "orphaned" in client.get(orphaned.event.get_absolute_url()).content.decode()

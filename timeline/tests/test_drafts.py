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
    "/actors/shared-actor/", "/sources/",
]  # fmt: skip


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_no_public_page_shows_a_draft(client, draft_and_published, url):
    html = body(client.get(url, HTTP_HX_REQUEST="true" if "actor=" in url else ""))
    assert "Published meeting" in html or url in ("/sources/",)
    assert "under embargo" not in html and "draft-under-embargo" not in html


def test_drafts_are_not_counted_nor_quoted(client, draft_and_published):
    draft, actor, source = draft_and_published
    assert client.get("/events.json").json()["count"] == 1
    assert "1 event in the timeline" in client.get("/").content.decode()
    form = client.get("/").content.decode()
    assert 'aria-label="1 events"' in form  # the shared actor's and the source's counts
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

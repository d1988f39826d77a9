"""/events.atom as a feed reader reads it (feedparser)."""

import feedparser
import pytest

from timeline.cache import data_changed
from timeline.models import Event

from .factories import QuoteFactory

pytestmark = pytest.mark.django_db


def parsed(client, url="/events.atom"):
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/atom+xml")
    return feedparser.parse(response.content)


@pytest.mark.django_db(transaction=True)
def test_the_feed_lists_the_newest_and_corrected_events_first(client, seeded):
    feed = parsed(client)
    assert not feed.bozo and feed.version == "atom10"
    assert len(feed.entries) == Event.objects.count()
    swap = Event.objects.get(slug="prisoner-swap")
    swap.title = "175-for-175 prisoner exchange, as corrected"
    swap.save()
    data_changed()  # as the admin and the services do after a save
    first = parsed(client).entries[0]
    assert first.title == "175-for-175 prisoner exchange, as corrected"
    assert first.link == "http://testserver/events/prisoner-swap/"
    assert (
        first.id == "tag:testserver,2025:event:prisoner-swap"
    )  # stable: an update, not a new entry
    assert first.updated_parsed >= parsed(client).entries[-1].updated_parsed


def test_entries_carry_the_date_and_the_quotes_with_their_sources(client, seeded):
    entry = next(e for e in parsed(client).entries if e.id.endswith(":prisoner-swap"))
    summary = entry.summary
    assert "19 March 2025" in summary and "<blockquote>" in summary
    assert {tag.term for tag in entry.tags} >= {"Prisoner exchange", "Russia", "Ukraine"}


def test_the_feed_takes_the_timelines_filter(client, seeded):
    feed = parsed(client, "/events.atom?actor=keir-starmer")
    starmer = Event.objects.filter(participations__actor__slug="keir-starmer")
    assert {e.id.rsplit(":", 1)[1] for e in feed.entries} == set(
        starmer.values_list("slug", flat=True)
    )
    assert client.get("/events.atom?actor=nobody-here").status_code == 400
    self_link = next(link.href for link in feed.feed.links if link.rel == "self")
    assert (
        self_link == "http://testserver/events.atom?actor=keir-starmer"
    )  # subscribe to what was read


def test_markup_in_the_data_stays_text(client):
    # Written for this test: a title and quote that try to inject markup.
    QuoteFactory(event__title="<script>alert(1)</script> talks", event__slug="markup")
    entry = parsed(client).entries[0]
    assert entry.title == "<script>alert(1)</script> talks"
    assert "<script>" not in entry.summary

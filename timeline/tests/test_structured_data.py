"""Event pages carry schema.org Event data (JSON-LD) for search engines and
link previews: a data block, never code, escaped like json_script."""

import json
import re

import pytest

from .factories import QuoteFactory

pytestmark = pytest.mark.django_db


def json_ld(html: str) -> dict:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block.group(1))


def test_event_page_describes_the_event_for_search_engines(client, seeded):
    data = json_ld(client.get("/events/prisoner-swap/").content.decode())
    assert data["@type"] == "Event" and data["@context"] == "https://schema.org"
    assert data["startDate"] == "2025-03-19" and "endDate" not in data
    assert data["url"] == "http://testserver/events/prisoner-swap/"
    assert {party["name"] for party in data["organizer"] + data["attendee"]} >= {
        "Russia",
        "Ukraine",
    }
    quote = data["subjectOf"][0]
    assert quote["@type"] == "Quotation" and quote["text"]


def test_spans_and_vague_dates_keep_their_precision(client, seeded):
    from timeline.models import Event

    span = Event.objects.exclude(end=None).first()
    data = json_ld(client.get(span.get_absolute_url()).content.decode())
    assert (data["startDate"], data["endDate"]) == (span.start.isoformat(), span.end.isoformat())
    # Written for this test: an event known only to the month.
    vague = QuoteFactory(event__precision="month", event__slug="known-to-the-month").event
    assert (
        json_ld(client.get(vague.get_absolute_url()).content.decode())["startDate"]
        == (vague.start.isoformat()[:7])
    )


def test_the_block_cannot_end_the_script(client):
    # Written for this test: a title that tries to close the script element.
    quote = QuoteFactory(event__title="</script><script>alert(1)</script>")
    html = client.get(quote.event.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in html
    assert json_ld(html)["name"] == "</script><script>alert(1)</script>"
    # The fragment for the side panel is not a page: no structured data in it.
    panel = client.get(quote.event.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert "application/ld+json" not in panel

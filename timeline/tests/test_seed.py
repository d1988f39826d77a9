"""The seed fixture: every quote is the article's own characters, every date
says how it was established, and the events land on the right days."""

import datetime
import hashlib
from pathlib import Path

import pytest

from timeline.models import Event, Quote, Source

# The fingerprint of ../shared/seed/000_b5b04960cd2eaf9c.txt, byte for byte.
SEED_ARTICLE_SHA256 = "3e99211a7de93f3e424d859b8a64b1a2b6a17fc8234aacada80f37d61cec3012"
SHARED_ARTICLE = (
    Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_b5b04960cd2eaf9c.txt"
)


def test_source_text_is_the_article_byte_for_byte(seed_document):
    text = seed_document["sources"][0]["text"]
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == SEED_ARTICLE_SHA256
    if SHARED_ARTICLE.exists():
        assert text.encode("utf-8") == SHARED_ARTICLE.read_bytes()


def test_every_quote_in_the_fixture_occurs_in_its_source(seed_document):
    texts = {source["slug"]: source["text"] for source in seed_document["sources"]}
    for event in seed_document["events"]:
        assert event["quotes"], f"{event['slug']} has no quote"
        for quote in event["quotes"]:
            assert quote["text"] in texts[quote["source"]], (event["slug"], quote["text"])


def test_every_event_says_how_its_date_was_established(seed_document):
    for event in seed_document["events"]:
        assert len(event["date_basis"]) > 20, event["slug"]


@pytest.mark.django_db
def test_imported_quotes_point_at_their_own_characters(seeded):
    for quote in Quote.objects.select_related("source"):
        assert quote.source.text[quote.start : quote.end] == quote.text


@pytest.mark.django_db
def test_publisher_and_url_are_recorded_as_unknown(seeded):
    source = Source.objects.get()
    assert source.publisher == ""
    assert source.url == ""
    assert "unknown" in source.notes


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("slug", "start", "end"),
    [
        ("trump-putin-call", datetime.date(2025, 3, 18), None),
        ("energy-strike-pause", datetime.date(2025, 3, 18), datetime.date(2025, 4, 17)),
        ("prisoner-swap", datetime.date(2025, 3, 19), None),
        ("starmer-trump-call", datetime.date(2025, 3, 17), None),
        ("coalition-of-the-willing-call", datetime.date(2025, 3, 15), None),
        ("black-sea-talks-agreed", datetime.date(2025, 3, 18), None),
    ],
)
def test_relative_dates_resolve_against_wednesday_19_march_2025(seeded, slug, start, end):
    event = Event.objects.get(slug=slug)
    assert (event.start, event.end) == (start, end)


@pytest.mark.django_db
def test_prisoner_swap_quote_backs_today_wed(seeded):
    swap = Event.objects.get(slug="prisoner-swap")
    assert "today (Wed)" in swap.date_basis
    assert any("175-for-175" in quote.text for quote in swap.quotes.all())

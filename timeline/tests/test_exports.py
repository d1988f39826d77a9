"""The timeline in spreadsheets and calendars: /events.csv, /quotes.csv and
/events.ics, read back the way their users' tools read them."""

import csv
import datetime
import io

import icalendar
import pytest

from timeline.models import Event, Quote

from .factories import ActorFactory, EventFactory, QuoteFactory

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # as Excel reads it
    return list(csv.DictReader(io.StringIO(text)))


def calendar(response) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(response.content)


def test_events_csv_has_a_row_per_event_in_timeline_order(client, seeded):
    response = client.get("/events.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="events.csv"'
    rows = csv_rows(response)
    assert [row["slug"] for row in rows] == list(
        Event.objects.for_timeline().values_list("slug", flat=True)
    )
    swap = next(row for row in rows if row["slug"] == "prisoner-swap")
    assert swap["start"] == "2025-03-19" and swap["precision"] == "day"
    assert swap["status"] == "planned" and swap["kind"] == "prisoner_exchange"
    assert swap["url"] == "http://testserver/events/prisoner-swap/"
    assert "Russia (principal)" in swap["actors"] and swap["quote_count"] == "1"
    pause = next(row for row in rows if row["end"])
    assert pause["end"] == "2025-04-17"


def test_quotes_csv_has_every_quote_with_its_exact_text_and_offsets(client, seeded):
    rows = csv_rows(client.get("/quotes.csv"))
    assert len(rows) == Quote.objects.count()
    for row in rows:
        quote = Quote.objects.select_related("source").get(pk=row["quote_id"])
        assert row["text"] == quote.text  # character for character, curly quotes included
        assert quote.source.text[int(row["start"]) : int(row["end"])] == quote.text


def test_exports_take_the_timelines_filter(client, seeded):
    rows = csv_rows(client.get("/events.csv?actor=keir-starmer"))
    assert {row["slug"] for row in rows} == set(
        Event.objects.filter(participations__actor__slug="keir-starmer").values_list(
            "slug", flat=True
        )
    )
    refused = client.get("/events.csv?actor=no-such-actor")
    assert refused.status_code == 400 and b"unknown actor" in refused.content


def test_cells_a_spreadsheet_would_run_are_neutralised(client):
    # Written for this test: titles as an attacker might type them.
    for n, title in enumerate(['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"]):
        QuoteFactory(event__title=title, event__slug=f"formula-{n}")
    titles = {row["slug"]: row["title"] for row in csv_rows(client.get("/events.csv"))}
    assert titles == {
        "formula-0": '\'=HYPERLINK("http://x")',
        "formula-1": "'+1+1",
        "formula-2": "'-2+3",
        "formula-3": "'@SUM(A1)",
    }


def test_calendar_parses_with_all_day_events_spans_and_stable_uids(client, seeded):
    feed = calendar(client.get("/events.ics"))
    events = feed.walk("VEVENT")
    assert len(events) == Event.objects.count()
    by_uid = {str(event["UID"]): event for event in events}
    swap = by_uid["prisoner-swap@testserver"]
    assert swap.decoded("DTSTART") == datetime.date(2025, 3, 19)
    assert swap.decoded("DTEND") == datetime.date(2025, 3, 20)  # all day: the next day, exclusive
    assert str(swap["URL"]) == "http://testserver/events/prisoner-swap/"
    pause = next(event for event in events if "30-day" in str(event["SUMMARY"]))
    assert pause.decoded("DTEND") - pause.decoded("DTSTART") == datetime.timedelta(days=31)
    again = calendar(client.get("/events.ics?actor=russia")).walk("VEVENT")
    assert {str(event["UID"]) for event in again} <= set(by_uid)


def test_calendar_text_is_escaped_and_folded(client):
    # Written for this test: a title with every character iCalendar escapes.
    QuoteFactory(event__title="Talks; round 2, Geneva\\Bern\nday two", event__slug="escaped")
    raw = client.get("/events.ics").content.decode()
    assert "SUMMARY:Talks\\; round 2\\, Geneva\\\\Bern\\nday two" in raw
    assert all(len(line.encode()) <= 75 for line in raw.split("\r\n"))
    event = calendar(client.get("/events.ics")).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Talks; round 2, Geneva\\Bern\nday two"


def test_calendar_description_says_how_the_date_was_established(client, seeded):
    events = calendar(client.get("/events.ics")).walk("VEVENT")
    swap = next(e for e in events if str(e["UID"]).startswith("prisoner-swap@"))
    description = str(swap["DESCRIPTION"])
    assert "How the date was established: " in description
    assert Event.objects.get(slug="prisoner-swap").date_basis in description
    assert "\u201c" in description  # the quote, with its source


def test_exports_are_public_cacheable_pages(client, seeded):
    for url in ("/events.csv", "/quotes.csv", "/events.ics"):
        response = client.get(url)
        assert response["ETag"].startswith('"') and "public" in response["Cache-Control"], url
        assert not response.cookies, url
        assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304, url


@pytest.mark.parametrize("size", [5, 60])
def test_export_query_count_does_not_grow(client, django_assert_num_queries, size):
    actor = ActorFactory()
    for _ in range(size):
        event = EventFactory()
        event.participations.create(actor=actor)
        QuoteFactory(event=event)
    # The data version, then events, their actors and their quotes, chunk by chunk.
    with django_assert_num_queries(4):
        assert len(csv_rows(client.get("/events.csv"))) == size


def test_vague_and_rejected_events_say_so_in_the_calendar(client):
    # Written for this test: an event known only to the month, and a rejected proposal.
    QuoteFactory(
        event__slug="in-march", event__precision="month", event__start=datetime.date(2025, 3, 14)
    )
    QuoteFactory(event__slug="turned-down", event__status="rejected")
    events = {
        str(e["UID"]).split("@")[0]: e for e in calendar(client.get("/events.ics")).walk("VEVENT")
    }
    march = events["in-march"]
    assert (march.decoded("DTSTART"), march.decoded("DTEND")) == (
        datetime.date(2025, 3, 1),
        datetime.date(2025, 4, 1),
    )
    assert str(march["STATUS"]) == "TENTATIVE"
    assert str(events["turned-down"]["STATUS"]) == "CANCELLED"


def timelinejs(client, url="/timelinejs.json") -> dict:
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return response.json()


def test_timelinejs_document_has_the_formats_shape(client, seeded):
    """TimelineJS3's JSON format (timeline.knightlab.com/docs/json-format.html):
    a title slide, and events with start_date objects of numbers."""
    document = timelinejs(client)
    assert set(document) == {"title", "events"}
    assert document["title"]["text"]["headline"] == "Ceasefire Timeline"
    slides = document["events"]
    assert len(slides) == Event.objects.count()
    assert len({slide["unique_id"] for slide in slides}) == len(slides)
    swap = next(slide for slide in slides if slide["unique_id"] == "prisoner-swap")
    assert swap["start_date"] == {"year": 2025, "month": 3, "day": 19} and "end_date" not in swap
    assert swap["group"] == "Prisoner exchange" and swap["display_date"] == "19 March 2025"
    assert "Planned · Prisoner exchange" in swap["text"]["text"]
    assert "<blockquote>" in swap["text"]["text"] and "Russia" in swap["text"]["text"]
    pause = next(slide for slide in slides if "end_date" in slide)
    assert pause["end_date"] == {"year": 2025, "month": 4, "day": 17}


def test_timelinejs_dates_keep_their_precision_and_text_is_escaped(client):
    # Written for this test: a month-precision event whose title carries markup.
    QuoteFactory(
        event__slug="vague",
        event__title="<img src=x onerror=alert(1)> talks",
        event__precision="month",
        event__start=datetime.date(2025, 3, 14),
    )
    [slide] = timelinejs(client)["events"]
    assert slide["start_date"] == {"year": 2025, "month": 3}
    assert slide["text"]["headline"] == "&lt;img src=x onerror=alert(1)&gt; talks"
    assert client.get("/timelinejs.json?actor=nobody").status_code == 400

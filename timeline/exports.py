"""The timeline in the formats people already use: CSV for spreadsheets,
iCalendar (RFC 5545) for calendars, and TimelineJS3's JSON for newsrooms'
TimelineJS embeds. Pure encoders over events read with
for_timeline(); the views only choose the events and the response.

Spreadsheet safety: a cell that starts with =, +, -, @, a tab or a carriage
return is read as a formula by Excel, LibreOffice and Google Sheets, so such
a cell gets a leading apostrophe (OWASP's advice); so does a cell that
starts with an apostrophe, so that importing the file gives back exactly
the text exported (spreadsheet_unsafe_undone). iCalendar text is escaped
and folded by the icalendar package.
"""

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Iterator

import icalendar
from django.utils.html import escape, format_html, format_html_join

from .models import Event

EVENT_COLUMNS = [
    "slug", "title", "summary", "start", "end", "precision", "date_inferred", "earliest",
    "latest", "date_basis", "status", "kind", "actors", "quote_count", "url",
]  # fmt: skip
QUOTE_COLUMNS = [
    "event", "event_title", "quote_id", "speaker", "source", "source_title", "text", "start",
    "end", "status", "url",
]  # fmt: skip
SOURCE_COLUMNS = [
    "slug", "title", "publisher", "url", "published_on", "retrieved_at", "notes", "sha256",
    "text",
]  # fmt: skip
_NEUTRALISED_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def spreadsheet_safe(value) -> str:
    """A cell's text, neutralised when a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_NEUTRALISED_STARTS) else text


def spreadsheet_unsafe_undone(text: str) -> str:
    """The text spreadsheet_safe() was given, from the cell it wrote."""
    if text.startswith("'") and text[1:].startswith(_NEUTRALISED_STARTS):
        return text[1:]
    return text


def csv_lines(columns: list[str], rows: Iterable[dict]) -> Iterator[str]:
    """The header and then one line per row, each cell spreadsheet-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
        return buffer.getvalue()

    yield "\ufeff" + line(columns)  # the BOM tells Excel the file is UTF-8
    for row in rows:
        yield line(row[column] for column in columns)


def event_rows(events: Iterable[Event], absolute_url: Callable[[str], str]) -> Iterator[dict]:
    for event in events:
        yield {
            "slug": event.slug,
            "title": event.title,
            "summary": event.summary,
            "start": event.start.isoformat(),
            "end": _iso(event.end),
            "precision": event.precision,
            "date_inferred": "yes" if event.date_inferred else "no",
            "earliest": _iso(event.earliest),
            "latest": _iso(event.latest),
            "date_basis": event.date_basis,
            "status": event.status,
            "kind": event.kind,
            "actors": "; ".join(f"{p.actor.name} ({p.role})" for p in event.participations.all()),
            "quote_count": len(event.quotes.all()),
            "url": absolute_url(event.get_absolute_url()),
        }


def quote_rows(events: Iterable[Event], absolute_url: Callable[[str], str]) -> Iterator[dict]:
    for event in events:
        for quote in event.quotes.all():
            yield {
                "event": event.slug,
                "event_title": event.title,
                "quote_id": quote.pk,
                "speaker": quote.speaker.name if quote.speaker else "",
                "source": quote.source.slug,
                "source_title": quote.source.title,
                "text": quote.text,
                "start": "" if quote.start is None else quote.start,
                "end": "" if quote.end is None else quote.end,
                "status": quote.status,
                "url": absolute_url(quote.get_absolute_url()),
            }


def source_rows(sources: Iterable) -> Iterator[dict]:
    for source in sources:
        yield {
            "slug": source.slug,
            "title": source.title,
            "publisher": source.publisher,
            "url": source.url,
            "published_on": _iso(source.published_on),
            "retrieved_at": source.retrieved_at.isoformat() if source.retrieved_at else "",
            "notes": source.notes,
            "sha256": source.sha256,
            "text": source.text,
        }


def timeline_document(
    events: Iterable[Event], sources: Iterable, *, title=None, actors=None, backup: bool = False
) -> dict:
    """This app's own JSON document (format ceasefire-timeline/1), as
    manage.py import_timeline reads it: the events with their actors and
    quotes (with ids, so a re-import keeps them), the sources with their full
    text and the actors they name (or `actors`, when given).

    `backup` (manage.py export_timeline) keeps what a restore needs besides:
    each event's publication (drafts are exported too), when it was created
    and last changed, its corrections, and where each quote stands in its
    source (which occurrence, or orphaned with the context it had)."""
    events = list(events)
    if actors is None:
        actors = {}
        for event in events:
            actors.update((p.actor.slug, p.actor) for p in event.participations.all())
            actors.update((q.speaker.slug, q.speaker) for q in event.quotes.all() if q.speaker)
        actors = actors.values()
    document = {"format": "ceasefire-timeline/1"}
    if title is not None:
        document.update(title=title.title, description=title.description)
    document["sources"] = [
        {key: value for key, value in row.items() if key != "sha256"}
        for row in source_rows(sources)
    ]
    for source in document["sources"]:
        for key in ("published_on", "retrieved_at"):
            source[key] = source[key] or None
    document["actors"] = [
        {
            "slug": a.slug,
            "name": a.name,
            "kind": a.kind,
            "description": a.description,
            "aliases": a.aliases,
        }
        for a in sorted(actors, key=lambda actor: actor.slug)
    ]
    document["events"] = [_document_event(event, backup=backup) for event in events]
    return document


def _document_event(event: Event, *, backup: bool) -> dict:
    record = {
        "slug": event.slug,
        "title": event.title,
        "summary": event.summary,
        "kind": event.kind,
        "status": event.status,
        "start": event.start.isoformat(),
        "end": _iso(event.end) or None,
        "precision": event.precision,
        "date_inferred": event.date_inferred,
        "earliest": _iso(event.earliest) or None,
        "latest": _iso(event.latest) or None,
        "date_basis": event.date_basis,
        "actors": [{"actor": p.actor.slug, "role": p.role} for p in event.participations.all()],
        "quotes": [_document_quote(quote, backup=backup) for quote in event.quotes.all()],
    }
    if backup:
        record["publication"] = event.publication
        record["created_at"] = event.created_at.isoformat()
        record["updated_at"] = event.updated_at.isoformat()
        record["corrections"] = [
            {"date": c.created_at.isoformat(), "note": c.note, "changes": c.changes}
            for c in event.corrections.all()
        ]
    return record


def _document_quote(quote, *, backup: bool) -> dict:
    record = {
        "id": quote.pk,
        "source": quote.source.slug,
        "speaker": quote.speaker.slug if quote.speaker else None,
        "text": quote.text,
    }
    if backup:
        record.update(
            start=quote.start, status=quote.status, prefix=quote.prefix, suffix=quote.suffix
        )
    return record


def events_calendar(
    events: Iterable[Event],
    *,
    name: str,
    uid_domain: str,
    absolute_url: Callable[[str], str],
) -> bytes:
    """An iCalendar feed: one all-day VEVENT per event, a span as a
    multi-day event (DTEND is the day after its last day, as RFC 5545
    wants). UIDs are made of the slug, which never changes, so a
    subscribed calendar updates its events instead of duplicating them."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Ceasefire Timeline//events.ics//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for event in events:
        entry = icalendar.Event()
        entry.add("uid", f"{event.slug}@{uid_domain}")
        first, after_last = _calendar_days(event)
        entry.add("dtstamp", event.updated_at)  # when the record was last revised
        entry.add("dtstart", first)
        entry.add("dtend", after_last)
        entry.add("summary", event.title)
        entry.add("description", _calendar_description(event))
        entry.add("url", absolute_url(event.get_absolute_url()))
        entry.add("status", _calendar_status(event))
        entry.add("categories", [event.get_kind_display()])
        calendar.add_component(entry)
    return calendar.to_ical()


_NOT_YET = {Event.Status.PLANNED, Event.Status.PROPOSED}


def _calendar_days(event: Event) -> tuple[datetime.date, datetime.date]:
    """The first day and the day after the last (RFC 5545's all-day DTEND):
    a span's days, or all the month or year a vague date lies in."""
    if event.is_span:
        return event.start, event.end + datetime.timedelta(days=1)
    if event.precision == Event.Precision.YEAR:
        return event.start.replace(month=1, day=1), event.start.replace(
            year=event.start.year + 1, month=1, day=1
        )
    if event.precision == Event.Precision.MONTH:
        first = event.start.replace(day=1)
        return first, (first + datetime.timedelta(days=32)).replace(day=1)
    return event.start, event.start + datetime.timedelta(days=1)


def _calendar_status(event: Event) -> str:
    if event.status == Event.Status.REJECTED:
        return "CANCELLED"
    if event.status in _NOT_YET or event.is_uncertain or event.precision != Event.Precision.DAY:
        return "TENTATIVE"
    return "CONFIRMED"


def _calendar_description(event: Event) -> str:
    """What a calendar shows when the event is opened: the date as known,
    how it was established, the actors, and every quote with its source."""
    inferred = ", inferred" if event.date_inferred else ""
    lines = [
        f"{event.get_status_display()} · {event.get_kind_display()}. "
        f"{event.date_display}{inferred}.",
        f"How the date was established: {event.date_basis}",
    ]
    if event.summary:
        lines.append(event.summary)
    actors = ", ".join(p.actor.name for p in event.participations.all())
    if actors:
        lines.append(f"Actors: {actors}")
    for quote in event.quotes.all():
        who = quote.speaker.name if quote.speaker else "the source"
        lines.append(f"\u201c{quote.text}\u201d ({who}; {quote.source.title})")
    return "\n".join(lines)


def _iso(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""


def timelinejs_document(
    events: Iterable[Event], *, title: str, absolute_url: Callable[[str], str]
) -> dict:
    """TimelineJS3's JSON format: a title slide and one slide per event,
    dated to its known precision (a month-precision event has no day), spans
    with an end date, lanes (groups) by kind. TimelineJS renders headline
    and text as HTML, so every value is escaped here; the text carries the
    status, the actors and each quote with who said it and where."""
    slides = [_timelinejs_slide(event, absolute_url) for event in events]
    return {
        "title": {
            "text": {
                "headline": escape(title),
                "text": escape(
                    f"{len(slides)} events, each backed by quotes copied exactly from its sources."
                ),
            }
        },
        "events": slides,
    }


def _timelinejs_slide(event: Event, absolute_url) -> dict:
    actors = ", ".join(p.actor.name for p in event.participations.all())
    quotes = format_html_join(
        "",
        "<blockquote>{}<br><small>{}, in {}</small></blockquote>",
        (
            (q.text, q.speaker.name if q.speaker else "The source", q.source.title)
            for q in event.quotes.all()
        ),
    )
    text = format_html(
        '<p>{} · {}. {}</p>{}<p><a href="{}">Sources and dates</a></p>',
        event.get_status_display(),
        event.get_kind_display(),
        f"Actors: {actors}." if actors else "",
        quotes,
        absolute_url(event.get_absolute_url()),
    )
    slide = {
        "unique_id": event.slug,
        "start_date": _timelinejs_date(event.start, event.precision),
        "display_date": escape(event.date_display),
        "group": event.get_kind_display(),
        "text": {"headline": escape(event.title), "text": str(text)},
        "autolink": False,
    }
    if event.is_span:
        slide["end_date"] = _timelinejs_date(event.end, event.precision)
    return slide


def _timelinejs_date(day: datetime.date, precision: str) -> dict:
    date = {"year": day.year}
    if precision != Event.Precision.YEAR:
        date["month"] = day.month
    if precision == Event.Precision.DAY:
        date["day"] = day.day
    return date

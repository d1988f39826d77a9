"""Reading files people already have into this app's timeline document
(format ceasefire-timeline/1, imported by services.timeline_import).

Pure functions over text, no database: each reader turns one format into a
document plus notes (what the format has that the app does not keep, which
the import report shows, so nothing is dropped silently). Formats:

- own: this app's JSON document (as /timeline.json exports it);
- csv: this app's own CSV exports (/sources.csv, /events.csv, /quotes.csv),
  one or several of them together, each recognised by its header;
- timelinejs-json: TimelineJS3's JSON (title, events, eras);
- timelinejs-csv: TimelineJS's spreadsheet template saved as CSV.

Where a format is silent, the document says so: an actor named only by a
TimelineJS Group has kind "unknown"; an event's date basis names the file
it came from; TimelineJS events have no quotes and so arrive as drafts.
"""

import calendar
import csv
import datetime
import io
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import PurePath

from django.utils.text import slugify

from .exports import EVENT_COLUMNS, QUOTE_COLUMNS, SOURCE_COLUMNS, spreadsheet_unsafe_undone
from .text import SLUG_LENGTH, is_ascii_number, numbered_slug

DOCUMENT_FORMAT = "ceasefire-timeline/1"
FORMATS = ("own", "csv", "timelinejs-json", "timelinejs-csv")

TIMELINEJS_COLUMNS = [
    "Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time",
    "Display Date", "Headline", "Text", "Media", "Media Credit", "Media Caption",
    "Media Thumbnail", "Type", "Group", "Background",
]  # fmt: skip
_TIMELINEJS_NOT_KEPT = ["Media", "Media Credit", "Media Caption", "Media Thumbnail", "Background"]
# A source's full text is one cell of sources.csv: csv's default limit
# (128 KiB a cell) would refuse this app's own export of a long article.
csv.field_size_limit(max(csv.field_size_limit(), 64 * 1024 * 1024))


class UnreadableFile(Exception):
    """A file that is not in any format the import reads; `errors` say why."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class Reading:
    format: str
    document: dict
    notes: list[str] = field(default_factory=list)


def read_files(files: list[tuple[str, bytes]], format: str | None = None) -> Reading:
    """One document from `files` ((name, content) pairs), in `format` or the
    format detected from their content."""
    if not files:
        raise UnreadableFile(["No file was given."])
    texts = [(name, _decode(name, content)) for name, content in files]
    try:
        return _read(texts, format)
    except csv.Error as error:  # e.g. a carriage return alone inside a cell
        names = ", ".join(name for name, _ in texts)
        raise UnreadableFile([f"{names}: not readable as CSV ({error})."]) from error


def _read(texts: list[tuple[str, str]], format: str | None) -> Reading:
    formats = {name: format or detect_format(name, text) for name, text in texts}
    if len(set(formats.values())) > 1:
        found = ", ".join(f"{name}: {found}" for name, found in formats.items())
        raise UnreadableFile(
            [f"The files are in different formats ({found}); import them one by one."]
        )
    chosen = next(iter(formats.values()))
    if chosen not in FORMATS:
        raise UnreadableFile([f"Unknown format {chosen!r}; use one of {', '.join(FORMATS)}."])
    if chosen != "csv" and len(texts) > 1:
        raise UnreadableFile(
            [f"Only this app's CSV exports are imported together; {chosen} is one file."]
        )
    if chosen == "csv":
        return from_app_csv(texts)
    name, text = texts[0]
    if chosen == "timelinejs-csv":
        return from_timelinejs_csv(name, text)
    data = _json(name, text)
    if chosen == "timelinejs-json":
        return from_timelinejs_json(name, data)
    return Reading("own", data)


def detect_format(name: str, text: str) -> str:
    """own, csv, timelinejs-json or timelinejs-csv, from the content."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith(("{", "[")):
        data = _json(name, text)
        if isinstance(data, dict) and data.get("format") == DOCUMENT_FORMAT:
            return "own"
        if (
            isinstance(data, dict)
            and ("events" in data or "title" in data)
            and "format" not in data
        ):
            return "timelinejs-json"
        raise UnreadableFile(
            [
                f"{name}: JSON, but neither this app's document (format {DOCUMENT_FORMAT!r}) "
                "nor TimelineJS3's (title, events)."
            ]
        )
    header = next(csv.reader(io.StringIO(stripped)), [])
    columns = {column.strip() for column in header}
    if {"Year", "Headline"} <= columns:
        return "timelinejs-csv"
    if any(set(known) <= columns for known in (EVENT_COLUMNS, QUOTE_COLUMNS, SOURCE_COLUMNS)):
        return "csv"
    raise UnreadableFile(
        [
            f"{name}: not a format this app reads. Expected this app's JSON document, its "
            "events.csv, quotes.csv or sources.csv, TimelineJS3 JSON, or a TimelineJS "
            "spreadsheet saved as CSV (with Year and Headline columns)."
        ]
    )


def html_to_text(html: str) -> str:
    """TimelineJS's HTML reduced to plain text: tags and scripts dropped,
    entities decoded, paragraphs and line breaks kept as new lines."""
    parser = _TextOnly()
    parser.feed(str(html) if html else "")  # TimelineJS JSON may hold a number or true here
    parser.close()
    text = "".join(parser.parts)
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


class _TextOnly(HTMLParser):
    _SKIPPED = {"script", "style", "template", "noscript", "iframe", "object"}
    _BREAKS = {"br", "p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "tr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIPPED:
            self.skipping += 1
        elif tag in self._BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self._SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self._BREAKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


# -- TimelineJS ---------------------------------------------------------------


def from_timelinejs_json(name: str, data) -> Reading:
    if not isinstance(data, dict):
        raise UnreadableFile([f"{name}: TimelineJS3 JSON must be an object with events."])
    builder = _TimelineJSBuilder(name, "timelinejs-json")
    title = data.get("title")
    if isinstance(title, dict):
        text = title.get("text") if isinstance(title.get("text"), dict) else {}
        builder.set_title("title", text.get("headline", ""), text.get("text", ""))
    for key in ("events", "eras"):
        items = data.get(key, [])
        if not isinstance(items, list):
            builder.errors.append(f"{key}: must be a list.")
            continue
        for index, item in enumerate(items):
            path = f"{key}[{index}]"
            if not isinstance(item, dict):
                builder.errors.append(f"{path}: must be an object.")
                continue
            text = item.get("text") if isinstance(item.get("text"), dict) else {}
            start = _timelinejs_json_date(
                item.get("start_date"), f"{path}.start_date", builder.errors
            )
            end = _timelinejs_json_date(item.get("end_date"), f"{path}.end_date", builder.errors)
            if start is None:
                if "start_date" not in item:
                    builder.errors.append(f"{path}.start_date: required.")
                continue
            builder.add(
                path,
                start=start,
                end=end,
                headline=text.get("headline", ""),
                text=text.get("text", ""),
                group=item.get("group", ""),
                display_date=item.get("display_date", ""),
                unique_id=item.get("unique_id", ""),
                era=key == "eras",
                dropped=[k for k in ("media", "background") if item.get(k)],
            )
    return builder.reading()


def from_timelinejs_csv(name: str, text: str) -> Reading:
    reader = csv.DictReader(io.StringIO(text))
    missing = {"Year", "Headline"} - {column.strip() for column in reader.fieldnames or []}
    if missing:
        raise UnreadableFile(
            [f"{name}: not a TimelineJS spreadsheet; no {' or '.join(sorted(missing))} column."]
        )
    builder = _TimelineJSBuilder(name, "timelinejs-csv")
    for number, raw in enumerate(reader, start=2):  # row 1 is the header
        # Cells past the header's columns (key None) belong to no column.
        row = {key.strip(): (value or "").strip() for key, value in raw.items() if key is not None}
        path = f"row {number}"
        kind = row.get("Type", "").lower()
        if kind == "title":
            builder.set_title(path, row.get("Headline", ""), row.get("Text", ""))
            continue
        if not any(row.values()):
            continue
        start = _timelinejs_csv_date(row, "", path, builder.errors)
        end = _timelinejs_csv_date(row, "End ", path, builder.errors)
        if start is None:
            continue
        builder.add(
            path,
            start=start,
            end=end,
            headline=row.get("Headline", ""),
            text=row.get("Text", ""),
            group=row.get("Group", ""),
            display_date=row.get("Display Date", ""),
            unique_id="",
            era=kind == "era",
            dropped=[column for column in _TIMELINEJS_NOT_KEPT if row.get(column)]
            + [column for column in ("Time", "End Time") if row.get(column)],
        )
        if kind not in ("", "title", "era"):
            builder.notes.append(
                f"{path}: Type {row['Type']!r} is not a TimelineJS type; read as an event."
            )
    return builder.reading()


@dataclass
class _PartialDate:
    day: datetime.date
    precision: str  # day, month or year


def _timelinejs_json_date(value, path, errors) -> _PartialDate | None:
    if value in (None, ""):
        return None
    if not isinstance(value, dict):
        errors.append(f"{path}: must be an object with year, month and day.")
        return None
    parts = {key: value.get(key) for key in ("year", "month", "day")}
    return _partial_date(
        parts, lambda key: f"{path}.{key}", path, errors, end=path.endswith("end_date")
    )


def _timelinejs_csv_date(row, prefix, path, errors) -> _PartialDate | None:
    parts = {key: row.get(f"{prefix}{key.title()}", "") or None for key in ("year", "month", "day")}
    if parts["year"] is None:
        if not prefix and any(parts.values()):
            errors.append(f"{path}.Year: required with Month or Day.")
        elif not prefix:
            errors.append(f"{path}.Year: required (every event needs a date).")
        return None
    columns = "/".join(f"{prefix}{key.title()}" for key in parts)
    return _partial_date(
        parts, lambda key: f"{path}.{prefix}{key.title()}", f"{path}.{columns}", errors,
        end=bool(prefix),
    )  # fmt: skip


def _partial_date(parts, part_path, path, errors, *, end: bool) -> _PartialDate | None:
    """A date from year, month and day, to the precision they give. An end
    known to the month or year lasts to its last day."""
    numbers = {}
    for key, value in parts.items():
        if value in (None, ""):
            continue
        try:
            numbers[key] = int(str(value).strip())
        except ValueError:
            errors.append(f"{part_path(key)}: {value!r} is not a number.")
            return None
    if "year" not in numbers:
        errors.append(f"{part_path('year')}: required.")
        return None
    if "day" in numbers and "month" not in numbers:
        errors.append(f"{part_path('month')}: required with a day.")
        return None
    year, month = numbers["year"], numbers.get("month")
    precision = "day" if "day" in numbers else "month" if month else "year"
    try:
        if precision == "day":
            day = datetime.date(year, month, numbers["day"])
        elif precision == "month":
            last = calendar.monthrange(year, month)[1] if end else 1
            day = datetime.date(year, month, last)
        else:
            day = datetime.date(year, 12, 31) if end else datetime.date(year, 1, 1)
    except (ValueError, TypeError) as error:
        errors.append(f"{path}: {year}-{month}-{numbers.get('day')} is not a date ({error}).")
        return None
    return _PartialDate(day, precision)


class _TimelineJSBuilder:
    """Collects TimelineJS slides into a document: Group becomes an actor
    (kind unknown: the spreadsheet does not say), eras become spans, the
    title slide the timeline's title."""

    def __init__(self, name: str, format: str):
        self.name = name
        self.format = format
        self.events: list[dict] = []
        self.actors: dict[str, dict] = {}
        self.notes: list[str] = []
        self.errors: list[str] = []
        self.title: str | None = None
        self.description = ""
        self.slugs: set[str] = set()
        self.dropped: dict[str, list[str]] = {}

    def set_title(self, path, headline, text):
        self.title = html_to_text(headline)
        self.description = html_to_text(text)
        self.notes.append(f"{path}: the title slide sets the timeline's title to {self.title!r}.")

    def add(
        self, path, *, start, end, headline, text, group, display_date, unique_id, era, dropped
    ):
        title = html_to_text(str(headline or ""))
        if not title:
            self.errors.append(
                f"{path}.{'headline' if self.format.endswith('json') else 'Headline'}: required."
            )
            return
        slug = self._slug(unique_id, title, start)
        kind = "JSON" if self.format.endswith("json") else "spreadsheet"
        basis = f"Dated by the TimelineJS {kind} {PurePath(self.name).name}"
        if display_date:
            basis += f", which displays it as \u201c{html_to_text(str(display_date))}\u201d"
        event = {
            "slug": slug,
            "title": title[:300],
            "summary": html_to_text(str(text or "")),
            # TimelineJS has no kind or status: an editor sets them before publishing.
            "kind": "other",
            "status": "occurred",
            "start": start.day.isoformat(),
            "end": end.day.isoformat() if end and end.day > start.day else None,
            "precision": start.precision,
            "date_basis": basis + ".",
            "actors": [],
            "quotes": [],
        }
        group_name = html_to_text(str(group or ""))
        if group_name:
            # Without a kind, an actor record is a reference: an existing actor
            # of that name is used as it is; a new one's kind is "unknown".
            actor = self.actors.setdefault(
                group_name,
                {
                    "slug": slugify(group_name)[:SLUG_LENGTH] or "group",
                    "name": group_name,
                    "description": "A TimelineJS group; what kind of actor it is was not stated.",
                },
            )
            event["actors"].append({"actor": actor["slug"], "role": "participant"})
        self.events.append(event)
        if era:
            self.notes.append(f"{path}: an era, imported as the span event {slug!r}.")
        if end and end.day < start.day:
            self.errors.append(f"{path}: the end date is before the start date.")
        for column in dropped:
            self.dropped.setdefault(column, []).append(path)

    def _slug(self, unique_id, title, start: "_PartialDate") -> str:
        """unique_id when the slide has one, else its headline and its date
        to its precision: the same row gives the same slug at every import."""
        base = slugify(unique_id)[:SLUG_LENGTH] if unique_id else ""
        if not base:
            date = start.day.isoformat()[: {"day": 10, "month": 7, "year": 4}[start.precision]]
            base = f"{slugify(title)[: SLUG_LENGTH - 11].strip('-') or 'event'}-{date}"
        slug = numbered_slug(base, self.slugs.__contains__)
        self.slugs.add(slug)
        return slug

    def reading(self) -> Reading:
        if self.errors:
            raise UnreadableFile(self.errors)
        document = {
            "format": DOCUMENT_FORMAT,
            "sources": [],
            "actors": list(self.actors.values()),
            "events": self.events,
        }
        if self.title:
            document["title"] = self.title
            document["description"] = self.description
        notes = self.notes + [
            f"{column} not kept (the app keeps no media and no times of day): {', '.join(paths)}."
            for column, paths in self.dropped.items()
        ]
        notes += (
            [
                f"{len(self.events)} event(s) have no source quotes in TimelineJS, so they "
                "arrive as drafts; kind 'other' and status 'occurred' are placeholders "
                "for an editor to set before publishing."
            ]
            if self.events
            else []
        )
        return Reading(self.format, document, notes)


# -- this app's CSV exports ----------------------------------------------------


def from_app_csv(texts: list[tuple[str, str]]) -> Reading:
    """sources.csv, events.csv and quotes.csv (any of them) into one
    document. Actors are named in events.csv as "Name (role)"; one not in
    the database is created with kind "unknown"."""
    sources, events, quotes, notes, errors = [], [], [], [], []
    for name, text in texts:
        reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
        columns = set(reader.fieldnames or [])
        rows = [
            (
                number,
                {key: spreadsheet_unsafe_undone(value or "") for key, value in row.items() if key},
            )
            for number, row in enumerate(reader, start=2)
        ]
        if set(SOURCE_COLUMNS) <= columns:
            sources.extend(_source_record(row) for number, row in rows)
        elif set(EVENT_COLUMNS) <= columns:
            events.extend(_event_record(name, number, row, errors) for number, row in rows)
        elif set(QUOTE_COLUMNS) <= columns:
            quotes.extend((name, number, row) for number, row in rows)
        else:
            errors.append(f"{name}: not one of this app's CSV exports (sources, events, quotes).")
    by_slug = {event["slug"]: event for event in events if event}
    actors: dict[str, dict] = {}
    for event in by_slug.values():
        for participation in event["actors"]:
            actors.setdefault(participation["actor"], participation.pop("name"))
    for name, number, row in quotes:
        event = by_slug.get(row["event"])
        if event is None:
            errors.append(
                f"{name} row {number}.event: {row['event']!r} is not in the events imported with it."
            )
            continue
        speaker = row["speaker"] or None
        if speaker:
            actors.setdefault(slugify(speaker)[:SLUG_LENGTH], speaker)
        quote = {
            "source": row["source"],
            "speaker": speaker and slugify(speaker)[:SLUG_LENGTH],
            "text": row["text"],
        }
        if is_ascii_number(row.get("quote_id", "")):
            quote["id"] = int(row["quote_id"])
        event["quotes"].append(quote)
    if errors:
        raise UnreadableFile(errors)
    document = {
        "format": DOCUMENT_FORMAT,
        "sources": sources,
        # References (no kind): an actor of that slug or name is used as it is.
        "actors": [{"slug": slug, "name": name} for slug, name in actors.items()],
        "events": list(by_slug.values()),
    }
    if events and not quotes:
        notes.append("No quotes.csv came with events.csv: events without quotes arrive as drafts.")
    return Reading("csv", document, notes)


def _source_record(row) -> dict:
    return {
        key: (row[key] or None) if key in ("published_on", "retrieved_at") else row[key]
        for key in (
            "slug",
            "title",
            "publisher",
            "url",
            "published_on",
            "retrieved_at",
            "notes",
            "text",
        )
    }


_ACTOR_CELL = re.compile(r"^(?P<name>.+?) \((?P<role>[a-z]+)\)$")


def _event_record(name, number, row, errors) -> dict | None:
    participations = []
    for part in filter(None, (part.strip() for part in row["actors"].split(";"))):
        match = _ACTOR_CELL.match(part)
        if not match:
            errors.append(f"{name} row {number}.actors: {part!r} is not \u201cName (role)\u201d.")
            continue
        participations.append(
            {
                "actor": slugify(match["name"])[:SLUG_LENGTH],
                "role": match["role"],
                "name": match["name"],
            }
        )
    if row["date_inferred"] not in ("yes", "no"):
        errors.append(
            f"{name} row {number}.date_inferred: {row['date_inferred']!r} is not yes or no."
        )
    return {
        "slug": row["slug"],
        "title": row["title"],
        "summary": row["summary"],
        "kind": row["kind"],
        "status": row["status"],
        "start": row["start"] or None,
        "end": row["end"] or None,
        "precision": row["precision"],
        "date_inferred": row["date_inferred"] == "yes",
        "earliest": row["earliest"] or None,
        "latest": row["latest"] or None,
        "date_basis": row["date_basis"],
        "actors": participations,
        "quotes": [],
    }


def _decode(name: str, content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile([f"{name} is not UTF-8 text: {error}"]) from error


def _json(name: str, text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise UnreadableFile(
            [f"{name} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"]
        ) from error
    except (ValueError, RecursionError) as error:  # a number of 4,300+ digits; nesting too deep
        raise UnreadableFile([f"{name} is not JSON this app reads: {error}"]) from error

"""The API's description: an OpenAPI 3.1 document, as Python data, of every
JSON and export endpoint (served at /api/openapi.json), and the operations
as the reference page at /api/ lists them (reference_page).

The document is built from the code's own declarations so that it cannot
drift from it: paths from urls.py, CSV columns from exports.py, the fields
of the timeline document from the import that reads it (services.py), enums
from the models' TextChoices, limits from filters.py and views.py, caching
headers from http_cache.py and the settings.

Examples are real: each is what the app answers to the example's request
(its summary) with the seed (fixtures/ceasefire-2025-03.json) imported the
way `make run` imports it, served at EXAMPLE_ORIGIN. The seed's one source
is a 5,024-character article, so its text is cut after the first sentence
and marked ABRIDGED; and records' timestamps are those of the import that
produced the examples. tests/test_api.py asks the app again and compares.
"""

import json
import shlex
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from .exports import EVENT_COLUMNS, QUOTE_COLUMNS, SOURCE_COLUMNS
from .feeds import FEED_SIZE
from .filters import _SLUG, MAX_SEARCH_LENGTH, MAX_SEARCH_TERMS, MAX_VALUES, TRACKING_PARAMETERS
from .history import CORRECTED_EVENT_FIELDS
from .http_cache import VARY_ON
from .importing import DOCUMENT_FORMAT
from .models import (
    ActorKind,
    EventKind,
    EventPrecision,
    EventPublication,
    EventStatus,
    ParticipationRole,
    QuoteStatus,
)
from .services import (
    ACTOR_FIELDS,
    CORRECTION_FIELDS,
    EVENT_FIELDS,
    PARTICIPATION_FIELDS,
    QUOTE_FIELDS,
    SOURCE_FIELDS,
    TOP_LEVEL_KEYS,
)
from .views import JSON_PAGE_SIZE

OPENAPI_VERSION = "3.1.0"
EXAMPLE_ORIGIN = "http://127.0.0.1:8000"  # where `make run` serves the seed
EXAMPLE_ACTOR = "volodymyr-zelensky"
EXAMPLE_SOURCE = "untitled-article-2025-03-19"
EXAMPLE_RANGE = ("2025-03-17", "2025-03-21")
ABRIDGED = " […]"
_ABRIDGED_NOTE = "The source's text is cut after its first sentence here."
LARGEST_PAGE = 1_000_000  # what filters.parse_page accepts

_ARTICLE_OPENING = (
    "Donald Trump and Vladimir Putin have agreed to a partial ceasefire in Ukraine following "
    "historic talks." + ABRIDGED
)
_ARTICLE_NOTES = (
    "Publisher, headline and URL are not part of the text and are unknown; they are recorded as "
    "empty strings rather than guessed, and the title here is descriptive, not the article's "
    "headline. The article carries no dateline. The date 19 March 2025 is the day it was "
    "written, established from the notes supplied with the article: the article calls the "
    "prisoner swap \u201ctoday (Wed)\u201d, and the Trump\u2013Putin call it reports took place "
    "on Tuesday 18 March 2025, so it was written on Wednesday 19 March 2025. The text does not "
    "say when it was published; the date shown is that writing date. Relative dates in the "
    "article (\u201con Monday night\u201d, \u201con Saturday\u201d, \u201ctoday (Wed)\u201d) "
    "resolve against that Wednesday. The text is stored byte for byte as received (it has no "
    "trailing newline)."
)
_ARTICLE_TITLE = "Untitled news article on the Trump\u2013Putin call (19 March 2025)"
_EVENT_TITLE = "Zelensky yet to comment on the agreement"
_EVENT_SUMMARY = (
    "As of the article's writing, Ukrainian President Volodymyr Zelensky had not yet commented "
    "on the agreement."
)
_EVENT_DATE_BASIS = (
    "This describes the situation as of the article's writing on Wednesday 19 March 2025 (the "
    "writing date comes from the notes supplied with the article); the article says he "
    "\u201cis yet to comment\u201d."
)
_QUOTE_TEXT = "Ukrainian President Volodymyr Zelensky is yet to comment on the agreement."
_EXAMPLE_ETAG = '"6f78c16a.4d18986ba0fb3bdf-26e4947641f63a029dec33d8"'


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _enum(choices, description: str) -> dict:
    return {"type": "string", "enum": list(choices.values), "description": description}


def _text(description: str, **extra) -> dict:
    return {"type": "string", "description": description, **extra}


def _nullable(type_: str, description: str, **extra) -> dict:
    return {"type": [type_, "null"], "description": description, **extra}


def _object(properties: dict, description: str, *, optional=()) -> dict:
    # additionalProperties is left open on purpose: fields may be added to
    # every shape here, never removed or changed, and readers ignore the rest.
    return {
        "type": "object",
        "description": description,
        "required": [name for name in properties if name not in optional],
        "properties": properties,
    }


def _declared(fields, schemas: dict) -> dict:
    """`schemas` for exactly the fields the code declares: a field added to
    (or dropped from) the import fails here, not silently in the document."""
    if set(fields) != set(schemas):
        raise LookupError(
            f"The API document describes {sorted(schemas)}, the code declares {sorted(fields)}."
        )
    return schemas


def _schemas() -> dict:
    slug = {"type": "string", "pattern": f"^{_SLUG.pattern}$"}
    date = {"type": "string", "format": "date"}
    return {
        "Slug": {
            **slug,
            "title": "slug",
            "description": "A permanent name: letters, digits, - and _.",
        },
        "Date": {**date, "description": "A day, YYYY-MM-DD."},
        "PartialDate": {
            "type": "string",
            "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$",
            "description": "A day (YYYY-MM-DD), a month (YYYY-MM) or a year (YYYY).",
        },
        "Error": _object(
            {"error": _text("Why the request was refused, in words a person can act on.")},
            "A refused request.",
        ),
        "EventsPage": _object(
            {
                "count": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "How many events match the filter, on every page.",
                },
                "events": {
                    "type": "array",
                    "items": _ref("Event"),
                    "maxItems": JSON_PAGE_SIZE,
                    "description": f"One page of them, at most {JSON_PAGE_SIZE}, in timeline order.",
                },
            },
            "A page of the published events that match the filter.",
        ),
        "Event": _object(
            {
                "slug": {**_ref("Slug"), "description": "The event's permanent name."},
                "title": _text("What happened, in a line."),
                "summary": _text("A few sentences; may be empty."),
                "kind": _enum(EventKind, "What kind of event it is."),
                "status": _enum(EventStatus, "Whether it happened, was agreed, planned, …"),
                "start": {**_ref("Date"), "description": "Where the event is placed."},
                "end": _nullable("string", "A span's last day; null for one day.", format="date"),
                "precision": _enum(
                    EventPrecision,
                    "How much of `start` is known; the rest of the date is placement only.",
                ),
                "date_basis": _text("How the date was established, and what is left open."),
                "date_inferred": {
                    "type": "boolean",
                    "description": "True when no source states the date (`date_basis` says how "
                    "it was worked out).",
                },
                "earliest": _nullable(
                    "string", "An uncertain date's earliest day, or null.", format="date"
                ),
                "latest": _nullable(
                    "string", "An uncertain date's latest day, or null.", format="date"
                ),
                "url": _text("The event's page.", format="uri"),
                "actors": {
                    "type": "array",
                    "items": _ref("EventActor"),
                    "description": "Who took part, or is mentioned.",
                },
                "quotes": {
                    "type": "array",
                    "items": _ref("EventQuote"),
                    "description": "The words in the sources that back the event.",
                },
                "corrections": {
                    "type": "array",
                    "items": _ref("Correction"),
                    "description": "The corrections made to the event since it was published, "
                    "oldest first; empty when none. Never removed.",
                },
            },
            "A published event, its actors and the quotes that back it.",
        ),
        "Correction": _object(
            {
                "date": _text(
                    "When it was corrected (ISO 8601, with its offset).", format="date-time"
                ),
                "note": _text("The editor's note for readers: what was wrong, in one line."),
                "changes": {
                    "type": "array",
                    "items": _ref("CorrectionChange"),
                    "description": "What the correction changed: the event's fields first, "
                    "then its actors, then its quotes.",
                },
            },
            "A change to the event that its editor declared a correction.",
        ),
        "CorrectionChange": _object(
            {
                "field": {
                    "type": "string",
                    "enum": [*CORRECTED_EVENT_FIELDS, "actors", "quotes"],
                    "description": "An event field, by its name in this shape; or `actors` (one "
                    "actor, \u201cName (role)\u201d) or `quotes` (one quote, "
                    "\u201c\u201ctext\u201d \u2014 speaker, source\u201d).",
                },
                "before": {
                    "type": ["string", "boolean", "null"],
                    "description": "The value before, as this shape gives it; null for an "
                    "actor or quote added (or a field that was empty).",
                },
                "after": {
                    "type": ["string", "boolean", "null"],
                    "description": "The value after; null for an actor or quote removed.",
                },
            },
            "One change.",
        ),
        "EventActor": _object(
            {
                "slug": _ref("Slug"),
                "name": _text("The actor's name."),
                "kind": _enum(ActorKind, "What the actor is."),
                "role": _enum(ParticipationRole, "The actor's part in this event."),
            },
            "An actor of the event.",
        ),
        "EventQuote": _object(
            {
                "id": {
                    "type": "integer",
                    "description": "The quote's number, as in `#quote-<id>` links.",
                },
                "text": _text("Copied exactly from the source, character for character."),
                "speaker": {
                    "oneOf": [
                        _object(
                            {"slug": _ref("Slug"), "name": _text("The speaker's name.")},
                            "Who said these words.",
                        ),
                        {"type": "null"},
                    ],
                    "description": "Who said these words; null for the source's own narration.",
                },
                "source": _object(
                    {
                        "slug": _ref("Slug"),
                        "title": _text("The source's title."),
                        "url": _nullable("string", "Where it was published, or null if unknown."),
                    },
                    "Where the words are.",
                ),
                "start": _nullable(
                    "integer", "Offset of the first character in the source's text.", minimum=0
                ),
                "end": _nullable(
                    "integer", "Offset after the last character (end excluded).", minimum=0
                ),
                "status": _enum(
                    QuoteStatus,
                    "`verified`: the words are at start..end. `orphaned`: a corrected source "
                    "no longer contains them, and both offsets are null.",
                ),
            },
            "A quote, with where it is in its source.",
        ),
        "ChartFigure": _object(
            {
                "data": {
                    "type": "array",
                    "items": {"type": "object"},
                    "description": "Plotly traces: one per status (colour and symbol), or "
                    "counts per lane and day, week or month past 1,500 events.",
                },
                "layout": {
                    "type": "object",
                    "description": "Plotly layout; lanes are kinds (meta.lanes). Up to 40 events, "
                    "each is labelled with its short title: an annotation named by its URL.",
                },
            },
            "A Plotly figure, as the timeline's chart draws it.",
        ),
        "TimelineDocument": _object(
            _declared(
                TOP_LEVEL_KEYS,
                {
                    "format": {"const": DOCUMENT_FORMAT, "description": "The format's name."},
                    "title": _text("The timeline's title, when one was set."),
                    "description": _text("Its description, when a title was set."),
                    "sources": {"type": "array", "items": _ref("DocumentSource")},
                    "actors": {"type": "array", "items": _ref("DocumentActor")},
                    "events": {"type": "array", "items": _ref("DocumentEvent")},
                },
            ),
            "This app's own timeline document, as `manage.py import_timeline` reads it.",
            optional=("title", "description"),
        ),
        "DocumentSource": _object(
            _declared(
                SOURCE_FIELDS,
                {
                    "slug": _ref("Slug"),
                    "title": _text("The source's title."),
                    "publisher": _text("Who published it; empty when unknown."),
                    "url": _text("Where; empty when unknown."),
                    "published_on": _nullable("string", "When, or null.", format="date"),
                    "retrieved_at": _nullable(
                        "string", "When this text was obtained, or null.", format="date-time"
                    ),
                    "notes": _text("Provenance: how the date was established, what is unknown."),
                    "text": _text("The full text, exactly as published."),
                },
            ),
            "A source, with its full text.",
        ),
        "DocumentActor": _object(
            _declared(
                ACTOR_FIELDS,
                {
                    "slug": _ref("Slug"),
                    "name": _text("The actor's name."),
                    "kind": _enum(ActorKind, "What the actor is."),
                    "description": _text("Who the actor is."),
                    "aliases": _text(
                        "Other words the sources use for the actor, one per line; may be empty."
                    ),
                },
            ),
            "An actor named by the events or their quotes.",
            optional=("aliases",),
        ),
        "DocumentEvent": _object(
            _declared(
                EVENT_FIELDS,
                {
                    "slug": _ref("Slug"),
                    "title": _text("What happened, in a line."),
                    "summary": _text("A few sentences; may be empty."),
                    "kind": _enum(EventKind, "What kind of event it is."),
                    "status": _enum(EventStatus, "Whether it happened, was agreed, planned, …"),
                    "start": _ref("Date"),
                    "end": _nullable("string", "A span's last day, or null.", format="date"),
                    "precision": _enum(EventPrecision, "How much of `start` is known."),
                    "date_inferred": {"type": "boolean", "description": "No source states it."},
                    "earliest": _nullable("string", "Earliest possible day.", format="date"),
                    "latest": _nullable("string", "Latest possible day.", format="date"),
                    "date_basis": _text("How the date was established."),
                    "publication": _enum(
                        EventPublication,
                        "Read by the import; exported only by `manage.py export_timeline` "
                        "(the backup, drafts included).",
                    ),
                    "created_at": _text(
                        "Backup only: when the record was made; a new event keeps it.",
                        format="date-time",
                    ),
                    "updated_at": _text(
                        "Backup only: when it was last changed; a new event keeps it.",
                        format="date-time",
                    ),
                    "corrections": {
                        "type": "array",
                        "items": _object(
                            _declared(
                                CORRECTION_FIELDS,
                                {
                                    "date": _text("When.", format="date-time"),
                                    "note": _text("The editor's note for readers."),
                                    "changes": {
                                        "type": "array",
                                        "items": _ref("CorrectionChange"),
                                    },
                                },
                            ),
                            "A correction; one the event lacks (by date and note) is added.",
                        ),
                        "description": "Backup only: the event's corrections.",
                    },
                    "actors": {
                        "type": "array",
                        "items": _object(
                            _declared(
                                PARTICIPATION_FIELDS,
                                {
                                    "actor": _ref("Slug"),
                                    "role": _enum(ParticipationRole, "The actor's part."),
                                },
                            ),
                            "An actor of the event, by slug.",
                        ),
                    },
                    "quotes": {
                        "type": "array",
                        "items": _object(
                            _declared(
                                QUOTE_FIELDS,
                                {
                                    "id": {"type": "integer", "description": "Kept on import."},
                                    "source": _ref("Slug"),
                                    "speaker": {
                                        "oneOf": [_ref("Slug"), {"type": "null"}],
                                        "description": "Who said it, or null for the source.",
                                    },
                                    "text": _text("Exactly as in the source."),
                                    "start": _nullable(
                                        "integer",
                                        "Backup only: which occurrence of the words it is.",
                                        minimum=0,
                                    ),
                                    "status": _enum(
                                        QuoteStatus,
                                        "Backup only: `orphaned` keeps the quote orphaned.",
                                    ),
                                    "prefix": _text("Backup only: the text just before it."),
                                    "suffix": _text("Backup only: the text just after it."),
                                },
                            ),
                            "A quote, by source slug.",
                            optional=("start", "status", "prefix", "suffix"),
                        ),
                    },
                },
            ),
            "An event with its actors and quotes.",
            optional=("publication", "created_at", "updated_at", "corrections"),
        ),
        "TimelineJSDocument": _object(
            {
                "title": _object({"text": _ref("TimelineJSText")}, "The title slide."),
                "events": {"type": "array", "items": _ref("TimelineJSSlide")},
            },
            "TimelineJS3's JSON format; headline and text are escaped HTML.",
        ),
        "TimelineJSText": _object(
            {"headline": _text("Escaped HTML."), "text": _text("Escaped HTML.")},
            "A slide's words.",
        ),
        "TimelineJSDate": _object(
            {
                "year": {"type": "integer"},
                "month": {"type": "integer", "minimum": 1, "maximum": 12},
                "day": {"type": "integer", "minimum": 1, "maximum": 31},
            },
            "A date to its known precision: no day, or no month, when unknown.",
            optional=("month", "day"),
        ),
        "TimelineJSSlide": _object(
            {
                "unique_id": _ref("Slug"),
                "start_date": _ref("TimelineJSDate"),
                "end_date": _ref("TimelineJSDate"),
                "display_date": _text("The date as the timeline shows it."),
                "group": _text("The lane: the event's kind."),
                "text": _ref("TimelineJSText"),
                "autolink": {"type": "boolean"},
            },
            "One event.",
            optional=("end_date",),
        ),
        "OpenAPIDocument": _object(
            {
                "openapi": {"type": "string"},
                "info": {"type": "object"},
                "paths": {"type": "object"},
            },
            "This document.",
        ),
    }


def _parameters() -> dict:
    slugs = {
        "type": "array",
        "items": _ref("Slug"),
        "maxItems": MAX_VALUES,
    }
    return {
        "actor": {
            "name": "actor",
            "in": "query",
            "description": "Only events involving this actor, by slug (as in "
            "`/actors/<slug>/`). Repeat it for events involving any of them. An unknown or "
            f"malformed slug, or more than {MAX_VALUES}, is refused.",
            "schema": slugs,
            "style": "form",
            "explode": True,
            "example": [EXAMPLE_ACTOR],
        },
        "source": {
            "name": "source",
            "in": "query",
            "description": "Only events backed by a quote from this source, by slug (as in "
            "`/sources/<slug>/`). Repeat it for any of them; with `actor`, events that "
            "match both.",
            "schema": slugs,
            "style": "form",
            "explode": True,
            "example": [EXAMPLE_SOURCE],
        },
        "page": {
            "name": "page",
            "in": "query",
            "description": f"Which page of {JSON_PAGE_SIZE} events, from 1. The `Link` header "
            "names the next and previous pages.",
            "schema": {"type": "integer", "minimum": 1, "maximum": LARGEST_PAGE, "default": 1},
            "example": 1,
        },
        "q": {
            "name": "q",
            "in": "query",
            "description": "Search: only events in which every word begins a word of the "
            "title, the summary, a quote or an actor's name (e.g. `q=energy strikes`). "
            f"At most {MAX_SEARCH_LENGTH} characters and {MAX_SEARCH_TERMS} words are used.",
            "schema": {"type": "string"},
        },
        "from": {
            "name": "from",
            "in": "query",
            "description": "Only events any part of which (a span, or the range an uncertain "
            "date lies in) falls on or after this day: `YYYY-MM-DD`, or `YYYY-MM` or `YYYY` "
            "for the first day of that month or year (e.g. `from=2025-03`).",
            "schema": _ref("PartialDate"),
        },
        "to": {
            "name": "to",
            "in": "query",
            "description": "Only events any part of which falls on or before this day: "
            "`YYYY-MM-DD`, or `YYYY-MM` or `YYYY` for the last day of that month or year. Not "
            "before `from`.",
            "schema": _ref("PartialDate"),
        },
        "match": {
            "name": "match",
            "in": "query",
            "description": "With several `actor`s: `any` (the default) gives the events "
            "involving any of them, `all` only those in which all of them take part.",
            "schema": {"type": "string", "enum": ["any", "all"], "default": "any"},
        },
        "kind": {
            "name": "kind",
            "in": "query",
            "description": "Only events of this kind; repeat it for any of several.",
            "schema": {
                "type": "array",
                "items": _enum(EventKind, "A kind."),
                "maxItems": MAX_VALUES,
            },
            "style": "form",
            "explode": True,
        },
        "status": {
            "name": "status",
            "in": "query",
            "description": "Only events with this status; repeat it for any of several.",
            "schema": {
                "type": "array",
                "items": _enum(EventStatus, "A status."),
                "maxItems": MAX_VALUES,
            },
            "style": "form",
            "explode": True,
        },
        "lanes": {
            "name": "lanes",
            "in": "query",
            "description": "The chart's rows: one per event kind (the default) or one per "
            "principal actor. It selects nothing: every other endpoint accepts and ignores it.",
            "schema": {"type": "string", "enum": ["kind", "actor"], "default": "kind"},
        },
        # chart.json's examples frame a week; the same parameters as `from` and `to`.
        "chart_from": {
            "name": "from",
            "in": "query",
            "description": "The first day shown: `from` as for every endpoint.",
            "schema": _ref("PartialDate"),
            "example": EXAMPLE_RANGE[0],
        },
        "chart_to": {
            "name": "to",
            "in": "query",
            "description": "The last day shown: `to` as for every endpoint.",
            "schema": _ref("PartialDate"),
            "example": EXAMPLE_RANGE[1],
        },
        "If-None-Match": {
            "name": "If-None-Match",
            "in": "header",
            "description": "The `ETag` of a response kept from before: while the data has not "
            "changed the answer is a bodiless 304.",
            "schema": {"type": "string"},
            "example": _EXAMPLE_ETAG,
        },
    }


def _cache_control() -> str:
    return (
        f"public, max-age={settings.PUBLIC_CACHE_MAX_AGE}, "
        f"stale-while-revalidate={settings.PUBLIC_CACHE_STALE_WHILE_REVALIDATE}, "
        f"stale-if-error={settings.PUBLIC_CACHE_STALE_IF_ERROR}"
    )


def _headers() -> dict:
    return {
        "ETag": {
            "description": "A strong validator: the release, the data's version and the "
            "representation asked for. Send it back in `If-None-Match`.",
            "required": True,
            "schema": {"type": "string"},
            "example": _EXAMPLE_ETAG,
        },
        "Cache-Control": {
            "description": "Public: browsers, proxies and CDNs may keep the response, and "
            "revalidate it after `max-age` seconds.",
            "required": True,
            "schema": {"type": "string"},
            "example": _cache_control(),
        },
        "Vary": {
            "description": "What else, besides the URL and the host, the response depends on.",
            "required": True,
            "schema": {"type": "string"},
            "example": ", ".join(VARY_ON),
        },
    }


def _header_refs(*names: str) -> dict:
    return {name: {"$ref": f"#/components/headers/{name}"} for name in names}


def _example(request: str, value, description: str = "") -> dict:
    """An example response: `request` (path and query) is what produced it."""
    example = {"summary": f"GET {request}", "value": value}
    if description:
        example["description"] = description
    return example


def example_request(path: str, parameters: list[dict]) -> str:
    """`path` with every query parameter's example: the request each
    operation's 200 example answers."""
    pairs = []
    for parameter in parameters:
        if parameter["in"] == "query" and "example" in parameter:
            values = parameter["example"]
            pairs += [(parameter["name"], value) for value in _listed(values)]
    return f"{path}?{urlencode(pairs)}" if pairs else path


def _listed(value) -> list:
    return value if isinstance(value, list) else [value]


def _ok(description: str, media_type: str, schema: dict, example: dict, *headers: str) -> dict:
    return {
        "description": description,
        "headers": _header_refs("ETag", "Cache-Control", "Vary", *headers),
        "content": {media_type: {"schema": schema, "examples": {"seed": example}}},
    }


def _csv_ok(columns: list[str], example: dict) -> dict:
    listed = ", ".join(f"`{column}`" for column in columns)
    response = _ok(
        "The CSV file, UTF-8 with a byte order mark (so that Excel reads it as UTF-8). A cell "
        "that starts with =, +, -, @, a tab or a carriage return gets a leading apostrophe, so "
        f"that no spreadsheet runs it as a formula. Columns: {listed}.",
        "text/csv",
        {"type": "string"},
        example,
        "Content-Disposition",
    )
    response["x-columns"] = list(columns)
    return response


def _refused_json(request: str, error: str) -> dict:
    return {
        "description": "A refused filter or parameter, and why.",
        "content": {
            "application/json": {
                "schema": _ref("Error"),
                "examples": {"refused": _example(request, {"error": error})},
            }
        },
    }


def _refused_text(path: str) -> dict:
    return {
        "description": "A refused filter or parameter, and why, in one line of text.",
        "content": {
            "text/plain": {
                "schema": {"type": "string"},
                "examples": {
                    "refused": _example(
                        f"{path}?actor=nobody",
                        "Request refused: 1 unknown actor: \u201cnobody\u201d.\n",
                    )
                },
            }
        },
    }


_FILTERED = ("q", "from", "to", "actor", "match", "kind", "status", "source", "If-None-Match")


def openapi_document() -> dict:
    """The OpenAPI 3.1 document of the public JSON and export endpoints."""
    parameters = _parameters()
    paths = {}

    def located(name: str, parameter_names) -> tuple[str, str]:
        """The operation's path, and its example request (every example parameter)."""
        path = reverse(f"timeline:{name}")
        return path, example_request(path, [parameters[p] for p in parameter_names])

    def add(path, name, parameter_names, tag, summary, description, responses) -> None:
        if "If-None-Match" in parameter_names:
            responses["304"] = {"$ref": "#/components/responses/NotModified"}
        paths[path] = {
            "get": {
                "operationId": name,
                "tags": [tag],
                "summary": summary,
                "description": description,
                "parameters": [{"$ref": f"#/components/parameters/{p}"} for p in parameter_names],
                "responses": responses,
            }
        }

    names = (*_FILTERED[:-1], "page", "If-None-Match")
    path, request = located("events_json", names)
    add(
        path,
        "events_json",
        names,
        "JSON",
        "Events, filtered, as JSON",
        f"The published events that match the filter, {JSON_PAGE_SIZE} a page, in timeline "
        "order, with their actors and quotes. **The rule for this shape:** fields may be "
        "added, never removed or changed in meaning or type; read the fields you know and "
        "ignore the others.",
        {
            "200": _ok(
                "One page of events, and how many match in all.",
                "application/json",
                _ref("EventsPage"),
                _example(request, EVENTS_JSON_EXAMPLE),
                "Link",
            ),
            "400": _refused_json(
                f"{path}?actor=nobody", "Request refused: 1 unknown actor: \u201cnobody\u201d."
            ),
        },
    )

    names = ("q", "chart_from", "chart_to", *_FILTERED[3:-1], "lanes", "If-None-Match")
    path, request = located("chart_json", names)
    add(
        path,
        "chart_json",
        names,
        "JSON",
        "The chart's figure, for a date range",
        "The Plotly figure the timeline draws for the filter, framed on its `from` and `to`: "
        "what the chart fetches when the reader zooms or pans.",
        {
            "200": _ok(
                "A Plotly figure.",
                "application/json",
                _ref("ChartFigure"),
                _example(request, CHART_JSON_EXAMPLE),
            ),
            "400": _refused_json(
                f"{path}?from={EXAMPLE_RANGE[1]}&to={EXAMPLE_RANGE[0]}",
                "Request refused: from and to: to is before from.",
            ),
        },
    )

    path, request = located("timeline_json", _FILTERED)
    add(
        path,
        "timeline_json",
        _FILTERED,
        "Exports",
        "The timeline as this app's own document",
        f"The filtered events as a `{DOCUMENT_FORMAT}` document, with their actors, their "
        "quotes (ids included) and the sources' full texts: what `manage.py import_timeline` "
        "reads, to rebuild the timeline elsewhere.",
        {
            "200": _ok(
                "The document.",
                "application/json",
                _ref("TimelineDocument"),
                _example(request, TIMELINE_JSON_EXAMPLE, _ABRIDGED_NOTE),
                "Content-Disposition",
            ),
            "400": _refused_text(path),
        },
    )

    path, request = located("timelinejs_json", _FILTERED)
    add(
        path,
        "timelinejs_json",
        _FILTERED,
        "Exports",
        "The events for a TimelineJS embed",
        "TimelineJS3's JSON: a title slide, then one slide per event dated to its known "
        "precision, spans with an end date, lanes by kind; the status, actors and quotes with "
        "their attribution are in the slide's text (escaped HTML).",
        {
            "200": _ok(
                "TimelineJS3's JSON.",
                "application/json",
                _ref("TimelineJSDocument"),
                _example(request, TIMELINEJS_JSON_EXAMPLE),
            ),
            "400": _refused_text(path),
        },
    )

    for name, summary, description, columns, example, note in [
        (
            "events_csv",
            "Events as CSV",
            "One row per event: its dates as known and how they were established, status, "
            "kind, actors (\u201cName (role); \u2026\u201d), how many quotes back it, its "
            "address.",
            EVENT_COLUMNS,
            EVENTS_CSV_EXAMPLE,
            "",
        ),
        (
            "quotes_csv",
            "Quotes as CSV",
            "One row per quote of the events: its speaker and source, the text exactly as in "
            "the source, and the offsets into it.",
            QUOTE_COLUMNS,
            QUOTES_CSV_EXAMPLE,
            "",
        ),
        (
            "sources_csv",
            "Sources as CSV",
            "One row per source backing the events, with its full text and SHA-256 "
            "fingerprint: with events.csv and quotes.csv, everything an import needs.",
            SOURCE_COLUMNS,
            SOURCES_CSV_EXAMPLE,
            _ABRIDGED_NOTE,
        ),
    ]:
        path, request = located(name, _FILTERED)
        add(
            path,
            name,
            _FILTERED,
            "Exports",
            summary,
            f"{description} Streamed, in timeline order.",
            {
                "200": _csv_ok(columns, _example(request, example, note)),
                "400": _refused_text(path),
            },
        )

    path, request = located("events_ics", _FILTERED)
    add(
        path,
        "events_ics",
        _FILTERED,
        "Feeds",
        "Events as an iCalendar feed",
        "RFC 5545: one all-day event per timeline event, a span as a multi-day event. UIDs "
        "are made of the event's permanent slug, so a subscribed calendar updates its events "
        "instead of duplicating them; DTSTAMP is when the record was last revised.",
        {
            "200": _ok(
                "The calendar.",
                "text/calendar",
                {"type": "string"},
                _example(request, EVENTS_ICS_EXAMPLE),
            ),
            "400": _refused_text(path),
        },
    )

    path, request = located("events_atom", _FILTERED)
    add(
        path,
        "events_atom",
        _FILTERED,
        "Feeds",
        "New and corrected events as an Atom feed",
        f"The {FEED_SIZE} events most recently added or corrected. Entry ids are made of the "
        "event's permanent slug, so a feed reader shows a correction as an update.",
        {
            "200": _ok(
                "The feed.",
                "application/atom+xml",
                {"type": "string"},
                _example(request, EVENTS_ATOM_EXAMPLE),
            ),
            "400": _refused_text(path),
        },
    )

    path, request = located("healthz", ())
    never_cached = {
        "Cache-Control": {
            "description": "No cache may keep it.",
            "required": True,
            "schema": {"type": "string"},
        }
    }
    add(
        path,
        "healthz",
        (),
        "Service",
        "Health check",
        "What a load balancer asks: is the database there, is the cache? A dead cache degrades "
        "the site (pages are built from the database) but does not stop it, so only a dead "
        "database answers 503. Plain text, one line each.",
        {
            "200": {
                "description": "The database answers. The first line is `ok`, or "
                "`degraded: cache` when the cache does not.",
                "headers": never_cached,
                "content": {
                    "text/plain": {
                        "schema": {"type": "string"},
                        "examples": {"seed": _example(request, "ok\ndatabase: ok\ncache: ok\n")},
                    }
                },
            },
            "503": {
                "description": "The database does not answer.",
                "headers": never_cached,
                "content": {"text/plain": {"schema": {"type": "string"}}},
            },
        },
    )

    names = ("If-None-Match",)
    path, _ = located("api_openapi", names)
    add(
        path,
        "api_openapi",
        names,
        "Service",
        "This description",
        f"This OpenAPI {OPENAPI_VERSION} document. `{reverse('timeline:api_reference')}` shows "
        "the same for people.",
        {
            "200": {
                "description": "The document.",
                "headers": _header_refs("ETag", "Cache-Control", "Vary"),
                "content": {"application/json": {"schema": _ref("OpenAPIDocument")}},
            }
        },
    )

    tracking = ", ".join(f"`{name}`" for name in sorted(TRACKING_PARAMETERS))
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": f"{settings.TIMELINE_TITLE} API",
            "version": "1",
            "summary": "The timeline's published events as JSON, CSV, iCalendar and Atom.",
            "description": "Read-only; no key needed. Every endpoint but the health check takes "
            "the timeline's filter (`actor`, `source`) and answers a refused filter with a 400 "
            "that says why. Any other query parameter is refused too, except the tracking "
            f"parameters that newsletters and social sites add ({tracking}): they are ignored. "
            "Every response carries an `ETag` to send back in `If-None-Match` (answered 304 "
            "while the data has not changed) and `Cache-Control: public`. Only published "
            "events are shown. Fields may be added to the JSON, never removed or changed in "
            "meaning or type.",
        },
        "tags": [
            {"name": "JSON", "description": "What the site's own pages read."},
            {"name": "Exports", "description": "For spreadsheets, other timelines and imports."},
            {"name": "Feeds", "description": "To subscribe to."},
            {"name": "Service", "description": "For operators and tools."},
        ],
        "paths": paths,
        "components": {
            "schemas": _schemas(),
            "parameters": parameters,
            "headers": {
                **_headers(),
                "Link": {
                    "description": 'The next and previous pages, as `<…?page=2>; rel="next"` '
                    'and `<…?page=1>; rel="prev"`; absent when there is only one page.',
                    "schema": {"type": "string"},
                },
                "Content-Disposition": {
                    "description": "The name to save the file as.",
                    "required": True,
                    "schema": {"type": "string"},
                },
            },
            "responses": {
                "NotModified": {
                    "description": "Not Modified: the `If-None-Match` ETag is still current. "
                    "No body.",
                    "headers": _header_refs("ETag", "Cache-Control", "Vary"),
                }
            },
        },
    }


# The reference page (/api/): the document resolved, in the order and the
# words a person reads it.


def reference_page(document: dict, *, origin: str) -> dict:
    """What /api/ shows of `document`: its words, and its operations by tag,
    each with a curl command for its example request at `origin`."""
    info = document["info"]
    operations = [
        _reference_operation(document, path, method, operation, origin)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]
    return {
        "title": info["title"],
        "summary": info["summary"],
        "description": text_parts(info["description"]),
        "openapi": document["openapi"],
        # The validators and caching headers: what every public page answers with.
        "headers": _reference_headers(document, document["components"]["responses"]["NotModified"]),
        "operations": operations,
        "sections": [
            {
                "tag": tag["name"],
                "description": tag["description"],
                "operations": [op for op in operations if op["tag"] == tag["name"]],
            }
            for tag in document["tags"]
        ],
    }


def _reference_operation(document: dict, path: str, method: str, operation: dict, origin: str):
    parameters = [resolve(document, p) for p in operation.get("parameters", [])]
    return {
        "id": operation["operationId"],
        "method": method.upper(),
        "path": path,
        "tag": operation["tags"][0],
        "summary": operation["summary"],
        "description": text_parts(operation["description"]),
        "parameters": [_reference_parameter(document, p) for p in parameters],
        "responses": [
            _reference_response(document, status, resolve(document, response))
            for status, response in operation["responses"].items()
        ],
        "curl": f"curl {shlex.quote(origin + example_request(path, parameters))}",
    }


def text_parts(text: str) -> list[dict]:
    """`text` cut into plain and `code` parts (Markdown's backticks), and
    **strong** ones, for a template to mark up without trusting any HTML."""
    parts = []
    for index, piece in enumerate(text.split("`")):
        if index % 2:
            parts.append({"text": piece, "code": True})
            continue
        for bold_index, run in enumerate(piece.split("**")):
            if run:
                parts.append({"text": run, "strong": bool(bold_index % 2)})
    return parts


def resolve(document: dict, node: dict) -> dict:
    """`node` with its "$ref" (to a place in `document`) followed, its own keys kept."""
    while "$ref" in node:
        target = document
        for key in node["$ref"].removeprefix("#/").split("/"):
            target = target[key]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _reference_parameter(document: dict, parameter: dict) -> dict:
    example = parameter.get("example")
    return {
        "name": parameter["name"],
        "in": parameter["in"],
        "required": parameter.get("required", False),
        "type": type_label(document, parameter["schema"]),
        "description": text_parts(parameter.get("description", "")),
        "example": ", ".join(str(value) for value in _listed(example))
        if example is not None
        else "",
    }


def _reference_response(document: dict, status: str, response: dict) -> dict:
    media = []
    for media_type, content in response.get("content", {}).items():
        media.append(
            {
                "type": media_type,
                "fields": schema_fields(document, content["schema"]),
                "examples": [
                    {
                        "request": example["summary"],
                        "description": example.get("description", ""),
                        "text": example_text(example["value"]),
                    }
                    for example in content.get("examples", {}).values()
                ],
            }
        )
    return {
        "status": status,
        "description": text_parts(response["description"]),
        "headers": _reference_headers(document, response),
        "media": media,
    }


def _reference_headers(document: dict, response: dict) -> list[dict]:
    headers = []
    for name, header in response.get("headers", {}).items():
        header = resolve(document, header)
        headers.append(
            {
                "name": name,
                "description": text_parts(header["description"]),
                "example": header.get("example", ""),
            }
        )
    return headers


def example_text(value) -> str:
    return value if isinstance(value, str) else json.dumps(value, indent=2, ensure_ascii=False)


def type_label(document: dict, schema: dict) -> str:
    """A schema in a few words: "string (date) or null", "one of: a, b"."""
    schema = resolve(document, schema)
    if "title" in schema:
        return schema["title"]
    if "const" in schema:
        return f'"{schema["const"]}"'
    if "enum" in schema:
        return "one of: " + ", ".join(schema["enum"])
    if "oneOf" in schema:
        return " or ".join(type_label(document, option) for option in schema["oneOf"])
    types = _listed(schema.get("type", "any"))
    labels = []
    for type_ in types:
        if type_ == "array":
            labels.append(f"list of {type_label(document, schema.get('items', {}))}")
        elif type_ == "string" and "format" in schema:
            labels.append(f"string ({schema['format']})")
        else:
            labels.append(type_)
    return " or ".join(labels)


def schema_fields(document: dict, schema: dict, prefix: str = "", depth: int = 0) -> list[dict]:
    """The fields of an object schema and of the objects in it, one row each,
    named by their path ("events[].quotes[].text")."""
    schema = resolve(document, schema)
    if depth > 10:
        return []
    if schema.get("type") == "array":
        return schema_fields(document, schema.get("items", {}), f"{prefix}[]", depth + 1)
    if "oneOf" in schema:
        objects = [o for o in schema["oneOf"] if resolve(document, o).get("type") == "object"]
        return schema_fields(document, objects[0], prefix, depth + 1) if objects else []
    rows = []
    required = set(schema.get("required", []))
    for name, field in schema.get("properties", {}).items():
        path = f"{prefix}.{name}" if prefix else name
        resolved = resolve(document, field)
        rows.append(
            {
                "name": path,
                "type": type_label(document, field),
                "required": name in required,
                "description": text_parts(resolved.get("description", "")),
            }
        )
        rows += schema_fields(document, field, path, depth + 1)
    return rows


# The examples: what the seed's app answered (see the module's docstring).

EVENTS_JSON_EXAMPLE = {
    "count": 1,
    "events": [
        {
            "slug": "zelensky-no-comment",
            "title": _EVENT_TITLE,
            "summary": _EVENT_SUMMARY,
            "kind": "other",
            "status": "occurred",
            "start": "2025-03-19",
            "end": None,
            "precision": "day",
            "date_basis": _EVENT_DATE_BASIS,
            "date_inferred": True,
            "earliest": None,
            "latest": None,
            "url": f"{EXAMPLE_ORIGIN}/events/zelensky-no-comment/",
            "actors": [
                {
                    "slug": "volodymyr-zelensky",
                    "name": "Volodymyr Zelensky",
                    "kind": "person",
                    "role": "principal",
                },
                {"slug": "ukraine", "name": "Ukraine", "kind": "state", "role": "mentioned"},
            ],
            "quotes": [
                {
                    "id": 40,
                    "text": _QUOTE_TEXT,
                    "speaker": None,
                    "source": {"slug": EXAMPLE_SOURCE, "title": _ARTICLE_TITLE, "url": None},
                    "start": 1642,
                    "end": 1716,
                    "status": "verified",
                }
            ],
            "corrections": [],
        }
    ],
}

CHART_JSON_EXAMPLE = {
    "data": [
        {
            "type": "scatter",
            "mode": "markers",
            "x": ["2025-03-19"],
            "y": [0],
            "name": "Occurred",
            "legendgroup": "occurred",
            "marker": {
                "color": "#1f4e79",
                "symbol": ["circle"],
                "size": 14,
                "line": {"color": "#ffffff", "width": 1.5},
            },
            "text": [
                f"<b>{_EVENT_TITLE}</b><br>19 March 2025, inferred<br>Occurred · Other<br>"
                "Actors: Ukraine, Volodymyr Zelensky"
            ],
            "hovertemplate": "%{text}<extra></extra>",
            "customdata": ["/events/zelensky-no-comment/"],
        }
    ],
    "layout": {
        "template": {},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "font": {"family": "system-ui, sans-serif", "size": 13, "color": "#1b1f24"},
        "height": 150,
        "margin": {"l": 54, "r": 20, "t": 72, "b": 40},
        "hovermode": "closest",
        "hoverlabel": {"align": "left"},
        "legend": {
            "orientation": "h",
            "y": 1.02,
            "yanchor": "bottom",
            "x": 0,
            "title": {"text": "Status "},
        },
        "xaxis": {
            "type": "date",
            # from and to with a day to spare on each side (charts._framed).
            "range": ["2025-03-16", "2025-03-22"],
            "showgrid": True,
            "gridcolor": "#e3e7ec",
            "linecolor": "#9aa4af",
            "dtick": 86400000,  # a tick each day (charts._layout)
        },
        "yaxis": {
            "tickvals": [0.0],
            "ticktext": ["Other"],
            "range": [0.5, -0.5],
            "showgrid": False,
            "zeroline": False,
            "fixedrange": True,
            "automargin": False,
        },
        "shapes": [
            {
                "type": "rect",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": -0.5,
                "y1": 0.5,
                "fillcolor": "rgba(31, 78, 121, 0.06)",
                "line": {"width": 0},
                "layer": "below",
            }
        ],
        "bargap": 0,
        "annotations": [
            {
                "name": "/events/zelensky-no-comment/",
                "text": "Zelensky yet to comment on…",
                "x": "2025-03-19",
                "y": 0,
                "xref": "x",
                "yref": "y",
                "xanchor": "left",
                "xshift": 11,
                "showarrow": False,
                "font": {"size": 12},
                "bgcolor": "rgba(255, 255, 255, 0.8)",
                "borderpad": 1,
                "captureevents": True,
            }
        ],
        "meta": {"lanes": "kind"},
    },
}

TIMELINE_JSON_EXAMPLE = {
    "format": DOCUMENT_FORMAT,
    "sources": [
        {
            "slug": EXAMPLE_SOURCE,
            "title": _ARTICLE_TITLE,
            "publisher": "",
            "url": "",
            "published_on": "2025-03-19",
            "retrieved_at": None,
            "notes": _ARTICLE_NOTES,
            "text": _ARTICLE_OPENING,
        }
    ],
    "actors": [
        {
            "slug": "ukraine",
            "name": "Ukraine",
            "kind": "state",
            "description": "State at war with Russia; the article refers to its government "
            "also as \u201cKyiv\u201d.",
            "aliases": "Kyiv",
        },
        {
            "slug": "volodymyr-zelensky",
            "name": "Volodymyr Zelensky",
            "kind": "person",
            "description": "Ukrainian President; according to the article he had yet to "
            "comment on the agreement.",
            "aliases": "",
        },
    ],
    "events": [
        {
            "slug": "zelensky-no-comment",
            "title": _EVENT_TITLE,
            "summary": _EVENT_SUMMARY,
            "kind": "other",
            "status": "occurred",
            "start": "2025-03-19",
            "end": None,
            "precision": "day",
            "date_inferred": True,
            "earliest": None,
            "latest": None,
            "date_basis": _EVENT_DATE_BASIS,
            "actors": [
                {"actor": "volodymyr-zelensky", "role": "principal"},
                {"actor": "ukraine", "role": "mentioned"},
            ],
            "quotes": [{"id": 40, "source": EXAMPLE_SOURCE, "speaker": None, "text": _QUOTE_TEXT}],
        }
    ],
}

TIMELINEJS_JSON_EXAMPLE = {
    "title": {
        "text": {
            "headline": "Ceasefire Timeline",
            "text": "1 events, each backed by quotes copied exactly from its sources.",
        }
    },
    "events": [
        {
            "unique_id": "zelensky-no-comment",
            "start_date": {"year": 2025, "month": 3, "day": 19},
            "display_date": "19 March 2025",
            "group": "Other",
            "text": {
                "headline": _EVENT_TITLE,
                "text": "<p>Occurred · Other. Actors: Volodymyr Zelensky, Ukraine.</p>"
                f"<blockquote>{_QUOTE_TEXT}<br><small>The source, in {_ARTICLE_TITLE}</small>"
                f'</blockquote><p><a href="{EXAMPLE_ORIGIN}/events/zelensky-no-comment/">'
                "Sources and dates</a></p>",
            },
            "autolink": False,
        }
    ],
}

EVENTS_CSV_EXAMPLE = (
    "\ufeff"
    + ",".join(EVENT_COLUMNS)
    + "\r\n"
    + f'zelensky-no-comment,{_EVENT_TITLE},"{_EVENT_SUMMARY}",2025-03-19,,day,yes,,,'
    + f"{_EVENT_DATE_BASIS},occurred,other,Volodymyr Zelensky (principal); Ukraine (mentioned),"
    + f"1,{EXAMPLE_ORIGIN}/events/zelensky-no-comment/\r\n"
)

QUOTES_CSV_EXAMPLE = (
    "\ufeff"
    + ",".join(QUOTE_COLUMNS)
    + "\r\n"
    + f"zelensky-no-comment,{_EVENT_TITLE},40,,{EXAMPLE_SOURCE},{_ARTICLE_TITLE},{_QUOTE_TEXT},"
    + f"1642,1716,verified,{EXAMPLE_ORIGIN}/sources/{EXAMPLE_SOURCE}/#quote-40\r\n"
)

SOURCES_CSV_EXAMPLE = (
    "\ufeff"
    + ",".join(SOURCE_COLUMNS)
    + "\r\n"
    + f'{EXAMPLE_SOURCE},{_ARTICLE_TITLE},,,2025-03-19,,"{_ARTICLE_NOTES}",'
    + "3e99211a7de93f3e424d859b8a64b1a2b6a17fc8234aacada80f37d61cec3012,"
    + f'"{_ARTICLE_OPENING}"\r\n'
)

EVENTS_ICS_EXAMPLE = (
    "BEGIN:VCALENDAR\r\n"
    "VERSION:2.0\r\n"
    "PRODID:-//Ceasefire Timeline//events.ics//EN\r\n"
    "CALSCALE:GREGORIAN\r\n"
    "X-WR-CALNAME:Ceasefire Timeline\r\n"
    "BEGIN:VEVENT\r\n"
    f"SUMMARY:{_EVENT_TITLE}\r\n"
    "DTSTART;VALUE=DATE:20250319\r\n"
    "DTEND;VALUE=DATE:20250320\r\n"
    "DTSTAMP:20261125T155300Z\r\n"
    "UID:zelensky-no-comment@127.0.0.1\r\n"
    "CATEGORIES:Other\r\n"
    "DESCRIPTION:Occurred · Other. 19 March 2025\\, inferred.\\nHow the date was\r\n"
    "  established: This describes the situation as of the article's writing on \r\n"
    " Wednesday 19 March 2025 (the writing date comes from the notes supplied wi\r\n"
    " th the article)\\; the article says he \u201cis yet to comment\u201d.\\nAs of the \r\n"
    " article's writing\\, Ukrainian President Volodymyr Zelensky had not yet com\r\n"
    " mented on the agreement.\\nActors: Volodymyr Zelensky\\, Ukraine\\n\u201cUkraini\r\n"
    " an President Volodymyr Zelensky is yet to comment on the agreement.\u201d (th\r\n"
    " e source\\; Untitled news article on the Trump\u2013Putin call (19 March 2025)\r\n"
    " )\r\n"
    "STATUS:CONFIRMED\r\n"
    f"URL:{EXAMPLE_ORIGIN}/events/zelensky-no-comment/\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)

_FEED_QUERY = f"actor={EXAMPLE_ACTOR}&amp;source={EXAMPLE_SOURCE}"
EVENTS_ATOM_EXAMPLE = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<feed xml:lang="en-gb" xmlns="http://www.w3.org/2005/Atom">'
    "<title>Ceasefire Timeline: new and corrected events</title>"
    f'<link href="{EXAMPLE_ORIGIN}/?{_FEED_QUERY}" rel="alternate"/>'
    f'<link href="{EXAMPLE_ORIGIN}/events.atom?{_FEED_QUERY}" rel="self"/>'
    f"<id>{EXAMPLE_ORIGIN}/?{_FEED_QUERY}</id>"
    "<updated>2026-11-25T15:53:00.417778+00:00</updated>"
    "<subtitle>Every event backed by quotes copied exactly from its sources.</subtitle>"
    f"<entry><title>{_EVENT_TITLE}</title>"
    f'<link href="{EXAMPLE_ORIGIN}/events/zelensky-no-comment/" rel="alternate"/>'
    "<published>2026-11-25T15:53:00.417757+00:00</published>"
    "<updated>2026-11-25T15:53:00.417778+00:00</updated>"
    "<id>tag:127.0.0.1,2025:event:zelensky-no-comment</id>"
    '<summary type="html">&lt;p&gt;19 March 2025 (occurred)&lt;/p&gt;&lt;p&gt;As of the '
    "article&amp;#x27;s writing, Ukrainian President Volodymyr Zelensky had not yet commented "
    "on the agreement.&lt;/p&gt;&lt;blockquote&gt;&lt;p&gt;Ukrainian President Volodymyr "
    "Zelensky is yet to comment on the agreement.&lt;/p&gt;&lt;footer&gt;The source, in "
    f"&lt;cite&gt;{_ARTICLE_TITLE}&lt;/cite&gt;&lt;/footer&gt;&lt;/blockquote&gt;</summary>"
    '<category term="Other"/><category term="Volodymyr Zelensky"/><category term="Ukraine"/>'
    "</entry></feed>"
)

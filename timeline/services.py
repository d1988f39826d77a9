"""The writes: importing a timeline document, and keeping quotes anchored
when a source's text changes. Every write is all-or-nothing."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from .anchoring import QuoteNotFound, relocate_quote
from .models import Actor, Event, Participation, Quote, Source

DOCUMENT_FORMAT = "ceasefire-timeline/1"

SOURCE_FIELDS = {"slug", "title", "publisher", "url", "published_on", "notes", "text"}
ACTOR_FIELDS = {"slug", "name", "kind", "description"}
EVENT_FIELDS = {
    "slug", "title", "summary", "kind", "status", "start", "end", "precision", "date_basis",
    "actors", "quotes",
}  # fmt: skip
PARTICIPATION_FIELDS = {"actor", "role"}
QUOTE_FIELDS = {"source", "speaker", "text"}


class TimelineImportError(Exception):
    """The document was refused; nothing was written. `errors` says why, with paths."""

    def __init__(self, errors: list[str]):
        super().__init__(f"{len(errors)} problem(s) in the timeline document")
        self.errors = errors


@dataclass
class ImportSummary:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        bucket = self.created if created else self.updated
        bucket[kind] = bucket.get(kind, 0) + 1

    def __str__(self):
        kinds = ["sources", "actors", "events", "quotes"]
        parts = [
            f"{kind}: {self.created.get(kind, 0)} created, {self.updated.get(kind, 0)} updated"
            for kind in kinds
        ]
        return "; ".join(parts)


def timeline_import(*, document: object) -> ImportSummary:
    """Create or update, by slug, the sources, actors and events of `document`.

    An event's actors and quotes become exactly those the document lists;
    quotes already stored with the same source and text keep their identity
    (and so their links). Any problem refuses the whole document.
    """
    errors: list[str] = []
    summary = ImportSummary()
    if not isinstance(document, dict):
        raise TimelineImportError(["The document must be a JSON object."])
    if document.get("format") != DOCUMENT_FORMAT:
        errors.append(f"format: expected {DOCUMENT_FORMAT!r}, got {document.get('format')!r}.")
    unknown = set(document) - {"format", "sources", "actors", "events"}
    if unknown:
        errors.append(f"Unknown top-level keys: {', '.join(sorted(unknown))}.")
    if errors:
        raise TimelineImportError(errors)

    with transaction.atomic():
        sources = _import_records(
            document,
            "sources",
            Source,
            SOURCE_FIELDS,
            summary,
            errors,
            date_fields={"published_on"},
        )
        actors = _import_records(document, "actors", Actor, ACTOR_FIELDS, summary, errors)
        for index, record in enumerate(_records(document, "events", errors)):
            _import_event(record, f"events[{index}]", sources, actors, summary, errors)
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise TimelineImportError(errors)
    return summary


def source_relocate_quotes(*, source: Source, text: str) -> tuple[list[Quote], list[str]]:
    """Where each quote of `source` would stand if its stored text became `text`.

    Returns the quotes whose offsets would change (updated in memory, not
    saved) and a description of each quote that could no longer be placed.
    """
    old_text = Source.objects.filter(pk=source.pk).values_list("text", flat=True).first()
    moved: list[Quote] = []
    problems: list[str] = []
    if old_text is None:
        return moved, problems
    for quote in source.quotes.select_related("event").order_by("start"):
        try:
            anchor = relocate_quote(old_text, text, quote.text, quote.start)
        except QuoteNotFound as error:
            problems.append(
                f"The quote \u201c{quote.text}\u201d (event \u201c{quote.event.title}\u201d) "
                f"would no longer match. {error}"
            )
            continue
        if (anchor.start, anchor.end) != (quote.start, quote.end):
            quote.start, quote.end = anchor.start, anchor.end
            moved.append(quote)
    return moved, problems


def source_save(*, source: Source) -> list[str]:
    """Save `source`, moving its quotes along with any change to its text.

    Returns the quotes the change would break; then nothing is saved.
    """
    with transaction.atomic():
        moved, problems = source_relocate_quotes(source=source, text=source.text)
        if problems:
            return problems
        source.save()
        Quote.objects.bulk_update(moved, ["start", "end"])
    return []


def _records(document: dict, key: str, errors: list[str]) -> list[dict]:
    records = document.get(key, [])
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        errors.append(f"{key}: must be a list of objects.")
        return []
    return records


def _check_keys(record: dict, allowed: set[str], path: str, errors: list[str]) -> bool:
    unknown = set(record) - allowed
    if unknown:
        errors.append(f"{path}: unknown keys {', '.join(sorted(unknown))}.")
    if not isinstance(record.get("slug", ""), str) or not record.get("slug", "x"):
        errors.append(f"{path}.slug: required.")
        return False
    return not unknown


def _parse_date(value, path: str, errors: list[str]):
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    errors.append(f"{path}: {value!r} is not a date in YYYY-MM-DD form.")
    return None


def _save_valid(instance, path: str, errors: list[str], exclude=None) -> bool:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            where = path if name == "__all__" else f"{path}.{name}"
            errors.extend(f"{where}: {message}" for message in messages)
        return False
    if isinstance(instance, Source):
        # A corrected text carries the quotes already pointing into it along.
        problems = source_save(source=instance)
        errors.extend(f"{path}.text: {problem}" for problem in problems)
        return not problems
    instance.save()
    return True


def _import_records(document, key, model, fields, summary, errors, date_fields=()):
    saved = {}
    for index, record in enumerate(_records(document, key, errors)):
        path = f"{key}[{index}]"
        if not _check_keys(record, fields, path, errors):
            continue
        instance = model.objects.filter(slug=record["slug"]).first()
        created = instance is None
        instance = instance or model()
        for name in fields:
            value = record.get(name, "")
            if name in date_fields:
                value = _parse_date(record.get(name), f"{path}.{name}", errors)
            setattr(instance, name, value)
        if _save_valid(instance, path, errors):
            saved[instance.slug] = instance
            summary.count(key, created)
    return saved


def _import_event(record, path, sources, actors, summary, errors):
    if not _check_keys(record, EVENT_FIELDS, path, errors):
        return
    event = Event.objects.filter(slug=record["slug"]).first()
    created = event is None
    event = event or Event()
    for name in EVENT_FIELDS - {"actors", "quotes", "start", "end"}:
        setattr(event, name, record.get(name, ""))
    event.precision = event.precision or Event.Precision.DAY
    event.start = _parse_date(record.get("start"), f"{path}.start", errors)
    event.end = _parse_date(record.get("end"), f"{path}.end", errors)
    if not _save_valid(event, path, errors):
        return
    summary.count("events", created)

    event.participations.all().delete()
    for index, item in enumerate(record.get("actors") or []):
        item_path = f"{path}.actors[{index}]"
        actor = _lookup(actors, Actor, item, "actor", item_path, errors, PARTICIPATION_FIELDS)
        if actor is not None:
            participation = Participation(
                event=event,
                actor=actor,
                role=item.get("role") or Participation.Role.PARTICIPANT,
            )
            _save_valid(participation, item_path, errors)

    kept = {(q.source_id, q.text): q for q in event.quotes.all()}
    if not record.get("quotes"):
        errors.append(f"{path}.quotes: every event needs at least one quote from a source.")
    for index, item in enumerate(record.get("quotes") or []):
        item_path = f"{path}.quotes[{index}]"
        source = _lookup(sources, Source, item, "source", item_path, errors, QUOTE_FIELDS)
        if source is None:
            continue
        speaker = None
        if item.get("speaker"):
            speaker = _lookup(actors, Actor, item, "speaker", item_path, errors, QUOTE_FIELDS)
            if speaker is None:
                continue
        quote = kept.pop((source.pk, item.get("text")), None)
        is_new = quote is None
        quote = quote or Quote(event=event, source=source, text=item.get("text") or "")
        quote.speaker = speaker
        # start and end are computed by Quote.clean(), so they are not checked as typed.
        if _save_valid(quote, item_path, errors, exclude=["start", "end"]):
            summary.count("quotes", is_new)
    Quote.objects.filter(pk__in=[q.pk for q in kept.values()]).delete()


def _lookup(known, model, item, key, path, errors, allowed):
    if not isinstance(item, dict):
        errors.append(f"{path}: must be an object.")
        return None
    unknown = set(item) - allowed
    if unknown:
        errors.append(f"{path}: unknown keys {', '.join(sorted(unknown))}.")
        return None
    slug = item.get(key)
    found = known.get(slug) if isinstance(slug, str) else None
    if found is None and isinstance(slug, str):
        found = model.objects.filter(slug=slug).first()
    if found is None:
        errors.append(f"{path}.{key}: no {model._meta.verbose_name} with slug {slug!r}.")
    return found

"""The writes: importing a timeline document, and keeping quotes anchored
when a source's text changes. Every write is all-or-nothing, and marks the
timeline's data changed once it commits (cache.data_changed)."""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from .anchoring import reanchor_quote
from .cache import data_changed
from .models import Actor, Event, Participation, Quote, Source

DOCUMENT_FORMAT = "ceasefire-timeline/1"

SOURCE_FIELDS = {
    "slug",
    "title",
    "publisher",
    "url",
    "published_on",
    "retrieved_at",
    "notes",
    "text",
}
ACTOR_FIELDS = {"slug", "name", "kind", "description"}
EVENT_FIELDS = {
    "slug", "title", "summary", "kind", "status", "start", "end", "precision", "date_basis",
    "date_inferred", "earliest", "latest", "publication", "actors", "quotes",
}  # fmt: skip
EVENT_DATE_FIELDS = {"start", "end", "earliest", "latest"}
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
    drafts: list[str] = field(default_factory=list)

    def count(self, kind: str, created: bool) -> None:
        bucket = self.created if created else self.updated
        bucket[kind] = bucket.get(kind, 0) + 1

    def __str__(self):
        kinds = ["sources", "actors", "events", "quotes"]
        parts = [
            f"{kind}: {self.created.get(kind, 0)} created, {self.updated.get(kind, 0)} updated"
            for kind in kinds
        ]
        drafts = (
            f"; {len(self.drafts)} event(s) kept as drafts (no quote or no actor yet): "
            + ", ".join(self.drafts)
            if self.drafts
            else ""
        )
        return "; ".join(parts) + drafts


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
            datetime_fields={"retrieved_at"},
        )
        actors = _import_records(document, "actors", Actor, ACTOR_FIELDS, summary, errors)
        for index, record in enumerate(_records(document, "events", errors)):
            _import_event(record, f"events[{index}]", sources, actors, summary, errors)
        if errors:
            transaction.set_rollback(True)
        else:
            data_changed()
    if errors:
        raise TimelineImportError(errors)
    return summary


def text_fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def source_save(*, source: Source) -> list[Quote]:
    """Save `source` and re-anchor its quotes to its (possibly corrected) text.

    Offsets follow the text; where the quoted words occur more than once, the
    stored prefix and suffix decide; where they no longer occur, the quote is
    marked orphaned rather than left pointing at other characters. Returns
    the quotes that are orphaned after the save.
    """
    with transaction.atomic():
        old_text = Source.objects.filter(pk=source.pk).values_list("text", flat=True).first()
        source.sha256 = text_fingerprint(source.text)
        source.save()
        data_changed()
        return source_reanchor_quotes(source=source, old_text=old_text)


def source_reanchor_quotes(*, source: Source, old_text: str | None = None) -> list[Quote]:
    """Re-anchor every quote of `source` to its current text; returns the orphans."""
    changed, orphaned = [], []
    for quote in source.quotes.select_related("event").order_by("pk"):
        before = (quote.start, quote.end, quote.prefix, quote.suffix, quote.status)
        quote.place(
            reanchor_quote(
                source.text,
                quote.text,
                prefix=quote.prefix,
                suffix=quote.suffix,
                old_start=quote.start,
                old_text=old_text,
            )
        )
        if (quote.start, quote.end, quote.prefix, quote.suffix, quote.status) != before:
            changed.append(quote)
        if quote.is_orphaned:
            orphaned.append(quote)
    if changed:
        Quote.objects.bulk_update(changed, ["start", "end", "prefix", "suffix", "status"])
    return orphaned


def events_unpublish_unbacked(*, event_ids) -> list[Event]:
    """Move back to draft every published event among `event_ids` that has no
    quote or no actor left (its last quote deleted or moved to another
    event): the public never sees a claim that nothing backs. A quote that a
    source correction orphans stays, shown as orphaned, so readers see the
    correction. Returns the events moved back."""
    from django.db.models import Exists, OuterRef

    quoted = Quote.objects.filter(event=OuterRef("pk"))
    acting = Participation.objects.filter(event=OuterRef("pk"))
    unbacked = list(
        Event.objects.published()
        .filter(pk__in=list(event_ids))
        .exclude(Exists(quoted) & Exists(acting))
    )
    if unbacked:
        Event.objects.filter(pk__in=[event.pk for event in unbacked]).update(
            publication=Event.Publication.DRAFT
        )
    return unbacked


def quote_attach(*, quote: Quote) -> Quote:
    """Save a quote that was checked against its source (Quote.full_clean)."""
    with transaction.atomic():
        quote.save()
        data_changed()
    return quote


def quotes_recheck() -> list[Quote]:
    """Re-check every quote against its source's current text (and refresh each
    source's fingerprint). Returns the orphaned quotes."""
    orphaned = []
    with transaction.atomic():
        for source in Source.objects.all():
            fingerprint = text_fingerprint(source.text)
            if source.sha256 != fingerprint:
                Source.objects.filter(pk=source.pk).update(sha256=fingerprint)
            orphaned.extend(source_reanchor_quotes(source=source))
    return orphaned


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


def _parse_datetime(value, path: str, errors: list[str]):
    if value is None:
        return None
    if isinstance(value, str):
        try:
            parsed = datetime.datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if parsed.tzinfo is not None:
                return parsed
    errors.append(f"{path}: {value!r} is not a date and time with a time zone (ISO 8601).")
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
        # A corrected text carries the quotes already pointing into it along;
        # an import that would orphan a quote is refused instead.
        for quote in source_save(source=instance):
            errors.append(
                f"{path}.text: the quote \u201c{quote.text}\u201d (event {quote.event.slug!r}) "
                "would no longer occur in this text."
            )
        return True
    instance.save()
    return True


def _import_records(
    document, key, model, fields, summary, errors, date_fields=(), datetime_fields=()
):
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
            elif name in datetime_fields:
                value = _parse_datetime(record.get(name), f"{path}.{name}", errors)
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
    for name in EVENT_FIELDS - EVENT_DATE_FIELDS - {
        "actors", "quotes", "date_inferred", "publication"
    }:  # fmt: skip
        setattr(event, name, record.get(name, ""))
    event.precision = event.precision or Event.Precision.DAY
    # An event is published with at least one quote and one actor; without
    # them it comes in as a draft for an editor to finish, never dropped. A
    # document that does not say leaves an existing event as it was (a
    # re-import must never publish an editor's draft).
    complete = bool(record.get("quotes")) and bool(record.get("actors"))
    if record.get("publication"):
        event.publication = record["publication"]
    elif created:
        event.publication = Event.Publication.PUBLISHED if complete else Event.Publication.DRAFT
    elif not complete:
        event.publication = Event.Publication.DRAFT
    if event.publication == Event.Publication.PUBLISHED and not complete:
        errors.append(
            f"{path}.publication: a published event needs at least one quote and one actor; "
            "leave out publication to import it as a draft."
        )
    elif event.publication == Event.Publication.DRAFT:
        summary.drafts.append(record["slug"])
    event.date_inferred = record.get("date_inferred", False)
    for name in EVENT_DATE_FIELDS:
        setattr(event, name, _parse_date(record.get(name), f"{path}.{name}", errors))
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

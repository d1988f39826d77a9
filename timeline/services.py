"""The writes: importing a timeline document, and keeping quotes anchored
when a source's text changes. Every write is all-or-nothing, and marks the
timeline's data changed once it commits (cache.data_changed)."""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from .anchoring import reanchor_quote
from .cache import data_changed
from .history import changes_since
from .importing import DOCUMENT_FORMAT
from .models import (
    Actor,
    Correction,
    EditConflict,
    Event,
    Participation,
    Quote,
    Source,
    TimelineTitle,
)
from .text import has_lone_surrogate
from .triggers import after_bulk_load

SOURCE_FIELDS = [
    "slug", "title", "publisher", "url", "published_on", "retrieved_at", "notes", "text",
]  # fmt: skip
ACTOR_FIELDS = ["slug", "name", "kind", "description", "aliases"]
EVENT_FIELDS = {
    "slug", "title", "summary", "kind", "status", "start", "end", "precision", "date_basis",
    "date_inferred", "earliest", "latest", "publication", "actors", "quotes",
    # What a backup (manage.py export_timeline) adds, for a restore to keep.
    "created_at", "updated_at", "corrections",
}  # fmt: skip
EVENT_TEXT_FIELDS = ["title", "summary", "kind", "status", "precision", "date_basis"]
EVENT_DATE_FIELDS = ["start", "end", "earliest", "latest"]
PARTICIPATION_FIELDS = {"actor", "role"}
QUOTE_FIELDS = {"id", "source", "speaker", "text", "start", "status", "prefix", "suffix"}
CORRECTION_FIELDS = {"date", "note", "changes"}
TOP_LEVEL_KEYS = {"format", "title", "description", "sources", "actors", "events"}
REPORTED_KINDS = ["title", "sources", "actors", "events", "quotes"]
# Publishing is a right of its own (Event.Meta.permissions, the "Editors"
# group has it): without it an editor saves drafts. Superusers have it.
PUBLISH_PERMISSION = "timeline.publish_event"


class TimelineImportError(Exception):
    """The document was refused; nothing was written. `errors` says why, with paths."""

    def __init__(self, errors: list[str]):
        super().__init__(f"{len(errors)} problem(s) in the timeline document")
        self.errors = errors


@dataclass
class ImportReport:
    """What an import created, updated and left unchanged (by slug), and
    what an editor should look at: drafts, orphaned quotes, quotes kept that
    the document no longer lists, and notes from reading the file."""

    created: dict[str, list[str]] = field(default_factory=dict)
    updated: dict[str, list[str]] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    drafts: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False

    def record(self, kind: str, name: str, *, created: bool, changed: bool = True) -> None:
        if created:
            self.created.setdefault(kind, []).append(name)
        elif changed:
            self.updated.setdefault(kind, []).append(name)
        else:
            self.unchanged[kind] = self.unchanged.get(kind, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def counts(self) -> list[str]:
        verb = "would be " if self.dry_run else ""
        return [
            f"{kind}: {len(self.created.get(kind, []))} {verb}created, "
            f"{len(self.updated.get(kind, []))} {verb}updated, "
            f"{self.unchanged.get(kind, 0)} unchanged"
            for kind in REPORTED_KINDS[1:]
        ]

    def lines(self) -> list[str]:
        """The report as lines of text, for the command and the admin."""
        lines = self.counts()
        for title in self.created.get("title", []) + self.updated.get("title", []):
            lines.append(f"the timeline's title {'would be' if self.dry_run else 'is'}: {title}")
        for kind in ("events", "sources", "actors"):
            for outcome, names in (("new", self.created), ("changed", self.updated)):
                if names.get(kind):
                    lines.append(f"{outcome} {kind}: {_listed(names[kind])}")
        if self.drafts:
            lines.append(
                f"{len(self.drafts)} event(s) are drafts (no quote or no actor yet), "
                f"seen by editors only: {_listed(self.drafts)}"
            )
        if self.held:
            lines.append(
                f"{len(self.held)} event(s) stay drafts: publishing needs the \u201cCan "
                f"publish events\u201d permission, which you do not have: {_listed(self.held)}"
            )
        lines.extend(f"orphaned: {line}" for line in self.orphaned)
        lines.extend(f"kept: {line}" for line in self.kept)
        lines.extend(f"note: {line}" for line in self.notes)
        return lines

    def __str__(self):
        return "\n".join(self.lines())


REPORT_LIST_LENGTH = 25


def _listed(names: list[str]) -> str:
    shown = ", ".join(names[:REPORT_LIST_LENGTH])
    more = len(names) - REPORT_LIST_LENGTH
    return f"{shown} and {more} more" if more > 0 else shown


def timeline_import(
    *,
    document: object,
    dry_run: bool = False,
    notes=(),
    may_publish: bool = True,
    restore: bool = True,
) -> ImportReport:
    """Create or update, by slug, the sources, actors and events of `document`.

    Everything is checked as it will stand after the import: a source's
    corrected text and the corrected quotes taken from it are imported
    together. An event's actors become those the document lists; its quotes
    those it lists, matched by id, then by source and text (so they keep their
    identity and links); a stored quote the document no longer lists is kept,
    and reported, orphaned when its passage is gone. Records that would not
    change are not written, so importing a file twice changes nothing. Any
    problem refuses the whole document; `dry_run` reports and writes nothing.
    Without `may_publish` (PUBLISH_PERMISSION) no draft or new event is
    published: each stays a draft, and the report says so.
    """
    if not isinstance(document, dict):
        raise TimelineImportError(["The document must be a JSON object."])
    errors: list[str] = []
    if document.get("format") != DOCUMENT_FORMAT:
        errors.append(f"format: expected {DOCUMENT_FORMAT!r}, got {document.get('format')!r}.")
    unknown = set(document) - TOP_LEVEL_KEYS
    if unknown:
        errors.append(f"Unknown top-level keys: {', '.join(sorted(unknown))}.")
    if errors:
        raise TimelineImportError(errors)

    report = ImportReport(dry_run=dry_run, notes=list(notes))
    with transaction.atomic():
        run = _Import(report, errors, may_publish=may_publish, restore=restore)
        run.title(document)
        for index, record in enumerate(_records(document, "sources", errors)):
            run.source(record, f"sources[{index}]")
        for index, record in enumerate(_records(document, "actors", errors)):
            run.actor(record, f"actors[{index}]")
        for index, record in enumerate(_records(document, "events", errors)):
            run.event(record, f"events[{index}]")
        run.finish()
        if errors or dry_run:
            transaction.set_rollback(True)
        elif report.changed:
            data_changed()
            written = report.created.get("events", []) + report.updated.get("events", [])
            after_bulk_load(events=len(written))
    if errors:
        raise TimelineImportError(errors)
    return report


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
    changed, orphaned, statuses = [], [], {}
    for quote in source.quotes.select_related("event").order_by("pk"):
        statuses[quote.pk] = quote.status
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
        # A quote lost or found again is a correction readers should see (the feed).
        events_touch(event_ids={q.event_id for q in changed if q.status != statuses[q.pk]})
    return orphaned


def events_touch(*, event_ids) -> None:
    """Mark events as changed now (what the feed and the calendar's DTSTAMP
    show) when their evidence changed rather than their own fields."""
    event_ids = set(event_ids) - {None}
    if event_ids:
        Event.objects.filter(pk__in=event_ids).update(updated_at=timezone.now())


def events_unpublish_unbacked(*, event_ids) -> list[Event]:
    """Move back to draft every published event among `event_ids` that has no
    quote or no actor left (its last quote deleted or moved to another
    event): the public never sees a claim that nothing backs. A quote that a
    source correction orphans stays, shown as orphaned, so readers see the
    correction. Returns the events moved back."""
    unbacked = list(
        Event.objects.published().filter(pk__in=list(event_ids)).with_backing().filter(backed=False)
    )
    if unbacked:
        Event.objects.filter(pk__in=[event.pk for event in unbacked]).update(
            publication=Event.Publication.DRAFT
        )
    return unbacked


def events_publish(*, event_ids) -> tuple[list[Event], list[Event]]:
    """Publish the drafts among `event_ids` that have an actor and a quote
    verified in its source; the caller checks PUBLISH_PERMISSION. Returns
    the events published and the drafts left as they were (not ready)."""
    with transaction.atomic():
        # Locked until the commit: an editor's save of one of them waits,
        # then meets the new version (models.EditConflict), never the reverse.
        drafts = list(
            Event.objects.select_for_update()
            .filter(pk__in=list(event_ids), publication=Event.Publication.DRAFT)
            .with_backing(verified=True)
        )
        ready = [event for event in drafts if event.backed]
        for event in ready:
            event.publication = Event.Publication.PUBLISHED
            event.save(update_fields=["publication", "updated_at"])
        if ready:
            data_changed()
    return ready, [event for event in drafts if event not in ready]


def event_correct(*, event: Event, note: str, editor, since: dict[str, int]) -> Correction:
    """Record that the changes to `event` (its actors and quotes included)
    since the history mark `since` (history.history_mark) are a correction:
    readers see `note` and what changed, on the event's page, in the feed
    and in /events.json. Called in the transaction of the save itself."""
    with transaction.atomic():
        correction = Correction.objects.create(
            event=event,
            note=" ".join(note.split()),  # one line, as readers see it
            changes=changes_since(event=event, mark=since),
            editor=editor,
        )
        Event.objects.filter(pk=event.pk).update(updated_at=correction.created_at)
    return correction


def quote_attach(*, quote: Quote) -> Quote:
    """Save a quote that was checked against its source (Quote.full_clean)."""
    with transaction.atomic():
        quote.save()
        events_touch(event_ids={quote.event_id})
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


class _Import:
    """One import run: the records seen so far by slug, and where to report."""

    def __init__(
        self, report: ImportReport, errors: list[str], *, may_publish: bool, restore: bool
    ):
        self.report = report
        self.errors = errors
        self.may_publish = may_publish
        # A backup's corrections and timestamps are the operator's to restore
        # (manage.py import_timeline); from an upload they are left out, or
        # anyone with the import form could publish corrections nobody made.
        self.restore = restore
        self.left_out = False
        self.sources: dict[str, Source] = {}
        self.actors: dict[str, Actor] = {}
        self.corrected: list[Source] = []
        self.explicit_quote_ids = False

    def title(self, document: dict) -> None:
        if "title" not in document:
            return
        title, description = document.get("title"), document.get("description", "")
        if _value_problem(title, str) or not title.strip() or _value_problem(description, str):
            self.errors.append("title: must be a non-empty text (and description a text).")
            return
        current = TimelineTitle.objects.filter(pk=1).first()
        created = current is None
        was = TimelineTitle.current().title
        current = current or TimelineTitle(pk=1)
        changed = (current.title, current.description) != (title.strip(), description)
        current.title, current.description = title.strip(), description
        if self._valid(current, "title") and (created or changed):
            current.save()
        shown = current.title if was == current.title else f"{current.title!r}, was {was!r}"
        self.report.record("title", shown, created=created, changed=changed)

    def source(self, record: dict, path: str) -> None:
        if not self._check_keys(record, set(SOURCE_FIELDS), path):
            return
        source = Source.objects.filter(slug=record["slug"]).first()
        created = source is None
        source = source or Source()
        old_text = source.text if not created else None
        before = [getattr(source, name) for name in SOURCE_FIELDS]
        for name in SOURCE_FIELDS:
            value = record.get(name, "")
            if name == "published_on":
                value = _parse_date(record.get(name), f"{path}.{name}", self.errors)
            elif name == "retrieved_at":
                value = _parse_datetime(record.get(name), f"{path}.{name}", self.errors)
            setattr(source, name, value)
        changed = before != [getattr(source, name) for name in SOURCE_FIELDS]
        source.sha256 = text_fingerprint(source.text or "")
        if not self._valid(source, path):
            return
        if created or changed:
            source.save()
        if not created and old_text != source.text:
            # Offsets follow the corrected text now, so that the events'
            # quotes below are checked against it.
            source_reanchor_quotes(source=source, old_text=old_text)
            self.corrected.append(source)
        self.sources[source.slug] = source
        self.report.record("sources", source.slug, created=created, changed=changed)

    def actor(self, record: dict, path: str) -> None:
        """An actor with a kind is created or updated. One without is a
        reference (as CSV and TimelineJS name actors): matched by slug, then
        by name, created with kind "unknown" when new, never changed."""
        if not self._check_keys(record, set(ACTOR_FIELDS), path):
            return
        actor = Actor.objects.filter(slug=record["slug"]).first()
        if "kind" not in record:
            actor = actor or _only(Actor.objects.filter(name=record.get("name", "")))
            if actor is not None:
                self.actors[record["slug"]] = actor
                self.report.record("actors", actor.slug, created=False, changed=False)
                return
            record = {**record, "kind": Actor.Kind.UNKNOWN}
        created = actor is None
        actor = actor or Actor()
        before = [getattr(actor, name) for name in ACTOR_FIELDS]
        for name in ACTOR_FIELDS:
            setattr(actor, name, record.get(name, ""))
        changed = before != [getattr(actor, name) for name in ACTOR_FIELDS]
        if not self._valid(actor, path):
            return
        if created or changed:
            actor.save()
        self.actors[actor.slug] = actor
        self.report.record("actors", actor.slug, created=created, changed=changed)

    def event(self, record: dict, path: str) -> None:
        if not self._check_keys(record, EVENT_FIELDS, path):
            return
        event = Event.objects.filter(slug=record["slug"]).first()
        created = event is None
        event = event or Event(slug=record["slug"])
        scalars = EVENT_TEXT_FIELDS + EVENT_DATE_FIELDS + ["date_inferred", "publication"]
        before = [getattr(event, name) for name in scalars]
        for name in EVENT_TEXT_FIELDS:
            setattr(event, name, record.get(name, ""))
        event.precision = event.precision or Event.Precision.DAY
        event.date_inferred = record.get("date_inferred", False)
        for name in EVENT_DATE_FIELDS:
            setattr(event, name, _parse_date(record.get(name), f"{path}.{name}", self.errors))
        self._publication(event, record, path, created)
        changed = before != [getattr(event, name) for name in scalars]
        if not self._valid(event, path):
            return
        if created or changed:
            try:
                event.save()
            except EditConflict:  # an editor's save landed since it was read
                self.errors.append(
                    f"{path}: saved by someone else during the import; import again."
                )
                return
        changed |= self._participations(event, record.get("actors") or [], path)
        changed |= self._quotes(event, record.get("quotes") or [], path, created)
        if self.restore:
            changed |= self._corrections(event, record.get("corrections") or [], path)
        elif any(record.get(key) for key in ("corrections", "created_at", "updated_at")):
            self._leave_out_restore_only()
        if created and self.restore:
            self._timestamps(event, record, path)
        elif changed:
            events_touch(event_ids={event.pk})  # a feed shows it as corrected
        self.report.record("events", event.slug, created=created, changed=changed)

    def _leave_out_restore_only(self) -> None:
        if not self.left_out:
            self.left_out = True
            self.report.notes.append(
                "The document's corrections and timestamps were left out: they are "
                "restored from a backup by `manage.py import_timeline` only."
            )

    def _timestamps(self, event: Event, record: dict, path: str) -> None:
        """A new event keeps when it was created and last changed where it
        was exported (a backup says), so a restored feed is the same feed."""
        stamps = {
            name: _parse_datetime(record[name], f"{path}.{name}", self.errors)
            for name in ("created_at", "updated_at")
            if record.get(name) is not None
        }
        stamps = {name: value for name, value in stamps.items() if value is not None}
        if stamps:
            # Neither is part of the history (models.Event.history).
            Event.objects.filter(pk=event.pk).update(**stamps)

    def _corrections(self, event: Event, items: list, path: str) -> bool:
        """The document's corrections that the event does not have yet (by
        date and note) are added: corrections are never changed or removed."""
        if not isinstance(items, list):
            self.errors.append(f"{path}.corrections: must be a list.")
            return False
        added = False
        for index, item in enumerate(items):
            item_path = f"{path}.corrections[{index}]"
            if not isinstance(item, dict) or set(item) - CORRECTION_FIELDS:
                self.errors.append(
                    f"{item_path}: must be an object with {sorted(CORRECTION_FIELDS)}."
                )
                continue
            date = _parse_datetime(item.get("date"), f"{item_path}.date", self.errors)
            note, changes = item.get("note"), item.get("changes", [])
            if not isinstance(note, str) or not note.strip():
                self.errors.append(f"{item_path}.note: required, one line of text.")
                continue
            if not _valid_changes(changes):
                self.errors.append(
                    f"{item_path}.changes: must be a list of {{field, before, after}} objects."
                )
                continue
            if date is None or event.corrections.filter(created_at=date, note=note).exists():
                continue
            event.corrections.create(created_at=date, note=note, changes=changes)
            added = True
        return added

    def _publication(self, event: Event, record: dict, path: str, created: bool) -> None:
        # An event is published with at least one quote and one actor; without
        # them it comes in as a draft for an editor to finish, never dropped. A
        # document that does not say leaves an existing event as it was (a
        # re-import must never publish an editor's draft).
        complete = bool(record.get("quotes")) and bool(record.get("actors"))
        was_published = not created and event.publication == Event.Publication.PUBLISHED
        if record.get("publication"):
            event.publication = record["publication"]
        elif created:
            event.publication = Event.Publication.PUBLISHED if complete else Event.Publication.DRAFT
        elif not complete:
            event.publication = Event.Publication.DRAFT
        if event.publication == Event.Publication.PUBLISHED and not complete:
            self.errors.append(
                f"{path}.publication: a published event needs at least one quote and one actor; "
                "leave out publication to import it as a draft."
            )
        elif event.publication == Event.Publication.DRAFT:
            self.report.drafts.append(event.slug)
        elif not was_published and not self.may_publish:
            event.publication = Event.Publication.DRAFT
            self.report.held.append(event.slug)

    def _participations(self, event: Event, items: list, path: str) -> bool:
        """The event's actors become exactly `items`; True when that changed them."""
        existing = {p.actor_id: p for p in event.participations.all()}
        wanted = set()
        changed = False
        for index, item in enumerate(items):
            item_path = f"{path}.actors[{index}]"
            actor = self._lookup(self.actors, Actor, item, "actor", item_path, PARTICIPATION_FIELDS)
            if actor is None:
                continue
            role = item.get("role") or Participation.Role.PARTICIPANT
            participation = existing.get(actor.pk) or Participation(event=event, actor=actor)
            if participation.pk and participation.role == role:
                wanted.add(actor.pk)
                continue
            participation.role = role
            if self._valid(participation, item_path):
                participation.save()
                wanted.add(actor.pk)
                changed = True
        gone = [p.pk for actor_id, p in existing.items() if actor_id not in wanted]
        if gone:
            Participation.objects.filter(pk__in=gone).delete()
        return changed or bool(gone)

    def _quotes(self, event: Event, items: list, path: str, created: bool) -> bool:
        """Create or update the quotes `items` lists; True when any changed."""
        existing = [] if created else list(event.quotes.all())
        by_id = {quote.pk: quote for quote in existing}
        by_text = {(quote.source_id, quote.text): quote for quote in existing}
        used: set[int] = set()
        changed = False
        for index, item in enumerate(items):
            item_path = f"{path}.quotes[{index}]"
            source = self._lookup(self.sources, Source, item, "source", item_path, QUOTE_FIELDS)
            if source is None:
                continue
            speaker = None
            if item.get("speaker"):
                speaker = self._lookup(self.actors, Actor, item, "speaker", item_path, QUOTE_FIELDS)
                if speaker is None:
                    continue
            quote_id = item.get("id")
            if quote_id is not None and (type(quote_id) is not int or quote_id < 1):
                self.errors.append(
                    f"{item_path}.id: {quote_id!r} is not a quote id (a whole number)."
                )
                continue
            text = item.get("text") or ""
            if problem := _value_problem(text, str):
                self.errors.append(f"{item_path}.text: {problem}")
                continue
            quote = by_id.get(quote_id) or by_text.get((source.pk, text))
            if quote is not None and quote.pk in used:
                quote = None
            is_new = quote is None
            if is_new:
                quote = Quote(event=event)
                if quote_id and not Quote.objects.filter(pk=quote_id).exists():
                    quote.pk = quote_id  # the same id, and so the same link, as where it came from
                    self.explicit_quote_ids = True
            before = (quote.source_id, quote.text, quote.speaker_id, quote.start, quote.status)
            quote.source, quote.text, quote.speaker = source, text, speaker
            if item.get("status") == Quote.Status.ORPHANED:
                # A backup's orphan stays one, with the context that may find it again.
                if not self._orphan(quote, item, item_path):
                    continue
            else:
                if not self._anchor_hint(quote, item, item_path):
                    continue
                # start and end are computed by Quote.clean(), so they are not checked as typed.
                if not self._valid(quote, item_path, exclude=["start", "end"]):
                    continue
            quote_changed = before != (source.pk, text, quote.speaker_id, quote.start, quote.status)
            if is_new or quote_changed:
                quote.save(force_insert=is_new)
                changed = True
            used.add(quote.pk)
            self.report.record("quotes", str(quote.pk), created=is_new, changed=quote_changed)
        for quote in existing:
            # An orphan is reported as such when the import finishes.
            if quote.pk not in used and not quote.is_orphaned:
                self.report.kept.append(
                    f"quote {quote.pk} of event {event.slug!r} (\u201c{quote}\u201d) is not in the "
                    "document; it was kept (delete it in the admin if it should go)."
                )
        return changed

    def _anchor_hint(self, quote: Quote, item: dict, path: str) -> bool:
        """A backup says which occurrence of the words a quote is (`start`),
        where they occur more than once in the source."""
        start = item.get("start")
        if start is None:
            return True
        if type(start) is not int or start < 0:
            self.errors.append(f"{path}.start: {start!r} is not a character offset.")
            return False
        quote.start = start
        return True

    def _orphan(self, quote: Quote, item: dict, path: str) -> bool:
        context = {key: item.get(key, "") for key in ("prefix", "suffix")}
        if not all(isinstance(value, str) for value in context.values()) or not quote.text:
            self.errors.append(f"{path}: an orphaned quote needs its text, prefix and suffix.")
            return False
        quote.place(None)
        quote.prefix, quote.suffix = context["prefix"], context["suffix"]
        try:
            # Its fields only: Quote.clean() would look for the words, which are gone.
            quote.clean_fields(exclude=["event", "start", "end"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.errors.extend(f"{path}.{name}: {message}" for message in messages)
            return False
        return True

    def finish(self) -> None:
        orphaned = Quote.objects.filter(
            source__in=self.corrected, status=Quote.Status.ORPHANED
        ).select_related("event")
        self.report.orphaned.extend(
            f"quote {quote.pk} of event {quote.event.slug!r} (\u201c{quote}\u201d): its passage "
            "is no longer in the corrected source text."
            for quote in orphaned
        )
        if self.explicit_quote_ids:
            # New quotes took the ids they had where they came from: move the
            # id sequence past them (PostgreSQL does not do it by itself).
            statements = connection.ops.sequence_reset_sql(no_style(), [Quote])
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)

    def _check_keys(self, record: dict, allowed: set[str], path: str) -> bool:
        unknown = set(record) - allowed
        if unknown:
            self.errors.append(f"{path}: unknown keys {', '.join(sorted(unknown))}.")
        if not isinstance(record.get("slug"), str) or not record.get("slug"):
            self.errors.append(f"{path}.slug: required.")
            return False
        wrong = [
            f"{path}.{key}: {problem}"
            for key, expected in RECORD_KEY_TYPES.items()
            if key in record and (problem := _value_problem(record[key], expected))
        ]
        self.errors.extend(wrong)
        return not unknown and not wrong

    def _valid(self, instance, path: str, exclude=None) -> bool:
        try:
            instance.full_clean(exclude=exclude)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                where = path if name == "__all__" else f"{path}.{name}"
                self.errors.extend(f"{where}: {message}" for message in messages)
            return False
        return True

    def _lookup(self, known, model, item, key, path, allowed):
        if not isinstance(item, dict):
            self.errors.append(f"{path}: must be an object.")
            return None
        unknown = set(item) - allowed
        if unknown:
            self.errors.append(f"{path}: unknown keys {', '.join(sorted(unknown))}.")
            return None
        slug = item.get(key)
        found = known.get(slug) if isinstance(slug, str) else None
        if found is None and isinstance(slug, str):
            found = model.objects.filter(slug=slug).first()
        if found is None:
            self.errors.append(f"{path}.{key}: no {model._meta.verbose_name} with slug {slug!r}.")
        return found


def _valid_changes(changes) -> bool:
    return isinstance(changes, list) and all(
        isinstance(change, dict) and set(change) == {"field", "before", "after"}
        for change in changes
    )


# What a record's keys must hold in a document; dates are checked as they are read.
RECORD_KEY_TYPES = {
    **dict.fromkeys(
        {*SOURCE_FIELDS, *ACTOR_FIELDS, *EVENT_TEXT_FIELDS, "publication"}
        - {"slug", "published_on", "retrieved_at"},
        str,
    ),
    "date_inferred": bool,
    "actors": (list, type(None)),
    "quotes": (list, type(None)),
}
_TYPE_NAMES = {str: "a text", bool: "true or false", (list, type(None)): "a list"}
_JSON_NAMES = {dict: "an object", list: "a list", str: "a text", bool: "true or false",
               int: "a number", float: "a number", type(None): "null"}  # fmt: skip


def _value_problem(value, expected) -> str | None:
    """Why `value` cannot stand where a document wants `expected`, or None.
    No text may hold a NUL character (PostgreSQL refuses to store one)."""
    if not isinstance(value, expected):
        return f"must be {_TYPE_NAMES[expected]}, not {_JSON_NAMES.get(type(value), 'that')}."
    if isinstance(value, str) and "\x00" in value:
        return "contains a NUL character, which no text may hold."
    if isinstance(value, str) and has_lone_surrogate(value):
        return "contains half of a UTF-16 surrogate pair (an escape like \\ud800), which no text may hold."
    return None


def _only(queryset):
    """The one record `queryset` finds, or None when it finds none or several."""
    found = list(queryset[:2])
    return found[0] if len(found) == 1 else None


def _records(document: dict, key: str, errors: list[str]) -> list[dict]:
    records = document.get(key, [])
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        errors.append(f"{key}: must be a list of objects.")
        return []
    return records


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

"""The timeline's data: who (Actor), what and when (Event), and the evidence
(Source, Quote) that backs every event, character for character."""

import functools
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Greatest, Length
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from . import dates, translation
from .anchoring import QuoteNotFound, locate_quote
from .querysets import (
    ActorQuerySet,
    EventQuerySet,
    MonthStart,
    SourceQuerySet,
    TimelineQuerySet,
)


class ActorKind(models.TextChoices):
    PERSON = "person", pgettext_lazy("actor kind", "Person")
    STATE = "state", pgettext_lazy("actor kind", "State")
    ORGANISATION = "organisation", pgettext_lazy("actor kind", "Organisation")
    GROUP = "group", pgettext_lazy("actor kind", "Group")
    # What an import knows of an actor named only by a TimelineJS group or a
    # CSV cell: an editor says what it is.
    UNKNOWN = "unknown", pgettext_lazy("actor kind", "Not stated")


class EventKind(models.TextChoices):
    CALL = "call", pgettext_lazy("event kind", "Call")
    MEETING = "meeting", pgettext_lazy("event kind", "Meeting")
    STATEMENT = "statement", pgettext_lazy("event kind", "Statement")
    AGREEMENT = "agreement", pgettext_lazy("event kind", "Agreement")
    PLEDGE = "pledge", pgettext_lazy("event kind", "Pledge")
    PROPOSAL = "proposal", pgettext_lazy("event kind", "Proposal")
    NEGOTIATION = "negotiation", pgettext_lazy("event kind", "Negotiation")
    DISCUSSION = "discussion", pgettext_lazy("event kind", "Discussion")
    PRISONER_EXCHANGE = "prisoner_exchange", pgettext_lazy("event kind", "Prisoner exchange")
    OTHER = "other", pgettext_lazy("event kind", "Other")


class EventStatus(models.TextChoices):
    OCCURRED = "occurred", pgettext_lazy("event status", "Occurred")
    AGREED = "agreed", pgettext_lazy("event status", "Agreed")
    PLANNED = "planned", pgettext_lazy("event status", "Planned")
    PROPOSED = "proposed", pgettext_lazy("event status", "Proposed")
    REJECTED = "rejected", pgettext_lazy("event status", "Rejected")


class EventPrecision(models.TextChoices):
    DAY = dates.DAY, "Day"
    MONTH = dates.MONTH, "Month"
    YEAR = dates.YEAR, "Year"


class EventPublication(models.TextChoices):
    DRAFT = "draft", "Draft (editors only)"
    PUBLISHED = "published", "Published"


class ParticipationRole(models.TextChoices):
    PRINCIPAL = "principal", pgettext_lazy("participation role", "Principal")
    PARTICIPANT = "participant", pgettext_lazy("participation role", "Participant")
    MENTIONED = "mentioned", pgettext_lazy("participation role", "Mentioned")


@functools.cache
def _slug_url_pattern(name: str) -> str:
    return reverse(name, kwargs={"slug": "0slug0"}).replace("0slug0", "{}")


@functools.cache
def _timeline_url() -> str:
    return reverse("timeline:index")


def slug_url(name: str, slug: str) -> str:
    """reverse() for the slug URLs, which lists show hundreds of: the pattern
    is reversed once, then filled in (slugs need no quoting)."""
    return _slug_url_pattern(name).format(slug)


class QuoteStatus(models.TextChoices):
    VERIFIED = "verified", pgettext_lazy("quote status", "Verified")
    ORPHANED = "orphaned", pgettext_lazy("quote status", "Orphaned")


class ChoiceLabels:
    """get_FOO_display for each field with choices, its labels translated
    once per language (translation.choice_label) rather than all of them on
    every call: a chart's hover text asks for a kind and a status per event."""

    def _get_FIELD_display(self, field):
        return translation.choice_label(field, getattr(self, field.attname))


class Actor(ChoiceLabels, models.Model):
    Kind = ActorKind

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.CharField(max_length=500, blank=True)
    aliases = models.TextField(
        blank=True,
        help_text="Other words the sources use for this actor, one per line "
        "(“the Russian leader”, “Mr Trump”, “the Kremlin”): "
        "drafting events from a source's text finds the actor by them. Not shown on the site.",
    )

    objects = ActorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ActorKind.values), name="actor_kind_valid"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("timeline:actor_detail", self.slug)

    @property
    def alias_list(self) -> list[str]:
        """The aliases, one per line, without blank lines or edge spaces."""
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    @property
    def timeline_url(self):
        """The timeline filtered to this actor's events."""
        return f"{_timeline_url()}?{urlencode({'actor': self.slug})}"


class Source(models.Model):
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    publisher = models.CharField(
        max_length=200,
        blank=True,
        help_text="Leave blank when unknown: the site then says so.",
    )
    url = models.URLField("URL", max_length=500, blank=True, help_text="Leave blank when unknown.")
    published_on = models.DateField(
        "date",
        null=True,
        blank=True,
        help_text="When it was published, or written if that is all that is known. "
        "Leave blank when unknown; explain in the notes.",
    )
    notes = models.TextField(
        blank=True,
        help_text="Provenance: how the date was established, what is unknown.",
    )
    text = models.TextField(help_text="The full text, exactly as published. Quotes point into it.")
    sha256 = models.CharField("SHA-256 of the text", max_length=64, blank=True, editable=False)
    retrieved_at = models.DateTimeField(
        "retrieved",
        null=True,
        blank=True,
        help_text="When this text was obtained; blank if unknown.",
    )

    objects = SourceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "title"]
        indexes = [
            # The filter form's latest sources: read in this order until 20
            # back a published event, instead of every source sorted.
            models.Index(F("published_on").desc(), "title", name="source_latest"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("timeline:source_detail", self.slug)


class PeriodStart(models.Func):
    """The first day of the month or year a date known only to that
    precision lies in (the day itself at day precision), in the database."""

    output_field = models.DateField()
    arity = 2
    sqlite = {"month": "date({0}, 'start of month')", "year": "date({0}, 'start of year')"}
    postgresql = {
        "month": MonthStart.postgresql_template % {"expressions": "{0}"},
        "year": "date_trunc('year', {0}::timestamp)::date",
    }

    def _by_precision(self, compiler, connection, forms):
        (day, day_params), (precision, precision_params) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        sql = (
            f"CASE {precision} WHEN 'month' THEN {forms['month'].format(day)} "
            f"WHEN 'year' THEN {forms['year'].format(day)} ELSE {day} END"
        )
        # CASE <precision> WHEN 'month' THEN <day> WHEN 'year' THEN <day> ELSE <day>
        return sql, [*precision_params, *day_params, *day_params, *day_params]

    def as_sqlite(self, compiler, connection, **extra):
        return self._by_precision(compiler, connection, self.sqlite)

    def as_postgresql(self, compiler, connection, **extra):
        return self._by_precision(compiler, connection, self.postgresql)


class PeriodEnd(PeriodStart):
    """The last day of that month or year (the day itself at day precision)."""

    sqlite = {
        "month": "date({0}, 'start of month', '+1 month', '-1 day')",
        "year": "date({0}, 'start of year', '+1 year', '-1 day')",
    }
    postgresql = {
        "month": "(date_trunc('month', {0}::timestamp) + interval '1 month - 1 day')::date",
        "year": "(date_trunc('year', {0}::timestamp) + interval '1 year - 1 day')::date",
    }


class Event(ChoiceLabels, models.Model):
    Kind = EventKind
    Status = EventStatus
    Precision = EventPrecision
    Publication = EventPublication

    title = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The event's permanent address. It does not change when the title does.",
    )
    summary = models.TextField(blank=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices)
    start = models.DateField(help_text="Where the event is placed on the timeline.")
    end = models.DateField(null=True, blank=True, help_text="For spans only, e.g. a 30-day pause.")
    precision = models.CharField(
        max_length=10,
        choices=Precision.choices,
        default=Precision.DAY,
        help_text="How much of the date is known: the rest is placement only.",
    )
    date_basis = models.TextField(
        help_text="One sentence on how the date was established, and what the source leaves open."
    )
    date_inferred = models.BooleanField(
        "date is inferred",
        default=False,
        help_text="Tick when no source states this date; the date basis says how it was worked out.",
    )
    earliest = models.DateField(
        null=True, blank=True, help_text="For an uncertain date: the earliest it can have been."
    )
    latest = models.DateField(
        null=True, blank=True, help_text="For an uncertain date: the latest it can have been."
    )
    actors = models.ManyToManyField(Actor, through="Participation", related_name="events")
    publication = models.CharField(
        max_length=10,
        choices=Publication.choices,
        default=Publication.DRAFT,
        help_text="Drafts are seen by editors only. Publishing needs at least one actor and "
        "one quote verified in its source.",
    )
    # When the record was made and last saved (not when the event happened):
    # what the Atom feed of new and corrected events is ordered by.
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    # Moves on with every write to the event, its actors or its quotes (see
    # _do_update and EventQuerySet.update): an editor's form carries the
    # version it was opened at, and a save over any other is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    # Every day the event may touch: its span, and the range its date is
    # uncertain within. Computed by the database, whatever writes the row;
    # a date filter keeps the events whose reach overlaps it.
    reach_start = models.GeneratedField(
        expression=Coalesce("earliest", PeriodStart("start", "precision")),
        output_field=models.DateField(),
        db_persist=True,
    )
    reach_end = models.GeneratedField(
        expression=Greatest(
            Coalesce("end", "start"), Coalesce("latest", PeriodEnd("start", "precision"))
        ),
        output_field=models.DateField(),
        db_persist=True,
    )

    objects = EventQuerySet.as_manager()
    # Computed columns, and the record's own timestamps and version (the
    # history's dates and order say when each change was made), are not kept in it.
    history = HistoricalRecords(
        excluded_fields=["reach_start", "reach_end", "created_at", "updated_at", "version"]
    )

    class Meta:
        # A point event sorts as if it ended the day it started: before the
        # spans that start that day, on every database.
        ordering = ["start", Coalesce("end", "start"), "title"]
        # Publishing is a right of its own: an editor may draft without it.
        permissions = [("publish_event", "Can publish events")]
        # Matches the ordering, so a window of the list reads the index in
        # order and stops after a page instead of sorting every match.
        indexes = [
            # Partial: the public timeline reads the published events only, and
            # an index on publication would tempt SQLite away from this one.
            # It carries the reach too, so a window of a date range reads
            # the index alone until it has its page.
            models.Index(
                F("start"),
                Coalesce("end", "start"),
                F("title"),
                F("reach_start"),
                F("reach_end"),
                name="event_published_order",
                condition=Q(publication="published"),
            ),
            # Counts per kind and day, of the whole timeline or of a date
            # range (its reach checked in the index), read from the index alone.
            models.Index(
                fields=["kind", "start", "reach_start", "reach_end"],
                name="event_published_kind_start",
                condition=Q(publication="published"),
            ),
            # A short date range, and its counts, from the index alone.
            models.Index(
                fields=["reach_start", "reach_end", "kind", "start"],
                name="event_published_reach",
                condition=Q(publication="published"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="event_end_not_before_start",
                violation_error_message="The end date cannot be before the start date.",
            ),
            models.CheckConstraint(condition=~Q(date_basis=""), name="event_date_basis_given"),
            models.CheckConstraint(
                condition=Q(earliest__isnull=True) | Q(earliest__lte=F("start")),
                name="event_earliest_not_after_start",
                violation_error_message="The earliest date cannot be after the date.",
            ),
            models.CheckConstraint(
                condition=Q(latest__isnull=True) | Q(latest__gte=F("start")),
                name="event_latest_not_before_start",
                violation_error_message="The latest date cannot be before the date.",
            ),
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=EventStatus.values), name="event_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(precision__in=EventPrecision.values),
                name="event_precision_valid",
            ),
            models.CheckConstraint(
                condition=Q(publication__in=EventPublication.values),
                name="event_publication_valid",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.date_display})"

    def get_absolute_url(self):
        return slug_url("timeline:event_detail", self.slug)

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        """save()'s UPDATE, made optimistic: the row is written only if it
        still holds the version this copy was read at, and its version moves
        on, in the same statement. A row someone else saved since is left as
        it is, and the save raises EditConflict."""
        version = self._meta.get_field("version")
        values = [value for value in values if value[0] is not version]
        values.append((version, None, F("version") + 1))
        loaded = self.version
        updated = super()._do_update(
            base_qs.filter(version=loaded), using, pk_val, values, update_fields, forced_update
        )
        if updated:
            self.version = loaded + 1
        elif base_qs.filter(pk=pk_val).exists():
            raise EditConflict(self, loaded)
        return updated

    def clean(self):
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = "The end date cannot be before the start date."
        if self.start and self.earliest and self.earliest > self.start:
            errors["earliest"] = "The earliest date cannot be after the date."
        if self.start and self.latest and self.latest < self.start:
            errors["latest"] = "The latest date cannot be before the date."
        if errors:
            raise ValidationError(errors)

    @property
    def is_span(self):
        return self.end is not None and self.end != self.start

    @property
    def is_uncertain(self):
        return self.earliest is not None or self.latest is not None

    @property
    def date_display(self):
        if self.is_uncertain and not self.is_span:
            return dates.format_bounds(self.earliest, self.latest)
        return dates.format_span(self.start, self.end, self.precision)

    @property
    def sources(self):
        """The distinct sources of this event's quotes (from prefetched quotes)."""
        return list({quote.source_id: quote.source for quote in self.quotes.all()}.values())


class EditConflict(Exception):
    """An event was saved by someone else since this copy of it was read:
    the save wrote nothing."""

    def __init__(self, event: Event, loaded_version: int):
        super().__init__(
            f"Event {event.pk} was saved by someone else since version {loaded_version} was read."
        )
        self.event = event
        self.loaded_version = loaded_version


class Participation(ChoiceLabels, models.Model):
    Role = ParticipationRole

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participations")
    # PROTECT: deleting an actor must never silently strip events of their attribution.
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PARTICIPANT)

    objects = TimelineQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "actor__name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "actor"], name="participation_unique"),
            models.CheckConstraint(
                condition=Q(role__in=ParticipationRole.values),
                name="participation_role_valid",
            ),
        ]

    def __str__(self):
        return f"{self.actor} ({self.get_role_display().lower()})"


class Quote(ChoiceLabels, models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="quotes")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="quotes")
    speaker = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quotes_spoken",
        help_text="Who said these words. Leave blank for the source's own narration.",
    )
    text = models.TextField(help_text="Copied exactly from the source: every character must match.")
    # The selectors below are computed from the text, never typed: the
    # offsets (end excluded) and the characters just before and after.
    start = models.PositiveIntegerField(null=True, editable=False)
    end = models.PositiveIntegerField(null=True, editable=False)
    prefix = models.CharField(max_length=64, blank=True, editable=False)
    suffix = models.CharField(max_length=64, blank=True, editable=False)
    # Orphaned: the source's text no longer contains these words.
    status = models.CharField(
        max_length=10, choices=QuoteStatus.choices, default=QuoteStatus.VERIFIED, editable=False
    )

    Status = QuoteStatus

    objects = TimelineQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["source", "start"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="quote_text_given"),
            models.CheckConstraint(
                condition=Q(
                    status=QuoteStatus.VERIFIED,
                    start__isnull=False,
                    end__isnull=False,
                    end=F("start") + Length("text"),
                )
                | Q(status=QuoteStatus.ORPHANED, start__isnull=True, end__isnull=True),
                name="quote_verified_offsets_span_text",
            ),
        ]

    def __str__(self):
        return self.text if len(self.text) <= 80 else f"{self.text[:77]}…"

    def get_absolute_url(self):
        return f"{self.source.get_absolute_url()}#quote-{self.pk}"

    def clean(self):
        if self.source_id is None or not self.text:
            return
        try:
            anchor = locate_quote(self.source.text, self.text, hint=self.start)
        except QuoteNotFound as error:
            raise ValidationError({"text": f"{error} (source: {self.source.title})"}) from error
        self.place(anchor)

    def place(self, anchor):
        """Point the quote at `anchor`, or mark it orphaned when there is none.

        An orphan keeps its last prefix and suffix, so that restoring the
        passage finds it again."""
        if anchor is None:
            self.start = self.end = None
            self.status = QuoteStatus.ORPHANED
        else:
            self.start, self.end = anchor.start, anchor.end
            self.prefix, self.suffix = anchor.prefix, anchor.suffix
            self.status = QuoteStatus.VERIFIED

    @property
    def is_orphaned(self):
        return self.status == QuoteStatus.ORPHANED


class ChartEntry(models.Model):
    """One row per participation in a published event, with the event's kind
    and dates: what the chart counts, readable in actor order without
    touching the events.

    Kept by database triggers (migration 0002), so that every write path
    keeps it right, raw SQL and QuerySet.update() included; the app never
    writes it. Counting a busy actor's events per kind and day then reads
    one range of the (actor, kind, day) index instead of every event."""

    participation_id = models.BigIntegerField(primary_key=True)
    actor_id = models.BigIntegerField()
    event_id = models.BigIntegerField()
    kind = models.CharField(max_length=30)
    day = models.DateField()
    end = models.DateField(null=True)
    # The event's reach (Event.reach_start, reach_end), for date filters.
    reach_start = models.DateField()
    reach_end = models.DateField()

    class Meta:
        indexes = [
            models.Index(
                fields=["actor_id", "kind", "day", "event_id"], name="chartentry_actor_day"
            )
        ]

    def __str__(self):
        return f"actor {self.actor_id}, event {self.event_id}: {self.kind} on {self.day}"


class TimelineTitle(models.Model):
    """The timeline's own title (a single row), as a TimelineJS title slide
    or a document's "title" sets it; without one, the TIMELINE_TITLE setting."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    objects = TimelineQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "timeline title"

    def __str__(self):
        return self.title

    @classmethod
    def current(cls) -> "TimelineTitle":
        """The stored title, or one made of the TIMELINE_TITLE setting (unsaved)."""
        return cls.objects.filter(pk=1).first() or cls(title=settings.TIMELINE_TITLE)


class Correction(models.Model):
    """A change to an event that its editor declared a correction: shown on
    the event's page, in the feed and in /events.json, for good.

    `changes` is what the save changed, read from the history
    (timeline/history.py): [{"field", "before", "after"}], the values as
    /events.json gives them. Nothing deletes a correction: not the admin
    (no delete permission), and not deleting its event (PROTECT)."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="corrections")
    # A default rather than auto_now_add, so that a restored backup keeps the date.
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    note = models.CharField(max_length=300, help_text="One line: what was wrong, for readers.")
    changes = models.JSONField(default=list, blank=True)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = TimelineQuerySet.as_manager()

    class Meta:
        ordering = ["event", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(note=""), name="correction_note_given"),
        ]

    def __str__(self):
        return f"{self.event.title}: {self.note}"

    def get_absolute_url(self):
        return f"{self.event.get_absolute_url()}#corrections"


class DataVersion(models.Model):
    """A counter that every write operation on the timeline bumps once (see
    cache.py), so that cached responses in every worker go stale at once."""

    number = models.PositiveBigIntegerField(default=0)
    # Random at every bump: what cache keys and ETags carry (see cache.py).
    stamp = models.CharField(max_length=16, default="")

    def __str__(self):
        return f"timeline data version {self.number} ({self.stamp})"

"""Accepting proposals: the writes of drafting.

An accepted proposal becomes a draft event with its participations and its
quotes, each quote anchored in the source like any other (Quote.clean); a
proposal that repeats an existing event (``duplicate_of``) adds its new
quotes to that event instead. New actors are created only when the editor
confirmed them. Everything an editor accepts at once is written in one
transaction, or nothing is: any problem refuses the lot, and says which
proposal and why.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify

from timeline import dates
from timeline.cache import data_changed
from timeline.models import Actor, ActorKind, Event, Participation, Quote, Source
from timeline.services import events_touch
from timeline.text import SLUG_LENGTH, numbered_slug

from .proposals import Proposal, ProposedActor

# What an editor may change in a proposal before accepting it. Quotes are
# chosen, never edited: they must stay the source's words.
EDITABLE_FIELDS = ("title", "kind", "status", "start", "end", "precision", "summary", "date_basis")

# Computed from the text by Quote.clean, never checked as given.
QUOTE_SELECTORS = ["start", "end", "prefix", "suffix", "status"]
MOVED = (
    "\u201c%(quote)s\u201d is not at its place in the source text any more: open the draft again."
)
NO_DATE = (
    "The text gives no date for this event: give its date (and say in the date basis "
    "how you know it) before accepting it."
)


@dataclass(frozen=True)
class Acceptance:
    """What the editor accepts of one proposal: their edits (`overrides`,
    by EDITABLE_FIELDS), the quotes kept (indexes into proposal.quotes;
    None keeps them all) and the names of the new actors they confirmed."""

    proposal: Proposal
    overrides: dict = field(default_factory=dict)
    quotes: frozenset[int] | None = None
    confirmed_actors: frozenset[str] = frozenset()


@dataclass
class Accepted:
    """One accepted proposal: the event it made (or added to) and how many
    quotes it added."""

    key: str
    event: Event
    created: bool
    quotes_added: int


class ProposalsNotAccepted(Exception):
    """Nothing was written. `errors` maps a proposal's key to its problems,
    each a (field name or None, message) pair."""

    def __init__(self, errors: dict[str, list[tuple[str | None, str]]]):
        super().__init__("; ".join(f"{key}: {m}" for key, ms in errors.items() for _, m in ms))
        self.errors = errors


def proposal_accept(
    *,
    source: Source,
    proposal: Proposal,
    user=None,
    overrides: dict | None = None,
    quotes: frozenset[int] | None = None,
    confirm_new_actors=frozenset(),
) -> Event:
    """Accept one proposal of `source`'s draft (see proposals_accept)."""
    acceptance = Acceptance(
        proposal=proposal,
        overrides=dict(overrides or {}),
        quotes=quotes,
        confirmed_actors=frozenset(confirm_new_actors),
    )
    return proposals_accept(source=source, acceptances=[acceptance], user=user)[0].event


def proposals_accept(*, source: Source, acceptances: list[Acceptance], user=None) -> list[Accepted]:
    """Write every acceptance, in one transaction: each proposal becomes a
    draft event (or adds its new quotes to the event it repeats). Raises
    ProposalsNotAccepted, having written nothing, if any of them cannot be."""
    errors: dict[str, list[tuple[str | None, str]]] = {}
    accepted: list[Accepted] = []
    with transaction.atomic():
        run = _Acceptance(source, user)
        for acceptance in acceptances:
            problems: list[tuple[str | None, str]] = []
            result = run.accept(acceptance, problems)
            if problems:
                errors[acceptance.proposal.key] = problems
            elif result is not None:
                accepted.append(result)
        if errors:
            transaction.set_rollback(True)
        else:
            data_changed()
    if errors:
        raise ProposalsNotAccepted(errors)
    return accepted


class _Acceptance:
    """One acceptance run: the new actors made so far, by name, so two
    proposals naming the same new actor make one."""

    def __init__(self, source: Source, user):
        self.source = source
        self.user = user
        self.new_actors: dict[str, Actor] = {}

    def accept(self, acceptance: Acceptance, problems) -> Accepted | None:
        proposal = acceptance.proposal
        kept = [
            quote
            for index, quote in enumerate(proposal.quotes)
            if acceptance.quotes is None or index in acceptance.quotes
        ]
        for quote in kept:
            if not (
                0 <= quote.start < quote.end <= len(self.source.text)
                and self.source.text[quote.start : quote.end] == quote.text
            ):
                problems.append(("quotes", MOVED % {"quote": _short(quote.text)}))
        speakers = {}
        for quote in kept:
            if quote.speaker is not None:
                speakers[id(quote)] = self._actor(quote.speaker, acceptance, problems, "quotes")
        if problems:
            return None
        if proposal.duplicate_of:
            return self._add_to_existing(proposal, kept, speakers, problems)

        event = self._event(acceptance, problems)
        actors = []
        for proposed in proposal.actors:
            if proposed.slug is None and proposed.name not in acceptance.confirmed_actors:
                continue  # not confirmed: left out, never created silently
            actor = self._actor(proposed, acceptance, problems, "actors")
            if actor is not None and actor.pk not in {a.pk for a, _ in actors}:
                actors.append((actor, proposed.role))
        if problems or event is None:
            return None
        self._save(event)
        for actor, role in actors:
            participation = Participation(event=event, actor=actor, role=role)
            if not self._valid(participation, problems, "actors"):
                return None
            self._save(participation)
        for quote in kept:
            self._quote(event, quote, speakers.get(id(quote)), problems)
        if problems:
            return None
        return Accepted(key=proposal.key, event=event, created=True, quotes_added=len(kept))

    def _event(self, acceptance: Acceptance, problems) -> Event | None:
        proposal, overrides = acceptance.proposal, acceptance.overrides
        unknown = set(overrides) - set(EDITABLE_FIELDS)
        if unknown:
            raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
        value = {name: overrides.get(name, getattr(proposal, name)) for name in EDITABLE_FIELDS}
        title = " ".join((value["title"] or "").split())
        if not title:
            problems.append(("title", "Give the event a title."))
        if value["start"] is None:
            problems.append(("start", NO_DATE))
            return None
        basis = (value["date_basis"] or "").strip()
        # A date the text does not give is the editor's inference; the bounds
        # the text gives ("after the call, before the article") hold only for
        # the date proposed with them.
        kept_start = value["start"] == proposal.start
        inferred = proposal.date_inferred or not kept_start
        earliest, latest = (proposal.earliest, proposal.latest) if kept_start else (None, None)
        proposed_date = (proposal.start, proposal.end, proposal.precision)
        given_date = (value["start"], value["end"], value["precision"])
        if given_date != proposed_date and basis == proposal.date_basis.strip():
            # The basis must say how the date now shown was established.
            given = _date_words(*given_date)
            if proposal.start is None:
                basis = f"{basis} Date given by the editor when accepting the draft: {given}."
            else:
                was = _date_words(*proposed_date)
                basis = f"{basis} Date changed by the editor from {was} to {given} when accepting."
            basis = basis.strip()
        if not basis:
            problems.append(("date_basis", "Say how the date was established."))
        if problems:
            return None
        event = Event(
            title=title,
            slug=_unique_slug(Event, title),
            summary=(value["summary"] or "").strip(),
            kind=value["kind"],
            status=value["status"],
            start=value["start"],
            end=value["end"],
            precision=value["precision"],
            earliest=earliest,
            latest=latest,
            date_basis=basis,
            date_inferred=inferred,
            publication=Event.Publication.DRAFT,
        )
        return event if self._valid(event, problems, None) else None

    def _add_to_existing(self, proposal, kept, speakers, problems) -> Accepted | None:
        event = Event.objects.select_for_update().filter(slug=proposal.duplicate_of).first()
        if event is None:
            problems.append(
                (
                    None,
                    f"The event it repeats ({proposal.duplicate_of}) no longer exists: "
                    "open the draft again.",
                )
            )
            return None
        stored = set(event.quotes.filter(source=self.source).values_list("start", "text"))
        added = 0
        for quote in kept:
            if (quote.start, quote.text) in stored:
                continue
            if not self._quote(event, quote, speakers.get(id(quote)), problems):
                return None
            added += 1
        if added:
            # The event's evidence changed: its version moves on (an editor's
            # open form is refused) and the feed shows it as changed.
            events_touch(event_ids={event.pk})
        return Accepted(key=proposal.key, event=event, created=False, quotes_added=added)

    def _actor(self, proposed: ProposedActor, acceptance, problems, where) -> Actor | None:
        if proposed.slug is not None:
            actor = Actor.objects.filter(slug=proposed.slug).first()
            if actor is None:
                problems.append(
                    (
                        where,
                        f"{proposed.name} ({proposed.slug}) is no longer an actor here: "
                        "open the draft again.",
                    )
                )
            return actor
        if proposed.name not in acceptance.confirmed_actors:
            problems.append(
                (
                    where,
                    f"{proposed.name} is a new actor, who speaks a quote you kept: confirm "
                    "them as a new actor, or leave that quote out.",
                )
            )
            return None
        name = " ".join(proposed.name.split())
        if name in self.new_actors:
            return self.new_actors[name]
        # An actor of exactly that name may have been added since the draft was drawn.
        actor = Actor.objects.filter(name__iexact=name).first()
        if actor is None:
            kind = proposed.kind if proposed.kind in ActorKind.values else ActorKind.UNKNOWN
            actor = Actor(name=name, slug=_unique_slug(Actor, name), kind=kind)
            if not self._valid(actor, problems, where):
                return None
            self._save(actor)
        self.new_actors[name] = actor
        return actor

    def _quote(self, event: Event, proposed, speaker, problems) -> bool:
        # Anchored like any quote: start names the occurrence, Quote.clean
        # checks the words and sets the selectors.
        quote = Quote(
            event=event,
            source=self.source,
            speaker=speaker,
            text=proposed.text,
            start=proposed.start,
        )
        if not self._valid(quote, problems, "quotes", exclude=QUOTE_SELECTORS):
            return False
        self._save(quote)
        return True

    def _valid(self, instance, problems, where, exclude=None) -> bool:
        try:
            instance.full_clean(exclude=exclude)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                field_name = where or (name if name in EDITABLE_FIELDS else None)
                problems.extend((field_name, message) for message in messages)
            return False
        return True

    def _save(self, instance) -> None:
        if self.user is not None:
            instance._history_user = self.user  # who made it, outside a request too
        instance.save()


def _unique_slug(model, name: str) -> str:
    base = slugify(name)[:SLUG_LENGTH].strip("-") or model._meta.model_name
    return numbered_slug(base, lambda slug: model.objects.filter(slug=slug).exists())


def _date_words(start: datetime.date | None, end: datetime.date | None, precision: str) -> str:
    if start is None:
        return "no date"
    with translation.override("en"):  # the language of the date basis, whatever the editor's
        return dates.format_span(start, end, precision)


def _short(text: str) -> str:
    return text if len(text) <= 60 else f"{text[:57]}\u2026"

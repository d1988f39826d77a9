"""What drafting proposes: the shapes shared by the extractor, the command and the admin.

The extractor (``timeline.drafting.draft_events``) fills these; ``manage.py
draft_events --json`` prints ``Draft.as_json()`` (a fixed public shape, see
issue 11); the admin's review page shows them and accepts them
(``timeline.drafting.accept``). Every ``start``/``end`` is an offset into
``Source.text`` (end excluded), so ``source.text[start:end]`` is always the
exact words shown.
"""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class ProposedActor:
    name: str
    role: str  # a ParticipationRole value
    slug: str | None = None  # None: a new actor, offered for the editor to confirm
    # The actor kind suggested for a new actor (an ActorKind value), "" when unknown.
    kind: str = ""

    def as_json(self):
        return {"slug": self.slug, "name": self.name, "role": self.role}


@dataclass(frozen=True)
class ProposedQuote:
    text: str  # == source.text[start:end], by construction
    start: int
    end: int
    speaker: ProposedActor | None = None

    def as_json(self):
        speaker = (
            None if self.speaker is None else {"slug": self.speaker.slug, "name": self.speaker.name}
        )
        return {"text": self.text, "start": self.start, "end": self.end, "speaker": speaker}


@dataclass
class Proposal:
    key: str  # stable within one draft ("p1", "p2"…): names the proposal in forms
    title: str
    kind: str  # an EventKind value
    status: str  # an EventStatus value
    start: date | None  # None: the text gives no date for it; the editor must supply one
    end: date | None
    precision: str  # an EventPrecision value ("day", "month", "year")
    date_text: str  # the exact words the date came from ("" when unknown)
    date_basis: str  # how it was resolved: the words, and the date resolved against
    # Offsets of date_text in the source text, for highlighting (None when unknown).
    date_start: int | None = None
    date_end: int | None = None
    date_inferred: bool = False  # True when the date is inherited/worked out, not stated
    # For an uncertain date (Event.earliest/latest): "between 18 and 19 March",
    # "some time before 18 March". None when not known.
    earliest: date | None = None
    latest: date | None = None
    summary: str = ""
    # The sentence(s) the proposal was drawn from, as offsets into the text.
    sentence_start: int = 0
    sentence_end: int = 0
    actors: list[ProposedActor] = field(default_factory=list)
    quotes: list[ProposedQuote] = field(default_factory=list)
    duplicate_of: str | None = None  # slug of an existing event this repeats

    def as_json(self):
        return {
            "title": self.title,
            "kind": self.kind,
            "status": self.status,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "precision": self.precision,
            "date_text": self.date_text,
            "date_basis": self.date_basis,
            "actors": [actor.as_json() for actor in self.actors],
            "quotes": [quote.as_json() for quote in self.quotes],
            "duplicate_of": self.duplicate_of,
        }


@dataclass
class Draft:
    source_slug: str
    base_date: date | None  # the source's date, which relative dates resolve against
    proposals: list[Proposal] = field(default_factory=list)

    def as_json(self):
        return {
            "source": self.source_slug,
            "base_date": self.base_date.isoformat() if self.base_date else None,
            "proposals": [proposal.as_json() for proposal in self.proposals],
        }

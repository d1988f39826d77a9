"""Proposals that repeat an event already in the timeline.

``flag_duplicates(proposals, existing, source_slug)`` marks a proposal as a
duplicate of an existing event (``duplicate_of`` = its slug) when a quote it
proposes overlaps one of that event's quotes from the same source (the most
overlap wins), or when it is of the same kind, on the same date, and the
event has every actor the proposal names as principal. A duplicate keeps only the quotes
the event does not have yet: those are what accepting offers to add. Pure: no
database.
"""

import datetime
from dataclasses import dataclass

from timeline.drafting.proposals import Proposal


@dataclass(frozen=True)
class ExistingEvent:
    slug: str
    start: datetime.date
    kind: str
    actors: frozenset  # actor slugs
    quotes: tuple[tuple[int, int], ...]  # (start, end) of its quotes from this source


def flag_duplicates(proposals: list[Proposal], existing: list[ExistingEvent]) -> None:
    for proposal in proposals:
        event = _duplicate(proposal, existing)
        if event is None:
            continue
        proposal.duplicate_of = event.slug
        proposal.quotes = [
            quote
            for quote in proposal.quotes
            if not any(start <= quote.start and quote.end <= end for start, end in event.quotes)
        ]


def _duplicate(proposal: Proposal, existing: list[ExistingEvent]) -> ExistingEvent | None:
    best, best_overlap = None, 0
    for event in existing:
        overlap = sum(
            min(quote.end, end) - max(quote.start, start)
            for quote in proposal.quotes
            for start, end in event.quotes
            if quote.start < end and start < quote.end
        )
        if overlap > best_overlap:
            best, best_overlap = event, overlap
    if best is not None:
        return best
    principals = {a.slug for a in proposal.actors if a.slug and a.role == "principal"}
    for event in existing:
        if proposal.start is None or (event.start, event.kind) != (proposal.start, proposal.kind):
            continue
        if principals and principals <= event.actors:
            return event
    return None

"""Drafting events from a source's text: proposals for an editor to accept, edit or discard.

``draft_events(source)`` returns a ``Draft`` (see ``proposals.py``). It never
writes: accepting is ``accept.py``'s job. This is the Django edge; the reading
itself is pure and lives beside it:

- ``sentences.py`` cuts the text into paragraphs and sentences;
- ``dates.py`` finds date expressions and resolves them against the source's date;
- ``quotes.py`` finds quoted speech and the words naming its speaker;
- ``actors.py`` finds known actors by name and alias, and names no actor has;
- ``events.py`` groups sentences into proposals (kind, status, title, quotes);
- ``timing.py`` dates each proposal and says how;
- ``duplicates.py`` flags proposals that repeat an existing event.
"""

from django.db.models import Prefetch, Q

from timeline.drafting.actors import KnownActor
from timeline.drafting.duplicates import ExistingEvent, flag_duplicates
from timeline.drafting.events import propose
from timeline.drafting.proposals import Draft, Proposal, ProposedActor, ProposedQuote


def draft_events(source) -> Draft:
    """Propose the events of ``source``: every actor known to the timeline is
    looked for by name and aliases; every event already backed by this source,
    or falling on a proposed date, is checked for duplicates."""
    from timeline.models import Actor, Event, Quote

    actors = [
        KnownActor(actor.slug, actor.name, actor.kind, tuple(actor.alias_list))
        for actor in Actor.objects.only("slug", "name", "kind", "aliases")
    ]
    proposals = propose(source.text, source.published_on, actors, source.notes)
    dates = {proposal.start for proposal in proposals if proposal.start}
    events = (
        Event.objects.filter(Q(quotes__source=source) | Q(start__in=dates))
        .distinct()
        .prefetch_related(
            "participations__actor",
            Prefetch("quotes", queryset=Quote.objects.filter(source=source), to_attr="here"),
        )
    )
    existing = [
        ExistingEvent(
            slug=event.slug,
            start=event.start,
            kind=event.kind,
            actors=frozenset(p.actor.slug for p in event.participations.all()),
            quotes=tuple((q.start, q.end) for q in event.here if q.start is not None),
        )
        for event in events
    ]
    flag_duplicates(proposals, existing)
    return Draft(source_slug=source.slug, base_date=source.published_on, proposals=proposals)


__all__ = ["Draft", "Proposal", "ProposedActor", "ProposedQuote", "draft_events"]

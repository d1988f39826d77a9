"""The public JSON shape of /events.json. Its keys are a promise to API users:
fields may be added, never removed or changed in meaning or type."""

from .models import Event


def event_as_json(event: Event, build_absolute_uri) -> dict:
    return {
        "slug": event.slug,
        "title": event.title,
        "summary": event.summary,
        "kind": event.kind,
        "status": event.status,
        "start": event.start.isoformat(),
        "end": event.end.isoformat() if event.end else None,
        "precision": event.precision,
        "date_basis": event.date_basis,
        "date_inferred": event.date_inferred,
        "earliest": event.earliest.isoformat() if event.earliest else None,
        "latest": event.latest.isoformat() if event.latest else None,
        "url": build_absolute_uri(event.get_absolute_url()),
        "actors": [
            {
                "slug": p.actor.slug,
                "name": p.actor.name,
                "kind": p.actor.kind,
                "role": p.role,
            }
            for p in event.participations.all()
        ],
        "quotes": [
            {
                "id": quote.pk,
                "text": quote.text,
                "speaker": (
                    {"slug": quote.speaker.slug, "name": quote.speaker.name}
                    if quote.speaker
                    else None
                ),
                "source": {
                    "slug": quote.source.slug,
                    "title": quote.source.title,
                    "url": quote.source.url or None,
                },
                "start": quote.start,
                "end": quote.end,
                "status": quote.status,
            }
            for quote in event.quotes.all()
        ],
        "corrections": [correction_as_json(correction) for correction in event.corrections.all()],
    }


def correction_as_json(correction) -> dict:
    """A correction: when, the editor's note, and what changed
    ([{"field", "before", "after"}], the values as in this shape)."""
    return {
        "date": correction.created_at.isoformat(timespec="seconds"),
        "note": correction.note,
        "changes": correction.changes,
    }


_SCHEMA_STATUS = {
    Event.Status.REJECTED: "https://schema.org/EventCancelled",
}


def event_as_schema_org(event: Event, build_absolute_uri) -> dict:
    """schema.org's Event for an event page (JSON-LD): the date to its known
    precision, principals as organizers, other actors as attendees, and the
    quotes that back it with who said them."""
    start = event.start.isoformat()
    if event.precision != Event.Precision.DAY:
        start = start[:7] if event.precision == Event.Precision.MONTH else start[:4]

    def party(actor) -> dict:
        kind = {actor.Kind.PERSON: "Person", actor.Kind.UNKNOWN: "Thing"}.get(
            actor.kind, "Organization"
        )
        return {
            "@type": kind,
            "name": actor.name,
            "url": build_absolute_uri(actor.get_absolute_url()),
        }

    participations = list(event.participations.all())
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.summary,
        "startDate": start,
        "url": build_absolute_uri(event.get_absolute_url()),
        "eventStatus": _SCHEMA_STATUS.get(event.status, "https://schema.org/EventScheduled"),
        "organizer": [party(p.actor) for p in participations if p.role == p.Role.PRINCIPAL],
        "attendee": [party(p.actor) for p in participations if p.role != p.Role.PRINCIPAL],
        "subjectOf": [
            {
                "@type": "Quotation",
                "text": quote.text,
                "creator": party(quote.speaker) if quote.speaker else None,
                "isPartOf": {
                    "@type": "CreativeWork",
                    "name": quote.source.title,
                    # An orphaned quote's passage is gone: point at the source, not at it.
                    "url": quote.source.url
                    or build_absolute_uri(
                        quote.source.get_absolute_url()
                        if quote.is_orphaned
                        else quote.get_absolute_url()
                    ),
                },
            }
            for quote in event.quotes.all()
        ],
    }
    if event.is_span:
        data["endDate"] = event.end.isoformat()
    return data

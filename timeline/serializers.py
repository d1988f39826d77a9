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
    }

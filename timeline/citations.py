"""How quotes are shown to a reader who wants to check them: the sentences
around each passage, a citation line to copy, and each party's account."""

from dataclasses import dataclass

from . import dates
from .anchoring import sentence_context
from .models import Actor, Event, Quote, Source


@dataclass
class Account:
    """What one speaker (or, with speaker None, the source itself) says of an event."""

    speaker: Actor | None
    quotes: list[Quote]


def event_quotes_for_reading(event: Event, build_absolute_uri) -> list[Quote]:
    """The event's quotes, each given `context_before`, `context_after` and
    `citation`. One query for the texts of the sources involved."""
    quotes = list(event.quotes.all())
    texts = dict(
        Source.objects.filter(pk__in={q.source_id for q in quotes}).values_list("pk", "text")
    )
    for quote in quotes:
        if quote.is_orphaned:
            quote.context_before = quote.context_after = ""
        else:
            quote.context_before, quote.context_after = sentence_context(
                texts[quote.source_id], quote.start, quote.end
            )
        quote.citation = citation_line(quote, build_absolute_uri)
    return quotes


def citation_line(quote: Quote, build_absolute_uri) -> str:
    source = quote.source
    who = quote.speaker.name if quote.speaker else "the source's own words"
    parts = [
        f"{quote.text} ({who})",
        source.title,
        source.publisher or "publisher unknown",
        dates.format_date(source.published_on, dates.DAY)
        if source.published_on
        else "date unknown",
    ]
    line = ", ".join(parts) + "."
    if quote.is_orphaned:
        return f"{line} [No longer found in the source text.]"
    where = build_absolute_uri(quote.get_absolute_url())
    return f"{line} Characters {quote.start}\u2013{quote.end}: {where}"


def accounts(quotes: list[Quote]) -> list[Account]:
    """Quotes grouped by speaker, speakers in the order they first appear,
    the source's own words last."""
    by_speaker: dict[int | None, Account] = {}
    for quote in quotes:
        key = quote.speaker_id
        if key not in by_speaker:
            by_speaker[key] = Account(speaker=quote.speaker, quotes=[])
        by_speaker[key].quotes.append(quote)
    narration = by_speaker.pop(None, None)
    return [*by_speaker.values(), *([narration] if narration else [])]

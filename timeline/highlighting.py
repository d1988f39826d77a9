"""A source's text cut into runs for the reader: plain text, and passages
covered by one or more quotes (overlapping quotes both show); and a
search's words marked in the text that matched."""

import re
from dataclasses import dataclass, field

from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe

from .models import Quote


@dataclass
class Run:
    text: str
    quotes: list[Quote] = field(default_factory=list)  # the quotes covering this run
    starting: list[Quote] = field(default_factory=list)  # quotes that begin here
    ending: list[Quote] = field(default_factory=list)  # quotes that end here

    @property
    def quote_ids(self) -> str:
        return " ".join(str(quote.pk) for quote in self.quotes)


def highlight_runs(text: str, quotes: list[Quote]) -> list[Run]:
    """Split `text` at every quote's start and end. Orphaned quotes have no
    place in the text and are left out."""
    placed = sorted((q for q in quotes if not q.is_orphaned), key=lambda q: (q.start, -q.end))
    cuts = sorted({0, len(text), *(q.start for q in placed), *(q.end for q in placed)})
    runs = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        runs.append(
            Run(
                text=text[left:right],
                quotes=[q for q in placed if q.start <= left and right <= q.end],
                starting=[q for q in placed if q.start == left],
                ending=[q for q in placed if q.end == right],
            )
        )
    return runs


def mark_terms(text: str, terms: list[str]) -> SafeString:
    """`text`, escaped, with every word that a search term begins wrapped in
    <mark>: how the list shows why an event matched a search."""
    if not terms:
        return conditional_escape(text)
    pattern = re.compile(
        r"\b(" + "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)) + r")",
        re.IGNORECASE,
    )
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(format_html("<mark>{}</mark>", match.group(0)))
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 - every part escaped above

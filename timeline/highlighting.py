"""A source's text cut into runs for the reader: plain text, and passages
covered by one or more quotes (overlapping quotes both show)."""

from dataclasses import dataclass, field

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

"""Finding a quote in its source text: exact offsets, or a helpful refusal.

Pure functions over strings, with no database access, so the model, the admin
and the importer all anchor quotes the same way.
"""

import difflib
import re
from dataclasses import dataclass

# Characters an editor is likely to type in place of the source's own.
_EQUIVALENT = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\u201d\"']?\s+|\n+")


class QuoteNotFound(ValueError):
    """The quote cannot be pinned to exactly one place in the source."""

    def __init__(self, message: str, suggestion: str | None = None):
        super().__init__(message)
        self.suggestion = suggestion


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int


def locate_quote(source_text: str, quote: str, *, hint: int | None = None) -> Anchor:
    """Return where `quote` stands in `source_text`, character for character.

    `hint` is a start offset known from before (a saved quote): when the quote
    still stands there it is kept, even if the same words occur elsewhere too.
    """
    if not quote.strip():
        raise QuoteNotFound("A quote cannot be empty.")
    if hint is not None and source_text[hint : hint + len(quote)] == quote:
        return Anchor(hint, hint + len(quote))
    first = source_text.find(quote)
    if first == -1:
        suggestion = closest_passage(source_text, quote)
        message = "This text does not occur verbatim in the source."
        if suggestion:
            message += f" The closest passage in the source is: {suggestion}"
        raise QuoteNotFound(message, suggestion)
    occurrences = source_text.count(quote)
    if occurrences > 1:
        raise QuoteNotFound(
            f"This text occurs {occurrences} times in the source; quote a longer "
            "passage so that it points at one place."
        )
    return Anchor(first, first + len(quote))


def relocate_quote(old_text: str, new_text: str, quote: str, old_start: int) -> Anchor:
    """Where a quote that stood at `old_start` in `old_text` stands after an edit.

    An edit that leaves the quoted characters alone moves them by a known
    amount, so the quote keeps its own occurrence even when the same words
    also occur elsewhere; otherwise the quote must be found afresh.
    """
    prefix, suffix = _unchanged_edges(old_text, new_text)
    old_end = old_start + len(quote)
    if old_end <= prefix:
        moved_start = old_start
    elif old_start >= len(old_text) - suffix:
        moved_start = old_start + len(new_text) - len(old_text)
    else:
        moved_start = None
    return locate_quote(new_text, quote, hint=moved_start)


def _unchanged_edges(old: str, new: str) -> tuple[int, int]:
    """How many characters at the start, and then at the end, an edit left alone."""
    limit = min(len(old), len(new))
    prefix = 0
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    return prefix, suffix


def closest_passage(source_text: str, quote: str) -> str | None:
    """The source's own characters that the editor most probably meant.

    First a match that differs only in quote marks, dashes, white space or
    case; failing that, the most similar sentence, if it is similar enough.
    """
    normalised, positions = _normalise_with_positions(source_text)
    wanted, _ = _normalise_with_positions(quote)
    wanted = wanted.strip()
    if wanted:
        for haystack, needle in (
            (normalised, wanted),
            (normalised.casefold(), wanted.casefold()),
        ):
            found = haystack.find(needle)
            if found != -1 and len(haystack) == len(normalised):
                start = positions[found]
                end = positions[found + len(needle) - 1] + 1
                return source_text[start:end]
    sentences = [s.strip() for s in _SENTENCE_END.split(source_text) if s.strip()]
    best = difflib.get_close_matches(quote.strip(), sentences, n=1, cutoff=0.6)
    return best[0] if best else None


def _normalise_with_positions(text: str) -> tuple[str, list[int]]:
    """Fold equivalent characters and runs of white space, remembering where
    each folded character came from in the original text."""
    folded: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text.translate(_EQUIVALENT)):
        if char.isspace():
            if folded and folded[-1] == " ":
                continue
            char = " "
        folded.append(char)
        positions.append(index)
    return "".join(folded), positions

"""Finding a quote in its source text: exact offsets, or a helpful refusal.

A quote is stored as the W3C Web Annotation model stores a selection: the
exact text with a short prefix and suffix (TextQuoteSelector) and its
character offsets (TextPositionSelector). Offsets are fast; the prefix and
suffix find the right occurrence again after the source text is corrected.

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


CONTEXT_LENGTH = 32


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    prefix: str = ""
    suffix: str = ""


def anchor_at(source_text: str, start: int, end: int) -> Anchor:
    """The full selector for the characters `start:end` of `source_text`."""
    return Anchor(
        start,
        end,
        prefix=source_text[max(0, start - CONTEXT_LENGTH) : start],
        suffix=source_text[end : end + CONTEXT_LENGTH],
    )


def locate_quote(source_text: str, quote: str, *, hint: int | None = None) -> Anchor:
    """Return where `quote` stands in `source_text`, character for character.

    `hint` is a start offset known from before (a saved quote): when the quote
    still stands there it is kept, even if the same words occur elsewhere too.
    """
    if not quote.strip():
        raise QuoteNotFound("A quote cannot be empty.")
    if hint is not None and source_text[hint : hint + len(quote)] == quote:
        return anchor_at(source_text, hint, hint + len(quote))
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
    return anchor_at(source_text, first, first + len(quote))


def reanchor_quote(
    new_text: str,
    quote: str,
    *,
    prefix: str = "",
    suffix: str = "",
    old_start: int | None = None,
    old_text: str | None = None,
) -> Anchor | None:
    """Where a stored quote stands in its source's current text, or None when
    the passage it was taken from is gone (the quote is then orphaned).

    An edit that leaves the quoted characters alone moves them by a known
    amount. Otherwise the words are looked for afresh, and an occurrence only
    counts if the text on at least one side of it still agrees with half or
    more of the stored prefix or suffix: the same words in another sentence
    (another speaker's, say) are not the passage that was quoted. Among
    several agreeing occurrences the best agreement wins, then the nearest.
    """
    if old_start is not None:
        moved = old_start
        if old_text is not None and old_text != new_text:
            moved = _moved_position(old_text, new_text, old_start, len(quote))
        if moved is not None and new_text[moved : moved + len(quote)] == quote:
            candidate = anchor_at(new_text, moved, moved + len(quote))
            if old_text is not None or (candidate.prefix, candidate.suffix) == (prefix, suffix):
                return candidate
    occurrences = _occurrences(new_text, quote)
    if not occurrences:
        return None

    def sides(start: int) -> tuple[int, int]:
        before = new_text[max(0, start - len(prefix)) : start]
        after = new_text[start + len(quote) : start + len(quote) + len(suffix)]
        return _common_suffix(before, prefix), _common_prefix(after, suffix)

    def agreement(start: int) -> tuple[int, int]:
        nearness = -abs(start - old_start) if old_start is not None else 0
        return sum(sides(start)), nearness

    def is_the_quoted_passage(start: int) -> bool:
        if not prefix and not suffix:
            return True
        before, after = sides(start)
        return bool(prefix and 2 * before >= len(prefix)) or bool(
            suffix and 2 * after >= len(suffix)
        )

    best = max(occurrences, key=agreement)
    if not is_the_quoted_passage(best):
        return None
    return anchor_at(new_text, best, best + len(quote))


def _occurrences(text: str, quote: str) -> list[int]:
    found, start = [], text.find(quote)
    while start != -1:
        found.append(start)
        start = text.find(quote, start + 1)
    return found


def _common_prefix(a: str, b: str) -> int:
    length = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        length += 1
    return length


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


def _moved_position(old_text: str, new_text: str, old_start: int, length: int) -> int | None:
    """Where characters at `old_start` went, if the edit did not touch them."""
    prefix, suffix = _unchanged_edges(old_text, new_text)
    if old_start + length <= prefix:
        return old_start
    if old_start >= len(old_text) - suffix:
        return old_start + len(new_text) - len(old_text)
    return None


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


_SENTENCE_START = re.compile(r"(?:(?<=[.!?])[\u201d\"'\u2019]?\s+|\n+)")


def sentence_context(source_text: str, start: int, end: int) -> tuple[str, str]:
    """The text around a passage, to the sentence boundaries beyond it: the
    previous sentence if the passage starts a sentence, else the start of its
    own sentence; likewise after. Either may be empty at the text's edges."""
    bounds = [0, *(m.end() for m in _SENTENCE_START.finditer(source_text)), len(source_text)]
    before_from = max(
        (b for b in bounds if b < start and source_text[b:start].strip()), default=start
    )
    after_to = min((b for b in bounds if b > end and source_text[end:b].strip()), default=end)
    return source_text[before_from:start].strip(), source_text[end:after_to].strip()

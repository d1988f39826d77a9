"""Quoted speech in a text: where each quotation is, its sentences, and the
words that say who is speaking.

``find_quotations(text)`` returns each quotation with the inner text of each
of its paragraphs (quote marks excluded, as the seed's quotes are stored): a
quotation may run over several paragraphs, each opening with a quote mark and
only the last one closing. Curly (“ ”) and straight (") double quotes are
both read. ``quote_pieces`` cuts a quotation into its sentences, without the
comma that hands over to "the readout said". ``attribution`` finds the words
naming the speaker: "the White House said:", "Putin said", "”, said Mr Reyk",
"”, the readout said", "according to the ministry". Pure: no database; every
offset is into the text given, so ``text[start:end]`` is the quote itself.
"""

import re
from dataclasses import dataclass

from timeline.drafting.sentences import paragraphs

OPEN_MARKS = "\u201c"
CLOSE_MARKS = "\u201d"
STRAIGHT = '"'

SPEECH_VERBS = (
    r"said|says|added|adds|told|tells|stated|states|declared|declaring|wrote|writes|warned|"
    r"warns|insisted|insists|stressed|stresses|announced|announces|confirmed|confirms|"
    r"explained|explains|noted|notes|continued|continues|replied|replies|urged|urges|"
    r"argued|argues|claimed|claims|emphasised|emphasized|reiterated|tweeted|posted"
)
# "the White House said:", "Putin said during the call that", "the statement added:"
_INTRO = re.compile(
    rf"(?P<who>[^.;:!?\u201c\u201d\"]*?)\s*\b(?:{SPEECH_VERBS})\b(?P<rest>[^.;:!?\u201c\u201d\"]*)[:,]?\s*$"
)
# "”, the readout said." / "”, said Mr Reyk." / "” Reyk told reporters."
_AFTER = re.compile(
    rf"^\s*,?\s*(?:(?:{SPEECH_VERBS})\s+(?P<who_after>[^.,;!?\u201c\"]+)|"
    rf"(?P<who_before>[^.,;!?\u201c\"]{{1,80}}?)\s+(?:{SPEECH_VERBS})\b)"
)
_HARD_MARKS = '.;:!?\u201c\u201d"'
_ACCORDING = re.compile(r"\baccording to\s+(?P<who>[^.,;!?\u201c\"]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Quotation:
    # (start, end) of the quoted words in each paragraph, marks excluded.
    segments: tuple[tuple[int, int], ...]
    open_at: int  # offset of the first opening mark
    close_at: int | None  # offset of the closing mark; None when never closed

    @property
    def start(self) -> int:
        return self.segments[0][0]

    @property
    def end(self) -> int:
        return self.segments[-1][1]


@dataclass(frozen=True)
class Attribution:
    start: int  # the words naming the speaker ("the White House", "the readout")
    end: int
    after: bool  # found after the quotation ("”, the readout said") rather than before


def _is_open(text: str, i: int) -> bool:
    char = text[i]
    if char in OPEN_MARKS:
        return True
    if char == STRAIGHT:
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        return (before.isspace() or before in "([—–-") and not after.isspace()
    return False


def _is_close(text: str, i: int) -> bool:
    char = text[i]
    if char in CLOSE_MARKS:
        return True
    if char == STRAIGHT:
        return not _is_open(text, i)
    return False


def find_quotations(text: str) -> list[Quotation]:
    quotations = []
    spans = paragraphs(text)
    open_quote = None  # (open_at, segments so far) while a quotation runs on
    for start, end in spans:
        i = start
        if open_quote is not None and not _is_open(text, start):
            # The last paragraph ended inside a quotation and this one does not
            # continue it: the quotation ends where its paragraph did.
            quotations.append(Quotation(tuple(open_quote[1]), open_quote[0], None))
            open_quote = None
        while i < end:
            if open_quote is None:
                if _is_open(text, i):
                    open_quote = (i, [])
                    segment_start = i + 1
                i += 1
                continue
            if i == start and _is_open(text, i):  # a continuation paragraph's opening mark
                segment_start = i + 1
                i += 1
                continue
            if _is_close(text, i):
                open_quote[1].append((segment_start, i))
                quotations.append(Quotation(tuple(open_quote[1]), open_quote[0], i))
                open_quote = None
            i += 1
        if open_quote is not None:
            open_quote[1].append((segment_start, end))
    if open_quote is not None:
        quotations.append(Quotation(tuple(open_quote[1]), open_quote[0], None))
    return [q for q in quotations if all(s < e for s, e in q.segments)]


_PIECE_END = re.compile(r"[.!?](?=\s+[A-Z\u201c\"])")


def quote_pieces(text: str, quotation: Quotation) -> list[tuple[int, int]]:
    """The sentences of a quotation, as (start, end): each ends at its own
    full stop, and loses a trailing comma or colon ("…conflicts,” the readout
    said" gives "…conflicts")."""
    pieces = []
    for start, end in quotation.segments:
        cursor = start
        for match in _PIECE_END.finditer(text, start, end):
            pieces.append((cursor, match.end()))
            cursor = match.end()
            while cursor < end and text[cursor].isspace():
                cursor += 1
        if cursor < end:
            pieces.append((cursor, end))
    trimmed = []
    for start, end in pieces:
        while end > start and (text[end - 1] in ",;:\u2013\u2014-" or text[end - 1].isspace()):
            end -= 1
        while start < end and text[start].isspace():
            start += 1
        if start < end:
            trimmed.append((start, end))
    return trimmed


def attribution(text: str, quotation: Quotation, sentence_start: int, sentence_end: int):
    """The words naming who speaks a quotation, or None: first before it in
    its sentence ("the White House said:"), then after its closing mark
    ("”, the readout said"), then "according to …" anywhere in the sentence."""
    before = text[sentence_start : quotation.open_at]
    # Neither the speaker's words nor what follows them hold a full stop or
    # a quote mark (but for a last colon): read from after the last one, once,
    # rather than from every character of a long paragraph.
    core = before.rstrip().removesuffix(":")
    match = _INTRO.match(before, max(core.rfind(mark) for mark in _HARD_MARKS) + 1)
    if match and match["who"].strip():
        who_start = sentence_start + match.start("who")
        who_end = sentence_start + match.end("who")
        # "Following a call … on Monday night, the spokesman said": the speaker
        # is named after the last comma.
        comma = text.rfind(", ", who_start, who_end)
        if comma != -1 and text[comma + 2 : who_end].strip():
            who_start = comma + 2
        return Attribution(who_start, who_end, after=False)
    if quotation.close_at is not None:
        tail_start = quotation.close_at + 1
        tail = text[tail_start:sentence_end]
        match = _AFTER.match(tail)
        if match:
            group = "who_after" if match["who_after"] else "who_before"
            return Attribution(tail_start + match.start(group), tail_start + match.end(group), True)
    match = _ACCORDING.search(text, sentence_start, sentence_end)
    if match:
        return Attribution(match.start("who"), match.end("who"), after=False)
    return None


def clause_after(text: str, quotation: Quotation, sentence_end: int) -> tuple[int, int] | None:
    """The words that carry on a sentence after a quotation closes mid-way —
    "”, taking into account Russia's own security interests…" — unless they
    only say who spoke. None when there are fewer than five words."""
    if quotation.close_at is None:
        return None
    after = quotation.close_at + 1
    match = re.match(r",\s+(?=[a-z])", text[after:sentence_end])
    if not match:
        return None
    start = after + match.end()
    if _AFTER.match(text[after:sentence_end]) and len(text[start:sentence_end].split()) < 8:
        return None
    if len(text[start:sentence_end].split()) < 5:
        return None
    return start, sentence_end


def clause_before(text: str, sentence_start: int, attribution_start: int) -> tuple[int, int] | None:
    """The words that open a sentence before ", the spokesman said:" —
    "Following a call between Sir Keir and Mr Trump on Monday night" — or None."""
    lead = text[sentence_start:attribution_start]
    match = re.search(r",\s*$", lead)
    if not match or len(lead[: match.start()].split()) < 4:
        return None
    return sentence_start, sentence_start + match.start()

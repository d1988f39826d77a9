"""A source's text cut into paragraphs and sentences, as offsets into it.

A sentence ends at ".", "!" or "?" (and any closing quote mark after it)
followed by a space and a capital letter or an opening quote mark, or at the
end of a paragraph. "Mr." or "U.S." do not end one. Pure: no database.
"""

import re
from dataclasses import dataclass

# A full stop after these is not a sentence's end.
ABBREVIATIONS = {"Mr", "Mrs", "Ms", "Dr", "St", "Sen", "Rep", "Gen", "Col", "Lt", "Prof", "No",
                 "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov",
                 "Dec", "U.S", "U.K", "U.N", "E.U", "vs", "etc"}  # fmt: skip

_SENTENCE_END = re.compile(r"[.!?][\u201d\u2019\"')\]]*(?=\s+[\u201c\u2018\"'(\[]?[A-Z0-9])")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int  # index of the paragraph it is in

    def text(self, source_text: str) -> str:
        return source_text[self.start : self.end]


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line, without its surrounding spaces."""
    spans = []
    for match in re.finditer(r"[^\n]+", text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans


def split_sentences(text: str) -> list[Sentence]:
    sentences = []
    for index, (start, end) in enumerate(paragraphs(text)):
        cursor = start
        for match in _SENTENCE_END.finditer(text, start, end):
            word = re.search(r"[\w.]+$", text[cursor : match.start()])
            if word and word[0] in ABBREVIATIONS:
                continue
            sentences.append(Sentence(cursor, match.end(), index))
            cursor = match.end()
            while cursor < end and text[cursor].isspace():
                cursor += 1
        if cursor < end:
            sentences.append(Sentence(cursor, end, index))
    return sentences

"""Quoted speech found in a text (timeline/drafting/quotes.py): where each
quotation is, its sentences without the quote marks, and who the text says
is speaking. The short texts here are written for these tests."""

import time

from timeline.drafting.quotes import attribution, clause_after, find_quotations, quote_pieces
from timeline.drafting.sentences import split_sentences
from timeline.tests.drafting_articles import HARBOUR_ARTICLE_PATH, seed_document


def _pieces(text):
    return [text[s:e] for q in find_quotations(text) for s, e in quote_pieces(text, q)]


def _speaker_words(text, quotation):
    sentences = split_sentences(text)
    first = next(s for s in sentences if s.start <= quotation.open_at < s.end)
    last = next(s for s in sentences if s.start < quotation.end <= s.end)
    found = attribution(text, quotation, first.start, last.end)
    return None if found is None else text[found.start : found.end]


def test_curly_quote_introduced_by_said_colon():
    text = "In a statement the White House said: \u201cBoth leaders agreed. They also stressed it.\u201d"
    (quotation,) = find_quotations(text)
    assert _pieces(text) == ["Both leaders agreed.", "They also stressed it."]
    assert _speaker_words(text, quotation) == "In a statement the White House"


def test_a_quotation_over_several_paragraphs_is_one_with_each_paragraph_a_segment():
    text = HARBOUR_ARTICLE_PATH.read_text(encoding="utf-8")
    reyk = next(q for q in find_quotations(text) if len(q.segments) > 1)
    assert [text[s:e] for s, e in reyk.segments] == [
        "This accord opens the harbour to the ships of both nations.",
        "It was not reached easily, and it will be tested.",
        "But today we chose the harbour over the quarrel,",
    ]
    # The comma that hands over to "said Mr Reyk" is not part of the quote.
    assert [text[s:e] for s, e in quote_pieces(text, reyk)][-1] == (
        "But today we chose the harbour over the quarrel"
    )
    assert _speaker_words(text, reyk) == "Mr Reyk"


def test_the_white_house_block_of_the_seed_runs_over_four_paragraphs():
    text = seed_document()["sources"][0]["text"]
    block = next(q for q in find_quotations(text) if len(q.segments) == 4)
    assert text[block.start : block.start + 25] == "Both leaders agreed this "
    assert text[block.end - 20 : block.end] == "faith peace efforts."
    assert block.close_at == block.end  # the closing mark right after the last words


def test_speaker_named_after_the_quotation():
    text = "\u201cThe leaders spoke broadly,\u201d the readout said."
    (quotation,) = find_quotations(text)
    assert _speaker_words(text, quotation) == "the readout"
    assert _pieces(text) == ["The leaders spoke broadly"]


def test_speaker_named_by_according_to():
    text = 'The inspection is "set for Monday", according to the Harbour Commission.'
    (quotation,) = find_quotations(text)
    assert _speaker_words(text, quotation) == "the Harbour Commission"


def test_the_speaker_is_named_after_the_last_comma_of_the_introduction():
    text = "Following a call on Monday night, the spokesman said: \u201cHe spoke.\u201d"
    (quotation,) = find_quotations(text)
    assert _speaker_words(text, quotation) == "the spokesman"


def test_a_straight_closing_mark_typed_without_its_space_still_closes():
    text = '"We stay,"said Mr Reyk, and he stood 6\'2" tall.'
    (quotation,) = find_quotations(text)
    assert _pieces(text) == ["We stay"]
    assert _speaker_words(text, quotation) == "Mr Reyk"


def test_an_unclosed_quotation_ends_with_its_paragraph_when_the_next_does_not_continue_it():
    text = "He said: \u201cWe will stay.\nThe next paragraph is narration."
    (quotation,) = find_quotations(text)
    assert text[quotation.start : quotation.end] == "We will stay."
    assert quotation.close_at is None


def test_the_words_after_a_quotation_that_carry_on_the_sentence():
    text = (
        "Putin said that it must be \u201ccomprehensive\u201d, taking into account Russia\u2019s "
        "own security interests and the root causes of the war."
    )
    (quotation,) = find_quotations(text)
    start, end = clause_after(text, quotation, len(text))
    assert text[start:end] == (
        "taking into account Russia\u2019s own security interests and the root causes of the war."
    )


def test_every_piece_of_both_articles_is_verbatim_and_excludes_the_marks():
    for text in (
        seed_document()["sources"][0]["text"],
        HARBOUR_ARTICLE_PATH.read_text(encoding="utf-8"),
    ):
        for quotation in find_quotations(text):
            for start, end in quote_pieces(text, quotation):
                piece = text[start:end]
                assert piece and piece == piece.strip()
                assert not set(piece[:1] + piece[-1:]) & set('\u201c\u201d"')


def test_a_long_paragraph_before_a_quotation_is_read_in_one_pass():
    # A pasted paragraph that lost its full stops: looking for "said" from
    # every character took 4 s for these 10,000 characters (20 KB: 18 s).
    text = "word " * 2000 + "\u201cWe agreed.\u201d"
    (quotation,) = find_quotations(text)
    started = time.perf_counter()
    assert attribution(text, quotation, 0, len(text)) is None
    assert time.perf_counter() - started < 0.5
    # And the speaker is still found after a colon or a full stop.
    text = "Earlier. Then, after long talks, the minister said: \u201cWe agreed.\u201d"
    (quotation,) = find_quotations(text)
    assert _speaker_words(text, quotation) == "the minister"

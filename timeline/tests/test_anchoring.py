import pytest

from timeline.anchoring import QuoteNotFound, closest_passage, locate_quote, reanchor_quote

TEXT = "Officials said: \u201cthe world has become a much safer place.\u201d Talks went on. Talks went on."


def test_exact_quote_gets_its_offsets():
    anchor = locate_quote(TEXT, "the world has become a much safer place.")
    assert TEXT[anchor.start : anchor.end] == "the world has become a much safer place."


def test_quote_at_very_start_and_end_of_text():
    assert locate_quote(TEXT, "Officials said:").start == 0
    end_anchor = locate_quote(TEXT, "on. Talks went on.")
    assert end_anchor.end == len(TEXT)


def test_text_not_in_source_is_refused():
    with pytest.raises(QuoteNotFound, match="does not occur verbatim"):
        locate_quote(TEXT, "Nobody said anything of the kind.")


def test_straight_quotes_and_hyphens_get_the_exact_passage_suggested():
    with pytest.raises(QuoteNotFound) as refused:
        locate_quote(TEXT, '"the world has  become a much safer place."')
    assert refused.value.suggestion == "\u201cthe world has become a much safer place.\u201d"
    assert "\u201cthe world has become" in str(refused.value)


def test_suggestion_for_a_misremembered_sentence():
    suggestion = closest_passage(TEXT, "the world has become a much safer planet")
    assert suggestion is not None and "much safer place" in suggestion


def test_no_suggestion_when_nothing_is_close():
    assert closest_passage(TEXT, "Completely unrelated words about football") is None


def test_ambiguous_quote_is_refused_with_the_count():
    with pytest.raises(QuoteNotFound, match="occurs 2 times"):
        locate_quote(TEXT, "Talks went on.")


def test_hint_keeps_a_known_occurrence_of_repeated_words():
    second = TEXT.rindex("Talks went on.")
    anchor = locate_quote(TEXT, "Talks went on.", hint=second)
    assert (anchor.start, anchor.end) == (second, len(TEXT))


def test_stale_hint_falls_back_to_search():
    anchor = locate_quote(TEXT, "Officials said:", hint=10)
    assert anchor.start == 0


@pytest.mark.parametrize("blank", ["", "   ", "\n"])
def test_blank_quote_is_refused(blank):
    with pytest.raises(QuoteNotFound, match="empty"):
        locate_quote(TEXT, blank)


def test_relocate_after_an_edit_before_the_quote():
    new = "Update: " + TEXT
    last = TEXT.rindex("Talks went on.")
    anchor = reanchor_quote(new, "Talks went on.", old_start=last, old_text=TEXT)
    assert anchor.start == last + len("Update: ")


def test_relocate_after_an_edit_after_the_quote():
    new = TEXT + " More later."
    anchor = reanchor_quote(new, "Officials said:", old_start=0, old_text=TEXT)
    assert anchor.start == 0


def test_reanchor_when_the_quoted_words_were_changed_orphans():
    new = TEXT.replace("much safer", "far safer")
    start = TEXT.index("the world")
    quote = "the world has become a much safer place."
    assert reanchor_quote(new, quote, old_start=start, old_text=TEXT) is None


def test_selector_carries_prefix_and_suffix():
    from timeline.anchoring import anchor_at

    anchor = anchor_at(TEXT, TEXT.index("Talks"), TEXT.index("Talks") + 5)
    assert anchor.prefix.endswith("safer place.\u201d ")
    assert anchor.suffix.startswith(" went on.")


def test_reanchor_prefers_the_occurrence_whose_context_matches():
    from timeline.anchoring import reanchor_quote

    text = "Kyiv said: we agree. Moscow said: we agree."
    anchor = reanchor_quote(text, "we agree.", prefix="Moscow said: ", suffix="")
    assert anchor.start == text.rindex("we agree.")


def test_reanchor_returns_none_when_the_words_are_gone():
    from timeline.anchoring import reanchor_quote

    assert reanchor_quote("Nothing here.", "we agree.", prefix="", suffix="") is None


def test_context_is_the_sentence_before_and_after():
    from timeline.anchoring import sentence_context

    text = "First one. The quoted sentence. The next one. Far away."
    start = text.index("The quoted")
    end = start + len("The quoted sentence.")
    assert sentence_context(text, start, end) == ("First one.", "The next one.")
    assert sentence_context(text, 0, len("First one.")) == ("", "The quoted sentence.")


def test_hyphen_typed_for_an_en_dash_gets_the_exact_passage_suggested():
    text = (
        "Both leaders also agreed to begin negotiations on a next step \u2013 a maritime ceasefire."
    )
    with pytest.raises(QuoteNotFound) as refused:
        locate_quote(text, "a next step - a maritime ceasefire")
    assert refused.value.suggestion == "a next step \u2013 a maritime ceasefire"

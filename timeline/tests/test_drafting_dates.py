"""Date expressions found in a text and resolved against the source's date
(timeline/drafting/dates.py): every one in the seed article, then the cases an
editor trips over — year boundaries, the tense of a weekday, ranges, years."""

import datetime

import pytest

from timeline.drafting.dates import add_duration, find_dates, find_durations
from timeline.tests.drafting_articles import seed_document

D = datetime.date
WEDNESDAY = D(2025, 3, 19)  # the seed article was written on Wednesday 19 March 2025


def _only(text, base):
    mentions = find_dates(text, base)
    assert len(mentions) == 1, [m.text for m in mentions]
    return mentions[0]


def test_every_date_expression_in_the_seed_article_resolves_as_the_editor_did():
    text = seed_document()["sources"][0]["text"]
    found = [(m.text, m.date, m.precision, m.relative) for m in find_dates(text, WEDNESDAY)]
    assert found == [
        ("today (Wed)", D(2025, 3, 19), "day", True),
        ("on Monday night", D(2025, 3, 17), "day", True),
        ("on Saturday", D(2025, 3, 15), "day", True),
    ]
    # Not dates: "the three-year-old war", "a marathon 90-minute call", "175-for-175".
    for mention in find_dates(text, WEDNESDAY):
        assert text[mention.start : mention.end] == mention.text


def test_the_basis_quotes_the_words_and_the_date_resolved_against():
    mention = _only("Following a call on Monday night, he spoke.", WEDNESDAY)
    assert mention.basis == (
        "The text says \u201con Monday night\u201d; the source is dated Wednesday 19 March 2025; "
        "it is past (the sentence speaks of the past), so the latest Monday: Monday 17 March 2025."
    )


@pytest.mark.parametrize(
    ("sentence", "base", "words", "date", "precision"),
    [
        # Weekdays: the tense decides which one.
        ("They met on Friday.", WEDNESDAY, "on Friday", D(2025, 3, 14), "day"),
        ("They will meet on Friday.", WEDNESDAY, "on Friday", D(2025, 3, 21), "day"),
        ("He spoke on Wednesday.", WEDNESDAY, "on Wednesday", D(2025, 3, 19), "day"),
        ("Talks resumed last Monday.", WEDNESDAY, "last Monday", D(2025, 3, 17), "day"),
        ("Talks resume next Monday.", WEDNESDAY, "next Monday", D(2025, 3, 24), "day"),
        ("Monday\u2019s call was long.", WEDNESDAY, "Monday\u2019s", D(2025, 3, 17), "day"),
        ("It was agreed yesterday.", WEDNESDAY, "yesterday", D(2025, 3, 18), "day"),
        ("It is due tomorrow.", WEDNESDAY, "tomorrow", D(2025, 3, 20), "day"),
        ("A swap happens today (Wed).", WEDNESDAY, "today (Wed)", D(2025, 3, 19), "day"),
        # Across a year's end.
        ("They met on Monday.", D(2025, 1, 2), "on Monday", D(2024, 12, 30), "day"),
        ("Talks began on December 30.", D(2025, 1, 2), "December 30", D(2024, 12, 30), "day"),
        ("Talks will resume on January 5.", D(2024, 12, 30), "January 5", D(2025, 1, 5), "day"),
        ("We met in December.", D(2025, 1, 2), "in December", D(2024, 12, 1), "month"),
        ("They will meet in January.", D(2025, 12, 20), "in January", D(2026, 1, 1), "month"),
        ("It happened yesterday.", D(2025, 1, 1), "yesterday", D(2024, 12, 31), "day"),
        # Counted back: only what can be known.
        ("The war began three years ago.", WEDNESDAY, "three years ago", D(2022, 1, 1), "year"),
        ("It started two months ago.", WEDNESDAY, "two months ago", D(2025, 1, 1), "month"),
        ("They met 10 days ago.", WEDNESDAY, "10 days ago", D(2025, 3, 9), "day"),
        ("Prices rose last month.", WEDNESDAY, "last month", D(2025, 2, 1), "month"),
        ("Elections are due next year.", WEDNESDAY, "next year", D(2026, 1, 1), "year"),
        # Stated dates.
        ("On 19 March 2025 it began.", WEDNESDAY, "19 March 2025", D(2025, 3, 19), "day"),
        ("It began on March 3, 2025.", None, "March 3, 2025", D(2025, 3, 3), "day"),
        ("They met on March 3.", WEDNESDAY, "March 3", D(2025, 3, 3), "day"),
        ("They met on 3rd of March.", WEDNESDAY, "3rd of March", D(2025, 3, 3), "day"),
        ("They will meet in March 2026.", WEDNESDAY, "March 2026", D(2026, 3, 1), "month"),
        ("It was founded in 2023.", None, "in 2023", D(2023, 1, 1), "year"),
        (
            "Talks on Monday, 3 March 2025 ended.",
            WEDNESDAY,
            "on Monday, 3 March 2025",
            D(2025, 3, 3),
            "day",
        ),  # fmt: skip
    ],
)
def test_date_expressions(sentence, base, words, date, precision):
    mention = _only(sentence, base)
    assert (mention.text, mention.date, mention.precision) == (words, date, precision)
    assert sentence[mention.start : mention.end] == words


def test_the_year_of_a_year_ago_is_worked_out_and_said_so():
    mention = _only("The war began three years ago.", WEDNESDAY)
    assert "some time in 2022 (only the year can be worked out)" in mention.basis


def test_last_week_is_a_range_of_days_not_a_day():
    mention = _only("Last week the talks stalled.", WEDNESDAY)
    assert (mention.earliest, mention.latest) == (D(2025, 3, 10), D(2025, 3, 16))
    assert "Monday 10 March 2025 to Sunday 16 March 2025" in mention.basis


def test_a_weekday_that_does_not_match_its_date_is_flagged():
    mention = _only("Talks on Tuesday 3 March 2025 ended.", WEDNESDAY)
    assert mention.date == D(2025, 3, 3)
    assert "calls it a Tuesday, but that day is a Monday" in mention.basis


def test_today_with_the_wrong_weekday_is_flagged():
    mention = _only("A swap happens today (Tue).", WEDNESDAY)
    assert mention.date == WEDNESDAY
    assert "not a Tue" in mention.basis


@pytest.mark.parametrize(
    "sentence",
    [
        "The three-year-old war goes on.",
        "A marathon 90-minute call.",
        "A 175-for-175 exchange.",
        "Troops march on.",
        "It may rain.",
        "They met on 30 February 2025.",
    ],
)
def test_what_is_not_a_date_is_not_proposed(sentence):
    assert find_dates(sentence, WEDNESDAY) == []


def test_relative_dates_need_the_sources_date():
    assert find_dates("They met yesterday, on Monday.", None) == []


def test_a_stated_length_gives_the_end():
    assert find_durations("to pause strikes for 30 days.") == [(17, 28, 30, "day")]
    assert add_duration(D(2025, 3, 18), 30, "day") == D(2025, 4, 17)


@pytest.mark.parametrize(
    ("sentence", "base", "words", "date", "warned"),
    [
        # The date in brackets is the date; the weekday is checked against it.
        # Written for the test: a source dated a week after the call it reports.
        ("They spoke on Tuesday (18 March).", D(2025, 3, 25), "on Tuesday (18 March)",
         D(2025, 3, 18), False),
        ("They spoke on Monday (March 18).", WEDNESDAY, "on Monday (March 18)",
         D(2025, 3, 18), True),
        ("They met on Tuesday (18 March 2025).", None, "on Tuesday (18 March 2025)",
         D(2025, 3, 18), False),
    ],
)  # fmt: skip
def test_a_weekday_with_its_date_in_brackets_is_one_date(sentence, base, words, date, warned):
    mention = _only(sentence, base)
    assert (mention.text, mention.date) == (words, date)
    assert ("calls it a Monday, but that day is a Tuesday" in mention.basis) == warned


def test_a_count_opening_a_sentence_is_counted_back():
    mention = _only("Three years ago, Russia invaded.", WEDNESDAY)
    assert (mention.text, mention.date, mention.precision) == (
        "Three years ago",
        D(2022, 1, 1),
        "year",
    )


@pytest.mark.parametrize(
    ("sentence", "words", "date"),
    [
        # The narrator's tense dates the narrator's weekday, whatever the
        # quoted speech promises ("will" is the speaker's, "said" the narrator's).
        ("\u201cWe will meet again,\u201d Putin said on Monday.", "on Monday", D(2025, 3, 17)),
        ("He said on Monday that talks \u201cwill resume\u201d.", "on Monday", D(2025, 3, 17)),
        # A weekday inside the quotation keeps the quotation's tense.
        ("Putin said: \u201cWe will meet on Friday.\u201d", "on Friday", D(2025, 3, 21)),
        ("\u201cWe met on Friday,\u201d he will say.", "on Friday", D(2025, 3, 14)),
    ],
)
def test_a_weekday_takes_the_tense_of_the_words_it_stands_in(sentence, words, date):
    mention = _only(sentence, WEDNESDAY)
    assert (mention.text, mention.date) == (words, date)


def test_a_relative_date_in_quoted_speech_says_it_was_counted_from_the_source():
    # "Tomorrow" is the speaker's, counted from when they spoke, which the
    # text may not give: the basis must not pass the source's date off as that.
    text = "Putin said on Monday: \u201cWe will meet again tomorrow.\u201d"
    said, tomorrow = find_dates(text, WEDNESDAY)
    assert tomorrow.text == "tomorrow"
    assert "in quoted speech" in tomorrow.basis
    assert "in quoted speech" not in said.basis
    assert "in quoted speech" not in _only("They will meet tomorrow.", WEDNESDAY).basis

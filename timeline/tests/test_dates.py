import datetime

import pytest

from timeline.dates import format_date, format_span

D = datetime.date


@pytest.mark.parametrize(
    ("precision", "expected"),
    [("day", "18 March 2025"), ("month", "March 2025"), ("year", "2025")],
)
def test_date_shows_only_what_is_known(precision, expected):
    assert format_date(D(2025, 3, 18), precision) == expected


def test_span_within_a_year_names_the_year_once_and_counts_days():
    assert (
        format_span(D(2025, 3, 18), D(2025, 4, 17), "day")
        == "18 March \u2013 17 April 2025 (30 days)"
    )


def test_span_within_a_month():
    assert format_span(D(2025, 3, 10), D(2025, 3, 11), "day") == "10 \u2013 11 March 2025 (1 day)"


def test_span_across_years():
    assert (
        format_span(D(2024, 12, 30), D(2025, 1, 2), "day")
        == "30 December 2024 \u2013 2 January 2025 (3 days)"
    )


def test_month_precision_span():
    assert format_span(D(2025, 3, 1), D(2025, 5, 1), "month") == "March \u2013 May 2025"


def test_point_event_has_no_range():
    assert format_span(D(2025, 3, 19), None, "day") == "19 March 2025"
    assert format_span(D(2025, 3, 19), D(2025, 3, 19), "day") == "19 March 2025"


def test_bounds_read_as_people_say_them():
    from timeline.dates import format_bounds

    assert format_bounds(D(2025, 3, 18), D(2025, 3, 19)) == "between 18 and 19 March 2025"
    assert format_bounds(D(2025, 2, 27), D(2025, 3, 2)) == "between 27 February and 2 March 2025"
    assert format_bounds(None, D(2025, 3, 18)) == "some time before 18 March 2025"
    assert format_bounds(D(2025, 3, 18), None) == "some time after 18 March 2025"

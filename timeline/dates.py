"""Dates shown to the precision they are known to: "18 March 2025", "March 2025", "2025"."""

import datetime

DAY = "day"
MONTH = "month"
YEAR = "year"


def format_date(value: datetime.date, precision: str) -> str:
    if precision == YEAR:
        return f"{value.year}"
    if precision == MONTH:
        return f"{value:%B} {value.year}"
    return f"{value.day} {value:%B} {value.year}"


def format_span(start: datetime.date, end: datetime.date | None, precision: str) -> str:
    """A date or a span, without repeating the parts both ends share."""
    if end is None or end == start:
        return format_date(start, precision)
    if precision == DAY:
        text = f"{_first_day_of_pair(start, end)} \u2013 {format_date(end, DAY)}"
        days = (end - start).days
        return f"{text} ({days} day{'s' if days != 1 else ''})"
    if precision == MONTH and start.year == end.year:
        return f"{start:%B} \u2013 {format_date(end, MONTH)}"
    return f"{format_date(start, precision)} \u2013 {format_date(end, precision)}"


def format_bounds(earliest: datetime.date | None, latest: datetime.date | None) -> str:
    """An uncertain date: "between 18 and 19 March 2025", "some time before 18 March 2025"."""
    if earliest and latest:
        if earliest == latest:
            return format_date(earliest, DAY)
        return f"between {_first_day_of_pair(earliest, latest)} and {format_date(latest, DAY)}"
    if latest:
        return f"some time before {format_date(latest, DAY)}"
    if earliest:
        return f"some time after {format_date(earliest, DAY)}"
    raise ValueError("format_bounds needs at least one bound")


def _first_day_of_pair(first: datetime.date, second: datetime.date) -> str:
    """The first of two days, leaving out the month and year the second repeats."""
    if first.year != second.year:
        return format_date(first, DAY)
    if first.month != second.month:
        return f"{first.day} {first:%B}"
    return f"{first.day}"

"""Dates shown to the precision they are known to: "18 March 2025", "March 2025", "2025",
in the active interface language ("18 березня 2025", "18. März 2025")."""

import datetime
import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import dateformat
from django.utils.translation import ngettext, override

from .translation import active_language, pgettext
from .translation import gettext as _

DAY = "day"
MONTH = "month"
YEAR = "year"


def format_date(value: datetime.date, precision: str) -> str:
    if precision == YEAR:
        return f"{value.year}"
    if precision == MONTH:
        # Translators: a month and year, in Django's date format syntax (F: the month's name).
        return _format(value, pgettext("date format", "F Y"))
    # Translators: a day, in Django's date format syntax (j: day, F: month's name, E: its
    # genitive where the language has one, as in "18 березня 2025").
    return _format(value, pgettext("date format", "j F Y"))


def format_span(start: datetime.date, end: datetime.date | None, precision: str) -> str:
    """A date or a span, without repeating the parts both ends share."""
    if end is None or end == start:
        return format_date(start, precision)
    if precision == DAY:
        text = f"{_first_day_of_pair(start, end)} \u2013 {format_date(end, DAY)}"
        days = (end - start).days
        return ngettext("%(span)s (%(days)s day)", "%(span)s (%(days)s days)", days) % {
            "span": text,
            "days": days,
        }
    if precision == MONTH and start.year == end.year:
        # Translators: a month without its year, in Django's date format syntax.
        month = _format(start, pgettext("date format", "F"))
        return f"{month} \u2013 {format_date(end, MONTH)}"
    return f"{format_date(start, precision)} \u2013 {format_date(end, precision)}"


def format_bounds(earliest: datetime.date | None, latest: datetime.date | None) -> str:
    """An uncertain date: "between 18 and 19 March 2025", "some time before 18 March 2025"."""
    if earliest and latest:
        if earliest == latest:
            return format_date(earliest, DAY)
        return _("between %(first)s and %(last)s") % {
            "first": _first_day_of_pair(earliest, latest),
            "last": format_date(latest, DAY),
        }
    if latest:
        return _("some time before %(date)s") % {"date": format_date(latest, DAY)}
    if earliest:
        return _("some time after %(date)s") % {"date": format_date(earliest, DAY)}
    raise ValueError("format_bounds needs at least one bound")


def _first_day_of_pair(first: datetime.date, second: datetime.date) -> str:
    """The first of two days, leaving out the month and year the second repeats."""
    if first.year != second.year:
        return format_date(first, DAY)
    if first.month != second.month:
        # Translators: a day and month without the year, in Django's date format syntax.
        return _format(first, pgettext("date format", "j F"))
    # Translators: a day alone, in Django's date format syntax (German writes "18.").
    return _format(first, pgettext("date format", "j"))


def plotly_locale() -> dict:
    """The active language's month and day names, from Django's own
    translations, as a Plotly locale (timeline.js registers it), so the
    chart's axis reads "13 бер." in Ukrainian as the rest of the page does."""
    return _plotly_locale(active_language())


@functools.lru_cache(maxsize=16)
def _plotly_locale(language: str) -> dict:
    with override(language):
        return _locale(language)


def _locale(language: str) -> dict:
    months = [datetime.date(2025, month, 1) for month in range(1, 13)]
    # 2 March 2025 was a Sunday: Plotly's weeks start on Sunday.
    week = [datetime.date(2025, 3, day) for day in range(2, 9)]
    return {
        "moduleType": "locale",
        "name": language,
        "dictionary": {},
        "format": {
            "months": [dateformat.format(day, "F") for day in months],
            "shortMonths": [dateformat.format(day, "M") for day in months],
            "days": [dateformat.format(day, "l") for day in week],
            "shortDays": [dateformat.format(day, "D") for day in week],
        },
    }


def _format(value: datetime.date, pattern: str) -> str:
    return _formatted(value, pattern, active_language())


@functools.lru_cache(maxsize=8192)
def _formatted(value: datetime.date, pattern: str, language: str) -> str:
    """Django's dateformat, remembered per day, pattern and language: a chart's
    thousand events share a few dozen days, and each formatting costs ~0.1 ms."""
    with override(language):
        return dateformat.format(value, pattern)


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs) -> None:
    # As translation.py forgets its messages, and Django its catalogues.
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS"}:
        _formatted.cache_clear()
        _plotly_locale.cache_clear()

"""The chart's zoom presets: "All", and the ranges of the current selection
worth jumping to: its busiest week (Monday to Sunday, the weeks the chart's
density view counts by), its busiest month and its latest month. They are
read from the selection's own dates, never named here, so they serve any
conflict's timeline.

A preset is a plain link (`?from=…&to=…` with the rest of the filter), so
it works without JavaScript and a zoomed view can be shared; timeline.js
writes the chart's own zooming into the same two parameters.

The presets ignore the filter's own dates: they stay put while the reader
zooms. A new selection's results come without them, and the page fetches
them at once by a request of their own (views.zoom_presets_fragment). They are counted in one query, per start day of the selection, in the
database (at most one row a day that has events, however many events there
are); weeks and months are summed from those rows here."""

import dataclasses
import datetime
from collections import Counter

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from . import dates
from .cache import cached, cached_already
from .filters import TimelineFilter
from .models import ChartEntry

WEEK = "week"
BUSIEST_MONTH = "busiest month"
LATEST_MONTH = "latest month"


@dataclasses.dataclass(frozen=True)
class ZoomRange:
    """A range worth zooming to, and how many of the selection's events start in it."""

    kind: str  # WEEK, BUSIEST_MONTH or LATEST_MONTH
    first: datetime.date
    last: datetime.date
    events: int


def undated(timeline_filter: TimelineFilter) -> TimelineFilter:
    """The same selection at every zoom: the filter without its dates (and
    without its lanes, which select nothing)."""
    return dataclasses.replace(
        timeline_filter, date_from=None, date_to=None, from_text="", to_text="", lanes="kind"
    )


def events_per_day(timeline_filter: TimelineFilter) -> dict[datetime.date, int]:
    """How many of the selection's events start on each day: one query,
    counted in the database. By day alone, not by kind and day as the
    chart's counts_per_kind: a tenth of the rows (at 100,000 events over
    four years, 1,400 rows against 13,800: 12 ms against 70). A filter by
    actors alone is read from ChartEntry's actor index, as the chart does."""
    selection = undated(timeline_filter)
    actors = selection.by_actors_alone
    if actors:
        rows = (
            ChartEntry.objects.filter(actor_id__in=[actor.pk for actor in actors])
            .values_list("day")
            .annotate(n=Count("event_id", distinct=len(actors) > 1))
        )
    else:
        rows = selection.counted_events().values_list("start").annotate(n=Count("pk"))
    return dict(rows.order_by())


def busiest_ranges(per_day: dict[datetime.date, int]) -> list[ZoomRange]:
    """The busiest week, the busiest month and the latest month of events
    counted per start day, in that order. A tie goes to the later range: the
    newer news. A month that holds no event the busiest week does not hold
    is left out (it would show the same events, only smaller), and so is a
    range already offered."""
    if not per_day:
        return []
    weeks: Counter[datetime.date] = Counter()
    months: Counter[datetime.date] = Counter()
    for day, n in per_day.items():
        weeks[day - datetime.timedelta(days=day.weekday())] += n
        months[day.replace(day=1)] += n
    monday = max(weeks, key=lambda start: (weeks[start], start))
    week = ZoomRange(WEEK, monday, monday + datetime.timedelta(days=6), weeks[monday])
    busiest = max(months, key=lambda start: (months[start], start))
    latest = max(months)
    ranges = [week]
    for kind, start in ((BUSIEST_MONTH, busiest), (LATEST_MONTH, latest)):
        month = ZoomRange(kind, start, _month_end(start), months[start])
        holds_the_week = month.first <= week.first and week.last <= month.last
        if holds_the_week and month.events == week.events:
            continue
        if any((month.first, month.last) == (offered.first, offered.last) for offered in ranges):
            continue
        ranges.append(month)
    return ranges


def zoom_ranges(timeline_filter: TimelineFilter, *, version: str) -> list[ZoomRange]:
    """busiest_ranges of the selection, built once per selection and data version."""
    return cached(
        _cache_key(timeline_filter),
        lambda: busiest_ranges(events_per_day(timeline_filter)),
        version=version,
    )


def zoom_ranges_if_counted(timeline_filter: TimelineFilter, *, version: str):
    """zoom_ranges if they are already built for this selection and data
    version (after any zoom of it, say), else None: a filter's first results
    do not wait for them. Counting them costs as much as the chart's own
    counts, so the page then loads them by a request of their own
    (views.zoom_presets_fragment)."""
    return cached_already(_cache_key(timeline_filter), version=version)


def _cache_key(timeline_filter: TimelineFilter) -> tuple:
    return ("zoom", undated(timeline_filter).cache_key)


def zoom_presets(timeline_filter: TimelineFilter, ranges: list[ZoomRange]) -> list[dict]:
    """The links above the chart: "All" (the filter without dates), then each
    range; each with its label, its query string (the rest of the filter
    kept, in its canonical form) and whether it is the view shown."""
    shown = (timeline_filter.date_from, timeline_filter.date_to)
    presets = [
        {
            "label": pgettext("zoom the chart to", "All"),
            "query": _zoomed(timeline_filter, None, None),
            "current": shown == (None, None),
            "description": _("Every date of this selection"),
        }
    ]
    for zoom in ranges:
        presets.append(
            {
                "label": _label(zoom),
                "query": _zoomed(timeline_filter, zoom.first, zoom.last),
                "current": shown == (zoom.first, zoom.last),
                "description": _DESCRIPTIONS[zoom.kind](),
            }
        )
    return presets


def _zoomed(timeline_filter: TimelineFilter, first, last) -> str:
    return dataclasses.replace(
        timeline_filter,
        date_from=first,
        date_to=last,
        from_text=first.isoformat() if first else "",
        to_text=last.isoformat() if last else "",
    ).query_string


_DESCRIPTIONS = {
    WEEK: lambda: _("The busiest week of this selection"),
    BUSIEST_MONTH: lambda: _("The busiest month of this selection"),
    LATEST_MONTH: lambda: _("The latest month of this selection"),
}


def _label(zoom: ZoomRange) -> str:
    if zoom.kind == WEEK:
        # Translators: a zoom preset; the date is the week's Monday, as in "Week of 17 March 2025".
        return _("Week of %(date)s") % {"date": dates.format_date(zoom.first, dates.DAY)}
    return dates.format_date(zoom.first, dates.MONTH)


def _month_end(first: datetime.date) -> datetime.date:
    return (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(
        days=1
    )

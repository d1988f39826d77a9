"""The Plotly timeline figure, built from a queryset of events and nothing else.

Up to DETAIL_LIMIT events are drawn one by one. Lanes are event kinds, or
principal actors (lanes="actor"); within a lane, events that would overlap are
stacked on rows, so markers and bars stay visible and clickable. Status shows
as both colour and marker symbol. An event whose date is known only to the
month or year, or lies between bounds, gets a hollow marker: its position is a
placement, not a day; its bounds are drawn as a faded range behind it.

Up to LABEL_LIMIT events are also labelled with their short titles, laid out
on the server for a chart CHART_WIDTH_PX wide (the timeline's middle column at
1280 px): each label claims its stretch of its row, so no label covers another
label or a marker, and the view is framed on the events' points with room for
the labels. A span that runs past an edge is marked there as continuing.

Past DETAIL_LIMIT the figure counts events per lane per day, week or month
instead (a density view); zooming in asks the server for the visible range,
which is drawn in detail once few enough events fall in it.

Figures are plain dicts, the JSON Plotly reads: building them through
plotly.graph_objects validates every property and costs tens of
milliseconds at thousands of points. The tests validate these dicts with
plotly and check that validation changes nothing.
"""

import datetime
import math
from collections import defaultdict
from functools import partial
from html import escape as html_escape

from . import dates
from .models import Event, Participation
from .translation import choice_label, ngettext, one_language
from .translation import gettext as _

# Only <, > and & matter to Plotly's HTML-like labels; quotes stay readable.
escape = partial(html_escape, quote=False)

DETAIL_LIMIT = 1500
MAX_ROWS_PER_LANE = 8
STATUS_STYLE = {
    Event.Status.OCCURRED: {"color": "#1f4e79", "symbol": "circle"},
    Event.Status.AGREED: {"color": "#2e7d32", "symbol": "diamond"},
    Event.Status.PLANNED: {"color": "#8a5200", "symbol": "square"},
    Event.Status.PROPOSED: {"color": "#6a3d9a", "symbol": "triangle-up"},
    Event.Status.REJECTED: {"color": "#c62828", "symbol": "x"},
}
ROW_HEIGHT_PX = 30
# A point event claims this share of the visible range on its row, so that
# markers on neighbouring days are stacked instead of drawn over each other.
POINT_SHARE_OF_RANGE = 1 / 20
# Up to this many events in view, each is labelled with its short title.
LABEL_LIMIT = 40
SHORT_TITLE_LENGTH = 28
# The width labels are laid out for: the chart in the middle column at 1280 px
# is 550 px. A wider chart only has more room; on a narrower one timeline.js
# hides whichever labels would still collide.
CHART_WIDTH_PX = 540
MARGIN_RIGHT_PX = 20
MARKER_SIZE_PX = 14
LABEL_FONT_PX = 12
# Generous for a 12 px system-ui: DejaVu Sans, the widest common one, averages
# about 6.5 px a character in these titles.
_PX_PER_TITLE_CHARACTER = 7
# Between a marker's edge and its label, and around each mark on a row.
_LABEL_GAP_PX = 5
_SPACING_PX = 4
# From a marker's centre to its label's box (whose 1 px border pad comes first).
_LABEL_SHIFT_PX = MARKER_SIZE_PX // 2 + _LABEL_GAP_PX - 1
# Kept free at the plot's right edge for a span's "continues" arrow.
_EDGE_PX = 18
# Between a marker's centre and the plot's edge.
_MARKER_ROOM_PX = MARKER_SIZE_PX / 2 + _SPACING_PX
LANES = ("kind", "actor")
MS_PER_DAY = 24 * 60 * 60 * 1000
# Set by hand rather than through a named template, which adds ~8 KB of JSON per page.
_BASE_LAYOUT = {
    "template": {},
    "paper_bgcolor": "#ffffff",
    "plot_bgcolor": "#ffffff",
    "font": {"family": "system-ui, sans-serif", "size": 13, "color": "#1b1f24"},
}
# Density buckets: the first whose span of days covers the range.
_WEEKS_UP_TO = 3 * 366
# The first and last month starts of a set lie up to two months inside its span.
_MONTH_STARTS_UNDERSTATE_BY = 62
_BUCKETS = [(92, "day"), (_WEEKS_UP_TO, "week"), (None, "month")]
# Up to this many days in view, the axis has a tick each day.
_DAILY_TICKS_UP_TO = 10


def timeline_figure(
    events,
    counts,
    *,
    x_range: tuple[datetime.date, datetime.date] | None = None,
    lanes: str = "kind",
):
    """The figure for a queryset of events, limited to `x_range` if given, and
    how many events it shows.

    `counts(grain)` counts those events per kind and "day" or "month"
    (TimelineFilter.counts_per_kind): their sum decides between detail and
    density, and the density view is drawn from them, so a large set is
    never loaded. Months come first, a few hundred rows; days only where the
    range is short enough for daily or weekly dots.

    `lanes` is "kind" or "actor": one lane per principal actor, an event with
    several principals drawn in each of their lanes (so each actor's lane
    reads as that actor's whole story), one with none in a last lane. The
    density view counts by kind only, so it keeps kind lanes and says so."""
    if lanes not in LANES:
        raise ValueError(f"lanes must be one of {', '.join(LANES)}, not {lanes!r}")
    with one_language():
        return _timeline_figure(events, counts, x_range=x_range, lanes=lanes)


def _timeline_figure(events, counts, *, x_range, lanes):
    finest = x_range and (x_range[1] - x_range[0]).days <= _WEEKS_UP_TO
    rows = counts("day" if finest else "month")
    count = sum(row["n"] for row in rows)
    if count <= DETAIL_LIMIT:
        events = events.overlapping(x_range).for_chart()
        return build_timeline_figure(list(events), x_range=_framed(x_range), lanes=lanes), count
    if not finest and not x_range:
        months = sorted(row["start"] for row in rows)
        if (months[-1] - months[0]).days <= _WEEKS_UP_TO + _MONTH_STARTS_UNDERSTATE_BY:
            rows = counts("day")
    return build_density_figure(rows, x_range=_framed(x_range), lanes=lanes), count


def _framed(x_range):
    """A range of days (from, to: both included) as the chart frames it: a
    day more on each side, so that the events of its first and last days,
    drawn at their midnight, sit inside the plot rather than cut in half by
    its edges. timeline.js reads a zoomed frame back as the days whose
    midnight it shows, so a frame drawn here reads back as from and to."""
    if not x_range:
        return None
    return x_range[0] - datetime.timedelta(days=1), x_range[1] + datetime.timedelta(days=1)


def build_timeline_figure(events: list[Event], *, x_range=None, lanes: str = "kind") -> dict:
    if not events:
        return _empty_figure()
    groups = _lane_groups(events, lanes)
    margin_left = _label_margin([name for name, _ in groups])
    plot_px = max(CHART_WIDTH_PX - margin_left - MARGIN_RIGHT_PX, 160)
    titles = _short_titles(events) if len(events) <= LABEL_LIMIT else {}
    if x_range:
        left_edge, right_edge = x_range
    else:
        left_edge, right_edge = _frame(events, titles, plot_px=plot_px)
    visible_days = max((right_edge - left_edge).days, 1)
    px_per_day = plot_px / visible_days
    # Labels go right of their markers, or left where the right edge is too near.
    sides = {
        event.pk: _label_side(
            (event.start - left_edge).days * px_per_day, _label_reach_px(titles[event.pk]), plot_px
        )
        for event in events
        if event.pk in titles
    }
    point_days = max(1, visible_days * POINT_SHARE_OF_RANGE)

    def occupies(event):
        """The stretch of its row an event's marks take, in days from the left edge."""
        low, high = _range(event, left_edge) or (event.start, event.start)
        start = (event.start - left_edge).days
        if event.pk in titles:
            label_days = _label_reach_px(titles[event.pk]) / px_per_day
            marker_days = _MARKER_ROOM_PX / px_per_day
            before, after = marker_days, label_days + _SPACING_PX / px_per_day
            if sides[event.pk] == "left":
                before, after = after, marker_days
        else:
            before, after = 0, point_days
        return (
            min((low - left_edge).days, start - before),
            max(
                (high - left_edge).days,
                ((event.end or event.start) - left_edge).days,
                start + after,
            ),
        )

    if titles:
        # Rows in date order, read from the top; every event on a row of its own if need be.
        lanes_drawn = _lanes(groups, occupies, order=lambda e: (e.start, occupies(e)))
    else:
        lanes_drawn = _lanes(groups, occupies, order=occupies, max_rows=MAX_ROWS_PER_LANE)
    traces = []
    uncertain = [(event, y) for event, y in lanes_drawn.positions if _range(event, left_edge)]
    if uncertain:
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "base": [_range(event, left_edge)[0].isoformat() for event, _ in uncertain],
                "x": [_range_ms(event, left_edge) for event, _ in uncertain],
                "y": [y for _, y in uncertain],
                "width": 0.5,
                "name": _("Date range"),
                "marker": {"color": "rgba(91, 100, 112, 0.28)"},
                "hoverinfo": "skip",
                "showlegend": True,
            }
        )
    for status, style in STATUS_STYLE.items():
        placed = [(event, y) for event, y in lanes_drawn.positions if event.status == status]
        if not placed:
            continue
        spans = [(event, y) for event, y in placed if event.is_span]
        label = str(Event.Status(status).label)
        if spans:
            traces.append(
                {
                    "type": "bar",
                    "orientation": "h",
                    "base": [event.start.isoformat() for event, _ in spans],
                    "x": [(event.end - event.start).days * MS_PER_DAY for event, _ in spans],
                    "y": [y for _, y in spans],
                    "width": 0.6,
                    "name": label,
                    "legendgroup": status,
                    "showlegend": False,
                    "marker": {"color": style["color"], "opacity": 0.55},
                    "text": [_hover_text(event) for event, _ in spans],
                    "textposition": "none",
                    "hovertemplate": "%{text}<extra></extra>",
                    "customdata": [event.get_absolute_url() for event, _ in spans],
                }
            )
        # Spans get a marker at their start too, so the status symbol shows for them.
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": [event.start.isoformat() for event, _ in placed],
                "y": [y for _, y in placed],
                "name": label,
                "legendgroup": status,
                "marker": {
                    "color": style["color"],
                    "symbol": [
                        f"{style['symbol']}-open" if _is_placement(event) else style["symbol"]
                        for event, _ in placed
                    ],
                    "size": MARKER_SIZE_PX,
                    "line": {"color": "#ffffff", "width": 1.5},
                },
                "text": [_hover_text(event) for event, _ in placed],
                "hovertemplate": "%{text}<extra></extra>",
                "customdata": [event.get_absolute_url() for event, _ in placed],
            }
        )
    layout = _layout(
        height=120 + ROW_HEIGHT_PX * lanes_drawn.total_rows,
        x_range=(left_edge, right_edge),
        ticks=(lanes_drawn.tick_positions, lanes_drawn.tick_labels),
        rows=lanes_drawn.total_rows,
        legend_title=_("Status") + " ",
        margin_left=margin_left,
    )
    layout["shapes"] = lanes_drawn.bands
    layout["bargap"] = 0
    layout["annotations"] = [
        *_labels(lanes_drawn.positions, titles, sides, left_edge, right_edge),
        *_continuing(lanes_drawn.positions, left_edge, right_edge),
    ]
    layout["meta"] = {"lanes": lanes}
    return {"data": traces, "layout": layout}


def build_density_figure(per_day: list[dict], *, x_range=None, lanes: str = "kind") -> dict:
    """Counts per lane (kind) per bucket, from counts per kind and day or
    month ({"kind", "start", "n"}), summed here into weeks or months. Month
    rows are only given where the span calls for months. Asked for lanes by
    actor, it keeps kinds (what it is counted by) and says so above the chart."""
    first = min(row["start"] for row in per_day)
    last = max(row["start"] for row in per_day)
    span = (x_range[1] - x_range[0]).days if x_range else (last - first).days
    bucket = next(name for days, name in _BUCKETS if days is None or span <= days)
    counts: dict[tuple[str, datetime.date], int] = {}
    for row in per_day:
        key = (row["kind"], _bucket_start(row["start"], bucket))
        counts[key] = counts.get(key, 0) + row["n"]
    rows = [
        {"kind": kind, "bucket": start, "n": n}
        for (kind, start), n in sorted(counts.items(), key=lambda item: item[0][1])
    ]
    kinds = [kind for kind in Event.Kind.values if any(row["kind"] == kind for row in rows)]
    lane = {kind: index for index, kind in enumerate(kinds)}
    largest = max(row["n"] for row in rows)
    trace = {
        "type": "scatter",
        "mode": "markers",
        "name": {"day": _("Events per day"), "week": _("Events per week")}.get(
            bucket, _("Events per month")
        ),
        "x": [row["bucket"].isoformat() for row in rows],
        "y": [lane[row["kind"]] for row in rows],
        "marker": {
            "color": "#1f4e79",
            "opacity": 0.75,
            "size": [6 + 22 * (row["n"] / largest) ** 0.5 for row in rows],
            "line": {"color": "#ffffff", "width": 1},
        },
        "text": [_density_hover(row, bucket) for row in rows],
        "hovertemplate": "%{text}<extra></extra>",
        # Clicking a dot zooms to its bucket: [from, to] for the JS.
        "customdata": [
            [row["bucket"].isoformat(), _bucket_end(row["bucket"], bucket).isoformat()]
            for row in rows
        ],
    }
    first = rows[0]["bucket"]
    last = _bucket_end(rows[-1]["bucket"], bucket)
    padding = max(datetime.timedelta(days=2), (last - first) / 40)
    total = sum(row["n"] for row in rows)
    layout = _layout(
        height=120 + 2 * ROW_HEIGHT_PX * len(kinds),
        x_range=x_range or (first - padding, last + padding),
        ticks=(list(range(len(kinds))), [str(Event.Kind(kind).label) for kind in kinds]),
        rows=len(kinds),
        legend_title="",
    )
    layout["annotations"] = [
        {
            "text": _density_note(total, bucket)
            + "<br>"
            + _("Drag across the chart or click a dot to zoom in on single events.")
            + (
                "<br>"
                + _(
                    "Lanes are kinds here: lanes by actor show once %(limit)s events or fewer are in view."
                )
                % {"limit": f"{DETAIL_LIMIT:,}"}
                if lanes == "actor"
                else ""
            ),
            "xref": "paper",
            "yref": "paper",
            "x": 0,
            "y": 1.0,
            "yanchor": "bottom",
            "xanchor": "left",
            "showarrow": False,
            "font": {"size": 12, "color": "#5b6470"},
        }
    ]
    layout["meta"] = {"density": bucket, "lanes": "kind"}
    return {"data": [trace], "layout": layout}


def _layout(*, height, x_range, ticks, rows, legend_title, margin_left=None) -> dict:
    xaxis = {
        "type": "date",
        "range": [x_range[0].isoformat(), x_range[1].isoformat()],
        "showgrid": True,
        "gridcolor": "#e3e7ec",
        "linecolor": "#9aa4af",
    }
    if (x_range[1] - x_range[0]).days <= _DAILY_TICKS_UP_TO:
        # Events are dated to the day: a few days' view ticks days, not hours.
        xaxis["dtick"] = MS_PER_DAY
    return {
        **_BASE_LAYOUT,
        "height": height,
        # The lane labels' width is set here rather than by Plotly's automargin,
        # which measures them after a first draw and then draws again: about
        # a third of the first draw's time in Chromium.
        "margin": {
            "l": margin_left or _label_margin(ticks[1]),
            "r": MARGIN_RIGHT_PX,
            "t": 72,
            "b": 40,
        },
        "hovermode": "closest",
        "hoverlabel": {"align": "left"},
        "legend": {
            "orientation": "h",
            "y": 1.02,
            "yanchor": "bottom",
            "x": 0,
            "title": {"text": legend_title},
        },
        "xaxis": xaxis,
        "yaxis": {
            "tickvals": ticks[0],
            "ticktext": ticks[1],
            "range": [rows - 0.5, -0.5],
            "showgrid": False,
            "zeroline": False,
            "fixedrange": True,
            "automargin": False,
        },
    }


# Wide enough for the lane labels at the layout's 13 px system font, with room to spare.
_PX_PER_LABEL_CHARACTER = 7.5


def _label_margin(labels: list[str]) -> int:
    return 16 + round(_PX_PER_LABEL_CHARACTER * max((len(label) for label in labels), default=0))


def _empty_figure() -> dict:
    return {
        "data": [],
        "layout": {
            **_BASE_LAYOUT,
            "height": 200,
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
            "annotations": [
                {"text": "No events match this filter.", "showarrow": False, "font": {"size": 16}}
            ],
        },
    }


def _bucket_start(day: datetime.date, bucket: str) -> datetime.date:
    if bucket == "week":
        return day - datetime.timedelta(days=day.weekday())
    if bucket == "month":
        return day.replace(day=1)
    return day


def _bucket_end(start: datetime.date, bucket: str) -> datetime.date:
    if bucket == "day":
        return start + datetime.timedelta(days=1)
    if bucket == "week":
        return start + datetime.timedelta(days=7)
    return (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _density_note(total: int, bucket: str) -> str:
    number = f"{total:,}"
    if bucket == "day":
        return ngettext(
            "%(number)s event: each dot counts a lane's events in one day.",
            "%(number)s events: each dot counts a lane's events in one day.",
            total,
        ) % {"number": number}
    if bucket == "week":
        return ngettext(
            "%(number)s event: each dot counts a lane's events in one week.",
            "%(number)s events: each dot counts a lane's events in one week.",
            total,
        ) % {"number": number}
    return ngettext(
        "%(number)s event: each dot counts a lane's events in one month.",
        "%(number)s events: each dot counts a lane's events in one month.",
        total,
    ) % {"number": number}


def _density_hover(row: dict, bucket: str) -> str:
    kind = choice_label(Event._meta.get_field("kind"), row["kind"]).lower()
    if bucket == "day":
        when = dates.format_date(row["bucket"], dates.DAY)
    elif bucket == "week":
        when = _("the week of %(date)s") % {"date": dates.format_date(row["bucket"], dates.DAY)}
    else:
        when = dates.format_date(row["bucket"], dates.MONTH)
    count = ngettext(
        "<b>%(number)s</b> %(kind)s event", "<b>%(number)s</b> %(kind)s events", row["n"]
    ) % {"number": f"{row['n']:,}", "kind": escape(kind)}
    return f"{count}<br>{escape(when)}"


class _Lanes:
    def __init__(self):
        self.positions: list[tuple[Event, float]] = []
        self.tick_positions: list[float] = []
        self.tick_labels: list[str] = []
        self.bands: list[dict] = []
        self.total_rows = 0


def _is_placement(event: Event) -> bool:
    """True when the marker's day is not itself known."""
    return event.precision != Event.Precision.DAY or (event.is_uncertain and not event.is_span)


def _range(event: Event, left_edge: datetime.date):
    """The (from, to) dates an uncertain event may lie between, else None."""
    if not event.is_uncertain or event.is_span:
        return None
    return event.earliest or left_edge, event.latest or event.start


def _range_ms(event: Event, left_edge: datetime.date) -> int:
    low, high = _range(event, left_edge)
    return max((high - low).days, 1) * MS_PER_DAY


_NO_PRINCIPAL = "No principal actor"


def _lane_groups(events: list[Event], lanes: str) -> list[tuple[str, list[Event]]]:
    """(lane name, its events) from top to bottom. Kinds come in the order
    they are declared; actors with the most events first, then by name; the
    events without a principal actor last."""
    if lanes == "kind":
        by_kind = defaultdict(list)
        for event in events:
            by_kind[event.kind].append(event)
        return [
            (str(Event.Kind(kind).label), by_kind[kind])
            for kind in Event.Kind.values
            if kind in by_kind
        ]
    by_actor = defaultdict(list)
    for event in events:
        for name in [short_title(name, 24) for name in _principal_names(event)] or [_NO_PRINCIPAL]:
            by_actor[name].append(event)
    unattributed = by_actor.pop(_NO_PRINCIPAL, None)
    groups = sorted(by_actor.items(), key=lambda group: (-len(group[1]), group[0]))
    return groups + ([(_("No principal actor"), unattributed)] if unattributed else [])


def _principal_names(event: Event) -> list[str]:
    return sorted(
        {name for name, role in event.chart_actors if role == Participation.Role.PRINCIPAL}
    )


def _lanes(groups, occupies, *, order, max_rows: int | None = None) -> _Lanes:
    """Within each lane, taken in `order`, each event on the first row where
    what it occupies (`occupies(event)`: from, until) overlaps nothing; past
    `max_rows`, on the row that frees up first."""
    lanes = _Lanes()
    for index, (name, members) in enumerate(groups):
        row_ends: list[float] = []
        first_row = lanes.total_rows
        for event in sorted(members, key=order):
            occupied_from, occupied_until = occupies(event)
            row = next((r for r, end in enumerate(row_ends) if end <= occupied_from), None)
            if row is None and (max_rows is None or len(row_ends) < max_rows):
                row = len(row_ends)
                row_ends.append(occupied_until)
            elif row is None:
                row = min(range(len(row_ends)), key=row_ends.__getitem__)
            row_ends[row] = max(row_ends[row], occupied_until)
            lanes.positions.append((event, first_row + row))
        lanes.total_rows += len(row_ends)
        lanes.tick_positions.append(first_row + (len(row_ends) - 1) / 2)
        lanes.tick_labels.append(escape(name))  # an actor's name, as entered
        if index % 2 == 0:
            lanes.bands.append(
                {
                    "type": "rect",
                    "xref": "paper",
                    "x0": 0,
                    "x1": 1,
                    "y0": first_row - 0.5,
                    "y1": lanes.total_rows - 0.5,
                    "fillcolor": "rgba(31, 78, 121, 0.06)",
                    "line": {"width": 0},
                    "layer": "below",
                }
            )
    return lanes


def _frame(events: list[Event], titles: dict, *, plot_px: float):
    """The first view: the fewest whole days around the events' points (their
    start dates: a long span may run off the right edge) in which every
    marker is inside the plot and every label fits beside its marker, right
    of it or, nearer the right edge, left of it. The fewer the days, the
    wider each: points a day apart stay apart."""
    first = min(event.start for event in events)
    days = (max(event.start for event in events) - first).days
    # Where the widest label of a day fits, the others of that day fit too.
    widest: dict[int, float] = {}
    for event in events:
        reach = _label_reach_px(titles[event.pk]) if event.pk in titles else 0
        offset = (event.start - first).days
        # A label too wide for the plot whatever the frame is left to timeline.js to hide.
        widest[offset] = min(max(widest.get(offset, 0), reach), _widest_fitting(plot_px))
    total = days + 2
    while True:
        px_per_day = plot_px / total
        # The left edge's offset from the first point, in px: where it may lie.
        room = [(px_per_day, (total - days - 1) * px_per_day)]
        for offset, reach in widest.items():
            shift = offset * px_per_day
            room = [
                (max(low, fit_low - shift), min(high, fit_high - shift))
                for low, high in room
                for fit_low, fit_high in _fits(reach, plot_px)
                if max(low, fit_low - shift) <= min(high, fit_high - shift)
            ]
        for low, high in sorted(room):
            before = max(1, math.ceil(low / px_per_day - 1e-9))
            if before * px_per_day <= high + 1e-9:
                return (
                    first - datetime.timedelta(days=before),
                    first + datetime.timedelta(days=total - before),
                )
        # Day by day while days are wide; in steps of 2% when there are many.
        total = max(total + 1, math.ceil(total * 1.02))


def _fits(reach: float, plot_px: float) -> list[tuple[float, float]]:
    """Where in the plot (px from its left edge) a marker may be whose label
    reaches `reach` px from its centre: with the label on its right, or on its left."""
    inside = (_MARKER_ROOM_PX, plot_px - _MARKER_ROOM_PX)
    if not reach:
        return [inside]
    return [
        (inside[0], plot_px - _EDGE_PX - _SPACING_PX - reach),
        (reach + _SPACING_PX, inside[1]),
    ]


def _widest_fitting(plot_px: float) -> float:
    """The widest reach a label can have and still fit beside its marker."""
    return plot_px - _MARKER_ROOM_PX - _SPACING_PX - _EDGE_PX


def _label_side(x_px: float, reach: float, plot_px: float) -> str:
    """The side of its marker, `x_px` into the plot, that a label goes: "right"
    where it fits there, else "left"."""
    right, left = _fits(reach, plot_px)
    return "right" if x_px <= right[1] or x_px < left[0] else "left"


def short_title(title: str, length: int = SHORT_TITLE_LENGTH) -> str:
    """`title` in at most `length` characters: cut at a word boundary where
    it is longer, the cut marked with an ellipsis."""
    title = " ".join(title.split())
    if len(title) <= length:
        return title
    cut = title[: length - 1]
    if title[length - 1] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–—") + "…"


def _short_titles(events: list[Event]) -> dict[int, str]:
    """Each event's short title by primary key; titles that would read the
    same are lengthened together until they differ (or are whole)."""
    lengths = dict.fromkeys((event.pk for event in events), SHORT_TITLE_LENGTH)
    titles = {event.pk: event.title for event in events}
    while True:
        shortened = {pk: short_title(title, lengths[pk]) for pk, title in titles.items()}
        same = defaultdict(list)
        for pk, text in shortened.items():
            same[text].append(pk)
        clashing = [
            pk
            for pks in same.values()
            if len(pks) > 1 and any(shortened[pk] != " ".join(titles[pk].split()) for pk in pks)
            for pk in pks
        ]
        if not clashing:
            return shortened
        for pk in clashing:
            lengths[pk] += 8


def _label_reach_px(title: str) -> float:
    """How far a label reaches from its marker's centre: half the marker, the
    gap, the text."""
    return MARKER_SIZE_PX / 2 + _LABEL_GAP_PX + len(title) * _PX_PER_TITLE_CHARACTER


def _labels(positions, titles, sides, left_edge, right_edge) -> list[dict]:
    """The short title beside each marker in view. Named by the event's URL,
    so a click on a label opens the event as a click on its marker does."""
    labels = []
    for event, y in positions:
        if event.pk not in titles or not left_edge <= event.start <= right_edge:
            continue
        right = sides[event.pk] == "right"
        labels.append(
            {
                "name": event.get_absolute_url(),
                "text": escape(titles[event.pk]),
                "x": event.start.isoformat(),
                "y": y,
                "xref": "x",
                "yref": "y",
                "xanchor": "left" if right else "right",
                "xshift": _LABEL_SHIFT_PX if right else -_LABEL_SHIFT_PX,
                "showarrow": False,
                "font": {"size": LABEL_FONT_PX},
                # Readable over its own span or date range, which run beneath it.
                "bgcolor": "rgba(255, 255, 255, 0.8)",
                "borderpad": 1,
                "captureevents": True,
            }
        )
    return labels


def _continuing(positions, left_edge, right_edge) -> list[dict]:
    """An arrow at the edge of each row that a span runs on beyond, its hover
    text saying where the span reaching furthest begins or ends (one arrow
    per row and edge: a row of the density of a busy week holds dozens)."""
    began, continues = {}, {}
    for event, y in positions:
        if not event.is_span:
            continue
        if event.start < left_edge and (y not in began or event.start < began[y]):
            began[y] = event.start
        if event.end > right_edge and (y not in continues or event.end > continues[y]):
            continues[y] = event.end
    arrows = [
        ("← " + _("Began %(date)s") % {"date": dates.format_date(day, dates.DAY)}, 0, y)
        for y, day in began.items()
    ]
    arrows += [
        (_("Continues to %(date)s") % {"date": dates.format_date(day, dates.DAY)} + " →", 1, y)
        for y, day in continues.items()
    ]
    return [
        {
            "name": "continues",
            "text": "←" if x == 0 else "→",
            "hovertext": escape(text),
            "x": x,
            "y": y,
            "xref": "paper",
            "yref": "y",
            "xanchor": "left" if x == 0 else "right",
            "showarrow": False,
            "font": {"size": 15},
            # Readable over the span's own bar, which it ends.
            "bgcolor": "rgba(255, 255, 255, 0.8)",
            "borderpad": 1,
        }
        for text, x, y in arrows
    ]


def _hover_text(event: Event) -> str:
    """Plotly renders hover text as HTML: every value from the database is escaped."""
    actors = ", ".join(escape(name) for name, _role in event.chart_actors)
    date = event.date_display
    if event.precision != Event.Precision.DAY and not event.is_uncertain:
        if event.precision == Event.Precision.MONTH:
            date = _("%(date)s (date known only to the month)") % {"date": date}
        else:
            date = _("%(date)s (date known only to the year)") % {"date": date}
    if event.date_inferred:
        date = _("%(date)s, inferred") % {"date": date}
    lines = [
        f"<b>{escape(event.title)}</b>",
        escape(date),
        escape(f"{event.get_status_display()} · {event.get_kind_display()}"),
    ]
    if actors:
        lines.append(_("Actors: %(names)s") % {"names": actors})
    return "<br>".join(lines)

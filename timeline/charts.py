"""The Plotly timeline figure, built from a queryset of events and nothing else.

Up to DETAIL_LIMIT events are drawn one by one. Lanes are event kinds;
within a lane, events that would overlap are stacked on rows, so markers and
bars stay visible and clickable. Status shows as both colour and marker
symbol. An event whose date is known only to the month or year, or lies
between bounds, gets a hollow marker: its position is a placement, not a
day; its bounds are drawn as a faded range behind it.

Past DETAIL_LIMIT the figure counts events per lane per day, week or month
instead (a density view); zooming in asks the server for the visible range,
which is drawn in detail once few enough events fall in it.

Figures are plain dicts, the JSON Plotly reads: building them through
plotly.graph_objects validates every property and costs tens of
milliseconds at thousands of points. The tests validate these dicts with
plotly and check that validation changes nothing.
"""

import datetime
from functools import partial
from html import escape as html_escape

from . import dates
from .models import Event

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


def timeline_figure(events, counts, *, x_range: tuple[datetime.date, datetime.date] | None = None):
    """The figure for a queryset of events, limited to `x_range` if given, and
    how many events it shows.

    `counts(grain)` counts those events per kind and "day" or "month"
    (TimelineFilter.counts_per_kind): their sum decides between detail and
    density, and the density view is drawn from them, so a large set is
    never loaded. Months come first, a few hundred rows; days only where the
    range is short enough for daily or weekly dots."""
    finest = x_range and (x_range[1] - x_range[0]).days <= _WEEKS_UP_TO
    rows = counts("day" if finest else "month")
    count = sum(row["n"] for row in rows)
    if count <= DETAIL_LIMIT:
        events = events.overlapping(x_range).for_chart()
        return build_timeline_figure(list(events), x_range=x_range), count
    if not finest and not x_range:
        months = sorted(row["start"] for row in rows)
        if (months[-1] - months[0]).days <= _WEEKS_UP_TO + _MONTH_STARTS_UNDERSTATE_BY:
            rows = counts("day")
    return build_density_figure(rows, x_range=x_range), count


def build_timeline_figure(events: list[Event], *, x_range=None) -> dict:
    if not events:
        return _empty_figure()
    first = min(min(event.start, event.earliest or event.start) for event in events)
    last = max(max(event.end or event.start, event.latest or event.start) for event in events)
    padding = max(datetime.timedelta(days=2), (last - first) / 20)
    left_edge = first - padding
    if x_range:
        left_edge, last, padding = x_range[0], x_range[1], datetime.timedelta(0)
    visible_days = last + padding - left_edge
    point_width = max(datetime.timedelta(days=1), visible_days * POINT_SHARE_OF_RANGE)
    lanes = _lanes(events, point_width, left_edge)
    traces = []
    uncertain = [(event, y) for event, y in lanes.positions if _range(event, left_edge)]
    if uncertain:
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "base": [_range(event, left_edge)[0].isoformat() for event, _ in uncertain],
                "x": [_range_ms(event, left_edge) for event, _ in uncertain],
                "y": [y for _, y in uncertain],
                "width": 0.5,
                "name": "Date range",
                "marker": {"color": "rgba(91, 100, 112, 0.28)"},
                "hoverinfo": "skip",
                "showlegend": True,
            }
        )
    for status, style in STATUS_STYLE.items():
        placed = [(event, y) for event, y in lanes.positions if event.status == status]
        if not placed:
            continue
        spans = [(event, y) for event, y in placed if event.is_span]
        label = Event.Status(status).label
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
                    "size": 14,
                    "line": {"color": "#ffffff", "width": 1.5},
                },
                "text": [_hover_text(event) for event, _ in placed],
                "hovertemplate": "%{text}<extra></extra>",
                "customdata": [event.get_absolute_url() for event, _ in placed],
            }
        )
    layout = _layout(
        height=120 + ROW_HEIGHT_PX * lanes.total_rows,
        x_range=(left_edge, last + padding),
        ticks=(lanes.tick_positions, lanes.tick_labels),
        rows=lanes.total_rows,
        legend_title="Status ",
    )
    layout["shapes"] = lanes.bands
    layout["bargap"] = 0
    return {"data": traces, "layout": layout}


def build_density_figure(per_day: list[dict], *, x_range=None) -> dict:
    """Counts per lane (kind) per bucket, from counts per kind and day or
    month ({"kind", "start", "n"}), summed here into weeks or months. Month
    rows are only given where the span calls for months."""
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
        "name": f"Events per {bucket}",
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
        ticks=(list(range(len(kinds))), [Event.Kind(kind).label for kind in kinds]),
        rows=len(kinds),
        legend_title="",
    )
    layout["annotations"] = [
        {
            "text": f"{total:,} events: each dot counts a lane's events in one {bucket}.<br>"
            "Drag across the chart or click a dot to zoom in on single events.",
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
    layout["meta"] = {"density": bucket}
    return {"data": [trace], "layout": layout}


def _layout(*, height, x_range, ticks, rows, legend_title) -> dict:
    return {
        **_BASE_LAYOUT,
        "height": height,
        # The lane labels' width is set here rather than by Plotly's automargin,
        # which measures them after a first draw and then draws again: about
        # a third of the first draw's time in Chromium.
        "margin": {"l": _label_margin(ticks[1]), "r": 20, "t": 72, "b": 40},
        "hovermode": "closest",
        "hoverlabel": {"align": "left"},
        "legend": {
            "orientation": "h",
            "y": 1.02,
            "yanchor": "bottom",
            "x": 0,
            "title": {"text": legend_title},
        },
        "xaxis": {
            "type": "date",
            "range": [x_range[0].isoformat(), x_range[1].isoformat()],
            "showgrid": True,
            "gridcolor": "#e3e7ec",
            "linecolor": "#9aa4af",
        },
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


def _density_hover(row: dict, bucket: str) -> str:
    kind = Event.Kind(row["kind"]).label.lower()
    when = {
        "day": dates.format_date(row["bucket"], dates.DAY),
        "week": f"the week of {dates.format_date(row['bucket'], dates.DAY)}",
        "month": dates.format_date(row["bucket"], dates.MONTH),
    }[bucket]
    return (
        f"<b>{row['n']:,}</b> {escape(kind)} event{'s' if row['n'] != 1 else ''}<br>{escape(when)}"
    )


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


def _lanes(
    events: list[Event], point_width: datetime.timedelta, left_edge: datetime.date
) -> _Lanes:
    """One lane per kind present, in the order the kinds are declared; within
    a lane, each event on the first row where it overlaps nothing (past
    MAX_ROWS_PER_LANE, on the row that frees up first)."""
    lanes = _Lanes()
    by_kind: dict[str, list[Event]] = {}
    for event in events:
        by_kind.setdefault(event.kind, []).append(event)
    for index, kind in enumerate(k for k in Event.Kind.values if k in by_kind):
        row_ends: list[datetime.date] = []
        first_row = lanes.total_rows

        def occupies(event):
            low, high = _range(event, left_edge) or (event.start, event.start)
            return min(low, event.start), max(
                high, event.end or event.start, event.start + point_width
            )

        for event in sorted(by_kind[kind], key=occupies):
            occupied_from, occupied_until = occupies(event)
            row = next((r for r, end in enumerate(row_ends) if end <= occupied_from), None)
            if row is None and len(row_ends) < MAX_ROWS_PER_LANE:
                row = len(row_ends)
                row_ends.append(occupied_until)
            elif row is None:
                row = min(range(len(row_ends)), key=row_ends.__getitem__)
            row_ends[row] = max(row_ends[row], occupied_until)
            lanes.positions.append((event, first_row + row))
        lanes.total_rows += len(row_ends)
        lanes.tick_positions.append(first_row + (len(row_ends) - 1) / 2)
        lanes.tick_labels.append(Event.Kind(kind).label)
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


def _hover_text(event: Event) -> str:
    """Plotly renders hover text as HTML: every value from the database is escaped."""
    actors = ", ".join(escape(p.actor.name) for p in event.participations.all())
    date = event.date_display
    if event.precision != Event.Precision.DAY and not event.is_uncertain:
        date = f"{date} (date known only to the {event.precision})"
    if event.date_inferred:
        date = f"{date}, inferred"
    lines = [
        f"<b>{escape(event.title)}</b>",
        escape(date),
        escape(f"{event.get_status_display()} · {event.get_kind_display()}"),
    ]
    if actors:
        lines.append(f"Actors: {actors}")
    return "<br>".join(lines)

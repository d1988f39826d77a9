"""The Plotly timeline figure, built from events and nothing else.

Lanes are event kinds. Within a lane, events that would overlap are stacked
on rows, so every marker and bar stays visible and clickable. Status shows
as both colour and marker symbol, so it does not rely on colour alone.
An event whose date is known only to the month or year, or lies between
bounds, gets a hollow marker: its position is a placement, not a day. Its
bounds are drawn as a faded range behind it ("some time before 18 March"
runs from the chart's left edge).
"""

import datetime
from functools import partial
from html import escape as html_escape

import plotly.graph_objects as go

from .models import Event

# Only <, > and & matter to Plotly's HTML-like labels; quotes stay readable.
escape = partial(html_escape, quote=False)

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
    "template": go.layout.Template(),
    "paper_bgcolor": "#ffffff",
    "plot_bgcolor": "#ffffff",
    "font": {"family": "system-ui, sans-serif", "size": 13, "color": "#1b1f24"},
}


def build_timeline_figure(events: list[Event]) -> go.Figure:
    figure = go.Figure()
    if not events:
        figure.update_layout(
            height=200,
            xaxis={"visible": False},
            yaxis={"visible": False},
            annotations=[
                {
                    "text": "No events match this filter.",
                    "showarrow": False,
                    "font": {"size": 16},
                }
            ],
            **_BASE_LAYOUT,
        )
        return figure

    first = min(min(event.start, event.earliest or event.start) for event in events)
    last = max(max(event.end or event.start, event.latest or event.start) for event in events)
    padding = max(datetime.timedelta(days=2), (last - first) / 20)
    left_edge = first - padding
    point_width = max(datetime.timedelta(days=1), (last - first) * POINT_SHARE_OF_RANGE)
    lanes = _lanes(events, point_width, left_edge)
    uncertain = [(event, y) for event, y in lanes.positions if _range(event, left_edge)]
    if uncertain:
        figure.add_trace(
            go.Bar(
                orientation="h",
                base=[_range(event, left_edge)[0].isoformat() for event, _ in uncertain],
                x=[_range_ms(event, left_edge) for event, _ in uncertain],
                y=[y for _, y in uncertain],
                width=0.5,
                name="Date range",
                marker={"color": "rgba(91, 100, 112, 0.28)"},
                hoverinfo="skip",
                showlegend=True,
            )
        )
    for status, style in STATUS_STYLE.items():
        placed = [(event, y) for event, y in lanes.positions if event.status == status]
        if not placed:
            continue
        spans = [(event, y) for event, y in placed if event.is_span]
        points = [(event, y) for event, y in placed if not event.is_span]
        label = Event.Status(status).label
        if spans:
            figure.add_trace(
                go.Bar(
                    orientation="h",
                    base=[event.start.isoformat() for event, _ in spans],
                    x=[(event.end - event.start).days * MS_PER_DAY for event, _ in spans],
                    y=[y for _, y in spans],
                    width=0.6,
                    name=label,
                    legendgroup=status,
                    showlegend=not points,
                    marker={"color": style["color"], "opacity": 0.55},
                    text=[_hover_text(event) for event, _ in spans],
                    textposition="none",
                    hovertemplate="%{text}<extra></extra>",
                    customdata=[event.get_absolute_url() for event, _ in spans],
                )
            )
        # Spans get a marker at their start too, so the status symbol shows for them.
        figure.add_trace(
            go.Scatter(
                mode="markers",
                x=[event.start.isoformat() for event, _ in placed],
                y=[y for _, y in placed],
                name=label,
                legendgroup=status,
                marker={
                    "color": style["color"],
                    "symbol": [
                        f"{style['symbol']}-open" if _is_placement(event) else style["symbol"]
                        for event, _ in placed
                    ],
                    "size": 14,
                    "line": {"color": "#ffffff", "width": 1.5},
                },
                text=[_hover_text(event) for event, _ in placed],
                hovertemplate="%{text}<extra></extra>",
                customdata=[event.get_absolute_url() for event, _ in placed],
            )
        )

    figure.update_layout(
        **_BASE_LAYOUT,
        height=120 + ROW_HEIGHT_PX * lanes.total_rows,
        margin={"l": 10, "r": 20, "t": 72, "b": 40},
        hovermode="closest",
        hoverlabel={"align": "left"},
        legend={
            "orientation": "h",
            "y": 1.02,
            "yanchor": "bottom",
            "x": 0,
            "title": {"text": "Status "},
        },
        xaxis={
            "type": "date",
            "range": [left_edge.isoformat(), (last + padding).isoformat()],
            "showgrid": True,
            "gridcolor": "#e3e7ec",
            "linecolor": "#9aa4af",
        },
        yaxis={
            "tickvals": lanes.tick_positions,
            "ticktext": lanes.tick_labels,
            "range": [lanes.total_rows - 0.5, -0.5],
            "showgrid": False,
            "zeroline": False,
            "fixedrange": True,
            "automargin": True,
        },
        shapes=lanes.bands,
        bargap=0,
    )
    return figure


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
    a lane, each event on the first row where it overlaps nothing."""
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
            for row, row_end in enumerate(row_ends):
                if row_end <= occupied_from:
                    row_ends[row] = occupied_until
                    break
            else:
                row = len(row_ends)
                row_ends.append(occupied_until)
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

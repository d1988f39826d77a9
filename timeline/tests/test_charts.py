import datetime
import json

import plotly.graph_objects as go
import pytest
from django.db.models import Count
from plotly.utils import PlotlyJSONEncoder

from timeline.charts import build_density_figure, build_timeline_figure
from timeline.models import Event

from .factories import ActorFactory, EventFactory, ParticipationFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def timeline_events():
    return list(Event.objects.for_chart())


def validated(figure: dict) -> go.Figure:
    """Plotly's own validation of a figure dict; raises on any invalid property."""
    return go.Figure(figure)


def as_json(figure) -> object:
    """A figure as plain JSON values. The empty template is left out: plotly.py
    spells "no template" with placeholder entries that change nothing."""
    figure = json.loads(json.dumps(figure, cls=PlotlyJSONEncoder))
    figure["layout"].pop("template")
    return figure


def test_fast_figure_is_exactly_what_plotly_validates(seeded):
    figure = validated(build_timeline_figure(timeline_events()))
    checked = validated(figure).to_plotly_json()
    assert as_json(checked) == as_json(figure)


def test_density_figure_is_exactly_what_plotly_validates(seeded, settings):
    per_day = list(Event.objects.order_by().values("kind", "start").annotate(n=Count("pk")))
    figure = build_density_figure(per_day)
    assert as_json(validated(figure).to_plotly_json()) == as_json(figure)


def test_points_are_markers_and_spans_are_bars_of_their_length():
    EventFactory(slug="call", start=D(2025, 3, 18))
    EventFactory(slug="pause", start=D(2025, 3, 18), end=D(2025, 4, 17), status="agreed")
    figure = validated(build_timeline_figure(timeline_events()))
    bars = [trace for trace in figure.data if trace.type == "bar"]
    assert len(bars) == 1
    assert bars[0].base == ("2025-03-18",)
    assert bars[0].x == (30 * 24 * 60 * 60 * 1000,)
    assert bars[0].customdata == ("/events/pause/",)
    markers = {url for trace in figure.data if trace.type == "scatter" for url in trace.customdata}
    assert markers == {"/events/call/", "/events/pause/"}


def test_status_is_shown_by_symbol_as_well_as_colour():
    for status in Event.Status.values:
        EventFactory(status=status)
    figure = validated(build_timeline_figure(timeline_events()))
    scatters = [trace for trace in figure.data if trace.type == "scatter"]
    assert {trace.name for trace in scatters} == set(Event.Status.labels)
    assert len({trace.marker.symbol[0] for trace in scatters}) == len(Event.Status.values)
    assert len({trace.marker.color for trace in scatters}) == len(Event.Status.values)


def test_lanes_are_event_kinds_and_same_day_events_do_not_overlap():
    for n in range(3):
        EventFactory(slug=f"s{n}", kind="statement", start=D(2025, 3, 18))
    EventFactory(slug="c", kind="call", start=D(2025, 3, 18))
    figure = validated(build_timeline_figure(timeline_events()))
    assert list(figure.layout.yaxis.ticktext) == ["Call", "Statement"]
    ys = [y for trace in figure.data for y in trace.y]
    assert len(ys) == len(set(ys)) == 4


def test_events_on_different_days_share_a_row():
    EventFactory(kind="call", start=D(2025, 3, 15))
    EventFactory(kind="call", start=D(2025, 3, 17))
    figure = validated(build_timeline_figure(timeline_events()))
    assert {y for trace in figure.data for y in trace.y} == {0}


def test_hover_text_names_title_date_and_actors_escaped():
    event = EventFactory(title="Talks <b>collapse</b> & resume", start=D(2025, 3, 18))
    ParticipationFactory(event=event, actor=ActorFactory(name="O'Brien <Envoy>"))
    hover = validated(build_timeline_figure(timeline_events())).data[0].text[0]
    assert "Talks &lt;b&gt;collapse&lt;/b&gt; &amp; resume" in hover
    assert "18 March 2025" in hover
    assert "O'Brien &lt;Envoy&gt;" in hover


def test_dates_known_only_to_the_month_get_hollow_markers_and_say_so():
    EventFactory(slug="exact", start=D(2025, 3, 18), precision="day")
    EventFactory(slug="vague", start=D(2025, 3, 1), precision="month")
    trace = validated(build_timeline_figure(timeline_events())).data[0]
    symbols = dict(zip(trace.customdata, trace.marker.symbol, strict=True))
    assert symbols == {"/events/exact/": "circle", "/events/vague/": "circle-open"}
    assert "March 2025 (date known only to the month)" in trace.text[0]


def test_empty_selection_says_so():
    figure = validated(build_timeline_figure([]))
    assert figure.data == ()
    assert figure.layout.annotations[0].text == "No events match this filter."

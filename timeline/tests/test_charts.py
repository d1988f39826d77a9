import datetime
import html
import json
from itertools import combinations

import plotly.graph_objects as go
import pytest
from django.db.models import Count
from plotly.utils import PlotlyJSONEncoder

from timeline import charts
from timeline.charts import (
    build_density_figure,
    build_timeline_figure,
    short_title,
    timeline_figure,
)
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


# Labels (issue 9: a chart you can read without hovering).


def labels_of(figure) -> dict[str, str]:
    """Each label's text by its event's URL."""
    return {note.name: note.text for note in figure.layout.annotations if note.name != "continues"}


def test_short_title_cuts_at_a_word_and_marks_the_cut():
    assert short_title("Trump and Putin hold a 90-minute phone call") == "Trump and Putin hold a…"
    assert short_title("Zelensky yet to comment") == "Zelensky yet to comment"
    assert (
        short_title("Ceasefire talks collapse, envoys leave Geneva") == "Ceasefire talks collapse…"
    )
    assert short_title("Talks  resume\nin   Riyadh") == "Talks resume in Riyadh"
    assert short_title("Rechtsdurchsetzungsverbesserungsgesetz verabschiedet") == (
        "Rechtsdurchsetzungsverbesse…"
    )
    assert all(
        len(short_title(title)) <= 28
        for title in ("a " * 40, "Putin assures Trump that surrendering troops will be spared")
    )


def test_every_event_is_labelled_with_its_short_title_escaped():
    EventFactory(
        slug="talks", title="Talks <b>collapse</b> & resume in Riyadh", start=D(2025, 3, 18)
    )
    EventFactory(slug="call", title="Call", start=D(2025, 3, 19))
    figure = validated(build_timeline_figure(timeline_events()))
    assert labels_of(figure) == {
        "/events/talks/": "Talks &lt;b&gt;collapse&lt;/b&gt; &amp;…",
        "/events/call/": "Call",
    }


def test_titles_that_would_read_the_same_are_lengthened_until_they_differ():
    EventFactory(slug="weapons", title="Trump and Putin discuss stopping the spread of weapons")
    EventFactory(slug="hockey", title="Trump and Putin discuss US–Russia ice hockey matches")
    EventFactory(slug="twin-1", title="Statement")
    EventFactory(slug="twin-2", title="Statement")
    labels = labels_of(validated(build_timeline_figure(timeline_events())))
    assert labels == {
        "/events/weapons/": "Trump and Putin discuss stopping…",
        "/events/hockey/": "Trump and Putin discuss US–Russia…",
        "/events/twin-1/": "Statement",  # the same whole title: nothing to tell them apart by
        "/events/twin-2/": "Statement",
    }


def test_past_the_label_limit_there_are_no_labels_and_nearby_days_share_a_row(monkeypatch):
    monkeypatch.setattr(charts, "LABEL_LIMIT", 1)
    EventFactory(kind="call", start=D(2025, 3, 15), title="A long title for a call between leaders")
    EventFactory(kind="call", start=D(2025, 3, 17), title="Another long title for another call")
    figure = validated(build_timeline_figure(timeline_events()))
    assert figure.layout.annotations == ()
    assert {y for trace in figure.data for y in trace.y} == {0}


def test_events_closer_than_a_label_is_wide_are_stacked():
    EventFactory(kind="call", start=D(2025, 3, 15), title="A long title for a call between leaders")
    EventFactory(kind="call", start=D(2025, 3, 16), title="Another long title for another call")
    figure = validated(build_timeline_figure(timeline_events()))
    assert sorted(y for trace in figure.data for y in trace.y) == [0, 1]


def planned_overlaps(figure: dict) -> list:
    """What would overlap on a chart of the width labels are planned for
    (charts.CHART_WIDTH_PX), each label as wide as charts.py reckons: 7 px a
    character at 12 px (DejaVu Sans, the widest usual system-ui, averages about
    6.5). Also every mark outside the plot."""
    layout = figure["layout"]
    plot_px = charts.CHART_WIDTH_PX - layout["margin"]["l"] - layout["margin"]["r"]
    low, high = (datetime.date.fromisoformat(day) for day in layout["xaxis"]["range"])

    def px(day: str) -> float:
        return (datetime.date.fromisoformat(day) - low).days / (high - low).days * plot_px

    half = charts.MARKER_SIZE_PX / 2
    marks = [
        (y, px(x) - half, px(x) + half, url)
        for trace in figure["data"]
        if trace["type"] == "scatter"
        for x, y, url in zip(trace["x"], trace["y"], trace["customdata"], strict=True)
    ]
    for note in layout["annotations"]:
        if note["name"] == "continues":
            continue
        edge = px(note["x"]) + note["xshift"]
        width = len(html.unescape(note["text"])) * 7
        left, right = (edge, edge + width) if note["xanchor"] == "left" else (edge - width, edge)
        marks.append((note["y"], left, right, f"label of {note['name']}"))
    outside = [mark for mark in marks if mark[1] < 0 or mark[2] > plot_px]
    overlapping = [
        (a[3], b[3])
        for a, b in combinations(marks, 2)
        if a[0] == b[0] and a[1] < b[2] and b[1] < a[2]
    ]
    return outside + overlapping


def test_forty_events_in_a_fortnight_are_all_labelled_and_nothing_overlaps():
    kinds = [Event.Kind.CALL, Event.Kind.STATEMENT, Event.Kind.AGREEMENT, Event.Kind.PROPOSAL]
    for n in range(charts.LABEL_LIMIT):
        EventFactory(
            slug=f"e{n}",
            title=f"Envoys of delegation {n} meet to discuss the next round of talks",
            kind=kinds[n % 4],
            start=D(2025, 3, 1) + datetime.timedelta(days=n * 5 % 14),
            end=D(2025, 5, 1) if n == 7 else None,
            latest=D(2025, 3, 20) if n == 9 else None,
        )
    figure = build_timeline_figure(timeline_events())
    assert len(labels_of(validated(figure))) == charts.LABEL_LIMIT
    assert planned_overlaps(figure) == []
    # Framed on the points: a fortnight, not the two months of the span, whose end is marked.
    low, high = (datetime.date.fromisoformat(day) for day in figure["layout"]["xaxis"]["range"])
    assert (high - low).days < 30
    [arrow] = [note for note in figure["layout"]["annotations"] if note["name"] == "continues"]
    assert arrow["hovertext"] == "Continues to 1 May 2025 →"


def test_the_seed_is_planned_without_overlaps(seeded):
    figure = build_timeline_figure(timeline_events())
    assert len(labels_of(validated(figure))) == 18
    assert planned_overlaps(figure) == []


def test_zoomed_in_labels_near_the_right_edge_go_left_of_their_markers():
    EventFactory(slug="early", start=D(2025, 3, 2), title="Talks open in Riyadh")
    EventFactory(slug="late", start=D(2025, 3, 30), title="Talks close in Riyadh")
    figure = build_timeline_figure(timeline_events(), x_range=(D(2025, 3, 1), D(2025, 3, 31)))
    sides = {note["name"]: note["xanchor"] for note in figure["layout"]["annotations"]}
    assert sides == {"/events/early/": "left", "/events/late/": "right"}
    assert planned_overlaps(figure) == []


def test_spans_running_off_an_edge_get_one_arrow_per_row_naming_the_furthest():
    # A busy view past LABEL_LIMIT: spans share rows, and each row says once
    # how far its spans run on, rather than stacking one arrow per span.
    for n in range(charts.LABEL_LIMIT + 10):
        EventFactory(
            slug=f"span-{n}",
            kind="meeting",
            start=D(2025, 3, 1) + datetime.timedelta(days=n % 5),
            end=D(2025, 4, 1) + datetime.timedelta(days=n),
        )
    figure = build_timeline_figure(timeline_events(), x_range=(D(2025, 3, 1), D(2025, 3, 20)))
    arrows = [note for note in figure["layout"]["annotations"] if note["name"] == "continues"]
    rows = {arrow["y"] for arrow in arrows}
    assert len(arrows) == len(rows) <= charts.MAX_ROWS_PER_LANE
    furthest = D(2025, 4, 1) + datetime.timedelta(days=charts.LABEL_LIMIT + 9)
    assert f"Continues to {furthest.day} May 2025 →" in {arrow["hovertext"] for arrow in arrows}


# Lanes by principal actor.


def every_count(grain):
    return list(Event.objects.order_by().values("kind", "start").annotate(n=Count("pk")))


def lane_events(figure) -> dict[str, list[str]]:
    """The URLs in each lane, by lane name."""
    layout = figure.layout
    names = dict(zip(layout.yaxis.tickvals, layout.yaxis.ticktext, strict=True))
    rows = sorted({y for trace in figure.data if trace.type == "scatter" for y in trace.y})
    lane_of_row = {row: names[max(v for v in names if v <= row + 0.5)] for row in rows}
    lanes: dict[str, list[str]] = {}
    for trace in figure.data:
        if trace.type == "scatter":
            for y, url in zip(trace.y, trace.customdata, strict=True):
                lanes.setdefault(lane_of_row[y], []).append(url)
    return {name: sorted(urls) for name, urls in lanes.items()}


def test_lanes_by_actor_give_each_principal_a_lane_with_all_its_events():
    putin, trump, kremlin = (
        ActorFactory(name=name) for name in ("Vladimir Putin", "Donald Trump", "Kremlin")
    )
    call = EventFactory(slug="call", kind="call", start=D(2025, 3, 18))
    ParticipationFactory(event=call, actor=putin)
    ParticipationFactory(event=call, actor=trump)
    readout = EventFactory(slug="readout", start=D(2025, 3, 18))
    ParticipationFactory(event=readout, actor=putin)
    ParticipationFactory(event=readout, actor=kremlin, role="participant")
    EventFactory(slug="no-comment", start=D(2025, 3, 19))
    figure, count = timeline_figure(Event.objects.all(), every_count, lanes="actor")
    figure = validated(figure)
    assert count == 3
    assert list(figure.layout.yaxis.ticktext) == [
        "Vladimir Putin",  # the most events first
        "Donald Trump",
        "No principal actor",
    ]
    assert lane_events(figure) == {
        "Vladimir Putin": ["/events/call/", "/events/readout/"],
        "Donald Trump": ["/events/call/"],
        "No principal actor": ["/events/no-comment/"],
    }
    assert figure.layout.meta == {"lanes": "actor"}


def test_actor_lanes_name_actors_escaped_and_cost_no_query_more(django_assert_num_queries):
    for n in range(3):
        event = EventFactory()
        ParticipationFactory(event=event, actor=ActorFactory(name=f"<i>Envoy</i> {n}"))
    with django_assert_num_queries(2):  # counts, the events with their actors
        timeline_figure(Event.objects.all(), every_count)
    with django_assert_num_queries(2):
        figure, _ = timeline_figure(Event.objects.all(), every_count, lanes="actor")
    assert "&lt;i&gt;Envoy&lt;/i&gt; 0" in figure["layout"]["yaxis"]["ticktext"]
    for _ in range(10):
        ParticipationFactory(event=EventFactory(), actor=ActorFactory())
    with django_assert_num_queries(2):
        timeline_figure(Event.objects.all(), every_count, lanes="actor")


def test_the_density_view_keeps_lanes_by_kind_and_says_so():
    per_day = [{"kind": "call", "start": D(2025, 3, 18), "n": 2000}]
    figure = validated(build_density_figure(per_day, lanes="actor"))
    assert [str(text) for text in figure.layout.yaxis.ticktext] == ["Call"]
    assert "Lanes are kinds here" in figure.layout.annotations[0].text
    assert figure.layout.meta["lanes"] == "kind"
    assert (
        "Lanes are kinds" not in build_density_figure(per_day)["layout"]["annotations"][0]["text"]
    )


def test_lanes_must_be_kind_or_actor():
    with pytest.raises(ValueError, match="kind, actor"):
        timeline_figure(Event.objects.all(), every_count, lanes="status")


def test_a_view_of_a_few_days_ticks_days_never_hours():
    EventFactory(slug="one", start=D(2025, 3, 18))
    figure = build_timeline_figure(timeline_events())
    low, high = (datetime.date.fromisoformat(day) for day in figure["layout"]["xaxis"]["range"])
    assert (high - low).days <= 10
    assert figure["layout"]["xaxis"]["dtick"] == charts.MS_PER_DAY
    wide = build_timeline_figure(timeline_events(), x_range=(D(2025, 1, 1), D(2025, 6, 1)))
    assert "dtick" not in wide["layout"]["xaxis"]  # Plotly's own ticks for longer views

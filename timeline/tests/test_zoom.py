"""Zoom presets (zoom.py): read from the selection's own dates, following
the filter, one query however many events, links that work without
JavaScript. Events built here by factories are written for the test."""

import datetime

import pytest
from django.http import QueryDict
from django.utils import translation

from timeline.filters import parse_timeline_filter
from timeline.management.commands.generate_events import generate
from timeline.models import Event
from timeline.zoom import (
    BUSIEST_MONTH,
    LATEST_MONTH,
    WEEK,
    ZoomRange,
    busiest_ranges,
    events_per_day,
    zoom_presets,
    zoom_ranges,
)

from .factories import ActorFactory, EventFactory, ParticipationFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def selection(query: str = ""):
    return parse_timeline_filter(QueryDict(query))


def presets_for(query: str = "") -> list[dict]:
    timeline_filter = selection(query)
    return zoom_presets(timeline_filter, busiest_ranges(events_per_day(timeline_filter)))


def test_the_seeds_busiest_week_is_the_week_of_the_trump_putin_call(seeded):
    call = Event.objects.get(slug="trump-putin-call").start
    week, month = busiest_ranges(events_per_day(selection()))
    assert week == ZoomRange(WEEK, D(2025, 3, 17), D(2025, 3, 23), 17)
    assert week.first <= call <= week.last
    # All 18 start in March; the latest month is March too, so it is not offered twice.
    assert month == ZoomRange(BUSIEST_MONTH, D(2025, 3, 1), D(2025, 3, 31), 18)
    assert [(p["label"], p["query"], p["current"]) for p in presets_for()] == [
        ("All", "", True),
        ("Week of 17 March 2025", "from=2025-03-17&to=2025-03-23", False),
        ("March 2025", "from=2025-03-01&to=2025-03-31", False),
    ]


@pytest.fixture
def two_stories():
    """Actor a's three events in the week of 3 February 2025; actor b's four
    in the week of 10 March and one on 2 April; one event of both on 4
    February. Written for the test."""
    a, b = ActorFactory(slug="a"), ActorFactory(slug="b")
    for day in (D(2025, 2, 3), D(2025, 2, 5), D(2025, 2, 9)):
        ParticipationFactory(actor=a, event=EventFactory(start=day, kind=Event.Kind.CALL))
    for day in (D(2025, 3, 10), D(2025, 3, 11), D(2025, 3, 11), D(2025, 3, 16), D(2025, 4, 2)):
        ParticipationFactory(actor=b, event=EventFactory(start=day))
    both = EventFactory(start=D(2025, 2, 4))
    ParticipationFactory(actor=a, event=both)
    ParticipationFactory(actor=b, event=both)
    return a, b


def test_presets_follow_the_filter_but_not_its_own_dates(two_stories):
    weeks = {
        query: busiest_ranges(events_per_day(selection(query)))[0]
        for query in ("", "actor=a", "actor=b", "actor=a&kind=call", "actor=a&actor=b")
    }
    assert weeks[""] == weeks["actor=b"] == ZoomRange(WEEK, D(2025, 3, 10), D(2025, 3, 16), 4)
    # By actor a alone (read from ChartEntry) and with a kind (read from the events).
    assert weeks["actor=a"] == ZoomRange(WEEK, D(2025, 2, 3), D(2025, 2, 9), 4)
    assert weeks["actor=a&kind=call"] == ZoomRange(WEEK, D(2025, 2, 3), D(2025, 2, 9), 3)
    # The event both take part in counts once: February's week holds four events,
    # not five, as many as March's, and the tie goes to the later week.
    assert weeks["actor=a&actor=b"] == ZoomRange(WEEK, D(2025, 3, 10), D(2025, 3, 16), 4)

    # Zoomed in, the presets stay the same, keep the rest of the filter, and mark the view.
    zoomed = presets_for("q=event&from=2025-03-10&to=2025-03-16&actor=b&lanes=actor")
    assert [p["label"] for p in zoomed] == [p["label"] for p in presets_for("actor=b")]
    assert [(p["label"], p["query"], p["current"]) for p in zoomed] == [
        ("All", "q=event&actor=b&lanes=actor", False),
        (
            "Week of 10 March 2025",
            "q=event&from=2025-03-10&to=2025-03-16&actor=b&lanes=actor",
            True,
        ),
        ("April 2025", "q=event&from=2025-04-01&to=2025-04-30&actor=b&lanes=actor", False),
    ]


def test_an_empty_selection_offers_only_all(two_stories):
    assert [p["label"] for p in presets_for("q=nowhere")] == ["All"]
    assert busiest_ranges({}) == []


def test_ties_go_to_the_later_range_and_a_month_is_offered_only_if_it_adds_events():
    per_day = {D(2025, 1, 6): 2, D(2025, 5, 12): 2, D(2025, 5, 30): 1}
    week, *months = busiest_ranges(per_day)
    assert week == ZoomRange(WEEK, D(2025, 5, 12), D(2025, 5, 18), 2)
    # May holds the week and one more event; it is both the busiest and the latest month.
    assert months == [ZoomRange(BUSIEST_MONTH, D(2025, 5, 1), D(2025, 5, 31), 3)]
    # A month that shows no more than the week is left out; a later one is not.
    per_day = {D(2025, 1, 6): 5, D(2025, 3, 3): 1}
    assert [(r.kind, r.first) for r in busiest_ranges(per_day)] == [
        (WEEK, D(2025, 1, 6)),
        (LATEST_MONTH, D(2025, 3, 1)),
    ]


@pytest.mark.parametrize("size", [50, 2000])
def test_presets_cost_one_query_whatever_the_number_of_events(django_assert_num_queries, size):
    generate(count=size, seed=1, actor_count=5, prefix="z-")
    for query in ("", "actor=z-actor-0", "actor=z-actor-0&actor=z-actor-1", "kind=call"):
        timeline_filter = selection(query)
        with django_assert_num_queries(1):
            ranges = busiest_ranges(events_per_day(timeline_filter))
        assert ranges and ranges[0].events >= 1
        zoomed = parse_timeline_filter(QueryDict(f"{query}&from=2023-01-01&to=2023-02-01"))
        with django_assert_num_queries(1):
            assert zoom_ranges(timeline_filter, version="v1") == ranges
        with django_assert_num_queries(0):  # any zoom of the same selection: from the cache
            assert zoom_ranges(zoomed, version="v1") == ranges


def test_the_page_offers_the_presets_as_links_that_keep_the_filter(client, seeded):
    html = client.get("/?actor=donald-trump&from=2025-03-17&to=2025-03-23").content.decode()
    assert '<nav class="zoom-presets" aria-labelledby="zoom-presets-label">' in html
    assert (
        '<a class="chip zoom-preset" href="/?from=2025-03-17&amp;to=2025-03-23&amp;actor=donald-trump"'
        in html
    )
    current = html[: html.index(">Week of 17 March 2025</a>")]
    assert current.endswith('aria-current="true"')
    assert 'href="/?actor=donald-trump" hx-get="/?actor=donald-trump"' in html
    fragment = client.get("/?actor=donald-trump", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and ">Week of 17 March 2025</a>" in fragment
    assert "zoom-presets" not in client.get("/embed/").content.decode()


def test_a_new_selections_results_come_without_waiting_for_its_presets(client, seeded):
    """A fragment for a selection whose presets are not counted yet carries
    a loader instead, and does not count them; the loader's address answers
    with the presets, the filter kept."""
    hx = {"HTTP_HX_REQUEST": "true"}
    fragment = client.get("/?actor=keir-starmer&kind=call", **hx).content.decode()
    assert "Week of" not in fragment
    loader = (
        '<div class="zoom-presets" data-loads-after'
        ' hx-get="/zoom-presets/?actor=keir-starmer&amp;kind=call"'
        ' hx-trigger="load" hx-target="this" hx-swap="outerHTML" hx-push-url="false"></div>'
    )
    assert loader in fragment

    presets = client.get("/zoom-presets/?actor=keir-starmer&kind=call", **hx)
    assert presets.status_code == 200
    html = presets.content.decode()
    assert html.lstrip().startswith('<nav class="zoom-presets"')
    assert 'href="/?from=2025-03-17&amp;to=2025-03-23&amp;actor=keir-starmer&amp;kind=call"' in html
    # Once counted, the next results of that selection (a zoom of it) carry them.
    zoomed = client.get("/?actor=keir-starmer&kind=call&from=2025-03-17&to=2025-03-23", **hx)
    assert ">Week of 17 March 2025</a>" in zoomed.content.decode()


def test_the_presets_address_refuses_a_bad_filter_in_words(client, seeded):
    response = client.get("/zoom-presets/?from=yesterday")
    assert response.status_code == 400
    assert "from" in response.content.decode()


@pytest.mark.parametrize(
    "code, week, month",
    [
        ("uk", "Тиждень з 17 березня 2025", "Березень 2025"),
        ("de", "Woche vom 17. März 2025", "März 2025"),
    ],
)
def test_preset_labels_are_translated(seeded, code, week, month):
    with translation.override(code):
        assert [p["label"] for p in presets_for()][1:] == [week, month]

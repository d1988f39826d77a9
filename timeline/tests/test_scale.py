"""Bounded responses whatever the number of events: a windowed list (on the
timeline and on an actor's page), a density chart past DETAIL_LIMIT, paged
JSON, and an attach-a-passage form that lists no events."""

import datetime
import json

import pytest

from timeline import charts
from timeline.management.commands.generate_events import generate
from timeline.models import Event
from timeline.views import JSON_PAGE_SIZE, PAGE_SIZE

pytestmark = pytest.mark.django_db

MORE = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "more-events"}


@pytest.fixture
def many_events(db):
    generate(count=PAGE_SIZE * 2 + 7, seed=5, actor_count=6, prefix="s-")
    return Event.objects.count()


def list_items(html: str) -> int:
    return html.count('<li class="event ')


def test_list_shows_one_window_and_a_way_to_the_next(client, many_events):
    html = client.get("/").content.decode()
    assert list_items(html) == PAGE_SIZE
    assert f"{many_events} events in the timeline" in html
    assert 'id="more-events"' in html and 'hx-trigger="revealed"' in html
    assert 'href="/?page=2"' in html  # works without JavaScript too


def test_scrolling_fetches_the_next_windows_until_the_end(client, many_events):
    second = client.get("/?page=2", **MORE).content.decode()
    assert "<html" not in second and 'id="results"' not in second
    assert list_items(second) == PAGE_SIZE and "page=3" in second
    third = client.get("/?page=3", **MORE).content.decode()
    assert list_items(third) == many_events - 2 * PAGE_SIZE
    assert "more-events" not in third


def test_window_keeps_the_filter(client, many_events):
    busiest = Event.objects.filter(participations__actor__slug="s-actor-0").count()
    assert busiest > PAGE_SIZE  # so the filtered list has a second window
    html = client.get("/?actor=s-actor-0").content.decode()
    assert list_items(html) == PAGE_SIZE
    assert "actor=s-actor-0&amp;page=2" in html


def test_bad_page_number_is_a_notice(client, many_events):
    html = client.get("/?page=zero").content.decode()
    assert "Ignored a page number" in html and list_items(html) == PAGE_SIZE


def test_past_the_detail_limit_the_chart_counts_instead(client, many_events, monkeypatch):
    monkeypatch.setattr(charts, "DETAIL_LIMIT", 20)
    html = client.get("/").content.decode()
    assert '"density":' in html
    assert f"{many_events:,} events: each dot counts" in html


def test_zooming_in_returns_detail_for_the_visible_range(client, many_events, monkeypatch):
    monkeypatch.setattr(charts, "DETAIL_LIMIT", 20)
    first = Event.objects.order_by("start").first().start
    response = client.get(f"/chart.json?from={first}&to={first}")
    figure = response.json()
    assert response["Content-Type"] == "application/json"
    assert "density" not in figure["layout"].get("meta", {})
    urls = {url for trace in figure["data"] for url in trace.get("customdata", [])}
    # Framed on the day, with a day to spare on each side: its events are not cut by an edge.
    day = datetime.timedelta(days=1)
    assert figure["layout"]["xaxis"]["range"] == [str(first - day), str(first + day)]
    assert urls and all(url.startswith("/events/") for url in urls)


@pytest.mark.parametrize(
    "query", ["from=2025-13-01&to=2025-12-01", "from=2025-02-01&to=2025-01-01", "to=March"]
)
def test_chart_range_must_be_dates_in_order(client, db, query):
    response = client.get(f"/chart.json?{query}")
    assert response.status_code == 400 and "error" in response.json()


def test_events_json_is_paged_with_a_link_header(client, db, settings):
    generate(count=JSON_PAGE_SIZE + 3, seed=6, actor_count=4, prefix="j-")
    first = client.get("/events.json")
    data = first.json()
    assert data["count"] == JSON_PAGE_SIZE + 3 and len(data["events"]) == JSON_PAGE_SIZE
    assert first["Link"] == '<http://testserver/events.json?page=2>; rel="next"'
    second = client.get("/events.json?page=2").json()
    assert len(second["events"]) == 3 and second["count"] == JSON_PAGE_SIZE + 3
    assert client.get("/events.json?page=0").status_code == 400


def test_filter_form_lists_the_busiest_sources_and_any_selected(client, db):
    from timeline.models import Source
    from timeline.querysets import SOURCES_IN_FORM

    generate(count=25 * (SOURCES_IN_FORM + 5), seed=8, actor_count=4, prefix="f-")
    assert Source.objects.count() > SOURCES_IN_FORM
    html = client.get("/").content.decode()
    assert html.count('name="source"') == SOURCES_IN_FORM
    shown = {s for s in Source.objects.values_list("slug", flat=True) if f'id="source-{s}"' in html}
    hidden = Source.objects.exclude(slug__in=shown).first()
    selected = client.get(f"/?source={hidden.slug}").content.decode()
    assert f'id="source-{hidden.slug}" checked' in selected


@pytest.mark.parametrize("size", [PAGE_SIZE * 2, 400])
def test_actor_page_is_one_window_whatever_the_number_of_events(
    client, db, django_assert_num_queries, size
):
    generate(count=size, seed=3, actor_count=2, prefix="a-")
    from timeline.models import Actor

    actor = Actor.objects.for_filter().order_by("-event_count").first()
    involved = Event.objects.involving([actor]).count()
    assert involved > PAGE_SIZE
    # The data version, the actor, one window with its actors and quotes, the count.
    with django_assert_num_queries(7):
        response = client.get(actor.get_absolute_url())
    html = response.content.decode()
    assert list_items(html) == PAGE_SIZE and f"Events ({involved:,})" in html
    assert len(response.content) < 60_000  # ~1.7 KB an event, never all of them
    assert f'href="{actor.get_absolute_url()}?page=2"' in html  # works without JavaScript
    more = client.get(f"{actor.get_absolute_url()}?page=2", **MORE).content.decode()
    assert "<html" not in more and list_items(more) == min(PAGE_SIZE, involved - PAGE_SIZE)


@pytest.mark.parametrize("size", [10, 400])
def test_attach_passage_form_lists_no_events(admin_client, db, django_assert_num_queries, size):
    from timeline.models import Source

    generate(count=size, seed=4, actor_count=3, prefix="p-")
    source = Source.objects.first()
    url = f"/admin/timeline/source/{source.pk}/attach-quote/"
    admin_client.get(url)  # the session and the user, read once
    # session, user, source, and whether the one timeline title exists (the sidebar's Add link)
    with django_assert_num_queries(4):
        response = admin_client.get(url)
    html = response.content.decode()
    assert html.count("<option") <= 2  # the empty choices; events are searched for
    assert len(response.content) < 40_000


@pytest.mark.django_db(transaction=True)
def test_a_shorter_timeline_is_counted_by_week(client, many_events, monkeypatch):
    """Past the detail limit, a timeline of under three years is drawn in
    weekly dots (counted by day), a longer one in monthly dots."""
    import datetime

    monkeypatch.setattr(charts, "DETAIL_LIMIT", 20)
    html = client.get("/").content.decode()
    assert '"density":"month"' in html
    events = list(Event.objects.all())
    first = min(event.start for event in events)
    for event in events:
        event.start, event.end = first + (event.start - first) / 10, None
    Event.objects.bulk_update(events, ["start", "end"])
    assert (Event.objects.order_by("-start").first().start - first) < datetime.timedelta(days=400)
    html = client.get("/").content.decode()
    assert '"density":"week"' in html and f"{many_events:,} events: each dot counts" in html
    start = html.index('<script id="timeline-figure" type="application/json">')
    figure = json.loads(html[start : html.index("</script>", start)].split(">", 1)[1])
    weeks = set(figure["data"][0]["x"])
    assert len(weeks) > 10 and any(not week.endswith("-01") for week in weeks)  # not months

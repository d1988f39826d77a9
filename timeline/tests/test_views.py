import itertools
import json
import re

import pytest

from timeline.management.commands.generate_events import generate
from timeline.models import Actor, Event

from .factories import ActorFactory, QuoteFactory, event_with_actors_and_quote

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def figure_in(html: str) -> dict:
    start = html.index('<script id="timeline-figure" type="application/json">')
    start = html.index(">", start) + 1
    return json.loads(html[start : html.index("</script>", start)])


def chart_urls(html: str) -> set[str]:
    return {url for trace in figure_in(html)["data"] for url in trace.get("customdata", [])}


def test_full_page_has_chart_list_and_filter(client, seeded):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html and 'id="actor-filter"' in html
    assert "18 events in the timeline" in html
    assert "plotly-timeline.min.js" in html and "htmx" in html
    assert len(chart_urls(html)) == 18
    assert response["Vary"].count("HX-Request") == 1


def test_htmx_request_gets_only_the_results_fragment(client, seeded):
    response = client.get("/?actor=keir-starmer", **HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert "<html" not in html and 'id="actor-filter"' not in html
    assert "involving" in html and "Keir Starmer" in html


def test_history_restore_gets_the_full_page(client, seeded):
    response = client.get(
        "/?actor=keir-starmer", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in response.content.decode()


def test_filter_by_one_actor_shows_only_their_events_in_chart_and_list(client, seeded):
    html = client.get("/?actor=keir-starmer").content.decode()
    expected = {
        event.get_absolute_url()
        for event in Event.objects.filter(participations__actor__slug="keir-starmer")
    }
    assert chart_urls(html) == expected
    assert html.count('<li class="event ') == len(expected) == 3
    assert "3 of 18 events involve\n        " in html
    assert 'value="keir-starmer" id="actor-keir-starmer" checked' in html


def test_several_actors_means_events_involving_any_of_them(client):
    a, b, c = ActorFactory(), ActorFactory(), ActorFactory()
    only_a = event_with_actors_and_quote(a)
    only_b = event_with_actors_and_quote(b)
    both = event_with_actors_and_quote(a, b)
    event_with_actors_and_quote(c)
    html = client.get(f"/?actor={a.slug}&actor={b.slug}", **HTMX).content.decode()
    assert chart_urls(html) == {e.get_absolute_url() for e in (only_a, only_b, both)}
    assert "3 events" in html


def test_unknown_actor_is_ignored_with_a_visible_notice(client, seeded):
    response = client.get("/?actor=nobody&actor=%3Cb%3E&foo=1")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ignored 1 unknown actor: \u201cnobody\u201d." in html
    assert "Ignored 1 malformed actor value." in html
    assert "Ignored 1 unknown parameter." in html
    assert "18 events in the timeline" in html


def test_filter_with_no_matching_events_says_so(client):
    first, second = QuoteFactory(), QuoteFactory()
    actor = ActorFactory()
    first.event.participations.create(actor=actor)
    html = client.get(f"/?actor={actor.slug}&source={second.source.slug}").content.decode()
    assert "0 events" in html and "No events match this filter." in html


def test_post_is_not_allowed(client):
    assert client.post("/").status_code == 405


def test_user_text_is_escaped_in_html_and_chart(client):
    actor = ActorFactory(name="<img src=x onerror=alert(1)>")
    event_with_actors_and_quote(actor, title="</script><script>alert('t')</script>")
    html = client.get("/").content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    hover = figure_in(html)["data"][0]["text"][0]
    assert "&lt;/script&gt;&lt;script&gt;" in hover
    assert "&lt;img src=x onerror=alert(1)&gt;" in hover


def test_responses_carry_a_strict_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )


@pytest.mark.parametrize("size", [10, 1000])
def test_page_query_count_does_not_grow_with_events(client, django_assert_max_num_queries, size):
    generate(count=size, seed=1, actor_count=5, prefix="q-")
    busy = Actor.objects.get(slug="q-actor-0")
    # actor lookup; count; window with actors and quotes; figure (version, count,
    # events, actors); total; actors and sources for the form; the form's counts in
    # the selection (its ids, then kinds, statuses, actors, sources, and those sources' titles);
    # the zoom presets' events per day
    with django_assert_max_num_queries(20):
        response = client.get(f"/?actor={busy.slug}")
    assert response.status_code == 200
    with django_assert_max_num_queries(20):
        client.get("/", **HTMX)
    with django_assert_max_num_queries(4):  # the next window of the list
        client.get("/?page=2", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="more-events")
    with django_assert_max_num_queries(6):  # and the window's corrections
        client.get("/events.json")
    with django_assert_max_num_queries(4):
        client.get("/chart.json?from=2023-01-01&to=2023-03-01")


def test_events_json_has_the_public_shape(client, seeded):
    response = client.get("/events.json?actor=white-house")
    data = response.json()
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert data["count"] == len(data["events"]) > 0
    event = next(e for e in data["events"] if e["slug"] == "white-house-readout")
    # Fields may be added (date_inferred, earliest, latest, a quote's status,
    # corrections), never removed.
    assert set(event) == {
        "slug", "title", "summary", "kind", "status", "start", "end", "precision",
        "date_basis", "date_inferred", "earliest", "latest", "url", "actors", "quotes",
        "corrections",
    }  # fmt: skip
    assert event["corrections"] == []
    assert event["start"] == "2025-03-18" and event["end"] is None
    assert event["date_inferred"] is True
    assert (event["earliest"], event["latest"]) == ("2025-03-18", "2025-03-19")
    assert event["url"] == "http://testserver/events/white-house-readout/"
    assert set(event["actors"][0]) == {"slug", "name", "kind", "role"}
    quote = event["quotes"][0]
    assert set(quote) == {"id", "text", "speaker", "source", "start", "end", "status"}
    assert quote["status"] == "verified"
    assert quote["speaker"] == {"slug": "white-house", "name": "White House"}
    assert quote["source"]["url"] is None
    assert set(quote["source"]) == {"slug", "title", "url"}


def test_events_json_quote_offsets_slice_the_source_text(client, seeded):
    from timeline.models import Source

    text = Source.objects.get().text
    for event in client.get("/events.json").json()["events"]:
        for quote in event["quotes"]:
            assert text[quote["start"] : quote["end"]] == quote["text"]


def test_events_json_matches_the_page_for_the_same_filter(client, seeded):
    query = "?actor=vladimir-putin&actor=keir-starmer"
    data = client.get("/events.json" + query).json()
    page_urls = chart_urls(client.get("/" + query).content.decode())
    assert {e["url"].removeprefix("http://testserver") for e in data["events"]} == page_urls
    assert data["count"] == len(page_urls)


def test_events_json_spans_have_an_end(client, seeded):
    events = client.get("/events.json").json()["events"]
    pause = next(e for e in events if e["slug"] == "energy-strike-pause")
    assert (pause["start"], pause["end"]) == ("2025-03-18", "2025-04-17")


def test_events_json_refuses_unknown_actor_with_400(client, seeded):
    response = client.get("/events.json?actor=nobody")
    assert response.status_code == 400
    assert "nobody" in response.json()["error"]


def test_event_detail_page_and_fragment(client, seeded):
    page = client.get("/events/prisoner-swap/").content.decode()
    assert "<html" in page and "175-for-175" in page and "today (Wed)" in page
    fragment = client.get("/events/prisoner-swap/", **HTMX).content.decode()
    assert fragment.lstrip().startswith("<article") and "<html" not in fragment
    assert "175-for-175" in fragment


def test_event_detail_shows_each_quote_with_speaker_and_source_link(client, seeded):
    html = client.get("/events/white-house-readout/").content.decode()
    quote = Event.objects.get(slug="white-house-readout").quotes.first()
    assert f'href="/sources/{quote.source.slug}/#quote-{quote.pk}"' in html
    assert ">White House</a>" in html


def test_missing_pages_are_404(client, db):
    assert client.get("/events/nope/").status_code == 404
    assert client.get("/actors/nope/").status_code == 404
    assert client.get("/sources/nope/").status_code == 404


def test_actor_page_lists_their_events_and_links_to_the_filter(client, seeded):
    html = client.get("/actors/keir-starmer/").content.decode()
    starmer_events = Event.objects.filter(participations__actor__slug="keir-starmer")
    assert starmer_events.count() == 3
    for event in starmer_events:
        assert event.get_absolute_url() in html
    assert "/events/prisoner-swap/" not in html
    assert 'href="/?actor=keir-starmer"' in html


def test_source_page_shows_full_text_and_quote_anchors(client, seeded):
    from timeline.models import Source

    source = Source.objects.get()
    html = client.get(source.get_absolute_url()).content.decode()
    assert "175-for-175 exchange between Russia and Ukraine" in html
    for quote in source.quotes.all():
        assert f'id="quote-{quote.pk}"' in html
    assert "Publisher</dt><dd>Unknown" in html


@pytest.mark.parametrize("size", [10, 200])
def test_actor_and_source_pages_query_count_does_not_grow(client, django_assert_num_queries, size):
    actor = ActorFactory()
    source = None
    for _ in range(size):
        event = event_with_actors_and_quote(actor)
        source = source or event.quotes.get().source
        QuoteFactory(event=event, source=source, text="A second round is planned for April.")
    # The data version, the actor, one window of events with actors and quotes, the count.
    with django_assert_num_queries(7):
        assert client.get(actor.get_absolute_url()).status_code == 200
    with django_assert_num_queries(4):
        assert client.get(source.get_absolute_url()).status_code == 200


def test_favicon_ico_points_at_our_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("favicon.svg")


def test_unknown_address_gets_our_404_page(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "There is no page at this address." in response.content.decode()


def test_head_requests_are_answered(client, db):
    assert client.head("/").status_code == 200
    assert client.head("/events.json").status_code == 200


def test_event_page_restored_from_history_keeps_its_heading(client, seeded):
    url = "/events/prisoner-swap/"
    panel = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in panel and '<h2 id="event-prisoner-swap-title">' in panel
    restored = client.get(
        url, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    ).content.decode()
    assert "<html" in restored and '<h1 id="event-prisoner-swap-title">' in restored


def test_healthz_checks_the_database_and_the_cache(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content.decode() == "ok\ndatabase: ok\ncache: ok\n"
    assert "no-cache" in response["Cache-Control"] and "ETag" not in response


HEADING = re.compile(r"<h([1-6])\b")


@pytest.mark.parametrize(
    "path, htmx",
    [
        ("/", False),
        ("/events/trump-putin-call/", False),  # accounts side by side
        ("/events/trump-putin-call/", True),  # the side panel
        ("/events/prisoner-swap/", False),
        ("/actors/vladimir-putin/", False),
    ],
)
def test_headings_go_down_one_level_at_a_time(client, seeded, path, htmx):
    """A screen reader's outline of the page: no level skipped on the way
    down (axe's heading-order), on an event's own page and in the panel."""
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    html = client.get(path, **headers).content.decode()
    levels = [int(level) for level in HEADING.findall(html)]
    assert levels
    skips = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
    assert skips == [], levels

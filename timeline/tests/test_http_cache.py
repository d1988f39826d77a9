"""Public pages as a browser, nginx or a CDN sees them: no cookie, no
Vary: Cookie, a strong ETag, Cache-Control, 304 for a matching
If-None-Match, and repeat requests answered from the response cache."""

import pytest
from django.db import connection

from timeline.http_cache import VARY_ON

from .factories import ActorFactory, QuoteFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"}


@pytest.fixture
def event(db):
    return QuoteFactory(event__title="Envoys meet in Geneva").event


def public_urls(event) -> list[tuple[str, dict]]:
    actor = event.participations.create(actor=ActorFactory()).actor
    source = event.quotes.first().source
    return [
        ("/", {}),
        (f"/?actor={actor.slug}", HTMX),
        ("/chart.json?from=2025-03-01&to=2025-03-31", {}),
        ("/events.json", {}),
        (event.get_absolute_url(), {}),
        (event.get_absolute_url(), {"HTTP_HX_REQUEST": "true"}),
        (actor.get_absolute_url(), {}),
        ("/sources/", {}),
        (source.get_absolute_url(), {}),
    ]


def test_anonymous_pages_are_cacheable_by_anyone(client, event):
    for url, headers in public_urls(event):
        response = client.get(url, **headers)
        assert response.status_code == 200, url
        assert not response.cookies, url
        assert "Cookie" not in response["Vary"], url
        for header in VARY_ON:
            assert header in response["Vary"], (url, header)
        assert response["ETag"].startswith('"') and not response["ETag"].startswith("W/"), url
        assert response["Cache-Control"] == (
            "public, max-age=0, stale-while-revalidate=0, stale-if-error=86400"
        ), url


def test_cache_control_follows_the_settings(client, event, settings):
    settings.PUBLIC_CACHE_MAX_AGE = 10
    settings.PUBLIC_CACHE_STALE_WHILE_REVALIDATE = 60
    response = client.get("/")
    assert "max-age=10" in response["Cache-Control"]
    assert "stale-while-revalidate=60" in response["Cache-Control"]


def test_a_repeat_request_is_one_version_read_and_the_same_bytes(
    client, event, django_assert_num_queries
):
    for url, headers in public_urls(event):
        first = client.get(url, **headers)
        with django_assert_num_queries(1):  # the data version; the rest is one cache read
            again = client.get(url, **headers)
        assert again.content == first.content and again["ETag"] == first["ETag"], url


def test_a_matching_if_none_match_is_a_304_without_rendering(
    client, event, django_assert_num_queries
):
    etag = client.get("/", **HTMX)["ETag"]
    with django_assert_num_queries(1):
        response = client.get("/", HTTP_IF_NONE_MATCH=etag, **HTMX)
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == etag and "public" in response["Cache-Control"]
    stale = client.get("/", HTTP_IF_NONE_MATCH='"0-stale"', **HTMX)
    assert stale.status_code == 200


def test_each_representation_has_its_own_etag(client, event, settings):
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    etags = {
        client.get("/")["ETag"],
        client.get("/", **HTMX)["ETag"],
        client.get("/", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")["ETag"],
        client.get("/", HTTP_ACCEPT_ENCODING="gzip")["ETag"],
        client.get("/", HTTP_HOST="localhost")["ETag"],
        client.get("/?page=1")["ETag"],
    }
    assert len(etags) == 6


def test_gzip_and_plain_readers_each_get_their_own_body(client, event):
    plain = client.get("/")
    zipped = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    again = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in plain and zipped["Content-Encoding"] == "gzip"
    assert again["Content-Encoding"] == "gzip" and again.content == zipped.content
    assert client.get("/").content == plain.content


def test_the_cache_answers_until_the_data_version_moves(client, admin_client, event):
    """A change made behind the app's back (no data_changed) is not seen by
    anonymous readers: proof that they are served from the cache. Editors
    always get a fresh rendering."""
    first = client.get("/")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE timeline_event SET title = 'Changed behind the back'")
    assert client.get("/").content == first.content
    editor_page = admin_client.get("/")
    assert "Changed behind the back" in editor_page.content.decode()
    assert editor_page["Cache-Control"] == "private, no-cache"
    assert "ETag" not in editor_page


def test_the_figure_cache_serves_other_windows_of_the_same_filter(client, event):
    """The chart is built once per filter and version: a different window of
    the list (another response) reuses it, as its hover text shows."""
    client.get("/")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE timeline_event SET title = 'Changed behind the back'")
    html = client.get("/?page=1").content.decode()
    start = html.index('id="timeline-figure"')
    end = html.index("</script>", start)
    assert "Envoys meet in Geneva" in html[start:end]  # hover text, from the figure cache
    assert "Changed behind the back" in html[end:]  # the list, read for this request


def test_an_editors_page_is_never_served_to_readers(client, admin_client, event):
    editor_html = admin_client.get("/").content.decode()
    assert 'href="/admin/"' in editor_html
    reader = client.get("/")
    assert 'href="/admin/"' not in reader.content.decode() and "public" in reader["Cache-Control"]


def test_errors_are_not_cached_or_marked_public(client, event):
    response = client.get("/events.json?actor=%%%")
    assert response.status_code == 400 and "ETag" not in response
    assert client.get("/events/no-such-event/").status_code == 404


def test_the_admin_still_gets_its_csrf_cookie(client):
    response = client.get("/admin/login/")
    assert "csrftoken" in response.cookies


def test_weak_and_star_validators_match_too(client, event):
    """A proxy may weaken the tag; * asks for any current page."""
    etag = client.get("/")["ETag"]
    assert client.get("/", HTTP_IF_NONE_MATCH=f"W/{etag}").status_code == 304
    assert client.get("/", HTTP_IF_NONE_MATCH=f'"other", {etag}').status_code == 304
    assert client.get("/", HTTP_IF_NONE_MATCH="*").status_code == 304


def test_one_etag_is_one_byte_sequence_even_when_rendered_again(client, event):
    """gzip without random padding: a second worker (here: an emptied cache)
    renders the same bytes for the same strong ETag."""
    from django.core.cache import cache

    first = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    cache.clear()
    second = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert second["Content-Encoding"] == "gzip" and second["ETag"] == first["ETag"]
    assert second.content == first.content


def test_head_then_get_serves_the_whole_page(client, event, django_assert_num_queries):
    from django.core.cache import cache

    assert client.head("/").status_code == 200
    with django_assert_num_queries(1):
        stored = client.get("/")
    cache.clear()
    assert client.get("/").content == stored.content


def test_tracking_parameters_share_the_page_and_show_no_notice(client, event):
    plain = client.get("/")
    shared = client.get("/?utm_source=newsletter&fbclid=abc123")
    assert shared["ETag"] == plain["ETag"] and shared.content == plain.content
    assert "Ignored" not in shared.content.decode()
    assert client.get("/events.json?utm_campaign=spring").status_code == 200


def test_a_new_release_starts_new_etags(client, event, settings):
    from timeline.cache import _release

    before = client.get("/")["ETag"]
    settings.RELEASE = "2026-12-01"
    _release.cache_clear()
    try:
        after = client.get("/", HTTP_IF_NONE_MATCH=before)
    finally:
        _release.cache_clear()
    assert after.status_code == 200 and after["ETag"] != before

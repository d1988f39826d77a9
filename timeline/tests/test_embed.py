"""/embed/: the timeline in a story's <iframe>. Framing is allowed there
only; every other page keeps refusing to be framed."""

import pytest

from timeline.models import Event
from timeline.views import PAGE_SIZE

pytestmark = pytest.mark.django_db


def test_embed_is_the_chart_and_list_without_the_site(client, seeded):
    response = client.get("/embed/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="timeline-figure"' in html and html.count('<li class="event ') == 18
    assert 'class="site-header"' not in html and 'id="actor-filter"' not in html
    assert '<base target="_blank">' in html  # every link opens the full site in a new tab
    assert 'hx-target="#event-detail"' not in html and 'hx-target="#results"' not in html
    assert "Embed this view" not in html


def test_only_the_embed_may_be_framed(client, seeded):
    embed = client.get("/embed/")
    assert "X-Frame-Options" not in embed
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    for url in ("/", "/events/prisoner-swap/", "/sources/", "/admin/login/"):
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY", url
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], url


def test_embed_ancestors_follow_the_setting(client, seeded, settings):
    settings.EMBED_FRAME_ANCESTORS = "https://news.example.org"
    policy = client.get("/embed/")["Content-Security-Policy"]
    assert "frame-ancestors https://news.example.org" in policy
    assert "script-src 'self'" in policy  # the rest of the policy stays


def test_embed_takes_the_timelines_filter(client, seeded):
    html = client.get("/embed/?actor=keir-starmer").content.decode()
    starmer = Event.objects.filter(participations__actor__slug="keir-starmer")
    assert html.count('<li class="event ') == starmer.count()
    assert 'href="/?actor=keir-starmer"' in html  # the footer opens this view on the full site


def test_every_view_of_the_timeline_offers_its_embed_code(client, seeded):
    html = client.get("/?actor=russia&source=untitled-article-2025-03-19").content.decode()
    assert "Embed this view" in html
    assert (
        "&lt;iframe src=&quot;http://testserver/embed/?actor=russia&amp;amp;"
        "source=untitled-article-2025-03-19&quot;"
    ) in html
    fragment = client.get("/?actor=kremlin", HTTP_HX_REQUEST="true").content.decode()
    assert "http://testserver/embed/?actor=kremlin" in fragment  # follows the filter


def test_embed_is_a_public_cacheable_page(client, seeded):
    response = client.get("/embed/")
    assert not response.cookies and "Cookie" not in response["Vary"]
    assert "public" in response["Cache-Control"]
    assert client.get("/embed/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_embed_scrolls_on_within_itself(client, db):
    from timeline.management.commands.generate_events import generate

    generate(count=PAGE_SIZE + 5, seed=3, actor_count=3, prefix="e-")
    html = client.get("/embed/").content.decode()
    assert 'hx-get="/embed/?page=2"' in html
    more = client.get(
        "/embed/?page=2", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="more-events"
    ).content.decode()
    assert more.count('<li class="event ') == 5 and "<html" not in more

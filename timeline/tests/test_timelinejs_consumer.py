"""/timelinejs.json as its consumer reads it: TimelineJS3 from npm (tests_js/,
test-only, never shipped to users), embedded the way a newsroom embeds it and
given the URL of the JSON as the app serves it, in Debian's Chromium.

TimelineJS is served from tests_js/node_modules on a made-up path of the live
server's origin; every request to another origin is refused and reported, so
no CDN is used. Without tests_js/node_modules these tests fail and say why.
"""

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from timeline.models import Event
from timeline.tests import test_browser
from timeline.tests.test_browser import screenshot

from .factories import ActorFactory, event_with_actors_and_quote

pytestmark = pytest.mark.browser

# The browser tests' fixtures (Debian's Chromium, the seeded live server), shared.
page = test_browser.page
seeded_site = test_browser.seeded_site

TIMELINEJS_DIST = (
    Path(__file__).resolve().parents[2] / "tests_js/node_modules/@knight-lab/timelinejs/dist"
)
HARNESS_PREFIX = "/__timelinejs__/"
# Written for these tests: the embed as TimelineJS's docs show it ("instantiate a
# timeline"), with the URL of the app's JSON; `loaded` fires once slides and markers exist.
# script_path points TimelineJS at its own files here (its default is the CDN), and
# the font set is one of system fonts: the default one comes from Google Fonts.
HARNESS = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>TimelineJS embed</title>
<link rel="stylesheet" href="css/timeline.css">
<script src="js/timeline.js"></script></head>
<body style="margin:0">
<div id="timeline-embed" style="width:100%; height:680px"></div>
<script>
  window.timeline = new TL.Timeline(
    "timeline-embed",
    new URL("/timelinejs.json", location.href).href,
    {script_path: new URL("js/", location.href).href, font: "georgia-helvetica"},
  );
  window.timeline.on("loaded", () => { document.body.dataset.timelineLoaded = "true"; });
</script>
</body></html>"""


def timelinejs_dist() -> Path:
    if not (TIMELINEJS_DIST / "js" / "timeline.js").exists():
        pytest.fail(
            "TimelineJS3 is not installed in tests_js/node_modules, so its consumer test "
            "cannot run. Run `make test` (it runs `npm ci` in tests_js/)."
        )
    return TIMELINEJS_DIST


def open_timelinejs(page, site: str) -> list[str]:
    """Load the embed on `site`'s origin and wait until TimelineJS has drawn it.
    Returns the list that collects requests made to any other origin."""
    dist = timelinejs_dist()
    offsite: list[str] = []

    def answer(route):
        url = urlsplit(route.request.url)
        if f"{url.scheme}://{url.netloc}" != site:
            offsite.append(route.request.url)
            route.abort()
        elif not url.path.startswith(HARNESS_PREFIX):
            route.continue_()  # the app itself: /timelinejs.json as it is served
        elif url.path == HARNESS_PREFIX:
            route.fulfill(body=HARNESS, content_type="text/html; charset=utf-8")
        else:
            file = (dist / url.path.removeprefix(HARNESS_PREFIX)).resolve()
            if file.is_relative_to(dist) and file.is_file():
                route.fulfill(path=file)
            else:
                route.fulfill(status=404, body="not in the TimelineJS package")

    page.set_default_timeout(10_000)
    page.route("**/*", answer)
    page.goto(site + HARNESS_PREFIX)
    page.locator("body[data-timeline-loaded=true]").wait_for()
    return offsite


def served_document(page, site: str) -> dict:
    response = page.request.get(site + "/timelinejs.json")
    assert response.ok
    return response.json()


def go_to_next_slide(page) -> str:
    """Click the story's next arrow, as a reader does; the slide it shows."""
    shown = page.evaluate("timeline.current_id")
    page.locator(".tl-slidenav-next").first.click()
    page.wait_for_function("shown => timeline.current_id !== shown", arg=shown)
    return page.evaluate("timeline.current_id")


def current_slide(page):
    # TimelineJS gives each slide its event's unique_id (the slug) as its id.
    return page.locator(f".tl-storyslider .tl-slide[id='{page.evaluate('timeline.current_id')}']")


def wait_until_still(page) -> None:
    """Wait for TimelineJS's animations to end (its CSS transitions, and its
    script-driven slide, a second long by default), so a screenshot shows
    the timeline where it comes to rest."""
    page.evaluate(
        """() => new Promise(resolve => {
            const where = () => [...document.querySelectorAll('.tl-slider-container, .tl-timenav-slider')]
              .map(e => e.getBoundingClientRect().left).join();
            const moving = () => document.getAnimations().some(a => a.playState === 'running');
            let last = where();
            const check = () => {
              const now = where();
              if (now === last && !moving()) { resolve(); } else { last = now; setTimeout(check, 150); }
            };
            setTimeout(check, 150);
        })"""
    )


def test_timelinejs_renders_the_served_timeline(page, seeded_site):
    offsite = open_timelinejs(page, seeded_site)
    published = Event.objects.published().count()
    assert len(served_document(page, seeded_site)["events"]) == published == 18

    # Nothing went wrong that a reader would see or the console would report.
    assert page.locator(".tl-message-full").count() == 0
    assert offsite == []
    assert page.problems == []
    title_slide = page.locator(".tl-slide-titleslide")
    assert title_slide.locator(".tl-headline").text_content() == "Ceasefire Timeline"
    assert "18 events, each backed by quotes" in title_slide.inner_text()
    # A slide per event after the title slide, a marker per event on the time axis.
    assert page.locator(".tl-storyslider .tl-slide").count() == published + 1
    assert page.locator(".tl-timenav .tl-timemarker").count() == published
    wait_until_still(page)
    screenshot(page, "timelinejs-title")

    # The first event: known only to the year, so TimelineJS puts it first.
    assert go_to_next_slide(page) == "ukraine-backs-us-proposal"
    slide = current_slide(page)
    assert slide.locator(".tl-headline").text_content() == (
        "Ukraine agrees to support a US-led ceasefire proposal"
    )
    assert slide.locator(".tl-headline-date").inner_text() == "some time before 18 March 2025"
    text = slide.locator(".tl-text-content").inner_text()
    assert "Agreed · Agreement. Actors: Ukraine, United States." in text
    assert (
        "The high-stakes conversation was their first since Ukraine agreed to support "
        "a US-led ceasefire proposal.\nThe source, in Untitled news article on the "
        "Trump–Putin call (19 March 2025)"
    ) in text
    link = slide.get_by_role("link", name="Sources and dates")
    assert link.get_attribute("href") == seeded_site + "/events/ukraine-backs-us-proposal/"
    wait_until_still(page)
    screenshot(page, "timelinejs-first-event")

    # Then one known only to the month, then the first known to the day, whose
    # quote was said by someone named.
    assert go_to_next_slide(page) == "coalition-of-the-willing-effort"
    assert go_to_next_slide(page) == "coalition-of-the-willing-call"
    slide = current_slide(page)
    assert slide.locator(".tl-headline-date").inner_text() == "15 March 2025"
    assert (
        "that took place on Saturday.\nDowning Street, in Untitled news article on the "
        "Trump–Putin call (19 March 2025)"
    ) in slide.locator(".tl-text-content").inner_text()
    wait_until_still(page)
    screenshot(page, "timelinejs-event-known-to-the-day")
    assert offsite == []
    assert page.problems == []


def test_timelinejs_shows_markup_in_a_title_as_text_and_runs_none(
    page, live_server, transactional_db
):
    # Written for this test, not from any source: a title as an attacker might type it.
    title = '<img src=x onerror="window.__ran = true"> talks <b>bold</b>'
    event_with_actors_and_quote(ActorFactory(), title=title, slug="markup-talks")
    offsite = open_timelinejs(page, live_server.url)
    assert len(served_document(page, live_server.url)["events"]) == 1

    assert go_to_next_slide(page) == "markup-talks"
    headline = current_slide(page).locator(".tl-headline")
    assert headline.text_content() == title
    marker = page.locator("#markup-talks-marker .tl-headline")
    assert marker.text_content() == title
    assert page.locator("#timeline-embed img[src=x], #timeline-embed b").count() == 0
    assert page.evaluate("window.__ran") is None
    wait_until_still(page)
    screenshot(page, "timelinejs-markup-as-text")
    assert offsite == []
    assert page.problems == []

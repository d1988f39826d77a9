"""The timeline as a reader uses it, in Debian's Chromium driven by Playwright.

These tests never skip: without a usable Chromium they fail and say why
(`make test` installs Debian's chromium package when it can).
"""

import contextlib
import os
import shutil
from pathlib import Path

import pytest

from timeline.services import timeline_import
from timeline.tests.conftest import PASSWORD, artifact

pytestmark = pytest.mark.browser

# Playwright's sync API runs an event loop in this thread; the ORM calls made
# by fixtures here are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail(
        "Debian's chromium is not installed, so the browser tests cannot run. "
        "Install it with `apt-get install chromium` (make test does this when run as root)."
    )


@contextlib.contextmanager
def chromium_page(**options):
    """A page in Debian's Chromium (Playwright's `new_page` options, e.g.
    locale or java_script_enabled), its console errors and uncaught
    exceptions collected in `page.problems`."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        page = browser.new_page(**options)
        problems: list[str] = []
        page.on("console", lambda m: m.type == "error" and problems.append(m.text))
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.problems = problems
        try:
            yield page
        finally:
            browser.close()


@pytest.fixture
def page(live_server):
    with chromium_page(viewport={"width": 1440, "height": 1000}) as page:
        yield page


@pytest.fixture
def seeded_site(live_server, transactional_db, seed_document):
    timeline_import(document=seed_document)
    return live_server.url


def chart_event_urls(page) -> set[str]:
    return set(
        page.evaluate(
            """() => document.getElementById('timeline-chart').data
                 .filter(t => t.type === 'scatter').flatMap(t => t.customdata)"""
        )
    )


def list_event_urls(page) -> set[str]:
    return set(
        page.eval_on_selector_all(
            ".event-list .event-title a", "els => els.map(e => e.getAttribute('href'))"
        )
    )


def wait_for_chart(page, count: int) -> None:
    page.wait_for_function(
        """n => { const c = document.getElementById('timeline-chart');
                 return c && c.dataset.drawn === 'true' && c.data &&
                   c.data.filter(t => t.type === 'scatter').reduce((s, t) => s + t.x.length, 0) === n; }""",
        arg=count,
    )


def screenshot(page, name: str) -> None:
    page.screenshot(path=str(artifact(f"{name}.png")), full_page=True)


def test_filter_by_actor_updates_chart_list_and_url_and_back_undoes_it(page, seeded_site):
    page.goto(seeded_site + "/")
    wait_for_chart(page, 18)
    assert page.locator(".main-svg").first.is_visible()
    assert chart_event_urls(page) == list_event_urls(page)
    assert len(list_event_urls(page)) == 18
    screenshot(page, "timeline-all")
    page.evaluate("window.__noReload = true")

    page.get_by_label("Keir Starmer").check()
    page.wait_for_url("**/?actor=keir-starmer")
    wait_for_chart(page, 3)
    assert page.evaluate("window.__noReload") is True  # htmx swap, not a page load
    assert len(list_event_urls(page)) == 3
    assert chart_event_urls(page) == list_event_urls(page)
    assert page.locator("#results-heading").inner_text() == "3 of 18 events involve Keir Starmer"
    screenshot(page, "timeline-filtered")

    page.go_back()
    page.wait_for_url(seeded_site + "/")
    wait_for_chart(page, 18)
    assert len(list_event_urls(page)) == 18
    assert not page.locator("#actor-keir-starmer").is_checked()
    page.go_forward()
    page.wait_for_url("**/?actor=keir-starmer")
    wait_for_chart(page, 3)
    assert page.locator("#actor-keir-starmer").is_checked()
    assert page.problems == []


def test_clicking_an_event_in_the_chart_opens_its_detail(page, seeded_site):
    page.goto(seeded_site + "/?actor=keir-starmer")
    wait_for_chart(page, 3)
    point = page.locator("#timeline-chart .scatterlayer .point").first
    box = point.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    detail = page.locator("#event-detail article")
    detail.wait_for()
    assert detail.locator("blockquote").count() >= 1
    assert "How the date was established" in detail.inner_text()
    assert page.url.endswith("/?actor=keir-starmer")  # the shared view stays as it was
    screenshot(page, "timeline-detail")
    assert page.problems == []


def test_list_title_opens_detail_in_place_and_works_as_a_link(page, seeded_site):
    page.goto(seeded_site + "/")
    wait_for_chart(page, 18)
    page.get_by_role("link", name="175-for-175", exact=False).first.click()
    page.locator("#event-detail article").wait_for()
    assert "today (Wed)" in page.locator("#event-detail").inner_text()
    assert page.url == seeded_site + "/"


def test_filter_works_without_javascript(live_server, seeded_site):
    with chromium_page(java_script_enabled=False) as page:
        page.goto(seeded_site + "/")
        page.get_by_label("Vladimir Putin").check()
        page.get_by_role("button", name="Apply filter").click()
        page.wait_for_url("**/?actor=vladimir-putin")
        assert (
            page.locator("#results-heading").inner_text()
            == "12 of 18 events involve Vladimir Putin"
        )


def test_actor_links_and_clear_filter_keep_the_checkboxes_in_step(page, seeded_site):
    page.goto(seeded_site + "/")
    wait_for_chart(page, 18)
    page.locator(".event-list .chip", has_text="Emmanuel Macron").first.click()
    page.wait_for_url("**/?actor=emmanuel-macron")
    wait_for_chart(page, 1)
    assert page.locator("#actor-emmanuel-macron").is_checked()
    page.locator("#actor-filter").get_by_role("link", name="Clear all").click()
    page.wait_for_url(seeded_site + "/")
    wait_for_chart(page, 18)
    assert not page.locator("#actor-emmanuel-macron").is_checked()
    assert page.problems == []


def test_quote_link_opens_the_source_at_its_passage_marked(page, seeded_site):
    page.goto(seeded_site + "/events/prisoner-swap/")
    page.locator("figcaption a", has=page.locator("cite")).first.click()
    page.wait_for_url("**/sources/**#quote-*")
    marked = page.locator("mark.is-target")
    marked.first.wait_for()
    assert "175-for-175 exchange" in marked.first.inner_text()
    box = marked.first.bounding_box()
    assert 0 <= box["y"] <= page.viewport_size["height"]  # scrolled into view
    screenshot(page, "source-reader")
    assert page.problems == []


def log_in(page, site: str, username: str) -> None:
    """Signed in through the admin's own form, as a person does."""
    page.goto(site + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(site + "/admin/")


def test_editor_selects_a_passage_and_attaches_it(page, seeded_site, django_user_model):
    from timeline.models import Event, Source

    django_user_model.objects.create_superuser("chief", password=PASSWORD)
    source = Source.objects.get()
    log_in(page, seeded_site, "chief")
    page.goto(f"{seeded_site}/admin/timeline/source/{source.pk}/attach-quote/")
    wanted = "The pair also discussed ice hockey matches"
    page.evaluate(
        """wanted => {
            const box = document.getElementById('attach-source-text');
            const node = box.firstChild;
            const start = node.textContent.indexOf(wanted);
            const range = document.createRange();
            range.setStart(node, start);
            range.setEnd(node, start + wanted.length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            box.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
        }""",
        wanted,
    )
    assert page.input_value("#id_text") == wanted
    event = Event.objects.get(slug="ice-hockey-matches")
    # The event is searched for by name, as in any admin autocomplete.
    page.click("#id_event + .select2 .select2-selection")
    page.fill(".select2-search__field", "ice hockey")
    page.click(".select2-results__option >> text=ice hockey matches")
    assert page.input_value("#id_event") == str(event.pk)
    screenshot(page, "attach-passage")
    page.click("input[type=submit]")
    page.wait_for_url(f"**/admin/timeline/event/{event.pk}/change/")
    quote = event.quotes.get(text=wanted)
    assert source.text[quote.start : quote.end] == wanted


def test_density_chart_zooms_into_individual_events(page, live_server, transactional_db):
    from timeline import charts
    from timeline.management.commands.generate_events import generate

    generate(count=charts.DETAIL_LIMIT + 300, seed=9, actor_count=10, prefix="z-")
    page.goto(live_server.url + "/")
    page.wait_for_function(
        "() => document.getElementById('timeline-chart').dataset.drawn === 'true'"
    )
    assert page.evaluate("() => document.getElementById('timeline-chart').layout.meta.density")
    screenshot(page, "timeline-density")
    page.evaluate(
        "() => Plotly.relayout('timeline-chart', {'xaxis.range': ['2023-03-01', '2023-03-20']})"
    )
    # The zoom is a date filter now: the results, chart included, are swapped in.
    page.wait_for_url("**/?from=2023-03-02&to=2023-03-19")
    page.wait_for_function(
        """() => { const c = document.getElementById('timeline-chart');
                 return c.dataset.drawn === 'true' && !(c.layout.meta && c.layout.meta.density) &&
                   c.data.some(t => t.type === 'scatter' && String(t.customdata[0]).startsWith('/events/')); }"""
    )
    screenshot(page, "timeline-zoomed")
    assert page.problems == []


def test_scrolling_to_the_end_of_the_list_loads_the_next_events(
    page, live_server, transactional_db
):
    from timeline.management.commands.generate_events import generate
    from timeline.views import PAGE_SIZE

    generate(count=PAGE_SIZE + 10, seed=4, actor_count=5, prefix="w-")
    page.goto(live_server.url + "/")
    items = page.locator(".event-list > li.event")
    assert items.count() == PAGE_SIZE
    page.locator("#more-events").scroll_into_view_if_needed()
    page.wait_for_function(
        f"() => document.querySelectorAll('.event-list > li.event').length === {PAGE_SIZE + 10}"
    )
    assert page.locator("#more-events").count() == 0
    assert page.url == live_server.url + "/"  # loading more does not change the address
    assert page.problems == []


@pytest.fixture
def story_site(seeded_site):
    """A news story on another origin (another port) that frames the timeline
    twice: the embed, which may be framed, and the site, which may not."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    # Written for this test: a stand-in for a newsroom's article page.
    story = f"""<!doctype html><html><head><title>A story</title></head><body>
      <h1>Talks in Riyadh: what happened when</h1>
      <iframe id="embed" src="{seeded_site}/embed/?actor=vladimir-putin" width="900" height="640"
              style="border:0" title="Timeline"></iframe>
      <iframe id="site" src="{seeded_site}/" width="600" height="200" title="Site"></iframe>
    </body></html>""".encode()

    class Story(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(story)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Story)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


def test_the_embed_works_in_another_sites_iframe_and_the_site_refuses(page, story_site):
    page.goto(story_site)
    embed = page.frame_locator("#embed")
    embed.locator("#timeline-chart[data-drawn=true]").wait_for(timeout=30_000)
    assert "12 of 18 events involve" in embed.locator("#results-heading").inner_text()
    assert embed.locator("li.event").count() == 12
    screenshot(page, "embed-in-a-story")
    with page.expect_popup() as opened:
        embed.locator("li.event h3 a").first.click()
    popup = opened.value
    popup.wait_for_load_state()
    assert "/events/" in popup.url and popup.evaluate("window.opener") is None
    # The full site must not render inside another site's frame.
    assert page.frame_locator("#site").locator("#results").count() == 0
    unexpected = [problem for problem in page.problems if "frame" not in problem.lower()]
    assert unexpected == []

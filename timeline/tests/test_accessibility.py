"""Accessibility as a reader who does not use a mouse, or does not see the
screen, meets the site (issue 9): axe-core finds no serious or critical
problem on any kind of page, in light and dark, on a desk and a phone; the
filters can be worked with the keyboard alone, with focus always visible and
never lost; the chart can be skipped; the result count is announced; and
without JavaScript the filter form still filters.

axe-core comes from npm (tests_js/, test-only, never shipped to users). The
app's Content-Security-Policy allows scripts from its own origin only, so axe
is served to the browser on a made-up path of the live server's origin by a
Playwright route, and the policy stays as it is. In Debian's Chromium, with
the fixtures of test_browser.py."""

import re
from contextlib import contextmanager
from pathlib import Path

import pytest

from timeline.tests import test_browser
from timeline.tests.conftest import artifact, editor_user
from timeline.tests.test_browser import wait_for_chart

pytestmark = pytest.mark.browser

page = test_browser.page
seeded_site = test_browser.seeded_site

AXE = Path(__file__).resolve().parents[2] / "tests_js/node_modules/axe-core/axe.min.js"
AXE_URL_PATH = "/__axe__/axe.min.js"
BLOCKING = ("critical", "serious")

# Django's own admin, not this app's customisation of it: each exclusion is one
# rule on the elements one selector names, and nothing else on those elements.
DJANGO_ADMIN_CORE = [
    # The autocomplete widget's select2 (vendored by Django) names its combobox,
    # and the read-only textbox inside that shows the choice, by the choice
    # alone, so an empty one has no name, whatever <label> the form gives the
    # <select> it stands in for.
    {
        "rule": "aria-input-field-name",
        "selector": ".select2-selection[role=combobox], .select2-selection__rendered[role=textbox]",
    },
    # Django's admin stylesheet: white breadcrumb links in light-blue text, not
    # underlined.
    {"rule": "link-in-text-block", "selector": ".breadcrumbs > a"},
]

RUN_AXE = """async excluded => {
    const results = await axe.run(document, {resultTypes: ["violations"]});
    const isExcluded = (rule, target) => excluded.some(e => e.rule === rule &&
        target.length === 1 && document.querySelector(target[0]).matches(e.selector));
    return results.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
        nodes: v.nodes.filter(n => !isExcluded(v.id, n.target))
            .map(n => ({target: n.target.join(" "), summary: n.failureSummary})),
    })).filter(v => v.nodes.length);
}"""


def axe_script() -> Path:
    if not AXE.exists():
        pytest.fail(
            "axe-core is not installed in tests_js/node_modules, so the accessibility "
            "tests cannot run. Run `make test` (it runs `npm ci` in tests_js/)."
        )
    return AXE


def serve_axe(page, site: str) -> None:
    """Answer AXE_URL_PATH on the site's origin with axe-core, so the page's
    own policy (script-src 'self') lets it run."""
    script = axe_script()
    page.route(
        site + AXE_URL_PATH,
        lambda route: route.fulfill(path=script, content_type="text/javascript"),
    )


def blocking_violations(page, site: str, *, excluded=()) -> list[dict]:
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(url=site + AXE_URL_PATH)
    violations = page.evaluate(RUN_AXE, list(excluded))
    return [v for v in violations if v["impact"] in BLOCKING]


def report(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['impact']}: {violation['id']}: {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:8]:
            summary = " / ".join(node["summary"].splitlines()[1:3]).strip()
            lines.append(f"  - {node['target']}: {summary}")
        if len(violation["nodes"]) > 8:
            lines.append(f"  - and {len(violation['nodes']) - 8} more")
    return "\n".join(lines)


def first_screen(page, name: str) -> None:
    """What the reader sees before scrolling, in test-artifacts/."""
    page.screenshot(path=str(artifact(f"{name}.png")))


def source_slug() -> str:
    from timeline.models import Source

    return Source.objects.get().slug


PAGES = {
    "timeline": "/",
    "filtered": "/?actor=donald-trump&actor=vladimir-putin&match=all&kind=call",
    "search": "/?q=energy",
    "event": "/events/prisoner-swap/",
    "actor": "/actors/vladimir-putin/",
    "source": "/sources/{source}/",
    "embed": "/embed/?actor=keir-starmer",
}


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_serious_problem_on_the_public_pages(page, seeded_site, name):
    serve_axe(page, seeded_site)
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(seeded_site + PAGES[name].format(source=source_slug()))
    if page.locator("#timeline-chart").count():
        page.wait_for_function(
            "() => document.getElementById('timeline-chart').dataset.drawn === 'true'"
        )
    violations = blocking_violations(page, seeded_site)
    assert violations == [], f"axe on {PAGES[name]}:\n{report(violations)}"
    assert page.problems == []
    first_screen(page, f"a11y-{name}")


def test_axe_finds_no_serious_problem_in_dark_mode(page, seeded_site):
    serve_axe(page, seeded_site)
    page.emulate_media(color_scheme="dark")
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(seeded_site + "/")
    wait_for_chart(page, 18)
    violations = blocking_violations(page, seeded_site)
    assert violations == [], f"axe on / in dark mode:\n{report(violations)}"
    first_screen(page, "a11y-dark")
    # And with an event open in the side panel: quotes, marks, story links.
    page.locator("#event-starmer-trump-call .event-title a").click()
    page.locator("#event-detail article blockquote").first.wait_for()
    violations = blocking_violations(page, seeded_site)
    assert violations == [], f"axe on the event panel in dark mode:\n{report(violations)}"
    assert page.problems == []
    first_screen(page, "a11y-dark-event")


def test_axe_finds_no_serious_problem_on_a_phone(page, seeded_site):
    serve_axe(page, seeded_site)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(seeded_site + "/?actor=keir-starmer")
    wait_for_chart(page, 3)
    violations = blocking_violations(page, seeded_site)
    assert violations == [], f"axe on / at 390x844:\n{report(violations)}"
    first_screen(page, "a11y-phone")
    page.locator("#filter-panel > summary").click()  # the folded filters, unfolded
    page.get_by_role("searchbox", name="Search").wait_for()
    violations = blocking_violations(page, seeded_site)
    assert violations == [], f"axe on / at 390x844, filters open:\n{report(violations)}"
    assert page.problems == []
    first_screen(page, "a11y-phone-filters")


def test_axe_finds_no_serious_problem_on_an_event_in_the_admin(page, seeded_site):
    from timeline.models import Event

    editor_user("desk-editor")
    event = Event.objects.get(slug="prisoner-swap")
    serve_axe(page, seeded_site)
    page.set_viewport_size({"width": 1280, "height": 1000})
    test_browser.log_in(page, seeded_site, "desk-editor")
    page.goto(f"{seeded_site}/admin/timeline/event/{event.pk}/change/")
    assert page.locator("#event_form").count() == 1
    violations = blocking_violations(page, seeded_site, excluded=DJANGO_ADMIN_CORE)
    assert violations == [], f"axe on the admin's event page:\n{report(violations)}"


# What the keyboard has reached: each stop must show it has focus, with an
# outline at least 2 px wide (Chromium's own ring is 1 px) or a box shadow.
FOCUSED = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    return {
        name: element.tagName.toLowerCase() + (element.id ? "#" + element.id : "") + " " +
            (element.getAttribute("aria-label") || element.innerText || element.value || "")
                .trim().slice(0, 50),
        marked: element.matches(":focus-visible") && box.width >= 4 && box.height >= 4 && (
            (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) ||
            style.boxShadow !== "none"),
    };
}"""


def focused_is(page, selector: str) -> bool:
    return page.evaluate("s => document.activeElement.matches(s)", selector)


def tab_to(page, selector: str, *, key: str = "Tab", limit: int = 60) -> list[str]:
    """Press Tab (or Shift+Tab) until the element `selector` names has focus;
    every element passed on the way must show its focus. The names of the
    elements passed, in order."""
    passed = []
    for _ in range(limit):
        page.keyboard.press(key)
        seen = page.evaluate(FOCUSED)
        passed.append(seen["name"])
        assert seen["marked"], f"keyboard focus is not visible on {seen['name']!r}"
        if focused_is(page, selector):
            return passed
    pytest.fail(f"{key} never reached {selector}; it went through {passed}")


@contextmanager
def new_results(page, url_pattern: str):
    """Wait, after the block, for htmx to have swapped in new results for the
    address `url_pattern` matches and settled them."""
    page.evaluate("() => { window.__shown = document.getElementById('results'); }")
    yield
    page.wait_for_function(
        "() => document.getElementById('results') !== window.__shown &&"
        " !document.querySelector('#results.htmx-settling, #results[aria-busy]')"
    )
    page.wait_for_url(url_pattern)


def announced(page) -> str:
    """What the live region that stayed in the page last said; it must be the
    same element the page was loaded with (the results around it are replaced)."""
    assert page.evaluate(
        "() => document.getElementById('results-announcer') === window.__announcer"
    ), "the live region was replaced, so a screen reader would not read it"
    assert page.get_attribute("#results-announcer", "aria-live") == "polite"
    return page.inner_text("#results-announcer")


def test_the_filters_by_keyboard_alone(page, seeded_site):
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(seeded_site + "/")
    wait_for_chart(page, 18)
    page.evaluate(
        "() => { window.__noReload = true;"
        " window.__announcer = document.getElementById('results-announcer'); }"
    )
    assert page.inner_text("#results-announcer") == ""  # nothing is read out on arrival

    passed = tab_to(page, "#filter-q")
    assert passed[0] == "a Skip to content"
    with new_results(page, "**/?q=call"):
        page.keyboard.type("call")
    assert focused_is(page, "#filter-q")  # the swap left the search box alone
    assert announced(page) == page.inner_text("#results-heading") == "6 of 18 events"

    tab_to(page, "#actor-donald-trump")
    with new_results(page, "**/?q=call&actor=donald-trump"):
        page.keyboard.press("Space")
    tab_to(page, "#actor-keir-starmer")
    first_screen(page, "a11y-focus-visible")
    with new_results(page, "**/?q=call&actor=donald-trump&actor=keir-starmer"):
        page.keyboard.press("Space")
    assert focused_is(page, "#actor-keir-starmer:checked")
    tab_to(page, "input[name=match][value=any]")
    with new_results(page, "**/?q=call&actor=donald-trump&actor=keir-starmer&match=all"):
        page.keyboard.press("ArrowDown")  # a radio group moves with the arrows
    assert announced(page) == "2 of 18 events involve Donald Trump and Keir Starmer"

    tab_to(page, ".apply-button")
    with new_results(page, "**/?q=call&actor=donald-trump&actor=keir-starmer&match=all"):
        page.keyboard.press("Enter")
    assert focused_is(page, ".apply-button")
    assert listed_slugs(page) == ["coalition-of-the-willing-call", "starmer-trump-call"]

    # A chip is inside the results it replaces: focus goes on to their heading.
    tab_to(page, ".chip-remove[aria-label='Remove the filter Keir Starmer']")
    with new_results(page, "**/?q=call&actor=donald-trump"):
        page.keyboard.press("Enter")
    assert focused_is(page, "#results-heading"), page.evaluate(FOCUSED)["name"]
    assert page.evaluate(FOCUSED)["marked"]
    assert announced(page) == "5 of 18 events involve Donald Trump"

    # The chart is skipped in one step; the next stop is the first event.
    tab_to(page, ".skip-chart")
    first_screen(page, "a11y-skip-chart")
    page.keyboard.press("Enter")
    assert focused_is(page, "#event-list")
    page.keyboard.press("Tab")
    assert focused_is(page, ".event-list > li:first-child .event-title a")
    # Skipped, not removed: its buttons are a Shift+Tab away, and show their focus.
    assert tab_to(page, "#timeline-chart button", key="Shift+Tab") == ["button Reset axes"]
    page.keyboard.press("Tab")
    assert focused_is(page, ".event-list > li:first-child .event-title a")
    page.keyboard.press("Enter")
    page.locator("#event-detail article blockquote").first.wait_for()
    # Focus moves once htmx has settled the panel, a moment after it is shown.
    # A function, not an expression: Playwright polls an expression by eval,
    # which the page's Content-Security-Policy refuses once it has to poll.
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.matches('#event-detail h2')",
        timeout=3000,
    )
    assert focused_is(page, "#event-detail h2")  # the reader goes on from the event
    assert page.evaluate("window.__noReload") is True
    assert page.problems == []


def listed_slugs(page) -> list[str]:
    return [
        href.rstrip("/").rsplit("/", 1)[-1]
        for href in page.eval_on_selector_all(
            ".event-list .event-title a", "links => links.map(a => a.getAttribute('href'))"
        )
    ]


def test_without_javascript_the_filter_form_filters(seeded_site):
    """Search, dates, all of several actors and a kind, submitted by the
    form itself; a chip is a plain link."""
    with test_browser.chromium_page(java_script_enabled=False) as page:
        page.goto(seeded_site + "/")
        assert page.inner_text("#results-heading") == "18 events in the timeline"
        page.get_by_role("searchbox", name="Search").fill("call")
        page.get_by_role("textbox", name="From", exact=True).fill("2025-03-18")
        page.get_by_role("checkbox", name="Donald Trump").check()
        page.get_by_role("checkbox", name="Vladimir Putin").check()
        page.get_by_label("all of them together").check()
        page.get_by_role("checkbox", name=re.compile("^Call ")).check()
        page.get_by_role("button", name="Apply filter").click()
        page.wait_for_url(
            "**/?q=call&from=2025-03-18&actor=donald-trump&actor=vladimir-putin&match=all&kind=call"
        )
        assert listed_slugs(page) == ["trump-putin-call"]
        assert page.inner_text("#results-heading") == (
            "1 of 18 events involve Donald Trump and Vladimir Putin"
        )
        page.get_by_role("link", name="Remove the filter \u201ccall\u201d").click()
        page.wait_for_url(
            "**/?from=2025-03-18&actor=donald-trump&actor=vladimir-putin&match=all&kind=call"
        )
        assert page.get_by_role("checkbox", name="Vladimir Putin").is_checked()

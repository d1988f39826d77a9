"""Zooming the chart in Chromium (issue 9): a preset, a drag across the
chart, a density dot and a double-click each set or clear from and to, so
the list follows, the address can be reloaded or shared, and the back
button steps back one zoom at a time."""

import pytest
from playwright.sync_api import expect

from timeline import charts
from timeline.tests import test_browser
from timeline.tests.conftest import artifact
from timeline.tests.test_browser import screenshot, wait_for_chart
from timeline.tests.test_browser_filters import listed

pytestmark = pytest.mark.browser

page = test_browser.page
seeded_site = test_browser.seeded_site

# The seed's events starting before and after the week of the Trump-Putin call.
BEFORE_THE_WEEK = {"coalition-of-the-willing-call"}  # Saturday 15 March 2025
ON_19_MARCH = {"prisoner-swap", "zelensky-no-comment"}
# On 17 March: the Starmer call, and two events whose uncertain dates include the day.
IN_17_MARCH = {"starmer-trump-call", "coalition-of-the-willing-effort", "ukraine-backs-us-proposal"}


def chart_range(page) -> list[str]:
    return page.evaluate("document.getElementById('timeline-chart').layout.xaxis.range")


def screenshot_chart(page, name: str) -> None:
    """The presets and the chart, at the size a reader sees them."""
    top = page.locator(".zoom-presets").bounding_box()
    chart = page.locator("#timeline-chart").bounding_box()
    clip = {
        "x": chart["x"],
        "y": top["y"] - 4,
        "width": chart["width"],
        "height": chart["y"] + chart["height"] - top["y"] + 8,
    }
    page.screenshot(path=str(artifact(f"{name}.png")), clip=clip)


def results_requests(page) -> list[str]:
    """Every htmx request for the results from now on, as it is sent."""
    sent: list[str] = []
    page.on(
        "request",
        lambda r: r.headers.get("hx-target") == "results" and sent.append(r.url),
    )
    return sent


def test_a_preset_zooms_the_list_and_the_address_and_back_and_all_undo_it(page, seeded_site):
    page.goto(seeded_site + "/")
    wait_for_chart(page, 18)
    page.evaluate("window.__noReload = true")
    presets = page.get_by_role("navigation", name="Zoom the chart to")
    expect(presets.get_by_role("link", name="All")).to_have_attribute("aria-current", "true")
    screenshot(page, "zoom-presets")
    screenshot_chart(page, "zoom-presets-chart")

    presets.get_by_role("link", name="Week of 17 March 2025").click()
    page.wait_for_url("**/?from=2025-03-17&to=2025-03-23")
    wait_for_chart(page, 17)
    assert len(listed(page)) == 17 and not listed(page) & BEFORE_THE_WEEK
    # Framed on the week, with a day to spare on each side (charts._framed).
    assert chart_range(page) == ["2025-03-16", "2025-03-24"]
    expect(page.get_by_role("textbox", name="From", exact=True)).to_have_value("2025-03-17")
    expect(page.get_by_role("textbox", name="To", exact=True)).to_have_value("2025-03-23")
    expect(presets.get_by_role("link", name="Week of 17 March 2025")).to_have_attribute(
        "aria-current", "true"
    )
    screenshot(page, "zoom-week")
    screenshot_chart(page, "zoom-week-chart")

    page.go_back()
    page.wait_for_url(seeded_site + "/")
    wait_for_chart(page, 18)
    assert len(listed(page)) == 18
    expect(page.get_by_role("textbox", name="From", exact=True)).to_have_value("")

    page.go_forward()
    page.wait_for_url("**/?from=2025-03-17&to=2025-03-23")
    wait_for_chart(page, 17)
    presets.get_by_role("link", name="All").click()
    page.wait_for_url(seeded_site + "/")
    wait_for_chart(page, 18)
    assert len(listed(page)) == 18
    assert page.evaluate("window.__noReload") is True  # htmx swaps, never a page load
    assert page.problems == []


def drag_across_the_chart(page, first: str, last: str) -> None:
    """A mouse drag along the dates axis from one date and time to another."""
    xs = page.evaluate(
        """([first, last]) => {
             const chart = document.getElementById('timeline-chart');
             const axis = chart._fullLayout.xaxis, box = chart.getBoundingClientRect();
             return [first, last].map(d => box.left + axis._offset + axis.d2p(d));
           }""",
        [first, last],
    )
    plot = page.locator("#timeline-chart .nsewdrag").bounding_box()
    y = plot["y"] + plot["height"] / 2
    page.mouse.move(xs[0], y)
    page.mouse.down()
    page.mouse.move((xs[0] + xs[1]) / 2, y, steps=5)
    page.mouse.move(xs[1], y, steps=5)
    page.mouse.up()


def test_dragging_across_the_chart_zooms_the_list_the_address_and_survives_a_reload(
    page, seeded_site
):
    page.goto(seeded_site + "/")
    wait_for_chart(page, 18)
    page.evaluate("window.__noReload = true")
    history = page.evaluate("history.length")
    sent = results_requests(page)

    drag_across_the_chart(page, "2025-03-15 12:00", "2025-03-18 12:00")
    page.wait_for_url("**/?from=2025-03-16&to=2025-03-18")
    wait_for_chart(page, 15)
    shown = listed(page)
    assert "trump-putin-call" in shown and "starmer-trump-call" in shown
    assert not shown & (BEFORE_THE_WEEK | ON_19_MARCH)
    assert len(sent) == 1 and page.evaluate("history.length") == history + 1
    expect(page.get_by_role("textbox", name="From", exact=True)).to_have_value("2025-03-16")
    chips = page.locator(".active-filters .chip-remove").all_inner_texts()
    assert [chip.replace("×", "").strip() for chip in chips] == [
        "from 2025-03-16",
        "to 2025-03-18",
    ]

    # A run of zooms, a relayout every 40 ms, each range a little narrower (as a
    # row of zoom clicks sends them): one request and one step back, for the
    # range the chart settles on.
    page.evaluate(
        """async () => {
             for (const range of [['2025-03-16 04:00', '2025-03-19 12:00'],
                                  ['2025-03-16 08:00', '2025-03-19 00:00'],
                                  ['2025-03-16 12:00', '2025-03-18 12:00'],
                                  ['2025-03-16 16:00', '2025-03-18 00:00'],
                                  ['2025-03-16 20:00', '2025-03-17 20:00']]) {
               await Plotly.relayout('timeline-chart',
                                     {'xaxis.range[0]': range[0], 'xaxis.range[1]': range[1]});
               await new Promise(resolve => setTimeout(resolve, 40));
             }
           }"""
    )
    page.wait_for_url("**/?from=2025-03-17&to=2025-03-17")
    wait_for_chart(page, 3)
    page.wait_for_timeout(800)  # longer than the chart waits to settle
    assert len(sent) == 2 and page.evaluate("history.length") == history + 2
    assert listed(page) == IN_17_MARCH

    page.reload()
    wait_for_chart(page, 3)
    assert page.url.endswith("/?from=2025-03-17&to=2025-03-17")
    assert listed(page) == IN_17_MARCH
    assert chart_range(page) == ["2025-03-16", "2025-03-18"]
    expect(page.get_by_role("textbox", name="To", exact=True)).to_have_value("2025-03-17")

    page.go_back()
    page.wait_for_url("**/?from=2025-03-16&to=2025-03-18")
    wait_for_chart(page, 15)
    assert listed(page) == shown

    # A double-click shows every date again: from and to go.
    page.locator("#timeline-chart .nsewdrag").dblclick()
    page.wait_for_url(seeded_site + "/")
    wait_for_chart(page, 18)
    assert len(listed(page)) == 18
    expect(page.get_by_role("textbox", name="From", exact=True)).to_have_value("")
    assert page.problems == []


def test_clicking_a_density_dot_zooms_to_its_day(page, seeded_site, monkeypatch):
    # The live server runs in this process: a detail limit below the seed's
    # 18 events makes the chart count them per day, as it does past 1,500.
    monkeypatch.setattr(charts, "DETAIL_LIMIT", 5)
    page.goto(seeded_site + "/")
    page.wait_for_function(
        "() => document.getElementById('timeline-chart').dataset.drawn === 'true'"
    )
    dot = page.evaluate(
        """() => {
             const chart = document.getElementById('timeline-chart');
             const trace = chart.data[0];
             const index = trace.customdata.findIndex(range => range[0] === '2025-03-19');
             const axis = chart._fullLayout.xaxis, lanes = chart._fullLayout.yaxis;
             const box = chart.getBoundingClientRect();
             return {x: box.left + axis._offset + axis.d2p(trace.x[index]),
                     y: box.top + lanes._offset + lanes.d2p(trace.y[index])};
           }"""
    )
    page.mouse.move(dot["x"], dot["y"])
    page.mouse.click(dot["x"], dot["y"])
    page.wait_for_url("**/?from=2025-03-19&to=2025-03-19")
    assert listed(page) >= ON_19_MARCH
    assert not listed(page) & BEFORE_THE_WEEK
    assert page.problems == []


def test_a_new_selections_presets_follow_its_results_without_moving_the_chart(page, seeded_site):
    """Ticking an actor brings the results at once; that selection's presets
    come by their own request (zoom.py), into space kept for them, so the
    chart does not jump when they arrive."""
    held = []
    page.route("**/zoom-presets/**", lambda route: held.append(route))
    page.goto(seeded_site + "/")
    wait_for_chart(page, 18)

    page.get_by_role("checkbox", name="Keir Starmer").check()
    wait_for_chart(page, 3)
    page.wait_for_timeout(300)
    assert len(held) == 1 and "actor=keir-starmer" in held[0].request.url
    presets = page.get_by_role("navigation", name="Zoom the chart to")
    expect(presets).to_have_count(0)  # not yet: the results did not wait for them
    chart_top = page.locator("#timeline-chart").bounding_box()["y"]

    held[0].continue_()
    expect(presets.get_by_role("link", name="All")).to_have_attribute("aria-current", "true")
    assert page.locator("#timeline-chart").bounding_box()["y"] == chart_top
    presets.get_by_role("link", name="March 2025", exact=True).click()
    page.wait_for_url("**/?from=2025-03-01&to=2025-03-31&actor=keir-starmer")
    assert page.problems == []

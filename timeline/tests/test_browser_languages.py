"""A reader whose browser asks for Ukrainian, in Chromium: the interface,
the chart's axis and hover text in Ukrainian, the content as entered."""

import pytest
from playwright.sync_api import expect

from timeline.tests import test_browser
from timeline.tests.conftest import artifact
from timeline.tests.test_browser import wait_for_chart

pytestmark = pytest.mark.browser
seeded_site = test_browser.seeded_site


@pytest.fixture
def ukrainian_page(live_server):
    viewport = {"width": 1280, "height": 1000}
    with test_browser.chromium_page(viewport=viewport, locale="uk-UA") as page:
        yield page


def test_a_ukrainian_reader_gets_the_interface_and_the_chart_in_ukrainian(
    ukrainian_page, seeded_site
):
    page = ukrainian_page
    page.goto(seeded_site + "/")
    wait_for_chart(page, 18)
    assert page.locator("html").get_attribute("lang") == "uk"
    expect(page.locator("#results-heading")).to_contain_text("18 подій")
    # The axis names the month as the page does: "бер." for March, not "Mar".
    ticks = page.locator("#timeline-chart .xtick text").all_text_contents()
    assert ticks and any("бер" in tick.lower() for tick in ticks), ticks
    assert not any("Mar" in tick for tick in ticks), ticks
    # Lanes (kinds), the legend (statuses) and the list's badges are the interface's words.
    lanes = page.locator("#timeline-chart .ytick text").all_text_contents()
    assert "Заява" in lanes and "Statement" not in lanes, lanes
    expect(page.locator("#timeline-chart .legend")).to_contain_text("Відбулося")
    expect(page.locator(".event-list .status-badge").first).to_have_text("Відбулося")
    # Hover text in Ukrainian around the title as entered (in English).
    hover = page.evaluate(
        "() => document.getElementById('timeline-chart').data"
        ".filter(t => t.type === 'scatter').flatMap(t => t.text).join(' ')"
    )
    assert "Учасники:" in hover, hover[:300]
    assert "Trump and Putin" in hover
    # The quotes are what the sources say: never translated.
    expect(page.locator(".event-list blockquote").first).to_contain_text("the")
    page.screenshot(path=str(artifact("language-ukrainian.png")))  # the first screen
    assert page.problems == []

"""The filter form in Chromium as a reader uses it: search as you type,
dates, kind and status, all of several actors, chips, the back button and
a deep link (issue 9)."""

import re

import pytest
from playwright.sync_api import expect

from timeline.tests import test_browser
from timeline.tests.test_browser import list_event_urls, screenshot, wait_for_chart

pytestmark = pytest.mark.browser

page = test_browser.page
seeded_site = test_browser.seeded_site


def listed(page) -> set[str]:
    return {url.rstrip("/").rsplit("/", 1)[-1] for url in list_event_urls(page)}


def test_search_dates_kind_and_all_actors_combine_and_back_undoes_each(page, seeded_site):
    page.goto(seeded_site + "/")
    wait_for_chart(page, 18)
    page.evaluate("window.__noReload = true")

    page.get_by_role("searchbox", name="Search").fill("hockey")
    page.wait_for_url("**/?q=hockey")
    assert listed(page) == {"ice-hockey-matches"}
    assert page.locator(".event-list mark").first.inner_text().lower() == "hockey"
    assert page.locator("#count-kind-proposal").inner_text().startswith("1")
    screenshot(page, "filters-search")

    page.get_by_role("searchbox", name="Search").fill("")
    page.wait_for_url(seeded_site + "/")
    page.get_by_role("textbox", name="From", exact=True).fill("2025-03-17")
    page.get_by_role("textbox", name="To", exact=True).fill("2025-03-17")
    page.get_by_role("textbox", name="To", exact=True).press("Enter")
    page.wait_for_url("**/?from=2025-03-17&to=2025-03-17")
    assert "starmer-trump-call" in listed(page)
    assert "trump-putin-call" not in listed(page)

    page.goto(seeded_site + "/")
    page.evaluate("window.__noReload = true")
    page.get_by_role("checkbox", name=re.compile("^Donald Trump")).check()
    page.wait_for_url("**/?actor=donald-trump")
    page.get_by_role("checkbox", name=re.compile("^Keir Starmer")).check()
    page.wait_for_url("**/?actor=donald-trump&actor=keir-starmer")
    either = listed(page)
    page.get_by_label("all of them together").check()
    page.wait_for_url("**/?actor=donald-trump&actor=keir-starmer&match=all")
    both = listed(page)
    assert both and both < either
    page.get_by_role("checkbox", name=re.compile("^Call ")).check()
    page.wait_for_url("**&kind=call")
    assert listed(page) <= both
    screenshot(page, "filters-combined")

    # A chip takes its filter off; the back button puts it back, form included.
    page.get_by_role("link", name="Remove the filter Call").click()
    page.wait_for_url("**/?actor=donald-trump&actor=keir-starmer&match=all")
    expect(page.get_by_role("checkbox", name=re.compile("^Call "))).not_to_be_checked()
    page.go_back()
    page.wait_for_url("**&kind=call")
    expect(page.get_by_role("checkbox", name=re.compile("^Call "))).to_be_checked()
    expect(page.get_by_label("all of them together")).to_be_checked()
    assert page.evaluate("window.__noReload") is True
    assert page.problems == []


def test_a_deep_link_opens_with_its_filter_in_the_form(page, seeded_site):
    page.goto(seeded_site + "/?q=energy&from=2025-03&status=agreed")
    assert page.get_by_role("searchbox", name="Search").input_value() == "energy"
    assert page.get_by_role("textbox", name="From", exact=True).input_value() == "2025-03"
    assert page.get_by_role("checkbox", name=re.compile("^Agreed")).is_checked()
    assert listed(page) == {"energy-strike-pause"}
    chips = page.locator(".active-filters .chip-remove").all_inner_texts()
    assert [chip.replace("×", "").strip() for chip in chips] == [
        "\u201cenergy\u201d", "from 2025-03", "Agreed",
    ]  # fmt: skip


def test_on_a_phone_the_filters_fold_and_the_first_event_is_on_screen(page, seeded_site):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(seeded_site + "/?actor=keir-starmer")
    panel = page.locator("#filter-panel")
    expect(panel).not_to_have_attribute("open", "")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    chip = page.locator(".active-filters .chip-remove").first
    assert chip.is_visible() and "Keir Starmer" in chip.inner_text()
    first = page.locator(".event-list .event-title").first.bounding_box()
    assert first["y"] + first["height"] <= 844 * 1.6  # reached with one short scroll past the chart
    page.locator("#filter-panel > summary").click()
    expect(page.get_by_role("searchbox", name="Search")).to_be_visible()
    screenshot(page, "filters-phone")


def test_the_arrow_keys_step_through_the_story_within_the_filter(page, seeded_site):
    page.goto(seeded_site + "/?kind=call")
    wait_for_chart(page, 3)
    page.locator("#event-starmer-trump-call .event-title a").click()
    panel = page.locator("#event-detail")
    expect(panel.locator("h2")).to_have_text(re.compile("Starmer and Trump speak"))
    page.evaluate("window.__noReload = true")
    page.keyboard.press("ArrowRight")
    expect(panel.locator("h2")).to_have_text(re.compile("Trump and Putin hold"))
    expect(panel.locator(".story-nav a[rel=next]")).to_have_count(0)  # the last call
    page.keyboard.press("ArrowLeft")
    expect(panel.locator("h2")).to_have_text(re.compile("Starmer and Trump speak"))
    page.keyboard.press("ArrowLeft")
    expect(panel.locator("h2")).to_have_text(re.compile("coalition of the willing call"))
    assert page.evaluate("window.__noReload") is True  # in the panel, never a page load
    marked = page.evaluate(
        "document.getElementById('timeline-chart').data.map(t => t.selectedpoints)"
        ".filter(p => p && p.length).length"
    )
    assert marked == 1  # the chart marks the event shown
    assert page.problems == []


def test_the_chart_rows_switch_between_kinds_and_actors(page, seeded_site):
    page.goto(seeded_site + "/?actor=keir-starmer")
    wait_for_chart(page, 3)
    page.get_by_label("one per principal actor").check()
    page.wait_for_url("**/?actor=keir-starmer&lanes=actor")
    page.wait_for_function(
        """() => { const c = document.getElementById('timeline-chart');
                   return c && c.layout && c.layout.yaxis && c.dataset.drawn === 'true' &&
                     (c.layout.yaxis.ticktext || []).some(t => t.includes('Keir Starmer')); }"""
    )
    page.go_back()
    page.wait_for_url("**/?actor=keir-starmer")
    expect(page.get_by_label("one per kind of event")).to_be_checked()

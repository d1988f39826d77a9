"""The page in the states a reader meets besides the plain one: dark and light
colour schemes, with contrast measured to WCAG AA; the loading note while htmx
fetches new results; and the message with a Retry when a fetch fails.
In Debian's Chromium, with the fixtures of test_browser.py."""

import colorsys
import itertools
import re
from urllib.parse import urlsplit

import pytest

from timeline.tests import test_browser
from timeline.tests.conftest import artifact

pytestmark = pytest.mark.browser

page = test_browser.page
seeded_site = test_browser.seeded_site
screenshot = test_browser.screenshot
wait_for_chart = test_browser.wait_for_chart

STATUSES = ["occurred", "agreed", "planned", "proposed", "rejected"]

# What a reader reads, each against whatever is behind it (WCAG 1.4.3: 4.5:1).
TEXT = {
    "body text": ".actor-option > span",
    "heading": "#results-heading",
    "quote": ".quote blockquote p",
    "link": ".event-title a",
    "actor chip": ".chip",
    "header link": ".site-header nav a",
    "muted: legend": ".filters legend",
    "muted: count": ".actor-option .count",
    "muted: kind": ".kind-badge",
    "muted: caption": ".quote figcaption",
    "muted: hint": ".event-detail .hint",
    "muted: footer": ".site-footer p",
    "button": ".apply-button",
    **{f"badge: {status}": f".status-badge.status-{status}" for status in STATUSES},
}
# Shapes that must stand out from the panel they sit on (WCAG 1.4.11: 3:1).
FILLS = {
    "button": ".apply-button",
    **{f"badge: {status}": f".status-badge.status-{status}" for status in STATUSES},
}
# Focus rings, against what surrounds them (outline-offset puts the parent's
# background on both sides of the ring): 3:1.
FOCUSABLE = {
    "skip link": ".skip-link",
    "header link": ".site-header nav a",
    "checkbox": "#actor-keir-starmer",
    "button": ".apply-button",
    "event link": ".event-title a",
    "actor chip": ".chip",
}

# Each colour that decides what a reader sees of an element: its own, its
# opacity, and the backgrounds from it up to <html>.
MEASURE = """element => {
    const backgrounds = [];
    let opacity = 1;
    for (let node = element; node; node = node.parentElement) {
        const style = getComputedStyle(node);
        backgrounds.push(style.backgroundColor);
        opacity *= Number(style.opacity);
    }
    const style = getComputedStyle(element);
    return {color: style.color, outline: style.outlineColor, outlineStyle: style.outlineStyle,
            outlineWidth: parseFloat(style.outlineWidth), opacity, backgrounds,
            focusVisible: element.matches(':focus-visible')};
}"""


def parse_colour(text: str) -> tuple[float, float, float, float]:
    match = re.fullmatch(r"rgba?\((.+)\)", text.strip())
    assert match, f"not an rgb() colour: {text}"
    parts = [float(part) for part in re.split(r"[\s,/]+", match.group(1).strip())]
    red, green, blue = parts[:3]
    return red, green, blue, parts[3] if len(parts) == 4 else 1.0


def over(top: tuple, bottom: tuple) -> tuple[float, float, float, float]:
    """`top` painted with its alpha over an opaque `bottom`."""
    alpha = top[3]
    return (*(t * alpha + b * (1 - alpha) for t, b in zip(top[:3], bottom[:3], strict=True)), 1.0)


def backdrop(backgrounds: list[str]) -> tuple[float, float, float, float]:
    """What shows through the first of `backgrounds` (innermost first)."""
    colour = (255.0, 255.0, 255.0, 1.0)  # the canvas, should every layer be transparent
    for layer in reversed(backgrounds):
        colour = over(parse_colour(layer), colour)
    return colour


def luminance(colour: tuple) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""

    def linear(channel: float) -> float:
        channel /= 255
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in colour[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: tuple, other: tuple) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def measure(page, selector: str) -> dict:
    element = page.locator(selector).first
    assert element.count(), f"nothing on the page matches {selector}"
    return element.evaluate(MEASURE)


def text_contrast(page, selector: str) -> float:
    seen = measure(page, selector)
    background = backdrop(seen["backgrounds"])
    red, green, blue, alpha = parse_colour(seen["color"])
    text = over((red, green, blue, alpha * seen["opacity"]), background)
    return contrast(text, background)


def fill_colour(page, selector: str) -> tuple:
    return parse_colour(measure(page, selector)["backgrounds"][0])


def fill_contrast(page, selector: str) -> float:
    backgrounds = measure(page, selector)["backgrounds"]
    return contrast(backdrop(backgrounds), backdrop(backgrounds[1:]))


def focus_contrast(page, selector: str) -> float:
    page.locator(selector).first.focus()
    seen = measure(page, selector)
    assert seen["focusVisible"], f"{selector} shows no keyboard focus"
    assert seen["outlineStyle"] != "none" and seen["outlineWidth"] >= 2, selector
    return contrast(parse_colour(seen["outline"]), backdrop(seen["backgrounds"][1:]))


def hue_degrees(colour: tuple) -> float:
    return colorsys.rgb_to_hls(*(c / 255 for c in colour[:3]))[0] * 360


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_each_colour_scheme_passes_wcag_aa_contrast(page, seeded_site, scheme):
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(seeded_site + "/")
    wait_for_chart(page, 18)

    root = measure(page, "html")
    page_background = backdrop(root["backgrounds"])
    body_text = parse_colour(measure(page, "body")["color"])
    if scheme == "dark":
        assert luminance(page_background) < 0.02 and luminance(body_text) > 0.6
    else:
        assert luminance(page_background) > 0.85 and luminance(body_text) < 0.05

    text = {name: text_contrast(page, selector) for name, selector in TEXT.items()}
    fills = {name: fill_contrast(page, selector) for name, selector in FILLS.items()}
    page.keyboard.press("Tab")  # from here on, focus is keyboard focus
    rings = {name: focus_contrast(page, selector) for name, selector in FOCUSABLE.items()}
    table = "\n".join(
        f"{kind:<6} {name:<18} {ratio:5.2f}:1"
        for kind, figures in (("text", text), ("fill", fills), ("focus", rings))
        for name, ratio in figures.items()
    )
    artifact(f"contrast-{scheme}.txt").write_text(table + "\n")
    failing = [name for name, ratio in text.items() if ratio < 4.5]
    failing += [f"{name} (fill)" for name, ratio in fills.items() if ratio < 3]
    failing += [f"{name} (focus)" for name, ratio in rings.items() if ratio < 3]
    assert failing == [], f"below WCAG AA in {scheme}: {failing}\n{table}"

    # Each status keeps a hue of its own, so badges stay told apart by colour too.
    hues = {
        status: hue_degrees(fill_colour(page, f".status-badge.status-{status}"))
        for status in STATUSES
    }
    for (one, hue_one), (other, hue_other) in itertools.combinations(hues.items(), 2):
        apart = min(abs(hue_one - hue_other), 360 - abs(hue_one - hue_other))
        assert apart >= 30, f"{one} and {other} look alike in {scheme}: {hues}"

    page.locator(":focus").blur()
    screenshot(page, f"page-{scheme}-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(seeded_site + "/")  # as a phone opens it
    wait_for_chart(page, 18)
    screenshot(page, f"page-{scheme}-phone")
    assert page.problems == []


def is_filtered_results(url: str) -> bool:
    address = urlsplit(url)
    return address.path == "/" and "actor=keir-starmer" in address.query


def results_requests(page) -> list[str]:
    """The address of each htmx request for the filtered results, as it is sent."""
    seen: list[str] = []
    page.on(
        "request",
        lambda request: (
            (request.headers.get("hx-request") and is_filtered_results(request.url))
            and seen.append(request.url)
        ),
    )
    return seen


def wait_until_caught(page, routes: list, what: str) -> None:
    """Until a route handler that holds its requests has caught one (2 s at most)."""
    for _ in range(100):
        if routes:
            return
        page.wait_for_timeout(20)
    raise AssertionError(f"{what} never requested")


def test_a_slow_request_shows_loading_and_marks_the_results_busy(page, seeded_site):
    page.goto(seeded_site + "/")
    wait_for_chart(page, 18)
    loading = page.locator(".request-loading")
    results = page.locator("#results")
    assert loading.is_hidden()
    held = []
    page.route(is_filtered_results, lambda route: held.append(route))  # answered below
    # The new selection's zoom presets load after its results (zoom.py): left
    # unanswered, they must not keep "Loading…" up once the results are in.
    presets = []
    page.route("**/zoom-presets/**", lambda route: presets.append(route))

    page.get_by_label("Keir Starmer").check()
    wait_until_caught(page, held, "the filtered results were")
    page.wait_for_timeout(400)  # well past the note's fade-in
    assert loading.is_visible()
    assert loading.inner_text().strip() == "Loading…"
    assert results.get_attribute("aria-busy") == "true"
    assert page.locator("#results-heading").inner_text() == "18 events in the timeline"
    screenshot(page, "request-loading")

    held[0].continue_()
    page.wait_for_url("**/?actor=keir-starmer")
    wait_for_chart(page, 3)
    assert page.locator("#results-heading").inner_text() == "3 of 18 events involve Keir Starmer"
    wait_until_caught(page, presets, "the new selection's presets were")
    page.wait_for_timeout(400)  # well past the note's fade-in, were it shown for them
    assert loading.is_hidden()
    assert results.get_attribute("aria-busy") is None
    assert page.problems == []


SERVER_ERROR_PAGE = "<h1>Server Error (500)</h1><pre>Traceback: secret settings</pre>"
# What the browser and htmx log about a failed request; anything else is a fault.
EXPECTED_PROBLEMS = re.compile(
    r"Failed to load resource|Response Status Error Code 500|htmx:(afterRequest|sendError|timeout)"
)
DESKTOP = {"width": 1280, "height": 1000}
PHONE = {"width": 390, "height": 844}


def fail_filtered_results(page, failure: str) -> None:
    if failure == "server error":
        page.route(
            is_filtered_results,
            lambda route: route.fulfill(
                status=500, content_type="text/html", body=SERVER_ERROR_PAGE
            ),
        )
    elif failure == "no connection":
        page.route(is_filtered_results, lambda route: route.abort("connectionrefused"))
    else:
        assert page.evaluate("htmx.config.timeout") > 0  # a hung request does end
        page.evaluate("htmx.config.timeout = 300")
        page.route(is_filtered_results, lambda route: None)  # never answered


@pytest.mark.parametrize(
    ("failure", "says", "scheme", "viewport"),
    [
        pytest.param(
            "server error", "The server had a problem (error 500).", "light", DESKTOP, id="500"
        ),
        pytest.param(
            "no connection",
            "The server could not be reached: check the connection.",
            "dark",
            PHONE,
            id="network-error",
        ),
        pytest.param(
            "timeout", "The server took too long to answer.", "light", DESKTOP, id="timeout"
        ),
    ],
)
def test_a_failed_request_keeps_the_results_and_retry_sends_it_again(
    page, seeded_site, failure, says, scheme, viewport
):
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size(viewport)
    page.goto(seeded_site + "/")
    wait_for_chart(page, 18)
    sent = results_requests(page)
    fail_filtered_results(page, failure)

    if viewport == PHONE:  # on a phone the filters are folded under their heading
        page.locator("#filter-panel > summary").click()
    page.get_by_label("Keir Starmer").check()
    alert = page.get_by_role("alert")
    alert.get_by_role("button", name="Retry").wait_for(timeout=5_000)
    message = alert.locator("p").inner_text()
    assert message == f"Could not load this. {says} The page has not been updated."
    assert "Traceback" not in page.locator("body").inner_text()
    # The results are as they were, and the address too.
    assert page.locator("#results-heading").inner_text() == "18 events in the timeline"
    assert page.locator(".event-list > li.event").count() == 18
    assert page.url == seeded_site + "/"
    assert page.locator(".request-loading").is_hidden()
    assert page.locator("#results").get_attribute("aria-busy") is None
    for part in ("p", ".request-retry", ".request-dismiss"):
        assert text_contrast(page, f".request-error {part}") >= 4.5, part
    screenshot(page, f"request-failed-{failure.replace(' ', '-')}")

    page.unroute(is_filtered_results)
    page.evaluate("htmx.config.timeout = 30000")
    alert.get_by_role("button", name="Retry").click()
    page.wait_for_url("**/?actor=keir-starmer")
    wait_for_chart(page, 3)
    assert page.locator("#results-heading").inner_text() == "3 of 18 events involve Keir Starmer"
    assert alert.inner_text() == ""
    assert alert.get_by_role("button").count() == 0
    assert page.evaluate("document.activeElement.id") == "actor-keir-starmer"
    assert len(sent) == 2 and sent[0] == sent[1], sent  # the same request, sent again
    assert [p for p in page.problems if not EXPECTED_PROBLEMS.match(p)] == []


def test_the_message_goes_when_dismissed_or_when_the_next_request_succeeds(page, seeded_site):
    page.goto(seeded_site + "/")
    wait_for_chart(page, 18)
    fail_filtered_results(page, "server error")
    page.get_by_label("Keir Starmer").check()
    alert = page.get_by_role("alert")
    alert.get_by_role("button", name="Dismiss").click(timeout=5_000)
    assert alert.inner_text() == ""
    assert page.evaluate("document.activeElement.id") == "actor-keir-starmer"
    assert page.locator("#results-heading").inner_text() == "18 events in the timeline"
    assert page.url == seeded_site + "/"

    page.get_by_label("Emmanuel Macron").check()  # Keir Starmer still ticked: fails again
    alert.get_by_role("button", name="Retry").wait_for(timeout=5_000)
    page.get_by_label("Keir Starmer").uncheck()  # this one is answered
    page.wait_for_url("**/?*actor=emmanuel-macron*")
    wait_for_chart(page, 1)
    assert alert.inner_text() == ""

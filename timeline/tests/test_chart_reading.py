"""The chart read without hovering (issue 9), measured in Debian's Chromium on
the seed at 1280×1000: every event labelled with its short title, no label
over another label or over another event's marker, no marker over another,
points a day apart well apart; in dark mode too, with readable colours.
"""

import datetime
from itertools import combinations

import pytest

from timeline.charts import short_title
from timeline.models import Event
from timeline.tests import test_browser
from timeline.tests.test_browser import list_event_urls, screenshot, wait_for_chart

pytestmark = pytest.mark.browser

# The browser tests' fixtures (Debian's Chromium, the seeded live server), shared.
page = test_browser.page
seeded_site = test_browser.seeded_site

# Two markers of events a day apart: more than two markers' widths between
# centres, so a day is a visible step, not a nudge.
MIN_PX_PER_DAY = 32

# What the reader sees: the box of every marker (with its event's URL and
# date) and of every label drawn (named by its event's URL), and the plot area.
MEASURE = """() => {
  const chart = document.getElementById('timeline-chart');
  const box = element => {
    const r = element.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
  };
  const markers = [];
  chart.querySelectorAll('.scatterlayer .trace').forEach(group => {
    const trace = group.__data__[0].trace;
    group.querySelectorAll('path.point').forEach(point => {
      const i = point.__data__.i;
      markers.push({url: trace.customdata[i], date: trace.x[i], ...box(point)});
    });
  });
  const notes = chart.layout.annotations || [];
  const annotations = [...chart.querySelectorAll('.annotation')].map(group => {
    const note = notes[Number(group.dataset.index)];
    return {name: note.name || '', text: group.textContent, y: note.y, ...box(group)};
  });
  return {markers, annotations, plot: box(chart.querySelector('.nsewdrag'))};
}"""


def intersect(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and (b["top"] < a["bottom"])
    )


def inside(a: dict, area: dict) -> bool:
    return (
        area["left"] <= a["left"]
        and a["right"] <= area["right"]
        and area["top"] <= a["top"]
        and a["bottom"] <= area["bottom"]
    )


def centre(a: dict) -> float:
    return (a["left"] + a["right"]) / 2


def collisions(seen: dict) -> dict[str, list]:
    """Every overlap a reader would see, by kind."""
    labels = [note for note in seen["annotations"] if note["name"].startswith("/events/")]
    markers = seen["markers"]
    return {
        "label over label": [
            (a["text"], b["text"]) for a, b in combinations(labels, 2) if intersect(a, b)
        ],
        "label over another event's marker": [
            (label["text"], marker["url"])
            for label in labels
            for marker in markers
            if marker["url"] != label["name"] and intersect(label, marker)
        ],
        "marker over marker": [
            (a["url"], b["url"]) for a, b in combinations(markers, 2) if intersect(a, b)
        ],
        "label out of the plot": [
            label["text"] for label in labels if not inside(label, seen["plot"])
        ],
    }


def px_per_day_apart(markers: list[dict]) -> float:
    """The least horizontal distance between the markers of two events a day apart."""
    day = datetime.timedelta(days=1)
    return min(
        abs(centre(a) - centre(b))
        for a, b in combinations(markers, 2)
        if abs(datetime.date.fromisoformat(a["date"]) - datetime.date.fromisoformat(b["date"]))
        == day
    )


def test_every_seed_event_is_labelled_and_nothing_overlaps_at_1280(page, seeded_site):
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(seeded_site + "/")
    wait_for_chart(page, 18)
    seen = page.evaluate(MEASURE)

    assert collisions(seen) == {
        "label over label": [],
        "label over another event's marker": [],
        "marker over marker": [],
        "label out of the plot": [],
    }
    # Every published event has its marker inside the plot and its label, reading its short title.
    published = list_event_urls(page)
    assert len(published) == 18
    assert all(inside(marker, seen["plot"]) for marker in seen["markers"])
    labels = {note["name"]: note["text"] for note in seen["annotations"]}
    assert set(published) <= set(labels)
    titles = {event.get_absolute_url(): event.title for event in Event.objects.all()}
    for url in published:
        assert labels[url] == titles[url] or (
            labels[url].endswith("…") and titles[url].startswith(labels[url][:-1])
        )
    assert labels["/events/trump-putin-call/"] == short_title(titles["/events/trump-putin-call/"])
    assert labels["/events/trump-putin-call/"] == "Trump and Putin hold a…"
    # Two that would both read "Trump and Putin discuss…" are told apart.
    assert len(set(labels.values())) == len(labels)
    assert labels["/events/ice-hockey-matches/"] == "Trump and Putin discuss US–Russia…"
    # The framing: on the points, not on the 30-day pause, which is marked as running on.
    assert px_per_day_apart(seen["markers"]) >= MIN_PX_PER_DAY
    [pause] = [m for m in seen["markers"] if m["url"] == "/events/energy-strike-pause/"]
    [arrow] = [note for note in seen["annotations"] if note["name"] == "continues"]
    assert arrow["text"] == "→" and abs(centre(arrow) - seen["plot"]["right"]) < 20
    assert abs((arrow["top"] + arrow["bottom"]) / 2 - (pause["top"] + pause["bottom"]) / 2) < 4
    screenshot(page, "chart-labelled")
    assert page.problems == []


def test_a_label_opens_its_event_like_its_marker(page, seeded_site):
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(seeded_site + "/")
    wait_for_chart(page, 18)
    page.locator("#timeline-chart .annotation", has_text="175-for-175 prisoner…").click()
    page.locator("#event-detail article h2", has_text="175-for-175 prisoner exchange").wait_for()
    assert page.problems == []


def test_on_a_narrower_chart_labels_that_would_collide_are_hidden(page, seeded_site):
    # Narrower than the 540 px the server lays labels out for, whatever the page's columns.
    page.add_init_script(
        """document.addEventListener('DOMContentLoaded', () => {
             const style = document.createElement('style');
             style.textContent = '#timeline-chart { max-width: 440px; }';
             document.head.append(style);
           });"""
    )
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(seeded_site + "/")
    wait_for_chart(page, 18)
    seen = page.evaluate(MEASURE)
    assert not any(collisions(seen).values()), collisions(seen)
    shown = [note for note in seen["annotations"] if note["name"].startswith("/events/")]
    assert 0 < len(shown) < 18  # some labels make way; every marker stays
    assert len(seen["markers"]) == 18
    assert page.problems == []


# A dark palette standing in for timeline.css's own until it has one: the
# chart takes whatever palette the page has. Given only where the page's
# stylesheets have no dark rules, so the real one is tested once it exists.
STAND_IN_DARK_PALETTE = """
document.addEventListener('DOMContentLoaded', () => {
  const dark = [...document.styleSheets].some(sheet => [...sheet.cssRules].some(
    rule => rule.media && rule.media.mediaText.includes('dark')));
  if (dark) return;
  const style = document.createElement('style');
  style.textContent = `@media (prefers-color-scheme: dark) { :root {
    --ink: #e6e9ed; --muted: #a3adb8; --line: #39414b; --paper: #15191e; --wash: #0d1014;
    --accent: #8cb8e6; --occurred: #7fb2e5; --agreed: #7cc98a; --planned: #e0a650;
    --proposed: #c3a2e8; --rejected: #f28b82; } }`;
  document.head.append(style);
});
"""

# Colours as the reader's browser resolves them, any CSS syntax to #rrggbb.
COLOURS = """() => {
  const chart = document.getElementById('timeline-chart');
  const context = document.createElement('canvas').getContext('2d');
  const hex = colour => { context.fillStyle = '#000'; context.fillStyle = colour; return context.fillStyle; };
  const fill = element => hex(getComputedStyle(element).fill);
  // A hollow marker (a date known only roughly) shows its colour as its outline.
  const ink = element => {
    const style = getComputedStyle(element);
    const hollow = style.fill === 'none' || Number(style.fillOpacity) === 0;
    return hex(hollow ? style.stroke : style.fill);
  };
  return {
    page: hex(getComputedStyle(document.documentElement).getPropertyValue('--paper').trim()),
    paper: hex(chart.querySelector('.main-svg').style.background),
    labels: [...chart.querySelectorAll('.annotation-text')].map(fill),
    lanes: [...chart.querySelectorAll('.ytick text')].map(fill),
    dates: [...chart.querySelectorAll('.xtick text')].map(fill),
    markers: [...chart.querySelectorAll('.scatterlayer .point')].map(ink),
  };
}"""


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def assert_readable(colours: dict) -> None:
    """WCAG AA: text 4.5:1 against the chart's background, markers 3:1."""
    assert colours["paper"] == colours["page"]
    for kind in ("labels", "lanes", "dates"):
        assert colours[kind]
        assert min(contrast(text, colours["paper"]) for text in colours[kind]) >= 4.5, kind
    assert min(contrast(marker, colours["paper"]) for marker in colours["markers"]) >= 3


def test_the_chart_follows_the_page_into_dark_mode(page, seeded_site):
    page.add_init_script(STAND_IN_DARK_PALETTE)
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(seeded_site + "/")
    wait_for_chart(page, 18)
    light = page.evaluate(COLOURS)
    assert light["paper"] == "#ffffff"
    assert_readable(light)

    page.emulate_media(color_scheme="dark")  # the reader's system switches while reading
    page.wait_for_function(
        """() => { const c = document.getElementById('timeline-chart');
                 return c.layout.paper_bgcolor !== '#ffffff'; }"""
    )
    switched = page.evaluate(COLOURS)
    assert luminance(switched["paper"]) < 0.05
    assert_readable(switched)

    page.reload()  # and a page opened in dark mode draws dark from the start
    wait_for_chart(page, 18)
    opened = page.evaluate(COLOURS)
    assert opened == switched
    seen = page.evaluate(MEASURE)
    assert not any(collisions(seen).values()), collisions(seen)
    screenshot(page, "chart-labelled-dark")
    assert page.problems == []

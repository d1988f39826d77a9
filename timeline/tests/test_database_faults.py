"""The database going away and coming back, and two writers at once.

Out of reach, every page is a 503 that says so (templates/503.html, in the
reader's language), the JSON endpoints a 503 in JSON, and /healthz a 503
with the reason; on a real PostgreSQL stopped and started again the site
recovers by itself. On SQLite a save made while another process writes
waits for it instead of failing with "database is locked" (the SQLite
OPTIONS in ceasefire/settings.py)."""

import json
import logging
import socket
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.db import OperationalError, ProgrammingError, connections
from django.test import Client

from .conftest import ROOT
from .servers import manage, prepare_seeded_site, production_env, running_gunicorn

EVENT = "trump-putin-call"
PAGE_HEADING = "The timeline is unavailable for a moment"


@pytest.fixture
def database_out_of_reach(tmp_path, django_db_blocker):
    """The app's connection pointed where no database answers: a SQLite file
    in a directory that does not exist, or a PostgreSQL port nobody listens on."""
    original = connections["default"]
    settings_dict = {**original.settings_dict}
    if original.vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "missing" / "db.sqlite3")
    else:
        settings_dict.update(HOST="127.0.0.1", PORT=str(_closed_port()))
    unreachable = original.__class__(settings_dict, alias="default")
    connections["default"] = unreachable
    try:
        with django_db_blocker.unblock():
            yield
    finally:
        unreachable.close()
        connections["default"] = original


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def reader():
    # A server error is an answer here, not an exception raised into the test.
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    ("path", "editor"),
    [("/", False), (f"/events/{EVENT}/", False), ("/?actor=russia", False), ("/admin/", True)],
)
def test_pages_say_the_site_is_unavailable_with_a_503(
    database_out_of_reach, reader, caplog, path, editor
):
    if editor:  # an editor's session is read from the database
        reader.cookies[settings.SESSION_COOKIE_NAME] = "a-session-key-of-the-test"
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = reader.get(path)
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert PAGE_HEADING in page
    assert "cannot be reached just now. Please try again in a minute." in page
    assert f'<a href="{path}">Try again</a>' in page
    assert response["Retry-After"] == "60"
    assert "no-store" in response["Cache-Control"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    # The error is logged with its traceback, for the operator.
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage() == f"Service Unavailable: {path.split('?')[0]}"
    assert "OperationalError" in record.exc_info[0].__name__


def test_the_page_is_in_the_readers_language(database_out_of_reach, reader):
    response = reader.get("/", HTTP_ACCEPT_LANGUAGE="uk")
    assert response.status_code == 503
    page = response.content.decode()
    assert '<html lang="uk">' in page
    assert "Хронологія ненадовго недоступна" in page and PAGE_HEADING not in page


@pytest.mark.parametrize("path", ["/events.json", "/chart.json?actor=russia"])
def test_json_endpoints_answer_503_in_json(database_out_of_reach, reader, path):
    response = reader.get(path)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "error": "Service unavailable: the database cannot be reached. Try again in a minute."
    }
    assert response["Retry-After"] == "60"
    assert "no-store" in response["Cache-Control"]


def test_exports_answer_503_in_plain_text(database_out_of_reach, reader):
    response = reader.get("/events.csv")
    assert response.status_code == 503
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith("Service unavailable: the database")


def test_healthz_answers_503_with_the_reason(database_out_of_reach, reader):
    response = reader.get("/healthz")
    assert response.status_code == 503
    lines = response.content.decode().splitlines()
    assert lines[0] == "degraded: database"
    assert "database: unavailable (OperationalError)" in lines


def test_a_programming_error_is_still_a_500(db, reader, monkeypatch):
    """Only a database out of reach is a 503: a bug in a query is not
    something to retry, and must not be dressed up as one."""

    def broken(*args, **kwargs):
        raise ProgrammingError('relation "timeline_event" does not exist')

    monkeypatch.setattr("timeline.http_cache.request_cache_version", broken)
    response = reader.get("/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert "Retry-After" not in response


@pytest.mark.parametrize(
    "message", ["no such table: timeline_event", "no such column: timeline_event.version"]
)
def test_a_schema_the_code_does_not_match_is_a_500_not_a_503(db, reader, monkeypatch, message):
    """SQLite raises OperationalError for these too: a deploy that forgot to
    migrate is a bug to see, not an outage to wait out."""

    def broken(*args, **kwargs):
        raise OperationalError(message)

    monkeypatch.setattr("timeline.http_cache.request_cache_version", broken)
    response = reader.get("/")
    assert response.status_code == 500
    assert "Retry-After" not in response


def _get(url: str) -> tuple[int, str, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def test_postgresql_stopped_is_a_503_and_started_again_the_site_recovers(postgres_server, tmp_path):
    """For real: gunicorn (production settings, two workers with persistent
    connections) on a PostgreSQL that is stopped and started again. No
    restart of the app: each worker's broken connection is found by the
    health check (conn_health_checks) and replaced."""
    env = production_env(tmp_path, postgres_server.url)
    prepare_seeded_site(env)
    paths = ["/", f"/events/{EVENT}/", "/events.json"]
    with running_gunicorn(env, workers=2) as base_url:
        for path in paths * 4:  # every worker connected
            assert _get(base_url + path)[0] == 200

        postgres_server.stop()
        for _ in range(4):
            status, page, headers = _get(base_url + "/")
            assert status == 503 and PAGE_HEADING in page and headers["Retry-After"] == "60"
            status, page, _ = _get(base_url + f"/events/{EVENT}/")
            assert status == 503 and PAGE_HEADING in page
            status, body, _ = _get(base_url + "/events.json")
            assert status == 503 and json.loads(body)["error"].startswith("Service unavailable")
            status, body, _ = _get(base_url + "/healthz")
            assert status == 503 and "database: unavailable (OperationalError)" in body

        postgres_server.start()
        for path in [*paths, "/healthz"] * 4:
            status, body, _ = _get(base_url + path)
            assert status == 200, (path, body[:300])


# --- Two writers on one SQLite file ------------------------------------------

HOLD_SECONDS = 6  # from the moment the save begins: longer than the sqlite3 module's own 5 s

# Takes the write lock, says so, and keeps it for HOLD_SECONDS after the
# test says the other writer has begun its save.
HOLDER = f"""
import sys, time
from django.db import transaction
from timeline.models import Event
with transaction.atomic():
    Event.objects.filter(slug="prisoner-swap").update(
        summary="Written by the first writer (written for the test).")
    print("holding", flush=True)
    sys.stdin.readline()
    time.sleep({HOLD_SECONDS})
print("committed", time.time(), flush=True)
"""

# What the admin does when an editor saves: read the event, then write it,
# in one transaction (its history record too).
SAVER = """
import time
from django.db import transaction
from timeline.models import Event
print("saving", time.time(), flush=True)
with transaction.atomic():
    event = Event.objects.get(slug="kursk-assurance")
    event.summary = "Saved by the second writer (written for the test)."
    event.save()
print("saved", time.time(), flush=True)
"""


def _shell(env: dict, code: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT, env=env, text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def _said(line: str, word: str) -> float:
    said, _, when = line.partition(" ")
    assert said == word, line
    return float(when)


def test_a_save_waits_for_another_writer_on_sqlite_instead_of_failing(tmp_path):
    """Two processes on one SQLite file: while one holds a write transaction,
    the other saves an event the way the admin does. The save waits its turn
    (six seconds) and succeeds; both writes are there afterwards."""
    database = tmp_path / "writers.sqlite3"
    env = production_env(tmp_path, f"sqlite:///{database}")
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "import_timeline", str(ROOT / "fixtures" / "ceasefire-2025-03.json"))

    holder = _shell(env, HOLDER)
    assert holder.stdout.readline().strip() == "holding", holder.stderr.read()
    saver = _shell(env, SAVER)
    started = _said(saver.stdout.readline(), "saving")
    holder.stdin.write("the save has begun\n")
    holder.stdin.flush()
    saver_out, saver_err = saver.communicate(timeout=60)
    holder_out, holder_err = holder.communicate(timeout=60)

    assert holder.returncode == 0, holder_err
    assert saver.returncode == 0, saver_err  # no "database is locked"
    committed = _said(holder_out.strip(), "committed")
    saved = _said(saver_out.strip(), "saved")
    assert started + HOLD_SECONDS <= committed <= saved  # it waited for the lock

    check = (
        "from timeline.models import Event; "
        "print(Event.objects.get(slug='prisoner-swap').summary); "
        "print(Event.objects.get(slug='kursk-assurance').summary); "
        "print(Event.history.filter(slug='kursk-assurance', summary__startswith='Saved by').count())"
    )
    assert manage(env, "shell", "--no-imports", "-c", check).splitlines() == [
        "Written by the first writer (written for the test).",
        "Saved by the second writer (written for the test).",
        "1",
    ]

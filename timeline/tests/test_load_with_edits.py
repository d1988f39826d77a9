"""A minute of traffic while editors work: gunicorn with production
settings and the seed, 32 connections reading the public pages, fragments,
JSON and exports as fast as they are answered, while two editors signed in
to /admin/ save events through the real change form in a loop, their
writes contending for the database. Not one error, every save answered with
the admin's redirect, and every save in the database afterwards and on the
public pages.

The database is the suite's: a SQLite file of the test's own, or the
throwaway PostgreSQL of `make test` (DATABASE_URL), whose tables it empties
first. The figures are printed and written to test-artifacts/."""

import collections
import gzip
import http.client
import http.cookies
import json
import os
import threading
import time
import urllib.parse
from html.parser import HTMLParser

import pytest

from .conftest import PASSWORD, artifact
from .servers import (
    manage,
    prepare_seeded_site,
    production_env,
    running_gunicorn,
    suite_database_url,
)

LOAD_SECONDS = 60
CONNECTIONS = 32
WORKERS = 2 * (os.cpu_count() or 1) + 1  # gunicorn's advice, as `make serve-prod` runs it
EDITORS = ["load-editor-1", "load-editor-2"]  # saving at the same time: writes contend
CHANGELIST = "/admin/timeline/event/"  # where the admin sends an editor after a save
SAVED = "Load-test save {number} by {editor} (written for the test)."

HTMX = {"HX-Request": "true", "HX-Target": "results"}
# (path, headers): every kind of public response, cache hits and misses alike
# (each save makes every cached response stale).
READS = [
    ("/", {}),
    ("/?actor=russia", {}),
    ("/?actor=russia", HTMX),
    ("/?actor=donald-trump&actor=vladimir-putin&match=all", HTMX),
    ("/?q=energy&from=2025-03-18", HTMX),
    ("/?status=planned&lanes=actor", {}),
    ("/events/trump-putin-call/", {}),
    ("/events/prisoner-swap/", {}),
    ("/events/kursk-assurance/", {}),
    ("/actors/russia/", {}),
    ("/sources/", {}),
    ("/sources/untitled-article-2025-03-19/", {}),
    ("/embed/?actor=ukraine", {}),
    ("/events.json", {}),
    ("/events.json?actor=ukraine&from=2025-03", {}),
    ("/chart.json", {}),
    ("/chart.json?q=ceasefire", {}),
    ("/events.csv", {}),
    ("/quotes.csv?actor=russia", {}),
    ("/events.ics", {}),
    ("/events.atom", {}),
    ("/timelinejs.json", {}),
]

# Members of the "Editors" group as migration 0010 makes it (a flush empties it).
CREATE_EDITORS = f"""
import importlib, json
from django.contrib.auth.models import Group, Permission, User
from timeline.models import Event
made = importlib.import_module("timeline.migrations.0010_editors_group")
codenames = [f"{{action}}_{{model}}" for model in made.EDITORIAL_MODELS for action in made.ACTIONS]
editors, _ = Group.objects.get_or_create(name=made.EDITORS)
editors.permissions.add(*Permission.objects.filter(
    content_type__app_label="timeline", codename__in=[*codenames, "publish_event"]))
for name in {EDITORS!r}:
    User.objects.create_user(name, password={PASSWORD!r}, is_staff=True).groups.add(editors)
print(json.dumps(dict(Event.objects.values_list("slug", "pk"))))
"""

WHAT_WAS_SAVED = """
import json
from timeline.models import Event
print(json.dumps({
    "current": dict(Event.objects.values_list("slug", "summary")),
    "history": list(Event.history.filter(summary__startswith="Load-test save ")
                    .values_list("summary", flat=True)),
}))
"""


class Connection:
    """One client connection, kept alive while the server allows (gunicorn's
    sync workers close it after each answer: it is opened again)."""

    def __init__(self, base_url: str):
        self.address = urllib.parse.urlsplit(base_url).netloc
        self.http = http.client.HTTPConnection(self.address, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, headers=None, body=None):
        headers = {"Accept-Encoding": "gzip", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.http.request(method, path, body=body, headers=headers)
            response = self.http.getresponse()
            content = response.read()
            if response.headers.get("Content-Encoding") == "gzip":
                content = gzip.decompress(content)
        except (OSError, http.client.HTTPException):
            self.http.close()
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, content

    def post(self, path: str, fields: list[tuple[str, str]]):
        body = urllib.parse.urlencode(fields)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.request("POST", path, headers, body)


class FormFields(HTMLParser):
    """What a browser submits from the form with `form_id`, unchanged: every
    named input, checked box, selected option and textarea (the inlines'
    management forms and the CSRF token among them)."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.select: tuple[str, list, list] | None = None  # name, options, selected
        self.textarea: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        name = attrs.get("name")
        if not self.inside or "disabled" in attrs:
            return
        if tag == "option" and self.select:
            value = attrs.get("value", "")
            self.select[1].append(value)
            if "selected" in attrs:
                self.select[2].append(value)
        if not name or "__prefix__" in name:  # the inlines' templates for new rows
            return
        kind = attrs.get("type", "text")
        if tag == "input" and kind not in {"submit", "button", "image", "file", "reset"}:
            if kind not in {"checkbox", "radio"} or "checked" in attrs:
                self.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self.select = (name, [], [])
            self.multiple = "multiple" in attrs
        elif tag == "textarea":
            self.textarea = [name]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            name, *text = self.textarea
            # The HTML parser drops the newline that follows <textarea>, as browsers do.
            self.fields.append((name, "".join(text)))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            name, options, selected = self.select
            if not selected and options and not self.multiple:
                selected = options[:1]
            self.fields += [(name, value) for value in selected]
            self.select = None


def form_fields(page: bytes, form_id: str) -> list[tuple[str, str]]:
    parser = FormFields(form_id)
    parser.feed(page.decode())
    return parser.fields


class Readers:
    """CONNECTIONS readers going through READS until the deadline."""

    def __init__(self, base_url: str, deadline: float):
        self.base_url, self.deadline = base_url, deadline
        self.statuses: collections.Counter = collections.Counter()
        self.failures: list[str] = []
        self.lock = threading.Lock()
        self.threads = [
            threading.Thread(target=self.read, args=(number,)) for number in range(CONNECTIONS)
        ]

    def read(self, number: int) -> None:
        connection = Connection(self.base_url)
        turn = number
        while time.monotonic() < self.deadline:
            path, headers = READS[turn % len(READS)]
            turn += 1
            try:
                status = connection.request("GET", path, headers)[0]
            except (OSError, http.client.HTTPException) as error:
                status = f"{type(error).__name__}: {error}"
            with self.lock:
                self.statuses[status] += 1
                if status != 200 and len(self.failures) < 20:
                    self.failures.append(f"{path} {headers}: {status}")

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())


class Editor:
    """An editor signed in to /admin/, changing the summaries of their
    events in turn through the change form, inlines and all, until the
    deadline."""

    def __init__(self, base_url: str, username: str, events: dict[str, int]):
        self.connection = Connection(base_url)
        self.username = username
        self.events = events  # slug: primary key
        self.deadline = 0.0
        self.saves: list[tuple[str, str]] = []  # (slug, summary), as answered
        self.refused: list[str] = []

    def log_in(self) -> None:
        login = "/admin/login/?next=/admin/"
        status, _, page = self.connection.request("GET", login)
        assert status == 200
        fields = dict(form_fields(page, "login-form"))
        fields.update(username=self.username, password=PASSWORD)
        status, headers, _ = self.connection.post(login, list(fields.items()))
        assert (status, headers.get("Location")) == (302, "/admin/"), f"{self.username} not in"

    def save_in_a_loop(self) -> None:
        try:
            slugs = sorted(self.events)
            while time.monotonic() < self.deadline:
                number = len(self.saves) + 1
                summary = SAVED.format(editor=self.username, number=number)
                self.save(slugs[number % len(slugs)], summary)
        except Exception as error:  # reported by the test, not lost in the thread
            self.refused.append(f"{type(error).__name__}: {error}")

    def save(self, slug: str, summary: str) -> None:
        change = f"/admin/timeline/event/{self.events[slug]}/change/"
        status, _, page = self.connection.request("GET", change)
        if status != 200:
            self.refused.append(f"GET {change}: {status}")
            return
        fields = [(n, summary if n == "summary" else v) for n, v in form_fields(page, "event_form")]
        status, headers, page = self.connection.post(change, [*fields, ("_save", "Save")])
        if status == 302 and urllib.parse.urlsplit(headers["Location"]).path == CHANGELIST:
            self.saves.append((slug, summary))
        else:
            errors = page.decode(errors="replace").split('class="errorlist')[1:2]
            self.refused.append(f"POST {change}: {status} {errors}")


@pytest.fixture
def site(tmp_path):
    env = production_env(tmp_path, suite_database_url(tmp_path))
    prepare_seeded_site(env)
    event_pks = json.loads(manage(env, "shell", "--no-imports", "-c", CREATE_EDITORS))
    with running_gunicorn(env, WORKERS) as base_url:
        yield env, base_url, event_pks


def test_a_minute_of_traffic_while_editors_save_loses_nothing(site):
    env, base_url, event_pks = site
    check = Connection(base_url)
    for path, headers in READS:  # the list itself is right: each answers 200 before the load
        assert check.request("GET", path, headers)[0] == 200, path
    # Each editor has events of their own: two editors saving one event at
    # once is the edit conflict the admin refuses, a test of its own.
    slugs = sorted(event_pks)
    editors = [
        Editor(base_url, name, {slug: event_pks[slug] for slug in slugs[number :: len(EDITORS)]})
        for number, name in enumerate(EDITORS)
    ]
    for editor in editors:
        editor.log_in()

    started = time.monotonic()
    readers = Readers(base_url, started + LOAD_SECONDS)
    threads = [*readers.threads]
    for editor in editors:
        editor.deadline = started + LOAD_SECONDS
        threads.append(threading.Thread(target=editor.save_in_a_loop))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=LOAD_SECONDS + 90)
    elapsed = time.monotonic() - started

    saves = [save for editor in editors for save in editor.saves]
    refused = [refusal for editor in editors for refusal in editor.refused]
    saved = json.loads(manage(env, "shell", "--no-imports", "-c", WHAT_WAS_SAVED))
    latest = {slug: summary for slug, summary in saves}  # each event's last save
    published = json.loads(check.request("GET", "/events.json")[2])
    on_the_site = {event["slug"]: event["summary"] for event in published["events"]}
    figures = {
        "seconds": round(elapsed, 1),
        "connections": CONNECTIONS,
        "gunicorn_workers": WORKERS,
        "database": env["DATABASE_URL"].split(":")[0],
        "requests": readers.requests,
        "requests_per_second": round(readers.requests / elapsed, 1),
        "statuses": {str(status): count for status, count in readers.statuses.items()},
        "editors": len(editors),
        "saves_made": len(saves),
        "saves_refused": len(refused),
        "saves_found_in_history": len(set(saved["history"]) & {s for _, s in saves}),
        "events_saved": len(latest),
        "events_showing_their_last_save": sum(on_the_site.get(s) == v for s, v in latest.items()),
    }
    print(json.dumps(figures))
    artifact(f"load-with-edits-{figures['database']}.json").write_text(json.dumps(figures))

    assert not any(thread.is_alive() for thread in threads)
    assert readers.failures == []  # no 5xx, no 4xx, no connection error
    assert set(readers.statuses) == {200}
    assert refused == []  # every save answered with the admin's redirect
    assert all(len(editor.saves) >= 3 for editor in editors)  # served during the load
    # Every save is in the database: its history record, and the last one of each event.
    assert sorted(saved["history"]) == sorted(summary for _, summary in saves)
    assert {slug: saved["current"][slug] for slug in latest} == latest
    # ... and on the public pages the moment the load is over.
    assert {slug: on_the_site[slug] for slug in latest} == latest

"""An edit shows on the very next request in every worker: gunicorn with
several worker processes, each with caches of its own (or a shared Redis
when REDIS_URL is set), and the edit made by another process.

The server uses the database the suite runs against: a SQLite file of its
own, or the throwaway PostgreSQL of `make test` (DATABASE_URL), whose tables
it empties first."""

import json
import urllib.request

import pytest

from .conftest import SEED_PATH
from .servers import (
    manage,
    prepare_seeded_site,
    production_env,
    running_gunicorn,
    suite_database_url,
)

WORKERS = 3
REQUESTS = 24  # enough for every worker to have served and cached the page


@pytest.fixture
def server_env(tmp_path):
    env = production_env(tmp_path, suite_database_url(tmp_path))
    prepare_seeded_site(env)
    return env


@pytest.fixture
def gunicorn(server_env):
    with running_gunicorn(server_env, WORKERS) as base_url:
        yield base_url


def fetch(url: str, **headers) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_an_import_shows_in_every_worker_on_the_next_request(gunicorn, server_env, tmp_path):
    fragment = gunicorn + "/?actor=russia"
    bodies = [fetch(fragment, **{"HX-Request": "true"})[1] for _ in range(REQUESTS)]
    assert all("Retitled by an editor" not in body for body in bodies)
    etag = urllib.request.urlopen(fragment).headers["ETag"]

    document = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    swap = next(e for e in document["events"] if e["slug"] == "prisoner-swap")
    swap["title"] = "Retitled by an editor"
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(document), encoding="utf-8")
    manage(server_env, "import_timeline", str(edited))

    for _ in range(REQUESTS):
        status, body = fetch(fragment, **{"HX-Request": "true"})
        assert status == 200 and "Retitled by an editor" in body
    # A reader revalidating with the old validator gets the new page, not a 304.
    status, body = fetch(fragment, **{"If-None-Match": etag})
    assert status == 200 and "Retitled by an editor" in body

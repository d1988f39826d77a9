"""An edit shows on the very next request in every worker: gunicorn with
several worker processes, each with caches of its own (or a shared Redis
when REDIS_URL is set), and the edit made by another process.

The server uses the database the suite runs against: a SQLite file of its
own, or the throwaway PostgreSQL of `make test` (DATABASE_URL), whose tables
it empties first."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from .conftest import ROOT, SEED_PATH

WORKERS = 3
REQUESTS = 24  # enough for every worker to have served and cached the page


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def server_env(tmp_path):
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "test-only-not-a-secret",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
    }
    if not env.get("DATABASE_URL", "").startswith("postgres"):
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'workers.sqlite3'}"
    manage(env, "collectstatic", "--no-input", "-v0")  # production's static storage needs it
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "flush", "--no-input")
    manage(env, "import_timeline", str(SEED_PATH))
    return env


@pytest.fixture
def gunicorn(server_env):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "ceasefire.wsgi", "-b", f"127.0.0.1:{port}",
         "-w", str(WORKERS), "--log-level", "warning"],
        cwd=ROOT, env=server_env, start_new_session=True,
    )  # fmt: skip
    base_url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base_url + "/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.05)
        else:
            raise RuntimeError("gunicorn did not start")
        yield base_url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


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

"""The app as production runs it, for tests that need real processes:
`manage.py` commands and gunicorn with production settings (DEBUG off,
the manifest static storage), on a database of the test's choosing."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .conftest import ROOT, SEED_PATH


def production_env(tmp_path: Path, database_url: str) -> dict:
    """A production process's environment, its static files collected in `tmp_path`."""
    return {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "test-only-not-a-secret",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": database_url,
    }


def suite_database_url(tmp_path: Path) -> str:
    """The throwaway PostgreSQL of `make test` when the suite runs on it
    (its tables are emptied), else a SQLite file of the test's own."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else f"sqlite:///{tmp_path / 'site.sqlite3'}"


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def prepare_seeded_site(env: dict) -> None:
    """Static files collected, the database migrated, emptied and given the seed."""
    manage(env, "collectstatic", "--no-input", "-v0")  # production's static storage needs it
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "flush", "--no-input")
    manage(env, "import_timeline", str(SEED_PATH))


@contextlib.contextmanager
def running_gunicorn(env: dict, workers: int):
    """gunicorn serving the app with `env` on a free loopback port; yields its base URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "ceasefire.wsgi", "-b", f"127.0.0.1:{port}",
         "-w", str(workers), "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    base_url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(400):
            try:
                urllib.request.urlopen(base_url + "/healthz", timeout=1).read()
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(f"gunicorn exited with {process.returncode}") from None
                time.sleep(0.05)
        else:
            raise RuntimeError("gunicorn did not start")
        yield base_url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)

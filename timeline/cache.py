"""The data version, and the caches it keeps honest.

Every write operation to the timeline calls `data_changed()`. The version
number kept in the database goes up once, when the operation's transaction
commits: an import of a thousand rows is one bump, and a rolled-back one is
none. Every cache key carries the version, so the next request in every
worker process, on every machine, reads the new data.

`cached()` keeps costly parts of a page (counts, figures, form choices) per
version; `timeline/http_cache.py` keeps whole public responses the same way.
"""

import functools
import hashlib
import logging
import secrets
from pathlib import Path

import orjson
from django.conf import settings
from django.core.cache import cache
from django.db import connections, router, transaction
from django.db.models import F
from django.utils import translation

logger = logging.getLogger(__name__)

TIMEOUT = 60 * 60


def data_version() -> int:
    """How many write operations have changed the data (for tests and reports)."""
    return _read_data_version()[0]


def _read_data_version() -> tuple[int, str]:
    """(number, stamp). Plain SQL: every public request reads this, and the
    ORM would take ten times as long as the query itself."""
    from .models import DataVersion

    connection = connections[router.db_for_read(DataVersion)]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT number, stamp FROM {DataVersion._meta.db_table} WHERE id = 1")  # noqa: S608 - no user input
        row = cursor.fetchone()
    return (row[0], row[1]) if row else (0, "")


def request_cache_version(request) -> str:
    """What every cached part of this request's response is keyed by: this
    release of the app, and the data's current stamp. Read once per request,
    so every part of a response is keyed to the same version.

    The stamp is random at every bump: after a database restore the old
    stamps come back with the old data, and the new edits get new ones, so
    two different states of the data never share a key or an ETag."""
    if not hasattr(request, "_timeline_cache_version"):
        request._timeline_cache_version = f"{release()}.{_read_data_version()[1]}"
    return request._timeline_cache_version


def release() -> str:
    """A fingerprint of what this deployment serves: the RELEASE setting if
    given, else a hash of the code, the templates and the static files, so
    that a deploy starts new cache keys and ETags (a page cached before it
    would point at scripts that are gone). Worked out once per process; with
    DEBUG on, at every request, so that a template being edited is never
    answered with a 304."""
    return _fingerprint() if settings.DEBUG else _release()


@functools.cache
def _release() -> str:
    return _fingerprint()


def _fingerprint() -> str:
    if settings.RELEASE:
        return hashlib.sha256(settings.RELEASE.encode()).hexdigest()[:8]
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR)
    for folder in ("ceasefire", "timeline", "templates", "static"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


def data_changed(*, using: str | None = None) -> None:
    """Mark the timeline's data changed by the current write operation.

    Inside a transaction the bump waits for the commit, and is registered
    once however many times the operation calls this; outside one it runs at
    once."""
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and any(
        func is _bump_data_version for _, func, _ in connection.run_on_commit
    ):
        return
    # robust: the data is committed whatever happens here; a failed bump is
    # logged rather than shown to the editor as a failed save.
    transaction.on_commit(_bump_data_version, using=using, robust=True)


def _bump_data_version() -> None:
    from .models import DataVersion

    stamp = secrets.token_hex(8)
    if not DataVersion.objects.filter(pk=1).update(number=F("number") + 1, stamp=stamp):
        DataVersion.objects.get_or_create(pk=1, defaults={"number": 1, "stamp": stamp})


def cached(key: tuple, build, *, version: str):
    """What `build()` returns for `key` at `version` (request_cache_version);
    built once per version. Values must pickle cheaply: JSON text, numbers, small lists of
    dicts. Keyed by the interface language too: charts and choices carry
    translated labels."""
    cache_key = _cache_key(key, version)
    value = cache.get(cache_key)
    if value is None:
        value = build()
        cache.set(cache_key, value, TIMEOUT)
    return value


def cached_already(key: tuple, *, version: str):
    """What `cached` holds for `key` at `version`, or None if nothing yet:
    for a part of a page worth showing at once only when it costs nothing."""
    return cache.get(_cache_key(key, version))


def _cache_key(key: tuple, version: str) -> str:
    digest = hashlib.sha256(repr((translation.get_language(), key)).encode()).hexdigest()
    return f"timeline:{version}:{digest}"


def figure_json(figure: dict) -> str:
    return orjson.dumps(figure).decode()

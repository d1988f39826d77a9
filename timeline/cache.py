"""The data version, and the caches it keeps honest.

Every write operation to the timeline calls `data_changed()`. The version
number kept in the database goes up once, when the operation's transaction
commits: an import of a thousand rows is one bump, and a rolled-back one is
none. Every cache key carries the version, so the next request in every
worker process, on every machine, reads the new data.

`cached()` keeps costly parts of a page (counts, figures, form choices) per
version; `timeline/http_cache.py` keeps whole public responses the same way.
"""

import hashlib

import orjson
from django.core.cache import cache
from django.db import transaction
from django.db.models import F

TIMEOUT = 60 * 60


def data_version() -> int:
    from .models import DataVersion

    return DataVersion.objects.values_list("number", flat=True).filter(pk=1).first() or 0


def request_data_version(request) -> int:
    """The version as this request first read it: one read per request, and
    every part of the response keyed to the same version."""
    if not hasattr(request, "_timeline_data_version"):
        request._timeline_data_version = data_version()
    return request._timeline_data_version


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
    transaction.on_commit(_bump_data_version, using=using)


def _bump_data_version() -> None:
    from .models import DataVersion

    if not DataVersion.objects.filter(pk=1).update(number=F("number") + 1):
        DataVersion.objects.get_or_create(pk=1, defaults={"number": 1})


def cached(key: tuple, build, *, version: int):
    """What `build()` returns for `key` at data `version`; built once per
    version. Values must pickle cheaply: JSON text, numbers, small lists of
    dicts."""
    digest = hashlib.sha256(repr(key).encode()).hexdigest()
    cache_key = f"timeline:{version}:{digest}"
    value = cache.get(cache_key)
    if value is None:
        value = build()
        cache.set(cache_key, value, TIMEOUT)
    return value


def figure_json(figure: dict) -> str:
    return orjson.dumps(figure).decode()

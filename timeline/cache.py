"""The figure cache: a repeat request for the same filter and range skips the
query and the figure. Every write to the timeline bumps a version number kept
in the database, and the version is part of every cache key, so an edit in
the admin or an import shows at once in every worker process."""

import hashlib

import orjson
from django.core.cache import cache
from django.db.models import F
from django.db.models.signals import post_delete, post_save

TIMEOUT = 60 * 60


def data_version() -> int:
    from .models import DataVersion

    return DataVersion.objects.values_list("number", flat=True).filter(pk=1).first() or 0


def bump_data_version(**kwargs) -> None:
    """Mark every cached figure stale. A signal receiver, and called directly
    after bulk writes, which send no signals."""
    from .models import DataVersion

    if not DataVersion.objects.filter(pk=1).update(number=F("number") + 1):
        DataVersion.objects.get_or_create(pk=1, defaults={"number": 1})


def cached(key: tuple, build, *, version: int | None = None):
    """What `build()` returns for `key` at the current data version; built
    once per version. Values must pickle cheaply: JSON text, numbers, small
    lists of dicts. Pass `version` when the request has read it already."""
    version = data_version() if version is None else version
    digest = hashlib.sha256(repr(key).encode()).hexdigest()
    cache_key = f"timeline:{version}:{digest}"
    value = cache.get(cache_key)
    if value is None:
        value = build()
        cache.set(cache_key, value, TIMEOUT)
    return value


def figure_json(figure: dict) -> str:
    return orjson.dumps(figure).decode()


def connect_signals() -> None:
    from .models import Actor, Event, Participation, Quote, Source

    for model in (Actor, Source, Event, Participation, Quote):
        post_save.connect(bump_data_version, sender=model, dispatch_uid=f"bump-{model.__name__}")
        post_delete.connect(
            bump_data_version, sender=model, dispatch_uid=f"bump-d-{model.__name__}"
        )

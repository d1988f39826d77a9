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


def cached_figure_json(key: tuple, build) -> str:
    """The figure for `key` as JSON text, built by `build()` on a miss."""
    digest = hashlib.sha256(repr(key).encode()).hexdigest()
    cache_key = f"timeline:figure:{data_version()}:{digest}"
    figure_json = cache.get(cache_key)
    if figure_json is None:
        figure_json = orjson.dumps(build()).decode()
        cache.set(cache_key, figure_json, TIMEOUT)
    return figure_json


def connect_signals() -> None:
    from .models import Actor, Event, Participation, Quote, Source

    for model in (Actor, Source, Event, Participation, Quote):
        post_save.connect(bump_data_version, sender=model, dispatch_uid=f"bump-{model.__name__}")
        post_delete.connect(
            bump_data_version, sender=model, dispatch_uid=f"bump-d-{model.__name__}"
        )

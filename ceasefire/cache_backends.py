"""A Redis cache that the site survives losing.

Django's Redis backend raises when Redis cannot be reached, which would turn
every page into a 500. Here an unreachable Redis is a cache miss: reads find
nothing, writes are dropped, and pages are built from the database. After a
failure Redis is left alone for RETRY_AFTER seconds, so a dead server costs
one connection attempt per worker every few seconds, not one per request.
`status()` says whether it is reachable, for /healthz.
"""

import logging
import pickle
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

RETRY_AFTER = 5.0


def _failures() -> tuple:
    import redis

    return (redis.exceptions.RedisError, pickle.UnpicklingError, EOFError)


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        # A slow or vanished server must not hold a request for long.
        options.setdefault("socket_connect_timeout", 0.25)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, params)
        self._down_until = 0.0
        self.last_error = ""

    def _guarded(self, operation, default, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return default
        try:
            return operation(*args, **kwargs)
        except _failures() as error:
            # Refused, timed out, read-only after a failover, out of memory,
            # or a value that no longer unpickles: a miss, never a 500.
            self._down_until = time.monotonic() + RETRY_AFTER
            self.last_error = f"{type(error).__name__}: {error}"
            logger.warning("Redis cache unavailable, serving from the database: %s", error)
            return default

    def status(self) -> str:
        """'ok', or why the cache is not in use. Asks the server, unless it
        failed in the last RETRY_AFTER seconds: a health check every second
        must not undo the back-off."""
        if time.monotonic() >= self._down_until and self._guarded(
            self._cache.get_client().ping, False
        ):
            return "ok"
        return f"unavailable ({self.last_error}); pages are built from the database"

    def get(self, key, default=None, version=None):
        return self._guarded(super().get, default, key, default, version)

    def get_many(self, keys, version=None):
        return self._guarded(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._guarded(super().has_key, False, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._guarded(super().set, None, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(super().add, False, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(super().set_many, list(data), data, timeout, version)

    def delete(self, key, version=None):
        return self._guarded(super().delete, False, key, version)

    def delete_many(self, keys, version=None):
        self._guarded(super().delete_many, None, keys, version)

    def clear(self):
        return self._guarded(super().clear, False)

"""The shared cache: pages come from Redis when it is there, and from the
database when it is not, with /healthz saying so. Each test starts its own
redis-server (scripts/with_redis.py), whatever else is running."""

import pytest
import redis
from django.core.cache import cache

from .factories import QuoteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(db):
    return QuoteFactory(event__title="Envoys meet in Geneva").event


def test_responses_are_kept_in_redis(client, event, redis_cache, django_assert_num_queries):
    first = client.get("/")
    keys = redis.Redis.from_url(redis_cache.url).keys("ceasefire:*")
    assert any(b"timeline:response:" in key for key in keys)
    with django_assert_num_queries(1):
        again = client.get("/")
    assert again.content == first.content
    assert client.get("/healthz").content.decode().startswith("ok\n")


def test_losing_redis_degrades_the_site_but_never_breaks_it(client, event, redis_cache):
    first = client.get("/")
    redis_cache.stop()
    response = client.get("/")
    assert response.status_code == 200 and b"Envoys meet in Geneva" in response.content
    assert response.content == first.content
    health = client.get("/healthz")
    assert health.status_code == 200
    lines = health.content.decode().splitlines()
    assert lines[0] == "degraded: cache" and lines[1] == "database: ok"
    assert lines[2].startswith("cache: unavailable (ConnectionError")


def test_a_redis_that_was_never_there_is_a_miss(client, event, redis_cache):
    redis_cache.stop()
    assert cache.get("anything") is None
    cache.set("anything", "dropped, not raised")
    response = client.get("/events.json")
    assert response.status_code == 200 and response.json()["count"] == 1


def test_a_redis_that_refuses_writes_is_a_miss_too(client, event, redis_cache):
    """A replica after a failover, or a full server, answers with an error
    rather than dropping the connection: still a miss, never a 500."""
    server = redis.Redis.from_url(redis_cache.url)
    server.config_set("maxmemory", "1")
    server.config_set("maxmemory-policy", "noeviction")
    response = client.get("/")
    assert response.status_code == 200 and b"Envoys meet in Geneva" in response.content
    assert "OutOfMemoryError" in client.get("/healthz").content.decode()

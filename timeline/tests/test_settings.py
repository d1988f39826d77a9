"""Deployment settings come from the environment, with safe defaults."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_settings(**env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "CACHE_"))
    }
    return subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.DEBUG, settings.DATABASES['default']['ENGINE'], settings.CACHES['default']['BACKEND'])"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "ceasefire.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )  # fmt: skip


def test_refuses_to_run_with_debug_off_and_no_secret_key():
    result = load_settings()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_local_debug_needs_no_configuration_and_uses_sqlite():
    result = load_settings(DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
    ]


def test_database_url_selects_postgresql():
    result = load_settings(
        DJANGO_SECRET_KEY="x" * 50, DATABASE_URL="postgres://u:p@db:5432/timeline"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["False", "django.db.backends.postgresql"]


def test_nonsense_debug_value_is_refused():
    result = load_settings(DJANGO_DEBUG="maybe")
    assert "DJANGO_DEBUG must be true or false" in result.stderr


def test_redis_url_selects_the_shared_cache():
    result = load_settings(DJANGO_DEBUG="true", REDIS_URL="redis://cache.internal:6379/1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[2] == "ceasefire.cache_backends.ResilientRedisCache"


def test_cache_url_is_an_alias_and_must_be_redis():
    result = load_settings(DJANGO_DEBUG="true", CACHE_URL="memcached://cache:11211")
    assert "REDIS_URL must be a redis://" in result.stderr


def test_cache_header_seconds_must_be_whole_numbers():
    result = load_settings(DJANGO_DEBUG="true", CACHE_MAX_AGE="ten")
    assert "CACHE_MAX_AGE must be a whole number of seconds" in result.stderr

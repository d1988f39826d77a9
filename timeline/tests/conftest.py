import importlib.util
import json
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import translation

from timeline.services import timeline_import

ROOT = Path(__file__).resolve().parents[2]
SEED_PATH = ROOT / "fixtures" / "ceasefire-2025-03.json"
ARTIFACTS = ROOT / "test-artifacts"
# Written for the tests: every account they make signs in with it.
PASSWORD = "a-long-password-1"


def artifact(filename: str) -> Path:
    """Where a test leaves a screenshot or figures for people to look at: test-artifacts/,
    created by whichever test writes there first (the order is random)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / filename


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def staff_user(username: str, *, groups=(), permissions=()):
    """A staff account in `groups`, with `permissions`, signing in with PASSWORD."""
    from django.contrib.auth.models import User

    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.set(groups)
    user.user_permissions.set(permissions)
    return user


def editor_user(username: str = "desk"):
    """A staff account with every right on the timeline, as the Editors group
    gives them (a test that flushes the database loses the group itself)."""
    from django.contrib.auth.models import Permission

    timeline = Permission.objects.filter(content_type__app_label="timeline")
    return staff_user(username, permissions=timeline)


@pytest.fixture
def redis_server():
    """A throwaway redis-server of the test's own; fails the test when it cannot start."""
    with _script("with_redis").ThrowawayRedis() as server:
        yield server


@pytest.fixture
def postgres_server():
    """A throwaway PostgreSQL of the test's own, to stop and start again."""
    with _script("with_postgres").ThrowawayPostgres() as server:
        yield server


@pytest.fixture
def redis_cache(settings, redis_server):
    """The app's cache pointed at `redis_server`, as REDIS_URL would point it."""
    settings.CACHES = {
        "default": {
            "BACKEND": "ceasefire.cache_backends.ResilientRedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "ceasefire",
        }
    }
    return redis_server


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The manifest storage needs collectstatic; tests serve static files from the finders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def fast_password_hashing(settings):
    # For tests that log in dozens of times: the production hasher's cost is not what they test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_afterwards():
    # LocaleMiddleware activates a request's language for the thread and leaves it
    # there; a test that calls code directly must find English whichever test ran before.
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_figure_cache():
    # Each test's database starts again from version 0; cached figures must not carry over.
    cache.clear()


@pytest.fixture
def seed_document():
    return json.loads(SEED_PATH.read_text(encoding="utf-8"))


@pytest.fixture
def seeded(db, seed_document):
    """The ceasefire seed, imported the way `make run` imports it."""
    return timeline_import(document=seed_document)

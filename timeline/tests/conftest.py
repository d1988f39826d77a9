import json
from pathlib import Path

import pytest
from django.core.cache import cache

from timeline.services import timeline_import

SEED_PATH = Path(__file__).resolve().parents[2] / "fixtures" / "ceasefire-2025-03.json"


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The manifest storage needs collectstatic; tests serve static files from the finders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


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

"""The two articles drafting is measured on, loaded into the database: the
seed article with its actors (and, when asked, its 18 curated events), and
the press release written for the tests (fixtures/test-articles/, invented
places and people) with the actors it assumes known. Used by the drafting
tests and by benchmarks/drafting.py."""

import datetime
import json
from pathlib import Path

from timeline.models import Actor, Source
from timeline.services import timeline_import

ROOT = Path(__file__).resolve().parents[2]
SEED_PATH = ROOT / "fixtures" / "ceasefire-2025-03.json"
HARBOUR_ARTICLE_PATH = ROOT / "fixtures" / "test-articles" / "harbour-accord-press-release.txt"
HARBOUR_EXPECTED_PATH = ROOT / "fixtures" / "test-articles" / "harbour-accord-expected.json"


def seed_document() -> dict:
    return json.loads(SEED_PATH.read_text(encoding="utf-8"))


def harbour_document() -> dict:
    return json.loads(HARBOUR_EXPECTED_PATH.read_text(encoding="utf-8"))


def import_seed(*, with_events: bool = False) -> Source:
    """The seed's source and actors; its events too when ``with_events``."""
    document = seed_document()
    if not with_events:
        document["events"] = []
    timeline_import(document=document)  # raises on any problem in the document
    return Source.objects.get(slug=document["sources"][0]["slug"])


def import_harbour_article() -> Source:
    document = harbour_document()
    for record in document["actors"]:
        Actor.objects.update_or_create(slug=record["slug"], defaults=record)
    info = document["source"]
    source, _ = Source.objects.update_or_create(
        slug=info["slug"],
        defaults={
            "title": info["title"],
            "published_on": datetime.date.fromisoformat(info["published_on"]),
            "notes": info["notes"],
            "text": HARBOUR_ARTICLE_PATH.read_text(encoding="utf-8"),
        },
    )
    return source

"""The backup path: manage.py export_timeline writes the whole database as
this app's document, and import_timeline into an empty database gives back
the same rows, quote ids, drafts, orphans and corrections included.

Besides the seed (a real article), the records below were written for
these tests: the draft, the memo, the actor nobody quotes, the correction."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.db.models import ForeignKey

from timeline.models import (
    Actor,
    Correction,
    Event,
    Participation,
    Quote,
    Source,
    TimelineTitle,
)
from timeline.services import source_save

from .factories import ActorFactory, EventFactory, SourceFactory

# Natural keys: after a restore, auto ids may differ (quotes keep theirs).
NATURAL = {Actor: "slug", Source: "slug", Event: "slug"}
MODELS = [Source, Actor, Event, Participation, Quote, TimelineTitle, Correction]
MEMO = "Talks resume on Friday. The envoy said talks resume on Friday. Nothing more was said."


def export() -> str:
    out = io.StringIO()
    call_command("export_timeline", stdout=out)
    return out.getvalue()


def table(model) -> list[dict]:
    """Every row of `model`, with foreign keys as natural keys."""
    rows = []
    for row in model.objects.values():
        for field in model._meta.concrete_fields:
            if isinstance(field, ForeignKey) and field.related_model in NATURAL:
                key = row.pop(field.attname)
                related = field.related_model
                row[field.name] = (
                    None
                    if key is None
                    else related.objects.values_list(NATURAL[related], flat=True).get(pk=key)
                )
        if model is not Quote:
            row.pop("id")
        row.pop("editor_id", None)  # user accounts are not part of the document
        # How often an event was saved here (Event.version) guards editors'
        # forms against each other; it is not part of the document either.
        row.pop("version", None)
        rows.append(row)
    return sorted(rows, key=repr)


def everything() -> dict:
    return {model.__name__: table(model) for model in MODELS}


@pytest.fixture
def whole_database(seeded):
    """The seed, plus what only a backup carries."""
    TimelineTitle.objects.create(pk=1, title="Ceasefire talks", description="Written for the test.")
    ActorFactory(slug="unquoted", name="An actor nobody quotes")
    memo = SourceFactory(slug="memo", title="Memo written for the test", text=MEMO)
    draft = EventFactory(slug="draft-talks", title="Talks resume", publication="draft")
    # The words occur twice: the quote is the second occurrence, chosen by selection.
    second = MEMO.index("talks resume on Friday")
    quote = Quote(event=draft, source=memo, text="resume on Friday", start=second + 6)
    quote.clean()
    quote.save()
    orphan = Quote(event=draft, source=memo, text="Nothing more was said.")
    orphan.clean()
    orphan.save()
    memo.text = MEMO.replace("Nothing more was said.", "More was said.")
    source_save(source=memo)  # the orphan keeps its context
    corrected = Event.objects.published().first()
    Correction.objects.create(
        event=corrected,
        created_at=datetime.datetime(2025, 3, 20, 9, 30, 15, 123456, tzinfo=datetime.UTC),
        note="An earlier version gave the wrong day.",
        changes=[{"field": "start", "before": "2025-03-17", "after": "2025-03-18"}],
    )
    return {"quote": quote, "orphan": orphan}


@pytest.mark.django_db(transaction=True)
def test_export_flush_import_gives_back_every_row_and_the_same_bytes(whole_database, tmp_path):
    orphan = Quote.objects.get(pk=whole_database["orphan"].pk)
    assert orphan.is_orphaned and orphan.prefix  # what the backup must keep
    assert Quote.objects.get(pk=whole_database["quote"].pk).start > MEMO.index("resume on Friday")
    before = everything()
    first = export()
    path = tmp_path / "backup.json"
    path.write_text(first, encoding="utf-8")

    call_command("flush", interactive=False, verbosity=0)
    assert not Event.objects.exists() and not Quote.objects.exists()
    call_command("import_timeline", str(path), stdout=io.StringIO())

    after = everything()
    for model in MODELS:
        assert after[model.__name__] == before[model.__name__], model.__name__
    assert export() == first


def test_the_backup_has_drafts_unquoted_records_and_corrections(whole_database):
    document = json.loads(export())
    assert {"draft-talks"} <= {event["slug"] for event in document["events"]}
    assert "unquoted" in {actor["slug"] for actor in document["actors"]}
    assert document["title"] == "Ceasefire talks"
    (draft,) = [event for event in document["events"] if event["slug"] == "draft-talks"]
    assert draft["publication"] == "draft"
    assert sorted(q["status"] for q in draft["quotes"]) == ["orphaned", "verified"]
    corrected = [event for event in document["events"] if event["corrections"]]
    assert corrected[0]["corrections"][0]["date"] == "2025-03-20T09:30:15.123456+00:00"


def test_the_public_document_stays_as_it_was(client, whole_database):
    """/timeline.json is the same mechanism without the backup's extras."""
    document = client.get("/timeline.json").json()
    assert "draft-talks" not in {event["slug"] for event in document["events"]}
    assert "unquoted" not in {actor["slug"] for actor in document["actors"]}
    event = document["events"][0]
    assert not {"publication", "corrections", "created_at"} & set(event)
    assert set(event["quotes"][0]) == {"id", "source", "speaker", "text"}


def test_export_to_a_file(whole_database, tmp_path):
    path = tmp_path / "backup.json"
    err = io.StringIO()
    call_command("export_timeline", "--output", str(path), stderr=err)
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == "ceasefire-timeline/1"
    assert f"Wrote the timeline to {path}." in err.getvalue()

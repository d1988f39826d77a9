import io
import json

import pytest
from django.core.management import CommandError, call_command

from timeline.models import Event

from .conftest import SEED_PATH

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_then_if_empty_does_not_load_again():
    assert "events: 18 created" in run("import_timeline", str(SEED_PATH))
    Event.objects.filter(slug="prisoner-swap").update(title="Edited by an editor")
    assert "was not loaded again" in run("import_timeline", str(SEED_PATH), "--if-empty")
    assert Event.objects.get(slug="prisoner-swap").title == "Edited by an editor"
    assert Event.objects.count() == 18


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run("import_timeline", str(tmp_path / "nope.json"))


def test_invalid_json_says_where(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "ceasefire-timeline/1",\n "events": [}', encoding="utf-8")
    with pytest.raises(CommandError, match="line 2, column"):
        run("import_timeline", str(path))


def test_invalid_document_lists_problems_and_writes_nothing(tmp_path):
    document = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    document["events"][0]["end"] = "2025-01-01"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        run("import_timeline", str(path))
    assert "nothing was written" in str(refused.value)
    assert "events[0]" in str(refused.value) and "end date cannot be before" in str(refused.value)
    assert not Event.objects.exists()


def test_dry_run_reports_and_writes_nothing():
    out = run("import_timeline", str(SEED_PATH), "--dry-run")
    assert "Dry run of" in out and "(own): nothing was written" in out
    assert "events: 18 would be created" in out
    assert not Event.objects.exists()


def test_format_can_be_named_and_a_wrong_one_is_refused(tmp_path):
    with pytest.raises(CommandError) as refused:
        run("import_timeline", str(SEED_PATH), "--format", "timelinejs-csv")
    assert "nothing was written" in str(refused.value)
    assert "not a TimelineJS spreadsheet; no Headline or Year column" in str(refused.value)
    assert not Event.objects.exists()
    assert "events: 18 created" in run("import_timeline", str(SEED_PATH), "--format", "own")


def test_a_file_in_no_known_format_is_a_clear_error(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Minutes of the meeting\n", encoding="utf-8")
    with pytest.raises(CommandError, match="not a format this app reads"):
        run("import_timeline", str(path))


def test_a_quote_the_document_no_longer_lists_is_kept_and_reported(tmp_path):
    run("import_timeline", str(SEED_PATH))
    document = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    dropped = document["events"][0]["quotes"].pop()
    path = tmp_path / "shorter.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    out = run("import_timeline", str(path))
    assert (
        Event.objects.get(slug=document["events"][0]["slug"])
        .quotes.filter(text=dropped["text"])
        .exists()
    )
    assert "is not in the document; it was kept" in out


def test_demo_editor_is_refused_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="local use only"):
        run("demo_editor")


def test_demo_editor_prints_a_fresh_password_each_time(settings):
    settings.DEBUG = True
    first, second = run("demo_editor"), run("demo_editor")
    assert "user editor, password " in first
    assert first.split("password ")[1].split()[0] != second.split("password ")[1].split()[0]


def seed_quote_count(document):
    return sum(len(event["quotes"]) for event in document["events"])


def test_check_quotes_passes_on_the_seed(seeded, seed_document):
    assert f"All {seed_quote_count(seed_document)} quotes verified." in run("check_quotes")


def test_check_quotes_fails_and_names_orphans_when_a_source_changed_underneath(
    seeded, seed_document
):
    from timeline.models import Quote, Source

    # A change made outside the app (SQL, another tool) that the app never saw.
    Source.objects.update(text=Source.objects.get().text.replace("175-for-175", "175"))
    total = seed_quote_count(seed_document)
    with pytest.raises(CommandError, match=f"1 of {total} quotes are orphaned"):
        run("check_quotes")
    orphan = Quote.objects.get(status="orphaned")
    assert "175-for-175" in orphan.text and orphan.start is None


def generated_snapshot():
    from timeline.models import Quote

    events = list(
        Event.objects.filter(slug__startswith="gen7-").values_list("slug", "start", "end", "kind")
    )
    quotes = list(
        Quote.objects.filter(event__slug__startswith="gen7-").values_list("text", "start")
    )
    return events, quotes


def test_generate_events_is_deterministic_and_its_quotes_verify():
    from timeline.models import Actor

    assert "Generated 120 events" in run("generate_events", "--count", "120", "--seed", "7")
    first = generated_snapshot()
    run("generate_events", "--count", "120", "--seed", "7", "--replace")
    assert generated_snapshot() == first
    assert Event.objects.count() == 120
    assert "verified" in run("check_quotes")
    # skewed: the busiest actor is in far more events than the median one
    counts = sorted(
        actor.participations.count() for actor in Actor.objects.filter(slug__startswith="gen7-")
    )
    assert counts[-1] >= 5 * max(1, counts[len(counts) // 2])
    assert Event.objects.filter(end__isnull=False).exists()


def test_generate_events_refuses_to_duplicate_a_seed():
    run("generate_events", "--count", "5", "--seed", "7")
    with pytest.raises(CommandError, match="add --replace"):
        run("generate_events", "--count", "5", "--seed", "7")

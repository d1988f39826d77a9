"""Reading TimelineJS and this app's own exports (importing.py), and what
an import of each makes of them."""

import json
from pathlib import Path

import pytest
from django.core.cache import cache

from timeline.importing import UnreadableFile, detect_format, html_to_text, read_files
from timeline.models import Actor, Event, Participation, Quote, Source, TimelineTitle
from timeline.services import timeline_import

ROOT = Path(__file__).resolve().parents[2]
# TimelineJS's own sample spreadsheet ("Women in Computing"), as the npm
# package ships it; `make test` installs the package (tests_js/).
TIMELINEJS_SAMPLE = (
    ROOT
    / "tests_js/node_modules/@knight-lab/timelinejs/src/js/core/__tests__/women_in_computing.csv"
)

# Written for these tests, not from any source.
HEADER = (
    "Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,"
    "Media,Media Credit,Media Caption,Media Thumbnail,Type,Group,Background\n"
)
TEST_SHEET = HEADER + (
    ",,,,,,,,,Test <b>talks</b>,A timeline written for this test,,,,,title,,\n"
    '2025,3,18,10:00,,,,,,Call <script>alert(1)</script>held,"<p>First &amp; <img src=x onerror=alert(1)>only</p>",,,,,,Test State A,\n'
    "2025,3,,,,,,,,Talks in March,,,,,,,Test State A,\n"
    "2025,,,,2025,6,,,Spring,Spring season,,,,,,era,,\n"
)


def sheet(text: str) -> list[tuple[str, bytes]]:
    return [("test-sheet.csv", text.encode())]


def sample_sheet() -> list[tuple[str, bytes]]:
    if not TIMELINEJS_SAMPLE.exists():
        pytest.fail(f"{TIMELINEJS_SAMPLE} is missing: run `make test`, which installs tests_js/.")
    return [(TIMELINEJS_SAMPLE.name, TIMELINEJS_SAMPLE.read_bytes())]


def test_slides_with_the_same_headline_and_date_get_numbered_slugs(db):
    twins = HEADER + "".join(
        f"2025,3,18,,,,,,,Talks held,Round {n}; written for this test,,,,,,,\n" for n in (1, 2, 3)
    )
    timeline_import(document=read_files(sheet(twins)).document)
    assert sorted(Event.objects.values_list("slug", flat=True)) == [
        "talks-held-2025-03-18",
        "talks-held-2025-03-18-2",
        "talks-held-2025-03-18-3",
    ]


def test_html_is_reduced_to_safe_text():
    assert html_to_text(
        '<p>A &amp; B<br>C</p><script>alert("x")</script><img src=x onerror=y>'
    ) == ("A & B\nC")


def test_formats_are_detected_from_content(seed_document):
    assert detect_format("a", json.dumps(seed_document)) == "own"
    assert detect_format("a", '{"title": {}, "events": []}') == "timelinejs-json"
    assert detect_format("a", TEST_SHEET) == "timelinejs-csv"
    assert detect_format("a", "\ufeffslug,title,summary,start,end,precision,date_inferred,"
                         "earliest,latest,date_basis,status,kind,actors,quote_count,url\n") == "csv"  # fmt: skip
    with pytest.raises(UnreadableFile, match="not a format this app reads"):
        detect_format("notes.txt", "just some words\n")
    with pytest.raises(UnreadableFile, match="is not valid JSON: .* line 1, column"):
        detect_format("broken.json", '{"format": ')


def test_timelinejs_sample_spreadsheet_imports_as_drafts(db):
    reading = read_files(sample_sheet())
    assert reading.format == "timelinejs-csv"
    report = timeline_import(document=reading.document, notes=reading.notes)
    assert TimelineTitle.current().title == "Women in Computing"
    assert Event.objects.count() == 10 == len(report.drafts)
    assert not Event.objects.published().exists()  # no quotes: editors finish them
    ada = Event.objects.get(slug="ada-lovelace-1815-12-10")
    assert (ada.start.isoformat(), ada.end.isoformat(), ada.precision) == (
        "1815-12-10", "1852-11-27", "day",
    )  # fmt: skip
    assert "<" not in ada.summary and "Ada Lovelace: Daughter of Lord Byron" in ada.summary
    eniac = Event.objects.get(title="...And the women who made it work")
    assert (eniac.start.isoformat(), eniac.precision, eniac.end.isoformat()) == (
        "1943-07-01", "month", "1946-12-31",
    )  # fmt: skip
    assert any(note.startswith("Media not kept") for note in report.notes)
    again = timeline_import(document=read_files(sample_sheet()).document)
    assert not again.changed


def test_timelinejs_rows_keep_precision_group_era_and_only_text(db):
    reading = read_files(sheet(TEST_SHEET))
    report = timeline_import(document=reading.document, notes=reading.notes)
    call = Event.objects.get(start="2025-03-18")
    assert call.title == "Call held" and call.summary == "First & only"
    assert call.precision == "day"
    march = Event.objects.get(title="Talks in March")
    assert (march.precision, march.slug) == ("month", "talks-in-march-2025-03")
    group = Actor.objects.get(name="Test State A")
    assert group.kind == Actor.Kind.UNKNOWN
    assert set(group.events.all()) == {call, march}
    spring = Event.objects.get(title="Spring season")
    assert (spring.start.isoformat(), spring.end.isoformat()) == ("2025-01-01", "2025-06-30")
    assert "Spring" in spring.date_basis  # the display date is kept in how it was dated
    assert any("an era, imported as the span event" in note for note in report.notes)
    assert any(note.startswith("Time not kept") for note in report.notes)
    assert TimelineTitle.current().title == "Test talks"


def test_a_timelinejs_row_without_a_usable_date_names_row_and_column(db):
    bad = HEADER + "2025,13,1,,,,,,,Thirteenth month,,,,,,,,\n,3,,,,,,,,No year,,,,,,,,\n"
    with pytest.raises(UnreadableFile) as refused:
        read_files(sheet(bad))
    assert any(
        error.startswith("row 2.Year/Month/Day: 2025-13-1 is not a date")
        for error in refused.value.errors
    )
    assert "row 3.Year: required with Month or Day." in refused.value.errors


def test_a_group_names_an_existing_actor_and_never_changes_it(db):
    Actor.objects.create(slug="test-state-a", name="Test State A", kind=Actor.Kind.STATE)
    timeline_import(document=read_files(sheet(TEST_SHEET)).document)
    assert Actor.objects.get().kind == Actor.Kind.STATE


def _to_precision(event) -> tuple:
    """The dates as far as they are known (TimelineJS has no day for a month-precision event)."""
    length = {"day": 10, "month": 7, "year": 4}[event.precision]
    return event.start.isoformat()[:length], event.end and event.end.isoformat()[:length]


def test_our_timelinejs_export_imports_with_its_slugs_and_dates(
    client, transactional_db, seed_document
):
    timeline_import(document=seed_document)
    exported = client.get("/timelinejs.json").content
    dates = {e.slug: _to_precision(e) for e in Event.objects.all()}
    Event.objects.all().delete()
    reading = read_files([("timelinejs.json", exported)])
    assert reading.format == "timelinejs-json"
    timeline_import(document=reading.document)
    assert {e.slug: _to_precision(e) for e in Event.objects.all()} == dates


def _export(client) -> dict[str, bytes]:
    cache.clear()  # every export below is built from the database, never remembered
    return {
        name: b"".join(client.get(f"/{name}").streaming_content)
        if name.endswith(".csv")
        else client.get(f"/{name}").content
        for name in ("timeline.json", "sources.csv", "events.csv", "quotes.csv")
    }


def _empty_database():
    for model in (Quote, Participation, Event, Actor, Source, TimelineTitle):
        model.objects.all().delete()


@pytest.mark.django_db(transaction=True)
def test_own_json_round_trip_gives_the_same_export(client, seed_document):
    timeline_import(document=seed_document)
    before = _export(client)
    _empty_database()
    assert json.loads(_export(client)["timeline.json"])["events"] == []
    reading = read_files([("timeline.json", before["timeline.json"])])
    assert reading.format == "own"
    timeline_import(document=reading.document)
    assert _export(client) == before


@pytest.mark.django_db(transaction=True)
def test_csv_round_trip_gives_the_same_exports(client, seed_document):
    timeline_import(document=seed_document)
    # Cells a spreadsheet would run are neutralised on the way out and restored on the way in.
    Event.objects.filter(slug="prisoner-swap").update(summary="=HYPERLINK(x) written for this test")
    before = _export(client)
    assert b"'=HYPERLINK" in before["events.csv"]
    _empty_database()
    files = [(name, before[name]) for name in ("sources.csv", "events.csv", "quotes.csv")]
    reading = read_files(files)
    assert reading.format == "csv"
    report = timeline_import(document=reading.document)
    assert not report.drafts
    after = _export(client)
    for name in ("sources.csv", "events.csv", "quotes.csv"):
        assert after[name] == before[name], name
    assert Event.objects.get(slug="prisoner-swap").summary.startswith("=HYPERLINK")
    # Actors known by name only in a CSV: the kind was not exported, so it is not stated.
    assert set(Actor.objects.values_list("kind", flat=True)) == {Actor.Kind.UNKNOWN}


@pytest.mark.django_db(transaction=True)
def test_csv_import_finds_actors_by_name(client, seed_document):
    timeline_import(document=seed_document)
    events_csv = _export(client)["events.csv"]
    Event.objects.all().delete()
    timeline_import(document=read_files([("events.csv", events_csv)]).document)
    assert Actor.objects.count() == len(seed_document["actors"])  # none duplicated
    assert Actor.objects.get(slug="donald-trump").kind == Actor.Kind.PERSON  # none changed
    assert not Event.objects.published().exists()  # no quotes.csv: drafts


def test_files_in_different_formats_are_refused_together(seed_document):
    with pytest.raises(UnreadableFile, match="different formats"):
        read_files([("a.json", json.dumps(seed_document).encode()), ("b.csv", TEST_SHEET.encode())])
    with pytest.raises(UnreadableFile, match="not UTF-8"):
        read_files([("latin.csv", "Année".encode("latin-1"))])

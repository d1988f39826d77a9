import pytest

from timeline.highlighting import highlight_runs
from timeline.models import Quote

from .factories import QuoteFactory, SourceFactory

pytestmark = pytest.mark.django_db

TEXT = "Alpha begins. Bravo in the middle. Charlie ends."


def quote(source, text, **extra):
    return QuoteFactory(source=source, text=text, **extra)


def rendered(runs):
    return [(run.text, [q.text for q in run.quotes]) for run in runs]


def test_runs_rebuild_the_text_exactly():
    source = SourceFactory(text=TEXT)
    runs = highlight_runs(TEXT, [quote(source, "Bravo in the middle.")])
    assert "".join(run.text for run in runs) == TEXT
    assert rendered(runs) == [
        ("Alpha begins. ", []),
        ("Bravo in the middle.", ["Bravo in the middle."]),
        (" Charlie ends.", []),
    ]


def test_quotes_at_the_very_start_and_end_of_the_text():
    source = SourceFactory(text=TEXT)
    first, last = quote(source, "Alpha begins."), quote(source, "Charlie ends.")
    runs = highlight_runs(TEXT, [first, last])
    assert runs[0].text == "Alpha begins." and runs[0].starting == [first]
    assert runs[-1].text == "Charlie ends." and runs[-1].ending == [last]


def test_overlapping_quotes_both_show():
    source = SourceFactory(text=TEXT)
    wide = quote(source, "begins. Bravo in the middle.")
    narrow = quote(source, "Bravo in the middle. Charlie")
    runs = highlight_runs(TEXT, [wide, narrow])
    assert rendered(runs) == [
        ("Alpha ", []),
        ("begins. ", ["begins. Bravo in the middle."]),
        ("Bravo in the middle.", ["begins. Bravo in the middle.", "Bravo in the middle. Charlie"]),
        (" Charlie", ["Bravo in the middle. Charlie"]),
        (" ends.", []),
    ]


def test_orphaned_quotes_are_not_drawn_into_the_text():
    source = SourceFactory(text=TEXT)
    orphan = quote(source, "Bravo in the middle.")
    Quote.objects.filter(pk=orphan.pk).update(start=None, end=None, status="orphaned")
    orphan.refresh_from_db()
    assert rendered(highlight_runs(TEXT, [orphan])) == [(TEXT, [])]

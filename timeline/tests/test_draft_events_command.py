"""manage.py draft_events SOURCE_SLUG [--json]: the proposals for a source,
read by a person or, with --json, by a program in the fixed shape of issue 11."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from timeline.tests.drafting_articles import import_seed

pytestmark = pytest.mark.django_db

PROPOSAL_KEYS = {
    "title", "kind", "status", "start", "end", "precision", "date_text", "date_basis",
    "actors", "quotes", "duplicate_of",
}  # fmt: skip


def _run(*args):
    out = StringIO()
    call_command("draft_events", *args, stdout=out)
    return out.getvalue()


def test_listing_shows_each_proposal_with_its_date_basis_and_quotes():
    source = import_seed()
    output = _run(source.slug)
    assert output.startswith(f"Source '{source.slug}', dated 2025-03-19: ")
    assert "A prisoner swap was also confirmed to happen today (Wed)" in output
    assert "prisoner_exchange, planned; 2025-03-19 (day)" in output
    assert (
        "Date: The text says \u201ctoday (Wed)\u201d; the source is dated Wednesday 19 March 2025, "
        "so Wednesday 19 March 2025." in output
    )
    quote = "Both leaders agreed this conflict needs to end with a lasting peace."
    start = source.text.index(quote)
    assert f"[{start}:{start + len(quote)}] White House: \u201c{quote}\u201d" in output


def test_json_has_the_fixed_shape_and_exact_offsets():
    source = import_seed()
    document = json.loads(_run(source.slug, "--json"))
    assert set(document) == {"source", "base_date", "proposals"}
    assert (document["source"], document["base_date"]) == (source.slug, "2025-03-19")
    assert document["proposals"]
    for proposal in document["proposals"]:
        assert set(proposal) == PROPOSAL_KEYS
        for actor in proposal["actors"]:
            assert set(actor) == {"slug", "name", "role"}
        for quote in proposal["quotes"]:
            assert set(quote) == {"text", "start", "end", "speaker"}
            assert source.text[quote["start"] : quote["end"]] == quote["text"]
            assert quote["speaker"] is None or set(quote["speaker"]) == {"slug", "name"}
    swap = next(p for p in document["proposals"] if p["title"].startswith("A prisoner swap"))
    assert (swap["start"], swap["date_text"], swap["duplicate_of"]) == (
        "2025-03-19", "today (Wed)", None,
    )  # fmt: skip


def test_json_marks_duplicates_of_existing_events():
    source = import_seed(with_events=True)
    document = json.loads(_run(source.slug, "--json"))
    swap = next(p for p in document["proposals"] if p["title"].startswith("A prisoner swap"))
    assert swap["duplicate_of"] == "prisoner-swap"


def test_an_unknown_slug_is_a_clear_error():
    source = import_seed()
    with pytest.raises(CommandError) as raised:
        _run("no-such-source")
    assert str(raised.value) == f"No source with slug 'no-such-source'. Sources: {source.slug}."


def test_an_unknown_slug_with_no_sources_at_all():
    with pytest.raises(CommandError, match="There are no sources yet"):
        _run("anything", "--json")

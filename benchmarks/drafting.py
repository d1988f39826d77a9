#!/usr/bin/env python
"""Measure drafting events from a source's text (issue 11) on two articles.

    python benchmarks/drafting.py                         # print the table
    python benchmarks/drafting.py --update docs/drafting.md

The seed article is compared with its 18 curated events
(fixtures/ceasefire-2025-03.json); the press release written for the tests
(fixtures/test-articles/, invented places and people, not real reporting)
with the events listed by hand beside it. For each: the share of the expected
quotes proposed character for character, the share of expected events whose
proposal has the right date, the dates the text states relative to the
source's date that are right, proposals per expected event, and the time to
draft (the first call in the process, which loads dateparser's English data,
and the median of 5 more). Then the seed again with its 18 events already in
the timeline: how many proposals are flagged as repeating one.

The database is a new SQLite file (or DATABASE_URL); only the two articles'
sources and actors are loaded. timeline/tests/test_drafting.py holds the
figures at their floor.
"""

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ceasefire.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-not-a-secret")
os.environ["DJANGO_DEBUG"] = "false"
WORK_DIR = Path(tempfile.mkdtemp(prefix="ceasefire-drafting-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORK_DIR}/drafting.sqlite3")

START_MARK = "<!-- drafting-figures -->"
END_MARK = "<!-- /drafting-figures -->"


def measure(source, expected) -> dict:
    from timeline.drafting import draft_events
    from timeline.drafting.scoring import score

    started = time.perf_counter()
    draft = draft_events(source)
    first = time.perf_counter() - started
    times = []
    for _ in range(5):
        started = time.perf_counter()
        draft_events(source)
        times.append(time.perf_counter() - started)
    figures = score(source.text, draft.proposals, expected)
    return {
        "characters": len(source.text),
        "expected_events": figures.expected_events,
        "proposals": figures.proposals,
        "quotes": f"{figures.quotes_proposed}/{figures.quotes_expected}",
        "quote_share": figures.quote_share,
        "speakers": f"{figures.speakers_right}/{figures.quotes_proposed}",
        "dates": f"{figures.dates_right}/{figures.expected_events}",
        "date_share": figures.date_share,
        "relative": f"{figures.relative_right}/{figures.relative_expected}",
        "per_event": figures.proposals_per_event,
        "first_seconds": first,
        "median_seconds": statistics.median(times),
        "wrong": figures.wrong,
    }


def table(rows: dict[str, dict], duplicates: str) -> str:
    lines = [
        "| | seed article | invented press release (written for the tests) | target |",
        "|---|---|---|---|",
    ]
    seed, invented = rows["seed"], rows["invented"]

    def row(label, key, fmt, target):
        lines.append(f"| {label} | {fmt(seed[key])} | {fmt(invented[key])} | {target} |")

    def as_is(value):
        return str(value)

    def share(value):
        return f"{value:.0%}"

    row("characters", "characters", lambda v: f"{v:,}", "")
    row("expected events", "expected_events", as_is, "")
    row("proposals", "proposals", as_is, "")
    row("expected quotes proposed, verbatim at the same offsets", "quotes", as_is, "")
    row("share of expected quotes proposed", "quote_share", share, "\u2265 90%")
    row("…of those, with the expected speaker", "speakers", as_is, "")
    row("expected events whose proposal has the right date", "dates", as_is, "")
    row("share of dates right", "date_share", share, "\u2265 90%")
    row("relative dates right (\u201ctoday\u201d, \u201con Monday night\u201d\u2026)", "relative",
        as_is, "all")  # fmt: skip
    row("proposals per expected event", "per_event", lambda v: f"{v:.2f}", "\u2264 1.5")
    row("time, first call in the process", "first_seconds", lambda v: f"{v * 1000:.0f} ms",
        "\u2264 1 s")  # fmt: skip
    row("time, median of 5 more", "median_seconds", lambda v: f"{v * 1000:.0f} ms", "\u2264 1 s")
    lines.append("")
    lines.append(f"With the seed's 18 events already in the timeline: {duplicates}.")
    for name, label in (("seed", "Seed"), ("invented", "Invented article")):
        if rows[name]["wrong"]:
            lines.append("")
            lines.append(f"{label}, what was missed:")
            lines.extend(f"- {item}" for item in rows[name]["wrong"])
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--update", type=Path, help="replace the figures in this Markdown file")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from timeline.drafting import draft_events
    from timeline.drafting.scoring import expected_from_document, expected_from_test_article
    from timeline.models import Event
    from timeline.tests.drafting_articles import (
        harbour_document,
        import_harbour_article,
        import_seed,
        seed_document,
    )

    Event.objects.all().delete()
    seed = import_seed()
    rows = {"seed": measure(seed, expected_from_document(seed_document()))}
    harbour = import_harbour_article()
    rows["invented"] = measure(harbour, expected_from_test_article(harbour_document()))
    seed = import_seed(with_events=True)
    draft = draft_events(seed)
    flagged = [p for p in draft.proposals if p.duplicate_of]
    duplicates = (
        f"{len(flagged)} of {len(draft.proposals)} proposals flagged as repeating one, "
        f"{sum(len(p.quotes) for p in flagged)} quotes offered to them that they do not have"
    )
    output = table(rows, duplicates)
    print(output)
    if args.update:
        page = args.update.read_text(encoding="utf-8")
        pattern = re.compile(re.escape(START_MARK) + ".*?" + re.escape(END_MARK), re.DOTALL)
        if not pattern.search(page):
            raise SystemExit(f"{args.update} has no {START_MARK} … {END_MARK} section.")
        page = pattern.sub(lambda _: f"{START_MARK}\n{output}\n{END_MARK}", page)
        args.update.write_text(page, encoding="utf-8")
        print(f"Wrote {args.update}")


if __name__ == "__main__":
    main()

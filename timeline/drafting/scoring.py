"""How a draft compares with the events an editor made from the same text.

``score(text, proposals, expected)`` gives the figures issue 11 asks for: the
share of the expected quotes proposed (character for character, at the same
place), the share of expected events whose proposal has the right date (an event's proposal
is the one holding most of its quotes; on a tie the most specific, holding
fewest quotes in all), whether
every date the text states relative to the source's date is right, and the
number of proposals per expected event. Used by ``benchmarks/drafting.py`` and
held at a floor by ``timeline/tests/test_drafting.py``. Pure: no database.

An expected event is a dict: ``slug``, ``start`` (a date, or None when the text
gives none: a proposal dating it then invents a date), ``end`` (or None),
``precision``, ``relative`` (the text states it relative to the source's date)
and ``quotes`` (the passages' texts, each found in ``text``).
"""

import datetime
from dataclasses import dataclass, field


@dataclass
class Score:
    expected_events: int
    proposals: int
    quotes_expected: int
    quotes_proposed: int
    speakers_right: int  # of the quotes proposed, those with the expected speaker
    dates_right: int
    relative_expected: int
    relative_right: int
    wrong: list[str] = field(default_factory=list)  # what went wrong, for the report

    @property
    def quote_share(self) -> float:
        return self.quotes_proposed / self.quotes_expected if self.quotes_expected else 1.0

    @property
    def date_share(self) -> float:
        return self.dates_right / self.expected_events if self.expected_events else 1.0

    @property
    def proposals_per_event(self) -> float:
        return self.proposals / self.expected_events if self.expected_events else 0.0


def _truncated(value: datetime.date, precision: str) -> tuple:
    if precision == "year":
        return (value.year,)
    if precision == "month":
        return (value.year, value.month)
    return (value.year, value.month, value.day)


def date_right(proposal, event: dict) -> bool:
    """Right when the proposal has the event's date to the event's precision,
    claims no finer precision, and has its end; or, for an event the text does
    not date, when the proposal gives no date either."""
    if event["start"] is None:
        return proposal.start is None
    if proposal.start is None or proposal.precision != event["precision"]:
        return False
    if _truncated(proposal.start, event["precision"]) != _truncated(
        event["start"], event["precision"]
    ):
        return False
    return proposal.end == event.get("end")


def score(text: str, proposals: list, expected: list[dict]) -> Score:
    proposed = {}
    for proposal in proposals:
        for quote in proposal.quotes:
            proposed.setdefault((quote.start, quote.end), []).append((proposal, quote))
    result = Score(len(expected), len(proposals), 0, 0, 0, 0, 0, 0)
    for event in expected:
        holders = []
        for passage in event["quotes"]:
            words = passage["text"]
            result.quotes_expected += 1
            start = text.find(words)
            found = proposed.get((start, start + len(words))) if start != -1 else None
            if not found:
                result.wrong.append(
                    f"{event['slug']}: quote not proposed: \u201c{words[:60]}\u201d"
                )
                continue
            result.quotes_proposed += 1
            holders.extend(proposal for proposal, _ in found)
            speaker = found[0][1].speaker.slug if found[0][1].speaker else None
            if speaker == passage.get("speaker"):
                result.speakers_right += 1
        match = _best(holders)
        right = match is not None and date_right(match, event)
        result.dates_right += right
        if event.get("relative"):
            result.relative_expected += 1
            result.relative_right += right
        if not right:
            got = (
                "no proposal"
                if match is None
                else (f"{match.key} says {match.start} ({match.precision}) to {match.end}")
            )
            result.wrong.append(
                f"{event['slug']}: expected {event['start']} ({event['precision']}) "
                f"to {event.get('end')}; {got}"
            )
    return result


def _best(holders: list):
    """The proposal holding most of an event's quotes; on a tie, the one that
    holds fewest quotes in all (the most specific), then the first."""
    if not holders:
        return None
    counts = {}
    for proposal in holders:
        counts[id(proposal)] = counts.get(id(proposal), 0) + 1
    return min(holders, key=lambda p: (-counts[id(p)], len(p.quotes)))


def expected_from_document(document: dict) -> list[dict]:
    """The expected events of an import document (the seed's format): dates as
    dates, relative when the date is stated (not inferred) — in the seed, every
    stated date is relative ("today (Wed)", "on Monday night", "on Saturday")."""
    events = []
    for record in document["events"]:
        events.append(
            {
                "slug": record["slug"],
                "start": datetime.date.fromisoformat(record["start"]),
                "end": datetime.date.fromisoformat(record["end"]) if record.get("end") else None,
                "precision": record["precision"],
                "relative": not record["date_inferred"],
                "quotes": [{"text": q["text"], "speaker": q["speaker"]} for q in record["quotes"]],
            }
        )
    return events


def expected_from_test_article(document: dict) -> list[dict]:
    """The expected events of a hand-made list (fixtures/test-articles/*-expected.json)."""
    return [
        {
            **record,
            "start": datetime.date.fromisoformat(record["start"]) if record["start"] else None,
            "end": datetime.date.fromisoformat(record["end"]) if record.get("end") else None,
        }
        for record in document["events"]
    ]

"""When each proposed event happened, and how the text says so.

``place(groups, text, base, notes, finder)`` dates every proposal, in this
order of trust:

1. its own words: a date expression in the sentence that reports it
   ("on Monday night", "today (Wed)"), with "for 30 days" giving the end;
2. the present tense ("is yet to comment", "have been leading efforts"): as of
   the source's date;
3. for the event the text is about, the source's notes, when they say when it
   took place ("the Trump–Putin call … took place on Tuesday 18 March 2025");
4. a tie the text makes to an event already dated: "during the call" (that
   day), "following the call" (between that day and the source's), "ahead of
   the call" or "since" (some time before it); the same parties telling, in the
   past tense, more of what they did ("the Russian tyrant rejected…", "the pair
   also discussed…"); a speaker whose statement is already dated;
5. otherwise no date: the proposal says the text gives none.

Every tie is marked ``date_inferred`` and its basis names the words that make
it. ``date_text`` is always the exact words at ``date_start``:``date_end``, or
empty with no offsets when the date comes from outside the sentence (the
notes, or the parties). Pure: no database.
"""

import re

from timeline.drafting.dates import (
    DAY,
    MONTH,
    YEAR,
    add_duration,
    find_dates,
    find_durations,
    format_day,
)
from timeline.drafting.events import CONVERSATIONS, REFERENCE, Group, _people

PRESENT_STATE = re.compile(
    r"\b(?:is|are|has|have) yet to\b|\b(?:has|have) not yet\b|\b(?:has|have) been \w+ing\b|"
    r"\bremains? under way\b",
    re.IGNORECASE,
)
ONGOING = re.compile(r"\b(?:has|have) been \w+ing\b", re.IGNORECASE)
TOOK_PLACE = re.compile(r"\b(?:took place|was held|were held|happened|was made|came)\b")
EVENT_NOUN = re.compile(
    r"\b(call|meeting|talks|conversation|summit|visit|swap|exchange)\b", re.IGNORECASE
)
PAST_VERB = re.compile(
    r"\b(?:\w+ed|said|told|spoke|met|held|gave|made|took|saw|rejected|agreed|assured|discussed)\b"
)
SINCE = re.compile(r"\bsince\b")
SAID_DURING = re.compile(r"\b(?:said|told|stressed|added|insisted)\s+during\b", re.IGNORECASE)


def place(groups: list[Group], text: str, base, notes: str, finder) -> None:
    ordered = sorted(groups, key=lambda g: g.units[0].start)
    main = next((g for g in ordered if g.kind in CONVERSATIONS and len(_people(g)) >= 2), None)
    if main is not None:
        main.main = True
    anchors = _notes_anchors(notes, base, finder)
    origin: dict[int, str] = {}  # id(group) -> how its date was found, for ties to it
    # Pass 1: the proposal's own words, the present tense, the notes.
    for group in ordered:
        if _own(group, text, base, origin) or _present(group, base, origin):
            continue
        if group is main:
            _from_notes(group, anchors, origin)
    # Pass 2: ties to what is dated; twice, so a tie to a tie holds.
    for _ in range(2):
        for group in ordered:
            if group.proposal.start is None and id(group) not in origin:
                _tied(group, ordered, main, text, base, origin)
    for group in ordered:
        if group.proposal.start is not None and group.proposal.end is None:
            _duration(group, text)
        if group.proposal.start is None and not group.proposal.date_basis:
            group.proposal.date_basis = (
                "The text gives no date for this and ties it to no dated event: "
                "the date must be supplied."
            )
            group.proposal.precision = DAY


def _creating(group):
    return [u for u in group.units if u.creates] or group.units[:1]


def _own(group, text, base, origin) -> bool:
    for unit in _creating(group):
        if not unit.dates:
            continue
        mention = unit.dates[0]
        proposal = group.proposal
        proposal.start, proposal.precision = mention.date, mention.precision
        proposal.date_text, proposal.date_start, proposal.date_end = (
            mention.text, mention.start, mention.end,
        )  # fmt: skip
        proposal.date_basis = mention.basis
        proposal.earliest, proposal.latest = mention.earliest, mention.latest
        proposal.date_inferred = False
        origin[id(group)] = (
            f"dated by the text (\u201c{mention.text}\u201d, {format_day(mention.date)})"
        )
        _duration(group, text)
        return True
    return False


def _duration(group, text) -> None:
    proposal = group.proposal
    if proposal.start is None:
        return
    for unit in _creating(group):
        for start, end, count, unit_name in find_durations(text[unit.start : unit.end]):
            words = text[unit.start + start : unit.start + end]
            proposal.end = add_duration(proposal.start, count, unit_name)
            proposal.date_basis += (
                f" It lasts \u201c{words}\u201d, so it ends on {format_day(proposal.end)} "
                "(worked out, not stated)."
            )
            return


def _present(group, base, origin) -> bool:
    if base is None:
        return False
    for unit in _creating(group):
        match = PRESENT_STATE.search(unit.narrative)
        if not match:
            continue
        proposal = group.proposal
        proposal.start = base
        proposal.date_inferred = True
        if ONGOING.search(unit.narrative):
            proposal.precision, proposal.latest = MONTH, base
            proposal.date_basis = (
                f"The text says it \u201c{match[0]}\u201d: under way when the source was written "
                f"({format_day(base)}); when it began is not stated, so only some time before "
                f"{format_day(base)}."
            )
        else:
            proposal.precision = DAY
            proposal.date_basis = (
                f"The text says \u201c{match[0]}\u201d: the state of things when the source was "
                f"written, {format_day(base)}."
            )
        origin[id(group)] = f"as of the source's date, {format_day(base)}"
        return True
    return False


def _notes_anchors(notes: str, base, finder) -> list[tuple]:
    """(noun, people, date, words) for each "… call … took place on <date>" in the notes."""
    anchors = []
    if not notes:
        return anchors
    for mention in find_dates(notes, base):
        if mention.relative or mention.precision != DAY:
            continue
        clause_start = max(notes.rfind(mark, 0, mention.start) for mark in ".;:,(\n") + 1
        clause = notes[clause_start : mention.start]
        noun = EVENT_NOUN.search(clause)
        if noun is None or not TOOK_PLACE.search(clause):
            continue
        people = frozenset(
            m.slug for m in finder.mentions(notes, clause_start, mention.start)
            if m.slug and m.kind == "person"
        )  # fmt: skip
        words = re.sub(r"^(?:and|but|so|while)\s+", "", notes[clause_start : mention.end].strip())
        anchors.append((noun[1].lower(), people, mention.date, words))
    return anchors


def _from_notes(group, anchors, origin) -> bool:
    people = _people(group)
    for noun, anchor_people, date, words in anchors:
        if anchor_people and not anchor_people <= people:
            continue
        if (noun in ("call", "conversation")) != (group.kind == "call"):
            continue  # the notes date a call; this is a meeting, or the other way round
        proposal = group.proposal
        proposal.start, proposal.precision, proposal.date_inferred = date, DAY, True
        proposal.date_basis = (
            f"The text does not date it; the source's notes say \u201c{words}\u201d: "
            f"{format_day(date)}."
        )
        origin[id(group)] = f"dated by the source's notes to {format_day(date)}"
        return True
    return False


def _tied(group, ordered, main, text, base, origin) -> None:
    proposal = group.proposal
    for unit in _creating(group):
        for span_start, span_end in unit.words:
            for match in REFERENCE.finditer(text, span_start, span_end):
                relation = (match["relation"] or "").lower()
                noun = match["noun"].lower()
                if noun not in ("call", "phone call", "talks", "conversation", "meeting", "summit"):
                    continue
                # "…their first since Ukraine agreed": the word, after the
                # reference ("insincere" has its letters, and says nothing of when).
                after = unit.narrative[unit.narrative.find(match[0]) :]
                if not relation and not SINCE.search(after):
                    continue
                referent = _referent(group, ordered, main, unit.start)
                if referent is None or id(referent) not in origin:
                    continue
                if not relation:
                    relation = "since"
                _set_tie(group, referent, relation, match, base, origin, unit)
                return
    # The same parties telling more of what they did, in the past tense.
    if main is not None and group is not main and id(main) in origin:
        principals = {slug for slug in group.principals}
        people = _people(main)
        if principals and principals <= people | {None}:
            unit = _creating(group)[0]
            if PAST_VERB.search(unit.narrative):
                _copy(group, main)
                names = sorted({a[1] for a in unit.actors if a[0] in principals})
                who = (
                    f"{names[0]}, a party"
                    if len(names) == 1
                    else f"{', '.join(names[:-1])} and {names[-1]}, the parties"
                )
                proposal.date_basis = (
                    f"The text gives this no date of its own. It is told, in the past tense, of "
                    f"{who} to the {main.kind} the text is about, as part of its account; placed "
                    f"on the day of that {main.kind}, {origin[id(main)]}. Check: the text does "
                    "not say so in as many words."
                )
                origin[id(group)] = origin[id(main)]
                return
    # A speaker whose statement is already dated ("The White House confirmed…").
    for other in ordered:
        if other is group or id(other) not in origin or other.kind != "statement":
            continue
        if group.principals and group.principals <= other.principals:
            _copy(group, other)
            speaker = other.proposal.actors[0].name if other.proposal.actors else "the speaker"
            proposal.date_basis = (
                f"The text gives this no date of its own; it comes from the same speaker "
                f"({speaker}) as the statement dated {_describe(other)}, and is placed with it."
            )
            origin[id(group)] = origin[id(other)]
            return


def _referent(group, ordered, main, offset):
    """The conversation "the call" means: the last one told before ``offset``."""
    before = [
        g for g in ordered
        if g is not group and g.kind in CONVERSATIONS and g.units[0].start < offset
    ]  # fmt: skip
    return before[-1] if before else main


def _copy(group, other) -> None:
    proposal, source = group.proposal, other.proposal
    proposal.start, proposal.precision = source.start, source.precision
    proposal.earliest, proposal.latest = source.earliest, source.latest
    proposal.date_inferred = True


def _describe(group) -> str:
    proposal = group.proposal
    if proposal.earliest and proposal.latest and proposal.earliest != proposal.latest:
        return f"between {format_day(proposal.earliest)} and {format_day(proposal.latest)}"
    return format_day(proposal.start)


def _set_tie(group, referent, relation, match, base, origin, unit) -> None:
    proposal = group.proposal
    date = referent.proposal.start
    words = match[0]
    proposal.date_text, proposal.date_start, proposal.date_end = words, match.start(), match.end()
    proposal.date_inferred = True
    told = f"the {referent.kind} {origin[id(referent)]}"
    if relation in ("during", "in", "at", "on") or SAID_DURING.search(unit.narrative):
        proposal.start, proposal.precision = date, DAY
        proposal.date_basis = f"The text says \u201c{words}\u201d: the day of {told}."
    elif relation in ("following", "after"):
        proposal.start, proposal.precision = date, DAY
        proposal.earliest, proposal.latest = date, max(base or date, date)
        proposal.date_basis = (
            f"The text says \u201c{words}\u201d: after {told}, and before the source was "
            f"written ({format_day(base) if base else 'date unknown'}); placed on the day of "
            f"the {referent.kind}."
        )
    elif group.kind == "statement":
        proposal.start, proposal.precision = date, DAY
        proposal.earliest, proposal.latest = date, max(base or date, date)
        proposal.date_basis = (
            f"The text says \u201c{words}\u201d: a statement about {told}, made between that "
            "day and the source's date; placed on the day of the "
            f"{referent.kind}."
        )
    else:  # before, ahead of, since
        proposal.start, proposal.precision, proposal.latest = date, YEAR, date
        proposal.date_basis = (
            f"The text gives no date; it says \u201c{words}\u201d and \u201csince\u201d, so "
            f"some time before {told}. Only that upper bound is known."
            if relation == "since"
            else f"The text gives no date; it says \u201c{words}\u201d, so some time before "
            f"{told}. Only that upper bound is known."
        )
    origin[id(group)] = f"tied by \u201c{words}\u201d to {told}"
    if (
        group.kind == "statement"
        and relation in ("during", "in", "at", "on")
        and not SAID_DURING.search(unit.narrative)
    ):
        # "said in a statement that … during the phone call": said afterwards.
        proposal.earliest, proposal.latest = date, max(base or date, date)
        proposal.date_basis = (
            f"The text says the statement describes what happened \u201c{words}\u201d, "
            f"{told}; the statement came between that day and the source's date, and is "
            "placed on the day of the call."
        )

"""Sentences grouped into candidate events: kind, status, title, summary,
actors and the quotes that back each.

``propose(text, base, actors, notes)`` reads a source's text and returns the
proposals, dated by ``timing.place``. A sentence that reports something (an
agreement, a call, a statement, a pledge…: a *trigger*) with someone doing it
starts a proposal, unless it tells more of one already started (the same call
between the same people, the same speaker's statement, the same refusal by
the same actor); any other sentence backs the proposal it shares most with.
Quoted speech goes with the sentence that introduces it; a quoted sentence
with a date of its own ("…that took place on Saturday") is an event of its
own. Pure: no database.
"""

import bisect
import datetime
import re
from dataclasses import dataclass, field

from timeline.drafting import quotes as quoting
from timeline.drafting.actors import ActorFinder, KnownActor
from timeline.drafting.dates import DateMention, find_dates
from timeline.drafting.proposals import Proposal, ProposedActor, ProposedQuote
from timeline.drafting.sentences import split_sentences

# What a sentence reports, most specific first. A kind's words found inside a
# reference to an event already told ("during the call", "on the agreement")
# do not count.
KIND_PATTERNS = [
    ("prisoner_exchange", r"\bprisoner (?:swap|exchange)s?\b|\bexchange of prisoners\b|\bswap\b"),
    ("call", r"\b(?:phone call|call|called|phoned|spoke (?:to|with|by phone))\b"),
    ("meeting", r"\b(?:met|meet|meets|meeting|summit|talks|visited)\b"),
    (
        "agreement",
        r"\b(?:agreed|agrees|agreement|(?:struck|reached|signed) a deal|signed|signs|"
        r"accord|treaty)\b",
    ),  # fmt: skip
    (
        "pledge",
        r"\b(?:pledged|pledges|promised|promises|vowed|vows|assured|assures|"
        r"would hand over|will hand over|committed)\b",
    ),  # fmt: skip
    ("negotiation", r"\b(?:negotiations?|negotiated?|negotiating)\b"),
    ("discussion", r"\b(?:discussed|discusses|spoke about|talked about|discussion)\b"),
    (
        "proposal",
        r"\b(?:rejected|rejects|proposal|proposed|proposes|leading efforts|offered|"
        r"suggested|would not agree|refused|refuses)\b",
    ),  # fmt: skip
    ("statement", rf"\b(?:{quoting.SPEECH_VERBS})\b"),
    ("statement", r"\b(?:statement|readout)\b"),
    (
        "other",
        r"\b(?:yet to comment|declined to comment|has not commented|have not commented|"
        r"take place|took place|takes place|be held|was held|were held|withdraw|withdrew|"
        r"withdrawn|began|begun|started|broke out|erupted)\b",
    ),  # fmt: skip
]
KIND_RES = [(kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in KIND_PATTERNS]
CONVERSATIONS = {"call", "meeting"}
# Concrete events a sentence may report with no one named doing them.
STANDALONE_KINDS = {"prisoner_exchange", "call", "meeting"}
# "the call", "during the talks": an event already told, referred to.
REFERENCE = re.compile(
    r"\b(?:(?P<relation>during|following|after|ahead of|before|since|in|on|at)\s+)?"
    r"(?<!\bof\s)(?P<article>the|their|this|that)\s+"
    r"(?:(?!(?:after|before|during|following|since|of|in|on|with|and)\b)[\w-]+\s+){0,2}?"
    r"(?P<noun>phone call|call|talks|conversation|meeting|summit|agreement|deal|statement|readout)\b",
    re.IGNORECASE,
)
STATUS_PATTERNS = [
    (
        "rejected",
        r"\b(?:rejected|rejects|refused|refuses|would not agree|will not agree|"
        r"won't agree|turned down|declined to (?!comment))\b",
    ),  # fmt: skip
    ("agreed", r"\b(?:agreed|agrees|signed|accepted)\b"),
    (
        "planned",
        r"\b(?:will|would hand|to happen|is to|are to|set to|due to|plans? to|"
        r"scheduled|expected to|is planned|are planned)\b",
    ),  # fmt: skip
    (
        "proposed",
        r"\b(?:proposed|proposes|could|suggested|leading efforts|offered|might|"
        r"proposal)\b",
    ),  # fmt: skip
]
STATUS_RES = [(status, re.compile(pattern, re.IGNORECASE)) for status, pattern in STATUS_PATTERNS]
# Who is meant by "the statement added", "the readout said", "he said": the
# speaker of the quotation before.
BACK_REFERENCE = re.compile(
    r"\b(?:the|a|its|his|her|their)\s+(?:statement|readout|spokesman|spokeswoman|spokesperson|"
    r"release|communiqu\u00e9|communique)\s*$|^\s*(?:he|she|it|they)\s*$",
    re.IGNORECASE,
)
STOPWORDS = set(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "from",
        "as",
        "that",
        "this",
        "these",
        "those",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "will",
        "would",
        "could",
        "should",
        "not",
        "no",
        "it",
        "its",
        "he",
        "she",
        "they",
        "their",
        "his",
        "her",
        "also",
        "which",
        "who",
        "said",
        "says",
        "after",
        "before",
        "about",
        "into",
        "than",
        "then",
        "there",
        "what",
        "when",
        "where",
        "while",
        "both",
        "all",
        "any",
        "each",
        "two",
        "one",
        "first",
        "next",
    ]
)


@dataclass
class Unit:
    """A sentence, or a quoted sentence with its own date: what a proposal is built of."""

    start: int
    end: int
    words: list[tuple[int, int]]  # the spans read for kind, status, actors and dates
    quote_only: bool = False  # a quoted sentence, or a sentence that opens with a quotation
    creates: bool = False  # reports something of its own (a trigger with a doer)
    kind: str = ""
    trigger_at: int | None = None
    status: str = "occurred"
    actors: list = field(default_factory=list)  # (slug, name, kind, offset)
    dates: list[DateMention] = field(default_factory=list)
    quotes: list[ProposedQuote] = field(default_factory=list)
    new_names: list = field(default_factory=list)
    follows: int | None = None  # index of the unit whose proposal this one joins
    speaker: str | None = None  # slug of the speaker, when the unit is speech
    narrative: str = ""  # the words of ``words``, joined
    continues_quotation: bool = False  # a later paragraph or sentence of a quotation


@dataclass
class Group:
    """A proposal being built: its units, then its dates (timing.place)."""

    units: list[Unit]
    kind: str
    status: str
    principals: frozenset
    proposal: Proposal | None = None
    main: bool = False  # the event the text is about (its first conversation)


def propose(
    text: str, base: datetime.date | None, actors: list[KnownActor], notes: str = ""
) -> list[Proposal]:
    from timeline.drafting import timing

    finder = ActorFinder(actors)
    units = _units(text, base, finder)
    groups = _groups(units)
    for group in groups:
        group.proposal = _build(group, text)
    timing.place(groups, text, base, notes, finder)
    proposals = []
    for number, group in enumerate(sorted(groups, key=lambda g: g.units[0].start), start=1):
        group.proposal.key = f"p{number}"
        proposals.append(group.proposal)
    return proposals


# Units ---------------------------------------------------------------------


def _units(text: str, base, finder: ActorFinder) -> list[Unit]:
    sentences = split_sentences(text)
    quotations = quoting.find_quotations(text)
    mentions = find_dates(text, base)
    actor_mentions = finder.mentions(text)
    pair: tuple = ()
    speakers: dict[int, tuple | None] = {}  # quotation index -> (slug, name, kind) or None
    units: list[Unit] = []
    previous_speaker = None
    previous_quotation_end = None
    for index, quotation in enumerate(quotations):
        sentence = _containing(sentences, quotation.open_at)
        last = _containing(sentences, quotation.end - 1) or sentence
        found = quoting.attribution(text, quotation, sentence.start, last.end)
        speaker = None
        if found is not None:
            words = text[found.start : found.end]
            if BACK_REFERENCE.search(words):
                speaker = previous_speaker
            else:
                named = [m for m in finder.mentions(text, found.start, found.end) if m.slug]
                if named:
                    speaker = (named[-1].slug, named[-1].name, named[-1].kind)
                else:
                    new = finder.new_names(text, found.start, found.end)
                    if new:
                        speaker = (None, new[-1].name, new[-1].kind)
        elif previous_quotation_end is not None and _adjacent(text, previous_quotation_end,
                                                                 quotation.open_at):  # fmt: skip
            speaker = previous_speaker  # the readout goes on in the next paragraph
        speakers[index] = speaker
        previous_speaker = speaker
        previous_quotation_end = quotation.end

    for sentence in sentences:
        inside = [
            (i, q)
            for i, q in enumerate(quotations)
            if q.open_at < sentence.end and q.end > sentence.start
        ]
        words = _outside(sentence.start, sentence.end, [q for _, q in inside], text)
        opens_with_quote = text[sentence.start] in '\u201c"'
        unit = Unit(sentence.start, sentence.end, words, quote_only=opens_with_quote or not words)
        unit.narrative = (
            " ".join(text[s:e] for s, e in words) or text[sentence.start : sentence.end]
        )
        unit.continues_quotation = bool(inside) and not any(
            sentence.start <= q.open_at < sentence.end for _, q in inside
        )
        if opens_with_quote and inside:
            # A quotation is matched to a proposal by all it says.
            first = inside[0][1]
            unit.narrative += " " + " ".join(text[s:e] for s, e in first.segments)
        in_words = [
            m for m in _starting_in(actor_mentions, sentence) if _within(m.start, m.end, words)
        ]
        unit.actors, pair = _resolve_actors(in_words, pair, text)
        unit.dates = [d for d in _starting_in(mentions, sentence) if _within(d.start, d.end, words)]
        unit.new_names = [n for s, e in words for n in finder.new_names(text, s, e)]
        unit.speaker = next((speakers[i][0] for i, _q in inside if speakers[i]), None)
        _classify(unit, text)
        units.append(unit)
        clauses = _dated_clauses(unit, text, actor_mentions, pair)
        # The narrative sentence as a quote: whole when it is not mostly a
        # quotation introduced by "said:", else its opening clause when that
        # carries a date ("Following a call … on Monday night").
        balanced = all(
            sentence.start <= q.open_at and (q.close_at or 0) < sentence.end for _, q in inside
        )
        colon_intro = any(
            text[sentence.start : q.open_at].rstrip().endswith(":") for _, q in inside
        )
        if words and not opens_with_quote and balanced and not colon_intro:
            unit.quotes.append(_quote(text, sentence.start, sentence.end, None))
        for i, quotation in inside:
            speaker = speakers[i]
            found = quoting.attribution(text, quotation, sentence.start, sentence.end)
            if found is not None and not found.after:
                lead = quoting.clause_before(text, sentence.start, found.start)
                if lead and any(lead[0] <= d.start and d.end <= lead[1] for d in mentions):
                    unit.quotes.append(_quote(text, *lead, None))
            tail = quoting.clause_after(text, quotation, sentence.end)
            if tail:
                unit.quotes.append(_quote(text, *tail, None))
            for start, end in quoting.quote_pieces(text, quotation):
                if not (sentence.start <= start and end <= sentence.end):
                    continue
                if speaker is None and len(text[start:end].split()) < 4:
                    continue  # a phrase in quote marks, no one's words
                quote = _quote(text, start, end, speaker)
                own_dates = [d for d in mentions if start <= d.start and d.end <= end]
                piece = Unit(start, end, [(start, end)], quote_only=True, narrative=text[start:end])
                piece.dates = own_dates
                piece_mentions = [m for m in actor_mentions if start <= m.start and m.end <= end]
                piece.actors, _ = _resolve_actors(piece_mentions, pair, text)
                _classify(piece, text)
                if own_dates and piece.kind:
                    # A quoted sentence that dates something of its own.
                    piece.creates = True
                    piece.quotes.append(quote)
                    piece.speaker = speaker[0] if speaker else None
                    if speaker:
                        piece.actors.append((*speaker, start, False))
                    piece.follows = len(units) - 1
                    units.append(piece)
                else:
                    unit.quotes.append(quote)
        for i, _q in inside:
            if speakers[i] and speakers[i][0] not in {a[0] for a in unit.actors}:
                unit.actors.append((*speakers[i], _q.open_at, False))
        for clause in clauses:
            clause.quotes.extend(
                q for q in unit.quotes[:1] if (q.start, q.end) == (unit.start, unit.end)
            )
        units.extend(clauses)
    return units


_CLAUSE_START = re.compile(r",\s+|\b(?:that|which|who)\s+")


def _dated_clauses(unit: Unit, text: str, actor_mentions, pair) -> list[Unit]:
    """A sentence that dates two things ("signed … yesterday, ending a quarrel
    that began three years ago") reports each: the clause around each later
    date is a unit of its own, with that date."""
    clauses = []
    for previous, mention in zip(unit.dates, unit.dates[1:], strict=False):
        boundaries = list(_CLAUSE_START.finditer(text, previous.end, mention.start))
        if not boundaries:
            continue
        start = boundaries[0].end() if boundaries[0][0].startswith(",") else boundaries[0].start()
        end = unit.end
        while end > start and text[end - 1] in ".!?":
            end -= 1
        clause = Unit(start, end, [(start, end)], narrative=text[start:end])
        clause.dates = [mention]
        in_clause = [m for m in actor_mentions if start <= m.start and m.end <= end]
        clause.actors, _ = _resolve_actors(in_clause, pair, text)
        _classify(clause, text)
        if not clause.kind:
            continue
        clause.creates = True
        clause.quotes = [_quote(text, start, end, None)]
        clauses.append(clause)
    if clauses:
        unit.dates = unit.dates[:1]
    return clauses


def _adjacent(text: str, end: int, start: int) -> bool:
    between = text[end:start]
    return (
        "\n" in between
        and len(between.strip(' \n\u201d\u201c".,')) == 0
        or (between.count("\n") == 1 and len(between.split("\n", 1)[1].strip()) <= 1)
    )


def _containing(sentences, offset):
    for sentence in sentences:
        if sentence.start <= offset < sentence.end:
            return sentence
    return None


def _outside(start: int, end: int, quotations, text: str) -> list[tuple[int, int]]:
    """The parts of text[start:end] outside the quotations (the narrator's words)."""
    spans = [(start, end)]
    for quotation in quotations:
        cut_start = quotation.open_at
        cut_end = (quotation.close_at + 1) if quotation.close_at is not None else quotation.end
        pieces = []
        for s, e in spans:
            if cut_end <= s or cut_start >= e:
                pieces.append((s, e))
                continue
            if s < cut_start:
                pieces.append((s, cut_start))
            if cut_end < e:
                pieces.append((cut_end, e))
        spans = pieces
    return [(s, e) for s, e in spans if text[s:e].strip(' \u201c\u201d".,:;')]


def _starting_in(found, sentence) -> list:
    """The items of ``found`` (in order of their start) that start in ``sentence``:
    found by bisection, so a long text's sentences do not each read them all."""
    low = bisect.bisect_left(found, sentence.start, key=lambda item: item.start)
    high = bisect.bisect_left(found, sentence.end, lo=low, key=lambda item: item.start)
    return found[low:high]


def _within(start: int, end: int, spans) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _resolve_actors(mentions, pair, text):
    """Mentions as (slug, name, kind, offset, after a preposition), "the two
    Presidents" as the pair last named together; and the pair after this sentence."""
    resolved = []
    for mention in mentions:
        after_preposition = bool(
            _PREPOSITION_BEFORE.search(text, max(0, mention.start - 12), mention.start)
        )
        if mention.slug is None:
            resolved.extend(
                (slug, name, kind, mention.start, after_preposition) for slug, name, kind in pair
            )
        else:
            resolved.append(
                (mention.slug, mention.name, mention.kind, mention.start, after_preposition)
            )
    people = []
    for slug, name, kind, *_ in resolved:
        if kind == "person" and slug not in {p[0] for p in people}:
            people.append((slug, name, kind))
    if len(people) >= 2:
        pair = tuple(people[:2])
    return resolved, pair


def _classify(unit: Unit, text: str) -> None:
    """Kind, status and whether the unit reports something of its own."""
    spans = unit.words
    references = [m.span() for s, e in spans for m in REFERENCE.finditer(text, s, e)]
    best = None
    for priority, (kind, pattern) in enumerate(KIND_RES):
        for s, e in spans:
            for match in pattern.finditer(text, s, e):
                if any(rs <= match.start() and match.end() <= re_ for rs, re_ in references):
                    continue
                if best is None or priority < best[0]:
                    best = (priority, kind, match.start())
                break
    status = "occurred"
    narrative = " ".join(text[s:e] for s, e in spans)
    for candidate, pattern in STATUS_RES:
        if pattern.search(narrative):
            status = candidate
            break
    if best is None:
        unit.kind, unit.status = "", status
        return
    _, kind, at = best
    if status == "rejected":
        kind = "proposal"
    if kind in CONVERSATIONS and status in ("agreed", "proposed"):
        status = "occurred"
    if kind == "discussion" and status == "planned":
        status = "occurred"
    unit.kind, unit.trigger_at, unit.status = kind, at, status
    doers = [a for a in unit.actors if a[3] < at] or [a for a in unit.actors if a[2] == "person"]
    if kind == "statement" and unit.speaker:
        doers.append(unit.speaker)
    unit.creates = bool(doers) or kind in STANDALONE_KINDS or bool(unit.new_names)
    if unit.quote_only and not unit.dates:
        unit.creates = False
    # A heading or a dateline (no full stop) introduces; it reports nothing.
    if not re.search(r"[.!?][\u201d\u2019\"')]*\s*$", text[unit.start : unit.end]):
        unit.creates = False


def _quote(text: str, start: int, end: int, speaker) -> ProposedQuote:
    actor = None
    if speaker is not None:
        actor = ProposedActor(name=speaker[1], role="principal", slug=speaker[0], kind=speaker[2])
    return ProposedQuote(text=text[start:end], start=start, end=end, speaker=actor)


# Groups --------------------------------------------------------------------


_PREPOSITION_BEFORE = re.compile(
    r"\b(?:in|on|at|to|from|for|of|against|with|over|into|across|about|between)\s+$",
    re.IGNORECASE,
)


def _principals(unit: Unit) -> frozenset:
    """Who does what the unit reports: a statement's speaker; else those named
    before its verb, not as a place ("a ceasefire in Ukraine")."""
    if unit.kind == "statement" and unit.speaker:
        return frozenset({unit.speaker})
    at = unit.trigger_at if unit.trigger_at is not None else unit.end
    before = {a[0] for a in unit.actors if a[3] < at and not a[4]}
    return frozenset(before or {a[0] for a in unit.actors if a[2] == "person"})


def _people(unit_or_group) -> frozenset:
    units = unit_or_group.units if isinstance(unit_or_group, Group) else [unit_or_group]
    return frozenset(a[0] for unit in units for a in unit.actors if a[2] == "person")


def _own_day(units) -> datetime.date | None:
    for unit in units:
        if unit.dates:
            return unit.dates[0].date
    return None


def _groups(units: list[Unit]) -> list[Group]:
    groups: list[Group] = []
    owner: dict[int, Group] = {}
    for index, unit in enumerate(units):
        if not unit.creates:
            continue
        group = _merge_target(unit, groups, owner, units, index)
        if group is None:
            group = Group([unit], unit.kind, unit.status, _principals(unit))
            groups.append(group)
        else:
            group.units.append(unit)
            if group.kind == "meeting" and unit.kind == "call":
                group.kind = "call"  # "talks", then "a 90-minute call": a call
        owner[index] = group
    # Everything else backs the proposal it shares most with; a sentence that
    # shares nothing with any (a heading, a dateline) backs none.
    # Read once, looked up by identity: list.index would compare whole
    # sentences field by field, and each is scored against every proposal.
    positions = {id(unit): index for index, unit in enumerate(units)}
    words = {id(unit): _content_words(unit.narrative) for unit in units}
    for index, unit in enumerate(units):
        if index in owner:
            continue
        if not groups:
            break
        group = _attach_target(unit, index, positions, words, groups, owner)
        if group is not None:
            group.units.append(unit)
            owner[index] = group
    for group in groups:
        group.units.sort(key=lambda u: u.start)
    return groups


def _merge_target(unit, groups, owner, units, index):
    day = _own_day([unit])
    for group in reversed(groups):
        other_day = _own_day([u for u in group.units if u.creates])
        if day and other_day and day != other_day:
            continue
        people = _people(unit)
        if unit.kind in CONVERSATIONS and group.kind in CONVERSATIONS:
            if len(people) >= 2 and people == _people(group):
                return group
            continue
        if (
            unit.kind == group.kind
            and unit.kind in ("statement", "proposal")
            and unit.status == group.status
            and group.principals
            and _principals(unit) == group.principals
        ):
            return group
        # "The Prime Minister told Mr Trump…" right after their call: the call.
        previous = owner.get(index - 1)
        if (
            previous is group
            and unit.kind == "statement"
            and group.kind in CONVERSATIONS
            and len(people) >= 2
            and people <= _people(group)
        ):
            return group
    return None


_SUFFIX = re.compile(r"(?:ments?|ings?|ed|es|s)$")


def _content_words(text: str) -> set[str]:
    """The words that carry meaning, cut to a rough stem ("agreement",
    "agreed" and "agreeing" all read "agre")."""
    words = re.findall(r"[a-z][a-z-]+", text.lower())
    return {_SUFFIX.sub("", w).rstrip("e")[:7] for w in words if w not in STOPWORDS and len(w) > 2}


def _attach_target(unit, index, positions, words, groups, owner):
    """The group a sentence with nothing of its own backs: a quotation's next
    paragraphs go with its first; anything else with the proposal it shares
    most words and actors with (a quotation is read whole), the nearest on a tie."""
    if unit.follows is not None and unit.follows in owner:
        return owner[unit.follows]
    if unit.continues_quotation and index > 0 and (index - 1) in owner:
        return owner[index - 1]
    best = max(groups, key=lambda g: _score(unit, g, index, positions, words))
    return best if _score(unit, best, index, positions, words)[0] > 0 else None


def _score(unit, group, index, positions, words):
    mine = words[id(unit)]
    theirs = set()
    for other in group.units:
        theirs |= words[id(other)]
    actors = {a[0] for a in unit.actors} & {a[0] for u in group.units for a in u.actors}
    distance = min(abs(positions[id(u)] - index) for u in group.units)
    return (len(mine & theirs) + len(actors), -distance)


# Proposals -----------------------------------------------------------------

ROLE_ORDER = {"principal": 0, "participant": 1, "mentioned": 2}


def _build(group: Group, text: str) -> Proposal:
    creating = [u for u in group.units if u.creates] or group.units[:1]
    first = creating[0]
    quotes = {}
    for unit in group.units:
        for quote in unit.quotes:
            quotes.setdefault((quote.start, quote.end), quote)
    ordered_quotes = [quotes[key] for key in sorted(quotes)]
    return Proposal(
        key="",
        title=_title(first, text, ordered_quotes),
        kind=group.kind or "other",
        status=group.status,
        start=None,
        end=None,
        precision="day",
        date_text="",
        date_basis="",
        summary=" ".join(text[u.start : u.end] for u in creating[:3]),
        sentence_start=min(u.start for u in group.units),
        sentence_end=max(u.end for u in group.units),
        actors=_actors(group, creating),
        quotes=ordered_quotes,
    )


_LEAD_WORDS = re.compile(r"^(?:But|And|So|Yet|However|Meanwhile|Also),?\s+")
_CLAUSE_CUT = re.compile(
    r",\s+(?:meaning|which|with|as|taking|who|while|after)\b|\s+[\u2013\u2014]\s+"
)


def _title(unit: Unit, text: str, quotes) -> str:
    """The reporting sentence, shortened to its main clause; a statement's
    introduction ("the White House said:") with the first words it quotes."""
    words = text[unit.start : unit.end].strip()
    if unit.words and not unit.quote_only:
        narrative = " ".join(text[s:e] for s, e in unit.words).strip()
        if narrative.rstrip().endswith(":"):
            spoken = next((q.text for q in quotes if q.speaker is not None), "")
            speaker = next((q.speaker.name for q in quotes if q.speaker is not None), "")
            if spoken and speaker:
                return _shorten(f"{speaker}: \u201c{spoken}\u201d")
    words = _LEAD_WORDS.sub("", words)
    words = words[:1].upper() + words[1:]
    if len(words) > 100:
        cut = _CLAUSE_CUT.search(words, 40)
        if cut:
            words = words[: cut.start()]
    return _shorten(words.rstrip(".").rstrip())


def _shorten(words: str, limit: int = 200) -> str:
    if len(words) <= limit:
        return words
    return words[: words.rfind(" ", 0, limit - 1)] + "\u2026"


def _actors(group: Group, creating) -> list[ProposedActor]:
    roles: dict = {}
    creating_ids = {id(u) for u in creating}
    for unit in group.units:
        at = unit.trigger_at if unit.trigger_at is not None else unit.end
        for slug, name, kind, offset, _ in unit.actors:
            if slug in group.principals:
                role = "principal"
            elif id(unit) in creating_ids and kind == "person" and offset > at:
                role = "participant"
            else:
                role = "mentioned"
            key = slug
            if key not in roles or ROLE_ORDER[role] < ROLE_ORDER[roles[key].role]:
                roles[key] = ProposedActor(name=name, role=role, slug=slug, kind=kind)
        if id(unit) in creating_ids:
            for new in unit.new_names:
                key = ("new", new.name)
                role = "principal" if unit.trigger_at is None or new.start < at else "mentioned"
                if key not in roles:
                    roles[key] = ProposedActor(name=new.name, role=role, slug=None, kind=new.kind)
    return sorted(roles.values(), key=lambda a: (ROLE_ORDER[a.role], a.slug is None, a.name))

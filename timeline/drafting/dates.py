"""Date expressions in a text, found and resolved against the source's date.

``find_dates(text, base)`` returns every date expression the text holds —
absolute ("19 March 2025", "March 3", "March 2024") or relative to ``base``
("today (Wed)", "on Monday night", "on Saturday", "yesterday", "last week",
"three years ago") — each with its offsets, the date it stands for, an honest
precision and the sentence that says how it was resolved. Pure: no database.

The expressions are found here, by pattern, so that every date has exact words
behind it; ``dateparser`` turns the absolute and the counted ones ("three years
ago") into dates against ``base``, and the result is checked against the parts
the pattern captured. Weekdays, "last week" and "today" are worked out here:
which Monday is meant depends on the sentence's tense, which dateparser
cannot see.
"""

import dataclasses
import datetime
import functools
import re
from dataclasses import dataclass

DAY, MONTH, YEAR = "day", "month", "year"

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
]  # fmt: skip
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip

_WEEKDAY = "|".join(WEEKDAYS)
_MONTH = "|".join(MONTHS) + r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec"
_DAY_NUM = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR_NUM = r"(?:19|20)\d\d"
_COUNT = r"\d+|" + "|".join(NUMBER_WORDS)
_PART_OF_DAY = r"(?:\s+(?:night|morning|afternoon|evening))?"

# One pattern, alternatives tried left to right at each position: the longest
# (a full date) before its parts, so "19 March 2025" is one expression, not two;
# "on Tuesday (18 March)" too, its weekday checked against its date.
DATE_PATTERN = re.compile(
    rf"""
    (?P<dmy>\b(?:(?:[Oo]n\s+)?(?P<dmy_wd>{_WEEKDAY})(?:,?\s+|\s*(?P<dmy_br>\()))?(?P<dmy_day>{_DAY_NUM})(?:\s+of)?\s+(?P<dmy_month>{_MONTH})\.?,?\s+(?P<dmy_year>{_YEAR_NUM})\b(?(dmy_br)\)))
  | (?P<mdy>\b(?:(?:[Oo]n\s+)?(?P<mdy_wd>{_WEEKDAY})(?:,?\s+|\s*(?P<mdy_br>\()))?(?P<mdy_month>{_MONTH})\.?\s+(?P<mdy_day>{_DAY_NUM}),?\s+(?P<mdy_year>{_YEAR_NUM})\b(?(mdy_br)\)))
  | (?P<dm>\b(?:(?:[Oo]n\s+)?(?P<dm_wd>{_WEEKDAY})(?:,?\s+|\s*(?P<dm_br>\()))?(?P<dm_day>{_DAY_NUM})(?:\s+of)?\s+(?P<dm_month>{_MONTH})\b(?(dm_br)\)))
  | (?P<md>\b(?:(?:[Oo]n\s+)?(?P<md_wd>{_WEEKDAY})(?:,?\s+|\s*(?P<md_br>\()))?(?P<md_month>{_MONTH})\.?\s+(?P<md_day>{_DAY_NUM})\b(?![-–])(?(md_br)\)))
  | (?P<my>\b(?P<my_month>{_MONTH})\s+(?P<my_year>{_YEAR_NUM})\b)
  | (?P<in_month>\b(?:in|since|until|by|early|late|mid-?)\s+(?P<im_month>(?!May\b){_MONTH})\b(?!\s+{_YEAR_NUM}))
  | (?P<in_year>\b(?:in|since|until|by)\s+(?P<iy_year>{_YEAR_NUM})\b)
  | (?P<today>\b(?:[Tt]oday|[Tt]onight|[Tt]his\s+(?:morning|afternoon|evening))(?:\s*\((?P<today_abbr>Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\))?)
  | (?P<yesterday>\b[Yy]esterday{_PART_OF_DAY})
  | (?P<tomorrow>\b[Tt]omorrow{_PART_OF_DAY})
  | (?P<ago>\b(?P<ago_count>(?i:{_COUNT}))\s+(?P<ago_unit>day|week|month|year)s?\s+ago\b)
  | (?P<last_unit>\b(?P<lu_which>[Ll]ast|[Nn]ext|[Tt]his)\s+(?P<lu_unit>week|month|year)\b)
  | (?P<weekday>\b(?:(?:[Oo]n|[Ll]ast|[Nn]ext|[Tt]his)\s+)?(?P<wd_name>{_WEEKDAY})(?:['’]s)?{_PART_OF_DAY}\b)
    """,
    re.VERBOSE,
)

# Words that put a sentence's weekday in the future: "will meet on Friday".
FUTURE_PATTERN = re.compile(
    r"\b(?:will|won't|shall|is to|are to|is due|are due|is expected to|are expected to|"
    r"plans? to|is set to|are set to|going to|next)\b|'ll\b",
    re.IGNORECASE,
)


QUOTED_SPEECH = (
    " It is in quoted speech: counted from the source's date, which may not be the day it "
    "was said; check."
)


@dataclass(frozen=True)
class DateMention:
    start: int  # offsets of the words in the text
    end: int
    text: str  # == text[start:end]
    date: datetime.date
    precision: str  # DAY, MONTH or YEAR
    basis: str  # the words, the date resolved against, and the result
    relative: bool  # resolved against the source's date rather than stated
    earliest: datetime.date | None = None  # for a range ("last week"): its first day
    latest: datetime.date | None = None


def format_day(value: datetime.date) -> str:
    """ "Monday 17 March 2025": the day the way an editor checks it."""
    return f"{WEEKDAYS[value.weekday()]} {value.day} {MONTHS[value.month - 1]} {value.year}"


def format_month(value: datetime.date) -> str:
    return f"{MONTHS[value.month - 1]} {value.year}"


def find_dates(text: str, base: datetime.date | None) -> list[DateMention]:
    """Every date expression in ``text``, in order. Relative ones need ``base``
    (the source's date); without it they are left out, since nothing in the
    text says what they are relative to."""
    mentions = []
    for match in DATE_PATTERN.finditer(text):
        mention = _resolve(match, text, base)
        if mention is not None and mention.relative and _quotation_at(text, *match.span()):
            # The speaker's "tomorrow" counts from when they spoke, which the
            # text may not say: the source's date is only an assumption.
            mention = dataclasses.replace(mention, basis=mention.basis + QUOTED_SPEECH)
        if mention is not None:
            mentions.append(mention)
    return mentions


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
    right = min(
        (i for i in (text.find(". ", end), text.find("\n", end)) if i != -1), default=len(text)
    )
    return text[left:right]


# Quoted speech within a sentence: a quotation, one still open at the
# sentence's end, or the end of one the sentence opens inside.
_QUOTED = re.compile(r'^[^\u201c\u201d]*\u201d|\u201c[^\u201c\u201d]*(?:\u201d|$)|"[^"]*(?:"|$)')


def _quotation_at(text: str, start: int, end: int) -> str | None:
    """The quoted speech the expression at ``start`` stands in, if any."""
    sentence = _sentence_around(text, start, end)
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
    for quoted in _QUOTED.finditer(sentence):
        if left + quoted.start() <= start and end <= left + quoted.end():
            return quoted[0]
    return None


def _tense_words(text: str, start: int, end: int) -> str:
    """The words whose tense places the expression at ``start``: the quotation
    it stands in, else its sentence without the quotations ('"We will meet,"
    he said on Monday': the narrator's Monday is past)."""
    quoted = _quotation_at(text, start, end)
    return quoted if quoted is not None else _QUOTED.sub(" ", _sentence_around(text, start, end))


def is_future(sentence: str) -> bool:
    return FUTURE_PATTERN.search(sentence) is not None


def _month_number(name: str) -> int:
    name = name.rstrip(".").lower()[:3]
    return [m[:3].lower() for m in MONTHS].index(name) + 1


def _day_number(value: str) -> int:
    return int(re.match(r"\d+", value)[0])


def _resolve(match: re.Match, text: str, base: datetime.date | None) -> DateMention | None:
    kind = match.lastgroup
    words = match[0]
    start, end = match.span()
    future = is_future(_tense_words(text, start, end))
    against = f"the source is dated {format_day(base)}" if base else ""
    said = f"The text says \u201c{words}\u201d"

    def mention(date, precision, basis, relative, earliest=None, latest=None):
        return DateMention(start, end, words, date, precision, basis, relative, earliest, latest)

    if kind in ("dmy", "mdy"):
        day, month, year = (_day_number(match[f"{kind}_day"]), _month_number(match[f"{kind}_month"]),
                            int(match[f"{kind}_year"]))  # fmt: skip
        resolved = _checked(words, base, future, (year, month, day))
        if resolved is None:
            return None
        basis = f"{said}: {format_day(resolved)}.{_weekday_check(match[f'{kind}_wd'], resolved)}"
        return mention(resolved, DAY, basis, False)
    if kind == "my":
        month, year = _month_number(match["my_month"]), int(match["my_year"])
        resolved = datetime.date(year, month, 1)
        return mention(
            resolved, MONTH, f"{said}: {format_month(resolved)}; no day is given.", False
        )
    if kind == "in_year":
        resolved = datetime.date(int(match["iy_year"]), 1, 1)
        return mention(
            resolved, YEAR, f"{said}: the year {resolved.year}; no month is given.", False
        )
    if base is None:
        return None  # everything below needs the source's date
    if kind in ("dm", "md"):
        day, month = _day_number(match[f"{kind}_day"]), _month_number(match[f"{kind}_month"])
        resolved = _checked(words, base, future, (None, month, day))
        if resolved is None:
            return None
        which = "the next" if future else "the latest"
        return mention(
            resolved,
            DAY,
            f"{said}, without a year; {against}, so {which} such day: {format_day(resolved)}."
            + _weekday_check(match[f"{kind}_wd"], resolved),
            True,
        )
    if kind == "in_month":
        month = _month_number(match["im_month"])
        year = base.year
        if future and month < base.month:
            year += 1
        elif not future and month > base.month:
            year -= 1
        resolved = datetime.date(year, month, 1)
        return mention(
            resolved,
            MONTH,
            f"{said}, without a year; {against}, so {format_month(resolved)}.",
            True,
        )
    if kind == "today":
        basis = f"{said}; {against}, so {format_day(base)}."
        abbr = match["today_abbr"]
        if abbr and not WEEKDAYS[base.weekday()].lower().startswith(abbr.lower()[:3]):
            basis = (
                f"{said}, but {against}, which is not a {abbr}: check the source's date. "
                f"Taken as {format_day(base)}."
            )
        return mention(base, DAY, basis, True)
    if kind in ("yesterday", "tomorrow"):
        shift = -1 if kind == "yesterday" else 1
        resolved = _parsed(match[kind].split()[0].lower(), base, future)
        if resolved != base + datetime.timedelta(days=shift):
            resolved = base + datetime.timedelta(days=shift)
        return mention(resolved, DAY, f"{said}; {against}, so {format_day(resolved)}.", True)
    if kind == "ago":
        count_word = match["ago_count"].lower()
        count = int(count_word) if count_word.isdigit() else NUMBER_WORDS[count_word]
        unit = match["ago_unit"]
        resolved = _parsed(f"{count} {unit}s ago", base, False) or _counted_back(base, count, unit)
        # Placed on the first day of what is known: the year, or the month.
        if unit == "year":
            resolved = datetime.date(resolved.year, 1, 1)
        elif unit == "month":
            resolved = resolved.replace(day=1)
        if unit == "year":
            return mention(
                resolved,
                YEAR,
                f"{said}; {against}, so some time in {resolved.year} "
                "(only the year can be worked out).",
                True,
            )
        if unit == "month":
            return mention(
                resolved,
                MONTH,
                f"{said}; {against}, so some time in {format_month(resolved)}.",
                True,
            )
        if unit == "week":
            first = base - datetime.timedelta(days=7 * count + base.weekday())
            last = first + datetime.timedelta(days=6)
            return mention(
                first,
                DAY,
                f"{said}; {against}, so some day between {format_day(first)} and "
                f"{format_day(last)}.",
                True,
                earliest=first,
                latest=last,
            )
        return mention(resolved, DAY, f"{said}; {against}, so {format_day(resolved)}.", True)
    if kind == "last_unit":
        which, unit = match["lu_which"].lower(), match["lu_unit"]
        step = {"last": -1, "next": 1, "this": 0}[which]
        if unit == "week":
            first = base - datetime.timedelta(days=base.weekday()) + datetime.timedelta(weeks=step)
            last = first + datetime.timedelta(days=6)
            return mention(
                first,
                DAY,
                f"{said}; {against}, so some day of the week from {format_day(first)} to "
                f"{format_day(last)}.",
                True,
                earliest=first,
                latest=last,
            )
        if unit == "month":
            year, month = divmod(base.year * 12 + base.month - 1 + step, 12)
            resolved = datetime.date(year, month + 1, 1)
            return mention(
                resolved, MONTH, f"{said}; {against}, so {format_month(resolved)}.", True
            )
        resolved = datetime.date(base.year + step, 1, 1)
        return mention(resolved, YEAR, f"{said}; {against}, so {resolved.year}.", True)
    if kind == "weekday":
        return _weekday(match, base, future, mention, said, against)
    return None


def _weekday(match, base, future, mention, said, against):
    words = match[0].lower()
    target = WEEKDAYS.index(match["wd_name"])
    explicit_next = words.startswith("next ")
    explicit_last = words.startswith("last ")
    if (future or explicit_next) and not explicit_last:
        days = (target - base.weekday()) % 7 or 7
        resolved = base + datetime.timedelta(days=days)
        how = "it is still to come (the sentence speaks of the future), so the next"
    elif target == base.weekday() and not explicit_last:
        resolved = base
        how = "that is itself a " + WEEKDAYS[target] + ", so the same"
    else:
        days = (base.weekday() - target) % 7 or 7
        resolved = base - datetime.timedelta(days=days)
        how = "it is past (the sentence speaks of the past), so the latest"
    return mention(
        resolved,
        DAY,
        f"{said}; {against}; {how} {WEEKDAYS[target]}: {format_day(resolved)}.",
        True,
    )


def _weekday_check(named: str | None, resolved: datetime.date) -> str:
    """A warning when the text's weekday and its date disagree ("Monday, 4 March 2025")."""
    if named is None or WEEKDAYS[resolved.weekday()] == named:
        return ""
    return f" The text calls it a {named}, but that day is a {WEEKDAYS[resolved.weekday()]}: check."


def _counted_back(base: datetime.date, count: int, unit: str) -> datetime.date:
    if unit == "day":
        return base - datetime.timedelta(days=count)
    if unit == "week":
        return base - datetime.timedelta(weeks=count)
    months = base.year * 12 + base.month - 1 - (count * 12 if unit == "year" else count)
    year, month = divmod(months, 12)
    return datetime.date(year, month + 1, min(base.day, 28))


def _checked(words, base, future, parts) -> datetime.date | None:
    """The date ``parts`` (year or None, month, day) stand for: dateparser's
    reading of ``words``, kept only when it agrees with the captured parts;
    otherwise the parts themselves. None when they are no date (30 February)."""
    year, month, day = parts
    if year is None:
        year = base.year
        try:
            candidate = datetime.date(year, month, day)
        except ValueError:
            candidate = None
        # A year-less date is the latest such day (the next, for the future).
        if candidate is not None and not future and candidate > base:
            year -= 1
        elif candidate is not None and future and candidate < base:
            year += 1
    try:
        expected = datetime.date(year, month, day)
    except ValueError:
        return None
    parsed = _parsed(words, base, future) if base else None
    return parsed if parsed == expected else expected


def _parsed(words: str, base: datetime.date, future: bool) -> datetime.date | None:
    return _dateparser_cached(words, base, "future" if future else "past")


@functools.lru_cache(maxsize=4096)
def _dateparser_cached(words: str, base: datetime.date, prefer: str) -> datetime.date | None:
    parsed = _parser(base, prefer).get_date_data(words)
    return parsed.date_obj.date() if parsed and parsed.date_obj else None


@functools.lru_cache(maxsize=64)
def _parser(base: datetime.date, prefer: str):
    # Imported here: loading dateparser's English data takes a moment, which
    # only drafting needs to pay.
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": datetime.datetime.combine(base, datetime.time()),
            "PREFER_DATES_FROM": prefer,
            "PREFER_DAY_OF_MONTH": "first",
        },
    )


DURATION_PATTERN = re.compile(
    rf"\bfor\s+(?P<count>{_COUNT})\s+(?P<unit>day|week|month)s?\b", re.IGNORECASE
)


def find_durations(text: str) -> list[tuple[int, int, int, str]]:
    """ "for 30 days": (start, end, count, unit) of each length of time stated."""
    found = []
    for match in DURATION_PATTERN.finditer(text):
        word = match["count"].lower()
        count = int(word) if word.isdigit() else NUMBER_WORDS[word]
        found.append((match.start(), match.end(), count, match["unit"].lower()))
    return found


def add_duration(start: datetime.date, count: int, unit: str) -> datetime.date:
    """Where a length of time from ``start`` ends: ``start`` plus the length
    (18 March 2025 + 30 days = 17 April 2025)."""
    if unit == "day":
        return start + datetime.timedelta(days=count)
    if unit == "week":
        return start + datetime.timedelta(weeks=count)
    months = start.year * 12 + start.month - 1 + count
    year, month = divmod(months, 12)
    return datetime.date(year, month + 1, min(start.day, 28))

"""Who a text names: known actors found by name and aliases, and names it
gives that no actor has yet (offered as new actors, never created here).

``ActorFinder(actors).mentions(text)`` returns every mention of a known actor,
longest words first ("the Prime Minister's official spokesman" before "the
Prime Minister"), plus the references to a pair ("the two Presidents", "both
leaders", "the pair"), which ``events.py`` resolves to the pair last named
together. ``new_names(text, ...)`` finds the names of people and organisations
no actor has. Pure: no database.
"""

import re
from dataclasses import dataclass, field

# Curly and straight apostrophes are the same letter to an editor.
_APOSTROPHES = "'\u2019"
PAIR_PATTERN = re.compile(
    r"\b(?:[Tt]he two (?:[Pp]residents|leaders|strongmen|men|women|heads of state)|"
    r"[Bb]oth (?:leaders|[Pp]residents|men)|[Tt]he pair|[Tt]he leaders)\b"
)
# Titles before a person's name: "Mr Reyk", "Foreign Minister Ines Marlowe".
TITLES = ("Mr", "Mrs", "Ms", "Dr", "Sir", "Dame", "Lord", "Lady", "President", "Prime Minister",
          "Minister", "Foreign Minister", "Defence Minister", "Chancellor", "General", "Gen",
          "Admiral", "Colonel", "Senator", "Governor", "Mayor", "King", "Queen", "Prince",
          "Princess", "Ambassador", "Commissioner", "Secretary", "Speaker", "Judge")  # fmt: skip
ORGANISATION_WORDS = {"Ministry", "Council", "Commission", "Agency", "Party", "Union", "Office",
                      "Committee", "Bank", "Authority", "Court", "Parliament", "Assembly",
                      "Government", "Army", "Navy", "Forces", "Institute", "Foundation",
                      "Association", "Company", "Corporation", "Group", "Front", "Movement",
                      "Coalition", "Service", "Department", "Board", "League", "Federation",
                      "Red Cross", "Cross", "Guard", "Alliance", "Secretariat", "Mission"}  # fmt: skip
# Capitalised words that name no one: places' last words, sentence openers, calendar words.
PLACE_WORDS = {"Sea", "Ocean", "East", "West", "North", "South", "River", "Gulf", "Bay", "Strait",
               "Island", "Islands", "Mountains", "Valley", "Peninsula", "Canal", "Lake", "Coast",
               "Harbour", "Harbor", "Port", "Province", "Region", "Square", "Bridge", "Road",
               "Avenue", "City", "Hall", "Mount", "Cape", "Fort"}  # fmt: skip
NOT_NAMES = {"The", "A", "An", "But", "And", "Or", "In", "On", "At", "For", "From", "With", "As",
             "By", "To", "Of", "After", "Before", "During", "Following", "Giving", "Halting",
             "Eventually", "This", "That", "These", "Those", "They", "He", "She", "It", "We",
             "I", "You", "Both", "Officials", "Updated", "Notes", "Editors", "Ends", "Contact",
             "Press", "Release", "Immediate", "Monday", "Tuesday", "Wednesday",
             "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March",
             "April", "May", "June", "July", "August", "September", "October", "November",
             "December", "Today", "Yesterday", "Tomorrow", "If", "When", "While", "Asked",
             "However", "Meanwhile", "Earlier", "Later", "Under", "Over", "Our", "Their", "His",
             "Her", "Its", "There", "Here", "What", "Who", "Why", "How", "All", "Some", "No",
             "Every", "Each", "Any", "Such", "Speaking", "According", "Talks", "Negotiators"}  # fmt: skip


@dataclass(frozen=True)
class KnownActor:
    slug: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActorMention:
    start: int
    end: int
    slug: str | None  # None for a pair reference ("the two Presidents")
    name: str  # the actor's name (the words themselves, for a pair reference)
    kind: str = ""


@dataclass(frozen=True)
class NewName:
    start: int
    end: int
    name: str
    kind: str  # "person" or "organisation"


def _words_pattern(words: str) -> str:
    parts = []
    for char in words:
        if char in _APOSTROPHES:
            parts.append(f"[{_APOSTROPHES}]")
        elif char.isspace():
            parts.append(r"\s+")
        else:
            parts.append(re.escape(char))
    pattern = "".join(parts)
    # Several words match in any case ("The Kremlin", "coalition of the willing").
    return f"(?i:{pattern})" if " " in words.strip() else pattern


@dataclass
class ActorFinder:
    actors: list[KnownActor]
    _by_words: dict = field(init=False, repr=False)
    _pattern: re.Pattern | None = field(init=False, repr=False)

    def __post_init__(self):
        self._by_words = {}
        written = {}
        surnames = {}
        for actor in self.actors:
            for words in (actor.name, *actor.aliases):
                words = words.strip()
                if words and _key(words) not in self._by_words:
                    self._by_words[_key(words)] = actor
                    written[_key(words)] = words
            # A person is also named by the last word of their name ("Putin"),
            # unless two actors share it.
            if actor.kind == "person" and " " in actor.name.strip():
                surnames.setdefault(actor.name.split()[-1], []).append(actor)
        for surname, owners in surnames.items():
            if len(owners) == 1 and _key(surname) not in self._by_words:
                self._by_words[_key(surname)] = owners[0]
                written[_key(surname)] = surname
        alternatives = sorted(written.values(), key=len, reverse=True)
        self._pattern = None
        if alternatives:
            self._pattern = re.compile(
                "|".join(rf"(?<![\w-]){_words_pattern(words)}(?!\w)" for words in alternatives)
            )

    def mentions(self, text: str, start: int = 0, end: int | None = None) -> list[ActorMention]:
        """Known actors and pair references in text[start:end], in order."""
        end = len(text) if end is None else end
        found = []
        taken = []
        if self._pattern is not None:
            for match in self._pattern.finditer(text, start, end):
                actor = self._by_words.get(_key(match[0]))
                if actor is None:
                    continue
                found.append(ActorMention(*match.span(), actor.slug, actor.name, actor.kind))
                taken.append(match.span())
        for match in PAIR_PATTERN.finditer(text, start, end):
            if not any(s < match.end() and match.start() < e for s, e in taken):
                found.append(ActorMention(*match.span(), None, match[0]))
        return sorted(found, key=lambda mention: mention.start)

    def new_names(self, text: str, start: int, end: int) -> list[NewName]:
        """Names of people and organisations in text[start:end] that no actor has."""
        known = [(m.start, m.end) for m in self.mentions(text, start, end)]
        names = []
        for match in _NAME_PATTERN.finditer(text, start, end):
            span = match.span()
            if any(s < span[1] and span[0] < e for s, e in known):
                continue
            name = _new_name(match, text)
            if name is not None:
                names.append(name)
        return names


def _key(words: str) -> str:
    """Names compare with their apostrophes and spaces made plain; a name of
    several words ignores case ("coalition of the willing"), one word keeps it
    ("US" is not "us")."""
    plain = re.sub(r"\s+", " ", words.replace("\u2019", "'")).strip()
    return plain.lower() if " " in plain else plain


_CAPITALISED = r"[A-Z][\w'\u2019.-]*[\w]"
_NAME_PATTERN = re.compile(
    rf"(?<![\w-])(?:{_CAPITALISED})(?:\s+(?:(?:of|for|de|van|von|al|bin)\s+)?{_CAPITALISED})*"
)


def _new_name(match: re.Match, text: str) -> NewName | None:
    words = match[0].split()
    start = match.start()
    # A sentence's first word is capitalised whatever it is.
    while words and words[0] in NOT_NAMES:
        start = text.index(words[1], start + len(words[0])) if len(words) > 1 else match.end()
        words = words[1:]
    title = None
    for candidate in sorted(TITLES, key=len, reverse=True):
        parts = candidate.split()
        if words[: len(parts)] == parts and len(words) > len(parts):
            title = candidate
            for part in parts:
                start = text.index(words[1], start + len(part)) if len(words) > 1 else start
                words = words[1:]
            break
    while words and words[-1] in NOT_NAMES:
        words = words[:-1]
    if not words:
        return None
    name = " ".join(words)
    end = start + len(name)
    if text[start:end] != name:  # spacing differed: keep the words as written
        end = text.find(words[-1], start) + len(words[-1])
        name = text[start:end]
    if any(word.isupper() and len(word) > 4 for word in words):
        return None  # a heading in capitals
    if any(word in ORGANISATION_WORDS for word in words):
        return NewName(start, end, name, "organisation")
    if words[-1] in PLACE_WORDS or words[0] in PLACE_WORDS:
        return None  # a place: "the Black Sea", "Port Lissen"
    if title is not None:
        return NewName(start, end, name, "person")
    # Two or three capitalised words, none a common opener: most likely a person.
    if 2 <= len(words) <= 3 and all(word[0].isupper() and word.isalpha() for word in words):
        return NewName(start, end, name, "person")
    return None

"""Rules for text that comes from outside (URLs, forms, uploaded files),
written once for every place that reads such text."""

import itertools
import re
from collections.abc import Callable

# How long a slug made from a title or a name may be: an address a reader
# can still read (the slug fields hold 200, room for a number after it).
SLUG_LENGTH = 80

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def is_ascii_number(text: str) -> bool:
    """Digits 0-9 only: "²" and "٣" are digits to str.isdigit(), not to int()."""
    return text.isascii() and text.isdigit()


def has_lone_surrogate(text: str) -> bool:
    """A JSON escape such as "\\ud800" read alone: no database or UTF-8 can hold it."""
    return _LONE_SURROGATE.search(text) is not None


def numbered_slug(base: str, taken: Callable[[str], bool]) -> str:
    """`base`, or the first of base-2, base-3, ... that is not `taken`: the
    one numbering rule for every slug made from a title or a name."""
    candidates = itertools.chain([base], (f"{base}-{number}" for number in itertools.count(2)))
    return next(slug for slug in candidates if not taken(slug))

"""Rules for text that comes from outside (URLs, forms, uploaded files),
written once for every place that reads such text."""

import re

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def is_ascii_number(text: str) -> bool:
    """Digits 0-9 only: "²" and "٣" are digits to str.isdigit(), not to int()."""
    return text.isascii() and text.isdigit()


def has_lone_surrogate(text: str) -> bool:
    """A JSON escape such as "\\ud800" read alone: no database or UTF-8 can hold it."""
    return _LONE_SURROGATE.search(text) is not None

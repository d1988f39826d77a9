"""gettext and pgettext, remembered per language. Django looks each message
up through a chain of catalogues (about 0.1 ms a time), and a chart of a
thousand events asks for the same few dozen messages thousands of times.
Used where messages repeat per event (charts.py, dates.py); names match
Django's, so makemessages finds the messages as before.

choice_label does the same for the labels of model choices (kinds,
statuses, roles): Django's get_FOO_display translates every label of the
field to find one, and a chart of a thousand events asks thousands of times.

Each of these reads the active language (active_language()); within
one_language() it is read once for the whole block. What they remember is
translated into the language it is remembered under, whichever is active."""

import contextlib
import contextvars
import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

# The language one_language() read, for the block it runs.
_language = contextvars.ContextVar("timeline_language", default=None)


def active_language() -> str | None:
    """The active language: Django's, or the one one_language() read."""
    return _language.get() or translation.get_language()


@contextlib.contextmanager
def one_language():
    """Reads the active language once for the block: a chart's 757 events
    asked for it 6,444 times (messages, labels, dates), about 2 µs each
    through Django's thread-and-task local. A language activated inside the
    block is not seen by these functions, only by Django's own."""
    token = _language.set(translation.get_language())
    try:
        yield
    finally:
        _language.reset(token)


def gettext(message: str) -> str:
    return _gettext(message, active_language())


def pgettext(context: str, message: str) -> str:
    return _pgettext(context, message, active_language())


def ngettext(singular: str, plural: str, number: int) -> str:
    return _ngettext(singular, plural, number, active_language())


def choice_label(field, value):
    """What get_FOO_display gives for `value` of a model field with choices."""
    labels = _choice_labels(field, active_language())
    return labels.get(make_hashable(value), value)


@functools.lru_cache(maxsize=2048)
def _gettext(message: str, language: str | None) -> str:
    with translation.override(language):
        return translation.gettext(message)


@functools.lru_cache(maxsize=2048)
def _pgettext(context: str, message: str, language: str | None) -> str:
    with translation.override(language):
        return translation.pgettext(context, message)


@functools.lru_cache(maxsize=2048)
def _ngettext(singular: str, plural: str, number: int, language: str | None) -> str:
    with translation.override(language):
        return translation.ngettext(singular, plural, number)


@functools.lru_cache(maxsize=256)
def _choice_labels(field, language: str | None) -> dict:
    with translation.override(language):
        return {
            make_hashable(value): force_str(label, strings_only=True)
            for value, label in field.flatchoices
        }


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs) -> None:
    # As Django's own catalogues are reloaded when a test changes these.
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS"}:
        _gettext.cache_clear()
        _pgettext.cache_clear()
        _ngettext.cache_clear()
        _choice_labels.cache_clear()

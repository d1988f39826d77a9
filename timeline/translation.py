"""gettext and pgettext, remembered per language. Django looks each message
up through a chain of catalogues (about 0.1 ms a time), and a chart of a
thousand events asks for the same few dozen messages thousands of times.
Used where messages repeat per event (charts.py, dates.py); names match
Django's, so makemessages finds the messages as before.

choice_label does the same for the labels of model choices (kinds,
statuses, roles): Django's get_FOO_display translates every label of the
field to find one, and a chart of a thousand events asks thousands of times."""

import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


def gettext(message: str) -> str:
    return _gettext(message, translation.get_language())


def pgettext(context: str, message: str) -> str:
    return _pgettext(context, message, translation.get_language())


def ngettext(singular: str, plural: str, number: int) -> str:
    return _ngettext(singular, plural, number, translation.get_language())


def choice_label(field, value):
    """What get_FOO_display gives for `value` of a model field with choices."""
    labels = _choice_labels(field, translation.get_language())
    return labels.get(make_hashable(value), value)


@functools.lru_cache(maxsize=2048)
def _gettext(message: str, language: str | None) -> str:
    return translation.gettext(message)


@functools.lru_cache(maxsize=2048)
def _pgettext(context: str, message: str, language: str | None) -> str:
    return translation.pgettext(context, message)


@functools.lru_cache(maxsize=2048)
def _ngettext(singular: str, plural: str, number: int, language: str | None) -> str:
    return translation.ngettext(singular, plural, number)


@functools.lru_cache(maxsize=256)
def _choice_labels(field, language: str | None) -> dict:
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

"""gettext and pgettext, remembered per language. Django looks each message
up through a chain of catalogues (about 0.1 ms a time), and a chart of a
thousand events asks for the same few dozen messages thousands of times.
Used where messages repeat per event (charts.py, dates.py); names match
Django's, so makemessages finds the messages as before."""

import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation


def gettext(message: str) -> str:
    return _gettext(message, translation.get_language())


def pgettext(context: str, message: str) -> str:
    return _pgettext(context, message, translation.get_language())


@functools.lru_cache(maxsize=2048)
def _gettext(message: str, language: str | None) -> str:
    return translation.gettext(message)


@functools.lru_cache(maxsize=2048)
def _pgettext(context: str, message: str, language: str | None) -> str:
    return translation.pgettext(context, message)


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs) -> None:
    # As Django's own catalogues are reloaded when a test changes these.
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS"}:
        _gettext.cache_clear()
        _pgettext.cache_clear()

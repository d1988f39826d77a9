"""Values every page template needs."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .http_cache import request_is_editor
from .models import TimelineTitle


def site(request):
    return {
        # Read only when a template shows it: cached responses never ask.
        "site_title": SimpleLazyObject(lambda: TimelineTitle.current().title),
        "show_edit_link": lambda: request_is_editor(request),
        # The words to mark in lists of events; a searched list sets its own.
        "search_terms": [],
        # The switcher's languages, each named in itself (not through gettext).
        "interface_languages": settings.LANGUAGES,
    }

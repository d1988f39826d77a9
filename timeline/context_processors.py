"""Values every page template needs."""

from django.conf import settings

from .http_cache import request_is_editor


def site(request):
    return {
        "site_title": settings.TIMELINE_TITLE,
        "show_edit_link": lambda: request_is_editor(request),
    }

"""Values every page template needs."""

from django.conf import settings


def site(request):
    return {"site_title": settings.TIMELINE_TITLE}

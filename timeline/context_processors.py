"""Values every page template needs."""

from django.conf import settings


def site(request):
    def show_edit_link():
        # Only a request that carries a session can be an editor's. Asking
        # request.user otherwise would read the session and add
        # "Vary: Cookie", which no shared cache can serve to everybody.
        return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_staff

    return {"site_title": settings.TIMELINE_TITLE, "show_edit_link": show_edit_link}

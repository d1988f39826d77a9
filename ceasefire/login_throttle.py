"""Login throttling with django-axes (settings: AXES_*): the address a login
comes from, and the page a locked-out login gets."""

import ipaddress
import math

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import admin
from django.shortcuts import render
from django.utils import timezone


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or behind a proxy the header it sets (CLIENT_IP_HEADER).

    Of a list (X-Forwarded-For) the right-most address counts: the one the
    proxy added; those to its left are whatever the client sent. A header
    that holds no address falls back to REMOTE_ADDR rather than letting a
    client name its own bucket."""
    if settings.CLIENT_IP_HEADER:
        key = "HTTP_" + settings.CLIENT_IP_HEADER.upper().replace("-", "_")
        candidate = request.META.get(key, "").rsplit(",", 1)[-1].strip()
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """429 with the time the lock lifts. Every attempt while locked out
    starts the wait again (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT),
    so it lifts one cool-off from now."""
    cool_off = get_cool_off(request)
    context = {
        **admin.site.each_context(request),
        "title": "Too many failed logins",
        "cool_off_minutes": math.ceil(cool_off.total_seconds() / 60),
        "retry_at": timezone.now() + cool_off,
    }
    # Rendered now: the axes middleware answers after the view's response was made.
    response = render(request, "admin/login_locked.html", context, status=429)
    response["Retry-After"] = str(math.ceil(cool_off.total_seconds()))
    return response

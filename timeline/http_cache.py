"""Public pages at any traffic: validators, caching headers and a
whole-response cache for anonymous GETs, all keyed by the data version.

A view opts in with `@public_page`. For an anonymous reader (no session
cookie) its responses carry a strong ETag made of the data version and the
representation asked for, and `Cache-Control: public, ...`; a conditional
request that still matches is answered 304 after one version read, and a
repeat of a request already rendered at this version is answered from the
cache with one cache read more. Nothing on these responses sets a cookie or
varies on Cookie, so browsers, nginx and CDNs may keep them.

An editor (a request with a session cookie) gets the page rendered for them,
marked `private, no-cache`; so does a reader who chose a language with the
switcher (a django_language cookie). Everyone else gets the language their
Accept-Language asks for, which is part of the ETag and the cache key.

The middleware sits first in MIDDLEWARE: a hit skips the rest of the stack,
and it stores the response as the client receives it, compressed or not.
"""

import hashlib
import re
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags
from django.utils.text import compress_string

from .cache import TIMEOUT, request_cache_version
from .filters import TRACKING_PARAMETERS

# What else, beside the URL and the host, changes a public response.
VARY_ON = (
    "Accept-Encoding",
    "Accept-Language",
    "HX-Request",
    "HX-Target",
    "HX-History-Restore-Request",
)
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def public_page(view):
    """Mark `view` as a public page that the middleware may validate and cache."""
    view.public_page = True
    return view


def representation_key(request) -> str:
    """Everything a public response depends on besides the data: the URL as
    asked (query order shows in the heading; tracking parameters, which the
    pages ignore, left out), the host and scheme (absolute URLs in the JSON
    and citations), the htmx headers the views read, and whether the body
    is gzipped, and the interface language LocaleMiddleware will pick (it
    runs after this middleware, so the choice is made here the same way)."""
    query = [
        (name, value)
        for name, value in parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
        if name not in TRACKING_PARAMETERS
    ]
    parts = [
        request.scheme,
        request.get_host(),
        request.path,
        urlencode(query),
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Target", ""),
        request.headers.get("HX-History-Restore-Request", ""),
        "gzip" if _accepts_gzip(request) else "",
        translation.get_language_from_request(request),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]


def _accepts_gzip(request) -> bool:
    return bool(_ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or not _is_public_page(request):
            return self.get_response(request)
        if _is_personal(request):
            response = self.get_response(request)
            patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, (*VARY_ON, "Cookie"))
            return response

        version = request_cache_version(request)
        key = representation_key(request)
        etag = f'"{version}-{key}"'
        if _matches(request.headers.get("If-None-Match", ""), etag):
            return _public(HttpResponseNotModified(), etag)

        cache_key = f"timeline:response:{version}:{key}"
        stored = cache.get(cache_key)
        if stored is not None:
            return _public(_thaw(stored), etag)
        gzip = _accepts_gzip(request)
        # Compressed below, without GZipMiddleware's random padding, so that
        # one strong ETag names one byte sequence in every worker. The
        # padding guards secrets against BREACH; public pages carry none.
        request.META.pop("HTTP_ACCEPT_ENCODING", None)
        response = self.get_response(request)
        if not _shareable(response):
            return response
        if not response.streaming:  # a streamed export is validated, not kept
            if gzip:
                _compress(response)
            cache.set(cache_key, _freeze(response), TIMEOUT)
        return _public(response, etag)


def request_is_editor(request) -> bool:
    """True for a logged-in editor. Reads the session only when the request
    carries one: reading it for a reader would add "Vary: Cookie", which no
    shared cache can serve to everybody."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_staff


def _is_personal(request) -> bool:
    """An editor's request, or a reader's who chose a language with the
    switcher: a cookie decides what they see, so the response is theirs
    alone. Readers who never switch send no cookie and share every page."""
    return (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or settings.LANGUAGE_COOKIE_NAME in request.COOKIES
    )


def _is_public_page(request) -> bool:
    if request.path_info.startswith(f"/{settings.STATIC_URL.lstrip('/')}"):
        return False  # WhiteNoise's, further in
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return getattr(match.func, "public_page", False)


def _matches(if_none_match: str, etag: str) -> bool:
    """RFC 9110's weak comparison, as If-None-Match requires: W/ is ignored
    (a proxy may have weakened the tag), and * matches any current page."""
    tags = parse_etags(if_none_match)
    return "*" in tags or etag in (tag.removeprefix("W/") for tag in tags)


def _shareable(response) -> bool:
    """Only a 200 that is the same for every anonymous reader, and that its
    view has not marked private."""
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.cookies
        and "Cookie" not in response.get("Vary", "")
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def _compress(response) -> None:
    if len(response.content) < 200 or response.has_header("Content-Encoding"):
        return
    compressed = compress_string(response.content)  # mtime 0, no padding: the same every time
    if len(compressed) < len(response.content):
        response.content = compressed
        response["Content-Length"] = str(len(compressed))
        response["Content-Encoding"] = "gzip"


def _public(response, etag: str):
    response["ETag"] = etag
    patch_cache_control(
        response,
        public=True,
        max_age=settings.PUBLIC_CACHE_MAX_AGE,
        stale_while_revalidate=settings.PUBLIC_CACHE_STALE_WHILE_REVALIDATE,
        stale_if_error=settings.PUBLIC_CACHE_STALE_IF_ERROR,
    )
    patch_vary_headers(response, VARY_ON)
    return response


def _freeze(response) -> tuple:
    return response.status_code, list(response.items()), response.content


def _thaw(stored: tuple) -> HttpResponse:
    status, headers, content = stored
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response

"""Thin views: parse the request, select, render the full page or, for htmx,
the named fragment of the same template. Public pages are marked
@public_page: validated and cached per data version (http_cache.py)."""

import datetime
import sys

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection
from django.db.models import F, Max, Min
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.templatetags.static import static
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe
from django_htmx.http import push_url
from django_htmx.middleware import HtmxDetails

from ceasefire.middleware import content_security_policy

from .cache import cached, cached_already, figure_json, request_cache_version
from .charts import timeline_figure
from .citations import accounts, event_quotes_for_reading
from .exports import (
    EVENT_COLUMNS,
    QUOTE_COLUMNS,
    SOURCE_COLUMNS,
    csv_lines,
    event_rows,
    events_calendar,
    quote_rows,
    source_rows,
    timeline_document,
    timelinejs_document,
)
from .feeds import EventsFeed
from .filters import parse_page, parse_timeline_filter
from .highlighting import highlight_runs
from .http_cache import public_page, request_is_editor
from .models import Actor, Event, Source, TimelineTitle
from .querysets import FACET_LIMIT, SOURCES_IN_FORM, filter_choices
from .serializers import event_as_json, event_as_schema_org
from .zoom import zoom_presets, zoom_ranges, zoom_ranges_if_counted


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _wants_fragment(request: HtmxHttpRequest) -> bool:
    # htmx 2 marks history restores as htmx requests, but they need the whole page.
    return bool(request.htmx) and not request.htmx.history_restore_request


def _fragment_or_page(request: HtmxHttpRequest, template: str, fragment: str) -> str:
    return f"{template}#{fragment}" if _wants_fragment(request) else template


def _wants_next_window(request: HtmxHttpRequest) -> bool:
    return bool(request.htmx) and request.htmx.target == "more-events"


PAGE_SIZE = 25
JSON_PAGE_SIZE = 500


def _list_window(events, page: int) -> dict:
    """Window `page` of PAGE_SIZE events for a list: what the list templates
    need, and whether there is a next window to fetch on scroll."""
    offset = (page - 1) * PAGE_SIZE
    window = list(events.for_timeline()[offset : offset + PAGE_SIZE + 1])
    return {
        "events": window[:PAGE_SIZE],
        "next_page": page + 1 if len(window) > PAGE_SIZE else None,
        "page": page,
        "first_number": offset + 1,
    }


@require_safe
@public_page
def index(request: HtmxHttpRequest):
    """The chart and a window of PAGE_SIZE events of the list; scrolling to
    the end of the list fetches the next window (fragment "more")."""
    return _timeline(request, "timeline/index.html", embed=False)


@require_safe
@public_page
@xframe_options_exempt
def embed(request: HtmxHttpRequest):
    """The same chart and list, without the site around them, for an
    <iframe> in a story. Only this page may be framed, and only by the
    ancestors in settings.EMBED_FRAME_ANCESTORS."""
    response = _timeline(request, "timeline/embed.html", embed=True)
    response["Content-Security-Policy"] = content_security_policy(
        frame_ancestors=settings.EMBED_FRAME_ANCESTORS
    )
    return response


EMBED_HEIGHT_PX = 640


def embed_snippet(request: HttpRequest, timeline_filter) -> str:
    """The <iframe> a journalist pastes into a story for this filtered view."""
    query = f"?{timeline_filter.query_string}" if timeline_filter.query_string else ""
    return format_html(
        '<iframe src="{}" title="{}" width="100%" height="{}" style="border:0" '
        'loading="lazy"></iframe>',
        request.build_absolute_uri(reverse("timeline:embed")) + query,
        TimelineTitle.current().title,
        EMBED_HEIGHT_PX,
    )


def _timeline(request: HtmxHttpRequest, template: str, *, embed: bool):
    timeline_filter = parse_timeline_filter(request.GET, also_known=frozenset({"page"}))
    page = parse_page(request.GET, timeline_filter.notices)
    if not request.htmx and not timeline_filter.notices and _sent_by_the_form(request.GET):
        # Without JavaScript the form sends every field, empty ones too: the
        # address a reader shares is the filter's own short form.
        canonical = "&".join(
            part
            for part in (timeline_filter.query_string, f"page={page}" if page > 1 else "")
            if part
        )
        return HttpResponseRedirect(f"{request.path}?{canonical}" if canonical else request.path)
    context = {
        "filter": timeline_filter,
        "embed": embed,
        "list_url": reverse("timeline:embed" if embed else "timeline:index"),
    }
    # Counting, the chart and the form's choices are the costly reads; each is
    # built once per filter and data version (see cache.py).
    version = request_cache_version(request)
    results_key = ("results", timeline_filter.cache_key)
    if _wants_next_window(request):
        # Counted already, as a rule, by the request for the first window.
        counted = cached_already(results_key, version=version)
        matching = counted["matching"] if counted else None
        context.update(_list_window(timeline_filter.listed_events(matching), page))
        return render(request, "timeline/index.html#more", context)

    def build_results():
        figure, matching = timeline_figure(
            timeline_filter.events(),
            timeline_filter.counts_per_kind,
            x_range=_drawable(timeline_filter.date_range),
            lanes=timeline_filter.lanes,
        )
        return {"matching": matching, "figure": figure_json(figure)}

    results = cached(results_key, build_results, version=version)
    context.update(
        _list_window(timeline_filter.listed_events(results["matching"]), page),
        matching=results["matching"],
        figure_json=results["figure"],
        total_events=cached(("total",), Event.objects.published().count, version=version),
    )
    if embed:
        return render(request, template, context)
    context["embed_snippet"] = embed_snippet(request, timeline_filter)
    if _wants_fragment(request):
        # A new selection's results do not wait for its presets (zoom.py).
        ranges = zoom_ranges_if_counted(timeline_filter, version=version)
    else:
        ranges = zoom_ranges(timeline_filter, version=version)
    if ranges is not None:
        context["zoom_presets"] = zoom_presets(timeline_filter, ranges)
    facets = cached(
        ("facets", timeline_filter.cache_key),
        # The chart has counted the selection: a large one needs no query to say so.
        lambda: timeline_filter.facet_counts(size=results["matching"]),
        version=version,
    )
    choices = cached(("filter choices",), filter_choices, version=version)
    context.update(
        chips=timeline_filter.chips(),
        facets=_facet_options(choices, facets, timeline_filter),
        facet_limit=FACET_LIMIT if facets is None else None,
        # A fragment carries the form's new counts out of band (the form is outside it).
        counts_out_of_band=_wants_fragment(request),
    )
    response = render(request, _fragment_or_page(request, template, "results"), context)
    if _wants_fragment(request):
        # The address bar shows the filter's own canonical form, not the form's fields.
        query = f"?{timeline_filter.query_string}" if timeline_filter.query_string else ""
        push_url(response, f"{request.path}{query}")
    return response


@require_safe
@public_page
def zoom_presets_fragment(request: HttpRequest):
    """The chart's zoom presets for a filter: what a page whose results came
    without them fetches (see zoom.py)."""
    timeline_filter = parse_timeline_filter(request.GET)
    if timeline_filter.notices:
        return _refused_as_text(timeline_filter.notices)
    ranges = zoom_ranges(timeline_filter, version=request_cache_version(request))
    context = {
        "zoom_presets": zoom_presets(timeline_filter, ranges),
        "list_url": reverse("timeline:index"),
    }
    return render(request, "timeline/_zoom_presets.html", context)


def _sent_by_the_form(params) -> bool:
    """Whether the query has the form's empty fields or its default match."""
    return (
        params.get("match") == "any"
        or params.get("lanes") == "kind"
        or any(not value.strip() for _, values in params.lists() for value in values)
    )


def _facet_options(choices: dict, facets: dict | None, timeline_filter) -> dict:
    """Every option of the filter form with its count in the current
    selection (None when the selection is too large to count), and whether
    it is ticked."""

    def options(kind, items, selected):
        counts = facets[kind] if facets is not None else None
        return [
            {
                **item,
                "count": None if counts is None else counts.get(item["value"], 0),
                "checked": item["value"] in selected,
            }
            for item in items
        ]

    sources = choices["sources"]
    if facets is not None:  # the selection's own busiest sources
        titles = facets["source_titles"]
        busiest = sorted(facets["source"].items(), key=lambda item: (-item[1], titles[item[0]]))
        sources = [{"slug": slug, "title": titles[slug]} for slug, _ in busiest[:SOURCES_IN_FORM]]
    sources = _with_selected(sources, timeline_filter)
    return {
        "actor": options(
            "actor",
            [
                {"value": a["slug"], "label": a["name"], "group": a["kind_label"]}
                for a in choices["actors"]
            ],
            timeline_filter.actor_slugs,
        ),
        "kind": options(
            "kind",
            [{"value": v, "label": label} for v, label in Event.Kind.choices],
            timeline_filter.kinds,
        ),
        "status": options(
            "status",
            [{"value": v, "label": label} for v, label in Event.Status.choices],
            timeline_filter.statuses,
        ),
        "source": options(
            "source",
            [{"value": s["slug"], "label": s["title"]} for s in sources],
            timeline_filter.source_slugs,
        ),
    }


def _drawable(x_range):
    """The filter's date range as the chart frames it: an open end stops at
    the published events' first or last day, not at the calendar's end."""
    if x_range is None:
        return None
    low, high = x_range
    if low == datetime.date.min or high == datetime.date.max:
        bounds = Event.objects.published().aggregate(low=Min("reach_start"), high=Max("reach_end"))
        low = bounds["low"] if low == datetime.date.min else low
        high = bounds["high"] if high == datetime.date.max else high
        if low is None or high is None:
            return None
    return low, high


@require_safe
@public_page
def chart_json(request: HttpRequest):
    """The figure for a filter, framed on its date range (from, to): what
    the chart fetches when the reader zooms or pans."""
    timeline_filter = parse_timeline_filter(request.GET)
    if timeline_filter.notices:
        return _refused(timeline_filter.notices)
    events = timeline_filter.events()
    x_range = timeline_filter.date_range
    figure = cached(
        ("chart", timeline_filter.cache_key),
        lambda: figure_json(
            timeline_figure(
                events,
                lambda grain: timeline_filter.counts_per_kind(grain),
                x_range=_drawable(x_range),
                lanes=timeline_filter.lanes,
            )[0]
        ),
        version=request_cache_version(request),
    )
    return HttpResponse(figure, content_type="application/json")


@require_safe
@public_page
def events_json(request: HttpRequest):
    """The public API: {"count": all matching, "events": one page of them}.
    Further pages are linked from the Link header (rel="next")."""
    timeline_filter = parse_timeline_filter(request.GET, also_known=frozenset({"page"}))
    page = parse_page(request.GET, timeline_filter.notices)
    if timeline_filter.notices:
        return _refused(timeline_filter.notices)
    events = timeline_filter.events()
    offset = (page - 1) * JSON_PAGE_SIZE
    window = list(events.for_timeline().with_corrections()[offset : offset + JSON_PAGE_SIZE])
    payload = [event_as_json(event, request.build_absolute_uri) for event in window]
    count = events.count()
    response = JsonResponse({"count": count, "events": payload})
    links = []
    if offset + JSON_PAGE_SIZE < count:
        links.append(_page_link(request, timeline_filter, page + 1, "next"))
    if page > 1:
        links.append(_page_link(request, timeline_filter, page - 1, "prev"))
    if links:
        response["Link"] = ", ".join(links)
    return response


EXPORT_CHUNK = 2000


def _export_filter(request: HttpRequest):
    """The filter an export holds, and the 400 in plain text when it is
    refused (an export has no page to show a notice on)."""
    timeline_filter = parse_timeline_filter(request.GET)
    refused = _refused_as_text(timeline_filter.notices) if timeline_filter.notices else None
    return timeline_filter, refused


def _exported_events(request: HttpRequest):
    """The events an export holds: every event the filter matches, in
    timeline order, read EXPORT_CHUNK at a time; or the refusal."""
    timeline_filter, refused = _export_filter(request)
    if refused:
        return None, refused
    return _events_of(timeline_filter), None


def _events_of(timeline_filter):
    return timeline_filter.events().for_timeline().iterator(chunk_size=EXPORT_CHUNK)


def _sources_of(timeline_filter):
    """The sources whose quotes back the filter's events, by slug."""
    backing = Source.objects.filter(quotes__event__in=timeline_filter.events()).distinct()
    return Source.objects.filter(pk__in=backing).order_by("slug")


def _csv_response(lines, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _refused_as_text(notices: list[str]) -> HttpResponse:
    return HttpResponse(
        f"{_refusal(notices)}\n", status=400, content_type="text/plain; charset=utf-8"
    )


def _csv_export(request: HttpRequest, columns: list[str], rows, filename: str):
    """The filtered events as CSV, `rows(events, absolute_url)` a row dict
    at a time, streamed; or the 400 of a refused filter."""
    events, refused = _exported_events(request)
    if refused:
        return refused
    return _csv_response(csv_lines(columns, rows(events, request.build_absolute_uri)), filename)


@require_safe
@public_page
def events_csv(request: HttpRequest):
    """One row per event: dates as known, basis, status, kind, actors with
    roles, how many quotes back it, its address."""
    return _csv_export(request, EVENT_COLUMNS, event_rows, "events.csv")


@require_safe
@public_page
def quotes_csv(request: HttpRequest):
    """One row per quote: its event, speaker, source, exact text and offsets."""
    return _csv_export(request, QUOTE_COLUMNS, quote_rows, "quotes.csv")


@require_safe
@public_page
def sources_csv(request: HttpRequest):
    """One row per source backing the exported events, with its full text
    and fingerprint: with events.csv and quotes.csv, everything an import
    needs to rebuild the timeline elsewhere."""
    timeline_filter, refused = _export_filter(request)
    if refused:
        return refused
    rows = source_rows(_sources_of(timeline_filter).iterator())
    return _csv_response(csv_lines(SOURCE_COLUMNS, rows), "sources.csv")


@require_safe
@public_page
def timeline_json(request: HttpRequest):
    """The filtered timeline as this app's own document (the format
    manage.py import_timeline reads), sources' full texts included."""
    timeline_filter, refused = _export_filter(request)
    if refused:
        return refused
    title = TimelineTitle.objects.filter(pk=1).first()
    document = timeline_document(
        _events_of(timeline_filter), _sources_of(timeline_filter), title=title
    )
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = 'inline; filename="timeline.json"'
    return response


@require_safe
@public_page
def timelinejs_json(request: HttpRequest):
    """The filtered events in TimelineJS3's JSON format, to load in a
    TimelineJS embed as it is."""
    events, refused = _exported_events(request)
    if refused:
        return refused
    document = timelinejs_document(
        events, title=TimelineTitle.current().title, absolute_url=request.build_absolute_uri
    )
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False})


@require_safe
@public_page
def events_atom(request: HttpRequest):
    """The latest new and corrected events as an Atom feed."""
    timeline_filter = parse_timeline_filter(request.GET)
    if timeline_filter.notices:
        return _refused_as_text(timeline_filter.notices)
    return EventsFeed()(request, timeline_filter=timeline_filter)


@require_safe
@public_page
def events_ics(request: HttpRequest):
    """The events as an iCalendar feed: subscribe to a filtered view and the
    calendar follows the timeline."""
    events, refused = _exported_events(request)
    if refused:
        return refused
    calendar = events_calendar(
        events,
        name=TimelineTitle.current().title,
        uid_domain=request.get_host().split(":")[0],
        absolute_url=request.build_absolute_uri,
    )
    return HttpResponse(calendar, content_type="text/calendar; charset=utf-8")


def _with_selected(sources: list[dict], timeline_filter) -> list[dict]:
    """The form's busiest sources, plus any selected source not among them."""
    shown = {source["slug"] for source in sources}
    extra = [
        {"slug": source.slug, "title": source.title}
        for source in timeline_filter.sources
        if source.slug not in shown
    ]
    return sources + extra


def _page_link(request, timeline_filter, page: int, rel: str) -> str:
    query = "&".join(part for part in (timeline_filter.query_string, f"page={page}") if part)
    return f'<{request.build_absolute_uri(request.path)}?{query}>; rel="{rel}"'


def _refused(notices: list[str]) -> JsonResponse:
    # An API caller gets no page to read a notice on: refuse rather than guess.
    return JsonResponse({"error": _refusal(notices)}, status=400)


def _refusal(notices: list[str]) -> str:
    """The filter's notices as the reason a JSON or export request is refused."""
    return "Request refused: " + " ".join(notices).replace("Ignored ", "")


def bad_request(request: HttpRequest, exception=None):
    """Django's own 400, for a request refused before its view runs (more
    than DATA_UPLOAD_MAX_NUMBER_FIELDS parameters, say), in the format the
    endpoint refuses in: JSON from the JSON endpoints, plain text from the
    exports, the usual page elsewhere (ceasefire/urls.py's handler400)."""
    notices = ["the request could not be read (too many parameters, or too large)."]
    answer_as = _error_format(request)
    if answer_as == "json":
        return _refused(notices)
    if answer_as == "text":
        return _refused_as_text(notices)
    return defaults.bad_request(request, exception)


# The database out of reach: what a JSON or export request is told (pages
# say it in the reader's language, templates/503.html), and when to ask again.
DATABASE_UNAVAILABLE = "Service unavailable: the database cannot be reached. Try again in a minute."
RETRY_AFTER_SECONDS = 60


def server_error(request: HttpRequest):
    """Django's 500 page, unless the error is the database out of reach
    (down, restarting, refusing connections, locked longer than a write
    waits): then a 503 that says so, in the endpoint's format, with
    Retry-After for readers, crawlers and load balancers. Read from no
    database, so it can be shown without one; Django logs the error either
    way (ceasefire/urls.py's handler500, which also catches what the
    middleware raises, such as the response cache's version read)."""
    if not _database_out_of_reach(sys.exc_info()[1]):
        return defaults.server_error(request)
    answer_as = _error_format(request)
    if answer_as == "json":
        response = JsonResponse({"error": DATABASE_UNAVAILABLE}, status=503)
    elif answer_as == "text":
        response = HttpResponse(
            f"{DATABASE_UNAVAILABLE}\n", status=503, content_type="text/plain; charset=utf-8"
        )
    else:
        # LocaleMiddleware may not have run yet: pick the reader's language here.
        with translation.override(translation.get_language_from_request(request)):
            page = loader.render_to_string("503.html", {"path": request.get_full_path()})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    response.headers.setdefault("Content-Security-Policy", content_security_policy())
    return response


# SQLite's words for a database file it cannot use now; PostgreSQL's classes of
# errors that mean "not now" (SQLSTATE 08: connection; 57P0x: shutting down or
# starting; 53300: too many connections). Anything else, a missing table after
# a bad deploy or a timed-out query, is a bug to see as a 500.
_SQLITE_OUT_OF_REACH = ("unable to open database", "database is locked", "disk i/o error")
_POSTGRESQL_OUT_OF_REACH = ("08", "57P01", "57P02", "57P03", "53300")


def _database_out_of_reach(error) -> bool:
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    if str(error).lower().startswith(_SQLITE_OUT_OF_REACH):
        return True
    cause = error.__cause__
    if cause is None or not hasattr(cause, "sqlstate"):
        return False
    # psycopg: no SQLSTATE when the server never answered (refused, gone).
    return cause.sqlstate is None or cause.sqlstate.startswith(_POSTGRESQL_OUT_OF_REACH)


def _error_format(request: HttpRequest) -> str:
    """How an endpoint refuses or fails: "json" from the JSON endpoints,
    "text" from the exports and the feed, "html" (a page) elsewhere."""
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return "html"
    if view in (events_json, chart_json, api_openapi):
        return "json"
    exports = (events_csv, quotes_csv, sources_csv, timeline_json, timelinejs_json, events_ics)
    if view in (*exports, events_atom):
        return "text"
    return "html"


@require_safe
@never_cache
def healthz(request: HttpRequest):
    """What a load balancer asks: is the database there, is the cache. A dead
    cache degrades the site (pages are built from the database) but does not
    stop it, so only a dead database answers 503. Plain text, one line each."""
    checks = {"database": _database_status(), "cache": _cache_status()}
    healthy = checks["database"] == "ok"
    degraded = [name for name, status in checks.items() if status != "ok"]
    lines = ["ok" if not degraded else f"degraded: {', '.join(degraded)}"]
    lines += [f"{name}: {status}" for name, status in checks.items()]
    return HttpResponse(
        "\n".join(lines) + "\n",
        content_type="text/plain; charset=utf-8",
        status=200 if healthy else 503,
    )


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # any failure is the answer
        return f"unavailable ({type(error).__name__})"
    return "ok"


def _cache_status() -> str:
    status = getattr(cache, "status", None)
    return status() if status else "ok"


@require_safe
@public_page
def event_detail(request: HtmxHttpRequest, slug: str):
    # Editors may read a draft as it will look; nobody else knows it exists.
    events = Event.objects.all() if request_is_editor(request) else Event.objects.published()
    event = get_object_or_404(events.for_timeline().with_corrections(), slug=slug)
    quotes = event_quotes_for_reading(event, request.build_absolute_uri)
    # Previous and next within the filter the reader came with (the story).
    timeline_filter = parse_timeline_filter(request.GET)
    previous, following = (None, None)
    if event.publication == Event.Publication.PUBLISHED:
        previous, following = timeline_filter.events().only("slug", "title").neighbours(event)
    context = {
        "filter": timeline_filter,
        "previous_event": previous,
        "next_event": following,
        "event": event,
        "quotes": quotes,
        "accounts": accounts(quotes),
        "speakers": {quote.speaker_id for quote in quotes if quote.speaker_id},
        "in_panel": _wants_fragment(request),
        # One level under the event's title: its h1 on its own page, its h2 in the panel.
        "section_heading": "h3" if _wants_fragment(request) else "h2",
        "account_heading": "h4" if _wants_fragment(request) else "h3",
        "schema_org": event_as_schema_org(event, request.build_absolute_uri),
    }
    template = _fragment_or_page(request, "timeline/event_detail.html", "detail")
    return render(request, template, context)


@require_safe
@public_page
def actor_detail(request: HtmxHttpRequest, slug: str):
    """An actor's events, PAGE_SIZE at a time like the timeline's list."""
    actors = Actor.objects.all() if request_is_editor(request) else Actor.objects.public()
    actor = get_object_or_404(actors, slug=slug)
    page = parse_page(request.GET, notices := [])
    events = Event.objects.published().involving([actor])
    context = {"actor": actor, "selected": {actor.slug}, "notices": notices}
    context.update(_list_window(events, page))
    if _wants_next_window(request):
        return render(request, "timeline/actor_detail.html#more", context)
    context["event_count"] = cached(
        ("actor events", actor.pk), events.count, version=request_cache_version(request)
    )
    return render(request, "timeline/actor_detail.html", context)


@require_safe
@public_page
def source_list(request: HttpRequest):
    sources = Source.objects.public().defer("text")
    return render(request, "timeline/source_list.html", {"sources": sources})


@require_safe
@public_page
def source_detail(request: HttpRequest, slug: str):
    sources = Source.objects.all() if request_is_editor(request) else Source.objects.public()
    source = get_object_or_404(sources, slug=slug)
    quotes = list(
        source.quotes.filter(event__publication=Event.Publication.PUBLISHED)
        .select_related("event", "speaker")
        .order_by(F("start").asc(nulls_last=True), "pk")
    )
    context = {
        "source": source,
        "quotes": quotes,
        "runs": highlight_runs(source.text, quotes),
        "event_count": len({quote.event_id for quote in quotes}),
    }
    return render(request, "timeline/source_detail.html", context)


@require_safe
def favicon(request: HttpRequest):
    # Resolved per request: the fingerprinted name exists only after collectstatic.
    return HttpResponseRedirect(static("timeline/favicon.svg"))


@require_safe
@public_page
def api_openapi(request: HttpRequest):
    """The OpenAPI 3.1 description of the JSON and export endpoints (api.py)."""
    from .api import openapi_document  # api.py reads views.py's page size

    return JsonResponse(openapi_document(), json_dumps_params={"ensure_ascii": False, "indent": 1})


@require_safe
@public_page
def api_reference(request: HttpRequest):
    """The same description for people: every endpoint, its parameters,
    responses, real examples and a curl command to try."""
    from .api import openapi_document, reference_page

    page = reference_page(openapi_document(), origin=f"{request.scheme}://{request.get_host()}")
    context = {"api": page, "openapi_url": reverse("timeline:api_openapi")}
    return render(request, "timeline/api_reference.html", context)


@require_safe
def switch_language(request: HttpRequest, code: str):
    """Remember the reader's interface language and go back to `next`.

    A plain GET link rather than Django's set_language (POST with a CSRF
    token): public pages carry no token, so that they set no cookie and stay
    shareable (see base.html). The cookie is set only here, when a reader asks;
    their later requests are then answered privately (http_cache._is_personal),
    while readers who never switch keep sharing pages chosen by Accept-Language.
    Switching a language is harmless if a third party links to it."""
    if code not in dict(settings.LANGUAGES):
        raise Http404("No such language.")
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("timeline:index")
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        samesite="Lax",
    )
    return response

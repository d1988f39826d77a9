"""Thin views: parse the request, select, render the full page or, for htmx,
the named fragment of the same template."""

from django.db.models import F
from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from .charts import build_timeline_figure
from .citations import accounts, event_quotes_for_reading
from .filters import parse_timeline_filter
from .highlighting import highlight_runs
from .models import Actor, Event, Source
from .serializers import event_as_json


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _fragment_or_page(request: HtmxHttpRequest, template: str, fragment: str) -> str:
    # htmx 2 marks history restores as htmx requests, but they need the whole page.
    if request.htmx and not request.htmx.history_restore_request:
        return f"{template}#{fragment}"
    return template


@require_GET
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def index(request: HtmxHttpRequest):
    timeline_filter = parse_timeline_filter(request.GET)
    events = list(timeline_filter.apply(Event.objects.for_timeline()))
    context = {
        "events": events,
        "filter": timeline_filter,
        "figure": build_timeline_figure(events),
        "actors": Actor.objects.for_filter(),
        "sources": Source.objects.for_filter(),
        "total_events": Event.objects.count(),
    }
    return render(request, _fragment_or_page(request, "timeline/index.html", "results"), context)


@require_GET
def events_json(request: HttpRequest):
    timeline_filter = parse_timeline_filter(request.GET)
    if timeline_filter.notices:
        # An API caller gets no page to read a notice on: refuse rather than guess.
        problems = " ".join(timeline_filter.notices).replace("Ignored ", "")
        return JsonResponse({"error": f"Request refused: {problems}"}, status=400)
    events = timeline_filter.apply(Event.objects.for_timeline())
    payload = [event_as_json(event, request.build_absolute_uri) for event in events]
    return JsonResponse({"count": len(payload), "events": payload})


@require_GET
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def event_detail(request: HtmxHttpRequest, slug: str):
    event = get_object_or_404(Event.objects.for_timeline(), slug=slug)
    quotes = event_quotes_for_reading(event, request.build_absolute_uri)
    context = {
        "event": event,
        "quotes": quotes,
        "accounts": accounts(quotes),
        "speakers": {quote.speaker_id for quote in quotes if quote.speaker_id},
    }
    template = _fragment_or_page(request, "timeline/event_detail.html", "detail")
    return render(request, template, context)


@require_GET
def actor_detail(request: HttpRequest, slug: str):
    actor = get_object_or_404(Actor, slug=slug)
    events = Event.objects.for_timeline().involving([actor])
    context = {"actor": actor, "events": events, "selected": {actor.slug}}
    return render(request, "timeline/actor_detail.html", context)


@require_GET
def source_list(request: HttpRequest):
    sources = Source.objects.defer("text")
    return render(request, "timeline/source_list.html", {"sources": sources})


@require_GET
def source_detail(request: HttpRequest, slug: str):
    source = get_object_or_404(Source, slug=slug)
    quotes = list(
        source.quotes.select_related("event", "speaker").order_by(
            F("start").asc(nulls_last=True), "pk"
        )
    )
    context = {
        "source": source,
        "quotes": quotes,
        "runs": highlight_runs(source.text, quotes),
        "event_count": len({quote.event_id for quote in quotes}),
    }
    return render(request, "timeline/source_detail.html", context)


@require_GET
def favicon(request: HttpRequest):
    # Resolved per request: the fingerprinted name exists only after collectstatic.
    return HttpResponseRedirect(static("timeline/favicon.svg"))

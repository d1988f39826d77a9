from django.urls import path

from . import views

app_name = "timeline"

urlpatterns = [
    path("", views.index, name="index"),
    path("embed/", views.embed, name="embed"),
    path("events.json", views.events_json, name="events_json"),
    path("chart.json", views.chart_json, name="chart_json"),
    path("zoom-presets/", views.zoom_presets_fragment, name="zoom_presets"),
    path("events.csv", views.events_csv, name="events_csv"),
    path("quotes.csv", views.quotes_csv, name="quotes_csv"),
    path("sources.csv", views.sources_csv, name="sources_csv"),
    path("timeline.json", views.timeline_json, name="timeline_json"),
    path("events.ics", views.events_ics, name="events_ics"),
    path("events.atom", views.events_atom, name="events_atom"),
    path("timelinejs.json", views.timelinejs_json, name="timelinejs_json"),
    path("healthz", views.healthz, name="healthz"),
    path("api/", views.api_reference, name="api_reference"),
    path("api/openapi.json", views.api_openapi, name="api_openapi"),
    path("events/<slug:slug>/", views.event_detail, name="event_detail"),
    path("actors/<slug:slug>/", views.actor_detail, name="actor_detail"),
    path("sources/", views.source_list, name="source_list"),
    path("sources/<slug:slug>/", views.source_detail, name="source_detail"),
    path("language/<str:code>/", views.switch_language, name="switch_language"),
    # Browsers ask for /favicon.ico on every page, the admin's included.
    path("favicon.ico", views.favicon),
]

"""Top-level URLs: the admin and the timeline app."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Ceasefire Timeline — editors"
admin.site.site_title = "Ceasefire Timeline admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("timeline.urls")),
]

"""Top-level URLs: the admin and the timeline app."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Ceasefire Timeline — editors"
admin.site.site_title = "Ceasefire Timeline admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("timeline.urls")),
]

# A request Django refuses before any view runs, answered in the endpoint's own format.
handler400 = "timeline.views.bad_request"
# A server error; a 503 saying so when it is the database that cannot be reached.
handler500 = "timeline.views.server_error"

"""WSGI entry point (gunicorn ceasefire.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ceasefire.settings")

application = get_wsgi_application()

# Fingerprint the release from the files this process has just loaded, not
# at its first request (cache keys and ETags carry it; timeline/cache.py).
from timeline.cache import release  # noqa: E402

release()

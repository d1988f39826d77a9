"""WSGI entry point (gunicorn ceasefire.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ceasefire.settings")

application = get_wsgi_application()

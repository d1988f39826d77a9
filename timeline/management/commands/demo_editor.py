"""manage.py demo_editor: a local-only editor account with a fresh random
password, printed once. Refused unless DEBUG is on."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError

USERNAME = "editor"


class Command(BaseCommand):
    help = "Create or reset the local demo editor (staff, may edit the timeline only) and print its password."

    def handle(self, **options):
        if not settings.DEBUG:
            raise CommandError("The demo editor is for local use only (DJANGO_DEBUG=true).")
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(username=USERNAME)
        user.is_staff = True
        user.is_superuser = False
        user.set_password(password)
        user.save()
        user.user_permissions.set(Permission.objects.filter(content_type__app_label="timeline"))
        self.stdout.write(
            f"Demo editor for /admin/: user {USERNAME}, password {password}"
            " (a new password each run; `make admin` creates a superuser of your own)"
        )

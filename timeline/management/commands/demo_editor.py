"""manage.py demo_editor: a local-only editor account with a fresh random
password, printed once. Refused unless DEBUG is on."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

USERNAME = "editor"


class Command(BaseCommand):
    help = "Create or reset the local demo editor (staff, in the Editors group) and print its password."

    def handle(self, **options):
        if not settings.DEBUG:
            raise CommandError("The demo editor is for local use only (DJANGO_DEBUG=true).")
        # The rights of the "Editors" group (migration 0010): the timeline, publishing included.
        editors = Group.objects.filter(name="Editors").first()
        if editors is None:
            raise CommandError(
                'The "Editors" group is missing; `manage.py migrate` makes it on a new database.'
            )
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(username=USERNAME)
        user.is_staff = True
        user.is_superuser = False
        user.set_password(password)
        user.save()
        user.user_permissions.clear()
        user.groups.set([editors])
        self.stdout.write(
            f"Demo editor for /admin/: user {USERNAME}, password {password}"
            " (a new password each run; `make admin` creates a superuser of your own)"
        )

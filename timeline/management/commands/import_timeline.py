"""manage.py import_timeline FILE: load a timeline document (sources, actors,
events with their quotes). All or nothing: any problem and nothing is written."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from timeline.models import Event
from timeline.services import TimelineImportError, timeline_import


class Command(BaseCommand):
    help = "Import a timeline document (JSON, format ceasefire-timeline/1), creating or updating by slug."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has events (so editors' work is never overwritten).",
        )

    def handle(self, path: Path, if_empty: bool, **options):
        if if_empty and Event.objects.exists():
            self.stdout.write(f"The database already has events; {path} was not loaded again.")
            return
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as error:
            raise CommandError(f"No such file: {path}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{path} is not UTF-8 text: {error}") from error
        except json.JSONDecodeError as error:
            raise CommandError(
                f"{path} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
            ) from error
        try:
            summary = timeline_import(document=document)
        except TimelineImportError as error:
            lines = "\n".join(f"  - {problem}" for problem in error.errors)
            raise CommandError(f"{path} was not imported; nothing was written.\n{lines}") from error
        self.stdout.write(self.style.SUCCESS(f"Imported {path}: {summary}."))

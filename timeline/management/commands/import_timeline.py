"""manage.py import_timeline FILE [FILE ...] [--format ...] [--dry-run]: load
a timeline from this app's JSON document or CSV exports, or from TimelineJS
(JSON, or its spreadsheet saved as CSV). All or nothing: any problem and
nothing is written; --dry-run reports what would change and writes nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from timeline.importing import FORMATS, UnreadableFile, read_files
from timeline.models import Event
from timeline.services import TimelineImportError, timeline_import


class Command(BaseCommand):
    help = (
        "Import a timeline, creating or updating by slug: this app's JSON document or its CSV "
        "exports (sources.csv, events.csv, quotes.csv, together), TimelineJS3 JSON or a "
        "TimelineJS spreadsheet saved as CSV. The format is detected when not given."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, metavar="FILE")
        parser.add_argument("--format", choices=FORMATS, help="Skip detection: read FILE as this.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would be created, updated and refused; write nothing.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has events (so editors' work is never overwritten).",
        )

    def handle(
        self, paths: list[Path], format: str | None, dry_run: bool, if_empty: bool, **options
    ):
        names = ", ".join(str(path) for path in paths)
        if if_empty and Event.objects.exists():
            self.stdout.write(f"The database already has events; {names} was not loaded again.")
            return
        files = []
        for path in paths:
            try:
                files.append((str(path), path.read_bytes()))
            except FileNotFoundError as error:
                raise CommandError(f"No such file: {path}") from error
            except IsADirectoryError as error:
                raise CommandError(f"{path} is a directory; give the files in it.") from error
        try:
            reading = read_files(files, format)
            report = timeline_import(
                document=reading.document, dry_run=dry_run, notes=reading.notes
            )
        except (UnreadableFile, TimelineImportError) as error:
            problems = "\n".join(f"  - {problem}" for problem in error.errors)
            raise CommandError(
                f"{names} was not imported; nothing was written.\n{problems}"
            ) from error
        heading = (
            f"Dry run of {names} ({reading.format}): nothing was written. It would give:"
            if dry_run
            else f"Imported {names} ({reading.format}):"
        )
        self.stdout.write(self.style.SUCCESS(heading))
        for line in report.lines():
            self.stdout.write(f"  {line}")

"""manage.py export_timeline [--output FILE]: the whole timeline as this
app's own document, drafts included: the backup that manage.py
import_timeline restores into an empty database.

It is /timeline.json's document (exports.timeline_document) with everything
else a restore needs: every source and actor (quoted or not), every event
with its publication, timestamps and corrections, every quote with its id
and where it stands in its source, and the timeline's title. Not in it: the
edit history and the user accounts, which a database backup keeps."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models.functions import Coalesce

from timeline.exports import timeline_document
from timeline.models import Actor, Event, Source, TimelineTitle

CHUNK = 2000


class Command(BaseCommand):
    help = (
        "Write the whole timeline (drafts, corrections and the title included) as this app's "
        "JSON document, which import_timeline restores into an empty database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, metavar="FILE", help="Write to FILE instead of standard output."
        )

    def handle(self, output: Path | None, **options):
        text = backup_text()
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from error
        self.stderr.write(self.style.SUCCESS(f"Wrote the timeline to {output}."))


def backup_text() -> str:
    """The backup document as text: the same bytes for the same data."""
    events = (
        Event.objects.for_timeline()
        .with_corrections()
        # The timeline's order, then the slug: ties never depend on ids.
        .order_by("start", Coalesce("end", "start"), "title", "slug")
        .iterator(chunk_size=CHUNK)
    )
    document = timeline_document(
        events,
        Source.objects.order_by("slug"),
        title=TimelineTitle.objects.filter(pk=1).first(),
        actors=Actor.objects.order_by("slug"),
        backup=True,
    )
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"

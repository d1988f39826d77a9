"""manage.py check_quotes: re-anchor every quote to its source's current text.

Exits non-zero when any quote is orphaned, so a newsroom's CI can refuse data
in which a claim no longer matches its source.
"""

from django.core.management.base import BaseCommand, CommandError

from timeline.models import Quote
from timeline.services import quotes_recheck


class Command(BaseCommand):
    help = "Re-check every quote against its source text; exit 1 if any is orphaned."

    def handle(self, **options):
        orphaned = quotes_recheck()
        total = Quote.objects.count()
        for quote in orphaned:
            self.stdout.write(
                f"ORPHANED quote {quote.pk} of event {quote.event.slug!r} in source "
                f"{quote.source.slug!r}: \u201c{quote.text}\u201d"
            )
        if orphaned:
            raise CommandError(f"{len(orphaned)} of {total} quotes are orphaned.")
        self.stdout.write(self.style.SUCCESS(f"All {total} quotes verified."))

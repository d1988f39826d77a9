"""manage.py draft_events SOURCE_SLUG [--json]: the events a source's text proposes.

Prints each proposal (title, kind, status, date and how it was found, actors,
quotes with their offsets); with --json, the fixed shape of ``Draft.as_json()``.
Writes nothing: accepting proposals is done in the admin.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from timeline.drafting import draft_events
from timeline.models import Source


class Command(BaseCommand):
    help = "Propose the events of a source's text (writes nothing)."

    def add_arguments(self, parser):
        parser.add_argument("source", help="the source's slug")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print the proposals as JSON"
        )

    def handle(self, *, source, as_json: bool, **options):
        found = Source.objects.filter(slug=source).first()
        if found is None:
            known = ", ".join(Source.objects.order_by("slug").values_list("slug", flat=True)[:10])
            raise CommandError(
                f"No source with slug {source!r}."
                + (f" Sources: {known}." if known else " There are no sources yet.")
            )
        draft = draft_events(found)
        if as_json:
            self.stdout.write(_dumps(draft.as_json()))
            return
        self.stdout.write(self._listing(draft))

    def _listing(self, draft) -> str:
        lines = [
            f"Source {draft.source_slug!r}, dated "
            f"{draft.base_date.isoformat() if draft.base_date else 'unknown'}: "
            f"{len(draft.proposals)} proposals.",
        ]
        for proposal in draft.proposals:
            when = proposal.start.isoformat() if proposal.start else "date unknown"
            if proposal.end:
                when += f" to {proposal.end.isoformat()}"
            lines += [
                "",
                f"{proposal.key}. {proposal.title}",
                f"   {proposal.kind}, {proposal.status}; {when} ({proposal.precision}"
                f"{', inferred' if proposal.date_inferred else ''})",
                f"   Date: {proposal.date_basis}",
            ]
            if proposal.duplicate_of:
                lines.append(f"   Repeats the existing event {proposal.duplicate_of!r}.")
            if proposal.actors:
                lines.append(
                    "   Actors: "
                    + "; ".join(
                        f"{a.name} ({a.role}{'' if a.slug else ', new'})" for a in proposal.actors
                    )
                )
            for quote in proposal.quotes:
                speaker = f"{quote.speaker.name}: " if quote.speaker else ""
                lines.append(f"   [{quote.start}:{quote.end}] {speaker}\u201c{quote.text}\u201d")
        return "\n".join(lines)


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)

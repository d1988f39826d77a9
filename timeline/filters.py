"""Reading the timeline's query parameters: which actors to filter by, and
what was asked for that cannot be honoured (reported, never a 500)."""

import re
from dataclasses import dataclass, field

from django.http import QueryDict

from .models import Actor

KNOWN_PARAMETERS = {"actor"}
MAX_ACTORS = 50
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,200}")


@dataclass
class TimelineFilter:
    actors: list[Actor] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def actor_slugs(self) -> set[str]:
        return {actor.slug for actor in self.actors}

    @property
    def is_active(self) -> bool:
        return bool(self.actors)

    def apply(self, events):
        return events.involving(self.actors)


def parse_timeline_filter(params: QueryDict) -> TimelineFilter:
    """One query for the actors, however many are asked for."""
    timeline_filter = TimelineFilter()
    notices = timeline_filter.notices
    for name in sorted(set(params) - KNOWN_PARAMETERS):
        notices.append(f"Ignored the unknown parameter \u201c{name[:40]}\u201d.")

    slugs: list[str] = []
    for raw in params.getlist("actor"):
        slug = raw.strip()
        if not slug:
            continue
        if not _SLUG.fullmatch(slug):
            notices.append(f"Ignored \u201c{slug[:40]}\u201d: not a valid actor identifier.")
        elif slug not in slugs:
            slugs.append(slug)
    if len(slugs) > MAX_ACTORS:
        notices.append(f"Only the first {MAX_ACTORS} actors were used.")
        slugs = slugs[:MAX_ACTORS]

    found = {actor.slug: actor for actor in Actor.objects.filter(slug__in=slugs)}
    for slug in slugs:
        if slug in found:
            timeline_filter.actors.append(found[slug])
        else:
            notices.append(f"Ignored the unknown actor \u201c{slug}\u201d.")
    return timeline_filter

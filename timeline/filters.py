"""Reading the timeline's query parameters: which actors to filter by, and
what was asked for that cannot be honoured (reported, never a 500)."""

import re
from dataclasses import dataclass, field

from django.http import QueryDict

from .models import Actor

KNOWN_PARAMETERS = {"actor"}
MAX_ACTORS = 50
MAX_NAMED = 3
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
    """One query for the actors, however many are asked for.

    Notices never repeat arbitrary text from the URL (a crafted link must not
    put words on the page): unknown parameters and malformed values are only
    counted; unknown actors are named, being slugs, at most a few of them.
    """
    timeline_filter = TimelineFilter()
    notices = timeline_filter.notices
    unknown_parameters = len(set(params) - KNOWN_PARAMETERS)
    if unknown_parameters:
        notices.append(f"Ignored {_count(unknown_parameters, 'unknown parameter')}.")

    slugs: list[str] = []
    malformed = 0
    for raw in params.getlist("actor"):
        slug = raw.strip()
        if not slug:
            continue
        if not _SLUG.fullmatch(slug):
            malformed += 1
        elif slug not in slugs:
            slugs.append(slug)
    if malformed:
        notices.append(f"Ignored {_count(malformed, 'malformed actor value')}.")
    if len(slugs) > MAX_ACTORS:
        notices.append(f"Only the first {MAX_ACTORS} actors were used.")
        slugs = slugs[:MAX_ACTORS]

    found = {actor.slug: actor for actor in Actor.objects.filter(slug__in=slugs)}
    unknown = [slug for slug in slugs if slug not in found]
    timeline_filter.actors.extend(found[slug] for slug in slugs if slug in found)
    if unknown:
        named = ", ".join(f"\u201c{slug[:40]}\u201d" for slug in unknown[:MAX_NAMED])
        more = f" and {len(unknown) - MAX_NAMED} more" if len(unknown) > MAX_NAMED else ""
        notices.append(f"Ignored {_count(len(unknown), 'unknown actor')}: {named}{more}.")
    return timeline_filter


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"

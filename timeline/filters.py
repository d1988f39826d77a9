"""Reading the timeline's query parameters: which actors and sources to
filter by, and what was asked for that cannot be honoured (reported, never
a 500)."""

import datetime
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import QueryDict

from .models import Actor, Source
from .querysets import counts_per_kind

FILTER_PARAMETERS = {"actor", "source"}
# Added by newsletters and social sites to shared links: ignored without a notice.
TRACKING_PARAMETERS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ref", "ref_src"}
    | {f"utm_{name}" for name in ("source", "medium", "campaign", "term", "content", "id")}
)
MAX_VALUES = 50
MAX_NAMED = 3
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,200}")


@dataclass
class TimelineFilter:
    actors: list[Actor] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def actor_slugs(self) -> set[str]:
        return {actor.slug for actor in self.actors}

    @property
    def source_slugs(self) -> set[str]:
        return {source.slug for source in self.sources}

    @property
    def is_active(self) -> bool:
        return bool(self.actors or self.sources)

    @property
    def query_string(self) -> str:
        """The filter as URL parameters, for links that keep it."""
        pairs = [("actor", actor.slug) for actor in self.actors]
        pairs += [("source", source.slug) for source in self.sources]
        return urlencode(pairs)

    @property
    def cache_key(self) -> tuple:
        return (tuple(sorted(self.actor_slugs)), tuple(sorted(self.source_slugs)))

    def events(self):
        """The published events the filter matches."""
        from .models import Event

        return Event.objects.published().involving(self.actors).backed_by(self.sources)

    def counts_per_kind(self, grain: str, x_range=None) -> list[dict]:
        """See querysets.counts_per_kind."""
        return counts_per_kind(
            actors=self.actors, sources=self.sources, x_range=x_range, grain=grain
        )


def parse_timeline_filter(
    params: QueryDict, *, also_known: frozenset = frozenset()
) -> TimelineFilter:
    """One query per kind of filter, however many values are asked for.

    Notices never repeat arbitrary text from the URL (a crafted link must not
    put words on the page): unknown parameters and malformed values are only
    counted; unknown slugs are named, at most a few of them.
    """
    timeline_filter = TimelineFilter()
    notices = timeline_filter.notices
    unknown_parameters = len(set(params) - FILTER_PARAMETERS - TRACKING_PARAMETERS - also_known)
    if unknown_parameters:
        notices.append(f"Ignored {_count(unknown_parameters, 'unknown parameter')}.")
    timeline_filter.actors = _lookup(params, "actor", Actor.objects.public(), notices)
    timeline_filter.sources = _lookup(
        params, "source", Source.objects.public().defer("text"), notices
    )
    return timeline_filter


def _lookup(params: QueryDict, name: str, queryset, notices: list[str]) -> list:
    slugs: list[str] = []
    malformed = 0
    for raw in params.getlist(name):
        slug = raw.strip()
        if not slug:
            continue
        if not _SLUG.fullmatch(slug):
            malformed += 1
        elif slug not in slugs:
            slugs.append(slug)
    if malformed:
        notices.append(f"Ignored {_count(malformed, f'malformed {name} value')}.")
    if len(slugs) > MAX_VALUES:
        notices.append(f"Only the first {MAX_VALUES} {name}s were used.")
        slugs = slugs[:MAX_VALUES]
    if not slugs:
        return []
    found = {item.slug: item for item in queryset.filter(slug__in=slugs)}
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        named = ", ".join(f"\u201c{slug[:40]}\u201d" for slug in unknown[:MAX_NAMED])
        more = f" and {len(unknown) - MAX_NAMED} more" if len(unknown) > MAX_NAMED else ""
        notices.append(f"Ignored {_count(len(unknown), f'unknown {name}')}: {named}{more}.")
    return [found[slug] for slug in slugs if slug in found]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def parse_page(params: QueryDict, notices: list[str]) -> int:
    """The 1-based page number asked for; 1 with a notice when it is not one."""
    raw = params.get("page", "1").strip()
    if raw.isdigit() and 1 <= int(raw) <= 1_000_000:
        return int(raw)
    notices.append("Ignored a page number that is not a whole number from 1.")
    return 1


def parse_date_range(params: QueryDict) -> tuple[datetime.date, datetime.date] | None:
    """The chart range from `from` and `to` (YYYY-MM-DD); None when absent.
    Raises ValueError with a message a person can act on."""
    low, high = params.get("from"), params.get("to")
    if low is None and high is None:
        return None
    try:
        low_date = datetime.date.fromisoformat(low or "")
        high_date = datetime.date.fromisoformat(high or "")
    except ValueError:
        raise ValueError("from and to must both be dates in YYYY-MM-DD form.") from None
    if high_date < low_date:
        raise ValueError("to must not be before from.")
    return low_date, high_date

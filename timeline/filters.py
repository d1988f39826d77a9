"""The timeline's query parameters, declared once (TimelineFilterForm) and
honoured the same way by every page, fragment, JSON endpoint and export:

    q        search text: every word begins a word of the event's title,
             summary, quotes or actors' names
    from, to a date range (YYYY-MM-DD, YYYY-MM or YYYY): events any part of
             which (span or uncertain range) overlaps it
    actor    (repeatable) with match=any (default) or match=all
    kind, status, source (each repeatable)

What cannot be honoured is reported as a notice (pages show it, the JSON
endpoints refuse with a 400), never a 500; notices never repeat arbitrary
text from the URL (a crafted link must not put words on the page).
"""

import calendar
import datetime
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Actor, Event, Source
from .querysets import MANY_MATCHES, counts_per_kind, facet_counts
from .text import is_ascii_number

FILTER_PARAMETERS = {"q", "from", "to", "actor", "match", "kind", "status", "source", "lanes"}
LANES = ("kind", "actor")  # the chart's rows: one per event kind, or per principal actor
# Added by newsletters and social sites to shared links: ignored without a notice.
TRACKING_PARAMETERS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ref", "ref_src"}
    | {f"utm_{name}" for name in ("source", "medium", "campaign", "term", "content", "id")}
)
MAX_VALUES = 50
MAX_NAMED = 3
MAX_SEARCH_LENGTH = 200
MAX_SEARCH_TERMS = 8
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,200}")
_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_WORD = re.compile(r"\w+")


def search_terms(text: str) -> list[str]:
    """The words of a search, lower-cased, word characters only (letters,
    digits, inner underscores: so no search syntax reaches the database), at
    most MAX_SEARCH_TERMS."""
    terms: list[str] = []
    for word in _WORD.findall(text.lower()):
        word = word.strip("_")
        if word and word not in terms:
            terms.append(word)
    return terms[:MAX_SEARCH_TERMS]


def parse_partial_date(text: str, *, end: bool) -> datetime.date:
    """YYYY-MM-DD, YYYY-MM or YYYY as its first day (`end` False) or its
    last day (`end` True). Raises ValueError."""
    match = _PARTIAL_DATE.fullmatch(text.strip())
    if not match:
        raise ValueError(text)
    year, month, day = (int(part) if part else None for part in match.groups())
    if day is not None:
        return datetime.date(year, month, day)
    if month is not None:
        return datetime.date(year, month, calendar.monthrange(year, month)[1] if end else 1)
    return datetime.date(year, 12, 31) if end else datetime.date(year, 1, 1)


class ValuesField(forms.Field):
    """A repeatable parameter, as the list of its non-blank values."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        return [v.strip() for v in value or [] if v.strip()]


class TimelineFilterForm(forms.Form):
    """Every filter parameter, its validation and its notice, in one place.
    A field's clean method returns the value to filter by and adds a notice
    for what it had to ignore; nothing here raises for bad input."""

    q = forms.CharField(required=False, strip=True)
    actor = ValuesField(required=False)
    match = forms.CharField(required=False)
    kind = ValuesField(required=False)
    status = ValuesField(required=False)
    source = ValuesField(required=False)
    lanes = forms.CharField(required=False)

    def __init__(self, params: QueryDict):
        super().__init__(params)
        # "from" is a Python keyword, so these two are added here.
        self.fields["from"] = forms.CharField(required=False)
        self.fields["to"] = forms.CharField(required=False)
        self.notices: list[str] = []

    def clean_q(self) -> str:
        text = self.cleaned_data["q"]
        if len(text) > MAX_SEARCH_LENGTH:
            self.notices.append(
                _("Only the first %(limit)s characters were searched for.")
                % {"limit": MAX_SEARCH_LENGTH}
            )
            text = text[:MAX_SEARCH_LENGTH]
        return text

    def clean_actor(self) -> list[Actor]:
        return self._lookup("actor", Actor.objects.public())

    def clean_match(self) -> str:
        value = self.cleaned_data["match"].strip() or "any"
        if value not in ("any", "all"):
            self.notices.append(_("match must be any or all; any was used."))
            return "any"
        return value

    def clean_kind(self) -> list[str]:
        return self._choices("kind", Event.Kind.values)

    def clean_status(self) -> list[str]:
        return self._choices("status", Event.Status.values)

    def clean_source(self) -> list[Source]:
        return self._lookup("source", Source.objects.public().defer("text"))

    def clean_lanes(self) -> str:
        value = self.cleaned_data["lanes"].strip() or "kind"
        if value not in LANES:
            self.notices.append(_("lanes must be kind or actor; kind was used."))
            return "kind"
        return value

    def clean(self):
        cleaned = super().clean()
        for name, end in (("from", False), ("to", True)):
            raw = (self.data.get(name) or "").strip()
            cleaned[name], cleaned[f"{name}_text"] = None, ""
            if not raw:
                continue
            try:
                cleaned[name], cleaned[f"{name}_text"] = parse_partial_date(raw, end=end), raw
            except ValueError:
                self.notices.append(
                    _("Ignored a %(name)s date that is not YYYY-MM-DD, YYYY-MM or YYYY.")
                    % {"name": name}
                )
        if cleaned["from"] and cleaned["to"] and cleaned["to"] < cleaned["from"]:
            self.notices.append(_("Ignored from and to: to is before from."))
            cleaned["from"] = cleaned["to"] = None
            cleaned["from_text"] = cleaned["to_text"] = ""
        return cleaned

    def _values(self, name: str) -> list[str]:
        values = []
        for value in self.cleaned_data.get(name) or []:
            if value not in values:
                values.append(value)
        if len(values) > MAX_VALUES:
            self.notices.append(
                _("Only the first %(limit)s %(name)ss were used.")
                % {"limit": MAX_VALUES, "name": name}
            )
            values = values[:MAX_VALUES]
        return values

    def _choices(self, name: str, known: list[str]) -> list[str]:
        values = self._values(name)
        unknown = [value for value in values if value not in known]
        if unknown:
            self.notices.append(
                ngettext(
                    "Ignored %(count)s unknown %(name)s; known %(name)ss are %(known)s.",
                    "Ignored %(count)s unknown %(name)ss; known %(name)ss are %(known)s.",
                    len(unknown),
                )
                % {"count": len(unknown), "name": name, "known": ", ".join(known)}
            )
        return [value for value in values if value in known]

    def _lookup(self, name: str, queryset) -> list:
        slugs, malformed = [], 0
        for slug in self._values(name):
            if _SLUG.fullmatch(slug):
                slugs.append(slug)
            else:
                malformed += 1
        if malformed:
            self.notices.append(
                ngettext(
                    "Ignored %(count)s malformed %(name)s value.",
                    "Ignored %(count)s malformed %(name)s values.",
                    malformed,
                )
                % {"count": malformed, "name": name}
            )
        if not slugs:
            return []
        found = {item.slug: item for item in queryset.filter(slug__in=slugs)}
        unknown = [slug for slug in slugs if slug not in found]
        if unknown:
            named = ", ".join(f"\u201c{slug[:40]}\u201d" for slug in unknown[:MAX_NAMED])
            if len(unknown) > MAX_NAMED:
                named = _("%(named)s and %(more)s more") % {
                    "named": named,
                    "more": len(unknown) - MAX_NAMED,
                }
            self.notices.append(
                ngettext(
                    "Ignored %(count)s unknown %(name)s: %(named)s.",
                    "Ignored %(count)s unknown %(name)ss: %(named)s.",
                    len(unknown),
                )
                % {"count": len(unknown), "name": name, "named": named}
            )
        return [found[slug] for slug in slugs if slug in found]


@dataclass
class TimelineFilter:
    q: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    from_text: str = ""
    to_text: str = ""
    actors: list[Actor] = field(default_factory=list)
    match: str = "any"
    kinds: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    lanes: str = "kind"  # how the chart groups its rows; selects nothing
    notices: list[str] = field(default_factory=list)

    # In slug order, not a set's: a set's order changes with each process's
    # hash seed, and every worker must write the same bytes under one ETag.
    @property
    def actor_slugs(self) -> list[str]:
        return sorted(actor.slug for actor in self.actors)

    @property
    def source_slugs(self) -> list[str]:
        return sorted(source.slug for source in self.sources)

    @property
    def search_terms(self) -> list[str]:
        return search_terms(self.q)

    @property
    def date_range(self) -> tuple[datetime.date, datetime.date] | None:
        if not (self.date_from or self.date_to):
            return None
        return (self.date_from or datetime.date.min, self.date_to or datetime.date.max)

    @property
    def is_active(self) -> bool:
        return bool(self.date_range) or bool(self._selecting_by())

    def _selecting_by(self) -> set[str]:
        """The filters besides dates that select events now: every one that
        events() applies, named as its parameter."""
        values = {
            "q": self.search_terms,
            "actor": self.actors,
            "kind": self.kinds,
            "status": self.statuses,
            "source": self.sources,
        }
        return {name for name, value in values.items() if value}

    def pairs(self) -> list[tuple[str, str]]:
        """The filter as URL parameters, in one canonical order."""
        pairs = [("q", self.q)] if self.search_terms else []
        pairs += [("from", self.from_text)] if self.date_from else []
        pairs += [("to", self.to_text)] if self.date_to else []
        pairs += [("actor", actor.slug) for actor in self.actors]
        pairs += [("match", "all")] if self.match == "all" and len(self.actors) > 1 else []
        pairs += [("kind", kind) for kind in self.kinds]
        pairs += [("status", status) for status in self.statuses]
        pairs += [("source", source.slug) for source in self.sources]
        pairs += [("lanes", self.lanes)] if self.lanes != "kind" else []
        return pairs

    @property
    def query_string(self) -> str:
        """The filter as URL parameters, for links that keep it."""
        return urlencode(self.pairs())

    def without(self, name: str, value: str | None = None) -> str:
        """The query string with one value (or every value) of `name` taken
        off: the link of an active filter's remove chip."""
        kept = [(k, v) for k, v in self.pairs() if not (k == name and value in (None, v))]
        if sum(1 for k, _ in kept if k == "actor") < 2:
            kept = [(k, v) for k, v in kept if k != "match"]  # match needs two actors
        return urlencode(kept)

    def chips(self) -> list[dict]:
        """Each active filter value, named for a reader, with the query
        string that takes it off: the removable chips above the results."""
        kinds, statuses = dict(Event.Kind.choices), dict(Event.Status.choices)
        chips = []
        if self.search_terms:
            chips.append({"label": f"\u201c{self.q}\u201d", "query": self.without("q")})
        if self.date_from:
            chips.append(
                {
                    "label": _("from %(date)s") % {"date": self.from_text},
                    "query": self.without("from"),
                }
            )
        if self.date_to:
            chips.append(
                {"label": _("to %(date)s") % {"date": self.to_text}, "query": self.without("to")}
            )
        for actor in self.actors:
            chips.append({"label": actor.name, "query": self.without("actor", actor.slug)})
        if self.match == "all" and len(self.actors) > 1:
            chips.append(
                {"label": _("all of these actors together"), "query": self.without("match")}
            )
        for kind in self.kinds:
            chips.append({"label": kinds[kind], "query": self.without("kind", kind)})
        for status in self.statuses:
            chips.append({"label": statuses[status], "query": self.without("status", status)})
        for source in self.sources:
            chips.append({"label": source.title, "query": self.without("source", source.slug)})
        return chips

    @property
    def cache_key(self) -> tuple:
        return tuple(sorted(self.pairs()))

    def events(self, *, many: bool = False):
        """The published events the filter matches; `many`, when the caller
        expects many of them (EventQuerySet.matching)."""
        return (
            Event.objects.published()
            .matching(self.search_terms, many=many)
            .overlapping(self.date_range)
            .involving(self.actors, match=self.match)
            .of_kinds(self.kinds)
            .with_statuses(self.statuses)
            .backed_by(self.sources)
        )

    def counted_events(self):
        """The published events the filter matches, for a read that counts
        every one of them: as if there were many (EventQuerySet.matching)."""
        return self.events(many=True)

    def listed_events(self, matching: int | None):
        """The published events the filter matches, for its list; `matching`,
        how many there are, when counted (MANY_MATCHES or more: many)."""
        return self.events(many=matching is not None and matching >= MANY_MATCHES)

    @property
    def by_actors_alone(self) -> list[Actor]:
        """The actors, when the filter is by them alone (any of them, with or
        without dates): what ChartEntry answers by its actor index."""
        alone = self.match == "any" and self._selecting_by() <= {"actor"}
        return self.actors if alone else []

    @property
    def by_search_alone(self) -> list[str]:
        """The search terms, when the filter is by them alone (with or
        without dates): what PostgreSQL's search documents answer alone."""
        return self.search_terms if self._selecting_by() <= {"q"} else []

    def counts_per_kind(self, grain: str, x_range=None) -> list[dict]:
        """See querysets.counts_per_kind. `x_range`, the chart's visible
        range, narrows the filter's own date range."""
        return counts_per_kind(
            events=self.counted_events(),
            by_actors=self.by_actors_alone,
            by_search=self.by_search_alone,
            x_range=_narrowest(x_range, self.date_range),
            grain=grain,
        )

    def facet_counts(self, size: int | None = None) -> dict | None:
        """See querysets.facet_counts."""
        return facet_counts(
            self.events(), by_actors=self.by_actors_alone, x_range=self.date_range, size=size
        )


def _narrowest(first, second):
    if not (first and second):
        return first or second
    return (max(first[0], second[0]), min(first[1], second[1]))


def parse_timeline_filter(
    params: QueryDict, *, also_known: frozenset = frozenset()
) -> TimelineFilter:
    """The filter a request asks for, with a notice for anything ignored.
    One query per kind of named filter (actors, sources), however many
    values are asked for."""
    notices = []
    unknown_parameters = len(set(params) - FILTER_PARAMETERS - TRACKING_PARAMETERS - also_known)
    if unknown_parameters:
        notices.append(
            ngettext(
                "Ignored %(count)s unknown parameter.",
                "Ignored %(count)s unknown parameters.",
                unknown_parameters,
            )
            % {"count": unknown_parameters}
        )
    form = TimelineFilterForm(params)
    form.is_valid()
    cleaned = form.cleaned_data
    return TimelineFilter(
        q=cleaned.get("q", ""),
        date_from=cleaned.get("from"),
        date_to=cleaned.get("to"),
        from_text=cleaned.get("from_text", ""),
        to_text=cleaned.get("to_text", ""),
        actors=cleaned.get("actor", []),
        match=cleaned.get("match", "any"),
        kinds=cleaned.get("kind", []),
        statuses=cleaned.get("status", []),
        sources=cleaned.get("source", []),
        lanes=cleaned.get("lanes", "kind"),
        notices=notices + form.notices,
    )


def parse_page(params: QueryDict, notices: list[str]) -> int:
    """The 1-based page number asked for; 1 with a notice when it is not one."""
    raw = params.get("page", "1").strip()
    if is_ascii_number(raw) and 1 <= int(raw) <= 1_000_000:
        return int(raw)
    notices.append(_("Ignored a page number that is not a whole number from 1."))
    return 1

"""The record of every change to the timeline's records, and what a
correction changed.

django-simple-history keeps a historical table beside each editorial model
(Actor, Source, Event, Participation, Quote, TimelineTitle): one row per
create, change and delete, with the values after it, who made it (the
admin's user, or the request's through HistoryRequestMiddleware) and when.
The admin shows the difference between consecutive rows and can revert to
any of them (a revert is a save, and so recorded too).

Saves and deletes are recorded by simple-history's signals. The bulk
writes, which send none, are recorded by the timeline's querysets
(querysets.TimelineQuerySet calls record_bulk), so an import, a source
correction's re-anchoring, a bulk admin action or any QuerySet.update()
leaves its trace too. Only generate_events, synthetic benchmark data, writes
none (history_paused).

Public pages never read these tables.

A correction's "what changed" is the difference between where the history
stood before an editor's save (history_mark) and where it stands after it
(changes_since): the event's own fields, its actors and its quotes, the
values as /events.json gives them.
"""

import datetime
from contextlib import contextmanager

from django.conf import settings
from django.db.models import Max
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import dates

# The event's fields a reader sees, by their names in /events.json.
CORRECTED_EVENT_FIELDS = [
    "title", "summary", "kind", "status", "start", "end", "precision", "date_basis",
    "date_inferred", "earliest", "latest", "publication",
]  # fmt: skip
FIELD_LABELS = {
    "title": gettext_lazy("Title"),
    "summary": gettext_lazy("Summary"),
    "kind": gettext_lazy("Kind"),
    "status": gettext_lazy("Status"),
    "start": gettext_lazy("Date"),
    "end": gettext_lazy("End date"),
    "precision": gettext_lazy("Precision of the date"),
    "date_basis": gettext_lazy("How the date was established"),
    "date_inferred": gettext_lazy("Date is inferred"),
    "earliest": gettext_lazy("Earliest possible date"),
    "latest": gettext_lazy("Latest possible date"),
    "publication": gettext_lazy("Publication"),
    "actors": gettext_lazy("Actor"),
    "quotes": gettext_lazy("Quote"),
}
_DATE_FIELDS = {"start", "end", "earliest", "latest"}
BULK_CHUNK = 2000


def is_tracked(model) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


def untracked_fields(model) -> set[str]:
    """The fields a model's history does not keep (Event's computed columns)."""
    return set(model.history.model._history_excluded_fields)


def record_changed(model, pks, *, using: str) -> None:
    """Record the rows `pks` of `model` as they now stand, as changed: for
    writes that bypass save() (QuerySet.update(), bulk_update())."""
    if not pks or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    pks = list(pks)
    for index in range(0, len(pks), BULK_CHUNK):
        rows = model._default_manager.using(using).filter(pk__in=pks[index : index + BULK_CHUNK])
        model.history.bulk_history_create(list(rows), update=True, batch_size=BULK_CHUNK)


def record_created(model, rows) -> None:
    """Record rows that bulk_create() just wrote (with their ids), as created."""
    rows = [row for row in rows if row.pk is not None]
    if rows and getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        model.history.bulk_history_create(rows, batch_size=BULK_CHUNK)


@contextmanager
def history_paused():
    """Write no history inside: for generate_events' synthetic benchmark
    data only, which no editor wrote. Process-wide, so never in a server."""
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        yield


def _correction_models():
    from .models import Event, Participation, Quote

    return {"event": Event, "participation": Participation, "quote": Quote}


def history_mark() -> dict[str, int]:
    """Where the history of events, their actors and quotes stands now: the
    last record of each. What a save writes after it is that save's."""
    return {
        name: model.history.aggregate(last=Max("history_id"))["last"] or 0
        for name, model in _correction_models().items()
    }


def changes_since(*, event, mark: dict[str, int]) -> list[dict]:
    """What changed in `event`, its actors and its quotes since `mark`, in
    /events.json's terms: [{"field", "before", "after"}] (event fields
    first, then actors, then quotes; a row added has before None, a row
    removed after None)."""
    models = _correction_models()
    before, after = _states(models["event"], {"id": event.pk}, mark["event"])
    changes = field_changes(
        before.get(event.pk), after.get(event.pk), CORRECTED_EVENT_FIELDS, as_json=_json_value
    )
    before, after = _states(models["participation"], {"event_id": event.pk}, mark["participation"])
    changes += _row_changes("actors", before, after, _actors_described(before, after))
    before, after = _states(models["quote"], {"event_id": event.pk}, mark["quote"])
    changes += _row_changes("quotes", before, after, _quotes_described(before, after))
    return changes


def field_changes(before: dict | None, after: dict | None, fields, *, as_json) -> list[dict]:
    """The fields whose values differ between two states of a record (None:
    the record did not exist yet, or no longer does)."""
    if before is None or after is None:
        return []
    return [
        {"field": name, "before": as_json(before[name]), "after": as_json(after[name])}
        for name in fields
        if before[name] != after[name]
    ]


def _json_value(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def _states(model, filters: dict, mark: int) -> tuple[dict, dict]:
    """{row id: its values} before `mark` and now, for the rows matching
    `filters` that have history after `mark`; a row that did not exist (or
    was deleted) is left out."""
    history = model.history.model.objects
    touched = set(
        history.filter(history_id__gt=mark, **filters).values_list("id", flat=True).distinct()
    )
    if not touched:
        return {}, {}

    def latest(records) -> dict:
        states = {}
        for record in records.filter(id__in=touched).order_by("id", "-history_id").values():
            if record["id"] not in states:
                states[record["id"]] = record
        return {pk: state for pk, state in states.items() if state["history_type"] != "-"}

    return latest(history.filter(history_id__lte=mark)), latest(history.all())


def _row_changes(field: str, before: dict, after: dict, described) -> list[dict]:
    changes = []
    for pk in sorted(set(before) | set(after)):
        was = described(before.get(pk))
        now = described(after.get(pk))
        if was != now:
            changes.append({"field": field, "before": was, "after": now})
    return changes


def _actors_described(*states):
    from .models import Actor

    names = _names(Actor, "name", states, "actor_id")

    def described(state):
        return None if state is None else f"{names.get(state['actor_id'], '?')} ({state['role']})"

    return described


def _quotes_described(*states):
    """A quote as a reader cites it: “its words” — who said them, where."""
    from .models import Actor, Source

    speakers = _names(Actor, "name", states, "speaker_id")
    sources = _names(Source, "title", states, "source_id")

    def described(state):
        if state is None:
            return None
        said_by = [speakers.get(state["speaker_id"]), sources.get(state["source_id"], "?")]
        return f"\u201c{state['text']}\u201d \u2014 {', '.join(name for name in said_by if name)}"

    return described


def _names(model, attribute: str, states, key: str) -> dict:
    ids = {state[key] for rows in states for state in rows.values() if state[key] is not None}
    return dict(model.objects.filter(pk__in=ids).values_list("pk", attribute)) if ids else {}


def corrections_shown(corrections) -> list[dict]:
    """Corrections as a reader reads them, in the active language: the day
    ("20 March 2025"), the note exactly as entered, and each change."""
    return [
        {
            "date": dates.format_date(timezone.localtime(correction.created_at).date(), dates.DAY),
            "iso": correction.created_at.isoformat(timespec="seconds"),
            "note": correction.note,
            "changes": changes_shown(correction.changes),
        }
        for correction in corrections
    ]


def changes_shown(changes: list[dict]) -> list[dict]:
    """A correction's changes: the field's label, and dates, choices and
    yes/no in words; the texts (titles, quotes, names) exactly as entered.
    `kind` says whether a row (an actor, a quote) was added or removed."""
    shown = []
    for change in changes:
        before, after = change["before"], change["after"]
        row = change["field"] in ("actors", "quotes")
        kind = "changed"
        if row and before is None:
            kind = "added"
        elif row and after is None:
            kind = "removed"
        shown.append(
            {
                "kind": kind,
                "label": FIELD_LABELS.get(change["field"], change["field"]),
                "before": _shown(change["field"], before),
                "after": _shown(change["field"], after),
            }
        )
    return shown


def _shown(field: str, value) -> str:
    from .models import Event

    if value is None or value == "":
        return _("(none)")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field in _DATE_FIELDS:
        try:
            return dates.format_date(datetime.date.fromisoformat(value), dates.DAY)
        except (TypeError, ValueError):
            return str(value)
    choices = {
        "kind": Event.Kind,
        "status": Event.Status,
        "precision": Event.Precision,
        "publication": Event.Publication,
    }.get(field)
    if choices is not None and value in choices.values:
        return str(choices(value).label)
    return str(value)

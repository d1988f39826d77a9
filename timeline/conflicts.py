"""No lost edits: an editor's save over an event that someone else saved
since they opened it is refused, and shown again brought up to date.

Every write to an event, its actors or its quotes moves the event's version
on (Event.version); a save is written only over the version its form was
opened at, checked in the UPDATE itself (Event._do_update). The form also
carries where the history stood when it was opened (history.history_mark).
From the two, a refused editor is told who saved meanwhile, when, and what
changed, before and now (the comparison a correction makes:
history.changes_since); and the form shown again holds the other editor's
changes wherever this editor had not changed the same thing, and this
editor's own input everywhere else. Saving that form loses neither's edits.
"""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from . import dates
from .history import FIELD_LABELS, changes_shown, changes_since, history_mark
from .text import is_ascii_number

_MARK_PARTS = ("event", "participation", "quote")
# What a correction calls an event's rows (history.FIELD_LABELS), by model.
_ROW_LABELS = {"participation": "actors", "quote": "quotes"}
_MANAGEMENT = {"TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"}
_MAX_ROWS = 1000  # Django's own limit on a formset's forms


def opened_mark() -> str:
    """Where the history stands now, as a form carries it: "12.40.31"."""
    mark = history_mark()
    return ".".join(str(mark[part]) for part in _MARK_PARTS)


def read_mark(token) -> dict[str, int] | None:
    """The history mark a form carried, or None when it carried none that
    makes sense (a form from before this field existed, or one made by hand)."""
    parts = str(token or "").split(".")
    if len(parts) != len(_MARK_PARTS) or not all(is_ascii_number(part) for part in parts):
        return None
    return {name: int(part) for name, part in zip(_MARK_PARTS, parts, strict=True)}


@dataclass
class Rows:
    """An inline formset of the event's rows, as the change form shows them."""

    prefix: str  # "participations"
    fields: dict  # its form's fields, by name
    fk_name: str  # the field that points at the event
    queryset: object  # the event's rows, in the order the formset lists them


def refused_save(data, *, event, fields: dict, inlines: list[Rows], editor) -> tuple:
    """A save of `event` from the form `data` (a QueryDict, as posted) was
    refused, as the event was saved by someone else since the form was
    opened. Returns the form's data brought up to date, to show again, and
    the lines that tell the editor why.

    `fields` are the event form's fields. Wherever the editor left a value as
    it was when they opened the form, it now holds what was saved since;
    wherever they changed it, it keeps their value. The rows are listed as
    they now stand (rows added meanwhile included, rows removed meanwhile
    left out unless the editor had changed them), and the data carries the
    event's current version from now on."""
    since = read_mark(data.get("opened_history"))
    data = data.copy()
    kept, readded = [], []
    if since is not None:
        kept += _event_brought_up_to_date(data, event, fields, since)
        for rows in inlines:
            both, again = _rows_brought_up_to_date(data, event, rows, since)
            kept += both
            readded += again
    stored = type(event).objects.filter(pk=event.pk).values_list("version", flat=True).first()
    data["opened_version"] = str(stored)
    data["opened_history"] = opened_mark()
    return data, _told(event, since, kept, readded, editor)


def _event_brought_up_to_date(data, event, fields: dict, since: dict[str, int]) -> list[str]:
    model = type(event)
    opened = _opened_states(model, [event.pk], since["event"]).get(event.pk)
    now = model.objects.filter(pk=event.pk).values().first()
    if opened is None or now is None:  # the history has nothing of it: the editor's input stays
        return []
    names = _model_fields(model, fields)
    values, both = _merged({name: data.get(name) for name in names}, fields, model, opened, now)
    for name, value in values.items():
        data.pop(name, None)
        if value is not None:
            data[name] = value
    return [str(FIELD_LABELS.get(name, name)) for name in both]


def _rows_brought_up_to_date(data, event, rows: Rows, since: dict[str, int]):
    """Rewrite the formset `rows` in `data` as the rows now stand, each with
    the editor's changes to it; returns the rows both changed, and those the
    editor changed that were removed meanwhile (now new rows in the form)."""
    model = rows.queryset.model
    label = FIELD_LABELS[_ROW_LABELS[model._meta.model_name]]
    names = _model_fields(model, rows.fields)
    posted = _posted_rows(data, rows.prefix, names)
    listed = {pk: (values, deleted) for pk, values, deleted in posted if pk is not None}
    opened = _opened_states(model, list(listed), since[model._meta.model_name])
    form, both, again = [], [], []
    for now in rows.queryset.values():
        pk = now["id"]
        values = {name: _as_posted(rows.fields[name], now[_attname(model, name)]) for name in names}
        deleted = False
        if pk in listed:
            values, deleted = listed.pop(pk)
            if pk in opened:
                values, changed = _merged(values, rows.fields, model, opened[pk], now)
                if changed:
                    both.append(f"{label} {_described(model, now)}")
        form.append((pk, values, deleted))
    initial = len(form)
    for pk, (values, deleted) in listed.items():  # removed meanwhile
        was = opened.get(pk)
        untouched = was is not None and all(
            _unchanged(rows.fields[name], values[name], was[_attname(model, name)])
            for name in names
        )
        if not (deleted or untouched):
            form.append((None, values, False))
            again.append(f"{label} {_described(model, was)}" if was else str(label))
    form += [(None, values, deleted) for pk, values, deleted in posted if pk is None]

    for key in list(data):
        if key.startswith(f"{rows.prefix}-") and key.split("-", 1)[1] not in _MANAGEMENT:
            del data[key]
    for index, (pk, values, deleted) in enumerate(form):
        row = f"{rows.prefix}-{index}-"
        data[f"{row}id"] = "" if pk is None else str(pk)
        data[f"{row}{rows.fk_name}"] = str(event.pk)
        for name, value in values.items():
            if value is not None:
                data[row + name] = value
        if deleted:
            data[f"{row}DELETE"] = "on"
    data[f"{rows.prefix}-TOTAL_FORMS"] = str(len(form))
    data[f"{rows.prefix}-INITIAL_FORMS"] = str(initial)
    return both, again


def _posted_rows(data, prefix: str, names: list[str]) -> list:
    """[(row id or None for a new row, {field: posted value}, ticked for deletion)]."""
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), _MAX_ROWS)
        initial = int(data.get(f"{prefix}-INITIAL_FORMS", 0))
    except ValueError:
        return []
    rows = []
    for index in range(total):
        row = f"{prefix}-{index}-"
        pk = data.get(f"{row}id", "")
        values = {name: data.get(row + name) for name in names}
        deleted = forms.BooleanField().to_python(data.get(f"{row}DELETE"))
        rows.append((int(pk) if index < initial and is_ascii_number(pk) else None, values, deleted))
    return rows


def _merged(posted: dict, fields: dict, model, opened: dict, now: dict) -> tuple[dict, list]:
    """A record's fields as a browser would post them: the editor's value
    where they changed it since `opened`, else its value `now`. Also returns
    the fields both the editor and someone else changed, differently."""
    values, both = {}, []
    for name, value in posted.items():
        field, attname = fields[name], _attname(model, name)
        if _unchanged(field, value, opened[attname]):
            values[name] = _as_posted(field, now[attname])
            continue
        values[name] = value
        if now[attname] != opened[attname] and not _unchanged(field, value, now[attname]):
            both.append(name)
    return values, both


def _model_fields(model, fields: dict) -> list[str]:
    """The names of the form's fields that are the record's own, besides its
    id and the event it belongs to."""
    return [name for name in fields if _attname(model, name) and name not in ("id", "event")]


def _attname(model, name: str) -> str | None:
    try:
        return model._meta.get_field(name).attname
    except FieldDoesNotExist:  # a form's own field, such as the correction's note
        return None


def _unchanged(field, posted, value) -> bool:
    """Whether a browser posting `posted` for `field` left `value` as it was."""
    if isinstance(field, forms.BooleanField):
        return field.to_python(posted) == bool(value)
    if isinstance(field, forms.ModelChoiceField):  # related records by their ids
        return (posted or "") == ("" if value is None else str(value))
    try:
        python = field.to_python(posted)
    except ValidationError:
        return False
    if isinstance(python, str):
        return python.replace("\r\n", "\n") == ("" if value is None else value)
    return python == value


def _as_posted(field, value) -> str | None:
    """`value` as a browser posts `field` holding it (None: not posted, as an unticked box)."""
    if isinstance(field, forms.BooleanField):
        return "on" if value else None
    if value is None:
        return ""
    if isinstance(field, forms.DateField):
        return field.widget.format_value(value)
    return str(value)


def _described(model, state: dict) -> str:
    """A row as the admin names it ("Lena Marsh (principal)", a quote's words)."""
    fields = {
        f.attname: state[f.attname] for f in model._meta.concrete_fields if f.attname in state
    }
    return f"\u201c{model(**fields)}\u201d"


def _opened_states(model, pks: list[int], mark: int) -> dict[int, dict]:
    """{id: its values} of the records `pks` as the history had them at `mark`."""
    states = {}
    records = (
        model.history.filter(id__in=pks, history_id__lte=mark)
        .order_by("id", "-history_id")
        .values()
    )
    for record in records:
        states.setdefault(record["id"], record)
    return {pk: state for pk, state in states.items() if state["history_type"] != "-"}


def _told(event, since, kept: list[str], readded: list[str], editor) -> list[str]:
    """Who saved the event last and when (if the history knows), each change
    made since the form was opened, before and now, and what to do."""
    last = _last_record(event)
    by_you = last is not None and editor is not None and last.history_user_id == editor.pk
    if by_you:
        lead = _("You saved this event in another window or tab since you opened it here")
    else:
        lead = _("Someone else saved this event since you opened it")
    if last is not None:
        when = timezone.localtime(last.history_date)
        at = f"{dates.format_date(when.date(), dates.DAY)}, {when:%H:%M}"
        if last.history_user is not None and not by_you:
            who = last.history_user.get_full_name() or last.history_user.get_username()
            lead += " " + _("(by %(user)s at %(time)s)") % {"user": who, "time": at}
        else:
            lead += " " + _("(at %(time)s)") % {"time": at}
    lines = [f"{lead}."]
    if since is None:
        lines.append(_("This form does not say when it was opened, so what changed is not known."))
    else:
        changes = changes_shown(changes_since(event=event, mark=since))
        if changes:
            lines.append(_("What changed meanwhile (before → now):"))
            lines.extend(_change_line(change) for change in changes)
            lines.append(_("The form below has these changes, except where you changed the same."))
        else:
            lines.append(_("It was saved without a change that this form shows."))
    if kept:
        lines.append(
            _("You changed these too, and the form keeps your version: %(fields)s.")
            % {"fields": ", ".join(kept)}
        )
    if readded:
        lines.append(
            _(
                "You changed these, which were removed meanwhile; the form adds them again: %(rows)s."
            )
            % {"rows": ", ".join(readded)}
        )
    lines.append(_("Your changes are below and have not been saved; review them and save again."))
    return lines


def _change_line(change: dict) -> str:
    values = {"label": change["label"], "before": change["before"], "after": change["after"]}
    if change["kind"] == "added":
        return _("%(label)s added: %(after)s") % values
    if change["kind"] == "removed":
        return _("%(label)s removed: %(before)s") % values
    return _("%(label)s: %(before)s → %(after)s") % values


def _last_record(event):
    """The latest history record of the event, its actors or its quotes: the
    save that made the event's current version."""
    from .models import Participation, Quote

    histories = [
        type(event).history.filter(id=event.pk),
        Participation.history.filter(event_id=event.pk),
        Quote.history.filter(event_id=event.pk),
    ]
    found = [
        record
        for record in (
            history.select_related("history_user").order_by("-history_date").first()
            for history in histories
        )
        if record is not None
    ]
    return max(found, key=lambda record: record.history_date, default=None)

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

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from . import dates
from .history import FIELD_LABELS, changes_shown, changes_since, history_mark

_MARK_PARTS = ("event", "participation", "quote")
# The inline formsets' prefixes: the mark's name for their rows' history,
# and what a correction calls them.
_ROWS = {"participations": ("participation", "actors"), "quotes": ("quote", "quotes")}


def opened_mark() -> str:
    """Where the history stands now, as a form carries it: "12.40.31"."""
    mark = history_mark()
    return ".".join(str(mark[part]) for part in _MARK_PARTS)


def read_mark(token) -> dict[str, int] | None:
    """The history mark a form carried, or None when it carried none that
    makes sense (a form from before this field existed, or one made by hand)."""
    parts = str(token or "").split(".")
    if len(parts) != len(_MARK_PARTS) or not all(part.isdigit() for part in parts):
        return None
    return {name: int(part) for name, part in zip(_MARK_PARTS, parts, strict=True)}


def refused_save(data, *, event, form_fields: dict, editor) -> tuple:
    """A save of `event` from the form `data` (a QueryDict, as posted) was
    refused, as the event was saved by someone else since the form was
    opened. Returns the form's data brought up to date, to show again, and
    the lines that tell the editor why.

    `form_fields` gives the form fields by formset prefix ("" for the event's
    own form). A field the editor left as it was when they opened the form
    now holds what was saved since; a field they changed keeps their value.
    The data carries the event's current version from now on."""
    since = read_mark(data.get("opened_history"))
    data = data.copy()
    kept = []
    if since is not None:
        kept = _bring_up_to_date(data, event, since, form_fields)
    stored = type(event).objects.filter(pk=event.pk).values_list("version", flat=True).first()
    data["opened_version"] = str(stored)
    data["opened_history"] = opened_mark()
    return data, _told(event, since, kept, editor)


def _bring_up_to_date(data, event, since: dict[str, int], form_fields: dict) -> list[str]:
    """Put what was saved since `since` into `data` where the editor had not
    changed the same field; returns the names of what both changed."""
    model = type(event)
    kept = []
    opened = _opened_states(model, [event.pk], since["event"])
    now = {row["id"]: row for row in model.objects.filter(pk=event.pk).values()}
    if event.pk in opened and event.pk in now:
        both = _merge(data, "", form_fields[""], model, opened[event.pk], now[event.pk])
        kept += [str(FIELD_LABELS.get(name, name)) for name in both]
    for prefix, (part, label) in _ROWS.items():
        if prefix not in form_fields:
            continue
        rows = model._meta.get_field(prefix).related_model
        ids = _listed_rows(data, prefix)
        opened = _opened_states(rows, list(ids.values()), since[part])
        now = {row["id"]: row for row in rows.objects.filter(pk__in=ids.values()).values()}
        for index, pk in ids.items():
            if pk not in opened:
                continue
            if pk not in now:  # removed meanwhile: what the editor left of it goes too
                if not _merge(
                    data, f"{prefix}-{index}-", form_fields[prefix], rows, opened[pk], None
                ):
                    data[f"{prefix}-{index}-DELETE"] = "on"
                continue
            fields = form_fields[prefix]
            if _merge(data, f"{prefix}-{index}-", fields, rows, opened[pk], now[pk]):
                kept.append(f"{FIELD_LABELS[label]} \u201c{rows.objects.get(pk=pk)}\u201d")
    return kept


def _merge(data, prefix: str, fields: dict, model, opened: dict, now: dict | None) -> list[str]:
    """For each of the record's fields in the form: where the posted value is
    the one it had when the form was opened, put in its value `now`. Returns
    the fields the editor changed that were changed meanwhile too (with `now`
    None, the record is gone: the fields the editor changed at all)."""
    both = []
    for name, field in fields.items():
        try:
            attname = model._meta.get_field(name).attname
        except FieldDoesNotExist:  # a form's own field, such as the correction's note
            continue
        if name in ("id", "event") or attname not in opened:
            continue
        was = opened[attname]
        posted = data.get(prefix + name)
        untouched = _unchanged(field, posted, was)
        if now is None:
            if not untouched:
                both.append(name)
            continue
        if now[attname] == was:
            continue
        if untouched:
            _put(data, prefix + name, field, now[attname])
        elif not _unchanged(field, posted, now[attname]):
            both.append(name)
    return both


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


def _put(data, name: str, field, value) -> None:
    """Put `value` in `data` as a browser posts `field` holding it."""
    if isinstance(field, forms.BooleanField):
        if value:
            data[name] = "on"
        else:
            data.pop(name, None)  # an unticked box is not posted
    elif value is None:
        data[name] = ""
    elif isinstance(field, forms.DateField):
        data[name] = field.widget.format_value(value)
    else:
        data[name] = str(value)


def _listed_rows(data, prefix: str) -> dict[int, int]:
    """{form index: row id} of the stored rows a formset's data lists."""
    try:
        count = int(data.get(f"{prefix}-INITIAL_FORMS", 0))
    except ValueError:
        return {}
    rows = {}
    for index in range(min(count, 1000)):
        pk = data.get(f"{prefix}-{index}-id", "")
        if pk.isdigit():
            rows[index] = int(pk)
    return rows


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


def _told(event, since: dict[str, int] | None, kept: list[str], editor) -> list[str]:
    """Who saved the event last and when (if the history knows), each change
    made since the form was opened, before and now, and what to do."""
    last = _last_record(event)
    if last is not None and editor is not None and last.history_user_id == editor.pk:
        lead = _("You saved this event in another window or tab since you opened it here")
    else:
        lead = _("Someone else saved this event since you opened it")
    if last is not None:
        when = timezone.localtime(last.history_date)
        at = f"{dates.format_date(when.date(), dates.DAY)}, {when:%H:%M}"
        if last.history_user is not None:
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
            lines.append(_("What changed meanwhile (before \u2192 now):"))
            lines.extend(_change_line(change) for change in changes)
            lines.append(_("The form below has these changes, except where you changed the same."))
        else:
            lines.append(_("It was saved without a change that this form shows."))
    if kept:
        lines.append(
            _("You changed these too, and the form keeps your version: %(fields)s.")
            % {"fields": ", ".join(kept)}
        )
    lines.append(_("Your changes are below and have not been saved; review them and save again."))
    return lines


def _change_line(change: dict) -> str:
    values = {"label": change["label"], "before": change["before"], "after": change["after"]}
    if change["kind"] == "added":
        return _("%(label)s added: %(after)s") % values
    if change["kind"] == "removed":
        return _("%(label)s removed: %(before)s") % values
    return _("%(label)s: %(before)s \u2192 %(after)s") % values


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

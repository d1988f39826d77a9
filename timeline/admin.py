"""Editors' admin: events with their actors and quotes inline; actors and
sources by autocomplete. Quote offsets are computed, never typed."""

import secrets

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.db.models import Count, Prefetch, Q
from django.forms.models import BaseInlineFormSet
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from .cache import data_changed
from .conflicts import Rows, opened_mark, refused_save
from .drafting import review as drafting_review
from .history import history_mark
from .importing import FORMATS, UnreadableFile, read_files
from .models import (
    Actor,
    Correction,
    EditConflict,
    Event,
    Participation,
    Quote,
    Source,
    TimelineTitle,
)
from .services import (
    PUBLISH_PERMISSION,
    TimelineImportError,
    event_correct,
    events_publish,
    events_touch,
    events_unpublish_unbacked,
    quote_attach,
    source_save,
    timeline_import,
)


def _browser_newlines(text: str) -> str:
    # Browsers submit text areas with CRLF line ends; sources are stored with LF.
    return text.replace("\r\n", "\n")


class QuoteAdminForm(forms.ModelForm):
    class Meta:
        model = Quote
        fields = ["event", "source", "speaker", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "cols": 90})}

    def clean_text(self):
        return _browser_newlines(self.cleaned_data["text"])


class TimelineAdmin(SimpleHistoryAdmin):
    """An admin whose saves (inlines included: they are saved in the same
    transaction) and deletes mark the timeline's data changed. Bulk deletes
    go through QuerySet.delete(), which does the same.

    Every record's "History" page lists each change with who made it, when,
    and each changed field's value before and after; choosing a version
    opens it in a form that reverts to it on save (itself a recorded
    change). See history.py."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        data_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        data_changed()


class NeededToPublishFormSet(BaseInlineFormSet):
    """Rows a published event cannot do without; a draft may have none yet.
    `missing` says what is missing, in the editor's words."""

    missing = ""

    def clean(self):
        super().clean()
        if self.instance.publication != Event.Publication.PUBLISHED:
            return
        kept = [
            form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if not kept:
            raise ValidationError(
                f"A published event needs {self.missing}. Add one, or save the event as a "
                "draft until it has one."
            )


class ActorsNeededToPublish(NeededToPublishFormSet):
    missing = "at least one actor"
    # In the tabular inline the delete box's only name is its column's head,
    # which it does not point to (axe: label).
    deletion_widget = forms.CheckboxInput(attrs={"aria-label": gettext_lazy("Delete")})

    def clean(self):
        # Each actor once per event (participation_unique), checked here with
        # the stored rows the form does not list (a stale or hand-made form),
        # so that the editor reads which actor, not a server error.
        listed = {form.instance.pk for form in self.initial_forms}
        stored = {row.actor_id for row in self.get_queryset() if row.pk not in listed}
        seen = set()
        for form in self.forms:
            actor = (form.cleaned_data or {}).get("actor")
            if actor is None or self._should_delete_form(form):
                continue
            if actor.pk in stored:
                form.add_error("actor", ALREADY_TAKES_PART % {"actor": actor})
            elif actor.pk in seen:
                form.add_error("actor", LISTED_TWICE % {"actor": actor})
            seen.add(actor.pk)
        super().clean()


ALREADY_TAKES_PART = gettext_lazy(
    "%(actor)s already takes part in this event. Reload the page to see their row, "
    "and change their role there."
)
LISTED_TWICE = gettext_lazy("%(actor)s is in this list twice: remove one of the rows.")


class QuotesNeededToPublish(NeededToPublishFormSet):
    missing = "at least one quote verified in its source"


class ParticipationInline(admin.TabularInline):
    model = Participation
    formset = ActorsNeededToPublish
    autocomplete_fields = ["actor"]
    extra = 1

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # A tabular inline names its columns in the table's head, which no
        # field points to: each field carries its column's name (axe: select-name).
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None:
            formfield.widget.attrs.setdefault("aria-label", capfirst(formfield.label))
        return formfield


class QuoteInline(admin.StackedInline):
    """Every published event is backed by at least one quote: a quote is
    saved only when its words occur in its source (Quote.clean)."""

    model = Quote
    formset = QuotesNeededToPublish
    extra = 1
    autocomplete_fields = ["source", "speaker"]
    fields = ["source", "speaker", "text", "verification", "start", "end"]
    readonly_fields = ["verification", "start", "end"]

    @admin.display(description="Status")
    def verification(self, quote):
        return quote.get_status_display() if quote.pk else "checked when saved"

    form = QuoteAdminForm


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field, as Django's documentation does it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class ImportForm(forms.Form):
    """The files to import (Django's documented way to take several)."""

    MAX_BYTES = 50 * 1024 * 1024

    files = MultipleFileField(
        widget=MultipleFileInput(attrs={"accept": ".json,.csv,application/json,text/csv"}),
        help_text="This app's timeline.json, or its sources.csv, events.csv and quotes.csv "
        "together; or a TimelineJS spreadsheet saved as CSV, or TimelineJS JSON.",
    )
    format = forms.ChoiceField(
        choices=[("", "Detect from the content")] + [(name, name) for name in FORMATS],
        required=False,
    )

    def clean_files(self):
        uploads = self.cleaned_data["files"]
        if sum(upload.size for upload in uploads) > self.MAX_BYTES:
            raise ValidationError(f"At most {self.MAX_BYTES // 2**20} MB at a time.")
        return [(upload.name, upload.read()) for upload in uploads]


IMPORT_SESSION_KEY = "timeline_import_checked"

NOT_ALLOWED_TO_PUBLISH = (
    "Publishing needs the \u201cCan publish events\u201d permission, which you do not have. "
    "Save the event as a draft; an editor who may publish can publish it."
)


class EventAdminForm(forms.ModelForm):
    """`may_publish` is set per request (EventAdmin.get_form): without it a
    draft or a new event cannot be saved as published.

    "This is a correction" (shown when changing an event) makes the save a
    public correction, with a one-line note for readers."""

    may_publish = False  # unless the request's user may
    refusal = None  # why a save was refused: shown again (conflicts.refused_save)

    # What the form was opened at: the event's version, and where its history
    # stood (conflicts.py). A save from any other version is refused.
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    opened_history = forms.CharField(widget=forms.HiddenInput, required=False)

    is_correction = forms.BooleanField(
        label=gettext_lazy("This is a correction"),
        required=False,
        help_text=gettext_lazy(
            "Readers then see the note and what this save changes (quotes and actors "
            "included) on the event's page, in the feed and in the API, for good. "
            "Leave it unticked for a silent edit, such as a typo or a draft."
        ),
    )
    correction_note = forms.CharField(
        label=gettext_lazy("Correction note"),
        max_length=Correction._meta.get_field("note").max_length,
        required=False,
        help_text=gettext_lazy("One line for readers: what was wrong."),
        widget=forms.TextInput(attrs={"size": 90}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.initial["opened_version"] = self.instance.version
            self.initial["opened_history"] = opened_mark()

    def clean(self):
        cleaned = super().clean()
        note = " ".join(cleaned.get("correction_note", "").split())
        cleaned["correction_note"] = note
        if cleaned.get("is_correction") and not note:
            self.add_error(
                "correction_note",
                gettext_lazy("Say in one line what was corrected: readers see this note."),
            )
        if self.refusal:
            self.add_error(None, self.refusal)
        elif (
            self.instance.pk is not None and cleaned.get("opened_version") != self.instance.version
        ):
            # Saved by someone else since this form was opened (the UPDATE
            # checks again, in case a save lands after this: Event._do_update).
            raise EditConflict(self.instance, cleaned.get("opened_version"))
        return cleaned

    def clean_publication(self):
        publication = self.cleaned_data["publication"]
        # As stored, not as the form's instance has it: reverting from the
        # history fills the instance with an old version's values.
        stored = (
            Event.objects.filter(pk=self.instance.pk).values_list("publication", flat=True).first()
        )
        publishing = (
            publication == Event.Publication.PUBLISHED and stored != Event.Publication.PUBLISHED
        )
        if publishing and not self.may_publish:
            raise ValidationError(NOT_ALLOWED_TO_PUBLISH)
        return publication


@admin.register(Event)
class EventAdmin(TimelineAdmin):
    form = EventAdminForm
    actions = ["publish_drafts"]
    change_list_template = "admin/timeline/event/change_list.html"
    list_display = [
        "title",
        "date_display",
        "publication",
        "kind",
        "status",
        "actor_names",
        "quote_count",
    ]
    list_filter = [
        "publication",
        "kind",
        "status",
        "precision",
        ("participations__actor", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "summary", "quotes__text"]
    date_hierarchy = "start"
    inlines = [ParticipationInline, QuoteInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", ("kind", "status"), "publication"]}),
        ("When", {"fields": [("start", "end", "precision"), "date_basis", "date_inferred"]}),
        (
            "Uncertain dates",
            {
                "fields": [("earliest", "latest")],
                "description": "Bounds for a date that is not known exactly, "
                "e.g. only the latest for \u201csome time before 18 March\u201d.",
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "participations",
                    queryset=Participation.objects.select_related("actor"),
                ),
                Prefetch("quotes", queryset=Quote.objects.only("id", "event_id")),
            )
        )

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:  # a new event corrects nothing, and no one else can have saved it
            return fieldsets
        (name, first), *others = fieldsets
        opened = {**first, "fields": [*first["fields"], ("opened_version", "opened_history")]}
        correction = (
            gettext_lazy("Correction"),
            {"fields": ["is_correction", "correction_note"]},
        )
        return [(name, opened), *others, correction]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self._refusing_edit_conflicts(
            super().changeform_view, request, object_id, form_url, extra_context
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reverting to a version is a save like any other.
        return self._refusing_edit_conflicts(
            super().history_form_view, request, object_id, version_id, extra_context
        )

    def _refusing_edit_conflicts(self, view, request, *args):
        """Run the view in one transaction. A save from a form opened before
        someone else saved the event (EditConflict: raised by the form, or by
        the UPDATE when their save lands after the form's check) writes
        nothing at all, inlines included: the transaction is rolled back, and
        the view runs again on the editor's input brought up to date, its
        form refused with what changed meanwhile (conflicts.py)."""
        for attempt in range(3):
            try:
                with transaction.atomic(using=router.db_for_write(self.model)):
                    return view(request, *args)
            except EditConflict as conflict:
                if attempt == 2:
                    raise
                event = conflict.event
                inlines = [
                    Rows(
                        prefix=formset.get_default_prefix(),
                        fields=formset.form.base_fields,
                        fk_name=formset.fk.name,
                        queryset=formset(
                            instance=event, queryset=inline.get_queryset(request)
                        ).get_queryset(),
                    )
                    for formset, inline in self.get_formsets_with_inlines(request, event)
                ]
                request.POST, request.timeline_edit_refused = refused_save(
                    request.POST,
                    event=event,
                    fields=self.get_form(request, event).base_fields,
                    inlines=inlines,
                    editor=request.user,
                )

    def save_model(self, request, obj, form, change):
        if change:
            # Written only over the version the editor's form was opened at,
            # checked in the UPDATE itself (Event._do_update).
            obj.version = form.cleaned_data["opened_version"]
        if change and form.cleaned_data.get("is_correction"):
            # Where the history stands before this save: what it writes after
            # this, inlines included, is what the correction changed.
            form.correction_since = history_mark()
        super().save_model(request, obj, form, change)

    def construct_change_message(self, request, form, formsets, add=False):
        # The one hook that both the change form and the history's revert
        # form call once everything is saved, in the save's transaction.
        since = getattr(form, "correction_since", None)
        if since is not None:
            event_correct(
                event=form.instance,
                note=form.cleaned_data["correction_note"],
                editor=request.user,
                since=since,
            )
        return super().construct_change_message(request, form, formsets, add)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)  # a new class for each request
        form.may_publish = self.has_publish_permission(request)
        form.refusal = getattr(request, "timeline_edit_refused", None)
        return form

    @admin.action(description="Publish the selected drafts", permissions=["publish"])
    def publish_drafts(self, request, queryset):
        published, not_ready = events_publish(event_ids=queryset.values_list("pk", flat=True))
        if published:
            self.message_user(request, f"Published {len(published)} event(s).", messages.SUCCESS)
        if not_ready:
            self.message_user(
                request,
                "Left as drafts, as they need at least one actor and one quote verified in "
                f"its source: {', '.join(event.title for event in not_ready)}.",
                messages.WARNING,
            )

    def get_urls(self):
        own = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="timeline_event_import",
            )
        ]
        return own + super().get_urls()

    def import_view(self, request):
        """Upload, see what the import would do (a dry run), then confirm.
        The checked document waits in the session, so the import applies
        exactly what the editor saw, checked again as it is written."""
        needed = [
            f"timeline.{action}_{model}"
            for action in ("add", "change")
            for model in ("event", "actor", "source", "quote", "participation")
        ]
        if not request.user.has_perms(needed):
            raise PermissionDenied
        form = ImportForm()
        context = {
            **self.admin_site.each_context(request),
            "title": "Import a timeline",
            "opts": self.model._meta,
        }
        if request.method == "POST" and "confirm" in request.POST:
            checked = request.session.get(IMPORT_SESSION_KEY)
            if not checked or checked["token"] != request.POST.get("token"):
                context["errors"] = ["That check has expired; upload the files again."]
            else:
                del request.session[IMPORT_SESSION_KEY]
                try:
                    report = timeline_import(
                        document=checked["document"],
                        notes=checked["notes"],
                        may_publish=self.has_publish_permission(request),
                        restore=False,
                    )
                except TimelineImportError as error:
                    context["errors"] = error.errors  # the data changed since the check
                else:
                    context.update(report=report, names=checked["names"], done=True)
        elif request.method == "POST":
            form = ImportForm(request.POST, request.FILES)
            if form.is_valid():
                files = form.cleaned_data["files"]
                names = ", ".join(name for name, _ in files)
                try:
                    reading = read_files(files, form.cleaned_data["format"] or None)
                    report = timeline_import(
                        document=reading.document,
                        dry_run=True,
                        notes=reading.notes,
                        may_publish=self.has_publish_permission(request),
                        restore=False,
                    )
                except (UnreadableFile, TimelineImportError) as error:
                    context["errors"] = error.errors
                else:
                    token = secrets.token_urlsafe(16)
                    request.session[IMPORT_SESSION_KEY] = {
                        "token": token,
                        "document": reading.document,
                        "notes": reading.notes,
                        "names": names,
                    }
                    context.update(report=report, names=names, token=token, format=reading.format)
        context["form"] = form
        return TemplateResponse(request, "admin/timeline/event/import.html", context)

    def get_prepopulated_fields(self, request, obj=None):
        # Once an event exists its slug is its permanent address.
        return {} if obj else {"slug": ["title"]}

    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if obj else []

    @admin.display(description="Date", ordering="start")
    def date_display(self, event):
        return event.date_display

    @admin.display(description="Actors")
    def actor_names(self, event):
        return ", ".join(p.actor.name for p in event.participations.all())

    @admin.display(description="Quotes")
    def quote_count(self, event):
        return len(event.quotes.all())


@admin.register(Actor)
class ActorAdmin(TimelineAdmin):
    list_display = ["name", "kind", "slug"]
    list_filter = ["kind"]
    # Name and slug only, so typing a name in an autocomplete finds that actor first.
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class SourceAdminForm(forms.ModelForm):
    # strip=False: the text is stored exactly as given, edge white space included.
    text = forms.CharField(
        strip=False,
        widget=forms.Textarea(attrs={"rows": 20, "cols": 100}),
        help_text=Source._meta.get_field("text").help_text,
    )
    url = forms.URLField(
        label="URL",
        required=False,
        assume_scheme="https",
        max_length=500,
        help_text=Source._meta.get_field("url").help_text,
    )

    class Meta:
        model = Source
        fields = ["title", "slug", "publisher", "url", "published_on", "notes", "text"]

    def clean_text(self):
        return _browser_newlines(self.cleaned_data["text"])


class AttachQuoteForm(forms.Form):
    """A passage selected in the source text, attached as a quote to an event.
    Events and speakers are searched as the editor types (the admin's
    autocomplete), never listed whole: a timeline may hold 100,000 events."""

    event = forms.ModelChoiceField(
        queryset=Event.objects.all(),
        widget=AutocompleteSelect(Quote._meta.get_field("event"), admin.site),
    )
    speaker = forms.ModelChoiceField(
        queryset=Actor.objects.all(),
        required=False,
        widget=AutocompleteSelect(Quote._meta.get_field("speaker"), admin.site),
        help_text="Leave blank for the source's own words.",
    )
    text = forms.CharField(
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 90, "readonly": True}),
        help_text="Select the passage in the text above; it is copied here exactly.",
    )
    start = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, source, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        quote = Quote(
            event=cleaned["event"],
            source=self.source,
            speaker=cleaned["speaker"],
            text=_browser_newlines(cleaned["text"]),
            start=cleaned["start"],  # the selected occurrence, even where the words repeat
        )
        try:
            quote.full_clean(exclude=["start", "end", "prefix", "suffix", "status"])
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error
        self.quote = quote
        return cleaned


@admin.register(Source)
class SourceAdmin(TimelineAdmin):
    form = SourceAdminForm
    list_display = ["title", "publisher", "published_on", "quote_count", "orphan_count"]
    search_fields = ["title", "publisher", "text"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_on"
    readonly_fields = ["sha256", "attach_quote_link"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "publisher", "url", ("published_on", "retrieved_at")]}),
        ("Provenance", {"fields": ["notes", "sha256"]}),
        ("Text", {"fields": ["attach_quote_link", "text"]}),
    ]

    def get_urls(self):
        own = [
            path(
                "<path:object_id>/attach-quote/",
                self.admin_site.admin_view(self.attach_quote_view),
                name="timeline_source_attach_quote",
            ),
            path(
                "<int:object_id>/draft/",
                self.admin_site.admin_view(self.draft_events_view),
                name="timeline_source_draft_events",
            ),
        ]
        return own + super().get_urls()

    def draft_events_view(self, request, object_id):
        """The page behind "Draft events from this text": the proposals beside
        the text, to accept, edit or discard (timeline/drafting/review.py)."""
        source = get_object_or_404(Source, pk=object_id)
        needed = ["timeline.add_event", "timeline.add_participation", "timeline.add_quote"]
        if not (self.has_view_permission(request, source) and request.user.has_perms(needed)):
            raise PermissionDenied
        return drafting_review.review_page(self, request, source)

    @admin.display(description="Quote a passage")
    def attach_quote_link(self, source):
        if not source.pk:
            return "Save the source first."
        url = reverse("admin:timeline_source_attach_quote", args=[source.pk])
        return format_html('<a href="{}">Select a passage and attach it to an event</a>', url)

    def attach_quote_view(self, request, object_id):
        source = get_object_or_404(Source, pk=object_id)
        if not (
            self.has_view_permission(request, source)
            and request.user.has_perm("timeline.add_quote")
        ):
            raise PermissionDenied
        form = AttachQuoteForm(request.POST or None, source=source)
        if request.method == "POST" and form.is_valid():
            quote_attach(quote=form.quote)
            self.message_user(
                request,
                f"Quote attached to \u201c{form.quote.event.title}\u201d.",
                messages.SUCCESS,
            )
            return redirect("admin:timeline_event_change", form.quote.event.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Quote a passage of \u201c{source.title}\u201d",
            "source": source,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/timeline/source/attach_quote.html", context)

    @admin.display(description="Quotes", ordering="quote_total")
    def quote_count(self, source):
        return source.quote_total

    @admin.display(description="Orphaned", ordering="orphan_total")
    def orphan_count(self, source):
        return source.orphan_total

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                quote_total=Count("quotes"),
                orphan_total=Count("quotes", filter=Q(quotes__status=Quote.Status.ORPHANED)),
            )
        )

    def save_model(self, request, obj, form, change):
        orphaned = source_save(source=obj)
        if orphaned:
            lines = "; ".join(f"\u201c{q}\u201d ({q.event.title})" for q in orphaned)
            self.message_user(
                request,
                f"{len(orphaned)} quote(s) no longer occur in this text and are marked orphaned "
                f"until the text or the quote is corrected: {lines}",
                messages.WARNING,
            )


@admin.register(Quote)
class QuoteAdmin(TimelineAdmin):
    """Quotes on their own. Deleting or moving an event's last quote moves
    the event back to draft, and says so."""

    def save_model(self, request, obj, form, change):
        before = Quote.objects.filter(pk=obj.pk).values_list("event_id", flat=True).first()
        super().save_model(request, obj, form, change)
        self._evidence_changed(request, {before, obj.event_id})

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self._evidence_changed(request, {obj.event_id})

    def delete_queryset(self, request, queryset):
        event_ids = set(queryset.values_list("event_id", flat=True))
        super().delete_queryset(request, queryset)
        self._evidence_changed(request, event_ids)

    def _evidence_changed(self, request, event_ids):
        """The events whose quotes changed are marked changed (the feed shows
        them as corrected); one left with no quote becomes a draft."""
        event_ids = set(event_ids) - {None}
        events_touch(event_ids=event_ids)
        for event in events_unpublish_unbacked(event_ids=event_ids):
            self.message_user(
                request,
                f"\u201c{event.title}\u201d has no quote left and is a draft again: "
                "add a quote and publish it once more.",
                messages.WARNING,
            )

    list_display = ["__str__", "status", "event", "speaker", "source", "start", "end"]
    list_select_related = ["event", "speaker", "source"]
    list_filter = [
        "status",
        ("source", admin.RelatedOnlyFieldListFilter),
        ("speaker", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["text", "event__title"]
    autocomplete_fields = ["event", "source", "speaker"]
    readonly_fields = ["status", "start", "end", "prefix", "suffix"]
    form = QuoteAdminForm


@admin.register(TimelineTitle)
class TimelineTitleAdmin(TimelineAdmin):
    """The timeline's title across the site, its feed, calendar and
    TimelineJS export; one row (an import's title slide sets it too)."""

    fields = ["title", "description"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not TimelineTitle.objects.exists()

    def save_model(self, request, obj, form, change):
        obj.pk = 1
        super().save_model(request, obj, form, change)


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    """Corrections as readers see them, for reading only: they are made by
    ticking "This is a correction" when saving an event, and never changed
    or deleted, by anyone."""

    list_display = ["created_at", "event", "note", "editor"]
    list_select_related = ["event", "editor"]
    list_filter = ["created_at"]
    search_fields = ["note", "event__title"]
    date_hierarchy = "created_at"
    fields = ["event", "created_at", "note", "changes", "editor"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

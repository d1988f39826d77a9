"""Editors' admin: events with their actors and quotes inline; actors and
sources by autocomplete. Quote offsets are computed, never typed."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch

from .models import Actor, Event, Participation, Quote, Source
from .services import source_relocate_quotes, source_save


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


class AtLeastOneInline:
    """An inline that needs at least one row; the admin has no setting for validate_min."""

    min_num = 1
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.validate_min = True
        return formset


class ParticipationInline(AtLeastOneInline, admin.TabularInline):
    model = Participation
    autocomplete_fields = ["actor"]


class QuoteInline(AtLeastOneInline, admin.StackedInline):
    """Every event on the timeline is backed by at least one quote."""

    model = Quote
    autocomplete_fields = ["source", "speaker"]
    fields = ["source", "speaker", "text", "start", "end"]
    readonly_fields = ["start", "end"]
    form = QuoteAdminForm


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "date_display",
        "kind",
        "status",
        "actor_names",
        "quote_count",
    ]
    list_filter = [
        "kind",
        "status",
        "precision",
        ("participations__actor", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "summary", "quotes__text"]
    date_hierarchy = "start"
    inlines = [ParticipationInline, QuoteInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", ("kind", "status")]}),
        ("When", {"fields": [("start", "end", "precision"), "date_basis"]}),
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
class ActorAdmin(admin.ModelAdmin):
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
        text = _browser_newlines(self.cleaned_data["text"])
        if self.instance.pk:
            _, problems = source_relocate_quotes(source=self.instance, text=text)
            if problems:
                raise forms.ValidationError(
                    [
                        "This change would break quotes that point into the text:",
                        *problems,
                    ]
                )
        return text


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    form = SourceAdminForm
    list_display = ["title", "publisher", "published_on", "quote_count"]
    search_fields = ["title", "publisher", "text"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_on"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(quote_total=Count("quotes"))

    @admin.display(description="Quotes", ordering="quote_total")
    def quote_count(self, source):
        return source.quote_total

    def save_model(self, request, obj, form, change):
        # The form has checked that every quote still matches; they move with the text.
        problems = source_save(source=obj)
        if problems:  # only if another editor changed the quotes since the form was checked
            raise ValidationError(problems)


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ["__str__", "event", "speaker", "source", "start", "end"]
    list_select_related = ["event", "speaker", "source"]
    list_filter = [
        ("source", admin.RelatedOnlyFieldListFilter),
        ("speaker", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["text", "event__title"]
    autocomplete_fields = ["event", "source", "speaker"]
    readonly_fields = ["start", "end"]
    form = QuoteAdminForm

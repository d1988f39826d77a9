"""The editor's review of a source's draft, in the admin: the source text with
the words behind each proposed date and quote marked, and a form per
proposal to accept it as it is, edit it first, or discard it.

The proposals are drawn again from the text on every request; a form
carries the fingerprint of the text it was opened on and of each proposal,
so an accept is refused, never applied to stale offsets, when either has
changed since. The writes are accept.py's.
"""

import hashlib
import json
from dataclasses import asdict, dataclass

from django import forms
from django.contrib import messages
from django.forms.utils import ErrorDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from timeline import dates, drafting
from timeline.models import (
    Event,
    EventKind,
    EventPrecision,
    EventStatus,
    ParticipationRole,
    Source,
)
from timeline.services import text_fingerprint

from .accept import Acceptance, ProposalsNotAccepted, proposals_accept
from .proposals import Proposal

TEXT_CHANGED = (
    "The source\u2019s text has changed since this page was opened, so its proposals were "
    "drawn again from the new text. Nothing was accepted: check them and accept again."
)
INCOMPLETE = "The form came back incomplete, so nothing was accepted: here are the proposals again."
NOTHING_TICKED = "Tick the proposals to accept, then press \u201cAccept selected\u201d."
NOT_ACCEPTED = "Nothing was accepted: see the problems marked below."
NO_NEW_ACTORS = "You may not add actors: leave the new actors unticked, or ask an editor who may."
PROPOSAL_CHANGED = (
    "This proposal is no longer the one shown when the page was opened (the timeline changed "
    "meanwhile). Nothing was accepted: check it again below."
)


def proposal_fingerprint(proposal: Proposal) -> str:
    """Names everything a proposal says, offsets included: a form opened on
    one proposal accepts that one only."""
    described = json.dumps(asdict(proposal), default=str, sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(described.encode("ascii")).hexdigest()


@dataclass(frozen=True)
class Passage:
    """Words of the source text behind a proposal's date or quote."""

    start: int
    end: int
    kind: str  # "date" or "quote"

    @property
    def name(self) -> str:
        return f"{self.start}-{self.end}"

    @property
    def anchor(self) -> str:
        return f"passage-{self.name}"


def passages_in(text: str, proposals: list[Proposal]) -> list[Passage]:
    """Every date and quote of `proposals` that stands in `text` at its
    offsets; one that does not is left unmarked (accepting it is refused)."""
    found = set()
    for proposal in proposals:
        if date_in_place(text, proposal):
            found.add(Passage(proposal.date_start, proposal.date_end, "date"))
        for quote in proposal.quotes:
            if quote_in_place(text, quote):
                found.add(Passage(quote.start, quote.end, "quote"))
    return sorted(found, key=lambda p: (p.start, -p.end, p.kind))


def date_in_place(text: str, proposal: Proposal) -> bool:
    start, end = proposal.date_start, proposal.date_end
    return (
        start is not None
        and end is not None
        and 0 <= start < end <= len(text)
        and text[start:end] == proposal.date_text
    )


def quote_in_place(text: str, quote) -> bool:
    return 0 <= quote.start < quote.end <= len(text) and text[quote.start : quote.end] == quote.text


def marked_text(text: str, passages: list[Passage]) -> SafeString:
    """`text`, escaped, with every passage in <mark>. Passages may overlap:
    the text is cut at every edge, and each piece covered by any passage is
    one <mark> listing them all (data-passages); the piece where a passage
    begins carries its id, so a link to #passage-START-END scrolls to it."""
    cuts = sorted({0, len(text), *(p.start for p in passages), *(p.end for p in passages)})
    parts = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        piece = escape(text[left:right])
        covering = [p for p in passages if p.start <= left and right <= p.end]
        if not covering:
            parts.append(piece)
            continue
        # One id per element: where several passages begin at once, the
        # longest names the mark and the others an empty anchor before it.
        beginning = {p.anchor: p for p in covering if p.start == left}
        anchors = list(beginning)
        for extra in anchors[1:]:
            parts.append(
                format_html('<span id="{}" class="drafting-anchor" tabindex="-1"></span>', extra)
            )
        kinds = sorted({p.kind for p in covering})
        parts.append(
            format_html(
                '<mark{} class="{}" data-passages="{}">{}</mark>',
                format_html(' id="{}" tabindex="-1"', anchors[0]) if anchors else "",
                " ".join(f"drafting-{kind}" for kind in kinds),
                " ".join(p.name for p in covering),
                piece,
            )
        )
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 - every part escaped above


# The fields an editor may change before accepting, in the order shown.
EDITED_FIELDS = ["title", "kind", "status", "start", "end", "precision", "date_basis", "summary"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class ProposalForm(forms.Form):
    """One proposal as the editor accepts it. Its quotes are chosen by
    ticking, never typed: they must stay the source's words."""

    accept = forms.BooleanField(label="Accept", required=False)
    title = forms.CharField(max_length=Event._meta.get_field("title").max_length, required=False)
    kind = forms.ChoiceField(choices=EventKind.choices)
    status = forms.ChoiceField(choices=EventStatus.choices)
    start = forms.DateField(label="Date", required=False, widget=DateInput())
    end = forms.DateField(
        label="End date", required=False, widget=DateInput(), help_text="For spans only."
    )
    precision = forms.ChoiceField(label="Precision of the date", choices=EventPrecision.choices)
    date_basis = forms.CharField(
        label="How the date was established",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    summary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    quotes = forms.TypedMultipleChoiceField(
        label="Quotes to keep", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    new_actors = forms.MultipleChoiceField(
        label="Confirm as new actors",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="A new actor is created only when ticked; one left unticked is left out.",
    )
    # Checked in clean(): a hidden field's own errors would not be shown.
    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, data=None, *, proposal: Proposal, validating: bool = True):
        initial = {
            "title": proposal.title,
            "kind": proposal.kind,
            "status": proposal.status,
            "start": proposal.start,
            "end": proposal.end,
            "precision": proposal.precision,
            "date_basis": proposal.date_basis,
            "summary": proposal.summary,
            "quotes": list(range(len(proposal.quotes))),
            "new_actors": [],
            "fingerprint": proposal_fingerprint(proposal),
        }
        super().__init__(data, prefix=proposal.key, initial=initial)
        self.proposal = proposal
        # A form shown again with the editor's input, but not being accepted,
        # keeps that input without being judged.
        self.validating = validating
        self.fields["quotes"].choices = [(i, q.text) for i, q in enumerate(proposal.quotes)]
        self.new_actor_names = new_actor_names(proposal)
        self.fields["new_actors"].choices = [(name, name) for name in self.new_actor_names]

    def full_clean(self):
        if not self.validating:
            self._errors, self.cleaned_data = ErrorDict(), {}
            return
        super().full_clean()

    def clean(self):
        cleaned = super().clean()
        # The rules of an event (a date, a title, an end not before the
        # start) are accept.py's, which the form's errors then show.
        if cleaned.get("fingerprint") != self.initial["fingerprint"]:
            raise forms.ValidationError(PROPOSAL_CHANGED)
        return cleaned

    def acceptance(self) -> Acceptance:
        cleaned = self.cleaned_data
        overrides = {
            name: cleaned[name]
            for name in ("title", "kind", "status", "start", "end", "precision", "summary")
        }
        overrides["date_basis"] = cleaned["date_basis"]
        return Acceptance(
            proposal=self.proposal,
            overrides=overrides,
            quotes=frozenset(cleaned["quotes"]),
            confirmed_actors=frozenset(cleaned["new_actors"]),
        )

    @property
    def editable_fields(self):
        return [self[name] for name in EDITED_FIELDS]

    @property
    def opens_editing(self) -> bool:
        """Show the edit fields at once: the date is missing, or something is wrong."""
        return self.proposal.start is None or bool(self.errors)


def new_actor_names(proposal: Proposal) -> list[str]:
    """The new actors a proposal names (as actors or as speakers), once each."""
    names = [actor.name for actor in proposal.actors if actor.slug is None]
    names += [q.speaker.name for q in proposal.quotes if q.speaker and q.speaker.slug is None]
    return list(dict.fromkeys(names))


@dataclass
class ProposalReview:
    """A proposal as the review page shows it."""

    proposal: Proposal
    form: ProposalForm
    repeats: Event | None
    discarded: bool
    text: str  # the source's text, which the proposal's offsets point into

    @property
    def key(self) -> str:
        return self.proposal.key

    @property
    def date_shown(self) -> str:
        p = self.proposal
        return dates.format_span(p.start, p.end, p.precision) if p.start else ""

    @property
    def date_passage(self) -> str | None:
        p = self.proposal
        if not date_in_place(self.text, p):
            return None
        return Passage(p.date_start, p.date_end, "date").anchor

    @property
    def quotes(self):
        """Each quote with its tick box and the anchor of its words in the text."""
        boxes = {str(box.data["value"]): box for box in self.form["quotes"]}
        return [
            {
                "quote": quote,
                "box": boxes[str(index)],
                # None: the words are not at their offsets (accepting is refused).
                "anchor": Passage(quote.start, quote.end, "quote").anchor
                if quote_in_place(self.text, quote)
                else None,
            }
            for index, quote in enumerate(self.proposal.quotes)
        ]

    @property
    def known_actors(self):
        return [
            {"name": actor.name, "role": _label(ParticipationRole, actor.role)}
            for actor in self.proposal.actors
            if actor.slug is not None
        ]

    @property
    def kind_shown(self) -> str:
        return _label(EventKind, self.proposal.kind)

    @property
    def status_shown(self) -> str:
        return _label(EventStatus, self.proposal.status)


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def proposal_reviews(
    proposals: list[Proposal], *, text: str, data=None, validating=(), discarded=()
) -> list[ProposalReview]:
    """A review per proposal: bound to `data` when given (judged only for the
    keys in `validating`); the events the proposals repeat, in one query."""
    repeated = {p.duplicate_of for p in proposals if p.duplicate_of}
    events = {event.slug: event for event in Event.objects.filter(slug__in=repeated)}
    return [
        ProposalReview(
            proposal=proposal,
            form=ProposalForm(data, proposal=proposal, validating=proposal.key in validating),
            repeats=events.get(proposal.duplicate_of),
            discarded=proposal_fingerprint(proposal) in discarded,
            text=text,
        )
        for proposal in proposals
    ]


def accepted_message(accepted) -> SafeString:
    """What the editor reads after accepting: each event, linked to its admin page."""

    def linked(items):
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:timeline_event_change", args=[a.event.pk]), a.event.title)
                for a in items
            ),
        )

    lines = []
    created = [a for a in accepted if a.created]
    added = [a for a in accepted if not a.created]
    if created:
        lines.append(
            format_html(
                "Accepted {} proposal(s) as draft events: {}. Check them and publish them from "
                "this list.",
                len(created),
                linked(created),
            )
        )
    for item in added:
        lines.append(
            format_html(
                "Added {} new quote(s) to the existing event {}.",
                item.quotes_added,
                linked([item]),
            )
            if item.quotes_added
            else format_html("{} already had every quote of its proposal.", linked([item]))
        )
    return format_html_join(" ", "{}", ((line,) for line in lines))


def review_page(model_admin, request, source: Source):
    """The review page of `source`'s draft (GET), and its answers (POST):
    accept the ticked proposals or one of them, discard one, or restore one
    discarded. Discarded proposals are remembered in the editor's session,
    for the text they were discarded from."""
    draft = drafting.draft_events(source)
    proposals = list({p.key: p for p in draft.proposals}.values())  # a key names one
    by_key = {p.key: p for p in proposals}
    text_sha = text_fingerprint(source.text)
    session_key = f"drafting-discarded-{source.pk}"
    remembered = request.session.get(session_key) or {}
    discarded = (
        set(remembered.get("proposals", [])) if remembered.get("text") == text_sha else set()
    )
    data, validating, reviews = None, set(), None
    if request.method == "POST":
        if request.POST.get("text_sha256") != text_sha:
            messages.error(request, TEXT_CHANGED if request.POST.get("text_sha256") else INCOMPLETE)
            return redirect(request.path)
        data = request.POST
        choice = request.POST.get("discard") or request.POST.get("restore")
        if choice:
            if choice in by_key:
                fingerprint = proposal_fingerprint(by_key[choice])
                if "discard" in request.POST:
                    discarded.add(fingerprint)
                else:
                    discarded.discard(fingerprint)
                request.session[session_key] = {"text": text_sha, "proposals": sorted(discarded)}
        else:
            if "accept_one" in request.POST:
                chosen = [request.POST["accept_one"]]
            else:
                chosen = [p.key for p in proposals if request.POST.get(f"{p.key}-accept")]
            validating = {
                key
                for key in chosen
                if key in by_key and proposal_fingerprint(by_key[key]) not in discarded
            }
            if not validating:
                messages.error(request, NOTHING_TICKED)
            else:
                reviews = proposal_reviews(
                    proposals,
                    text=source.text,
                    data=data,
                    validating=validating,
                    discarded=discarded,
                )
                accepted = _accept(
                    request, source, [r.form for r in reviews if r.key in validating]
                )
                if accepted:
                    messages.success(request, accepted_message(accepted))
                    ids = ",".join(str(item.event.pk) for item in accepted)
                    return redirect(f"{reverse('admin:timeline_event_changelist')}?id__in={ids}")
                messages.error(request, NOT_ACCEPTED)
    if reviews is None:
        reviews = proposal_reviews(
            proposals, text=source.text, data=data, validating=validating, discarded=discarded
        )
    context = {
        **model_admin.admin_site.each_context(request),
        "is_nav_sidebar_enabled": False,  # the width goes to the text and its proposals
        "title": f"Draft events from \u201c{source.title}\u201d",
        "opts": model_admin.model._meta,
        "source": source,
        "base_date": draft.base_date,
        "reviews": [review for review in reviews if not review.discarded],
        "discarded": [review for review in reviews if review.discarded],
        "text_sha256": text_sha,
        "marked_text": marked_text(source.text, passages_in(source.text, proposals)),
    }
    return TemplateResponse(request, "admin/timeline/source/draft_events.html", context)


def _accept(request, source, forms_):
    """The accepted proposals, or None with each problem on its form."""
    valid = [form.is_valid() for form in forms_]
    if not all(valid):
        return None
    for form in forms_:
        if form.cleaned_data["new_actors"] and not request.user.has_perm("timeline.add_actor"):
            form.add_error("new_actors", NO_NEW_ACTORS)
            return None
    try:
        return proposals_accept(
            source=source, acceptances=[form.acceptance() for form in forms_], user=request.user
        )
    except ProposalsNotAccepted as refusal:
        for form in forms_:
            for field_name, message in refusal.errors.get(form.proposal.key, []):
                form.add_error(field_name if field_name in form.fields else None, message)
        return None

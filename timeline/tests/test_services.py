import copy
import hashlib

import pytest

from timeline.models import Actor, Event, Participation, Quote, Source
from timeline.services import (
    TimelineImportError,
    events_publish,
    events_unpublish_unbacked,
    source_save,
    timeline_import,
)

from .factories import (
    ActorFactory,
    EventFactory,
    ParticipationFactory,
    QuoteFactory,
    SourceFactory,
    event_with_actors_and_quote,
)

pytestmark = pytest.mark.django_db


def test_seed_imports_every_event_with_actors_and_quotes(seeded, seed_document):
    assert Event.objects.count() == len(seed_document["events"])
    assert Actor.objects.count() == len(seed_document["actors"])
    for event in Event.objects.all():
        assert event.quotes.exists(), event.slug
        assert event.participations.exists(), event.slug


def test_importing_twice_changes_nothing(seeded, seed_document):
    quote_ids = set(Quote.objects.values_list("pk", flat=True))
    stamps = dict(Event.objects.values_list("slug", "updated_at"))
    participations = set(Participation.objects.values_list("pk", flat=True))
    report = timeline_import(document=seed_document)
    assert set(Quote.objects.values_list("pk", flat=True)) == quote_ids
    assert set(Participation.objects.values_list("pk", flat=True)) == participations
    assert dict(Event.objects.values_list("slug", "updated_at")) == stamps
    assert not report.created and not report.updated
    assert report.unchanged["events"] == len(seed_document["events"])
    assert report.unchanged["quotes"] == len(quote_ids)


def test_a_changed_event_is_reported_and_the_rest_untouched(seeded, seed_document):
    document = copy.deepcopy(seed_document)
    document["events"][2]["summary"] += " (Summary edited for this test.)"
    report = timeline_import(document=document)
    assert report.updated == {"events": [document["events"][2]["slug"]]}
    assert report.unchanged["events"] == len(document["events"]) - 1


def test_dry_run_reports_and_writes_nothing(db, seed_document):
    report = timeline_import(document=seed_document, dry_run=True)
    assert len(report.created["events"]) == len(seed_document["events"])
    assert "events: 18 would be created" in str(report)
    assert not Event.objects.exists() and not Source.objects.exists()


def test_bad_quote_refuses_the_whole_document(db, seed_document):
    document = copy.deepcopy(seed_document)
    document["events"][3]["quotes"][0]["text"] = "Words the article never printed."
    with pytest.raises(TimelineImportError) as refused:
        timeline_import(document=document)
    assert any(
        error.startswith("events[3].quotes[0].text: This text does not occur verbatim")
        for error in refused.value.errors
    )
    assert not Event.objects.exists()
    assert not Source.objects.exists()
    assert not Actor.objects.exists()


def test_every_problem_is_reported_with_its_place(db, seed_document):
    document = copy.deepcopy(seed_document)
    document["events"][0]["start"] = "18/03/2025"
    document["events"][1]["actors"][0]["actor"] = "nobody"
    document["events"][2]["status"] = "rumoured"
    document["events"][4]["quotes"] = []
    document["events"][4]["publication"] = "published"
    with pytest.raises(TimelineImportError) as refused:
        timeline_import(document=document)
    errors = "\n".join(refused.value.errors)
    assert "events[0].start: '18/03/2025' is not a date in YYYY-MM-DD form." in errors
    assert "events[1].actors[0].actor: no actor with slug 'nobody'." in errors
    assert "events[2].status:" in errors
    assert "events[4].publication: a published event needs at least one quote" in errors


def test_an_event_without_a_quote_comes_in_as_a_draft(db, seed_document, client):
    document = copy.deepcopy(seed_document)
    unquoted = document["events"][4]
    unquoted["quotes"] = []
    summary = timeline_import(document=document)
    assert f"seen by editors only: {unquoted['slug']}" in str(summary)
    event = Event.objects.get(slug=unquoted["slug"])
    assert event.publication == Event.Publication.DRAFT
    assert Event.objects.published().count() == len(document["events"]) - 1
    assert client.get(event.get_absolute_url()).status_code == 404  # readers never see it


def test_document_that_is_not_a_timeline_is_refused(db):
    with pytest.raises(TimelineImportError, match="problem"):
        timeline_import(document={"format": "something-else", "events": []})
    with pytest.raises(TimelineImportError):
        timeline_import(document=["not", "an", "object"])


def test_editing_source_text_moves_quotes_with_it():
    quote = QuoteFactory(text="A second round is planned for April.")
    source = quote.source
    source.text = "CORRECTION: date fixed. " + source.text
    assert source_save(source=source) == []
    quote.refresh_from_db()
    source.refresh_from_db()
    assert source.text.startswith("CORRECTION")
    assert source.text[quote.start : quote.end] == quote.text


def test_editing_away_a_quoted_passage_orphans_the_quote():
    quote = QuoteFactory(text="A second round is planned for April.")
    source = quote.source
    original = source.text
    source.text = "Observers left early. " + original.replace("April", "May")
    assert source_save(source=source) == [quote]
    quote.refresh_from_db()
    assert quote.is_orphaned
    assert (quote.start, quote.end) == (None, None)
    source.text = original
    assert source_save(source=source) == []
    quote.refresh_from_db()
    assert not quote.is_orphaned and original[quote.start : quote.end] == quote.text


def test_fingerprint_follows_the_text():
    quote = QuoteFactory()
    source = quote.source
    source.text = source.text + " Postscript."
    source_save(source=source)
    source.refresh_from_db()
    assert source.sha256 == hashlib.sha256(source.text.encode("utf-8")).hexdigest()


def test_when_words_repeat_prefix_and_suffix_pick_the_quoted_occurrence():
    source = SourceFactory(text="Alpha said: we agree. Beta said: we agree. Gamma left.")
    quote = QuoteFactory(source=source, text="we agree.", start=12)  # Alpha's, chosen by offset
    assert quote.prefix == "Alpha said: "
    # Rewrite the text so both occurrences move and the first one's context changes little.
    source.text = "Gamma left. Beta said: we agree. Alpha said: we agree."
    source_save(source=source)
    quote.refresh_from_db()
    assert source.text[: quote.start].endswith("Alpha said: ")


def test_reimport_whose_quotes_are_not_in_the_corrected_text_is_refused(seeded, seed_document):
    document = copy.deepcopy(seed_document)
    document["sources"][0]["text"] = document["sources"][0]["text"].replace("175-for-175", "175")
    with pytest.raises(TimelineImportError, match="problem") as refused:
        timeline_import(document=document)
    quoting = [
        f"events[{e}].quotes[{q}].text: This text does not occur verbatim"
        for e, event in enumerate(document["events"])
        for q, quote in enumerate(event["quotes"])
        if "175-for-175" in quote["text"]
    ]
    assert quoting and all(any(e.startswith(q) for e in refused.value.errors) for q in quoting)
    assert "175-for-175" in Source.objects.get().text


def _corrected_seed(seed_document):
    """The seed as its publisher might correct it: a line prefixed, and the
    words of one quoted sentence changed in the text and in the quote
    together (a change written for this test, not a real correction)."""
    document = copy.deepcopy(seed_document)
    source = document["sources"][0]
    source["text"] = "Correction appended for this test.\n" + source["text"].replace(
        "Eventually, step-by-step", "In the end, step-by-step"
    )
    for event in document["events"]:
        for quote in event["quotes"]:
            quote["text"] = quote["text"].replace(
                "Eventually, step-by-step", "In the end, step-by-step"
            )
    return document


def test_a_correction_arrives_as_a_document(seeded, seed_document):
    old = Quote.objects.get(text__startswith="Eventually, step-by-step")
    report = timeline_import(document=_corrected_seed(seed_document))
    source = Source.objects.get()
    for quote in Quote.objects.filter(status=Quote.Status.VERIFIED):
        assert source.text[quote.start : quote.end] == quote.text  # offsets follow the new text
    corrected = Quote.objects.get(text__startswith="In the end, step-by-step")
    assert corrected.event == old.event and not corrected.is_orphaned
    old.refresh_from_db()
    assert old.is_orphaned  # kept and shown as orphaned, as an edit in the admin does
    assert report.orphaned == [
        f"quote {old.pk} of event {old.event.slug!r} (\u201c{old.text}\u201d): its passage is "
        "no longer in the corrected source text."
    ]
    assert report.updated["sources"] == [source.slug]


def test_a_quote_id_keeps_a_corrected_quote_in_place(seeded, seed_document):
    old = Quote.objects.get(text__startswith="Eventually, step-by-step")
    document = _corrected_seed(seed_document)
    for event in document["events"]:
        for quote in event["quotes"]:
            if quote["text"].startswith("In the end"):
                quote["id"] = old.pk
    report = timeline_import(document=document)
    old.refresh_from_db()
    assert old.text.startswith("In the end") and not old.is_orphaned
    assert report.updated["quotes"] == [str(old.pk)] and not report.orphaned


def test_quote_keeps_its_own_occurrence_when_an_edit_repeats_its_words():
    quote = QuoteFactory(text="A second round is planned for April.")
    source = quote.source
    source.text = source.text + " A second round is planned for April."
    assert source_save(source=source) == []
    source.text = "Updated. " + source.text
    assert source_save(source=source) == []
    quote.refresh_from_db()
    source.refresh_from_db()
    assert quote.start < source.text.rindex("A second round")
    assert source.text[quote.start : quote.end] == quote.text


def test_reimport_with_corrected_source_text_moves_quotes(seeded, seed_document):
    document = copy.deepcopy(seed_document)
    document["sources"][0]["text"] = "[Correction appended.] " + document["sources"][0]["text"]
    timeline_import(document=document)
    for quote in Quote.objects.select_related("source"):
        assert quote.source.text[quote.start : quote.end] == quote.text


def test_same_words_in_another_speakers_sentence_do_not_adopt_an_orphan():
    source = SourceFactory(
        text="The envoy said the talks on a maritime ceasefire would start soon. "
        "The ministry added: \u201cWork on a maritime ceasefire and a full truce begins now.\u201d"
    )
    ministry = source.text.rindex("a maritime ceasefire")
    quote = QuoteFactory(source=source, text="a maritime ceasefire", start=ministry)
    original = source.text
    source.text = original[: original.index(" The ministry added")]
    assert source_save(source=source) == [quote]
    quote.refresh_from_db()
    assert quote.is_orphaned  # not moved onto the envoy's words
    source.text = original
    assert source_save(source=source) == []
    quote.refresh_from_db()
    assert quote.start == ministry  # restoring the sentence finds it again


def test_a_reimport_never_publishes_an_editors_draft(db, seed_document):
    timeline_import(document=seed_document)
    Event.objects.filter(slug="prisoner-swap").update(publication=Event.Publication.DRAFT)
    timeline_import(document=seed_document)
    assert Event.objects.get(slug="prisoner-swap").publication == Event.Publication.DRAFT
    document = copy.deepcopy(seed_document)
    swap = next(e for e in document["events"] if e["slug"] == "prisoner-swap")
    swap["publication"] = "published"  # a document that says so does publish it
    timeline_import(document=document)
    assert Event.objects.get(slug="prisoner-swap").publication == Event.Publication.PUBLISHED


def test_a_quote_lost_in_a_correction_marks_its_event_changed():
    quote = QuoteFactory(text="A second round is planned for April.")
    before = Event.objects.get(pk=quote.event_id).updated_at
    source = quote.source
    source.text = "Updated. " + source.text  # offsets move: not a change readers see
    source_save(source=source)
    assert Event.objects.get(pk=quote.event_id).updated_at == before
    source.text = source.text.replace(" A second round is planned for April.", "")
    source_save(source=source)
    assert Event.objects.get(pk=quote.event_id).updated_at > before


def orphaned(event: Event) -> Event:
    """`event`, its quote's words edited out of its source (a correction)."""
    quote = event.quotes.get()
    source = quote.source
    source.text = source.text.replace(quote.text, "Observers left early.")
    assert source_save(source=source) == [quote]
    return event


def test_publishing_a_draft_needs_an_actor_and_a_quote_verified_in_its_source(db):
    ready = event_with_actors_and_quote(ActorFactory(), publication="draft")
    no_actor = event_with_actors_and_quote(publication="draft")
    no_quote = ParticipationFactory(event=EventFactory(publication="draft")).event
    unverified = orphaned(event_with_actors_and_quote(ActorFactory(), publication="draft"))
    drafts = [ready, no_actor, no_quote, unverified]
    published, left = events_publish(event_ids=[event.pk for event in drafts])
    assert published == [ready]
    assert {event.pk for event in left} == {no_actor.pk, no_quote.pk, unverified.pk}
    assert list(Event.objects.published()) == [ready]


def test_a_published_event_left_without_an_actor_or_a_quote_goes_back_to_draft(db):
    # A quote orphaned by a correction still backs its event, shown as orphaned.
    kept = orphaned(event_with_actors_and_quote(ActorFactory()))
    no_actor = event_with_actors_and_quote(ActorFactory())
    Participation.objects.filter(event=no_actor).delete()
    no_quote = event_with_actors_and_quote(ActorFactory())
    Quote.objects.filter(event=no_quote).delete()
    events = [kept, no_actor, no_quote]
    moved = events_unpublish_unbacked(event_ids=[event.pk for event in events])
    assert {event.pk for event in moved} == {no_actor.pk, no_quote.pk}
    assert list(Event.objects.published()) == [kept]

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from timeline.models import Event, Quote

from .factories import ActorFactory, EventFactory, ParticipationFactory, QuoteFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_end_before_start_is_refused_by_the_database():
    event = EventFactory(start=datetime.date(2025, 3, 18))
    event.end = datetime.date(2025, 3, 17)
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()


def test_end_before_start_is_a_clear_validation_error():
    event = EventFactory.build(start=datetime.date(2025, 3, 18), end=datetime.date(2025, 3, 1))
    with pytest.raises(ValidationError) as refused:
        event.full_clean()
    assert refused.value.message_dict["end"] == ["The end date cannot be before the start date."]


def test_span_of_thirty_days_is_shown_with_its_length():
    event = EventFactory(start=datetime.date(2025, 3, 18), end=datetime.date(2025, 4, 17))
    assert event.is_span
    assert event.date_display == "18 March \u2013 17 April 2025 (30 days)"


def test_event_without_date_basis_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(date_basis="")


def test_unknown_status_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(status="rumoured")


def test_quote_offsets_are_computed_from_the_source():
    quote = QuoteFactory(text="A second round is planned for April.")
    assert quote.source.text[quote.start : quote.end] == "A second round is planned for April."


def test_quote_not_in_source_is_refused_with_closest_passage():
    source = SourceFactory()
    quote = Quote(event=EventFactory(), source=source, text='"We agreed to keep talking,"')
    with pytest.raises(ValidationError) as refused:
        quote.full_clean(exclude=["start", "end"])
    message = refused.value.message_dict["text"][0]
    assert "does not occur verbatim" in message
    assert "\u201cWe agreed to keep talking,\u201d" in message
    assert source.title in message


def test_database_refuses_offsets_that_do_not_span_the_text():
    quote = QuoteFactory(text="A second round is planned for April.")
    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.filter(pk=quote.pk).update(end=quote.end + 3)


def test_deleting_an_actor_with_events_is_refused():
    participation = ParticipationFactory()
    with pytest.raises(ProtectedError):
        participation.actor.delete()


def test_deleting_an_event_removes_its_quotes_and_participations():
    quote = QuoteFactory()
    ParticipationFactory(event=quote.event, actor=ActorFactory())
    quote.event.delete()
    assert not Quote.objects.exists()
    assert not Event.objects.exists()


def test_urls_and_labels():
    quote = QuoteFactory()
    assert quote.event.get_absolute_url() == f"/events/{quote.event.slug}/"
    assert quote.get_absolute_url() == f"/sources/{quote.source.slug}/#quote-{quote.pk}"
    assert str(quote.event).startswith(quote.event.title)

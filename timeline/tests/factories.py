"""Factories for test data. Quotes are always real passages of their source."""

import datetime

import factory

from timeline.models import Actor, Event, Participation, Quote, Source

SOURCE_TEXT = (
    "The ministers met in Geneva on Monday. "
    "\u201cWe agreed to keep talking,\u201d the envoy said. "
    "A second round is planned for April. "
    "Observers called the talks \u201cconstructive\u201d."
)


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor

    name = factory.Sequence(lambda n: f"Actor {n}")
    slug = factory.Sequence(lambda n: f"actor-{n}")
    kind = Actor.Kind.PERSON


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Report {n}")
    slug = factory.Sequence(lambda n: f"report-{n}")
    publisher = "Test Wire"
    published_on = datetime.date(2025, 3, 19)
    text = SOURCE_TEXT


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Event {n}")
    slug = factory.Sequence(lambda n: f"event-{n}")
    kind = Event.Kind.STATEMENT
    status = Event.Status.OCCURRED
    start = factory.Sequence(lambda n: datetime.date(2025, 1, 1) + datetime.timedelta(days=n % 300))
    precision = Event.Precision.DAY
    date_basis = "Stated in the test source."
    publication = Event.Publication.PUBLISHED


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    event = factory.SubFactory(EventFactory)
    actor = factory.SubFactory(ActorFactory)
    role = Participation.Role.PRINCIPAL


class QuoteFactory(factory.django.DjangoModelFactory):
    """A quote whose offsets are found by the model's own clean()."""

    class Meta:
        model = Quote

    event = factory.SubFactory(EventFactory)
    source = factory.SubFactory(SourceFactory)
    text = "We agreed to keep talking,"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        quote = model_class(*args, **kwargs)
        quote.clean()
        quote.save()
        return quote


def event_with_actors_and_quote(*actors, **event_fields):
    event = EventFactory(**event_fields)
    for actor in actors:
        ParticipationFactory(event=event, actor=actor)
    QuoteFactory(event=event, source=SourceFactory())
    return event

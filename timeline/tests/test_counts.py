"""The chart's counts: ChartEntry mirrors every participation with its
event's kind and dates, and PostgreSQL's search documents every event's,
whatever wrote them (the database triggers keep them), and the counts read
from them equal counting the events themselves."""

import datetime
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict

from timeline.filters import parse_timeline_filter
from timeline.management.commands.generate_events import generate
from timeline.models import Actor, ChartEntry, Event, Participation
from timeline.querysets import counts_per_kind

pytestmark = pytest.mark.django_db


def mirrored() -> set:
    """What ChartEntry must hold: every participation in a published event."""
    return set(
        Participation.objects.filter(event__publication="published").values_list(
            "id",
            "actor_id",
            "event_id",
            "event__kind",
            "event__start",
            "event__end",
            "event__reach_start",
            "event__reach_end",
        )  # fmt: skip
    )


def entries() -> set:
    return set(
        ChartEntry.objects.values_list(
            "participation_id",
            "actor_id",
            "event_id",
            "kind",
            "day",
            "end",
            "reach_start",
            "reach_end",
        )  # fmt: skip
    )


def documents() -> set:
    """What the search documents hold of each event besides its words: on
    PostgreSQL its kind, dates and publication (migration 0018); SQLite's
    FTS5 documents hold the words alone, under the event's id."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT rowid FROM timeline_search")
            return {row[0] for row in cursor.fetchall()}
        cursor.execute(f"SELECT {', '.join(DOCUMENTED)} FROM timeline_search")  # noqa: S608
        return set(cursor.fetchall())


def documented() -> set:
    """What they must hold: every event, published or not."""
    if connection.vendor == "sqlite":
        return set(Event.objects.values_list("pk", flat=True))
    return {
        (pk, *rest, publication == "published")
        for pk, *rest, publication in Event.objects.values_list(
            "pk", *DOCUMENTED[1:-1], "publication"
        )
    }


DOCUMENTED = ["event_id", "kind", "start", "reach_start", "reach_end", "published"]


def counted_from_events(actors, x_range=None, grain="day", terms=()) -> dict:
    """The same counts the slow way: every matching event, grouped here."""
    counts: dict = {}
    for event in Event.objects.published().involving(actors).matching(terms):
        if x_range and not (event.reach_start <= x_range[1] and event.reach_end >= x_range[0]):
            continue
        start = event.start.replace(day=1) if grain == "month" else event.start
        counts[(event.kind, start)] = counts.get((event.kind, start), 0) + 1
    return counts


def as_dict(rows: list[dict]) -> dict:
    return {(row["kind"], row["start"]): row["n"] for row in rows}


@pytest.fixture
def generated(db):
    generate(count=300, seed=11, actor_count=6, prefix="c-")
    return list(Actor.objects.order_by("pk"))


def test_every_write_path_keeps_the_entries_right(generated):
    first, second, third = generated[:3]
    assert entries() == mirrored() and len(entries()) > 300
    events = list(Event.objects.order_by("pk")[:7])
    Event.objects.filter(pk=events[0].pk).update(kind="call", start=datetime.date(2024, 1, 1))
    events[1].end = events[1].start + datetime.timedelta(days=9)
    events[1].save()
    Event.objects.filter(pk=events[3].pk).update(
        latest=events[3].start + datetime.timedelta(days=40)
    )
    Event.objects.filter(pk=events[6].pk).update(precision="month")  # a month's reach
    events[2].actors.add(third)
    events[2].actors.remove(first)
    moved = Participation.objects.exclude(event__participations__actor=second).first()
    Participation.objects.filter(pk=moved.pk).update(actor=second)
    events[4].delete()
    Event.objects.filter(pk=events[1].pk).update(publication="draft")  # unpublished
    Event.objects.filter(pk=events[2].pk).update(publication="draft")
    Event.objects.filter(pk=events[2].pk).update(publication="published")  # and back
    drafted = Event.objects.create(
        title="A draft", slug="c-draft", kind="call", status="planned",
        start=datetime.date(2024, 5, 1), date_basis="Written for this test.",
    )  # fmt: skip
    drafted.actors.add(first)
    with connection.cursor() as cursor:  # behind the app's back, as a restore would
        cursor.execute("UPDATE timeline_event SET kind = 'other' WHERE id = %s", [events[5].pk])
    assert entries() == mirrored()
    assert documents() == documented()


def test_counts_equal_counting_the_events(generated):
    # Uncertain dates reach past their start: they count wherever they reach.
    uncertain = list(Event.objects.order_by("pk")[:40:4])
    for event in uncertain:
        event.earliest = event.start - datetime.timedelta(days=35)
        event.latest = event.start + datetime.timedelta(days=20)
    Event.objects.bulk_update(uncertain, ["earliest", "latest"])
    pairs = [generated[:1], generated[:3], generated[2:5]]
    window = (datetime.date(2023, 1, 1), datetime.date(2023, 3, 31))
    for actors in [*pairs, []]:
        for grain in ("day", "month"):
            events = Event.objects.published().involving(actors)
            counted = counts_per_kind(events=events, by_actors=actors, grain=grain)
            assert as_dict(counted) == counted_from_events(actors, grain=grain)
            counted = counts_per_kind(events=events, by_actors=actors, x_range=window, grain=grain)
            assert as_dict(counted) == counted_from_events(actors, window, grain)
    # A search alone, counted on PostgreSQL from its documents.
    Event.objects.filter(pk__in=[event.pk for event in uncertain[:3]]).update(publication="draft")
    for terms in (["synthetic"], [generated[0].name.split()[0].lower()]):
        for grain in ("day", "month"):
            events = Event.objects.published().matching(terms, many=True)
            for x_range in (None, window):
                counted = counts_per_kind(
                    events=events, by_search=terms, x_range=x_range, grain=grain
                )
                expected = counted_from_events([], x_range, grain, terms)
                assert as_dict(counted) == expected and sum(expected.values()) > 10


@pytest.mark.django_db(transaction=True)
def test_migrate_puts_back_triggers_a_table_rebuild_dropped():
    """A later migration that rebuilds a SQLite table drops its triggers;
    every migrate re-installs them and re-syncs the entries."""
    from django.core.management import call_command

    from timeline.triggers import SQLITE_INDEX, chart_triggers_installed

    generate(count=20, seed=12, actor_count=3, prefix="m-")
    assert chart_triggers_installed()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER timeline_chartentry_participation_insert")
            cursor.execute(f"DROP INDEX {SQLITE_INDEX}")  # its own index goes too
        else:
            cursor.execute(
                "DROP TRIGGER timeline_chartentry_participation ON timeline_participation"
            )
    assert not chart_triggers_installed()
    generate(count=5, seed=13, actor_count=2, prefix="n-")  # written while they were gone
    assert entries() != mirrored()
    call_command("migrate", verbosity=0)
    assert chart_triggers_installed() and entries() == mirrored()
    if connection.vendor == "sqlite":
        assert SQLITE_INDEX in connection.introspection.get_constraints(
            connection.cursor(), "timeline_event"
        )
    generate(count=5, seed=14, actor_count=2, prefix="o-")
    assert entries() == mirrored()


def test_a_participation_written_before_its_event_gets_its_entry(db):
    """Foreign keys are checked at commit, so a loader may write the
    participation first; the event's own trigger then adds the entry."""
    from .factories import ActorFactory, EventFactory

    actor, model = ActorFactory(), EventFactory.build()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO timeline_participation (id, event_id, actor_id, role)"
            " VALUES (900001, 900002, %s, 'principal')",
            [actor.pk],
        )
    model.pk = 900002
    model.save(force_insert=True)
    assert entries() == mirrored() and len(entries()) == 1


@pytest.mark.django_db(transaction=True)
def test_migrations_that_rebuild_tables_run_with_the_triggers_in_place():
    """On SQLite, adding a column to timeline_event rebuilds the table, which
    fails while a trigger names it: migrate takes the triggers off first."""
    from django.core.management import call_command

    from timeline.triggers import chart_triggers_installed

    generate(count=10, seed=15, actor_count=2, prefix="r-")
    call_command("migrate", "timeline", "0004", verbosity=0)  # drops Event.publication
    assert not chart_triggers_installed()  # written for the latest schema only
    call_command("migrate", verbosity=0)  # adds it back: a table rebuild on SQLite
    assert chart_triggers_installed() and entries() == mirrored()


@pytest.mark.django_db(transaction=True)
def test_dumpdata_and_loaddata_carry_a_timeline_over(seeded, tmp_path):
    """Django's own backup commands: every table the timeline's models name
    dumps (none is a copy kept in another shape), and loading the dump into
    an empty database gives the same timeline, its copies rebuilt."""
    dump = tmp_path / "timeline.json"
    call_command("dumpdata", "timeline", output=str(dump), verbosity=0)
    events = set(Event.objects.values_list("slug", "start", "publication"))
    call_command("flush", interactive=False, verbosity=0)
    assert not Event.objects.exists()
    call_command("loaddata", str(dump), verbosity=0)
    assert set(Event.objects.values_list("slug", "start", "publication")) == events
    assert entries() == mirrored() and documents() == documented()
    assert Event.objects.published().matching(["starmer"]).count() == 3


def test_a_search_counts_only_what_every_other_filter_selects_too(generated):
    """The chart's counts of a search combined with other filters equal
    counting the events they all select (on PostgreSQL a search alone is
    counted from its documents, which know nothing of the other filters)."""
    # "1" begins some events' numbers and one actor's: a search that selects some.
    first, second = generated[0].slug, generated[2].slug
    searched = Event.objects.published().matching(["1"])
    assert 0 < searched.count() < Event.objects.published().count()
    event = searched.filter(participations__actor=generated[0]).first()
    for query in (
        "q=1",
        f"q=1&kind={event.kind}",
        f"q=1&status={event.status}",
        f"q=1&actor={first}",
        f"q=1&actor={first}&actor={second}",
        f"q=1&actor={first}&actor={second}&match=all",
    ):
        selection = parse_timeline_filter(QueryDict(query))
        expected = Counter((e.kind, e.start.replace(day=1)) for e in selection.events())
        assert as_dict(selection.counts_per_kind("month")) == expected and expected, query
        unsearched = parse_timeline_filter(QueryDict(query.replace("q=1", "q=")))
        assert unsearched.events().count() > sum(expected.values()), query

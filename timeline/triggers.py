"""The database triggers that keep two copies right whatever writes the
tables (the admin, imports, bulk updates, raw SQL):

- ChartEntry (models.py): every participation in a published event, with the
  event's kind and dates, which the chart counts from;
- the search documents (migration 0012): per event, its title, summary,
  quotes and actors' names in one full-text index (FTS5 on SQLite, a GIN
  index of tsvectors on PostgreSQL), which EventQuerySet.matching reads; on
  PostgreSQL with the event's kind, dates and publication too (migration
  0018), which querysets._search_counts counts from.

They are dropped before every `migrate` and installed again after it
(apps.py connects pre_migrate and post_migrate), and both copies are re-synced
then (and PostgreSQL's planner statistics refreshed: refresh_planner_statistics). On SQLite a migration that adds or alters a column rebuilds the table
(a copy, a drop, a rename), which fails while a trigger names the table, and
drops the table's own triggers: so migrations run without them.
`chart_triggers_installed()` tells the tests whether they are there.

SQLite's one index that the models cannot declare (_sqlite_index) comes
and goes with them, for the same reasons.
"""

import time

from django.db import connections

# The event's columns the copies hold, or compute their reach from
# (Event.reach_start, reach_end): an update of any of them rewrites its copies.
COPIED_EVENT_COLUMNS = 'kind, start, "end", precision, earliest, latest, publication'

SQLITE = [
    """
    CREATE TRIGGER timeline_chartentry_participation_insert
    AFTER INSERT ON timeline_participation
    BEGIN
        INSERT INTO timeline_chartentry
            (participation_id, actor_id, event_id, kind, day, "end", reach_start, reach_end)
        SELECT NEW.id, NEW.actor_id, NEW.event_id, e.kind, e.start, e."end", e.reach_start, e.reach_end
        FROM timeline_event e WHERE e.id = NEW.event_id AND e.publication = 'published';
    END
    """,
    """
    CREATE TRIGGER timeline_chartentry_participation_update
    AFTER UPDATE OF actor_id, event_id ON timeline_participation
    BEGIN
        DELETE FROM timeline_chartentry WHERE participation_id = OLD.id;
        INSERT INTO timeline_chartentry
            (participation_id, actor_id, event_id, kind, day, "end", reach_start, reach_end)
        SELECT NEW.id, NEW.actor_id, NEW.event_id, e.kind, e.start, e."end", e.reach_start, e.reach_end
        FROM timeline_event e WHERE e.id = NEW.event_id AND e.publication = 'published';
    END
    """,
    """
    CREATE TRIGGER timeline_chartentry_participation_delete
    AFTER DELETE ON timeline_participation
    BEGIN
        DELETE FROM timeline_chartentry WHERE participation_id = OLD.id;
    END
    """,
    f"""
    CREATE TRIGGER timeline_chartentry_event_update
    AFTER UPDATE OF {COPIED_EVENT_COLUMNS} ON timeline_event
    BEGIN
        DELETE FROM timeline_chartentry WHERE event_id = NEW.id;
        INSERT INTO timeline_chartentry
            (participation_id, actor_id, event_id, kind, day, "end", reach_start, reach_end)
        SELECT p.id, p.actor_id, p.event_id, NEW.kind, NEW.start, NEW."end", NEW.reach_start, NEW.reach_end
        FROM timeline_participation p
        WHERE p.event_id = NEW.id AND NEW.publication = 'published';
    END
    """,  # noqa: S608 (a constant's column names)
    # A participation written before its event (deferred foreign keys) gets
    # its entry when the event arrives.
    """
    CREATE TRIGGER timeline_chartentry_event_insert
    AFTER INSERT ON timeline_event
    BEGIN
        INSERT INTO timeline_chartentry
            (participation_id, actor_id, event_id, kind, day, "end", reach_start, reach_end)
        SELECT p.id, p.actor_id, p.event_id, NEW.kind, NEW.start, NEW."end", NEW.reach_start, NEW.reach_end
        FROM timeline_participation p
        WHERE p.event_id = NEW.id AND NEW.publication = 'published'
          AND NOT EXISTS (SELECT 1 FROM timeline_chartentry c WHERE c.participation_id = p.id);
    END
    """,
]
# The search documents (migration 0012): one row per event, its title,
# summary, quotes and actors' names, rewritten whenever any of them changes.
_SQLITE_DOCUMENT_ROWS = """
        INSERT INTO timeline_search (rowid, title, summary, quotes, actors)
        SELECT e.id, e.title, e.summary,
            coalesce((SELECT group_concat(q.text, ' ') FROM timeline_quote q
                      WHERE q.event_id = e.id), ''),
            coalesce((SELECT group_concat(a.name, ' ') FROM timeline_participation p
                      JOIN timeline_actor a ON a.id = p.actor_id WHERE p.event_id = e.id), '')
        FROM timeline_event e"""
# Constant SQL: {ids} is filled with each trigger's own expression below.
_SQLITE_REWRITE = (
    "\n        DELETE FROM timeline_search WHERE rowid IN ({ids});"  # noqa: S608
    + _SQLITE_DOCUMENT_ROWS
    + " WHERE e.id IN ({ids});\n"
)
# (name, when, the events whose documents it rewrites)
_SQLITE_SEARCH = [
    ("event_insert", "AFTER INSERT ON timeline_event", "NEW.id"),
    ("event_update", "AFTER UPDATE OF title, summary ON timeline_event", "NEW.id"),
    ("event_delete", "AFTER DELETE ON timeline_event", "OLD.id"),
    ("quote_insert", "AFTER INSERT ON timeline_quote", "NEW.event_id"),
    (
        "quote_update",
        "AFTER UPDATE OF text, event_id ON timeline_quote",
        "OLD.event_id, NEW.event_id",
    ),
    ("quote_delete", "AFTER DELETE ON timeline_quote", "OLD.event_id"),
    ("participation_insert", "AFTER INSERT ON timeline_participation", "NEW.event_id"),
    (
        "participation_update",
        "AFTER UPDATE OF actor_id, event_id ON timeline_participation",
        "OLD.event_id, NEW.event_id",
    ),
    ("participation_delete", "AFTER DELETE ON timeline_participation", "OLD.event_id"),
    (
        "actor_update",
        "AFTER UPDATE OF name ON timeline_actor",
        "SELECT event_id FROM timeline_participation WHERE actor_id = NEW.id",
    ),
]
SQLITE_SEARCH_NAMES = [f"timeline_search_{name}" for name, _, _ in _SQLITE_SEARCH]
SQLITE += [
    f"CREATE TRIGGER timeline_search_{name} {when} BEGIN{_SQLITE_REWRITE.format(ids=ids)}END"
    for name, when, ids in _SQLITE_SEARCH
]
SQLITE_RESYNC = ["DELETE FROM timeline_search", _SQLITE_DOCUMENT_ROWS]


SQLITE_INDEX = "event_published_kind_month"


def _sqlite_index() -> str:
    """SQLite's own index, which the models cannot declare for it alone: the
    published events by kind and month (querysets.MonthStart), so that
    counting a selection by kind and month reads them in that order and
    sorts nothing. SQLite has no other way to group without sorting, which
    PostgreSQL does by hashing: a search matching all of 100,000 events,
    counted, 121 ms without it and 75 with it. It carries the start and
    reach too: SQLite also reads a filter by kind and dates from it, and
    then checks the dates in the index instead of looking each event up
    (757 events of a kind in a month: 5 ms, against 48 without them). A
    migration that rebuilds the table drops the index with it; installing
    it again after every migrate brings it back."""
    from .querysets import MonthStart

    month = MonthStart.sqlite_template % {"expressions": "start"}
    return (
        f"CREATE INDEX IF NOT EXISTS {SQLITE_INDEX} ON timeline_event "
        f"(kind, {month}, start, reach_start, reach_end) WHERE publication = 'published'"
    )


# Dropped by every install, for databases migrated before 0010.
SQLITE_RETIRED_NAMES = [
    f"timeline_{table}_fts_{action}"
    for table in ("event", "quote")
    for action in ("insert", "delete", "update")
]

SQLITE_NAMES = [
    "timeline_chartentry_participation_insert",
    "timeline_chartentry_participation_update",
    "timeline_chartentry_participation_delete",
    "timeline_chartentry_event_update",
    "timeline_chartentry_event_insert",
    *SQLITE_SEARCH_NAMES,
]

# The functions that look rows up run with sequential scans off: they only
# ever touch the rows of the statement that fired them, by key. A bulk load
# fills the tables in one transaction while the planner's statistics still
# describe them as before (empty, when autovacuum analysed a timeline just
# emptied), and a plan that scans "empty" tables scanned the growing ones
# once a row: 40,000 events took 282 s to load instead of 21.
POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION timeline_chartentry_from_participation() RETURNS trigger AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            DELETE FROM timeline_chartentry WHERE participation_id = OLD.id;
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        INSERT INTO timeline_chartentry
            (participation_id, actor_id, event_id, kind, day, "end", reach_start, reach_end)
        SELECT NEW.id, NEW.actor_id, NEW.event_id, e.kind, e.start, e."end", e.reach_start, e.reach_end
        FROM timeline_event e WHERE e.id = NEW.event_id AND e.publication = 'published';
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql SET enable_seqscan = off
    """,
    "DROP TRIGGER IF EXISTS timeline_chartentry_participation ON timeline_participation",
    """
    CREATE TRIGGER timeline_chartentry_participation
    AFTER INSERT OR DELETE OR UPDATE OF actor_id, event_id ON timeline_participation
    FOR EACH ROW EXECUTE FUNCTION timeline_chartentry_from_participation()
    """,
    """
    CREATE OR REPLACE FUNCTION timeline_chartentry_from_event() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            DELETE FROM timeline_chartentry WHERE event_id = NEW.id;
        END IF;
        INSERT INTO timeline_chartentry
            (participation_id, actor_id, event_id, kind, day, "end", reach_start, reach_end)
        SELECT p.id, p.actor_id, p.event_id, NEW.kind, NEW.start, NEW."end", NEW.reach_start, NEW.reach_end
        FROM timeline_participation p
        WHERE p.event_id = NEW.id AND NEW.publication = 'published'
          AND NOT EXISTS (SELECT 1 FROM timeline_chartentry c WHERE c.participation_id = p.id);
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql SET enable_seqscan = off
    """,
    "DROP TRIGGER IF EXISTS timeline_chartentry_event ON timeline_event",
    f"""
    CREATE TRIGGER timeline_chartentry_event
    AFTER INSERT OR UPDATE OF {COPIED_EVENT_COLUMNS} ON timeline_event
    FOR EACH ROW EXECUTE FUNCTION timeline_chartentry_from_event()
    """,
]

# The search documents on PostgreSQL: the same rows as on SQLite, as tsvectors.
POSTGRESQL += [
    """
    CREATE OR REPLACE FUNCTION timeline_search_rewrite(ids bigint[]) RETURNS void AS $$
    BEGIN
        -- An upsert, in id order: two transactions rewriting the same event
        -- wait for each other instead of both inserting it (or deadlocking).
        INSERT INTO timeline_search
            (event_id, document, kind, start, reach_start, reach_end, published)
        SELECT e.id, to_tsvector('simple'::regconfig, concat_ws(' ', e.title, e.summary,
            (SELECT string_agg(q.text, ' ') FROM timeline_quote q WHERE q.event_id = e.id),
            (SELECT string_agg(a.name, ' ') FROM timeline_participation p
             JOIN timeline_actor a ON a.id = p.actor_id WHERE p.event_id = e.id))),
            e.kind, e.start, e.reach_start, e.reach_end, e.publication = 'published'
        FROM timeline_event e WHERE e.id = ANY(ids) ORDER BY e.id
        ON CONFLICT (event_id) DO UPDATE SET document = EXCLUDED.document,
            kind = EXCLUDED.kind, start = EXCLUDED.start, reach_start = EXCLUDED.reach_start,
            reach_end = EXCLUDED.reach_end, published = EXCLUDED.published;
        DELETE FROM timeline_search s WHERE s.event_id = ANY(ids)
            AND NOT EXISTS (SELECT 1 FROM timeline_event e WHERE e.id = s.event_id);
    END
    $$ LANGUAGE plpgsql SET enable_seqscan = off
    """,
    # An edit: the rows an UPDATE of the searched columns touched, one by one.
    """
    CREATE OR REPLACE FUNCTION timeline_search_from_row() RETURNS trigger AS $$
    BEGIN
        IF TG_TABLE_NAME = 'timeline_event' THEN
            PERFORM timeline_search_rewrite(ARRAY[NEW.id]);
        ELSIF TG_TABLE_NAME = 'timeline_actor' THEN
            PERFORM timeline_search_rewrite(ARRAY(
                SELECT event_id FROM timeline_participation WHERE actor_id = NEW.id));
        ELSE
            PERFORM timeline_search_rewrite(ARRAY[OLD.event_id, NEW.event_id]);
        END IF;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    # An update of what the documents copy of their event (not its words):
    # the copy alone, without writing the words again.
    """
    CREATE OR REPLACE FUNCTION timeline_search_copy_event() RETURNS trigger AS $$
    BEGIN
        UPDATE timeline_search SET kind = NEW.kind, start = NEW.start,
            reach_start = NEW.reach_start, reach_end = NEW.reach_end,
            published = NEW.publication = 'published'
        WHERE event_id = NEW.id;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql SET enable_seqscan = off
    """,
    "DROP TRIGGER IF EXISTS timeline_search_event_copy ON timeline_event",
    f"CREATE TRIGGER timeline_search_event_copy AFTER UPDATE OF {COPIED_EVENT_COLUMNS} "
    "ON timeline_event FOR EACH ROW EXECUTE FUNCTION timeline_search_copy_event()",
    # Inserts and deletes, once per statement with all its rows (transition
    # tables): an import of thousands of quotes rewrites each event once.
    """
    CREATE OR REPLACE FUNCTION timeline_search_from_statement() RETURNS trigger AS $$
    BEGIN
        IF TG_TABLE_NAME = 'timeline_event' AND TG_OP = 'DELETE' THEN
            DELETE FROM timeline_search WHERE event_id IN (SELECT id FROM old_rows);
        ELSIF TG_TABLE_NAME = 'timeline_event' THEN
            PERFORM timeline_search_rewrite(ARRAY(SELECT id FROM new_rows));
        ELSIF TG_OP = 'DELETE' THEN
            PERFORM timeline_search_rewrite(ARRAY(SELECT DISTINCT event_id FROM old_rows));
        ELSE
            PERFORM timeline_search_rewrite(ARRAY(SELECT DISTINCT event_id FROM new_rows));
        END IF;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    # A flush truncates the tables, which fires no row trigger.
    """
    CREATE OR REPLACE FUNCTION timeline_search_truncate() RETURNS trigger AS $$
    BEGIN
        -- Events gone: no documents; quotes or actors gone: every document again.
        TRUNCATE timeline_search;
        IF TG_TABLE_NAME <> 'timeline_event' THEN
            PERFORM timeline_search_rewrite(ARRAY(SELECT id FROM timeline_event));
        END IF;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    *(
        statement
        for table, columns in [
            ("event", "title, summary"),
            ("quote", "text, event_id"),
            ("participation", "actor_id, event_id"),
            ("actor", "name"),
        ]
        for statement in (
            f"DROP TRIGGER IF EXISTS timeline_search_{table} ON timeline_{table}",
            f"CREATE TRIGGER timeline_search_{table} AFTER UPDATE OF {columns} "
            f"ON timeline_{table} FOR EACH ROW EXECUTE FUNCTION timeline_search_from_row()",
        )
    ),
    *(
        statement
        for table in ("event", "quote", "participation")
        for operation, rows in (
            ("insert", "NEW TABLE AS new_rows"),
            ("delete", "OLD TABLE AS old_rows"),
        )
        for statement in (
            f"DROP TRIGGER IF EXISTS timeline_search_{table}_{operation} ON timeline_{table}",
            f"CREATE TRIGGER timeline_search_{table}_{operation} AFTER {operation.upper()} "
            f"ON timeline_{table} REFERENCING {rows} "
            "FOR EACH STATEMENT EXECUTE FUNCTION timeline_search_from_statement()",
        )
    ),
    *(
        statement
        for table in ("event", "quote", "participation")
        for statement in (
            f"DROP TRIGGER IF EXISTS timeline_search_truncate ON timeline_{table}",
            f"CREATE TRIGGER timeline_search_truncate AFTER TRUNCATE ON timeline_{table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION timeline_search_truncate()",
        )
    ),
]
POSTGRESQL_RESYNC = [
    "TRUNCATE timeline_search",
    "SELECT timeline_search_rewrite(ARRAY(SELECT id FROM timeline_event))",
]

RESYNC = [
    "DELETE FROM timeline_chartentry",
    """
    INSERT INTO timeline_chartentry
            (participation_id, actor_id, event_id, kind, day, "end", reach_start, reach_end)
    SELECT p.id, p.actor_id, p.event_id, e.kind, e.start, e."end", e.reach_start, e.reach_end
    FROM timeline_participation p JOIN timeline_event e ON e.id = p.event_id
    WHERE e.publication = 'published'
    """,
]


def install_chart_triggers(*, using: str = "default", **kwargs) -> None:
    """(Re)install the triggers and re-sync the table, in one transaction.
    A post_migrate receiver; does nothing unless the timeline's schema is at
    its latest migration (a migrate back to an older one leaves them off)."""
    from django.db import transaction

    connection = connections[using]
    if not _at_latest_migration(connection):
        return  # the triggers are written for the latest schema
    if connection.vendor == "sqlite":
        retired = SQLITE_NAMES + SQLITE_RETIRED_NAMES
        statements = [f"DROP TRIGGER IF EXISTS {name}" for name in retired] + SQLITE
        statements += SQLITE_RESYNC + [_sqlite_index()]
    elif connection.vendor == "postgresql":
        statements = POSTGRESQL + POSTGRESQL_RESYNC
    else:
        raise NotImplementedError(f"No chart triggers for {connection.vendor}.")
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for statement in statements + RESYNC:
            cursor.execute(statement)
    refresh_planner_statistics(using=using)


# What the public pages read: planned from their statistics on PostgreSQL.
READ_TABLES = [
    "timeline_event",
    "timeline_participation",
    "timeline_quote",
    "timeline_actor",
    "timeline_source",
    "timeline_chartentry",
    "timeline_search",
]


# Writes of this many events or more are a bulk load: statistics refreshed after.
BULK_LOAD_EVENTS = 1_000


def after_bulk_load(*, events: int, using: str = "default") -> None:
    """refresh_planner_statistics once the current transaction commits, if
    it wrote `events` >= BULK_LOAD_EVENTS."""
    from django.db import transaction

    if events >= BULK_LOAD_EVENTS:
        transaction.on_commit(
            lambda: refresh_planner_statistics(using=using), using=using, robust=True
        )


def refresh_planner_statistics(*, using: str = "default") -> None:
    """VACUUM and ANALYZE the tables the public pages read, on PostgreSQL:
    after a migration has re-synced the copies, and after a bulk load
    (generate_events, a large import). Autovacuum gets to them only a while
    later. Until then the planner guesses: a cold one-actor fragment at
    100,000 events took 859 ms unanalysed and 192 ms analysed. VACUUM also
    marks the pages all-visible, so the covering indexes (ChartEntry's by
    actor, migration 0013's) are read without visiting the table: 165 ms
    analysed, 113 ms vacuumed too. VACUUM cannot run inside a transaction;
    there it is ANALYZE alone. SQLite plans these queries from their indexes,
    without statistics, so there is nothing to do."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM timeline_event)")
        if not cursor.fetchone()[0]:
            # Statistics of empty tables tell the planner they stay empty:
            # the first load after a fresh migrate then took twice as long
            # (10,000 events: 23 s against 11). Unanalysed, it reads their size.
            return
    if connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(READ_TABLES)}")
        return
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {', '.join(READ_TABLES)}")
        _mark_all_visible(cursor)


def _mark_all_visible(cursor, *, attempts: int = 10, pause: float = 0.1) -> None:
    """VACUUM again, a few times if need be, the tables whose pages a first
    VACUUM right after a load left unmarked: until the rows' commit is
    written to disk (which asynchronous commits leave to a background
    writer, up to a few hundred milliseconds later) it cannot tell they are
    visible to all. Unmarked, the covering indexes send every lookup to the
    table too (a 3-actor chart count at 100,000 events: 41 ms against 8)."""
    vacuumed = set()
    for _attempt in range(attempts):
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relname = ANY(%s) AND relallvisible < relpages",
            [READ_TABLES],
        )
        unmarked = [name for (name,) in cursor.fetchall()]
        if not unmarked:
            break
        time.sleep(pause)
        cursor.execute(f"VACUUM {', '.join(unmarked)}")
        vacuumed.update(unmarked)
    if vacuumed:
        # VACUUM counts the rows it passes, dead ones not yet removable among
        # them: the planner's row counts are ANALYZE's.
        cursor.execute(f"ANALYZE {', '.join(sorted(vacuumed))}")


def _at_latest_migration(connection) -> bool:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return not executor.migration_plan(executor.loader.graph.leaf_nodes("timeline"))


def drop_chart_triggers(*, using: str = "default", **kwargs) -> None:
    """A pre_migrate receiver: schema changes run without the triggers."""
    connection = connections[using]
    if "timeline_chartentry" not in connection.introspection.table_names():
        return  # before migration 0002 there are none
    if connection.vendor == "sqlite":
        retired = SQLITE_NAMES + SQLITE_RETIRED_NAMES
        statements = [f"DROP TRIGGER IF EXISTS {name}" for name in retired]
        # Nor SQLite's own index: dropping a column it names would fail.
        statements.append(f"DROP INDEX IF EXISTS {SQLITE_INDEX}")
    else:
        statements = [s for s in POSTGRESQL if s.startswith("DROP TRIGGER")]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def chart_triggers_installed(using: str = "default") -> bool:
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            return set(SQLITE_NAMES) <= {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgname LIKE %s AND NOT tgisinternal",
            ["timeline_chartentry_%"],
        )
        return cursor.fetchone()[0] == 2

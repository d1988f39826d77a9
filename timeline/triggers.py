"""The database triggers that keep ChartEntry (models.py) a copy of every
participation in a published event, with the event's kind and dates,
whatever writes them; and, on SQLite, the ones that keep the full-text
search tables (FTS5, created by migration 0008) in step with the events'
titles and summaries and the quotes' texts. PostgreSQL searches through
expression indexes instead, which need no trigger.

They are dropped before every `migrate` and installed again after it
(apps.py connects pre_migrate and post_migrate), and the table is re-synced
from the participations then. On SQLite a migration that adds or alters a
column rebuilds the table (a copy, a drop, a rename), which fails while a
trigger names the table, and drops the table's own triggers: so migrations
run without them. `chart_triggers_installed()` tells the tests whether they
are there.
"""

from django.db import connections

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
    """
    CREATE TRIGGER timeline_chartentry_event_update
    AFTER UPDATE OF kind, start, "end", earliest, latest, publication ON timeline_event
    BEGIN
        DELETE FROM timeline_chartentry WHERE event_id = NEW.id;
        INSERT INTO timeline_chartentry
            (participation_id, actor_id, event_id, kind, day, "end", reach_start, reach_end)
        SELECT p.id, p.actor_id, p.event_id, NEW.kind, NEW.start, NEW."end", NEW.reach_start, NEW.reach_end
        FROM timeline_participation p
        WHERE p.event_id = NEW.id AND NEW.publication = 'published';
    END
    """,
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
# FTS5 external-content tables (see migration 0008), kept by the triggers
# SQLite's documentation gives for them.
SQLITE += [
    """
    CREATE TRIGGER timeline_event_fts_insert AFTER INSERT ON timeline_event BEGIN
        INSERT INTO timeline_event_fts (rowid, title, summary)
        VALUES (NEW.id, NEW.title, NEW.summary);
    END
    """,
    """
    CREATE TRIGGER timeline_event_fts_delete AFTER DELETE ON timeline_event BEGIN
        INSERT INTO timeline_event_fts (timeline_event_fts, rowid, title, summary)
        VALUES ('delete', OLD.id, OLD.title, OLD.summary);
    END
    """,
    """
    CREATE TRIGGER timeline_event_fts_update AFTER UPDATE OF title, summary ON timeline_event
    BEGIN
        INSERT INTO timeline_event_fts (timeline_event_fts, rowid, title, summary)
        VALUES ('delete', OLD.id, OLD.title, OLD.summary);
        INSERT INTO timeline_event_fts (rowid, title, summary)
        VALUES (NEW.id, NEW.title, NEW.summary);
    END
    """,
    """
    CREATE TRIGGER timeline_quote_fts_insert AFTER INSERT ON timeline_quote BEGIN
        INSERT INTO timeline_quote_fts (rowid, text) VALUES (NEW.id, NEW.text);
    END
    """,
    """
    CREATE TRIGGER timeline_quote_fts_delete AFTER DELETE ON timeline_quote BEGIN
        INSERT INTO timeline_quote_fts (timeline_quote_fts, rowid, text)
        VALUES ('delete', OLD.id, OLD.text);
    END
    """,
    """
    CREATE TRIGGER timeline_quote_fts_update AFTER UPDATE OF text ON timeline_quote BEGIN
        INSERT INTO timeline_quote_fts (timeline_quote_fts, rowid, text)
        VALUES ('delete', OLD.id, OLD.text);
        INSERT INTO timeline_quote_fts (rowid, text) VALUES (NEW.id, NEW.text);
    END
    """,
]
SQLITE_SEARCH_NAMES = [
    f"timeline_{table}_fts_{action}"
    for table in ("event", "quote")
    for action in ("insert", "delete", "update")
]
SQLITE_RESYNC = [
    "INSERT INTO timeline_event_fts (timeline_event_fts) VALUES ('rebuild')",
    "INSERT INTO timeline_quote_fts (timeline_quote_fts) VALUES ('rebuild')",
]

SQLITE_NAMES = [
    "timeline_chartentry_participation_insert",
    "timeline_chartentry_participation_update",
    "timeline_chartentry_participation_delete",
    "timeline_chartentry_event_update",
    "timeline_chartentry_event_insert",
    *SQLITE_SEARCH_NAMES,
]

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
    $$ LANGUAGE plpgsql
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
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS timeline_chartentry_event ON timeline_event",
    """
    CREATE TRIGGER timeline_chartentry_event
    AFTER INSERT OR UPDATE OF kind, start, "end", earliest, latest, publication ON timeline_event
    FOR EACH ROW EXECUTE FUNCTION timeline_chartentry_from_event()
    """,
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
        statements = [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_NAMES] + SQLITE
        statements += SQLITE_RESYNC
    elif connection.vendor == "postgresql":
        statements = POSTGRESQL
    else:
        raise NotImplementedError(f"No chart triggers for {connection.vendor}.")
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for statement in statements + RESYNC:
            cursor.execute(statement)


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
        statements = [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_NAMES]
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

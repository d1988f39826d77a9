# The chart's counting table (models.ChartEntry) and the triggers that keep it:
# one row per participation, carrying its event's kind, start and end. Every
# write, whatever its path, goes through these triggers, so the table cannot
# drift from the data it mirrors.

from django.db import migrations, models

SQLITE = [
    """
    CREATE TRIGGER timeline_chartentry_participation_insert
    AFTER INSERT ON timeline_participation
    BEGIN
        INSERT INTO timeline_chartentry (participation_id, actor_id, event_id, kind, day, "end")
        SELECT NEW.id, NEW.actor_id, NEW.event_id, e.kind, e.start, e."end"
        FROM timeline_event e WHERE e.id = NEW.event_id;
    END
    """,
    """
    CREATE TRIGGER timeline_chartentry_participation_update
    AFTER UPDATE OF actor_id, event_id ON timeline_participation
    BEGIN
        DELETE FROM timeline_chartentry WHERE participation_id = OLD.id;
        INSERT INTO timeline_chartentry (participation_id, actor_id, event_id, kind, day, "end")
        SELECT NEW.id, NEW.actor_id, NEW.event_id, e.kind, e.start, e."end"
        FROM timeline_event e WHERE e.id = NEW.event_id;
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
    AFTER UPDATE OF kind, start, "end" ON timeline_event
    BEGIN
        UPDATE timeline_chartentry SET kind = NEW.kind, day = NEW.start, "end" = NEW."end"
        WHERE event_id = NEW.id;
    END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS timeline_chartentry_participation_insert",
    "DROP TRIGGER IF EXISTS timeline_chartentry_participation_update",
    "DROP TRIGGER IF EXISTS timeline_chartentry_participation_delete",
    "DROP TRIGGER IF EXISTS timeline_chartentry_event_update",
]

POSTGRESQL = [
    """
    CREATE FUNCTION timeline_chartentry_from_participation() RETURNS trigger AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            DELETE FROM timeline_chartentry WHERE participation_id = OLD.id;
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        INSERT INTO timeline_chartentry (participation_id, actor_id, event_id, kind, day, "end")
        SELECT NEW.id, NEW.actor_id, NEW.event_id, e.kind, e.start, e."end"
        FROM timeline_event e WHERE e.id = NEW.event_id;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER timeline_chartentry_participation
    AFTER INSERT OR DELETE OR UPDATE OF actor_id, event_id ON timeline_participation
    FOR EACH ROW EXECUTE FUNCTION timeline_chartentry_from_participation()
    """,
    """
    CREATE FUNCTION timeline_chartentry_from_event() RETURNS trigger AS $$
    BEGIN
        UPDATE timeline_chartentry SET kind = NEW.kind, day = NEW.start, "end" = NEW."end"
        WHERE event_id = NEW.id;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER timeline_chartentry_event
    AFTER UPDATE OF kind, start, "end" ON timeline_event
    FOR EACH ROW EXECUTE FUNCTION timeline_chartentry_from_event()
    """,
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS timeline_chartentry_participation ON timeline_participation",
    "DROP TRIGGER IF EXISTS timeline_chartentry_event ON timeline_event",
    "DROP FUNCTION IF EXISTS timeline_chartentry_from_participation()",
    "DROP FUNCTION IF EXISTS timeline_chartentry_from_event()",
]

BACKFILL = """
    INSERT INTO timeline_chartentry (participation_id, actor_id, event_id, kind, day, "end")
    SELECT p.id, p.actor_id, p.event_id, e.kind, e.start, e."end"
    FROM timeline_participation p JOIN timeline_event e ON e.id = p.event_id
"""


def _statements(schema_editor, create: bool) -> list[str]:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        return SQLITE if create else SQLITE_DROP
    if vendor == "postgresql":
        return POSTGRESQL if create else POSTGRESQL_DROP
    raise NotImplementedError(f"No chart triggers for {vendor}: use SQLite or PostgreSQL.")


def create_triggers(apps, schema_editor):
    for statement in _statements(schema_editor, create=True):
        schema_editor.execute(statement)
    schema_editor.execute(BACKFILL)


def drop_triggers(apps, schema_editor):
    for statement in _statements(schema_editor, create=False):
        schema_editor.execute(statement)
    schema_editor.execute("DELETE FROM timeline_chartentry")


class Migration(migrations.Migration):

    dependencies = [
        ('timeline', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='ChartEntry',
            fields=[
                ('participation_id', models.BigIntegerField(primary_key=True, serialize=False)),
                ('actor_id', models.BigIntegerField()),
                ('event_id', models.BigIntegerField()),
                ('kind', models.CharField(max_length=30)),
                ('day', models.DateField()),
                ('end', models.DateField(null=True)),
            ],
        ),
        migrations.AddIndex(
            model_name='event',
            index=models.Index(fields=['kind', 'start'], name='event_kind_day'),
        ),
        migrations.AddIndex(
            model_name='chartentry',
            index=models.Index(fields=['actor_id', 'kind', 'day', 'event_id'], name='chartentry_actor_day'),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]

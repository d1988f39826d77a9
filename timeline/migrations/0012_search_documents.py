"""One search document per event: its title, summary, quotes and actors'
names in one full-text index, so a search is one index lookup whatever it
matches (migration 0008 indexed events and quotes apart, and a word found in
every quote cost a join over all of them). On SQLite an FTS5 table, on
PostgreSQL a table of tsvectors with a GIN index; both kept by the triggers
in triggers.py and filled when they are installed, after every migrate."""

from django.db import migrations

SQLITE = [
    "DROP TABLE IF EXISTS timeline_event_fts",
    "DROP TABLE IF EXISTS timeline_quote_fts",
    "CREATE VIRTUAL TABLE IF NOT EXISTS timeline_search USING fts5(title, summary, quotes, "
    "actors, tokenize='unicode61 remove_diacritics 2')",
]
SQLITE_REVERSE = [
    "DROP TABLE IF EXISTS timeline_search",
    "CREATE VIRTUAL TABLE IF NOT EXISTS timeline_event_fts USING fts5(title, summary, "
    "content='timeline_event', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS timeline_quote_fts USING fts5(text, "
    "content='timeline_quote', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
]
POSTGRESQL = [
    "DROP INDEX IF EXISTS timeline_event_search",
    "DROP INDEX IF EXISTS timeline_quote_search",
    "CREATE TABLE IF NOT EXISTS timeline_search "
    "(event_id bigint PRIMARY KEY, document tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS timeline_search_document ON timeline_search USING gin (document)",
]
POSTGRESQL_REVERSE = [
    "DROP TABLE IF EXISTS timeline_search",
    "CREATE INDEX IF NOT EXISTS timeline_event_search ON timeline_event USING gin "
    "(to_tsvector('simple'::regconfig, title || ' ' || summary))",
    "CREATE INDEX IF NOT EXISTS timeline_quote_search ON timeline_quote USING gin "
    "(to_tsvector('simple'::regconfig, text))",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0011_history_and_corrections"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]

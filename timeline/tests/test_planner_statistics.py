"""PostgreSQL plans the public pages' queries from its statistics of the
tables, and autovacuum gathers them only a while after a bulk load: until
then a cold one-actor fragment at 100,000 events took 859 ms instead of
192 (docs/performance.md). So a migration and a bulk load refresh them
(triggers.refresh_planner_statistics). On a throwaway PostgreSQL of the
test's own, with autovacuum off for the tables, so only the app can have
done it. The generated events are written for benchmarks and tests."""

import psycopg

from .servers import manage, production_env


def table_rows(url: str) -> dict[str, float]:
    """What the planner believes each table holds."""
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname IN "
            "('timeline_event', 'timeline_participation', 'timeline_chartentry', 'timeline_search')"
        ).fetchall()
    return dict(rows)


def test_after_a_bulk_load_postgresql_plans_with_the_new_rows(postgres_server, tmp_path):
    env = production_env(tmp_path, postgres_server.url)
    manage(env, "migrate", "--verbosity", "0")
    with psycopg.connect(postgres_server.url, autocommit=True) as connection:
        for table in table_rows(postgres_server.url):
            connection.execute(f"ALTER TABLE {table} SET (autovacuum_enabled = false)")
        connection.execute("SELECT pg_stat_reset()")  # forget migrate's own vacuum
    # A fresh, empty database is left unanalysed (-1): statistics of empty
    # tables would have the planner treat a first large import as tiny.
    assert set(table_rows(postgres_server.url).values()) == {-1}

    manage(env, "generate_events", "--count", "1500", "--actors", "20")

    believed = table_rows(postgres_server.url)
    assert believed["timeline_event"] == 1500
    assert believed["timeline_search"] == 1500
    # One to four actors an event, every event published.
    assert 1500 <= believed["timeline_participation"] <= 6000
    assert believed["timeline_chartentry"] == believed["timeline_participation"]
    # Vacuumed too, every page marked all-visible: the covering indexes are
    # read without visiting the table (a 3-actor chart count at 100,000
    # events: 41 ms with 77,000 heap fetches, 8 ms without).
    with psycopg.connect(postgres_server.url) as connection:
        not_all_visible = connection.execute(
            "SELECT relname, relallvisible, relpages FROM pg_class WHERE relname IN "
            "('timeline_event', 'timeline_participation', 'timeline_chartentry', 'timeline_search')"
            " AND relallvisible < relpages"
        ).fetchall()
    assert not_all_visible == []


def test_a_bulk_load_finds_rows_by_key_whatever_the_statistics_say(postgres_server, tmp_path):
    """A load fills the tables in one transaction while the planner's
    statistics still describe them as they were: empty, when autovacuum has
    analysed a timeline just emptied (as the benchmarks empty it between
    sizes). The triggers that keep the chart's entries and the search
    documents must still look rows up by key, not scan the growing tables
    once a row: 40,000 events after such an analysis took 282 s to load
    instead of 21."""
    env = production_env(tmp_path, postgres_server.url)
    manage(env, "migrate", "--verbosity", "0")
    manage(env, "generate_events", "--count", "1000", "--actors", "20")
    with psycopg.connect(postgres_server.url, autocommit=True) as connection:
        connection.execute("TRUNCATE timeline_event, timeline_actor, timeline_source CASCADE")
        connection.execute("VACUUM ANALYZE")  # what autovacuum does to emptied tables
        connection.execute("SELECT pg_stat_reset()")

    manage(env, "generate_events", "--count", "2000", "--actors", "20")

    with psycopg.connect(postgres_server.url) as connection:
        scans = dict(
            connection.execute(
                "SELECT relname, seq_scan FROM pg_stat_user_tables WHERE relname IN "
                "('timeline_event', 'timeline_participation', 'timeline_chartentry')"
            ).fetchall()
        )
    # A handful of whole-table reads (the generator's own checks), not one a row.
    assert max(scans.values()) < 50, scans

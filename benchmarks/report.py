#!/usr/bin/env python
"""Turn benchmark result files (benchmarks/run.py --out) into docs/performance.md.

python benchmarks/report.py benchmarks/results-sqlite.json benchmarks/results-postgres.json

Every figure and verdict comes from the files; nothing is written in by hand
but the targets themselves (ISSUE_7 and the limits in `scale_targets`).
"""

import json
import sys
from pathlib import Path

# Issue 7, "never stale, served at any traffic": its targets, as measured by run.py.
LOAD_EVENTS = 100_000
FRAGMENT_SHARE = 0.50  # cache-hit fragment, of /healthz requests/s
NOT_MODIFIED_SHARE = 0.70  # the same answered 304, of /healthz requests/s
COLD_FRAGMENT_MS = {10_000: 50, 100_000: 150}
SEED_CHART_DRAWN_MS = 500
SEED_LIST_PAINTED_MS = 200
SEED_IMPORT_BUMPS = 1
# Issue 9, "explore": search and any filter combination, cold, at 100,000 events.
FILTER_EVENTS = 100_000
FILTER_FRAGMENT_MS = 150
FILTER_CASES = [
    "fragment, 1 actor",
    "fragment, 3 actors",
    "fragment, search (all match)",
    "fragment, search (one match)",
    "fragment, one month",
    "fragment, month and kind",
    "fragment, 2 actors together, status",
]


def main(paths: list[str]) -> None:
    runs = [json.loads(Path(path).read_text()) for path in paths]
    lines = [
        "# Performance",
        "",
        "Measured with `make bench` (benchmarks/run.py on SQLite, then on a throwaway PostgreSQL",
        "with a throwaway Redis as the cache; then this report). Data comes from",
        "`manage.py generate_events --seed 1` (300 actors with a Zipf-like share of events, 15 %",
        "spans, 1–3 quotes per event from generated sources). Server times are taken in-process",
        "through Django's whole middleware stack with DEBUG off. *Cold* is the first request after",
        "an edit: the data version is bumped before every request, so the response cache and the",
        "figure cache both miss. *Warm* repeats the request: a whole-response cache hit. The",
        "1-actor and 3-actor filters use the busiest actors (the busiest takes part in about half",
        "of all events). Browser times are headless Chromium against gunicorn with production",
        "settings (WhiteNoise, compressed manifest storage), each run in a new browser context",
        "(empty HTTP cache), from navigation until Plotly has drawn the chart and until the first",
        "item of the event list was painted (Element Timing). Load tests are wrk against the same",
        "gunicorn.",
        "",
    ]
    lines += machine_lines(runs)
    lines += issue_7_targets(runs)
    lines += issue_9_targets(runs)
    for run in runs:
        lines += run_tables(run)
    lines += seed_tables(runs)
    lines += scale_targets(runs)
    notes = Path(__file__).with_name("NOTES.md")
    if notes.exists():
        lines += ["", notes.read_text().rstrip()]
    print("\n".join(lines))


def label(run: dict) -> str:
    database = {"sqlite3": "SQLite", "postgresql": "PostgreSQL"}.get(
        run["database"], run["database"]
    )
    return f"{database} + Redis" if "Redis" in run.get("cache", "") else database


def machine_lines(runs: list[dict]) -> list[str]:
    machine = runs[0]["machine"]
    lines = [
        f"Machine: {machine['cpus']} CPUs ({machine['cpu']}), {machine['memory']} memory,",
        f"Python {machine['python']}, {machine['platform']}.",
    ]
    for run in runs:
        other = run["machine"]
        if (other["cpus"], other["cpu"], other["platform"]) != (
            machine["cpus"],
            machine["cpu"],
            machine["platform"],
        ):
            lines.append(
                f"The {label(run)} run: {other['cpus']} CPUs ({other['cpu']}), {other['platform']}."
            )
    loads = [
        f"{label(run)} {run['machine']['load_average_at_start'][0]}"
        for run in runs
        if "load_average_at_start" in run["machine"]
    ]
    if loads:
        lines.append(
            f"gunicorn runs {runs[0].get('workers', '?')} workers. The machine is shared; load "
            f"average (1 min) when each run began: {', '.join(loads)}."
        )
    return [*lines, ""]


# --- Issue 7 ---------------------------------------------------------------


def at_most(value, limit, unit: str) -> str:
    if value is None:
        return "not measured"
    return "met" if value <= limit else f"missed by {value - limit:,.0f} {unit}"


def share_verdict(share: float, target: float, errors: int) -> str:
    problems = []
    if share < target:
        problems.append(f"missed by {(target - share) * 100:.1f} percentage points")
    if errors:
        problems.append(f"missed: {errors:,} errors")
    return "; ".join(problems) or "met"


def at_size(verdict: str, measured_at: int, wanted: int) -> str:
    if measured_at == wanted:
        return verdict
    return f"not measured at {wanted:,} ({verdict} at {measured_at:,} events)"


def issue_7_targets(runs: list[dict]) -> list[str]:
    lines = [
        "## Targets (issue 7)",
        "",
        "| target | run | measured | verdict |",
        "|---|---|---|---|",
    ]
    for run in runs:
        for target, measured, verdict in issue_7_rows(run):
            lines.append(f"| {target} | {label(run)} | {measured} | {verdict} |")
    return [*lines, ""]


def issue_9_targets(runs: list[dict]) -> list[str]:
    lines = [
        "",
        "## Targets (issue 9)",
        "",
        "| target | run | measured | queries (cold) | verdict |",
        "|---|---|---|---:|---|",
    ]
    for run in runs:
        by_size = {size["events"]: size for size in run["sizes"]}
        for name in FILTER_CASES:
            target = f"cold {name} p50 ≤ {FILTER_FRAGMENT_MS} ms at {FILTER_EVENTS:,} events"
            measured = by_size.get(FILTER_EVENTS, {}).get("requests", {}).get(name)
            if measured is None:
                lines.append(f"| {target} | {label(run)} | not measured | – | not measured |")
                continue
            value = measured["p50_ms"]
            verdict = at_most(value, FILTER_FRAGMENT_MS, "ms")
            lines.append(
                f"| {target} | {label(run)} | {value} ms | {measured['queries']} | {verdict} |"
            )
    return lines


def issue_7_rows(run: dict) -> list[tuple[str, str, str]]:
    """(target, measured, verdict) for every target of issue 7, for one run."""
    return [
        *load_rows(run),
        edit_row(run),
        *cold_fragment_rows(run),
        *seed_page_rows(run),
        seed_bumps_row(run),
    ]


def load_rows(run: dict) -> list[tuple[str, str, str]]:
    fragment_target = (
        f"anonymous one-actor fragment, cache hit, {LOAD_EVENTS:,} events: "
        f"≥ {FRAGMENT_SHARE:.0%} of /healthz requests/s, 0 errors"
    )
    not_modified_target = (
        f"… same, conditional (If-None-Match) answered 304: ≥ {NOT_MODIFIED_SHARE:.0%} "
        "of /healthz requests/s"
    )
    loaded = next((size for size in run["sizes"] if "load" in size), None)
    load = loaded["load"] if loaded else {}
    if "fragment_304" not in load:
        reason = load.get("skipped", "not measured (run without --load, or an older run.py)")
        return [
            (fragment_target, reason, "not measured"),
            (not_modified_target, reason, "not measured"),
        ]

    healthz, fragment, conditional = load["healthz"], load["fragment"], load["fragment_304"]
    share = fragment["ratio_to_healthz"]
    fragment_row = (
        fragment_target,
        f"{fragment['requests_per_second']:,.0f} requests/s, {share:.1%} of /healthz "
        f"({healthz['requests_per_second']:,.0f}/s); {fragment['errors']:,} errors in "
        f"{fragment['requests']:,} requests (/healthz: {healthz['errors']:,})",
        at_size(
            share_verdict(share, FRAGMENT_SHARE, fragment["errors"] + healthz["errors"]),
            loaded["events"],
            LOAD_EVENTS,
        ),
    )
    answered_304 = conditional["statuses"].get("304", 0)
    share = conditional["ratio_to_healthz"]
    verdict = share_verdict(share, NOT_MODIFIED_SHARE, conditional["errors"])
    if conditional.get("checked_status") != 304 or answered_304 < conditional["requests"]:
        verdict = f"missed: {conditional['requests'] - answered_304:,} not answered 304"
    not_modified_row = (
        not_modified_target,
        f"{conditional['requests_per_second']:,.0f} requests/s, {share:.1%} of /healthz; "
        f"{answered_304:,} of {conditional['requests']:,} answered 304, "
        f"{conditional['errors']:,} errors",
        at_size(verdict, loaded["events"], LOAD_EVENTS),
    )
    return [fragment_row, not_modified_row]


def edit_checks(run: dict) -> list[tuple[str, dict]]:
    """(where, check) for every edit-visibility check of a run."""
    checks = [
        (f"{size['events']:,} events", check)
        for size in run["sizes"]
        for check in size.get("edit_visibility", [])
    ]
    return checks + [
        ("the seed", check) for check in run.get("seed", {}).get("edit_visibility", [])
    ]


def edit_row(run: dict) -> tuple[str, str, str]:
    target = "an edit (admin save, import) is visible on the very next request, in every worker"
    checks = edit_checks(run)
    if not checks:
        return (target, "not measured", "not measured")
    measured = "; ".join(
        f"{check['edit']} at {where}: {check['showed_edit_after']}/{check['requests_after']} "
        f"requests from {check['workers_answered_after']}/{check['workers']} workers showed it, "
        f"the first {check['first_response_ms_after_edit']:.0f} ms after the edit ended"
        for where, check in checks
    )
    stale = sum(check["requests_after"] - check["showed_edit_after"] for _, check in checks)
    if stale:
        verdict = f"missed: {stale} requests without the edit"
    elif all(check["visible_everywhere"] for _, check in checks):
        verdict = "met"
    else:
        verdict = "not shown: some workers answered no request after the edit"
    return (target, measured, verdict)


def cold_fragment_rows(run: dict) -> list[tuple[str, str, str]]:
    rows = []
    by_size = {size["events"]: size for size in run["sizes"]}
    for events, limit in COLD_FRAGMENT_MS.items():
        for name in ("fragment, 1 actor", "fragment, 3 actors"):
            target = f"cold {name} p50 ≤ {limit} ms at {events:,} events"
            if events not in by_size:
                sizes = ", ".join(f"{size['events']:,}" for size in run["sizes"])
                rows.append((target, f"not measured (sizes run: {sizes})", "not measured"))
                continue
            value = by_size[events]["requests"][name]["p50_ms"]
            rows.append((target, f"{value} ms", at_most(value, limit, "ms")))
    return rows


def seed_page_rows(run: dict) -> list[tuple[str, str, str]]:
    rows = []
    cold = run.get("seed", {}).get("browser_cold", {})
    for key, runs_key, limit, what in (
        ("chart_drawn_p50_ms", "runs", SEED_CHART_DRAWN_MS, "chart drawn"),
        ("list_painted_p50_ms", "list_painted_runs", SEED_LIST_PAINTED_MS, "event list painted"),
    ):
        value = cold.get(key)
        if value is None:
            measured = "not measured"
        elif cold[runs_key] == cold["runs"]:
            measured = f"{value} ms (median of {cold['runs']} runs)"
        else:
            measured = (
                f"{value} ms (median of the {cold[runs_key]} of {cold['runs']} runs it was seen in)"
            )
        rows.append(
            (f"{what} at the seed, cold: ≤ {limit} ms", measured, at_most(value, limit, "ms"))
        )
    return rows


def seed_bumps_row(run: dict) -> tuple[str, str, str]:
    target = f"version bumps for the seed import: {SEED_IMPORT_BUMPS}"
    bumps = run.get("seed", {}).get("version_bumps", {}).get("bumps")
    if bumps is None:
        return (target, "not measured", "not measured")
    verdict = "met" if bumps == SEED_IMPORT_BUMPS else f"missed by {bumps - SEED_IMPORT_BUMPS}"
    return (target, str(bumps), verdict)


# --- Each run --------------------------------------------------------------


def run_tables(run: dict) -> list[str]:
    lines = [
        f"## {label(run)}",
        "",
        "| events | request | p50 ms (cold) | p95 ms (cold) | p50 ms (warm) | queries (cold) | queries (warm) | bytes | gzip bytes | chart JSON bytes |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size in run["sizes"]:
        for name, r in size["requests"].items():
            chart = f"{r['chart_json_bytes']:,}" if r["chart_json_bytes"] is not None else "–"
            lines.append(
                f"| {size['events']:,} | {name} | {r['p50_ms']} | {r['p95_ms']} | {r['warm_p50_ms']} "
                f"| {r['queries']} | {r.get('warm_queries', '–')} | {r['bytes']:,} "
                f"| {r['gzip_bytes']:,} | {chart} |"
            )
    lines += [
        "",
        "| events | generated in | chart drawn in Chromium (p50) | list painted (p50) | first load of / on the wire |",
        "|---:|---:|---:|---:|---:|",
    ]
    for size in run["sizes"]:
        browser = size.get("browser", {})
        first = size.get("first_load", {}).get("total_bytes_on_wire")
        lines.append(
            f"| {size['events']:,} | {size['generate_seconds']} s "
            f"| {ms(browser.get('chart_drawn_p50_ms'))} | {ms(browser.get('list_painted_p50_ms'))} "
            f"| {f'{first:,} bytes' if first else '–'} |"
        )
    lines.append("")
    for size in run["sizes"]:
        lines += load_table(size)
    return lines


def ms(value) -> str:
    return f"{value} ms" if value is not None else "–"


def load_table(size: dict) -> list[str]:
    load = size.get("load")
    if not load:
        return []
    if "fragment_304" not in load:
        skipped = load.get("skipped", "measured by an older run.py")
        return [f"Load test at {size['events']:,} events: {skipped}.", ""]
    lines = [
        f"Load test at {size['events']:,} events: wrk, {load['connections']} connections, "
        f"{load['threads']} threads, against gunicorn with {load['workers']} workers; "
        f"{load['seconds']} s per kind of request, interleaved in {load['rounds']} round(s) (ratios: "
        f"median over rounds). Fragment: `{load['fragment_path']}` with `HX-Request: true`. "
        f"Load average (1 min) before and after: {load['load_average'][0]}, "
        f"{load['load_average'][1]}.",
        "",
        "| request | requests/s | of /healthz | requests | errors | statuses | latency p50 / p99 ms | bytes per response |",
        "|---|---:|---:|---:|---:|---|---:|---:|",
    ]
    notes = []
    names = {
        "healthz": "/healthz",
        "fragment": "one-actor fragment (cache hit)",
        "fragment_304": "same, If-None-Match (304)",
    }
    fragment = load["fragment"]
    if fragment["statuses"].keys() == {"< 400", ">= 400"} and "checked_bytes" in fragment:
        whole = fragment["mean_response_bytes"] >= fragment["checked_bytes"]
        notes.append(
            "The fragment's statuses are wrk's own count (errors: 400 and above; it does not "
            f"tell 2xx from 3xx): counting each would make wrk copy every "
            f"{fragment['checked_bytes']:,}-byte response into Lua. "
            + (
                "Its bytes per response, headers included, are at least the body's: every "
                "answer carried the fragment."
                if whole
                else "Its bytes per response are fewer than the body's: some answers did not "
                "carry the fragment."
            )
        )
    for key, name in names.items():
        r = load[key]
        share = f"{r['ratio_to_healthz']:.1%}" if "ratio_to_healthz" in r else "–"
        statuses = ", ".join(f"{status}: {count:,}" for status, count in r["statuses"].items())
        lines.append(
            f"| {name} | {r['requests_per_second']:,.0f} | {share} | {r['requests']:,} "
            f"| {r['errors']:,} | {statuses} | {r['latency_ms']['p50']:.1f} / "
            f"{r['latency_ms']['p99']:.1f} | {r['mean_response_bytes']:,} |"
        )
    return [*lines, "", *notes, ""] if notes else [*lines, ""]


# --- The seed --------------------------------------------------------------


def seed_tables(runs: list[dict]) -> list[str]:
    seeded = [run for run in runs if "seed" in run]
    if not seeded:
        return []
    lines = [
        "## The seed (18 events)",
        "",
        "Only `fixtures/ceasefire-2025-03.json`, imported with the import service. Browser runs:",
        "each in a new browser context; *cold* bumps the data version before each run (the",
        "server builds the page as after an edit), *warm* does not. Median of the runs.",
        "",
        "| run | version bumps for the import | first byte (cold) | list painted (cold) | first contentful paint (cold) | chart drawn (cold) | first byte (warm) | list painted (warm) | chart drawn (warm) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in seeded:
        seed = run["seed"]
        cold, warm = seed.get("browser_cold", {}), seed.get("browser_warm", {})
        lines.append(
            f"| {label(run)} | {seed['version_bumps']['bumps']} "
            f"| {ms(cold.get('first_byte_p50_ms'))} | {ms(cold.get('list_painted_p50_ms'))} "
            f"| {ms(cold.get('first_contentful_paint_p50_ms'))} "
            f"| {ms(cold.get('chart_drawn_p50_ms'))} | {ms(warm.get('first_byte_p50_ms'))} "
            f"| {ms(warm.get('list_painted_p50_ms'))} | {ms(warm.get('chart_drawn_p50_ms'))} |"
        )
    lines += [
        "",
        "Edits, each made by another process while gunicorn serves: an import "
        "(`manage.py import_timeline` of the seed with one title changed) or an admin save "
        "(Chromium logged in as a superuser made for the run, through gunicorn). Before the "
        "edit every worker has served and cached the one-actor fragment; right after it, the "
        "same requests go out until every worker has answered again (gunicorn's access log "
        "names the worker).",
        "",
        "| run | edit | at | requests before (workers) | requests after (workers) | showed the edit | first response after the edit | old ETag revalidated |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        checks = edit_checks(run)
        for at, check in checks:
            lines.append(
                f"| {label(run)} | {check['edit']} | {at} "
                f"| {check['requests_before']} ({check['workers_answered_before']}/{check['workers']}) "
                f"| {check['requests_after']} ({check['workers_answered_after']}/{check['workers']}) "
                f"| {check['showed_edit_after']} | {check['first_response_ms_after_edit']:.0f} ms "
                f"| {check['old_etag_revalidation_status']} |"
            )
    return [*lines, ""]


# --- Earlier scale targets -------------------------------------------------


def scale_targets(runs: list[dict]) -> list[str]:
    sqlite = next((run for run in runs if run["database"] == "sqlite3"), None)
    if sqlite is None:
        return []
    by_size = {size["events"]: size for size in sqlite["sizes"]}
    rows = []
    for events, limit in ((10_000, 50), (100_000, 150)):
        size = by_size.get(events)
        if size:
            for name in ("fragment, 1 actor", "fragment, 3 actors"):
                value = size["requests"][name]["p50_ms"]
                rows.append(
                    f"| htmx fragment p50 ≤ {limit} ms at {events:,} ({name}, cold) | {value} ms "
                    f"| {at_most(value, limit, 'ms')} |"
                )
                warm = size["requests"][name]["warm_p50_ms"]
                rows.append(
                    f"| … same, warm (response cache) | {warm} ms | {at_most(warm, limit, 'ms')} |"
                )
    for events, limit in ((10_000, 1000), (100_000, 2000)):
        size = by_size.get(events)
        value = size.get("browser", {}).get("chart_drawn_p50_ms") if size else None
        rows.append(
            f"| chart drawn ≤ {limit} ms at {events:,} | {ms(value)} | {at_most(value, limit, 'ms')} |"
        )
    largest_chart = max(
        (r["chart_json_bytes"] or 0) for size in sqlite["sizes"] for r in size["requests"].values()
    )
    rows.append(
        f"| chart JSON under ~500 KB at any size | largest {largest_chart:,} bytes "
        f"| {at_most(largest_chart, 500_000, 'bytes')} |"
    )
    firsts = [size.get("first_load", {}).get("total_bytes_on_wire") for size in sqlite["sizes"]]
    firsts = [value for value in firsts if value]
    if firsts:
        rows.append(
            f"| first load of / ≤ 600 KB compressed | largest {max(firsts):,} bytes "
            f"| {at_most(max(firsts), 600_000, 'bytes')} |"
        )
    queries = {
        name: {size["requests"][name]["queries"] for size in sqlite["sizes"]}
        for name in sqlite["sizes"][0]["requests"]
    }
    smallest, largest = sqlite["sizes"][0], sqlite["sizes"][-1]
    bounded = all(
        largest["requests"][name]["queries"] <= smallest["requests"][name]["queries"]
        for name in queries
    )
    rows.append(
        "| queries per request do not grow with N | "
        + ", ".join(f"{name}: {sorted(values)}" for name, values in queries.items())
        + f" | {'met' if bounded else 'grows'} |"
    )
    return [
        "## Earlier scale targets (SQLite)",
        "",
        "| target (2 cores, SQLite) | measured | verdict |",
        "|---|---|---|",
        *rows,
        "",
    ]


if __name__ == "__main__":
    main(sys.argv[1:])

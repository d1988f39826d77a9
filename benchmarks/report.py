#!/usr/bin/env python
"""Turn benchmark result files (benchmarks/run.py --out) into docs/performance.md.

python benchmarks/report.py benchmarks/results-sqlite.json benchmarks/results-postgres.json
"""

import json
import sys
from pathlib import Path

TARGETS = """\
| target (2 cores, SQLite) | measured | verdict |
|---|---|---|
"""


def main(paths: list[str]) -> None:
    runs = [json.loads(Path(path).read_text()) for path in paths]
    lines = [
        "# Performance",
        "",
        "Measured with `make bench` (benchmarks/run.py, then this report). Data comes from",
        "`manage.py generate_events --seed 1` (300 actors with a Zipf-like share of events, 15 %",
        "spans, 1–3 quotes per event from generated sources). Server times are taken in-process",
        "through Django's whole middleware stack with DEBUG off: *cold* clears the figure cache",
        "before every request, *warm* leaves it. The 1-actor and 3-actor filters use the busiest",
        "actors (the busiest takes part in about half of all events). Browser times are",
        "headless Chromium against gunicorn with production settings (WhiteNoise, compressed",
        "manifest storage), from navigation until Plotly has drawn the chart.",
        "",
    ]
    machine = runs[0]["machine"]
    lines += [
        f"Machine: {machine['cpus']} CPUs ({machine['cpu']}), {machine['memory']} memory,",
        f"Python {machine['python']}, {machine['platform']}.",
        "",
    ]
    for run in runs:
        lines += table(run)
    lines += targets(runs)
    notes = Path(__file__).with_name("NOTES.md")
    if notes.exists():
        lines += ["", notes.read_text().rstrip()]
    print("\n".join(lines))


def table(run: dict) -> list[str]:
    lines = [
        f"## {run['database']}",
        "",
        "| events | request | p50 ms (cold) | p95 ms (cold) | p50 ms (warm) | queries | bytes | gzip bytes | chart JSON bytes |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size in run["sizes"]:
        for name, r in size["requests"].items():
            chart = f"{r['chart_json_bytes']:,}" if r["chart_json_bytes"] is not None else "–"
            lines.append(
                f"| {size['events']:,} | {name} | {r['p50_ms']} | {r['p95_ms']} | {r['warm_p50_ms']} "
                f"| {r['queries']} | {r['bytes']:,} | {r['gzip_bytes']:,} | {chart} |"
            )
    lines += [
        "",
        "| events | generated in | chart drawn in Chromium (p50) | first load of / on the wire |",
        "|---:|---:|---:|---:|",
    ]
    for size in run["sizes"]:
        browser = size.get("browser", {}).get("chart_drawn_p50_ms")
        first = size.get("first_load", {}).get("total_bytes_on_wire")
        lines.append(
            f"| {size['events']:,} | {size['generate_seconds']} s "
            f"| {f'{browser} ms' if browser else '–'} | {f'{first:,} bytes' if first else '–'} |"
        )
    for size in run["sizes"]:
        load = size.get("load")
        if load and "fragment" in load:
            lines += [
                "",
                f"Load test at {size['events']:,} events: wrk, {load['connections']} connections for "
                f"{load['seconds']} s against gunicorn. htmx fragment (1 actor): "
                f"{load['fragment']['requests_per_second']:.0f} requests/s, "
                f"{load['fragment']['errors']} errors; trivial view: "
                f"{load['trivial']['requests_per_second']:.0f} requests/s, "
                f"{load['trivial']['errors']} errors; ratio {load['ratio']:.3f}.",
            ]
    lines.append("")
    return lines


def targets(runs: list[dict]) -> list[str]:
    sqlite = next((run for run in runs if run["database"] == "sqlite3"), None)
    if sqlite is None:
        return []
    by_size = {size["events"]: size for size in sqlite["sizes"]}
    rows = []

    def verdict(value, limit, unit):
        if value is None:
            return "not measured"
        return "met" if value <= limit else f"missed by {value - limit:,.0f} {unit}"

    for events, limit in ((10_000, 50), (100_000, 150)):
        size = by_size.get(events)
        if size:
            for name in ("fragment, 1 actor", "fragment, 3 actors"):
                value = size["requests"][name]["p50_ms"]
                rows.append(
                    f"| htmx fragment p50 ≤ {limit} ms at {events:,} ({name}, cold) | {value} ms "
                    f"| {verdict(value, limit, 'ms')} |"
                )
                warm = size["requests"][name]["warm_p50_ms"]
                rows.append(
                    f"| … same, figure cache warm | {warm} ms | {verdict(warm, limit, 'ms')} |"
                )
    for events, limit in ((10_000, 1000), (100_000, 2000)):
        size = by_size.get(events)
        value = size.get("browser", {}).get("chart_drawn_p50_ms") if size else None
        rows.append(
            f"| chart drawn ≤ {limit} ms at {events:,} | {value} ms | {verdict(value, limit, 'ms')} |"
        )
    largest_chart = max(
        (r["chart_json_bytes"] or 0) for size in sqlite["sizes"] for r in size["requests"].values()
    )
    rows.append(
        f"| chart JSON under ~500 KB at any size | largest {largest_chart:,} bytes "
        f"| {verdict(largest_chart, 500_000, 'bytes')} |"
    )
    firsts = [size.get("first_load", {}).get("total_bytes_on_wire") for size in sqlite["sizes"]]
    firsts = [value for value in firsts if value]
    if firsts:
        rows.append(
            f"| first load of / ≤ 600 KB compressed | largest {max(firsts):,} bytes "
            f"| {verdict(max(firsts), 600_000, 'bytes')} |"
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
    return ["## Targets", "", TARGETS.rstrip("\n"), *rows, ""]


if __name__ == "__main__":
    main(sys.argv[1:])

#!/usr/bin/env python
"""How long building the chart takes, part by part, at DETAIL_LIMIT events:
the query, the figure as a plain dict, plotly's validation of it
(graph_objects), and serialisation (orjson, and plotly's own to_json).

    python benchmarks/figure_build.py      # uses DATABASE_URL or a new SQLite file
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ceasefire.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-not-a-secret")
os.environ["DJANGO_DEBUG"] = "false"
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = (
        f"sqlite:///{tempfile.mkdtemp(prefix='ceasefire-fig-')}/fig.sqlite3"
    )


def timed(function, repeat=7):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return result, statistics.median(times) * 1000


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import orjson
    import plotly.graph_objects as go

    from timeline.charts import DETAIL_LIMIT, build_timeline_figure
    from timeline.management.commands.generate_events import generate
    from timeline.models import Event

    if not Event.objects.exists():
        generate(count=DETAIL_LIMIT, seed=1, actor_count=300, prefix="fig-")
    events, query_ms = timed(lambda: list(Event.objects.for_chart()[:DETAIL_LIMIT]))
    figure, build_ms = timed(lambda: build_timeline_figure(events))
    validated, validate_ms = timed(lambda: go.Figure(figure))
    _, orjson_ms = timed(lambda: orjson.dumps(figure))
    _, plotly_json_ms = timed(lambda: validated.to_json())
    points = sum(len(trace["x"]) for trace in figure["data"])
    print(f"{len(events):,} events, {points:,} points (median of 7 runs)")
    print(f"  query (events and actors)        {query_ms:7.1f} ms")
    print(f"  figure as a plain dict           {build_ms:7.1f} ms")
    print(f"  plotly validation (go.Figure)    {validate_ms:7.1f} ms")
    print(f"  serialise dict with orjson       {orjson_ms:7.1f} ms")
    print(f"  serialise with plotly to_json    {plotly_json_ms:7.1f} ms")


if __name__ == "__main__":
    main()

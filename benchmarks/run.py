#!/usr/bin/env python
"""Measure the timeline at 1,000, 10,000 and 100,000 events on one database.

    python benchmarks/run.py --out benchmarks/results-sqlite.json
    scripts/with_postgres.py python benchmarks/run.py --out benchmarks/results-postgres.json

The database is DATABASE_URL, or a new SQLite file when unset; its timeline
tables are emptied and refilled with `generate_events` for each size. Server
times come from Django's test client in this process (the whole middleware
stack, no network), with the figure cache cleared before each request
("cold") and, separately, left warm. With --browser, gunicorn serves the same
database with production settings and headless Chromium times navigation
until the chart is drawn. With --load, wrk holds 32 connections for 60 s
against the htmx fragment and against a trivial view. Figures go to --out as
JSON; benchmarks/report.py turns the files into docs/performance.md.
"""

import argparse
import contextlib
import gzip
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ceasefire.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-not-a-secret")
os.environ["DJANGO_DEBUG"] = "false"
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = (
        f"sqlite:///{tempfile.mkdtemp(prefix='ceasefire-bench-')}/bench.sqlite3"
    )

CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--browser", action="store_true")
    parser.add_argument("--load", action="store_true", help="wrk load test at the largest size")
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    results = {"database": vendor, "machine": machine(), "sizes": []}
    sizes = [int(size) for size in args.sizes.split(",")]
    for size in sizes:
        started = time.perf_counter()
        refill(size)
        generated = time.perf_counter() - started
        print(f"[{vendor}] {size:,} events generated in {generated:.1f} s", flush=True)
        row = {"events": size, "generate_seconds": round(generated, 1), **measure(args.repeat)}
        if args.browser:
            with production_server() as base_url:
                row["browser"] = browser_times(base_url)
                row["first_load"] = first_load_bytes(base_url)
                if args.load and size == sizes[-1]:
                    row["load"] = load_test(base_url, args.load_seconds)
        results["sizes"].append(row)
        print(json.dumps(row, indent=1), flush=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Wrote {args.out}")


def machine() -> dict:
    import platform

    memory = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) // 1024 // 1024} GiB"
    model = "unknown"
    with contextlib.suppress(OSError, StopIteration):
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    return {
        "cpus": os.cpu_count(),
        "cpu": model,
        "memory": memory,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def refill(size: int) -> None:
    from timeline.cache import bump_data_version
    from timeline.management.commands.generate_events import generate
    from timeline.models import Actor, Event, Participation, Quote, Source

    for model in (Quote, Participation, Event, Source, Actor):
        model.objects.all().delete()
    generate(count=size, seed=1, actor_count=300, prefix="gen1-")
    bump_data_version()


def measure(repeat: int) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from timeline.models import Actor

    client = Client()
    busiest = list(
        Actor.objects.for_filter().order_by("-event_count").values_list("slug", flat=True)[:3]
    )
    cases = {
        "full page": ("/", {}),
        "fragment, 1 actor": (f"/?actor={busiest[0]}", {"HTTP_HX_REQUEST": "true"}),
        "fragment, 3 actors": (
            "/?" + "&".join(f"actor={slug}" for slug in busiest),
            {"HTTP_HX_REQUEST": "true"},
        ),
        "events.json": ("/events.json", {}),
        "next list window": (
            "/?page=2",
            {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "more-events"},
        ),
    }
    measured = {}
    for name, (url, headers) in cases.items():
        client.get(url, **headers)  # warm the connection and the code paths
        cold = []
        for _ in range(repeat):
            cache.clear()
            started = time.perf_counter()
            response = client.get(url, **headers)
            cold.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
        warm = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url, **headers)
            warm.append(time.perf_counter() - started)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, **headers)
        body = response.content
        measured[name] = {
            "p50_ms": round(statistics.median(cold) * 1000, 1),
            "p95_ms": round(percentile(cold, 95) * 1000, 1),
            "warm_p50_ms": round(statistics.median(warm) * 1000, 1),
            "queries": len(queries),
            "bytes": len(body),
            "gzip_bytes": len(gzip.compress(body, 6)),
            "chart_json_bytes": chart_json_bytes(body),
        }
    return {"requests": measured}


def percentile(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def chart_json_bytes(body: bytes) -> int | None:
    marker = b'<script id="timeline-figure" type="application/json">'
    start = body.find(marker)
    if start == -1:
        return None
    start += len(marker)
    return body.find(b"</script>", start) - start


class production_server:
    """gunicorn with production settings on a free loopback port."""

    def __enter__(self) -> str:
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
            cwd=ROOT,
            check=True,
        )
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        workers = str(2 * (os.cpu_count() or 1) + 1)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "ceasefire.wsgi", "-b", f"127.0.0.1:{port}",
             "-w", workers, "--log-level", "warning"],
            cwd=ROOT,
            start_new_session=True,
        )  # fmt: skip
        base_url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base_url + "/healthz", timeout=1).read()
                return base_url
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def browser_times(base_url: str, runs: int = 5) -> dict:
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=CHROMIUM_FLAGS
        )
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            page.goto(base_url + "/", wait_until="commit")
            page.wait_for_function("() => window.__chartDrawnAt !== undefined", timeout=60_000)
            times.append(page.evaluate("() => window.__chartDrawnAt"))
            page.close()
        browser.close()
    return {"chart_drawn_p50_ms": round(statistics.median(times)), "runs": runs}


def first_load_bytes(base_url: str) -> dict:
    """Bytes over the wire for a first visit to /, compressed as served."""
    import re

    def fetch(url: str) -> tuple[int, bytes]:
        request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
            encoding = response.headers.get("Content-Encoding")
        body = gzip.decompress(raw) if encoding == "gzip" else raw
        return len(raw), body

    page_bytes, html = fetch(base_url + "/")
    assets = re.findall(rb'(?:src|href)="(/static/[^"]+)"', html)
    total = page_bytes
    for asset in assets:
        total += fetch(base_url + asset.decode())[0]
    return {"page_bytes_on_wire": page_bytes, "total_bytes_on_wire": total, "assets": len(assets)}


def load_test(base_url: str, seconds: int) -> dict:
    if not shutil.which("wrk"):
        return {"skipped": "wrk is not installed (make bench installs it as root)"}
    from timeline.models import Actor

    busiest = Actor.objects.for_filter().order_by("-event_count").values_list("slug", flat=True)[0]

    def run(path: str, *headers: str) -> dict:
        command = ["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency"]
        for header in headers:
            command += ["-H", header]
        output = subprocess.run(
            [*command, base_url + path], capture_output=True, text=True, check=True
        ).stdout
        rps = float(next(line for line in output.splitlines() if "Requests/sec" in line).split()[1])
        errors = 0
        for line in output.splitlines():
            if "Non-2xx" in line or "Socket errors" in line:
                errors += sum(int(part.split()[-1]) for part in line.split(":", 1)[1].split(","))
        return {"requests_per_second": rps, "errors": errors}

    fragment = run(f"/?actor={busiest}", "HX-Request: true")
    trivial = run("/healthz")
    return {
        "seconds": seconds,
        "connections": 32,
        "fragment": fragment,
        "trivial": trivial,
        "ratio": round(fragment["requests_per_second"] / trivial["requests_per_second"], 3),
    }


if __name__ == "__main__":
    main()

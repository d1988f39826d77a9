#!/usr/bin/env python
"""Measure the timeline at 1,000, 10,000 and 100,000 events, and at the seed, on one database.

    python benchmarks/run.py --browser --load --out benchmarks/results-sqlite.json
    scripts/with_postgres.py scripts/with_redis.py python benchmarks/run.py ... --out ...

The database is DATABASE_URL, or a new SQLite file when unset; the cache is
Redis when REDIS_URL is set (scripts/with_redis.py), else each process's own
memory. The timeline tables are emptied and refilled with `generate_events`
for each size.

Per size, server times come from Django's test client in this process (the
whole middleware stack, no network). *Cold* is the first request after an
edit: the data version is bumped before each request, so the response cache
and the figure cache both miss as they do after an edit. *Warm* repeats the
request: a response-cache hit.

With --browser, gunicorn (2 × cores + 1 workers) serves the same database
with production settings and headless Chromium times the page until the event
list is painted and the chart drawn. With --load, at the largest size, wrk
loads gunicorn with /healthz, the one-actor htmx fragment (a cache hit) and
the same fragment revalidated with its ETag (a 304); then the seed is
imported too, and an import of it with one title changed, made by another
process, must show in every worker on the very next request.

Last, the seed step, with only the 18-event seed (fixtures/ceasefire-2025-03.json):
the version bumps of its import through the service; the seed page in
Chromium, cold (with --browser); an edit by import and (with --browser) one
by an admin save, each checked in every worker.

Figures go to --out as JSON; benchmarks/report.py turns the files into
docs/performance.md.
"""

import argparse
import contextlib
import gzip
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED_PATH = ROOT / "fixtures" / "ceasefire-2025-03.json"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ceasefire.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-not-a-secret")
os.environ["DJANGO_DEBUG"] = "false"
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
# Playwright's sync API runs an event loop in this thread; the ORM calls made
# beside it (bumping the data version between page loads) are still plain
# synchronous calls, as in timeline/tests/test_browser.py.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
WORK_DIR = Path(tempfile.mkdtemp(prefix="ceasefire-bench-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORK_DIR}/bench.sqlite3")
# Static files collected for this run only: other work on the checkout (or
# another run) collecting into staticfiles/ at the same time changes nothing here.
os.environ.setdefault("DJANGO_STATIC_ROOT", str(WORK_DIR / "static"))
Path(os.environ["DJANGO_STATIC_ROOT"]).mkdir(parents=True, exist_ok=True)

CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
WORKERS = 2 * (os.cpu_count() or 1) + 1  # gunicorn's usual advice, as `make serve-prod`
LOAD_CONNECTIONS = 32  # every wrk run holds this many connections
LOAD_THREADS = 2
LOAD_ROUND_SECONDS = 5  # the three load runs take turns in rounds this long
FRAGMENT = {"HX-Request": "true"}  # what htmx sends; the view answers the results fragment
CHECK_HEADER = "X-Bench-Check"  # tags the edit checks' requests in gunicorn's access log


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--browser", action="store_true")
    parser.add_argument("--load", action="store_true", help="wrk load test at the largest size")
    parser.add_argument(
        "--load-seconds",
        type=int,
        default=60,
        help="for each of the 3 kinds of request, in rounds of 5 s",
    )
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
    results = {
        "database": vendor,
        "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        "workers": WORKERS,
        "machine": machine(),
        "sizes": [],
    }
    sizes = [int(size) for size in args.sizes.split(",")]
    for size in sizes:
        started = time.perf_counter()
        refill(size)
        generated = time.perf_counter() - started
        print(f"[{vendor}] {size:,} events generated in {generated:.1f} s", flush=True)
        row = {"events": size, "generate_seconds": round(generated, 1), **server_times(args.repeat)}
        largest = size == sizes[-1]
        if args.browser or (args.load and largest):
            with production_server() as server:
                if args.browser:
                    row["browser"] = page_times(server.url, runs=5)
                    row["first_load"] = first_load_bytes(server.url)
                if args.load and largest:
                    row["load"] = load_test(server.url, args.load_seconds)
        if args.load and largest:
            # The seed is imported into the generated data, so that an edit of
            # one of its events shows in a one-actor fragment at this size.
            manage("import_timeline", str(SEED_PATH))
            with production_server(access_log=True) as server:
                row["edit_visibility"] = [edit_visible_after_import(server)]
        row["seconds_taken"] = round(time.perf_counter() - started)
        results["sizes"].append(row)
        print(json.dumps(row, indent=1), flush=True)
    started = time.perf_counter()
    results["seed"] = seed_step(browser=args.browser)
    results["seed"]["seconds_taken"] = round(time.perf_counter() - started)
    print(json.dumps(results["seed"], indent=1), flush=True)
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
        # The machine is shared: what else was running when the measurements began.
        "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
    }


# --- Data ------------------------------------------------------------------


def empty_timeline() -> None:
    """Without history records: the generated events are the benchmark's own
    (deleting 40,000 on PostgreSQL wrote 216,000 of them, one by one: 280 s)."""
    from timeline.history import history_paused
    from timeline.models import Actor, Event, Participation, Quote, Source

    with history_paused():
        for model in (Quote, Participation, Event, Source, Actor):
            model.objects.all().delete()


def refill(size: int) -> None:
    from timeline.cache import _bump_data_version
    from timeline.management.commands.generate_events import generate

    empty_timeline()
    generate(count=size, seed=1, actor_count=300, prefix="gen1-")
    _bump_data_version()  # generate() bumps on commit too; this makes sure


def manage(*args: str) -> None:
    """manage.py in another process, on the same database and cache (the environment)."""
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, check=True, stdout=subprocess.DEVNULL
    )


def busiest_actor() -> str:
    from timeline.models import Actor

    return Actor.objects.for_filter().order_by("-event_count").values_list("slug", flat=True)[0]


# --- Server times, in process ----------------------------------------------


def server_times(repeat: int) -> dict:
    """Cold (first request after an edit) and warm (response-cache hit) times
    of each kind of request, with their query counts and sizes."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from timeline.cache import _bump_data_version
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
        # Issue 9's filters: a word every event has, a word one event has, a
        # month of one kind, two actors together with a status.
        "fragment, search (all match)": ("/?q=synthetic", {"HTTP_HX_REQUEST": "true"}),
        "fragment, search (one match)": ("/?q=event+4242", {"HTTP_HX_REQUEST": "true"}),
        "fragment, one month": ("/?from=2023-03&to=2023-03", {"HTTP_HX_REQUEST": "true"}),
        "fragment, month and kind": (
            "/?from=2023-03&to=2023-03&kind=statement",
            {"HTTP_HX_REQUEST": "true"},
        ),
        "fragment, 2 actors together, status": (
            "/?" + "&".join(f"actor={slug}" for slug in busiest[:2]) + "&match=all&status=occurred",
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
            _bump_data_version()  # as an edit does: every cached response and figure misses
            started = time.perf_counter()
            response = client.get(url, **headers)
            cold.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
        warm = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url, **headers)
            warm.append(time.perf_counter() - started)
        _bump_data_version()
        with CaptureQueriesContext(connection) as cold_queries:
            response = client.get(url, **headers)
        with CaptureQueriesContext(connection) as warm_queries:
            client.get(url, **headers)
        body = response.content
        measured[name] = {
            "p50_ms": round(statistics.median(cold) * 1000, 1),
            "p95_ms": round(percentile(cold, 95) * 1000, 1),
            "warm_p50_ms": round(statistics.median(warm) * 1000, 1),
            "queries": len(cold_queries),
            "warm_queries": len(warm_queries),
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


# --- gunicorn --------------------------------------------------------------


class production_server:
    """gunicorn with production settings and WORKERS workers on a free loopback
    port. With access_log, each request's worker pid and CHECK_HEADER value
    are logged, so the edit checks can tell which worker answered."""

    collected = False  # once per run: the static files do not change during it

    def __init__(self, access_log: bool = False):
        self.access_log = Path(tempfile.mkdtemp(dir=WORK_DIR)) / "access.log"
        self.logging = access_log

    def __enter__(self) -> "production_server":
        if not production_server.collected:
            manage("collectstatic", "--no-input", "-v0")
            production_server.collected = True
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        command = [
            sys.executable, "-m", "gunicorn", "ceasefire.wsgi", "-b", f"127.0.0.1:{port}",
            "-w", str(WORKERS), "--log-level", "warning",
        ]  # fmt: skip
        if self.logging:  # never during the load test: the log costs time per request
            log_format = f"%(p)s %({{{CHECK_HEADER.lower()}}}i)s %(s)s"
            command += ["--access-logfile", str(self.access_log)]
            command += ["--access-logformat", log_format]
        self.process = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
        self.url = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=1).read()
                return self
            except OSError:
                time.sleep(0.1)
        self.__exit__()
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)
        shutil.rmtree(self.access_log.parent, ignore_errors=True)

    def workers_that_answered(self, tag: str, expected: int) -> set[str]:
        """The pids of the workers that answered the `expected` requests tagged `tag`."""
        deadline = time.monotonic() + 10  # a worker logs just after it has answered
        while True:
            lines = self.access_log.read_text().splitlines() if self.access_log.exists() else []
            pids = [line.split()[0] for line in lines if line.split()[1:2] == [tag]]
            if len(pids) >= expected or time.monotonic() > deadline:
                return set(pids)
            time.sleep(0.05)


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    """Status, headers and body; a 304 or an error status is an answer, not an exception."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def fetch_concurrently(url: str, headers: dict, count: int) -> list[tuple[int, dict, bytes]]:
    """`count` requests, WORKERS at a time, so that every worker gets some."""
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(lambda _: fetch(url, headers), range(count)))


# --- Browser ---------------------------------------------------------------

# Installed in every page before its own scripts; measures "list painted".
# The Element Timing API reports when an element carrying an `elementtiming`
# attribute is first painted (renderTime, the same clock as first contentful
# paint). The templates carry no such attribute, so a MutationObserver adds it
# to the list's first item and everything in it as the parser inserts them:
# its callbacks run at the end of the parser's task, before any rendering
# step, so the attribute is there before the item can first be painted. "List
# painted" is the earliest paint of any part of the first item of
# `ol.event-list`. First contentful paint is kept to compare with.
LIST_PAINT_SCRIPT = """
(() => {
  const ID = "bench-first-list-item";
  const mark = () => {
    const items = "ol.event-list > li:first-child, ol.event-list > li:first-child *";
    for (const element of document.querySelectorAll(items)) {
      if (!element.hasAttribute("elementtiming")) element.setAttribute("elementtiming", ID);
    }
  };
  const marker = new MutationObserver(mark);
  marker.observe(document, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", () => { mark(); marker.disconnect(); });
  new PerformanceObserver((entries) => {
    for (const entry of entries.getEntries()) {
      if (entry.identifier !== ID) continue;
      const paintedAt = entry.renderTime || entry.loadTime;
      if (!(window.__listPaintedAt <= paintedAt)) window.__listPaintedAt = paintedAt;
    }
  }).observe({ type: "element", buffered: true });
  new PerformanceObserver((entries) => {
    for (const entry of entries.getEntries()) {
      if (entry.name === "first-contentful-paint") window.__firstContentfulPaintAt = entry.startTime;
    }
  }).observe({ type: "paint", buffered: true });
})();
"""


def page_times(base_url: str, runs: int, cold: bool = False) -> dict:
    """Median times from navigation to the chart drawn (window.__chartDrawnAt,
    set by timeline.js once Plotly has drawn) and to the event list painted
    (LIST_PAINT_SCRIPT), each run in a new browser context (an empty HTTP
    cache). With `cold`, the data version is bumped before each run, so the
    server builds the page as it does after an edit."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
    from playwright.sync_api import sync_playwright

    from timeline.cache import _bump_data_version

    # Also the first byte of the page (Navigation Timing's responseStart), to
    # tell the server's share of the time from the browser's.
    measured = {
        "chart_drawn": [],
        "list_painted": [],
        "first_contentful_paint": [],
        "first_byte": [],
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=CHROMIUM_FLAGS
        )
        for _ in range(runs):
            if cold:
                _bump_data_version()
            context = browser.new_context(viewport={"width": 1440, "height": 1000})
            context.add_init_script(LIST_PAINT_SCRIPT)
            page = context.new_page()
            page.goto(base_url + "/", wait_until="commit")
            page.wait_for_function("() => window.__chartDrawnAt !== undefined", timeout=60_000)
            with contextlib.suppress(PlaywrightTimeoutError):  # a list item never painted
                page.wait_for_function(
                    "() => window.__listPaintedAt !== undefined"
                    " && window.__firstContentfulPaintAt !== undefined",
                    timeout=5_000,
                )
            times = page.evaluate(
                "() => [window.__chartDrawnAt, window.__listPaintedAt ?? null,"
                " window.__firstContentfulPaintAt ?? null,"
                " performance.getEntriesByType('navigation')[0]?.responseStart ?? null]"
            )
            for values, value in zip(measured.values(), times, strict=True):
                if value is not None:
                    values.append(value)
            context.close()
        browser.close()
    result = {
        f"{name}_p50_ms": round(statistics.median(values)) if values else None
        for name, values in measured.items()
    }
    return {
        **result,
        "runs": runs,
        "list_painted_runs": len(measured["list_painted"]),
        "cold": cold,
    }


def first_load_bytes(base_url: str) -> dict:
    """Bytes over the wire for a first visit to /, compressed as served."""

    def fetch_gzip(url: str) -> tuple[int, bytes]:
        request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
            encoding = response.headers.get("Content-Encoding")
        body = gzip.decompress(raw) if encoding == "gzip" else raw
        return len(raw), body

    page_bytes, html = fetch_gzip(base_url + "/")
    # Each asset once: the chart's script is both preloaded and named in data-plotly-src.
    assets = list(dict.fromkeys(re.findall(rb'(?:src|href)="(/static/[^"]+)"', html)))
    total = page_bytes
    for asset in assets:
        total += fetch_gzip(base_url + asset.decode())[0]
    return {"page_bytes_on_wire": page_bytes, "total_bytes_on_wire": total, "assets": len(assets)}


# --- Load ------------------------------------------------------------------

# wrk prints one JSON line at the end of a run (WRK_SUMMARY): requests,
# duration, socket errors, statuses >= 400 (wrk's own count), latency
# percentiles and, with WRK_STATUS_COUNTS prepended, every response counted by
# status. Counting needs wrk's `response` callback, for which wrk copies each
# whole response into Lua: for the 190 KB fragment that costs wrk ~250 µs of
# CPU per response (measured: 20-30 % fewer fragment requests/s on 2 cores), so
# statuses are counted only where responses are small (/healthz and the 304s).
WRK_STATUS_COUNTS = r"""
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
"""
WRK_SUMMARY = r"""
function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads or {}) do
    for status, n in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(counts) do
    table.insert(parts, string.format('"%d": %d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, "status_errors": %d, ' ..
    '"socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, ' ..
    '"latency_ms": {"mean": %.2f, "p50": %.2f, "p90": %.2f, "p99": %.2f, "max": %.2f}, ' ..
    '"statuses": {%s}}\n',
    summary.requests, summary.duration, summary.bytes, e.status,
    e.connect, e.read, e.write, e.timeout,
    latency.mean / 1000, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    table.concat(parts, ", ")))
end
"""


def load_test(base_url: str, seconds: int) -> dict:
    """wrk against /healthz, the one-actor fragment (a response-cache hit in
    every worker) and the same fragment revalidated with its ETag (a 304),
    each for about `seconds` with LOAD_CONNECTIONS connections.

    The machine is shared, so one kind of request measured after another
    would also measure whatever else ran meanwhile: the three are interleaved
    in rounds of LOAD_ROUND_SECONDS, in turn, and a fragment's ratio to
    /healthz is the median over rounds of the two requests/s in that round."""
    if not shutil.which("wrk"):
        return {"skipped": "wrk is not installed (make bench installs it as root)"}
    fragment_path = f"/?actor={busiest_actor()}"
    fetch_concurrently(base_url + fragment_path, FRAGMENT, 3 * WORKERS)  # every worker's cache
    status, headers, body = fetch(base_url + fragment_path, FRAGMENT)
    etag = headers.get("ETag")
    assert status == 200 and etag, (status, headers)
    conditional = {**FRAGMENT, "If-None-Match": etag}
    conditional_status = fetch(base_url + fragment_path, conditional)[0]

    runs = {  # name: (url, headers, statuses that are not errors; None: wrk's own count)
        "healthz": (base_url + "/healthz", {}, {200}),
        "fragment": (base_url + fragment_path, FRAGMENT, None),
        "fragment_304": (base_url + fragment_path, conditional, {200, 304}),
    }
    round_seconds = min(seconds, LOAD_ROUND_SECONDS)
    rounds = max(1, seconds // round_seconds)
    by_round = {name: [] for name in runs}
    load_before = os.getloadavg()[0]
    for number in range(rounds):
        names = list(runs)[number % 3 :] + list(runs)[: number % 3]
        for name in names:
            url, headers, ok = runs[name]
            by_round[name].append(wrk(url, headers, round_seconds, ok))
    result = {name: combined_rounds(rounds_) for name, rounds_ in by_round.items()}
    for name in ("fragment", "fragment_304"):
        ratios = [
            run["requests_per_second"] / healthz["requests_per_second"]
            for run, healthz in zip(by_round[name], by_round["healthz"], strict=True)
        ]
        result[name]["ratio_to_healthz"] = round(statistics.median(ratios), 3)
        result[name]["ratio_by_round"] = [round(ratio, 3) for ratio in ratios]
    result["fragment"]["checked_bytes"] = len(body)
    result["fragment_304"].update(etag=etag, checked_status=conditional_status)
    return {
        "seconds": rounds * round_seconds,
        "rounds": rounds,
        "connections": LOAD_CONNECTIONS,
        "threads": LOAD_THREADS,
        "workers": WORKERS,
        "fragment_path": fragment_path,
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        **result,
    }


def wrk(url: str, headers: dict, seconds: int, ok: set[int] | None) -> dict:
    """One wrk run. Errors: socket errors (connect, read, write, timeout) and
    every response whose status is not in `ok`. With `ok` None, statuses are
    not counted one by one: the errors are wrk's own, statuses >= 400."""
    script = WORK_DIR / ("count-statuses.lua" if ok else "summary.lua")
    script.write_text((WRK_STATUS_COUNTS if ok else "") + WRK_SUMMARY)
    command = ["wrk", f"-t{LOAD_THREADS}", f"-c{LOAD_CONNECTIONS}", f"-d{seconds}s"]
    command += ["--timeout", "10s", "-s", str(script)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    completed = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=seconds + 120
    )
    line = next(
        (line for line in completed.stdout.splitlines() if line.startswith("WRK_RESULT ")), None
    )
    if completed.returncode != 0 or line is None:
        raise RuntimeError(
            f"wrk failed ({completed.returncode}):\n{completed.stdout}{completed.stderr}"
        )
    result = json.loads(line.removeprefix("WRK_RESULT "))
    if ok:
        statuses = result["statuses"]
        status_errors = sum(n for status, n in statuses.items() if int(status) not in ok)
    else:
        status_errors = result["status_errors"]
        statuses = {"< 400": result["requests"] - status_errors, ">= 400": status_errors}
    return {
        "requests": result["requests"],
        "seconds": result["duration_us"] / 1e6,
        "requests_per_second": round(result["requests"] / (result["duration_us"] / 1e6), 1),
        "errors": status_errors + sum(result["socket_errors"].values()),
        "statuses": statuses,
        "socket_errors": result["socket_errors"],
        "latency_ms": result["latency_ms"],
        "bytes": result["bytes"],
    }


def combined_rounds(rounds: list[dict]) -> dict:
    """The rounds of one kind of request as one run: totals, and for latency
    the median of the rounds' medians and the worst p99 and maximum."""
    requests = sum(run["requests"] for run in rounds)
    statuses = {}
    for run in rounds:
        for status, count in run["statuses"].items():
            statuses[status] = statuses.get(status, 0) + count
    return {
        "requests": requests,
        "requests_per_second": round(requests / sum(run["seconds"] for run in rounds), 1),
        "requests_per_second_by_round": [run["requests_per_second"] for run in rounds],
        "errors": sum(run["errors"] for run in rounds),
        "statuses": {str(status): count for status, count in sorted(statuses.items())},
        "socket_errors": {
            kind: sum(run["socket_errors"][kind] for run in rounds)
            for kind in rounds[0]["socket_errors"]
        },
        "latency_ms": {
            "p50": statistics.median(run["latency_ms"]["p50"] for run in rounds),
            "p99": max(run["latency_ms"]["p99"] for run in rounds),
            "max": max(run["latency_ms"]["max"] for run in rounds),
        },
        "mean_response_bytes": round(sum(run["bytes"] for run in rounds) / max(requests, 1)),
    }


# --- Edits -----------------------------------------------------------------


def seed_document() -> dict:
    return json.loads(SEED_PATH.read_text(encoding="utf-8"))


def seed_fragment_and_event() -> tuple[str, str]:
    """The one-actor fragment of the seed's busiest actor, and the slug of an
    event it lists (the actor has fewer than 25 events: all are listed)."""
    from collections import Counter

    events = seed_document()["events"]
    counts = Counter(actor["actor"] for event in events for actor in event["actors"])
    actor = counts.most_common(1)[0][0]
    event = next(e for e in events if any(a["actor"] == actor for a in e["actors"]))
    return f"/?actor={actor}", event["slug"]


def edit_visible_after_import(server: production_server) -> dict:
    """An edit by `manage.py import_timeline` in another process: a copy of
    the seed document with one event's title changed."""
    fragment_path, slug = seed_fragment_and_event()
    title = f"Retitled by the benchmark {time.time_ns()}"
    document = seed_document()
    next(event for event in document["events"] if event["slug"] == slug)["title"] = title
    path = server.access_log.parent / "edited.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return edit_visibility(
        server, "import", fragment_path, title, lambda: manage("import_timeline", str(path))
    )


def edit_visible_after_admin_save(server: production_server) -> dict:
    """An edit by an editor in the admin: headless Chromium logs in as a
    superuser made for the benchmark and saves an event with a new title, a
    POST answered by one of gunicorn's workers."""
    import secrets

    from django.contrib.auth import get_user_model
    from playwright.sync_api import sync_playwright

    from timeline.models import Event

    fragment_path, slug = seed_fragment_and_event()
    event = Event.objects.get(slug=slug)
    title = f"Saved in the admin by the benchmark {time.time_ns()}"
    password = secrets.token_urlsafe(16)
    get_user_model().objects.filter(username="bench-admin").delete()
    get_user_model().objects.create_superuser("bench-admin", password=password)

    def save_in_admin(page) -> None:
        page.fill("#id_title", title)
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.click("input[name=_save]")
        assert posted.value.status == 302, f"the admin refused the save ({posted.value.status})"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=CHROMIUM_FLAGS
        )
        page = browser.new_page()
        page.goto(f"{server.url}/admin/login/?next=/admin/timeline/event/{event.pk}/change/")
        page.fill("#id_username", "bench-admin")
        page.fill("#id_password", password)
        page.click("input[type=submit]")
        page.wait_for_selector("#id_title")
        result = edit_visibility(
            server, "admin save", fragment_path, title, lambda: save_in_admin(page)
        )
        browser.close()
    return result


def edit_visibility(
    server: production_server, edit: str, fragment_path: str, title: str, make_edit
) -> dict:
    """Every worker serves (and caches) the fragment; `make_edit()` changes an
    event's title to `title`; then the very next requests, at least 3 per
    worker, must all show it, from every worker, with no wait in between.

    gunicorn's access log says which worker answered each tagged request:
    requests go out WORKERS at a time until every worker has answered at
    least once (3 × WORKERS requests at least, 10 × at most)."""
    url = server.url + fragment_path
    tag = f"{edit.replace(' ', '-')}-{time.time_ns()}"

    def requests_until_every_worker_answered(phase: str) -> tuple[list, set]:
        answers, workers = [], set()
        while len(answers) < 3 * WORKERS or (
            len(workers) < WORKERS and len(answers) < 10 * WORKERS
        ):
            answers += fetch_concurrently(
                url, {**FRAGMENT, CHECK_HEADER: f"{tag}-{phase}"}, WORKERS
            )
            workers = server.workers_that_answered(f"{tag}-{phase}", len(answers))
        return answers, workers

    before, workers_before = requests_until_every_worker_answered("before")
    old_etag = fetch(url, FRAGMENT)[1].get("ETag")
    make_edit()
    edit_ended = time.perf_counter()
    first_status, _, first_body = fetch(url, {**FRAGMENT, CHECK_HEADER: f"{tag}-after"})
    first_answered = time.perf_counter()
    after, workers_after = requests_until_every_worker_answered("after")
    after.insert(0, (first_status, {}, first_body))
    revalidated_status = fetch(url, {**FRAGMENT, "If-None-Match": old_etag})[0]
    shows_title = [status == 200 and title.encode() in body for status, _, body in after]
    return {
        "edit": edit,
        "fragment_path": fragment_path,
        "workers": WORKERS,
        "requests_before": len(before),
        "workers_answered_before": len(workers_before),
        "showed_old_title_before": sum(
            status == 200 and title.encode() not in body for status, _, body in before
        ),
        "requests_after": len(after),
        "workers_answered_after": len(workers_after),
        "showed_edit_after": sum(shows_title),
        "first_request_showed_edit": shows_title[0],
        "first_response_ms_after_edit": round((first_answered - edit_ended) * 1000, 1),
        "old_etag_revalidation_status": revalidated_status,
        "visible_everywhere": all(shows_title) and len(workers_after) == WORKERS,
    }


# --- The seed --------------------------------------------------------------


def seed_import_version_bumps() -> dict:
    """data_version() before and after importing the seed, through the
    service, into an empty timeline: one write operation, one bump."""
    from timeline.cache import data_version
    from timeline.services import timeline_import

    empty_timeline()
    before = data_version()
    timeline_import(document=seed_document())
    after = data_version()
    return {"before": before, "after": after, "bumps": after - before}


def seed_step(browser: bool) -> dict:
    """Only the seed: its import's version bumps, its page in Chromium (cold:
    bumped before each run; and warm, to compare) and edits seen in every worker."""
    from timeline.models import Event

    result = {"version_bumps": seed_import_version_bumps(), "events": Event.objects.count()}
    print(f"Seed imported: {result['version_bumps']}", flush=True)
    with production_server(access_log=True) as server:
        if browser:
            result["browser_cold"] = page_times(server.url, runs=7, cold=True)
            result["browser_warm"] = page_times(server.url, runs=7, cold=False)
        result["edit_visibility"] = [edit_visible_after_import(server)]
        if browser:
            result["edit_visibility"].append(edit_visible_after_admin_save(server))
    return result


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORK_DIR, ignore_errors=True)

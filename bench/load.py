"""Load run: complete survey responses under gunicorn, next to two honest yardsticks.

    .venv/bin/python bench/load.py [--duration 20] [--clients 32] [--workers 2]
                                   [--worker-class gthread|sync|both] [--database sqlite|postgresql://...]

For each worker class it starts gunicorn itself on 127.0.0.1 and a free port, on a fresh
database, and runs three phases one after the other with the same clients and settings:
'survey' (residents completing whole questionnaires through the real forms), 'bare' (a bare
Flask + Peewee app doing the survey's mix: per completed survey one durable write, the other
requests a page rendered after one read) and 'plain' (a plain Flask GET). It prints a table
with the ratios, the CPU per completed survey and the other work on the machine, writes
bench/out/load-*.json, checks that every response the clients completed is stored exactly
once, and stops gunicorn at the end. Only loopback traffic; every loop is bounded in time
and count.
"""

import argparse
import asyncio
import datetime
import json
import math
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

if __package__ in (None, ""):  # run as a script: make `bench` and `survey_app` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

try:
    import aiohttp
except ImportError:  # the clients need the 'bench' extra
    sys.exit("bench/load.py needs aiohttp: .venv/bin/pip install -e '.[bench]'")

from bench.bare import count_hits, create_bare_table
from bench.clients import FlowError, PhaseStats, check_flow, run_bare_client, run_plain_client, run_resident
from bench.databases import (
    fresh_database,
    prepare_survey_database,
    read_content_definitions,
    read_definitions,
    verify_responses,
)
from bench.machine import measure_background, read_machine_busy, read_named_cpu, wait_for_quiet_machine
from bench.profiling import profile_workers, summarise_profile
from bench.servers import Gunicorn, server_environment, set_session_nice, stop_all_servers
from bench.weight import measure_page_weights

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
TARGET_RATIO = 0.5  # survey page requests per second / the bare mix's requests per second, at least
TARGET_P95_MS = 100
TARGET_P50_MS = 30
TARGET_SPEEDUP = 2  # completed surveys per second, times the --baseline figure
TARGET_PAGE_KB = 60
SURVEY_KINDS = ("intro", "start", "page_get", "page_post", "submit", "thanks")


async def meter(stats: PhaseStats, server: Gunicorn, usage: dict) -> None:
    """Read the CPU time of client, server and machine at the window's start and end."""

    def snapshot():
        return (
            time.process_time(), server.cpu_seconds(), read_machine_busy(), time.perf_counter(),
            read_named_cpu("postgres"),
        )

    await asyncio.sleep(max(0.0, stats.window_start - time.perf_counter()))
    first = snapshot()
    await asyncio.sleep(max(0.0, stats.stop_at - time.perf_counter()))
    last = snapshot()
    seconds = last[3] - first[3]
    busy = (last[2][0] - first[2][0]) / max(1, last[2][1] - first[2][1])
    client, server_cores = (last[0] - first[0]) / seconds, (last[1] - first[1]) / seconds
    # PostgreSQL's own processes, whoever uses them (other sessions' tests count here too).
    database_cores = (last[4] - first[4]) / seconds
    usage.update(
        client_cpu_cores=client,
        server_cpu_cores=server_cores,
        database_cpu_cores=database_cores,
        machine_busy=busy,
        # Busy CPU that was neither our server, our client nor PostgreSQL: other work on the machine.
        other_cores=busy * (os.cpu_count() or 1) - client - server_cores - database_cores,
    )


async def run_phase(
    phase: str,
    server: Gunicorn,
    *,
    clients: int,
    warmup: float,
    duration: float,
    definitions=None,
    profile: Path | None = None,
    think: float = 0.0,
    mix: int = 1,
):
    """Run clients against server for warmup + duration seconds; return (stats, cpu usage)."""
    checked = await check_flow(server.url, definitions) if phase == "survey" else []
    usage: dict = {"background_cores": measure_background()}
    now = time.perf_counter()
    stats = PhaseStats(window_start=now + warmup, stop_at=now + warmup + duration, think=think)
    stats.completed += checked
    if phase == "survey":
        tasks = [run_resident(i, server.url, definitions, stats) for i in range(clients)]
    elif phase == "bare":
        tasks = [run_bare_client(i, server.url, stats, mix=mix) for i in range(clients)]
    else:
        tasks = [run_plain_client(i, server.url, stats) for i in range(clients)]
    profiling = [profile_workers(stats, server, profile, phase)] if profile else []
    results = await asyncio.gather(meter(stats, server, usage), *profiling, *tasks)
    if profile:
        usage["profile"] = summarise_profile(results[1])
    return stats, usage


# --------------------------------------------------------------------------- report


def percentile(sorted_values: list[float], p: float) -> float:
    """Return the nearest-rank percentile p (0-100) of sorted values, or NaN when empty."""
    if not sorted_values:
        return math.nan
    return sorted_values[max(0, math.ceil(p / 100 * len(sorted_values)) - 1)]


def summarise_latencies(values: list[float]) -> dict:
    values = sorted(values)
    return {
        "requests": len(values),
        "p50_ms": percentile(values, 50) * 1000,
        "p95_ms": percentile(values, 95) * 1000,
        "p99_ms": percentile(values, 99) * 1000,
        "max_ms": (values[-1] * 1000) if values else math.nan,
    }


def summarise_phase(stats: PhaseStats, usage: dict) -> dict:
    """Return the figures of a phase: rates over its measured window, latencies, CPU, errors."""
    seconds = max(stats.last_finish, stats.stop_at) - stats.window_start
    everything = [v for values in stats.latencies.values() for v in values]
    rate = len(everything) / seconds
    responses = stats.completed_in_window / seconds
    return {
        "seconds": seconds,
        "requests_per_second": rate,
        "server_cpu_ms_per_request": usage["server_cpu_cores"] * 1000 / max(rate, 1e-9),
        "responses_per_second": responses,
        "server_cpu_ms_per_response": usage["server_cpu_cores"] * 1000 / responses if responses else math.nan,
        "requests_per_response": stats.requests_of_completed / stats.surveys_of_completed if stats.surveys_of_completed else math.nan,
        "latency": summarise_latencies(everything),
        "by_kind": {
            kind: summarise_latencies(values) for kind, values in sorted(stats.latencies.items())
        },
        "errors": dict(stats.errors),
        "error_samples": stats.error_samples,
        "largest_page_bytes": stats.largest_page,
        **usage,
    }


def ms(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.1f}"


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


PHASES = ("survey", "bare", "plain")


def print_run(run: dict) -> None:
    """Print one worker class's figures as a table."""
    phases = [name for name in PHASES if name in run]  # --survey-only: the survey alone
    survey = run["survey"]
    print(f"\n== gunicorn {run['workers']} workers, {run['worker_label']} ==")
    for name in phases:
        if run[name]["background_cores"] >= 0.2:
            print(
                f"WARNING: other processes used {run[name]['background_cores']:.2f} cores just before the "
                f"{name} phase: its figures are low"
            )
    print(
        f"{'phase':8} {'resp/s':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} "
        f"{'server CPU':>10} {'ms/req':>6} {'client':>7} {'database':>8} {'other':>7} {'machine':>8}"
    )
    for name in phases:
        figures = run[name]
        latency = figures["latency"]
        responses = f"{figures['responses_per_second']:.1f}" if name == "survey" else "-"
        print(
            f"{name:8} {responses:>7} {figures['requests_per_second']:8.1f} {ms(latency['p50_ms']):>8} "
            f"{ms(latency['p95_ms']):>8} {ms(latency['p99_ms']):>8} {sum(figures['errors'].values()):>7} "
            f"{figures['server_cpu_cores']:9.2f}c {figures['server_cpu_ms_per_request']:6.2f} "
            f"{figures['client_cpu_cores']:6.2f}c {figures['database_cpu_cores']:7.2f}c "
            f"{figures['other_cores']:6.2f}c {figures['machine_busy']:7.0%}"
        )
    mix = (
        f"; the bare mix: {run['mix']} requests per durable write, as the survey's "
        f"{survey['requests_per_response']:.2f} requests per completed survey" if "bare" in run else ""
    )
    print(
        f"(cores over the measured window; 'other': busy CPU that was not our gunicorn, our client or "
        f"PostgreSQL, i.e. other work on the machine{mix})"
    )
    print("survey requests by kind:")
    for kind in SURVEY_KINDS:
        figures = survey["by_kind"].get(kind)
        if figures:
            print(
                f"  {kind:10} {figures['requests']:>7} requests  p50 {ms(figures['p50_ms']):>6}  "
                f"p95 {ms(figures['p95_ms']):>6}  p99 {ms(figures['p99_ms']):>6} ms"
            )
    targets = run["targets"]
    print(
        f"server CPU per completed survey: {survey['server_cpu_ms_per_response']:.1f} ms "
        f"({survey['requests_per_response']:.2f} requests)"
    )
    if "ratio" in targets:
        print(
            f"ratio survey req/s / bare mix req/s: {targets['ratio']:.2f} (target >= {TARGET_RATIO}: "
            f"{verdict(targets['ratio_met'])}); survey / plain Flask GET: {targets['ratio_plain']:.2f}; "
            f"bare mix / plain: {targets['bare_plain']:.2f}"
        )
    print(
        f"survey p50: {ms(survey['latency']['p50_ms'])} ms (target < {TARGET_P50_MS} ms: {verdict(targets['p50_met'])}); "
        f"p95: {ms(survey['latency']['p95_ms'])} ms (target < {TARGET_P95_MS} ms: {verdict(targets['p95_met'])})"
    )
    if targets.get("baseline"):
        print(
            f"completed surveys/s: {survey['responses_per_second']:.1f}, {targets['speedup']:.2f}x the baseline "
            f"{targets['baseline']:g} (target >= {TARGET_SPEEDUP}x: {verdict(targets['speedup_met'])})"
        )
    check = run["responses"]
    print(
        f"stored responses: {check['stored']}, completed by the clients: {check['completed_by_clients']} "
        f"(missing {check['missing']}, duplicates {check['duplicates']}, unexpected {check['unexpected']}; "
        f"{check['cut_off']} surveys cut off at the stop) -> {'OK' if check['ok'] else 'MISMATCH'}"
    )
    if "bare_rows" in run:
        rows = run["bare_rows"]
        print(
            f"bare rows stored: {rows['stored']}, confirmed to the clients: {rows['confirmed']} -> "
            f"{'OK' if rows['stored'] >= rows['confirmed'] else 'MISMATCH'}"
        )
    for name in phases:
        for sample in run[name]["error_samples"]:
            print(f"  {name} error: {sample}")
    for name in phases:
        if "profile" in run[name]:
            print_profile(name, run[name]["profile"])


def print_profile(name: str, profile: dict) -> None:
    print(
        f"hot spots of the {name} workers ({profile['samples']} samples of Python holding the GIL):"
    )
    print("  own time by package:")
    for package, share in profile["own_by_package"][:10]:
        print(f"    {share:6.1%}  {package}")
    print("  inclusive (the function and what it calls):")
    for frame, share in profile["inclusive"]:
        print(f"    {share:6.1%}  {frame}")


def print_weights(weights: dict) -> None:
    print(
        "\n== page weight: the page and everything it loads (gzip -6 as a proxy would send it) =="
    )
    print(
        f"{'questionnaire':28} {'intro KB':>9} {'gzip KB':>8} {'page 1 KB':>10} {'gzip KB':>8}  files"
    )
    for slug, pages in weights["pages"].items():
        intro, first = pages["intro"], pages["first_page"]
        files = ", ".join(
            f"{f['url']} {f['bytes'] / 1024:.1f}" for f in first["files"] if not f["service_worker"]
        )
        print(
            f"{slug:28} {intro['bytes'] / 1024:9.1f} {intro['gzip_bytes'] / 1024:8.1f} "
            f"{first['bytes'] / 1024:10.1f} {first['gzip_bytes'] / 1024:8.1f}  {files}"
        )
    print(
        f"heaviest: {weights['heaviest_bytes'] / 1024:.1f} KB, {weights['heaviest_gzip_bytes'] / 1024:.1f} KB gzip "
        f"(target <= {TARGET_PAGE_KB} KB: {verdict(weights['met'])}); served compressed by the app: "
        f"{'yes' if weights['served_compressed'] else 'no'}; from elsewhere: {weights['external'] or 'nothing'}"
    )
    worker = weights["service_worker"]
    if worker["files"]:
        files = ", ".join(f"{f['url']} {f['bytes'] / 1024:.1f}" for f in worker["files"])
        print(
            "plus, fetched in the background on the first visit, the service worker and what it "
            f"precaches: {worker['bytes'] / 1024:.1f} KB, {worker['gzip_bytes'] / 1024:.1f} KB gzip ({files})"
        )
        total, total_gzip = (
            weights["heaviest_bytes"] + worker["bytes"],
            weights["heaviest_gzip_bytes"] + worker["gzip_bytes"],
        )
        # The target is the page's; the precache is fetched once per device, after the page, for offline use.
        print(
            f"first visit in all, the page and the precache: {total / 1024:.1f} KB, {total_gzip / 1024:.1f} KB gzip "
            "(once per device; the page-weight target is the page's, above)"
        )


# --------------------------------------------------------------------------- main


async def run_worker_class(worker_class: str, args, folder: Path, log: Path) -> dict:
    """Run the survey and the bare phase under one worker class; return their figures."""
    label = f"gthread, {args.threads} threads each" if worker_class == "gthread" else "sync"
    options = {
        "nice": args.nice,
        "workers": args.workers,
        "worker_class": worker_class,
        "threads": args.threads,
        "log": log,
    }
    result: dict = {"worker_class": worker_class, "worker_label": label, "workers": args.workers}
    if worker_class == "gthread":
        result["threads"] = args.threads

    # The survey phase may serve another tree's survey_app (--app-root) and a content package of
    # the bench (--content); the client, the yardsticks and the figures are always this tree's.
    app_root, app_python = args.app_root or ROOT, app_interpreter(args.app_root)
    with fresh_database(args.database, folder, f"survey-{worker_class}") as url:
        env = server_environment(
            url, synchronous=args.sqlite_synchronous, root=app_root, content=args.content
        )
        prepare_survey_database(env, root=app_root, python=app_python)
        definitions = read_content_definitions(args.content) if args.content else read_definitions(url)
        with Gunicorn(
            "survey_app:create_app()", env=env, root=app_root, python=app_python, **options
        ) as server:
            if args.measure_weight:
                weights = await measure_page_weights(server.url, definitions)
                heaviest = max(
                    (p["first_page"] for p in weights.values()), key=lambda p: p["bytes"]
                )
                result["page_weight"] = {
                    "pages": weights,
                    "heaviest_bytes": heaviest["bytes"],
                    "heaviest_gzip_bytes": heaviest["gzip_bytes"],
                    "served_compressed": any(
                        f["served_compressed"]
                        for p in weights.values()
                        for f in p["first_page"]["files"]
                    ),
                    "external": sorted(
                        {
                            u
                            for p in weights.values()
                            for u in p["first_page"]["external"] + p["intro"]["external"]
                        }
                    ),
                    "met": heaviest["bytes"] <= TARGET_PAGE_KB * 1024,
                    "service_worker": {
                        "bytes": heaviest["service_worker_bytes"],
                        "gzip_bytes": heaviest["service_worker_gzip_bytes"],
                        "files": [f for f in heaviest["files"] if f["service_worker"]],
                    },
                }
            print(
                f"[{worker_class}] survey phase: {args.clients} clients, {args.warmup:g} s warm-up + {args.duration:g} s ...",
                flush=True,
            )
            stats, usage = await run_phase(
                "survey",
                server,
                clients=args.clients,
                warmup=args.warmup,
                duration=args.duration,
                definitions=definitions,
                think=args.think,
                profile=OUT / "profiles" / worker_class if args.profile else None,
            )
        result["survey"] = summarise_phase(stats, usage)
        result["responses"] = verify_responses(
            url, stats.completed, stats.uncertain, cut_off=stats.cut_off
        )
    result["targets"] = {
        "p50_met": result["survey"]["latency"]["p50_ms"] < TARGET_P50_MS,
        "p95_met": result["survey"]["latency"]["p95_ms"] < TARGET_P95_MS,
    }
    if args.baseline:
        speedup = result["survey"]["responses_per_second"] / args.baseline
        result["targets"].update(baseline=args.baseline, speedup=speedup, speedup_met=speedup >= TARGET_SPEEDUP)
    if args.survey_only:
        return result

    # The bare app does the survey's mix: per completed survey one durable write.
    per_response = result["survey"]["requests_per_response"]
    result["mix"] = max(1, round(per_response)) if per_response == per_response else 1
    with fresh_database(args.database, folder, f"bare-{worker_class}") as url:
        env = server_environment(url, synchronous=args.sqlite_synchronous)
        create_bare_table(url)
        with Gunicorn("bench.bare:create_app()", env=env, **options) as server:
            print(
                f"[{worker_class}] bare phase ({result['mix']} requests per durable write): {args.clients} clients, "
                f"{args.warmup:g} s warm-up + {args.duration:g} s ...",
                flush=True,
            )
            stats, usage = await run_phase(
                "bare",
                server,
                clients=args.clients,
                warmup=args.warmup,
                duration=args.duration,
                think=args.think,
                mix=result["mix"],
                profile=OUT / "profiles" / worker_class if args.profile else None,
            )
        result["bare"] = summarise_phase(stats, usage)
        result["bare_rows"] = {"stored": count_hits(url), "confirmed": stats.inserted}

    with Gunicorn("bench.bare:create_plain_app()", env=server_environment("", synchronous="full"), **options) as server:
        print(
            f"[{worker_class}] plain phase: {args.clients} clients, {args.warmup:g} s warm-up + {args.duration:g} s ...",
            flush=True,
        )
        stats, usage = await run_phase(
            "plain", server, clients=args.clients, warmup=args.warmup, duration=args.duration, think=args.think
        )
    result["plain"] = summarise_phase(stats, usage)

    survey_rate = result["survey"]["requests_per_second"]
    ratio = survey_rate / max(result["bare"]["requests_per_second"], 1e-9)
    result["targets"].update(
        ratio=ratio,
        ratio_met=ratio >= TARGET_RATIO,
        ratio_plain=survey_rate / max(result["plain"]["requests_per_second"], 1e-9),
        bare_plain=result["bare"]["requests_per_second"] / max(result["plain"]["requests_per_second"], 1e-9),
    )
    return result


def app_interpreter(app_root: Path | None) -> str:
    """Return the Python that runs the survey app of app_root: its own .venv when it has one."""
    if app_root is None:
        return sys.executable
    python = app_root / ".venv" / "bin" / "python"
    return str(python) if python.exists() else sys.executable


def parse_arguments(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--duration", type=float, default=20, help="measured seconds per phase (default 20)"
    )
    parser.add_argument(
        "--warmup", type=float, default=3, help="unmeasured seconds before each phase (default 3)"
    )
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (default 32)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--worker-class",
        choices=("gthread", "sync", "both"),
        default="gthread",
        help="gunicorn worker class (default gthread; 'both' runs sync then gthread)",
    )
    parser.add_argument(
        "--think",
        type=float,
        default=0,
        help="mean seconds each client waits before a request, as a reading resident would "
        "(default 0: every client as fast as it can, a saturation test)",
    )
    parser.add_argument(
        "--threads", type=int, default=4, help="threads per gthread worker (default 4)"
    )
    parser.add_argument(
        "--database",
        default="sqlite",
        help="'sqlite' (a fresh file in a temporary folder, the default) or a postgresql:// URL "
        "(a fresh schema in it, dropped afterwards)",
    )
    parser.add_argument(
        "--sqlite-synchronous",
        choices=("full", "normal"),
        default="full",
        help="SQLITE_SYNCHRONOUS for both apps (default full, as survey_app)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="sample the workers with py-spy during both phases and print the hot spots "
        "(slows the server a little: figures of a profiled run are not the benchmark's)",
    )
    parser.add_argument(
        "--nice",
        type=int,
        default=0,
        help="scheduling priority of the run against other sessions on a shared machine "
        "(-20..19; below 0 needs root; default 0). Sets the autogroup nice of the client and gunicorn",
    )
    parser.add_argument(
        "--no-weight", dest="measure_weight", action="store_false", help="skip the page weight"
    )
    parser.add_argument(
        "--baseline",
        type=float,
        default=None,
        help="completed surveys per second of an earlier version on the same command: the run "
        f"reports its own as a multiple of it (target >= {TARGET_SPEEDUP}x)",
    )
    parser.add_argument(
        "--survey-only",
        action="store_true",
        help="run the survey phase alone, without the bare and plain yardsticks (their ratios are "
        "then not reported): enough for completed surveys/s, e.g. in bench/compare.py",
    )
    parser.add_argument(
        "--content",
        type=Path,
        default=None,
        help="a questionnaire package to load instead of the project's own (QUESTIONNAIRES_DIR); "
        "the clients complete only its published questionnaires. bench/content is the same-flow "
        "questionnaire that every commit since c8b1c21 loads",
    )
    parser.add_argument(
        "--app-root",
        type=Path,
        default=None,
        help="another checkout whose survey_app the survey phase serves (its CLI migrates and "
        "loads, its .venv runs gunicorn when it has one), with this tree's client, content and "
        "yardsticks: the same flow on an older commit (bench/README.md)",
    )
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=120,
        help="seconds to wait at the start for other processes to leave the CPU (default 120)",
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=None,
        help="hard stop in seconds for the whole run (default: generous for the phases)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="JSON result file (default bench/out/load-<time>.json)",
    )
    args = parser.parse_args(argv)
    if args.database != "sqlite" and urlsplit(args.database).scheme not in (
        "postgres",
        "postgresql",
    ):
        parser.error("--database is 'sqlite' or a postgresql:// URL")
    if args.content is not None:
        args.content = args.content.resolve()
        if not args.content.is_dir():
            parser.error(f"--content {args.content}: no such folder")
    if args.app_root is not None:
        args.app_root = args.app_root.resolve()
        if not (args.app_root / "survey_app" / "__init__.py").is_file():
            parser.error(f"--app-root {args.app_root}: no survey_app/ in it")
        if args.content is None:
            # The point is the same flow: both trees serve the same questionnaire (and this
            # tree's code could not read another schema's questionnaires anyway).
            parser.error("--app-root needs --content (bench/content: the questionnaire both trees load)")
    if not (
        1 <= args.clients <= 1024
        and 1 <= args.workers <= 16
        and 0 < args.duration <= 3600
        and args.warmup >= 0
    ):
        parser.error("keep --clients in 1..1024, --workers in 1..16 and --duration in (0, 3600]")
    return args


def describe_code(app_root: Path | None = None) -> dict:
    """Return the commit the run measured and whether survey_app had uncommitted changes.

    With app_root, the survey app's commit is that tree's; "bench_commit" is this tree's.
    """

    def git(root, *args):
        done = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, timeout=30, check=False
        )
        return done.stdout.strip() if done.returncode == 0 else ""

    root = app_root or ROOT
    code = {
        "commit": git(root, "rev-parse", "--short", "HEAD"),
        "survey_app_changed": bool(git(root, "status", "--porcelain", "survey_app")),
    }
    if app_root is not None:
        code.update(app_root=str(app_root), bench_commit=git(ROOT, "rev-parse", "--short", "HEAD"))
    return code


def start_watchdog(seconds: float) -> threading.Timer:
    """Stop the servers and exit when the run takes longer than seconds, whatever hangs."""

    def expire():
        print(f"\ntime limit of {seconds:.0f} s reached: stopping", file=sys.stderr, flush=True)
        stop_all_servers()
        os._exit(3)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    return timer


def main(argv=None) -> int:
    args = parse_arguments(argv)
    classes = ("sync", "gthread") if args.worker_class == "both" else (args.worker_class,)
    limit = (
        args.time_limit
        or len(classes) * 3 * (args.warmup + args.duration + 90) + 60 + args.quiet_wait
    )
    watchdog = start_watchdog(limit)
    if args.nice:
        set_session_nice(os.getpid(), args.nice)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = datetime.datetime.now().astimezone()
    OUT.mkdir(parents=True, exist_ok=True)
    result = {
        "date": started.isoformat(timespec="seconds"),
        "code": describe_code(args.app_root),
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "nice": args.nice,
            "platform": platform.platform(),
        },
        "settings": {
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "clients": args.clients,
            "think_s": args.think,
            "workers": args.workers,
            "database": "sqlite" if args.database == "sqlite" else "postgresql",
            "sqlite_synchronous": args.sqlite_synchronous,
            "client": f"asyncio + aiohttp {aiohttp.__version__}",
            "content": str(args.content) if args.content else "questionnaires/ of the app's tree",
            "phases": ["survey"] if args.survey_only else list(PHASES),
        },
        "targets": {
            "ratio_min": TARGET_RATIO,
            "p50_ms_max": TARGET_P50_MS,
            "p95_ms_max": TARGET_P95_MS,
            "page_kb_max": TARGET_PAGE_KB,
        },
        "runs": [],
    }
    if args.app_root or args.content:
        print(
            f"survey app: {result['code']['commit']} at {args.app_root or ROOT}; content: "
            f"{result['settings']['content']}; client and yardsticks: this tree"
        )
    result["machine"]["background_cores_at_start"] = wait_for_quiet_machine(args.quiet_wait)
    log = OUT / f"gunicorn-{started:%Y%m%d-%H%M%S}.log"
    try:
        with tempfile.TemporaryDirectory(prefix="survey-bench-") as folder:
            for worker_class in classes:
                run = asyncio.run(run_worker_class(worker_class, args, Path(folder), log))
                result["runs"].append(run)
                print_run(run)
                args.measure_weight = args.measure_weight and "page_weight" not in run
                if "page_weight" in run:
                    result["page_weight"] = run.pop("page_weight")
    except (FlowError, RuntimeError) as error:
        print(f"\nSTOPPED: the app did not behave as a resident expects: {error}", file=sys.stderr)
        print(f"gunicorn log: {log}", file=sys.stderr)
        return 2
    finally:
        stop_all_servers()
        watchdog.cancel()
    if "page_weight" in result:
        print_weights(result["page_weight"])
    out = args.out or OUT / f"load-{started:%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(result, indent=2, default=str))
    print(f"\nresult: {out}\ngunicorn log: {log}")
    failed = [
        run["worker_class"]
        for run in result["runs"]
        if not run["responses"]["ok"]
        or any(run[name]["errors"] for name in PHASES if name in run)
        or ("bare_rows" in run and run["bare_rows"]["stored"] < run["bare_rows"]["confirmed"])
    ]
    if failed:
        print(
            f"FAILED ({', '.join(failed)}): errors during the run or stored rows that do not match",
            file=sys.stderr,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

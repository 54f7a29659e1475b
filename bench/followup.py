"""Benchmark of the policy follow-up: the analysts' page and the council report on many responses.

    .venv/bin/python -m bench.followup                     # 100,000 responses over three waves, SQLite
    .venv/bin/python -m bench.followup --rows 20000 --repeat 1

Responses to stedelijke-dienstverlening (its newest version) are spread over the three waves of
questionnaires/followup/waves.yaml, with random profiles and answers. Each measurement runs in a
child process, so its peak memory (VmHWM) is its own: the follow-up page (GET
/results/<slug>/opvolging, as a logged-in analyst: reading the frame, raking three waves, every
indicator, chart and breakdown, the HTML) and the report command (report.html and report.pdf).
The page is timed three ways: the first view of a new release (its figures computed and kept on
disk), the first request of a fresh process (figures read back) and a repeated request (in memory).
Targets: page under 2 s, PDF under 10 s, memory under 500 MB. Figures: docs/followup.md.
"""

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
import orjson

ROOT = Path(__file__).resolve().parent.parent
SLUG = "stedelijke-dienstverlening"
AFTER_THE_WAVES = datetime.date(2029, 1, 1)
WAVE_DAYS = [datetime.date(2026, 3, 1), datetime.date(2027, 3, 1), datetime.date(2028, 3, 1)]


def config(url: str, results: Path) -> dict:
    return {"DATABASE_URL": url, "SECRET_KEY": "bench", "QUESTIONNAIRES_DIR": str(ROOT / "questionnaires"), "SQLITE_SYNCHRONOUS": "off", "RESULTS_DIR": str(results)}


def random_answers(generator: np.random.Generator, definition, n: int) -> list[dict]:
    """Return n answer documents: every closed question answered at random, matrices item by item."""
    columns = {}
    for question in definition.questions():
        if question.type in ("text", "long_text", "date", "multiple_choice"):
            continue
        if question.type == "matrix":
            for item in question.items:
                values = list(question.answer_values)
                columns[f"{question.key}_{item.value}"] = [values[i] for i in generator.integers(0, len(values), n)]
        elif question.type in ("number", "year"):
            low, high = question.minimum or 1, question.maximum or 10
            columns[question.key] = generator.integers(low, high + 1, n).tolist()
        else:
            values = list(question.answer_values)
            columns[question.key] = [values[i] for i in generator.integers(0, len(values), n)]
    skipped = generator.random((n, len(columns))) < 0.07  # some questions left empty
    names = list(columns)
    return [{name: columns[name][i] for j, name in enumerate(names) if not skipped[i, j]} for i in range(n)]


def prepare(url: str, rows: int, seed: int = 11) -> None:
    """Create the schema, load the content package and insert rows responses over the three waves."""
    from survey_app import create_app
    from survey_app.accounts import create_user
    from survey_app.catalog import definition_of, load_package
    from survey_app.content.answer_line import encode_answer_line
    from survey_app.db import database
    from survey_app.export.release import newest_release
    from survey_app.migrations import migrate_database
    from survey_app.models import Questionnaire

    create_app(config(url, Path(tempfile.gettempdir())))
    generator = np.random.default_rng(seed)
    columns = "uuid, questionnaire_id, language, mode, channel, submitted_on, staff_id, content_hash, answers, answer_line"
    with database.connection_context():
        migrate_database()
        load_package(ROOT / "questionnaires")
        create_user("bench", "bench password 1", "analyst")
        row = Questionnaire.latest(SLUG)
        definition = definition_of(row)
        for offset in range(0, rows, 10_000):
            n = min(10_000, rows - offset)
            documents = random_answers(generator, definition, n)
            waves = generator.integers(0, 3, n)
            days = generator.integers(0, 200, n)
            modes = np.where(generator.random(n) < 0.3, "assisted", "self")
            languages = generator.choice(["nl", "nl", "nl", "tr", "ar", "fr", "en", "it", "pl"], n)
            batch = [
                (str(uuid.uuid4()), row.id, str(lang), str(mode), "tablet", (WAVE_DAYS[w] + datetime.timedelta(days=int(d))).isoformat(), None, "-",
                 orjson.dumps(doc).decode(), encode_answer_line(definition, doc))
                for doc, w, d, mode, lang in zip(documents, waves, days, modes, languages)
            ]
            with database.atomic():
                database.cursor().executemany(f"INSERT INTO response ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", batch)
        # The pages and the report show the newest release: make it as the export does, after the third wave.
        started = time.perf_counter()
        made = newest_release(SLUG, today=AFTER_THE_WAVES)
        print(f"release {made.entry.number} of {made.entry.rows:,} responses made in {time.perf_counter() - started:.1f} s", flush=True)


def peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_page(url: str, results: str) -> dict:
    """Child: the follow-up page as an analyst opens it."""
    import re

    from survey_app import create_app

    app = create_app(config(url, Path(results)))
    client = app.test_client()
    login = client.get("/staff/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', login)
    client.post("/staff/login", data={"username": "bench", "password": "bench password 1", "csrf_token": token.group(1) or token.group(2)})
    started = time.perf_counter()
    response = client.get(f"/results/{SLUG}/opvolging")
    seconds = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    # Again, as a running server answers it: the content read, the figures kept until responses change.
    started = time.perf_counter()
    client.get(f"/results/{SLUG}/opvolging")
    return {"seconds": time.perf_counter() - started, "first": seconds, "peak_mb": peak_mb(), "bytes": len(response.data)}


def run_report(url: str, results: str) -> dict:
    """Child: the report command (report.html and report.pdf)."""
    from survey_app import create_app

    app = create_app(config(url, Path(results)))
    started = time.perf_counter()
    result = app.test_cli_runner().invoke(args=["report", SLUG])
    seconds = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    pdf = sorted(Path(results, SLUG).iterdir())[-1] / "report.pdf"
    return {"seconds": seconds, "peak_mb": peak_mb(), "bytes": pdf.stat().st_size}


def child(*arguments: str) -> dict:
    output = subprocess.run([sys.executable, "-m", "bench.followup", "--child", *arguments], check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        kind, *rest = options.child
        print(json.dumps(run_page(*rest) if kind == "page" else run_report(*rest)))
        return
    with tempfile.TemporaryDirectory(prefix="bench-followup-") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        started = time.perf_counter()
        prepare(url, options.rows)
        print(f"{options.rows:,} responses over three waves stored in {time.perf_counter() - started:.1f} s", flush=True)
        results = str(Path(folder) / "results")
        # The first view of a release computes its figures (and keeps them on disk); every later
        # server process reads them back.
        computing = child("page", url, results)
        pages = [child("page", url, results) for _ in range(options.repeat)]
        reports = [child("report", url, results) for _ in range(options.repeat)]
    print(f"load average during the run: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores)")
    rows = [
        ("follow-up page, first view of a new release (reads the release's responses, rakes, renders)", [computing["first"]], 2.0, [computing]),
        ("follow-up page, first request of a fresh server process (figures of the release read from disk)", [r["first"] for r in pages], 2.0, pages),
        ("follow-up page, repeated request (figures kept in memory)", [r["seconds"] for r in pages], 2.0, pages),
        ("report command (HTML + PDF, fresh process)", [r["seconds"] for r in reports], 10.0, reports),
    ]
    for label, seconds, target, runs in rows:
        median = statistics.median(seconds)
        print(
            f"{label}: median {median:.2f} s = {median / target:.2f} x the {target:g} s target (runs: {', '.join(f'{s:.2f}' for s in seconds)}), "
            f"peak memory {max(r['peak_mb'] for r in runs):.0f} MB (target 500), {runs[0]['bytes'] / 1024:.0f} KB"
        )


if __name__ == "__main__":
    main()

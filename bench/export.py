"""Export benchmark: from the database to the finished anonymised CSV package, next to to_csv.

    .venv/bin/python bench/export.py                      # 100,000 responses, then 1,000,000
    .venv/bin/python bench/export.py --rows 100000 --big 0 --repeat 5
    .venv/bin/python bench/export.py --database postgresql://postgres@127.0.0.1:5432/postgres

A synthetic questionnaire of 40 questions (every question type; six quasi-identifiers) gets
N synthetic responses in a fresh database. Each measurement runs in its own process, so its
peak memory (VmHWM) is its own:

- export: `export_questionnaire(..., ExportOptions())`, the same call as the CLI: read the
  responses in chunks, anonymise (k = 5), write the codes, labels and long CSV files, the
  codebook, datapackage.json and the disclosure report, and log the export;
- to_csv: `DataFrame.to_csv` of the same table (the package's codes file read back with
  pandas before the clock starts), the plain baseline.

The two alternate, --repeat times; the medians are compared. Targets: export at most 1.5x
to_csv and under 500 MB peak; with 1,000,000 responses memory stays bounded.

Since releases (docs/disclosure.md), `export` gives the newest release: the first run makes it
(ledger entry, checks), later runs make it again from the ledger. Each round also runs the
ad hoc anonymised export as it was before releases (`adhoc`), and the report compares the
two. Target: a release within 2x of the ad hoc export.
"""

import argparse
import datetime
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
import orjson
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WIJKEN = ["bokrijk", "boxbergheide", "bret_gelieren", "centrum", "driehoeven", "hoevenzavel", "kolderbos", "langerlo",
          "nieuwe_kempen", "nieuw_texas", "sledderlo", "termien", "vlakveld", "waterschei", "winterslag", "zwartberg"]
TALEN = ["nederlands", "frans", "engels", "turks", "arabisch", "italiaans", "pools", "roemeens"]
LANGUAGES = ["nl"] * 6 + ["tr", "ar", "it", "fr", "en", "pl", "ro", "bg"]


def synthetic_definition() -> dict:
    """Return a questionnaire of 40 questions of every type, six of them quasi-identifiers."""
    def question(key, qtype, **extra):
        return {"key": key, "type": qtype, "text": f"Vraag {key}?", "recommendations": ["BE1"], "source": "Benchmark", **extra}

    choices = {f"optie_{i}": f"Optie {i}" for i in range(1, 6)}
    questions = [question(f"stelling_{i:02d}", "agreement") for i in range(1, 21)]
    questions += [question(f"cijfer_{i}", "scale") for i in range(1, 6)]
    questions += [question(f"keuze_{i}", "single_choice", options=choices) for i in range(1, 5)]
    questions += [
        question("kanalen", "multiple_choice", options=choices),
        question("aantal", "number", min=0, max=50),
        question("datum_contact", "date"),
        question("opmerking", "long_text"),
        question("idee", "text"),
        question("geboortejaar", "year", min=1910, quasi_identifier=True),
        question("geslacht", "single_choice", options={"man": "Man", "vrouw": "Vrouw", "anders": "Anders"}, quasi_identifier=True),
        question("wijk", "single_choice", options={w: w.title() for w in WIJKEN}, quasi_identifier=True),
        question("huishouden", "single_choice", options={"alleen": "Alleen", "partner": "Partner", "kinderen": "Met kinderen", "ouders": "Ouders"}, quasi_identifier=True),
        question("woonduur", "number", min=0, max=100, quasi_identifier=True),
        question("talen_thuis", "multiple_choice", options={t: t.title() for t in TALEN}, quasi_identifier=True),
    ]
    assert len(questions) == 40
    return {
        "slug": "bench",
        "version": 1,
        "state": "published",
        "title": "Benchmark",
        "table": "Benchmark",
        "central_question": "Hoe snel is de export?",
        "intro": "Een vragenlijst voor de benchmark.",
        "consent": "Geen echte antwoorden.",
        "recommendations": {"BE1": "Snel exporteren."},
        "pages": [{"key": "alles", "title": "Alles", "questions": questions}],
    }


def synthetic_answers(generator: np.random.Generator, n: int) -> list[dict]:
    """Return the answers of n plausible responses: skewed profiles, so anonymisation has real work."""
    g = generator
    columns: dict[str, list] = {}
    for i in range(1, 21):
        columns[f"stelling_{i:02d}"] = g.choice([1, 2, 3, 4, 4, 5, 5, 9], n).tolist()
    for i in range(1, 6):
        columns[f"cijfer_{i}"] = g.integers(0, 11, n).tolist()
    for i in range(1, 5):
        columns[f"keuze_{i}"] = [f"optie_{v}" for v in g.integers(1, 6, n)]
    options = np.array([f"optie_{i}" for i in range(1, 6)])
    chosen = g.random((n, 5)) < 0.35
    chosen[~chosen.any(axis=1), 0] = True
    columns["kanalen"] = [options[row].tolist() for row in chosen]
    columns["aantal"] = g.integers(0, 51, n).tolist()
    columns["datum_contact"] = [f"2025-{m:02d}-{d:02d}" for m, d in zip(g.integers(1, 13, n), g.integers(1, 29, n))]
    columns["geboortejaar"] = g.triangular(1930, 1975, 2008, n).astype(int).tolist()
    columns["geslacht"] = g.choice(["man", "vrouw", "vrouw", "man", "anders"], n).tolist()
    columns["wijk"] = g.choice(WIJKEN[:6] * 4 + WIJKEN, n).tolist()
    columns["huishouden"] = g.choice(["alleen", "partner", "kinderen", "kinderen", "ouders"], n).tolist()
    columns["woonduur"] = np.minimum(100, g.exponential(12, n).astype(int)).tolist()
    second = g.choice(TALEN[1:], n)
    columns["talen_thuis"] = [["nederlands", s] if r < 0.4 else ["nederlands"] for s, r in zip(second.tolist(), g.random(n))]
    keys = list(columns)
    documents = [dict(zip(keys, values)) for values in zip(*columns.values())]
    for document, r in zip(documents, g.random(n)):
        if r < 0.3:
            document["opmerking"] = "Een gewoon antwoord over de dienstverlening van de stad."
    return documents


def prepare(url: str, folder: Path, rows: int, seed: int = 7) -> None:
    """Create the schema, load the synthetic questionnaire and insert rows responses quickly."""
    from survey_app import create_app
    from survey_app.catalog import definition_of, load_package
    from survey_app.content.answer_line import answer_line, line_fields
    from survey_app.db import database, is_postgres
    from survey_app.migrations import migrate_database
    from survey_app.models import Questionnaire

    package = folder / "package"
    package.mkdir()
    (package / "bench.yaml").write_text(yaml.safe_dump(synthetic_definition(), allow_unicode=True, sort_keys=False))
    create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "QUESTIONNAIRES_DIR": str(package), "SQLITE_SYNCHRONOUS": "off"})
    generator = np.random.default_rng(seed)
    # Both forms of the answers, as store_response writes them: the JSON document and the line.
    columns = "uuid, questionnaire_id, language, mode, channel, submitted_on, staff_id, content_hash, answers, answer_line"
    with database.connection_context():
        migrate_database()
        load_package(package)
        row = Questionnaire.get(slug="bench")
        questionnaire, fields = row.id, line_fields(definition_of(row))
        start = datetime.date(2025, 1, 1)
        for offset in range(0, rows, 10_000):
            n = min(10_000, rows - offset)
            documents = synthetic_answers(generator, n)
            days = generator.integers(0, 365, n).tolist()
            languages = generator.choice(LANGUAGES, n).tolist()
            batch = [
                (str(uuid.UUID(int=int(a) << 64 | int(b), version=4)), questionnaire, lang, "self", "tablet",
                 (start + datetime.timedelta(days=day)).isoformat(), None, "-", orjson.dumps(doc).decode(), answer_line(fields, doc))
                for a, b, lang, day, doc in zip(
                    generator.integers(0, 2**63, n, dtype=np.int64), generator.integers(0, 2**63, n, dtype=np.int64), languages, days, documents
                )
            ]
            with database.atomic():
                cursor = database.cursor()
                if is_postgres():
                    from psycopg2.extras import execute_values

                    execute_values(cursor, f"INSERT INTO response ({columns}) VALUES %s", batch, page_size=1000)
                else:
                    cursor.executemany(f"INSERT INTO response ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", batch)


def peak_mb() -> float:
    """Return this process's peak resident memory in MB (VmHWM: unlike ru_maxrss, not inherited from the parent)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_export(url: str, destination: Path) -> dict:
    """Child: the export, as the CLI makes it; return its time and peak memory."""
    from survey_app import create_app
    from survey_app.db import database
    from survey_app.export.package import Actor, ExportOptions, export_questionnaire

    create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    before = peak_mb()
    with database.connection_context():
        start = time.perf_counter()
        summary = export_questionnaire(
            "bench", ExportOptions(), purpose="benchmark", actor=Actor("bench", "analyst"), via="cli", destination=destination
        )
        seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "peak_mb": peak_mb(),
        "rss_before_mb": before,
        "rows": summary.disclosure.rows_exported,
        "rows_left_out": summary.disclosure.rows_left_out,
        "long_rows": summary.long_rows,
        "k_reached": summary.disclosure.k_reached,
        "steps": {qi["name"]: qi["generalisation"] for qi in summary.disclosure.quasi_identifiers},
        "suppressed": sum(qi["values_suppressed"] for qi in summary.disclosure.quasi_identifiers),
        "folder": str(summary.folder),
        "bytes": sum(p.stat().st_size for p in summary.folder.iterdir()),
    }


def run_adhoc(url: str, destination: Path) -> dict:
    """Child: the ad hoc anonymised export as it was before releases (no ledger, random ids); its time."""
    from survey_app import create_app
    from survey_app.db import database
    from survey_app.export.package import ExportOptions, _new_folder, build_frame, write_package

    create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    with database.connection_context():
        start = time.perf_counter()
        frame, disclosure = build_frame("bench", ExportOptions())
        folder = _new_folder(destination, "bench", datetime.datetime.now())
        write_package(folder, frame, disclosure, ExportOptions(), translations_dir=None, created=datetime.datetime.now())
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_mb": peak_mb()}


def run_to_csv(codes: Path, target: Path) -> dict:
    """Child: DataFrame.to_csv of the same table (read before the clock starts)."""
    import pandas as pd

    frame = pd.read_csv(codes, encoding="utf-8-sig", low_memory=False)
    before = peak_mb()
    start = time.perf_counter()
    frame.to_csv(target, index=False)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "peak_mb": peak_mb(),
        "rss_before_mb": before,
        "shape": list(frame.shape),
    }


def child(*arguments: str) -> dict:
    output = subprocess.run([sys.executable, __file__, "--child", *arguments], check=True, capture_output=True, text=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


def machine_busy() -> tuple[int, int]:
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(values) - values[3] - values[4], sum(values)


def database_url(choice: str, folder: Path, name: str) -> str:
    if choice == "sqlite":
        return f"sqlite:///{folder / (name + '.sqlite3')}"
    import psycopg2

    schema = f"bench_export_{name}_{os.getpid()}"
    with psycopg2.connect(choice) as connection, connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
    separator = "&" if "?" in choice else "?"
    return f"{choice}{separator}options=-csearch_path%3D{schema}"


def measure(url: str, folder: Path, rows: int, repeat: int, *, baseline: bool) -> dict:
    print(f"\n{rows:,} responses: preparing the database ...", flush=True)
    started = time.perf_counter()
    work = folder / f"work-{rows}"
    work.mkdir()
    prepare(url, work, rows)
    print(f"  prepared in {time.perf_counter() - started:.0f} s", flush=True)
    exports, baselines, adhocs = [], [], []
    busy_before = machine_busy()
    for _ in range(repeat):
        # Like to_csv, which overwrites its one file, each export replaces the last one's files:
        # otherwise every run adds 200 MB of page cache, which this virtual machine backs with
        # fresh memory at about 2.5 ms per MB, and that cost lands on the export alone.
        shutil.rmtree(folder / f"out-{rows}", ignore_errors=True)
        result = child("export", url, str(folder / f"out-{rows}"))
        exports.append(result)
        print(f"  export  {result['seconds']:6.2f} s  peak {result['peak_mb']:6.0f} MB", flush=True)
        if baseline:
            shutil.rmtree(folder / f"adhoc-{rows}", ignore_errors=True)
            adhoc = child("adhoc", url, str(folder / f"adhoc-{rows}"))
            adhocs.append(adhoc)
            print(f"  ad hoc  {adhoc['seconds']:6.2f} s  peak {adhoc['peak_mb']:6.0f} MB (before releases)", flush=True)
            codes = Path(result["folder"]) / "bench-codes.csv"
            base = child("to_csv", str(codes), str(folder / f"baseline-{rows}.csv"))
            baselines.append(base)
            print(f"  to_csv  {base['seconds']:6.2f} s  peak {base['peak_mb']:6.0f} MB  ({base['shape'][0]:,} x {base['shape'][1]})", flush=True)
    busy_after = machine_busy()
    cores = os.cpu_count() or 1
    other = (busy_after[0] - busy_before[0]) / max(1, busy_after[1] - busy_before[1]) * cores
    summary = {
        "rows": rows,
        "export_seconds": statistics.median(r["seconds"] for r in exports),
        "export_peak_mb": max(r["peak_mb"] for r in exports),
        "export_rss_before_mb": exports[0]["rss_before_mb"],
        "rows_exported": exports[0]["rows"],
        "rows_left_out": exports[0]["rows_left_out"],
        "long_rows": exports[0]["long_rows"],
        "k_reached": exports[0]["k_reached"],
        "steps": exports[0]["steps"],
        "values_suppressed": exports[0]["suppressed"],
        "package_mb": exports[0]["bytes"] / 2**20,
        "cores_busy_during_run": round(other, 2),
        "runs": exports,
    }
    if adhocs:
        summary["adhoc_seconds"] = statistics.median(r["seconds"] for r in adhocs)
        summary["release_ratio"] = summary["export_seconds"] / summary["adhoc_seconds"]
        summary["first_release_seconds"] = exports[0]["seconds"]
    if baselines:
        summary["to_csv_seconds"] = statistics.median(r["seconds"] for r in baselines)
        summary["to_csv_shape"] = baselines[0]["shape"]
        summary["ratio"] = summary["export_seconds"] / summary["to_csv_seconds"]
    return summary


def report(result: dict) -> None:
    print(f"\n== {result['rows']:,} responses ==")
    print(f"export (anonymised CSV package): {result['export_seconds']:.2f} s median, peak {result['export_peak_mb']:.0f} MB "
          f"(of which {result['export_rss_before_mb']:.0f} MB interpreter and libraries before the export)")
    if "to_csv_seconds" in result:
        shape = result["to_csv_shape"]
        verdict = "ok" if result["ratio"] <= 1.5 else "ABOVE TARGET"
        print(f"DataFrame.to_csv of the same {shape[0]:,} x {shape[1]} table: {result['to_csv_seconds']:.2f} s median")
        print(f"ratio: {result['ratio']:.2f}x (target <= 1.5x: {verdict})")
    if "adhoc_seconds" in result:
        verdict = "ok" if result["release_ratio"] <= 2 else "ABOVE TARGET"
        print(f"release (ledger, checks, stable ids) vs the ad hoc export before releases: {result['export_seconds']:.2f} s vs "
              f"{result['adhoc_seconds']:.2f} s median = {result['release_ratio']:.2f}x (target <= 2x: {verdict}); "
              f"the first run, which makes the release: {result['first_release_seconds']:.2f} s")
    print(f"memory target < 500 MB: {'ok' if result['export_peak_mb'] < 500 else 'ABOVE TARGET'}")
    print(f"rows exported {result['rows_exported']:,}, left out {result['rows_left_out']:,}, k reached {result['k_reached']}, "
          f"values suppressed {result['values_suppressed']:,}; long rows {result['long_rows']:,}; package {result['package_mb']:.0f} MB")
    print(f"generalisation: {result['steps']}")
    print(f"other work on the machine during the runs: {result['cores_busy_during_run']} cores busy on average (ours included)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000, help="responses for the timed comparison (default 100,000)")
    parser.add_argument("--big", type=int, default=1_000_000, help="responses for the memory run (0: skip)")
    parser.add_argument("--repeat", type=int, default=3, help="alternating export / to_csv runs (default 3)")
    parser.add_argument("--database", default="sqlite", help="sqlite (a temporary file) or a postgresql:// URL")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.child:
        kind, *rest = arguments.child
        if kind == "adhoc":
            result = run_adhoc(rest[0], Path(rest[1]))
        else:
            result = run_export(rest[0], Path(rest[1])) if kind == "export" else run_to_csv(Path(rest[0]), Path(rest[1]))
        print(json.dumps(result))
        return 0
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-export-") as temporary:
        folder = Path(temporary)
        url = database_url(arguments.database, folder, "main")
        results.append(measure(url, folder, arguments.rows, arguments.repeat, baseline=True))
        report(results[-1])
        if arguments.big:
            url = database_url(arguments.database, folder, "big")
            results.append(measure(url, folder, arguments.big, 1, baseline=False))
            report(results[-1])
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"export-{datetime.datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(results, indent=2, default=str))
    print(f"\nwritten: {path.relative_to(ROOT)}")
    ok = all(r["export_peak_mb"] < 500 for r in results) and all(r.get("ratio", 0) <= 1.5 for r in results)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

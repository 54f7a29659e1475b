"""Same-flow comparison: an older commit's survey_app against this tree's, on one questionnaire.

    .venv/bin/python bench/compare.py --before /work/wt/before [--after DIR] [--runs 3]
                                      [--with-yardsticks] [load.py options, e.g. --quiet-wait 5]

Issue 14 asks for twice the completed surveys per second of the code before it (c8b1c21) "on
the same flow and client". The project's questionnaires changed since (v2 content, short
forms), so each commit on its own content is not the same flow. This runs bench/load.py
alternately on both trees, before, after, before, after, ..., each time with this tree's
client, figures and stored-responses check, and with the bench's own questionnaire
(bench/content: 15 questions on 3 pages, which every commit since c8b1c21 loads). The other
tree's survey_app is served from its own checkout (load.py --app-root), migrated and loaded
with its own CLI. It prints each run, the medians and after / before, and writes
bench/out/compare-<time>/ (compare.json and each run's load.py result). By default only the
survey phase runs (--survey-only); the yardsticks do not depend on the tree.
"""

import argparse
import datetime
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
CONTENT = ROOT / "bench" / "content"
FIGURES = (  # (label, key in the survey phase's figures, format)
    ("surveys/s", "responses_per_second", "{:.1f}"),
    ("req/s", "requests_per_second", "{:.1f}"),
    ("req/survey", "requests_per_response", "{:.2f}"),
    ("CPU ms/survey", "server_cpu_ms_per_response", "{:.1f}"),
    ("CPU ms/req", "server_cpu_ms_per_request", "{:.2f}"),
    ("other cores", "other_cores", "{:.2f}"),
)


def parse_arguments(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[1].strip(), formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--before", type=Path, required=True, help="the older checkout (e.g. a worktree of c8b1c21)")
    parser.add_argument("--after", type=Path, default=None, help="the newer checkout (default: this tree)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each tree, interleaved (default 3)")
    parser.add_argument("--content", type=Path, default=CONTENT, help="the questionnaire package (default bench/content)")
    parser.add_argument(
        "--with-yardsticks", action="store_true", help="also run the bare and plain phases in every run"
    )
    args, load_options = parser.parse_known_args(argv)
    if not 1 <= args.runs <= 20:
        parser.error("keep --runs in 1..20")
    if any(option.split("=")[0] in ("--app-root", "--content", "--out") for option in load_options):
        parser.error("--app-root, --content and --out are chosen by compare.py")
    return args, load_options


def run_load(label: str, app_root: Path | None, args, load_options: list[str], out: Path) -> dict:
    """Run bench/load.py once on app_root's survey_app; return its JSON result and exit code."""
    command = [sys.executable, str(ROOT / "bench" / "load.py"), "--content", str(args.content), "--out", str(out)]
    if app_root is not None:
        command += ["--app-root", str(app_root)]
    if not args.with_yardsticks:
        command.append("--survey-only")
    command += load_options
    print(f"\n### {label}: {' '.join(command)}", flush=True)
    done = subprocess.run(command, cwd=ROOT, check=False)
    result = json.loads(out.read_text()) if out.exists() else {}
    return {"label": label, "exit_code": done.returncode, "result": result}


def survey_figures(run: dict) -> dict | None:
    runs = run["result"].get("runs") or []
    return runs[-1]["survey"] if runs else None


def main(argv=None) -> int:
    args, load_options = parse_arguments(argv)
    before = args.before.resolve()
    after = args.after.resolve() if args.after else None
    started = datetime.datetime.now().astimezone()
    folder = OUT / f"compare-{started:%Y%m%d-%H%M%S}"  # each run's whole result, kept
    folder.mkdir(parents=True, exist_ok=True)
    runs = []
    for number in range(1, args.runs + 1):
        # Interleaved, so that what else the machine does in these minutes falls on both alike.
        for label, root in (("before", before), ("after", after)):
            runs.append(run_load(label, root, args, load_options, folder / f"{label}-{number}.json"))

    slugs = ", ".join(path.stem for path in sorted(args.content.glob("*.yaml")))
    print(f"\n== same flow: {slugs} ({args.content}), {args.runs} runs each, interleaved ==")
    print(f"{'run':10} {'commit':9} " + " ".join(f"{label:>13}" for label, _, _ in FIGURES) + "  stored = completed")
    medians: dict = {}
    for label in ("before", "after"):
        mine = [run for run in runs if run["label"] == label]
        for index, run in enumerate(mine, 1):
            figures = survey_figures(run)
            if figures is None:
                print(f"{label} {index:<3} failed (exit {run['exit_code']})")
                continue
            check = run["result"]["runs"][-1]["responses"]
            cells = " ".join(f"{fmt.format(figures[key]):>13}" for _, key, fmt in FIGURES)
            print(
                f"{label + ' ' + str(index):10} {run['result']['code']['commit']:9} {cells}  "
                f"{'yes' if check['ok'] else 'NO'} ({check['stored']})"
            )
        values = [survey_figures(run) for run in mine if survey_figures(run) is not None]
        medians[label] = {key: statistics.median(f[key] for f in values) for _, key, _ in FIGURES} if values else {}
        if values:
            cells = " ".join(f"{fmt.format(medians[label][key]):>13}" for _, key, fmt in FIGURES)
            print(f"{label + ' med':10} {'':9} {cells}")
    ratios = {}
    if medians["before"] and medians["after"]:
        ratios = {key: medians["after"][key] / medians["before"][key] for _, key, _ in FIGURES[:5]}
        print(
            f"after / before (medians): completed surveys/s {ratios['responses_per_second']:.2f}x "
            f"(issue 14's target: at least 2x); server CPU per survey {ratios['server_cpu_ms_per_response']:.2f}x; "
            f"requests per survey {ratios['requests_per_response']:.2f}x"
        )
    out = folder / "compare.json"
    out.write_text(json.dumps(
        {"date": started.isoformat(timespec="seconds"), "before": str(before), "after": str(after or ROOT),
         "content": str(args.content), "load_options": load_options, "medians": medians, "ratios": ratios,
         "runs": runs},
        indent=2, default=str,
    ))
    print(f"result: {out}")
    failed = [f"{run['label']}" for run in runs if run["exit_code"] != 0]
    if failed:
        print(f"FAILED: {len(failed)} run(s) had errors or stored rows that do not match", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Instructions per completed survey: CPU work that other sessions on the machine cannot blur.

    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/tmp/survey.%p \
        .venv/bin/python bench/instructions.py --surveys 12

Completes --surveys whole questionnaires (rotating through the six, every page answered as
bench/answers.py does) through the app's real views with Flask's test client, on a fresh
SQLite file (synchronous=full, as production). No gunicorn and no HTTP parsing: what the app
itself costs. Under callgrind, instrumentation is switched on (callgrind_control) only after
one warm-up survey of each questionnaire, and the count is read back at the end: it prints
the instructions per completed survey. Without valgrind it prints the CPU time per survey.
bench/README.md has the figures.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench`, `survey_app` and `tests` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from survey_app.catalog import load_package  # noqa: E402
from survey_app.db import database  # noqa: E402
from tests.conftest import QUESTIONNAIRES, make_app  # noqa: E402
from tests.resident import Resident, is_thanks  # noqa: E402

SLUGS = ("stedelijke-dienstverlening", "ocmw-dienstverlening", "werk", "samenleven", "vrije-tijd", "onderwijs")


def callgrind(*args: str) -> str:
    """Send a command to the callgrind running this process; return its answer ('' without callgrind)."""
    if "vgpreload" not in os.environ.get("LD_PRELOAD", ""):
        return ""
    # callgrind answers between basic blocks: keep Python busy while callgrind_control waits.
    control = subprocess.Popen(["callgrind_control", *args, str(os.getpid())], stdout=subprocess.PIPE, text=True)
    while control.poll() is None:
        sum(range(1000))
    return control.stdout.read()


def read_instructions(dump_prefix: str) -> int:
    """Return the instructions of the last callgrind dump of this process (its 'totals:' line)."""
    dumps = sorted(Path(dump_prefix).parent.glob(Path(dump_prefix).name + "*"), key=lambda p: p.stat().st_mtime)
    text = dumps[-1].read_text()
    return int(re.search(r"^(?:totals|summary): (\d+)", text, re.M).group(1))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--surveys", type=int, default=12, help="surveys to complete (default 12)")
    parser.add_argument("--callgrind-out", help="callgrind's --callgrind-out-file, where the dump is read (default callgrind.out.<pid>)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="survey-instructions-") as folder:
        # As in production (and bench/load.py): the rate limiter on, the start limit raised
        # because every survey here comes from one address.
        app = make_app(
            f"sqlite:///{Path(folder) / 'survey.sqlite3'}", TESTING=False, UPKEEP_SECONDS=0,
            RATELIMIT_ENABLED=True, START_RATE_LIMIT="1000000 per minute",
        )
        with database.connection_context():
            load_package(QUESTIONNAIRES)
        client = app.test_client()
        # One survey of each first, so that every template and questionnaire is loaded and
        # cached in both runs alike: the difference is the steady state.
        for slug in SLUGS:
            Resident(client, slug).complete()
        callgrind("--instr=on")
        callgrind("--zero")
        started = time.process_time()
        for number in range(args.surveys):
            slug = SLUGS[number % len(SLUGS)]
            response, _ = Resident(client, slug).complete()
            assert is_thanks(response, slug)  # the thank-you page is the answer to the last post
        seconds = time.process_time() - started
        answer = callgrind("--dump=measured")
        callgrind("--instr=off")
        database.obj.close_all()
    if answer:
        prefix = args.callgrind_out or f"callgrind.out.{os.getpid()}"
        count = read_instructions(prefix)
        print(f"{args.surveys} surveys: {count / args.surveys / 1e6:.1f} million instructions each (callgrind)")
    else:
        print(f"{args.surveys} surveys: {seconds / args.surveys * 1000:.1f} ms of CPU each (no valgrind)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The lock files, and requirements/audit.py against a small PyPI of our own: found
vulnerabilities fail, data that cannot be fetched fails too, only a complete clean look-up passes."""

import json
import re
import tomllib
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from ..conftest import ROOT

AUDIT = ROOT / "requirements" / "audit.py"
ADVISORY = {"id": "PYSEC-2099-1", "aliases": ["CVE-2099-1"], "fixed_in": ["2.0"], "withdrawn": None}

# What our PyPI answers, per path; anything else is a 404.
PAGES = {
    # A PyPI that has the per-release pages.
    "/pypi/clean/1.0/json": {"info": {"version": "1.0"}, "vulnerabilities": []},
    "/pypi/leaky/1.0/json": {"info": {"version": "1.0"}, "vulnerabilities": [ADVISORY]},
    "/pypi/withdrawn/1.0/json": {"vulnerabilities": [ADVISORY | {"withdrawn": "2099-01-02T00:00:00Z"}]},
    # A mirror with the project page only: its data are the newest release's.
    "/pypi/newest/json": {"info": {"version": "3.0"}, "vulnerabilities": []},
    "/pypi/newest-leaky/json": {"info": {"version": "3.0"}, "vulnerabilities": [ADVISORY]},
    "/pypi/old/json": {"info": {"version": "9.0"}, "vulnerabilities": []},
    "/pypi/broken/1.0/json": "not json",
}


class FakePyPI(BaseHTTPRequestHandler):
    def do_GET(self):
        page = PAGES.get(self.path)
        if self.path == "/pypi/down/1.0/json":
            self.send_response(503)
            self.end_headers()
            return
        if page is None:
            self.send_response(404)
            self.end_headers()
            return
        body = (page if isinstance(page, str) else json.dumps(page)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def pypi():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakePyPI)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def audit(pypi, tmp_path, *pins):
    lock = tmp_path / "lock.txt"
    lock.write_text("# a lock file\n" + "".join(f"{pin} \\\n    --hash=sha256:00\n    # via x\n" for pin in pins))
    done = subprocess.run([sys.executable, str(AUDIT), str(lock)], env={"PYPI_URL": pypi}, capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout


@pytest.mark.parametrize("pins", [
    ("clean==1.0",),
    ("Newest==3.0", "withdrawn==1.0"),  # a withdrawn advisory counts for nothing; names are normalised
])
def test_a_complete_clean_look_up_passes(pypi, tmp_path, pins):
    status, out = audit(pypi, tmp_path, *pins)
    assert status == 0, out
    assert "0 not looked up, 0 with known vulnerabilities" in out


@pytest.mark.parametrize("pin", ["leaky==1.0", "newest-leaky==3.0"])
def test_a_known_vulnerability_fails_and_is_named(pypi, tmp_path, pin):
    status, out = audit(pypi, tmp_path, "clean==1.0", pin)
    assert status == 1
    assert f"VULNERABLE {pin}: PYSEC-2099-1 (CVE-2099-1) fixed in: 2.0" in out


@pytest.mark.parametrize("pin, reason", [
    ("old==1.0", "PyPI gave no data for this release, only for the newest (9.0)"),
    ("missing==1.0", "PyPI has no page for this project"),
    ("down==1.0", "look-up failed: HTTP Error 503"),
    ("broken==1.0", "look-up failed"),
])
def test_data_that_cannot_be_fetched_fails_loudly(pypi, tmp_path, pin, reason):
    status, out = audit(pypi, tmp_path, "clean==1.0", pin)
    assert status == 3
    assert f"NOT LOOKED UP {pin}: {reason}" in out and "FAILED" in out


def test_an_unreachable_index_fails(tmp_path):
    status, out = audit("http://127.0.0.1:9", tmp_path, "clean==1.0")
    assert status == 3 and "NOT LOOKED UP clean==1.0: look-up failed" in out


def pins(name: str) -> dict[str, str]:
    return dict(re.findall(r"^([a-z0-9][a-z0-9._-]*)==(\S+) \\$", (ROOT / "requirements" / name).read_text(), re.M))


def test_the_server_runs_the_versions_the_tests_ran_with():
    run, test = pins("run.txt"), pins("test.txt")
    assert {"flask", "gunicorn", "peewee", "pandas"} <= set(run)
    assert {name: test.get(name) for name in run} == run
    assert {"pytest", "playwright", "hypothesis"} <= set(test) - set(run)  # the test tools stay out of the server


@pytest.mark.parametrize("lock, groups", [("run.txt", ("dependencies",)), ("test.txt", ("dependencies", "test"))])
def test_the_locks_hold_what_pyproject_asks_for(lock, groups):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [Requirement(text) for group in groups
              for text in (project["dependencies"] if group == "dependencies" else project["optional-dependencies"][group])]
    pinned = {canonicalize_name(name): version for name, version in pins(lock).items()}
    wrong = [f"{req} (locked: {pinned.get(canonicalize_name(req.name))})" for req in wanted
             if canonicalize_name(req.name) not in pinned or pinned[canonicalize_name(req.name)] not in req.specifier]
    assert not wrong, f"requirements/{lock} is behind pyproject.toml: run `make lock`. " + "; ".join(wrong)


def test_the_lock_files_pin_every_package_with_hashes():
    for name in ("run.txt", "test.txt", "tools.txt"):
        lines = (ROOT / "requirements" / name).read_text().splitlines()
        pins = [line for line in lines if line[:1].isalnum()]
        assert pins and all("==" in pin and pin.endswith("\\") for pin in pins), name
        assert not any(line.startswith(("--index-url", "--extra-index-url", "--find-links")) for line in lines)

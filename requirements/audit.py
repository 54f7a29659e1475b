"""Look up every package pinned in the lock files in PyPI's vulnerability data (stdlib only).

Exit 0 only when every pinned release was looked up and none has a known, not withdrawn
vulnerability; 1 when one has; 3 when none was found but some releases could not be looked
up (named, one a line): a check that cannot fetch its data fails, it never passes quietly.

Where the data comes from, per release:
1. `<index>/pypi/<name>/<version>/json`: PyPI's advisories (from OSV) for exactly that release.
2. When that page is missing (404; some PyPI mirrors serve only the project page), the project
   page `<index>/pypi/<name>/json`, whose `vulnerabilities` are those of the newest release:
   they answer for a pinned release only when it is the newest one. An older pin is reported
   as not looked up; `make lock` pins the newest releases the ranges in pyproject.toml allow.

Usage: python requirements/audit.py requirements/run.txt requirements/test.txt
PYPI_URL (default https://pypi.org) points the look-ups elsewhere, e.g. at a test server.
"""

import concurrent.futures
import json
import os
import re
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")
TIMEOUT = 30  # seconds per look-up
INCOMPLETE = 3  # the exit status when some releases could not be looked up (and none is known vulnerable)


@dataclass
class Finding:
    """What the look-up of one pinned release found."""

    name: str
    version: str
    source: str = ""  # "release" or "newest": which page answered; empty when none did
    vulnerabilities: list = field(default_factory=list)
    problem: str = ""  # why the release could not be looked up


def read_pins(paths: list[str]) -> list[tuple[str, str]]:
    """Return the (name, version) pairs pinned with == in the requirement files, once each, sorted."""
    pins = set()
    for path in paths:
        with open(path, encoding="utf-8") as lock:
            for line in lock:
                match = PIN.match(line.strip())
                if match:
                    pins.add((normalise(match.group(1)), match.group(2)))
    return sorted(pins)


def normalise(name: str) -> str:
    """Return the PEP 503 form of a project name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _get_json(url: str) -> dict | None:
    """Return the JSON document at url, or None when the server answers 404."""
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "survey_app-audit"})
    try:
        # bandit B310 (URL schemes): the URL is https://pypi.org, or PYPI_URL set by whoever runs the check.
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:  # nosec B310
            return json.load(answer)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise


def look_up(name: str, version: str, *, index: str) -> Finding:
    """Return the known vulnerabilities of one release, or why they could not be looked up."""
    finding = Finding(name, version)
    try:
        release = _get_json(f"{index}/pypi/{name}/{version}/json")
        if release is not None:
            finding.source = "release"
            finding.vulnerabilities = release.get("vulnerabilities")
        else:
            project = _get_json(f"{index}/pypi/{name}/json")
            newest = project and project.get("info", {}).get("version")
            if project is None:
                finding.problem = "PyPI has no page for this project"
            elif newest != version:
                finding.problem = f"PyPI gave no data for this release, only for the newest ({newest})"
            else:
                finding.source = "newest"
                finding.vulnerabilities = project.get("vulnerabilities")
    except (OSError, ValueError) as error:  # URLError, timeouts and HTTP errors are OSErrors; bad JSON a ValueError
        finding.problem = f"look-up failed: {error}"
    if finding.source and not isinstance(finding.vulnerabilities, list):
        finding.source, finding.problem = "", "the answer has no 'vulnerabilities' list"
    finding.vulnerabilities = [v for v in finding.vulnerabilities if not v.get("withdrawn")]
    return finding


def audit(pins: list[tuple[str, str]], *, index: str, workers: int = 8) -> list[Finding]:
    """Return the findings for every pin, in the order of pins."""
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda pin: look_up(*pin, index=index), pins))


def main(argv: list[str]) -> int:
    """Print the findings; return the exit status (0 only when every release was looked up and none is vulnerable)."""
    if not argv:
        print("usage: audit.py LOCKFILE...", file=sys.stderr)
        return 2
    index = os.environ.get("PYPI_URL", "https://pypi.org").rstrip("/")
    pins = read_pins(argv)
    if not pins:
        print(f"audit: no pinned packages in {', '.join(argv)}", file=sys.stderr)
        return 1
    findings = audit(pins, index=index)
    vulnerable = [f for f in findings if f.vulnerabilities]
    unchecked = [f for f in findings if not f.source]
    for f in vulnerable:
        for v in f.vulnerabilities:
            fixed = ", ".join(v.get("fixed_in") or []) or "no fixed release"
            aliases = ", ".join(v.get("aliases") or [])
            print(f"VULNERABLE {f.name}=={f.version}: {v.get('id')} ({aliases}) fixed in: {fixed}")
    for f in unchecked:
        print(f"NOT LOOKED UP {f.name}=={f.version}: {f.problem}")
    by_release = sum(f.source == "release" for f in findings)
    by_newest = sum(f.source == "newest" for f in findings)
    print(
        f"audit: {len(findings)} pinned releases from {index}: {by_release} looked up by release, "
        f"{by_newest} as the newest release, {len(unchecked)} not looked up, {len(vulnerable)} with known vulnerabilities"
    )
    if unchecked:
        print("audit: FAILED, the vulnerability data of some releases could not be fetched (see NOT LOOKED UP)")
    return 1 if vulnerable else INCOMPLETE if unchecked else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

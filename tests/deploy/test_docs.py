"""docs/deployment.md names the tests that check its claims: each of them exists, in the file named."""

import re

from ..conftest import ROOT

DOC = (ROOT / "docs" / "deployment.md").read_text()
TESTS = {path.relative_to(ROOT).as_posix(): path.read_text() for path in (ROOT / "tests").rglob("test_*.py")}


def test_every_test_the_deployment_guide_names_exists():
    named = re.findall(r"`(?:(tests/[\w/]+\.py)::)?(test_\w+)`", DOC)
    assert len(named) >= 30
    missing = []
    for path, name in named:
        files = [path] if path else list(TESTS)
        if not any(re.search(rf"^def {name}\(", TESTS.get(f, ""), re.M) for f in files):
            missing.append(f"{path}::{name}" if path else name)
    assert not missing, f"docs/deployment.md names tests that do not exist: {missing}"


def test_every_file_the_deployment_guide_names_exists():
    for path in set(re.findall(r"`((?:deploy|requirements|tests|docs)/[\w./-]+\.\w+)", DOC)):
        assert (ROOT / path).is_file(), path

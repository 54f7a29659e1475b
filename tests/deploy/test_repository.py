"""What never goes into git: exports (results/), which hold residents' answers."""

import subprocess

import pytest

from ..conftest import ROOT


def git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)


pytestmark = pytest.mark.skipif(git("rev-parse", "--git-dir").returncode != 0, reason="not a git checkout")


def test_results_are_ignored_and_none_is_committed():
    assert git("ls-files", "results").stdout.split() == ["results/.gitkeep"]
    for path in ("results/kort/20261203-101500/kort-codes.csv", "results/preview/kort-nl.html", "results/x.zip"):
        assert git("check-ignore", "-q", path).returncode == 0, f"{path} would not be ignored by git"

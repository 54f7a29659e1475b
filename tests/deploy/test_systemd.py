"""deploy/survey_app.service passes systemd's own check (with the app's folder put where this checkout is)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import ROOT

SYSTEMD_ANALYZE = shutil.which("systemd-analyze")


@pytest.mark.skipif(SYSTEMD_ANALYZE is None, reason="systemd-analyze is not installed")
def test_the_unit_is_valid_and_names_programs_that_exist(tmp_path):
    unit = (ROOT / "deploy" / "survey_app.service").read_text()
    assert "/srv/survey/app/.venv/bin/gunicorn" in unit and "-c deploy/gunicorn.conf.py" in unit
    venv = Path(sys.executable).parent.parent  # the venv running these tests stands in for the server's
    here = tmp_path / "survey_app.service"
    here.write_text(unit.replace("/srv/survey/app/.venv", str(venv)).replace("/srv/survey/app", str(ROOT)))
    done = subprocess.run([SYSTEMD_ANALYZE, "verify", str(here)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "ignoring" not in done.stderr and "nknown" not in done.stderr, done.stderr
    assert "UMask=0077" in unit and "NoNewPrivileges=yes" in unit and "EnvironmentFile=/etc/survey_app/env" in unit

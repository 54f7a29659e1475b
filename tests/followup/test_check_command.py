"""`questionnaires check` checks the follow-up content too, and with --responses its waves against the database."""

import shutil

from tests.conftest import QUESTIONNAIRES, make_app


def test_check_reports_the_follow_up_and_its_mistakes(tmp_path, database_url):
    shutil.copytree(QUESTIONNAIRES, tmp_path / "q")
    runner = make_app(database_url, QUESTIONNAIRES_DIR=str(tmp_path / "q")).test_cli_runner()
    result = runner.invoke(args=["questionnaires", "check"])
    assert result.exit_code == 0, result.output
    assert followup_lines(result.output) == [], result.output
    assert "follow-up: 3 waves, 6 Denktafel(s) (0 published, 6 with PLACEHOLDER records), population 51608 on 2026-01-01 (PLACEHOLDER figures)" in result.output

    waves = tmp_path / "q" / "followup" / "waves.yaml"
    waves.write_text(waves.read_text().replace("start: 2026-01-01\n    end: 2026-12-31", "start: 2020-01-01\n    end: 2020-12-31"))
    assert followup_lines(runner.invoke(args=["questionnaires", "check"]).output) == []
    result = runner.invoke(args=["questionnaires", "check", "--responses"])
    assert result.exit_code == 1
    assert "followup/waves.yaml:5: wave 'nulmeting_2026' ended on 2020-12-31 with no response to 'stedelijke-dienstverlening'" in result.output
    assert "Traceback" not in result.output

    population = tmp_path / "q" / "followup" / "population.yaml"
    population.write_text(population.read_text().replace("    van_16_24: {man: 723,", "    van_16_24: {man: 724,"))
    result = runner.invoke(args=["questionnaires", "check"])
    assert result.exit_code == 1
    assert "followup/population.yaml:19: 'total' is 51608 but the cells add up to 51609. Fix: correct the total or the cells" in result.output


def followup_lines(output: str) -> list[str]:
    """Return the problems of the follow-up content (the questionnaires' own are checked elsewhere)."""
    return [line for line in output.splitlines() if line.startswith("followup/")]

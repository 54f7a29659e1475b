"""The command line: clear messages and exit codes, never a traceback."""

import datetime
import shutil
import subprocess

import pytest

from survey_app.db import database
from survey_app.models import User

from .conftest import ROOT
from .resident import Resident


def test_stats_counts_responses_per_questionnaire_version_and_language(app, client, runner):
    Resident(client, "werk").complete()
    Resident(client, "werk").complete()
    result = runner.invoke(args=["stats"])
    assert result.exit_code == 0
    line = next(line for line in result.output.splitlines() if line.startswith("werk "))
    version = Resident(client, "werk").definition().version
    assert line.split()[:4] == ["werk", str(version), "2", "nl"]
    assert result.output.splitlines()[-1].split() == ["total", "2"]


def test_users_create_makes_an_account_with_a_pseudonym(runner):
    result = runner.invoke(args=["users", "create", "bert", "--role", "analyst", "--password", "een lang wachtwoord"])
    assert result.exit_code == 0, result.output
    assert "pseudonym" in result.output
    with database.connection_context():
        assert User.get(username="bert").role == "analyst"


@pytest.mark.parametrize("args, message", [
    (["users", "create", "bert", "--role", "baas", "--password", "een lang wachtwoord"], "'baas' is not one of"),
    (["users", "create", "bert", "--role", "staff", "--password", "kort"], "at least 12 characters"),
])
def test_users_create_refuses_bad_arguments_clearly(runner, args, message):
    result = runner.invoke(args=args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_check_lists_each_questionnaire(runner):
    result = runner.invoke(args=["questionnaires", "check"])
    assert result.output.count("minutes per path: ") == 6
    assert [line for line in result.output.splitlines() if ". Fix: " in line] == []
    assert result.output.count("ok  ") == 6
    assert result.exit_code == 0, result.output


def test_check_reports_the_method_problems_of_version_1_and_passes_the_other_files(tmp_path, database_url):
    from .conftest import make_app

    shutil.copytree(ROOT / "tests" / "fixtures" / "questionnaires" / "v1", tmp_path / "v1")
    runner = make_app(database_url, QUESTIONNAIRES_DIR=str(tmp_path / "v1")).test_cli_runner()
    result = runner.invoke(args=["questionnaires", "check"])
    assert result.exit_code == 1
    assert "stedelijke-dienstverlening.yaml:130: question 'rol' is required" in result.output
    # five method problems, and seven identifying questions that version 1 did not mark (issue 9)
    assert "12 problem(s) found." in result.output
    assert "question 'sollicitatie_jaar' asks a year" in result.output
    ok = sorted(line.split(":")[0] for line in result.output.splitlines() if line.startswith("ok  "))
    assert ok == ["ok  ocmw-dienstverlening.yaml", "ok  vrije-tijd.yaml"]


def test_check_reports_the_minutes_of_each_path_longest_first(runner):
    result = runner.invoke(args=["questionnaires", "check", "stedelijke-dienstverlening.yaml"])
    lines = [line.strip() for line in result.output.splitlines() if " min, " in line]
    minutes = [float(line.split(" min,")[0]) for line in lines]
    assert len(minutes) >= 2 and minutes == sorted(minutes, reverse=True)
    assert lines[-1].endswith("no conditional page or question")


def test_check_reports_the_minutes_of_each_shorter_form(runner):
    result = runner.invoke(args=["questionnaires", "check", "werk.yaml"])
    line = next(line.strip() for line in result.output.splitlines() if line.strip().startswith("form 'kort': "))
    shortest, longest = (float(n) for n in line.split(": ")[1].split(" minutes")[0].split(" to "))
    full = next(line for line in result.output.splitlines() if "minutes per path: " in line)
    assert shortest <= longest < float(full.split(" to ")[1].split(" ")[0])


def test_check_reports_mistakes_with_file_and_line_and_exits_1(tmp_path, database_url):
    from .conftest import make_app

    shutil.copy(ROOT / "tests" / "fixtures" / "questionnaires" / "proef.yaml", tmp_path)
    path = tmp_path / "proef.yaml"
    path.write_text(path.read_text().replace("type: scale", "type: schaal"))
    runner = make_app(database_url, QUESTIONNAIRES_DIR=str(tmp_path)).test_cli_runner()
    result = runner.invoke(args=["questionnaires", "check"])
    assert result.exit_code == 1
    assert "proef.yaml:21: unknown question type 'schaal' in question 'cijfer'. Fix: did you mean 'scale'?" in result.output
    load = runner.invoke(args=["questionnaires", "load"])
    assert load.exit_code == 1 and "Nothing was loaded." in load.output


def test_check_of_an_unknown_file_says_which_files_exist(runner):
    result = runner.invoke(args=["questionnaires", "check", "wrek.yaml"])
    assert result.exit_code == 1
    assert "wrek.yaml: no such questionnaire file. Fix: use one of:" in result.output


def test_init_db_is_safe_to_run_again(runner):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0
    assert "up to date" in result.output


def test_coverage_lists_each_recommendation_and_flags_the_unmeasured(tmp_path, database_url):
    from .conftest import make_app

    shutil.copytree(ROOT / "tests" / "fixtures" / "questionnaires" / "v1", tmp_path / "v1")
    runner = make_app(database_url, QUESTIONNAIRES_DIR=str(tmp_path / "v1")).test_cli_runner()
    result = runner.invoke(args=["questionnaires", "coverage"])
    assert result.exit_code == 1
    assert "Denktafel Werk (werk.yaml): 14 of 17 measured by questions, 0 by administrative data, 3 not measured" in result.output
    assert "  WE2h  NOT MEASURED: Coaching binnen de stad voor medewerkers die er al werken. Fix: add a closed question" in result.output
    assert "  SD4  measured by contact_gehad, kanaal_voorkeur, kanaal, datum_contact, rol, resultaat" in result.output
    assert result.output.rstrip().endswith("4 recommendation(s) not measured.")


def test_coverage_reads_administrative_notes_from_the_follow_up(runner):
    result = runner.invoke(args=["questionnaires", "coverage", "stedelijke-dienstverlening.yaml"])
    assert "Denktafel Stedelijke dienstverlening (stedelijke-dienstverlening.yaml)" in result.output
    sd3 = next(line for line in result.output.splitlines() if line.startswith("  SD3 "))
    assert "administrative data" in sd3



def test_preview_writes_one_standalone_page_per_questionnaire_and_language(runner, tmp_path):
    tmp_path = tmp_path / "preview"  # the test's database lives in tmp_path itself
    result = runner.invoke(args=["questionnaires", "preview", "werk.yaml", "--output", str(tmp_path), "--language", "nl", "--language", "ar"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["werk.ar.html", "werk.nl.html"]
    page = (tmp_path / "werk.nl.html").read_text(encoding="utf-8")
    assert "<style>" in page and "stylesheet" not in page  # one file that opens and prints anywhere
    assert "Vul deze pagina alleen in als u bij vraag " in page
    assert '<html lang="ar" dir="rtl">' in (tmp_path / "werk.ar.html").read_text(encoding="utf-8")
    every = runner.invoke(args=["questionnaires", "preview", "--output", str(tmp_path / "all")])
    assert every.exit_code == 0 and len(list((tmp_path / "all").iterdir())) == 6 * 9


def test_xlsform_export_then_import_gives_the_questionnaire_back(runner, tmp_path):
    folder = tmp_path / "xlsform"
    result = runner.invoke(args=["questionnaires", "xlsform", "export", "werk.yaml", "--output", str(folder)])
    assert result.exit_code == 0, result.output
    workbook = folder / "werk.xlsx"
    back = tmp_path / "back" / "werk.yaml"
    back.parent.mkdir()
    result = runner.invoke(args=["questionnaires", "xlsform", "import", str(workbook), "--output", str(back)])
    assert result.exit_code == 0, result.output
    assert f"wrote {back}" in result.output
    again = runner.invoke(args=["questionnaires", "xlsform", "import", str(workbook), "--output", str(back)])
    assert again.exit_code == 1 and "exists; use --force" in again.output
    from survey_app.content.reader import read_package

    (original,), _ = read_package(ROOT / "questionnaires", only=["werk.yaml"])
    (imported,), problems = read_package(back.parent)
    assert problems == [] and imported.variables() == original.variables()
    assert [q.show_if for q in imported.questions()] == [q.show_if for q in original.questions()]


def test_xlsform_import_of_something_else_says_what_is_wrong(runner, tmp_path):
    bad = tmp_path / "form.xlsx"
    bad.write_text("no workbook")
    result = runner.invoke(args=["questionnaires", "xlsform", "import", str(bad), "--output", str(tmp_path / "x.yaml")])
    assert result.exit_code == 1
    assert "form.xlsx: this is not an .xlsx workbook (BadZipFile)" in result.output
    assert not (tmp_path / "x.yaml").exists()


NEW_PASSWORD = "een heel nieuw wachtwoord"


def test_users_reset_password_sets_the_new_one_and_ends_open_sessions(runner, client, staff):
    staff.create("bert", "staff")
    assert staff.login("bert").status_code == 302
    assert client.get("/staff/").status_code == 200
    result = runner.invoke(args=["users", "reset-password", "bert", "--password", NEW_PASSWORD])
    assert result.exit_code == 0, result.output
    assert client.get("/staff/").status_code == 302  # the open session has ended
    assert staff.login("bert").status_code == 401  # the old password no longer works
    assert staff.login("bert", NEW_PASSWORD).status_code == 302


def test_users_disable_and_enable_an_account(runner, client, staff):
    staff.create("bert", "staff")
    staff.login("bert")
    assert runner.invoke(args=["users", "disable", "bert"]).exit_code == 0
    assert client.get("/staff/").status_code == 302
    assert staff.login("bert").status_code == 401
    assert runner.invoke(args=["users", "enable", "bert"]).exit_code == 0
    assert staff.login("bert").status_code == 302


@pytest.mark.parametrize("args, message", [
    (["users", "reset-password", "niemand", "--password", NEW_PASSWORD], "there is no user 'niemand'"),
    (["users", "disable", "niemand"], "there is no user 'niemand'"),
    (["users", "enable", "niemand"], "there is no user 'niemand'"),
    (["users", "reset-password", "bert", "--password", "kort"], "at least 12 characters"),
])
def test_users_commands_refuse_unknown_names_and_short_passwords_clearly(runner, staff, args, message):
    staff.create("bert", "staff")
    result = runner.invoke(args=args)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_users_list_shows_roles_status_and_the_day_of_the_last_login(runner, staff):
    staff.create("bert", "staff")
    staff.create("anna", "analyst")
    staff.login("bert")
    runner.invoke(args=["users", "disable", "anna"])
    lines = runner.invoke(args=["users", "list"]).output.splitlines()
    assert lines[0].split("\t") == ["username", "role", "status", "last login"]
    assert lines[1].split("\t") == ["anna", "analyst", "disabled", "never"]
    assert lines[2].split("\t") == ["bert", "staff", "active", datetime.date.today().isoformat()]


def test_make_run_ends_by_saying_where_residents_staff_and_analysts_go_and_how_to_make_an_account():
    dry = subprocess.run(["make", "--no-print-directory", "-n", "run", "PYTHON=python3"], cwd=ROOT, capture_output=True, text=True, check=True)
    said = [line for line in dry.stdout.splitlines() if line.startswith("echo")]
    text = "\n".join(said)
    assert "http://127.0.0.1:5000/" in text and "/staff/login" in text and "/results/" in text
    assert "users create NAME --role admin" in text
    assert dry.stdout.rstrip().splitlines()[-1].endswith("flask --app survey_app run")

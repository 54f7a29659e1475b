"""The follow-up content: the package's own files read cleanly; each kind of mistake is told with file, line and fix."""

import shutil
from datetime import date
from pathlib import Path

import pytest

from survey_app.content.reader import read_package
from survey_app.followup.reader import empty_waves, read_followup

ROOT = Path(__file__).resolve().parents[2]
QUESTIONNAIRES = ROOT / "questionnaires"


def _definitions():
    definitions, problems = read_package(QUESTIONNAIRES)
    assert not problems
    return definitions


DEFINITIONS = []


def read(directory):
    """Return the follow-up package of directory, checked against the questionnaires (read once)."""
    if not DEFINITIONS:
        DEFINITIONS.extend(_definitions())
    return read_followup(directory, DEFINITIONS)


@pytest.fixture
def package_dir(tmp_path):
    """A copy of the content package whose follow-up files a test may break."""
    target = tmp_path / "questionnaires"
    shutil.copytree(QUESTIONNAIRES, target)
    return target


def edit(directory, name, old, new):
    path = directory / "followup" / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def messages(problems):
    return [str(p) for p in problems]


def test_the_content_package_follow_up_reads_without_problems():
    package, problems = read(QUESTIONNAIRES)
    assert messages(problems) == []
    assert [w.key for w in package.waves] == ["nulmeting_2026", "opvolging_2027", "opvolging_2028"]
    population = package.population
    assert [d.key for d in population.dimensions] == ["district", "leeftijd", "geslacht"]
    assert population.total == sum(population.margin("geslacht").values()) == sum(population.margin("district").values())
    plan = package.plans["stedelijke-dienstverlening"]
    assert set(plan.records) == {"SD1", "SD2", "SD3", "SD4", "SD5"}
    assert plan.records["SD3"].administrative and not plan.records["SD3"].indicators
    vriendelijk = plan.indicators["vriendelijk"]
    assert (vriendelijk.positive, vriendelijk.excluded, vriendelijk.scale) == ((4, 5), (9,), (0.0, 100.0))
    assert plan.indicators["cijfer_contact"].scale == (0.0, 10.0)


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        (
            "population.yaml",
            "margins:\n  geslacht:\n    man: ",
            "margins:\n  geslacht:\n    man: 1",
            "followup/population.yaml:22: the margin of 'geslacht' says man: 125339, but the cells add up to 25339",
        ),
        ("population.yaml", "total: ", "total: 9", "'total' is 9"),
        ("population.yaml", "van_16_24: {man: 723", "van_16_24: {man: -3", "cell 'centrum/van_16_24/man' is -3, not a count"),
        ("population.yaml", "        kolderbos: west\n", "        kolderbos: westen\n", "category 'westen' is not a category of dimension 'district'"),
        ("population.yaml", "        kolderbos: west\n", "        koldebos: west\n", "'koldebos' is not an answer of 'wijk'"),
        ("stedelijke-dienstverlening.yaml", "variable: ervaring_vriendelijk", "variable: ervaring_vriendlijk", "did you mean 'ervaring_vriendelijk'?"),
        ("stedelijke-dienstverlening.yaml", "positive: [informeren,", "positive: [informeer,", "'informeer' in 'positive' of indicator 'rol_duidelijk' is not an answer of 'rol'"),
        ("stedelijke-dienstverlening.yaml", "target: 85", "target: 120", "target 120 of indicator 'vriendelijk' is out of range. Fix: write a percentage from 0 to 100"),
        ("stedelijke-dienstverlening.yaml", "target: 7.5", "target: 11", "target 11 of indicator 'cijfer_contact' is out of range. Fix: write a value from 0 to 10"),
        ("stedelijke-dienstverlening.yaml", "indicators: [divers_team]", "indicators: [divers]", "names unknown indicator 'divers'"),
        ("stedelijke-dienstverlening.yaml", "  SD5:\n    status: planned", "  SD5:\n    status: done", "SD5 has status 'done' but its last change says 'planned'"),
        ("stedelijke-dienstverlening.yaml", "  SD5:\n    status: planned", "  SD5:\n    status: not_taken", "SD5 is not taken but gives no reason"),
        ("stedelijke-dienstverlening.yaml", "  SD5:\n", "  SX5:\n", "recommendation SD5 has no follow-up record"),
        ("waves.yaml", "start: 2027-01-01", "start: 2026-12-01", "wave 'opvolging_2027' starts before wave 'nulmeting_2026' ends"),
        ("waves.yaml", "end: 2028-12-31", "end: 2027-12-31", "wave 'opvolging_2028' starts after it ends"),
    ],
)
def test_a_mistake_is_told_with_file_line_and_fix(package_dir, name, old, new, expected):
    edit(package_dir, name, old, new)
    _, problems = read(package_dir)
    found = messages(problems)
    assert any(expected in m for m in found), found
    assert all(m.startswith("followup/") for m in found)
    assert all(". Fix: " in m for m in found)


def test_a_history_may_only_take_allowed_steps_in_date_order(package_dir):
    edit(
        package_dir,
        "stedelijke-dienstverlening.yaml",
        "  SD5:\n    status: planned",
        "  SD5:\n    status: done",
    )
    edit(
        package_dir,
        "stedelijke-dienstverlening.yaml",
        "        by: Denktafel Stedelijke dienstverlening\n",
        "        by: Denktafel Stedelijke dienstverlening\n      - date: 2025-01-01\n        status: done\n        by: College\n",
    )
    _, problems = read(package_dir)
    found = messages(problems)
    assert any("SD1 cannot go from 'planned' to 'done'. Fix: allowed next: started, not_taken" in m for m in found), found
    assert any("the history of SD1 goes back in time on 2025-01-01" in m for m in found), found


def test_a_wave_that_ended_without_responses_is_reported():
    package, _ = read(QUESTIONNAIRES)
    answered = {slug: [12, 0, 0] for slug in package.plans}
    counts = answered | {"stedelijke-dienstverlening": [0, 0, 0]}
    assert empty_waves(package, counts, today=date(2026, 6, 1)) == []
    found = messages(empty_waves(package, counts, today=date(2027, 1, 2)))
    assert found == [
        "followup/waves.yaml:5: wave 'nulmeting_2026' ended on 2026-12-31 with no response to 'stedelijke-dienstverlening'. "
        "Fix: correct the wave's dates, or load the responses of that period"
    ]
    assert empty_waves(package, answered, today=date(2027, 1, 2)) == []


def test_waves_before_a_denktafels_baseline_are_not_its_waves(package_dir):
    edit(package_dir, "werk.yaml", "baseline: nulmeting_2026", "baseline: opvolging_2027")
    package, problems = read(package_dir)
    assert messages(problems) == []
    plan = package.plans["werk"]
    assert [w.key for w in plan.waves_from_baseline(package.waves)] == ["opvolging_2027", "opvolging_2028"]
    counts = {slug: [12, 12, 0] for slug in package.plans} | {"werk": [0, 12, 0]}
    assert empty_waves(package, counts, today=date(2028, 1, 2)) == []  # werk had no fieldwork in 2026


def test_a_baseline_that_names_no_wave_is_told(package_dir):
    edit(package_dir, "werk.yaml", "baseline: nulmeting_2026", "baseline: nulmeting_2025")
    _, problems = read(package_dir)
    assert messages(problems) == [
        "followup/werk.yaml:11: baseline 'nulmeting_2025' of 'werk' is not a wave. "
        "Fix: use the key of a wave of waves.yaml: nulmeting_2026, opvolging_2027, opvolging_2028"
    ]


def test_a_package_without_follow_up_folder_has_no_follow_up(tmp_path):
    shutil.copytree(QUESTIONNAIRES, tmp_path / "q", ignore=shutil.ignore_patterns("followup"))
    package, problems = read(tmp_path / "q")
    assert (package.plans, problems) == ({}, [])


def test_dont_know_leaves_the_denominator_of_an_agreement_indicator_even_when_not_listed(package_dir):
    # divers_team offers 'weet ik niet' (8): residents often cannot judge who works at the counter.
    package, problems = read(package_dir)
    assert messages(problems) == []
    divers = package.plans["stedelijke-dienstverlening"].indicators["divers_team"]
    assert (divers.positive, set(divers.excluded)) == ((4, 5), {8, 9})
    edit(package_dir, "stedelijke-dienstverlening.yaml", "    variable: divers_team\n    positive: [4, 5]\n    excluded: [9]\n", "    variable: divers_team\n    positive: [4, 5]\n")
    package, problems = read(package_dir)
    assert set(package.plans["stedelijke-dienstverlening"].indicators["divers_team"].excluded) == {8, 9}
    # a question without 'weet ik niet' keeps what its file says
    assert package.plans["stedelijke-dienstverlening"].indicators["vriendelijk"].excluded == (9,)

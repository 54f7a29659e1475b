"""Figures per indicator and wave from stored responses: counts, weights, changes, suppression."""

import numpy as np
import pytest

from survey_app.export.frame import read_frame, select_versions
from survey_app.followup.estimates import MIN_ANSWERS, followup_figures
from survey_app.followup.intervals import wilson
from survey_app.models import Questionnaire
from tests.followup.conftest import add_responses
from tests.followup.test_reader import QUESTIONNAIRES, read

SLUG = "stedelijke-dienstverlening"


def answers(vriendelijk, *, wijk="centrum", geslacht="vrouw", leeftijdsgroep="van_45_54", cijfer=7):
    found = {"contact_gehad": "ja", "tevreden_contact": cijfer, "rol": "informeren"}
    if vriendelijk is not None:
        found["ervaring_vriendelijk"] = vriendelijk
    for key, value in (("wijk", wijk), ("geslacht", geslacht), ("leeftijdsgroep", leeftijdsgroep)):
        if value is not None:
            found[key] = value
    return found


def figures(db):
    package, problems = read(QUESTIONNAIRES)
    assert not problems
    frame = read_frame(select_versions(SLUG))
    return followup_figures(frame, package.plans[SLUG], package)


def test_shares_per_wave_leave_not_applicable_and_empty_answers_out(db):
    questionnaire = Questionnaire.latest(SLUG)
    rows = [(answers(5), "2026-03-01", "self", "nl")] * 30 + [(answers(2), "2026-03-02", "assisted", "tr")] * 20
    rows += [(answers(9), "2026-03-03", "self", "nl")] * 7 + [(answers(None), "2026-03-03", "self", "nl")] * 3
    rows += [(answers(4), "2027-04-01", "self", "nl")] * 45 + [(answers(1), "2027-04-01", "self", "nl")] * 5
    rows += [(answers(5), "2025-06-01", "self", "nl")] * 4  # before the baseline: in no wave
    add_responses(questionnaire, rows)
    result = figures(db)
    assert [s.responses for s in result.samples] == [60, 50, 0]
    assert result.outside_waves == 4
    vriendelijk = result.indicators["vriendelijk"]
    baseline, follow_up, empty = vriendelijk.waves
    assert (baseline.n, follow_up.n, empty.n) == (50, 50, 0)
    assert baseline.unweighted.value == pytest.approx(60.0)
    assert (baseline.unweighted.low, baseline.unweighted.high) == pytest.approx(tuple(100 * x for x in wilson(30, 50)))
    # Everyone is a woman from the centre aged 45 to 54: the weights are all 1.
    assert baseline.weighted.value == pytest.approx(60.0)
    assert baseline.design_effect == pytest.approx(1.0)
    assert follow_up.weighted.value == pytest.approx(90.0)
    assert follow_up.change.verdict == "better"
    assert follow_up.change.difference == pytest.approx(30.0)
    assert empty.weighted is None and empty.change is None
    assert baseline.by_mode["self"].value == pytest.approx(100.0)
    assert baseline.by_mode["assisted"].value == pytest.approx(0.0)
    assert vriendelijk.latest is follow_up
    cijfer = result.indicators["cijfer_contact"]
    assert cijfer.waves[0].weighted.value == pytest.approx(7.0)


def test_weights_correct_an_unbalanced_wave(db):
    questionnaire = Questionnaire.latest(SLUG)
    # Women agree, men do not; the sample has four women for every man, Genk about one to one.
    rows = [(answers(5, geslacht="vrouw"), "2026-05-01", "self", "nl")] * 80
    rows += [(answers(1, geslacht="man"), "2026-05-01", "self", "nl")] * 20
    add_responses(questionnaire, rows)
    baseline = figures(db).indicators["vriendelijk"].waves[0]
    assert baseline.unweighted.value == pytest.approx(80.0)
    population, _ = read(QUESTIONNAIRES)
    margin = population.population.margin("geslacht")
    assert baseline.weighted.value == pytest.approx(100 * margin["vrouw"] / sum(margin.values()), abs=0.1)
    assert baseline.design_effect > 1
    assert baseline.weighted.n_effective < baseline.weighted.n


def test_small_groups_are_hidden_and_one_hidden_cell_never_stands_alone(db):
    questionnaire = Questionnaire.latest(SLUG)
    rows = [(answers(5, wijk="waterschei"), "2026-05-01", "self", "nl")] * 40
    rows += [(answers(4, wijk="winterslag"), "2026-05-01", "self", "nl")] * 25
    rows += [(answers(2, wijk="termien"), "2026-05-01", "self", "nl")] * 12
    rows += [(answers(1, wijk="sledderlo"), "2026-05-01", "self", "nl")] * 4  # too few to show
    add_responses(questionnaire, rows)
    indicator = figures(db).indicators["vriendelijk"]
    district = next(b for b in indicator.breakdowns if b.dimension == "district")
    cells = {c.category: c for c in district.cells}
    assert cells["zuid"].value is None and cells["zuid"].n is None
    # zuid alone hidden could be worked out from the total: the smallest other cell goes too.
    assert cells["oost"].value is None and cells["oost"].n is None
    assert cells["noord"].n == 40 and cells["noord"].value is not None
    shown = [c.n for c in district.cells if c.n is not None]
    total = indicator.waves[0].n
    hidden = [c for c in district.cells if c.n is None]
    assert len(hidden) != 1 and total - sum(shown) >= MIN_ANSWERS or not hidden
    assert all(c.n is None or c.n >= MIN_ANSWERS for b in indicator.breakdowns for c in b.cells)


def test_a_wave_under_ten_answers_shows_no_figure(db):
    questionnaire = Questionnaire.latest(SLUG)
    add_responses(questionnaire, [(answers(5), "2026-05-01", "self", "nl")] * (MIN_ANSWERS - 1))
    baseline = figures(db).indicators["vriendelijk"].waves[0]
    assert baseline.n == MIN_ANSWERS - 1
    assert baseline.unweighted is None and baseline.weighted is None
    assert np.isfinite(baseline.design_effect)


def test_the_split_by_mode_never_gives_away_a_hidden_mode_through_the_total(db):
    """The attack: total x n minus the shown mode's share x its n would give the hidden mode's answers."""
    questionnaire = Questionnaire.latest(SLUG)
    rows = [(answers(5), "2026-03-01", "assisted", "nl")] * 6 + [(answers(2), "2026-03-01", "self", "nl")] * 40
    add_responses(questionnaire, rows)
    result = figures(db)
    wave = result.indicators["vriendelijk"].waves[0]
    assert wave.n == 46 and wave.unweighted.value == pytest.approx(100 * 6 / 46)  # the total is shown
    assert wave.by_mode == {"self": None, "assisted": None}  # so neither part may be
    mode = next(b for b in result.indicators["vriendelijk"].breakdowns if b.dimension == "afnamewijze")
    assert [(c.category, c.n, c.value) for c in mode.cells] == [("self", None, None), ("assisted", None, None)]


def test_values_a_release_suppressed_count_as_unknown(db):
    """A district or mode the release hid is not shown through a breakdown either."""
    questionnaire = Questionnaire.latest(SLUG)
    add_responses(questionnaire, [(answers(5, wijk="waterschei"), "2026-03-01", "self", "nl")] * 30 + [(answers(2), "2026-03-01", "assisted", "nl")] * 30)
    package, _ = read(QUESTIONNAIRES)
    frame = read_frame(select_versions(SLUG))
    hidden = np.zeros(60, bool)
    hidden[:3] = True  # the release suppressed the neighbourhood of three residents of Waterschei
    result = followup_figures(frame, package.plans[SLUG], package, suppressed={"wijk": hidden, "periode": np.arange(60) == 59})
    district = next(b for b in result.indicators["vriendelijk"].breakdowns if b.dimension == "district")
    cells = {c.category: c.n for c in district.cells}
    # Noord keeps 27, the centre 29 (one left the wave with its period); 3 unknown: hidden, with the smallest other.
    assert cells == {"noord": None, "centrum": 29, "onbekend": None}
    assert result.samples[0].responses == 59 and result.outside_waves == 1


def test_a_denktafel_whose_baseline_comes_later_has_no_figures_before_it(db, tmp_path):
    import shutil

    content = tmp_path / "questionnaires"
    shutil.copytree(QUESTIONNAIRES, content)
    plan = content / "followup" / f"{SLUG}.yaml"
    plan.write_text(plan.read_text().replace("baseline: nulmeting_2026", "baseline: opvolging_2027"))
    add_responses(Questionnaire.latest(SLUG), [(answers(5), "2026-03-01", "self", "nl")] * 20 + [(answers(4), "2027-03-01", "self", "nl")] * 20)
    package, problems = read(content)
    assert not problems
    result = followup_figures(read_frame(select_versions(SLUG)), package.plans[SLUG], package)
    assert [s.wave.key for s in result.samples] == ["opvolging_2027", "opvolging_2028"]
    assert [s.responses for s in result.samples] == [20, 0]
    assert result.outside_waves == 20  # answered before this Denktafel's baseline
    vriendelijk = result.indicators["vriendelijk"]
    assert [w.wave.key for w in vriendelijk.waves] == ["opvolging_2027", "opvolging_2028"]
    assert vriendelijk.waves[0].change is None  # the baseline has nothing to change from

"""Raking reproduces the population's margins; trimming caps the weights; the design effect is Kish's."""

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from survey_app.followup.population import Dimension, Population, Source, respondent_categories
from survey_app.followup.weighting import TRIM_CAP, design_effect, effective_n, rake
from tests.followup.test_reader import QUESTIONNAIRES, read


@pytest.fixture(scope="module")
def population():
    package, problems = read(QUESTIONNAIRES)
    assert not problems
    return package.population


def biased_sample(population, n, seed=7):
    """Return categories of n respondents drawn far from the population: young, female, central, some unknown."""
    rng = np.random.default_rng(seed)
    columns = {}
    for dimension in population.dimensions:
        k = len(dimension.categories)
        p = np.linspace(3, 1, k)
        p /= p.sum()
        drawn = rng.choice(np.array(dimension.categories, dtype=object), n, p=p)
        drawn[rng.random(n) < 0.08] = None  # skipped the question
        columns[dimension.key] = drawn
    return pd.DataFrame(columns)


def weighted_shares(values: pd.Series, weights: np.ndarray) -> dict:
    known = values.notna().to_numpy()
    totals = pd.Series(weights[known]).groupby(values[known].to_numpy()).sum()
    return (totals / totals.sum()).to_dict()


def test_raking_reproduces_every_margin_to_a_tenth_of_a_percent(population):
    sample = biased_sample(population, 3000)
    weights = rake(sample, population)
    assert weights.raked.mean() == pytest.approx(1.0)
    for dimension in population.dimensions:
        margin = population.margin(dimension.key)
        wanted = {c: count / sum(margin.values()) for c, count in margin.items()}
        found = weighted_shares(sample[dimension.key], weights.raked)
        for category, share in wanted.items():
            assert found[category] == pytest.approx(share, rel=0.001), (dimension.key, category)
        before = sample[dimension.key].value_counts(normalize=True).to_dict()
        assert max(abs(before[c] - wanted[c]) for c in wanted) > 0.03  # the sample was off, so this proves something


def test_respondents_who_did_not_say_keep_their_share(population):
    sample = biased_sample(population, 2000)
    weights = rake(sample, population)
    unknown = sample["geslacht"].isna().to_numpy()
    assert weights.raked[unknown].sum() / weights.raked.sum() == pytest.approx(unknown.mean(), rel=0.001)


def test_trimming_caps_weights_and_costs_less_than_raking_alone(population):
    sample = biased_sample(population, 1500, seed=3)
    sample.loc[sample.index[:4], ["district", "leeftijd", "geslacht"]] = ["oost", "vanaf_75", "man"]  # a rare, heavy cell
    rare = (sample["district"] == "oost") & (sample["leeftijd"] == "vanaf_75")
    sample.loc[rare & (sample.index >= 4), "district"] = "centrum"
    weights = rake(sample, population)
    assert weights.raked.max() > TRIM_CAP
    assert weights.trimmed.max() <= TRIM_CAP + 0.01
    assert weights.trimmed.mean() == pytest.approx(1.0)
    assert design_effect(weights.trimmed) < design_effect(weights.raked)


def test_kish_design_effect_and_effective_n():
    # Kish (1965): half weight 1, half weight 3: deff = n * sum(w^2) / sum(w)^2 = 100 * 500 / 200^2 = 1.25
    weights = np.array([1.0] * 50 + [3.0] * 50)
    assert design_effect(weights) == pytest.approx(1.25)
    assert effective_n(weights) == pytest.approx(80.0)
    assert design_effect(np.ones(10)) == 1.0


def test_categories_come_from_the_first_variable_answered_and_ages_from_the_birth_year():
    dimension = Dimension(
        "leeftijd",
        "Leeftijd",
        ("jong", "oud"),
        ("Jong", "Oud"),
        (Source("leeftijd", {"jonger_25": "jong", "vanaf_75": "oud"}), Source("geboortejaar", "age")),
        {"jong": (16, 24), "oud": (75, None)},
    )
    population = Population("test", date(2026, 1, 1), True, (dimension,), {("jong",): 1, ("oud",): 1})
    answers = {
        "leeftijd": np.array(["jonger_25", None, None, "van_25_34"], dtype=object),
        "geboortejaar": np.array([None, 1940.0, 2000.0, None], dtype=object),
    }
    found = respondent_categories(population, answers, np.array([2026.0, 2026.0, 2026.0, 2026.0]))
    assert list(found["leeftijd"]) == ["jong", "oud", None, None]

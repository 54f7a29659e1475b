"""Intervals and the change test against published worked examples, and properties that must always hold."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from survey_app.followup.intervals import (
    mean_change,
    mean_estimate,
    newcombe_difference,
    share_change,
    share_estimate,
    two_proportion_z,
    verdict,
    wilson,
)


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        # Newcombe (1998), Statistics in Medicine 17:857-872, Table II, method 3 (Wilson score)
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_interval_matches_newcombe_1998(successes, n, low, high):
    found = wilson(successes, n)
    assert found == pytest.approx((low, high), abs=0.00006)


def test_newcombe_hybrid_interval_for_a_difference_matches_newcombe_1998b():
    # Newcombe (1998b), Statistics in Medicine 17:873-890, example (a): 56/70 - 48/80, method 10.
    low, high = newcombe_difference(48 / 80, 80, 56 / 70, 70)
    assert (low, high) == pytest.approx((0.0524, 0.3339), abs=0.00006)


def test_two_proportion_test_matches_agresti_aspirin_example():
    # Physicians' Health Study (Agresti, Categorical Data Analysis): myocardial infarction in
    # 189 of 11,034 on placebo and 104 of 11,037 on aspirin; Pearson X2 = 25.01 (z^2 of the pooled test).
    z, p = two_proportion_z(189 / 11034, 11034, 104 / 11037, 11037)
    assert z * z == pytest.approx(25.01, abs=0.01)
    assert p < 1e-6


def test_share_change_gives_a_plain_verdict_in_the_better_direction():
    before = share_estimate(48 / 80, 80)
    after = share_estimate(56 / 70, 70)
    assert share_change(before, after, better="higher").verdict == "better"
    assert share_change(before, after, better="lower").verdict == "worse"
    close = share_estimate(50 / 80, 80)
    assert share_change(before, close, better="higher").verdict == "no_clear_change"


def test_weighting_widens_the_interval_through_the_effective_n():
    plain = share_estimate(0.4, 400)
    weighted = share_estimate(0.4, 400, n_effective=200)
    assert weighted.high - weighted.low > plain.high - plain.low
    assert (weighted.low, weighted.high) == pytest.approx(tuple(100 * x for x in wilson(80, 200)))


def test_a_mean_in_the_middle_of_the_scale_gets_the_usual_normal_interval():
    # Mean 5 on 0-10, sd 2, n 100: the logit interval is symmetric and (to first order) 5 +- 1.96 * 0.2.
    found = mean_estimate(5.0, 2.0, 100, (0, 10))
    assert (found.low, found.high) == pytest.approx((5 - 0.392, 5 + 0.392), abs=0.01)


def test_a_mean_near_the_end_of_the_scale_keeps_its_interval_on_the_scale():
    found = mean_estimate(9.8, 1.5, 30, (0, 10))
    assert found.low < 9.8 < found.high <= 10


def test_mean_change_uses_both_standard_errors():
    before = mean_estimate(6.0, 2.0, 100, (0, 10))
    after = mean_estimate(6.8, 2.0, 100, (0, 10))
    change = mean_change(before, after, better="higher")
    assert change.difference == pytest.approx(0.8)
    assert (change.low, change.high) == pytest.approx((0.8 - 1.96 * math.sqrt(0.08), 0.8 + 1.96 * math.sqrt(0.08)), abs=0.001)
    assert change.verdict == "better"


def test_verdict_needs_an_interval_that_excludes_zero():
    assert verdict(-0.1, 2.0, "higher") == "no_clear_change"
    assert verdict(0.1, 2.0, "lower") == "worse"
    assert verdict(-2.0, -0.1, "lower") == "better"


@given(st.integers(min_value=1, max_value=5000), st.data())
def test_wilson_interval_always_holds_the_share_and_stays_within_0_and_1(n, data):
    successes = data.draw(st.integers(min_value=0, max_value=n))
    low, high = wilson(successes, n)
    assert 0 <= low <= successes / n <= high <= 1


@given(
    st.floats(min_value=0, max_value=10),
    st.floats(min_value=0, max_value=5),
    st.integers(min_value=2, max_value=10000),
)
def test_mean_interval_always_stays_on_the_scale(mean, sd, n):
    found = mean_estimate(mean, sd, n, (0, 10))
    assert 0 <= found.low <= found.high <= 10

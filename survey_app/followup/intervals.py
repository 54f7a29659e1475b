"""95% intervals and the change between two waves, with a plain verdict.

Shares get Wilson's score interval (Wilson 1927; Newcombe 1998, method 3), which stays within
0-100% and behaves on small counts. A change between two shares gets Newcombe's hybrid score
interval (Newcombe 1998b, method 10) and a two-sample z test. Means get an interval on the
logit of the mean rescaled to the question's scale, so it never leaves the scale (a 0-10 mean
of 9.8 cannot get an upper end of 10.3). Weighted figures use Kish's effective sample size in
place of n (design effect of the weights), as in Kish (1965) and Dean & Pagano (2015).
"""

import math
from dataclasses import dataclass

Z95 = 1.959963984540054

VERDICTS = ("better", "no_clear_change", "worse")


@dataclass(frozen=True)
class Estimate:
    """A value with its 95% interval, on n answers (n_effective: after weighting)."""

    value: float
    low: float
    high: float
    n: int
    n_effective: float
    standard_error: float


@dataclass(frozen=True)
class Change:
    """The change from one wave to the next: difference, its 95% interval, p-value and verdict."""

    difference: float
    low: float
    high: float
    p_value: float
    verdict: str  # one of VERDICTS


def wilson(successes: float, n: float, *, z: float = Z95) -> tuple[float, float]:
    """Return Wilson's score interval (as proportions) for successes out of n (n may be an effective n)."""
    if n <= 0:
        raise ValueError("a share needs at least one answer")
    p = successes / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    denominator = 1 + z * z / n
    # Rounding can put an end a hair past the share itself (0/n gives a low of 1e-17).
    return max(0.0, min(p, (centre - spread) / denominator)), min(1.0, max(p, (centre + spread) / denominator))


def share_estimate(p: float, n: int, n_effective: float | None = None) -> Estimate:
    """Return a share (0-1) with its Wilson interval on the effective n, in percent."""
    n_eff = float(n if n_effective is None else n_effective)
    low, high = wilson(p * n_eff, n_eff)
    return Estimate(p * 100, low * 100, high * 100, n, n_eff, math.sqrt(p * (1 - p) / n_eff) * 100)


def mean_estimate(mean: float, sd: float, n: int, scale: tuple[float, float], n_effective: float | None = None) -> Estimate:
    """Return a mean with a 95% interval on the logit of the rescaled mean, so both ends stay on the scale."""
    n_eff = float(n if n_effective is None else n_effective)
    low_end, high_end = scale
    width = high_end - low_end
    se = sd / math.sqrt(n_eff)
    # Keep the rescaled mean off the ends, where the logit is infinite (all answers on one end).
    edge = 0.5 / max(n_eff, 1.0)
    m = min(max((mean - low_end) / width, edge), 1 - edge)
    se_logit = (se / width) / (m * (1 - m))
    centre = math.log(m / (1 - m))

    def back(x: float) -> float:
        return low_end + width / (1 + math.exp(-x))

    return Estimate(mean, back(centre - Z95 * se_logit), back(centre + Z95 * se_logit), n, n_eff, se)


def newcombe_difference(p1: float, n1: float, p2: float, n2: float) -> tuple[float, float]:
    """Return Newcombe's hybrid score interval (method 10) for p2 - p1 (as proportions)."""
    l1, u1 = wilson(p1 * n1, n1)
    l2, u2 = wilson(p2 * n2, n2)
    d = p2 - p1
    low = d - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    high = d + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    return low, high


def _normal_p(z: float) -> float:
    """Return the two-sided p-value of a standard normal z."""
    return math.erfc(abs(z) / math.sqrt(2))


def two_proportion_z(p1: float, n1: float, p2: float, n2: float) -> tuple[float, float]:
    """Return (z, two-sided p) of the pooled two-sample test of p2 against p1."""
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return 0.0, 1.0
    z = (p2 - p1) / se
    return z, _normal_p(z)


def verdict(low: float, high: float, better: str) -> str:
    """Return 'better', 'worse' or 'no_clear_change': only a 95% interval that excludes 0 says which."""
    if low <= 0 <= high:
        return "no_clear_change"
    up = low > 0
    return "better" if up == (better == "higher") else "worse"


def share_change(before: Estimate, after: Estimate, *, better: str) -> Change:
    """Return the change between two shares (in percentage points), on their effective sizes."""
    p1, p2 = before.value / 100, after.value / 100
    low, high = newcombe_difference(p1, before.n_effective, p2, after.n_effective)
    _, p = two_proportion_z(p1, before.n_effective, p2, after.n_effective)
    return Change((p2 - p1) * 100, low * 100, high * 100, p, verdict(low, high, better))


def mean_change(before: Estimate, after: Estimate, *, better: str) -> Change:
    """Return the change between two means, with a normal (Welch-type) interval and test."""
    d = after.value - before.value
    se = math.sqrt(before.standard_error**2 + after.standard_error**2)
    if se == 0:
        return Change(d, d, d, 1.0 if d == 0 else 0.0, verdict(d, d, better) if d else "no_clear_change")
    low, high = d - Z95 * se, d + Z95 * se
    return Change(d, low, high, _normal_p(d / se), verdict(low, high, better))

"""Weights that bring each wave's respondents in line with Genk's population: raking, then trimming.

Raking (iterative proportional fitting on the margins of age band, gender and district) is done
by weightipy (pinned in pyproject.toml; why in docs/followup.md). A respondent whose category on
a dimension is unknown (skipped the question, 'other', lives outside Genk) is kept: the unknowns
form their own category whose target is their share in the sample, so the known categories are
brought to the population's proportions among the respondents who told them. Trimming caps
weights at TRIM_CAP times the mean and rakes again, which keeps a few respondents in rare cells
from dominating; the design effect and effective sample size say what the weights cost.
"""

import contextlib
import io
from dataclasses import dataclass

import numpy as np
import pandas as pd
import weightipy

from .population import Population

UNKNOWN = "__onbekend__"
TRIM_CAP = 5.0  # at most five times the mean weight
CONVERGENCE = 1e-7  # weightipy's convcrit: stop when an iteration improves by less than this fraction


@dataclass(frozen=True)
class Weights:
    raked: np.ndarray  # mean 1: reproduces the population margins
    trimmed: np.ndarray  # mean 1: capped at TRIM_CAP, the weights the figures use
    dimensions: tuple[str, ...]  # the dimensions raked on (those with at least one known category)

    @property
    def design_effect(self) -> float:
        return design_effect(self.trimmed)

    @property
    def n_effective(self) -> float:
        return effective_n(self.trimmed)


def design_effect(weights: np.ndarray) -> float:
    """Return Kish's design effect of unequal weights: n * sum(w^2) / sum(w)^2 (1 = no loss)."""
    w = np.asarray(weights, dtype=np.float64)
    return float(len(w) * np.square(w).sum() / np.square(w.sum())) if len(w) else 1.0


def effective_n(weights: np.ndarray) -> float:
    """Return Kish's effective sample size: sum(w)^2 / sum(w^2)."""
    w = np.asarray(weights, dtype=np.float64)
    return float(np.square(w.sum()) / np.square(w).sum()) if len(w) else 0.0


def targets(population: Population, categories: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Return the raking targets in percent per dimension, with the unknowns at their sample share."""
    result = {}
    for dimension in population.dimensions:
        column = categories[dimension.key]
        unknown_share = float(column.isna().mean())
        if unknown_share == 1.0:
            continue  # nobody told: this dimension cannot be weighted
        margin = population.margin(dimension.key)
        total = sum(margin.values())
        present = set(column.dropna().unique())
        # A category of the population nobody in the sample belongs to cannot be raked to:
        # its share goes to the categories present, in proportion.
        reachable = {c: n for c, n in margin.items() if c in present}
        reachable_total = sum(reachable.values()) or total
        wanted = {c: (1 - unknown_share) * 100 * n / reachable_total for c, n in reachable.items()}
        if unknown_share:
            wanted[UNKNOWN] = unknown_share * 100
        result[dimension.key] = wanted
    return result


def rake(categories: pd.DataFrame, population: Population, *, cap: float = TRIM_CAP) -> Weights:
    """Return raked and trimmed weights (mean 1) for respondents with these categories (NaN: unknown)."""
    n = len(categories)
    if n == 0:
        return Weights(np.zeros(0), np.zeros(0), ())
    wanted = targets(population, categories)
    if not wanted:
        ones = np.ones(n)
        return Weights(ones, ones, ())
    frame = pd.DataFrame({key: categories[key].astype(object).where(categories[key].notna(), UNKNOWN) for key in wanted})
    raked = _run(frame, wanted, cap=0)
    trimmed = _run(frame, wanted, cap=cap) if raked.max() > cap else raked
    return Weights(raked, trimmed, tuple(wanted))


def _run(frame: pd.DataFrame, wanted: dict, *, cap: float) -> np.ndarray:
    scheme = weightipy.scheme_from_dict(wanted, name="followup", rim_params={"convcrit": CONVERGENCE, "cap": cap, "max_iterations": 2000})
    with contextlib.redirect_stdout(io.StringIO()):  # weightipy prints its convergence notes
        weights = weightipy.weight(frame, scheme).to_numpy(dtype=np.float64)
    return weights / weights.mean()

"""Indicators: which answers of which variable count as positive, which leave the denominator.

An indicator names a variable (a question key, or `key_item` for a matrix item), so it keeps
its meaning across questionnaire versions as long as the variable does. A share counts the
positive answers among the answers that stay in the denominator; a mean averages the answers
on the question's scale. Empty answers (not shown, skipped) always leave the denominator.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

MEASURES = ("share", "mean")
DIRECTIONS = ("higher", "lower")


@dataclass(frozen=True)
class Indicator:
    key: str
    title: str
    variable: str
    measure: str = "share"
    positive: tuple = ()  # answer values that count as positive (share)
    excluded: tuple = ()  # answer values that leave the denominator, like 9 'niet van toepassing'
    better: str = "higher"
    target: float | None = None  # percent for a share, a value on the scale for a mean
    scale: tuple[float, float] = (0.0, 100.0)  # the ends: 0-100 for a share, the question's for a mean
    line: int | None = None

    @property
    def unit(self) -> str:
        return "%" if self.measure == "share" else ""


def answer_values(column_codes: np.ndarray, values: tuple | None) -> np.ndarray:
    """Return the answers as an object array from codes into values (None for empty), or the numbers themselves."""
    if values is None:
        return column_codes
    lookup = np.asarray(list(values) + [None], dtype=object)
    codes = np.where(np.isnan(column_codes), len(values), column_codes).astype(np.int64)
    return lookup[codes]


def indicator_scores(indicator: Indicator, answers: np.ndarray) -> np.ndarray:
    """Return per respondent the indicator's score: 1/0 (share) or the answer (mean); NaN leaves the denominator."""
    series = pd.Series(answers)  # hash-based isin and isna: object arrays of 100,000 answers stay fast
    keep = series.notna().to_numpy()
    if indicator.excluded:
        keep &= ~series.isin(list(indicator.excluded)).to_numpy()
    scores = np.full(len(answers), np.nan)
    if indicator.measure == "share":
        scores[keep] = series[keep].isin(list(indicator.positive)).to_numpy(dtype=np.float64)
    else:
        scores[keep] = pd.to_numeric(series[keep]).to_numpy(dtype=np.float64)
    return scores

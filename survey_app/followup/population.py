"""The population of Genk by age band, gender and district, and how respondents fall into its categories.

A dimension lists where a respondent's category comes from: one or more variables (the first
with an answer wins, so older and newer questionnaire versions can name it differently), each
with a mapping from answer to category, or `age` for a birth year read against the wave's year.
"""

from dataclasses import dataclass, field
from datetime import date
from itertools import product

import numpy as np
import pandas as pd

UNKNOWN = -1


@dataclass(frozen=True)
class Source:
    """Where a dimension's category is read: a variable, and answer -> category ('age': from a birth year)."""

    variable: str
    mapping: dict | str  # {answer: category}, {} for answers that are the categories, or "age"


@dataclass(frozen=True)
class Dimension:
    key: str
    title: str
    categories: tuple[str, ...]
    labels: tuple[str, ...]
    sources: tuple[Source, ...]
    ages: dict[str, tuple[int, int | None]] = field(default_factory=dict)  # band -> (from, to) for age bands

    def band_of_age(self, ages: np.ndarray) -> np.ndarray:
        """Return the index of the band of each age, or UNKNOWN."""
        result = np.full(len(ages), UNKNOWN, dtype=np.int16)
        for index, category in enumerate(self.categories):
            low, high = self.ages[category]
            inside = ages >= low
            if high is not None:
                inside &= ages <= high
            result[inside & (result == UNKNOWN)] = index
        return result


@dataclass(frozen=True)
class Population:
    source: str
    date: date
    placeholder: bool
    dimensions: tuple[Dimension, ...]
    cells: dict[tuple[str, ...], int]  # one count per combination of categories, in dimension order

    @property
    def total(self) -> int:
        return sum(self.cells.values())

    def dimension(self, key: str) -> Dimension:
        for dimension in self.dimensions:
            if dimension.key == key:
                return dimension
        raise KeyError(key)

    def margin(self, key: str) -> dict[str, int]:
        """Return the population per category of one dimension."""
        position = [d.key for d in self.dimensions].index(key)
        result = dict.fromkeys(self.dimensions[position].categories, 0)
        for cell, count in self.cells.items():
            result[cell[position]] += count
        return result

    def combinations(self):
        """Yield every combination of categories, in dimension order."""
        return product(*(d.categories for d in self.dimensions))


def respondent_categories(population: Population, answers: dict[str, np.ndarray], years: np.ndarray) -> dict[str, np.ndarray]:
    """Return per dimension each respondent's category (object array, None when unknown).

    answers: variable name -> the answers (object array, None when empty) of the variables the
    frame has; years: the year each response was given in (for ages from a birth year).
    """
    n = len(years)
    result = {}
    for dimension in population.dimensions:
        found = np.full(n, None, dtype=object)
        for source in dimension.sources:
            values = answers.get(source.variable)
            if values is None:
                continue
            open_rows = pd.isna(found)
            if source.mapping == "age":
                born = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=np.float64)
                bands = dimension.band_of_age(np.where(np.isnan(born), -1, years - born))
                categories = np.asarray(dimension.categories + (None,), dtype=object)[np.where(bands == UNKNOWN, len(dimension.categories), bands)]
            else:
                lookup = source.mapping or {c: c for c in dimension.categories}
                mapped = pd.Series(values).astype(str).map(lookup)
                categories = mapped.astype(object).where(mapped.notna(), None).to_numpy(dtype=object)
            found[open_rows] = categories[open_rows]
        result[dimension.key] = found
    return result

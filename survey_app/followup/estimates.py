"""The figures of a Denktafel's follow-up: every indicator per wave, weighted and not, with its change.

Reads the responses through the export's frame (survey_app.export.frame), so the figures rest on
exactly the data analysts download. A figure on fewer than MIN_ANSWERS answers is not shown;
breakdowns also hide a second cell when one hidden cell could otherwise be worked out from the
total (complementary suppression).
"""

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from ..export.frame import Frame
from .indicators import Indicator, answer_values, indicator_scores
from .intervals import Change, Estimate, mean_change, mean_estimate, share_change, share_estimate
from .population import Population, respondent_categories
from .reader import FollowUpPackage, Plan
from .waves import Wave, wave_codes
from .weighting import Weights, effective_n, rake

MIN_ANSWERS = 10  # no figure on fewer answers (the disclosure rule)
UNKNOWN_CATEGORY = "onbekend"
MODES = ("self", "assisted")
PERIOD = "periode"  # the quasi-identifier a release makes of the response date


@dataclass
class WaveFigure:
    """One indicator in one wave."""

    wave: Wave
    n: int  # answers in the denominator
    unweighted: Estimate | None = None  # None: fewer than MIN_ANSWERS
    weighted: Estimate | None = None
    design_effect: float = 1.0
    change: Change | None = None  # weighted, against the previous wave with a figure
    by_mode: dict[str, Estimate | None] = field(default_factory=dict)


@dataclass
class Cell:
    category: str
    label: str
    n: int | None  # None: hidden
    value: float | None  # None: hidden


@dataclass
class Breakdown:
    dimension: str
    title: str
    wave: Wave
    cells: list[Cell]


@dataclass
class IndicatorFigures:
    indicator: Indicator
    waves: list[WaveFigure]
    breakdowns: list[Breakdown] = field(default_factory=list)

    @property
    def latest(self) -> WaveFigure | None:
        """Return the newest wave with a figure."""
        shown = [w for w in self.waves if w.weighted is not None]
        return shown[-1] if shown else None


@dataclass
class WaveSample:
    wave: Wave
    responses: int
    weights: Weights
    unknown: dict[str, int]  # per dimension: respondents whose category is unknown


@dataclass
class FollowUpFigures:
    slug: str
    plan: Plan
    samples: list[WaveSample]
    indicators: dict[str, IndicatorFigures]
    placeholder_population: bool
    outside_waves: int  # responses dated outside every wave
    versions: str = ""  # the questionnaire versions the figures rest on, like "1, 2"


def _answers(frame: Frame, name: str) -> np.ndarray | None:
    """Return a variable's answers as an object array (None when empty), or None when the frame lacks it."""
    try:
        variable = frame.variable(name)
    except KeyError:
        return None
    column = frame.column(name)
    if variable.kind == "code":
        codes = column.to_numpy(zero_copy_only=False).astype(np.float64) if column.null_count else column.to_numpy().astype(np.float64)
        return answer_values(codes, variable.values)
    if variable.kind == "integer":
        values = column.to_numpy(zero_copy_only=False).astype(np.float64)
        result = values.astype(object)
        result[np.isnan(values)] = None
        return result
    return None


def _mode_codes(frame: Frame) -> np.ndarray:
    variable = frame.variable("afnamewijze")
    codes = frame.column("afnamewijze").to_numpy(zero_copy_only=False).astype(np.float64)
    return answer_values(codes, variable.values)


def _estimate(indicator: Indicator, scores: np.ndarray, weights: np.ndarray | None) -> Estimate | None:
    """Return the indicator's estimate over these scores (no NaN), weighted when weights are given."""
    n = len(scores)
    if n < MIN_ANSWERS:
        return None
    w = np.ones(n) if weights is None else weights
    total = w.sum()
    if total <= 0:
        return None
    n_eff = n if weights is None else effective_n(w)
    mean = float((w * scores).sum() / total)
    if indicator.measure == "share":
        return share_estimate(mean, n, n_eff)
    variance = float((w * np.square(scores - mean)).sum() / total) * n / max(n - 1, 1)
    return mean_estimate(mean, variance**0.5, n, indicator.scale, n_eff)


def _suppress(cells: list[Cell], counts: list[int]) -> list[Cell]:
    """Hide cells under MIN_ANSWERS, and one more when a single hidden cell could be computed from the total."""
    hidden = {i for i, count in enumerate(counts) if 0 < count < MIN_ANSWERS}
    if len(hidden) == 1:
        visible = [i for i, count in enumerate(counts) if i not in hidden and count > 0]
        if visible:
            hidden.add(min(visible, key=lambda i: counts[i]))
    for i in hidden:
        cells[i].n, cells[i].value = None, None
    return cells


def _group_codes(groups: np.ndarray, categories: list[str]) -> np.ndarray:
    """Return per respondent the index of their category, len(categories) when unknown (once per dimension)."""
    codes = pd.Categorical(pd.Series(groups, dtype=object), categories=categories).codes.astype(np.int64)
    return np.where(codes < 0, len(categories), codes)


def _breakdown(key, title, labels: dict[str, str], codes: np.ndarray, indicator, scores, weights, wave) -> Breakdown:
    categories = list(labels) + [UNKNOWN_CATEGORY]
    cells, counts = [], []
    for index, category in enumerate(categories):
        mask = codes == index
        count = int(mask.sum())
        estimate = _estimate(indicator, scores[mask], weights[mask]) if count else None
        cells.append(Cell(category, labels.get(category, ""), count, estimate.value if estimate else None))
        counts.append(count)
    # A category nobody answered is left out: it reveals nothing and says nothing.
    kept = [(c, n) for c, n in zip(cells, counts) if n > 0]
    return Breakdown(key, title, wave, _suppress([c for c, _ in kept], [n for _, n in kept]))


def _hide(values: np.ndarray, hidden: np.ndarray | None) -> np.ndarray:
    """Return values with the ones a release suppressed made unknown (None)."""
    if hidden is None or not hidden.any():
        return values
    values = values.copy()
    values[hidden] = None
    return values


def followup_figures(
    frame: Frame, plan: Plan, package: FollowUpPackage, *, languages: dict[str, str] | None = None, suppressed: dict[str, np.ndarray] | None = None
) -> FollowUpFigures:
    """Return every indicator of plan per wave (weighted to package.population), with breakdowns of the newest wave.

    suppressed: per quasi-identifier, the rows whose value the release suppressed; they count as
    unknown here too (a suppressed period: outside every wave), so no page shows what the release hides.
    """
    suppressed = suppressed or {}
    waves = plan.waves_from_baseline(package.waves)  # a Denktafel's figures start at its own baseline
    days = frame.column("datum").to_numpy(zero_copy_only=False).astype("datetime64[D]")
    codes = wave_codes(days, waves)
    if PERIOD in suppressed:
        codes = np.where(suppressed[PERIOD], -1, codes)
    years = pc.year(frame.column("datum")).to_numpy(zero_copy_only=False).astype(np.float64)
    population: Population | None = package.population
    answers = {}
    if population:
        for dimension in population.dimensions:
            for source in dimension.sources:
                found = _answers(frame, source.variable)
                if found is not None:
                    answers[source.variable] = _hide(found, suppressed.get(source.variable))
        categories = respondent_categories(population, answers, years)
    else:
        categories = {}
    modes = _hide(_mode_codes(frame), suppressed.get("afnamewijze"))
    language_variable = frame.variable("antwoordtaal")
    language_codes = frame.column("antwoordtaal").to_numpy(zero_copy_only=False).astype(np.float64)
    spoken = _hide(answer_values(language_codes, language_variable.values), suppressed.get("antwoordtaal"))
    weights = np.zeros(frame.rows)
    samples = []
    for index, wave in enumerate(waves):
        rows = codes == index
        in_wave = pd.DataFrame({key: pd.Series(values[rows], dtype=object) for key, values in categories.items()})
        wave_weights = rake(in_wave, population) if population and rows.any() else Weights(np.ones(int(rows.sum())), np.ones(int(rows.sum())), ())
        weights[rows] = wave_weights.trimmed
        unknown = {key: int(pd.isna(values[rows]).sum()) for key, values in categories.items()}
        samples.append(WaveSample(wave, int(rows.sum()), wave_weights, unknown))
    language_labels = {code: (languages or {}).get(code, code) for code in language_variable.values}
    mode_labels = {"self": "Zelf ingevuld", "assisted": "Met hulp"}
    groupings = [
        (d.key, d.title, dict(zip(d.categories, d.labels)), categories[d.key]) for d in (population.dimensions if population else ())
    ] + [("antwoordtaal", "Taal", language_labels, spoken), ("afnamewijze", "Afname", mode_labels, modes)]
    group_codes = [(key, title, labels, _group_codes(values, list(labels))) for key, title, labels, values in groupings]
    mode_masks = {mode: modes == mode for mode in MODES}
    figures = {}
    newest = max((i for i, s in enumerate(samples) if s.responses), default=None)
    for key, indicator in plan.indicators.items():
        values = _answers(frame, indicator.variable)
        scores = indicator_scores(indicator, values) if values is not None else np.full(frame.rows, np.nan)
        answered = ~np.isnan(scores)
        result = IndicatorFigures(indicator, [])
        previous = None
        for index, wave in enumerate(waves):
            mask = (codes == index) & answered
            n = int(mask.sum())
            figure = WaveFigure(wave, n)
            figure.unweighted = _estimate(indicator, scores[mask], None)
            figure.weighted = _estimate(indicator, scores[mask], weights[mask])
            if figure.weighted:
                figure.design_effect = figure.weighted.n / figure.weighted.n_effective
                if previous is not None:
                    compare = share_change if indicator.measure == "share" else mean_change
                    figure.change = compare(previous, figure.weighted, better=indicator.better)
                previous = figure.weighted
            # The split by mode is a breakdown of the wave's figure: the same suppression, so
            # one mode's figure and the total never give away the other's.
            # Answers whose mode the release suppressed form a cell of their own, left off the page.
            split = [Cell(mode, mode, int((mask & mode_masks[mode]).sum()), None) for mode in MODES]
            split.append(Cell(UNKNOWN_CATEGORY, "", n - sum(c.n for c in split), None))
            for cell in _suppress(split, [c.n for c in split])[: len(MODES)]:
                in_mode = mask & mode_masks[cell.category]
                figure.by_mode[cell.category] = _estimate(indicator, scores[in_mode], weights[in_mode]) if cell.n is not None else None
            result.waves.append(figure)
        if newest is not None:
            mask = (codes == newest) & answered
            wave = waves[newest]
            for group_key, title, labels, group in group_codes:
                result.breakdowns.append(_breakdown(group_key, title, labels, group[mask], indicator, scores[mask], weights[mask], wave))
        figures[key] = result
    return FollowUpFigures(
        slug=plan.slug,
        plan=plan,
        samples=samples,
        indicators=figures,
        placeholder_population=bool(population and population.placeholder),
        outside_waves=int((codes == -1).sum()),
        versions=", ".join(map(str, frame.versions)),
    )


def today_wave(waves: tuple[Wave, ...], today: date) -> Wave | None:
    """Return the wave that holds today, if any."""
    return next((w for w in waves if w.holds(today)), None)

"""A small overview per recommendation, for policy makers: which questions follow it up, and how they score.

Each question gets one plain number: the share that agrees (agreement scales), the mean
score (0-10 scales, numbers), or the answer chosen most (choices). A number that rests on
fewer than k answers is not shown, so the overview never points to a few residents.
"""

from dataclasses import dataclass, field

import numpy as np
import pyarrow.compute as pc

from ..content.definition import Definition
from ..content.types import AGREEMENT_VALUES, OFF_SCALE
from .frame import Frame
from .labels import Text, Translator
from .variables import Variable

AGREE = (4, 5)


@dataclass
class QuestionScore:
    """One variable's summary: what is measured, its value (None when hidden), and on how many answers."""

    name: str
    text: str
    measure: str  # "agree", "mean", "mean_10", "top", "count"
    value: float | None
    n: int
    top: str = ""  # the answer chosen most, for "top"


@dataclass
class RecommendationScores:
    """The questions that follow up one recommendation."""

    id: str
    text: str
    questions: list[QuestionScore] = field(default_factory=list)


def _values(frame: Frame, variable: Variable) -> np.ndarray:
    """Return the answers of a variable as numbers (codes as their value), without the empty ones."""
    column = frame.column(variable.name)
    array = column.drop_null().to_numpy() if column.null_count < len(column) else np.zeros(0)
    if variable.kind == "code":
        return np.asarray(variable.values, dtype=object)[array.astype(np.int64)] if len(array) else np.zeros(0)
    return array


def score_variable(frame: Frame, variable: Variable, translate: Translator, *, k: int) -> QuestionScore:
    """Return the summary of one variable."""
    text = translate(variable.text) + (f" - {translate(variable.detail)}" if variable.detail else "")
    values = _values(frame, variable)
    agreement = variable.kind == "code" and (
        variable.question_type == "agreement"
        or (variable.question_type == "matrix" and set(variable.values) <= set(AGREEMENT_VALUES + OFF_SCALE))
    )
    if agreement:
        answered = values[~np.isin(values, OFF_SCALE)].astype(np.int64) if len(values) else values
        n = len(answered)
        value = float(np.isin(answered, AGREE).mean() * 100) if n else None
        measure = "agree"
    elif variable.question_type == "scale" or variable.kind == "integer":
        n = len(values)
        value = float(np.asarray(values, dtype=np.float64).mean()) if n else None
        measure = "mean_10" if variable.question_type == "scale" else "mean"
    elif variable.kind == "code" and variable.option is not None:
        n = len(values)
        value = float(np.asarray(values, dtype=np.float64).mean() * 100) if n else None
        measure = "chosen"
    elif variable.kind == "code":
        n = len(values)
        codes = frame.column(variable.name).drop_null().to_numpy()
        if n:
            counts = np.bincount(codes.astype(np.int64), minlength=len(variable.values))
            best = int(counts.argmax())
            return _hidden_if_small(
                QuestionScore(variable.name, text, "top", float(counts[best] / n * 100), n, translate(variable.labels[best])),
                k,
            )
        value, measure = None, "top"
    else:
        n = len(values) if variable.kind != "text" else int(pc.count(frame.column(variable.name)).as_py())
        value, measure = None, "count"
    return _hidden_if_small(QuestionScore(variable.name, text, measure, value, n), k)


def _hidden_if_small(score: QuestionScore, k: int) -> QuestionScore:
    if score.n < k:
        score.value, score.top = None, ""
    return score


def recommendation_scores(frame: Frame, definition: Definition, translate: Translator) -> list[RecommendationScores]:
    """Return, per recommendation of the newest version, the scores of the questions that follow it up."""
    k = frame.k_anonymity
    result = []
    for rec_id, rec_text in definition.recommendations.items():
        entry = RecommendationScores(rec_id, translate(Text(rec_text)))
        for variable in frame.variables:
            if rec_id in variable.recommendations and variable.question_type not in ("text", "long_text"):
                entry.questions.append(score_variable(frame, variable, translate, k=k))
        result.append(entry)
    return result

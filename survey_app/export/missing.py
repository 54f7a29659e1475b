"""Why a cell is empty, and how the labelled files say so without a number on the scale.

An empty cell has one of four reasons, and an analyst must be able to tell them apart:
the routing did not show the question (show_if of the question or its page), the version the
resident answered did not ask it, disclosure control suppressed the value, or the resident saw
it and left it empty. 'Weet ik niet' (8) and 'niet van toepassing' (9) are answers, but no point
on a scale either. In SPSS (.sav) all six are negative codes declared missing as one range
(-9 to -1), with value labels; in Stata (.dta) they are extended missing values .a to .f, with
value labels. So a mean in either program never counts them. The CSV files keep 8 and 9 as their
own codes (documented in the codebook) and leave the four kinds of empty cells empty; the codebook
says per variable which reasons occur.
"""

import numpy as np
import pandas as pd

from ..content.answers import is_shown
from ..content.types import DONT_KNOW, NOT_APPLICABLE
from .labels import N_

# Reasons for an empty cell, as kept per variable in Frame.empty (0: a value, or left empty).
ANSWERED_OR_EMPTY = 0
NOT_SHOWN = 1
NOT_ASKED = 2
SUPPRESSED = 3

# (reason or answer code, SPSS code, Stata letter, label)
CODES = (
    (NOT_SHOWN, -1, "c", N_("Niet getoond (de vragenlijst sloeg deze vraag over)")),
    ("empty", -2, "d", N_("Niet beantwoord (getoond, leeg gelaten)")),
    (SUPPRESSED, -3, "e", N_("Onderdrukt (anonimisering)")),
    (NOT_ASKED, -4, "f", N_("Niet gevraagd in deze versie")),
    (DONT_KNOW, -8, "a", N_("Weet ik niet")),
    (NOT_APPLICABLE, -9, "b", N_("Niet van toepassing")),
)
SPSS_RANGE = {"lo": -9, "hi": -1}
SPSS_CODE = {reason: spss for reason, spss, _, _ in CODES}
STATA_LETTER = {reason: letter for reason, _, letter, _ in CODES}
LABEL = {reason: label for reason, _, _, label in CODES}
OFF_SCALE_ANSWERS = (DONT_KNOW, NOT_APPLICABLE)


def _answers(frame, name: str, rows: np.ndarray) -> list:
    """Return the answers to name (a variable or a multiple choice's key) of the rows, as the survey stores them."""
    try:
        variable = frame.variable(name)
    except KeyError:
        options = [v for v in frame.variables if v.key == name and v.option is not None]
        if not options:
            return [None] * int(rows.sum())
        chosen = [np.asarray(frame.column(v.name).combine_chunks().fill_null(0).to_numpy(zero_copy_only=False))[rows] for v in options]
        return [[v.option for v, column in zip(options, chosen) if column[i] == 1] for i in range(int(rows.sum()))]
    column = frame.column(name).combine_chunks()
    if variable.kind == "code":
        codes = column.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)[rows]
        lookup = np.asarray(list(variable.values) + [None], dtype=object)
        return lookup[np.where(codes < 0, len(variable.values), codes)].tolist()
    values = column.to_pylist()
    return [values[i] for i in np.flatnonzero(rows)]


def _codes(frame, name: str) -> np.ndarray:
    """Return per row a whole number standing for the answer to name (equal answers, equal numbers)."""
    try:
        variable = frame.variable(name)
    except KeyError:  # a multiple choice's key: its options as bits
        bits = np.zeros(frame.rows, np.int64)
        for position, variable in enumerate(v for v in frame.variables if v.key == name and v.option is not None):
            chosen = frame.column(variable.name).combine_chunks().fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
            bits |= (chosen == 1).astype(np.int64) << position
        return bits
    column = frame.column(name).combine_chunks()
    if variable.kind == "code":
        return column.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    if variable.kind == "integer":
        values = column.to_numpy(zero_copy_only=False).astype(np.float64)
        return np.where(np.isnan(values), np.iinfo(np.int64).min, np.nan_to_num(values)).astype(np.int64)
    return pd.factorize(pd.Series(column.to_pylist(), dtype=object))[0].astype(np.int64)


def empty_reasons(frame) -> dict[str, np.ndarray]:
    """Return per question variable the reason of each empty cell: not shown, or not asked in that version.

    Routing is evaluated once per distinct combination of the answers its show_if reads, not per row.
    """
    versions = frame.column("versie").combine_chunks().fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    reasons: dict[str, np.ndarray] = {}
    for variable in frame.variables:
        # Questions, and the export's own columns that anonymisation may suppress (language, mode, channel).
        if variable.kind in ("code", "integer") and (variable.question_type != "meta" or variable.quasi_identifier):
            reasons[variable.name] = np.zeros(frame.rows, np.int8)
    by_key: dict[str, list[str]] = {}
    for name in reasons:
        if frame.variable(name).question_type != "meta":
            by_key.setdefault(frame.variable(name).key, []).append(name)
    codes: dict[str, np.ndarray] = {}
    for index, definition in enumerate(frame.definitions):
        rows = np.flatnonzero(versions == index)
        if not len(rows):
            continue
        asked, groups = set(), {}
        for page in definition.pages:
            for question in page.questions:
                asked.add(question.key)
                names = (page.show_if.names if page.show_if else frozenset()) | (question.show_if.names if question.show_if else frozenset())
                if not names or question.key not in by_key:
                    continue
                ordered = sorted(names)
                if tuple(ordered) not in groups:
                    for name in ordered:
                        if name not in codes:
                            codes[name] = _codes(frame, name)
                    # One number per combination: names folded in one by one, kept dense by factorize.
                    combined = np.zeros(len(rows), np.int64)
                    for name in ordered:
                        rank, distinct = pd.factorize(codes[name][rows])
                        combined = pd.factorize(combined * len(distinct) + rank)[0]
                    _, firsts, inverse = np.unique(combined, return_index=True, return_inverse=True)
                    representatives = np.zeros(frame.rows, bool)
                    representatives[rows[firsts]] = True
                    order = np.argsort(rows[firsts])  # _answers gives the representatives in row order
                    decoded = {name: _answers(frame, name, representatives) for name in ordered}
                    combinations = [None] * len(firsts)
                    for position, slot in enumerate(order):
                        combinations[slot] = {name: decoded[name][position] for name in ordered}
                    groups[tuple(ordered)] = (ordered, combinations, inverse.reshape(-1))
                _, combinations, inverse = groups[tuple(ordered)]
                hidden_combinations = np.array([not (is_shown(page, answers) and is_shown(question, answers)) for answers in combinations], bool)
                hidden = np.zeros(frame.rows, bool)
                hidden[rows] = hidden_combinations[inverse]
                for name in by_key[question.key]:
                    reasons[name][hidden] = NOT_SHOWN
        for key, names in by_key.items():
            if key not in asked:
                for name in names:
                    reasons[name][rows] = NOT_ASKED
    # Only empty cells have a reason: a value present was shown and answered, whatever the routing says now.
    for name, reason in reasons.items():
        empty = frame.column(name).combine_chunks().is_null().to_numpy(zero_copy_only=False)
        reason[~empty] = ANSWERED_OR_EMPTY
    return reasons

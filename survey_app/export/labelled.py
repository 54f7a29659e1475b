"""SPSS (.sav) and Stata (.dta) files with variable and value labels, written by pyreadstat.

Code variables are stored as whole numbers with value labels: the code itself when it is a
number (agreement 1-5), else its position in the codebook (column codes_spss_stata). 'Weet ik
niet', 'niet van toepassing' and every empty cell of a question, by its reason (not shown, not
answered, suppressed, not asked in that version), are missing values with a label: negative codes
declared missing in SPSS, extended missing values .a to .f in Stata (survey_app/export/missing.py). Stata's limits are kept: labels of at most 80
characters, text of at most 2045.
"""

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

from .frame import Frame
from .labels import Text, word
from .missing import ANSWERED_OR_EMPTY, LABEL, NOT_ASKED, NOT_SHOWN, OFF_SCALE_ANSWERS, SPSS_CODE, SPSS_RANGE, STATA_LETTER, SUPPRESSED

STATA_LABEL = 80
STATA_TEXT = 2045


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _missing_codes(variable, codes: np.ndarray | None, reasons: np.ndarray | None, stata: bool):
    """Return (per row the missing code or None, {code: reason}) of a question's numeric column.

    codes: the answer codes' numbers (NaN where empty); 8 and 9 of an agreement scale, and every
    empty cell by its reason, become SPSS's negative codes or Stata's letters (export/missing.py).
    """
    n = len(codes)
    found = np.full(n, None, dtype=object)
    if variable.question_type in ("agreement", "matrix"):
        for answer in OFF_SCALE_ANSWERS:
            if answer in variable.values:
                found[codes == answer] = answer
    if reasons is not None and variable.question_type == "meta":  # an empty own column: only suppression is told
        found[np.isnan(codes) & (reasons == SUPPRESSED)] = SUPPRESSED
    elif reasons is not None:
        empty = np.isnan(codes)
        for reason in (NOT_SHOWN, SUPPRESSED, NOT_ASKED):
            found[empty & (reasons == reason)] = reason
        found[empty & (reasons == ANSWERED_OR_EMPTY)] = "empty"
    table = STATA_LETTER if stata else SPSS_CODE
    return found, table


def labelled_frame(frame: Frame, translate: Callable[[Text], str], *, stata: bool):
    """Return (DataFrame, variable labels, value labels, missing values) for pyreadstat.

    Missing values: SPSS ranges per variable, or Stata's letters per variable.
    """
    data, variable_labels, value_labels, missing = {}, [], {}, {}
    for variable, column in zip(frame.variables, frame.table.columns):
        label = translate(variable.text) + (f" - {translate(variable.detail)}" if variable.detail else "")
        variable_labels.append(_shorten(label, STATA_LABEL) if stata else label)
        if variable.kind in ("code", "integer"):
            if variable.kind == "code":
                numbers = np.array(variable.numeric_codes + (0,), dtype=np.float64)
                codes = column.combine_chunks().fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
                values = np.where(codes >= 0, numbers[codes], np.nan)
                labels = {int(number): (_shorten(translate(text), 32000) if stata else translate(text)) for number, text in zip(variable.numeric_codes, variable.labels)}
            else:
                values = column.to_pandas().astype("float64").to_numpy()
                labels = {}
            reasons = frame.empty.get(variable.name)
            if reasons is None and variable.question_type not in ("agreement", "matrix"):
                data[variable.name] = values
                if labels:
                    value_labels[variable.name] = labels
                continue
            found, table = _missing_codes(variable, values, reasons, stata)
            # Every missing kind the column can hold gets its label, whether it occurs or not.
            kinds = [answer for answer in OFF_SCALE_ANSWERS if answer in variable.values and variable.question_type in ("agreement", "matrix")]
            if reasons is not None:
                kinds += [SUPPRESSED] if variable.question_type == "meta" else [NOT_SHOWN, "empty", SUPPRESSED, NOT_ASKED]
            for kind in kinds:
                if kind in OFF_SCALE_ANSWERS and variable.question_type != "meta":
                    labels.pop(kind, None)  # 8 and 9 are no longer numbers in this file
                labels[table[kind]] = translate(word(LABEL[kind]))
            marked = found != None  # noqa: E711 (an object array)
            if stata:
                column_values = values.astype(object)
                column_values[marked] = [table[r] for r in found[marked]]
                data[variable.name] = pd.Series(column_values, dtype=object) if marked.any() else values
                missing[variable.name] = sorted(table[kind] for kind in kinds)
            else:
                values = values.copy()
                values[marked] = [table[r] for r in found[marked]]
                data[variable.name] = values
                missing[variable.name] = [dict(SPSS_RANGE)]
            if labels:
                value_labels[variable.name] = labels
        else:
            values = column.cast("string").to_pandas().fillna("")
            data[variable.name] = values.str.slice(0, STATA_TEXT) if stata else values
    return pd.DataFrame(data), variable_labels, value_labels, missing


def write_sav(path: Path, frame: Frame, *, translate: Callable[[Text], str]) -> None:
    """Write an SPSS .sav file with variable and value labels."""
    df, variable_labels, value_labels, missing = labelled_frame(frame, translate, stata=False)
    pyreadstat.write_sav(
        df,
        str(path),
        column_labels=variable_labels,
        variable_value_labels=value_labels,
        missing_ranges=missing or None,
        file_label=frame.title[:64],
    )


def write_dta(path: Path, frame: Frame, *, translate: Callable[[Text], str]) -> None:
    """Write a Stata .dta file with variable and value labels."""
    df, variable_labels, value_labels, missing = labelled_frame(frame, translate, stata=True)
    pyreadstat.write_dta(
        df,
        str(path),
        column_labels=variable_labels,
        variable_value_labels=value_labels,
        missing_user_values=missing or None,
        file_label=_shorten(frame.title, STATA_LABEL),
    )

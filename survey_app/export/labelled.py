"""SPSS (.sav) and Stata (.dta) files with variable and value labels, written by pyreadstat.

Code variables are stored as whole numbers with value labels: the code itself when it is a
number (agreement 1-5, 8 = don't know and 9 = not applicable, both declared missing in SPSS), else its position
in the codebook (column codes_spss_stata). Stata's limits are kept: labels of at most 80
characters, text of at most 2045.
"""

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

from ..content.types import OFF_SCALE
from .frame import Frame
from .labels import Text

STATA_LABEL = 80
STATA_TEXT = 2045


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def labelled_frame(frame: Frame, translate: Callable[[Text], str], *, stata: bool):
    """Return (DataFrame, variable labels, value labels, SPSS missing values) for pyreadstat."""
    data, variable_labels, value_labels, missing = {}, [], {}, {}
    for variable, column in zip(frame.variables, frame.table.columns):
        label = translate(variable.text) + (f" - {translate(variable.detail)}" if variable.detail else "")
        variable_labels.append(_shorten(label, STATA_LABEL) if stata else label)
        if variable.kind == "code":
            numbers = np.array(variable.numeric_codes + (0,), dtype=np.float64)
            codes = column.combine_chunks().fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
            data[variable.name] = np.where(codes >= 0, numbers[codes], np.nan)
            value_labels[variable.name] = {
                int(number): (_shorten(translate(text), 32000) if stata else translate(text))
                for number, text in zip(variable.numeric_codes, variable.labels)
            }
            # 'Weet ik niet' and 'niet van toepassing' are declared missing: no point on the scale.
            off_scale = [value for value in OFF_SCALE if value in variable.values]
            if off_scale and variable.question_type in ("agreement", "matrix"):
                missing[variable.name] = off_scale
        elif variable.kind == "integer":
            data[variable.name] = column.to_pandas().astype("float64")
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
    df, variable_labels, value_labels, _ = labelled_frame(frame, translate, stata=True)
    pyreadstat.write_dta(
        df,
        str(path),
        column_labels=variable_labels,
        variable_value_labels=value_labels,
        file_label=_shorten(frame.title, STATA_LABEL),
    )

"""CSV files of a frame: wide with codes, wide with labels in one language, and long.

RFC 4180: fields are separated by the delimiter, lines end with CRLF, and text fields are
enclosed in double quotes with inner quotes doubled (Arrow's writer quotes every text
field, numbers never). UTF-8 with a byte-order mark by default, so Excel shows accents
and Arabic correctly; a semicolon for Excel with Belgian settings. Files are written in
slices of rows, so memory does not grow with the number of responses.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from .cells import neutralise_array
from .frame import Frame
from .labels import Text
from .variables import Variable

BOM = b"\xef\xbb\xbf"
SLICE_ROWS = 50_000
LONG_SLICE_ROWS = 20_000
LONG_HEADER = ("respondent", "variabele", "waarde")


@dataclass(frozen=True)
class Dialect:
    """How a CSV file is written: delimiter and byte-order mark."""

    delimiter: str = ","
    bom: bool = True

    def options(self) -> pacsv.WriteOptions:
        return pacsv.WriteOptions(delimiter=self.delimiter, eol="\r\n", quoting_style="needed")


def value_array(variable: Variable) -> pa.Array:
    """Return the codes of a code variable as an Arrow array (numbers stay numbers)."""
    if all(isinstance(v, int) for v in variable.values):
        return pa.array(variable.values, pa.int64())
    return neutralise_array(pa.array([str(v) for v in variable.values], pa.string()))


def label_array(variable: Variable, translate: Callable[[Text], str]) -> pa.Array:
    """Return the labels of a code variable in the translator's language, neutralised."""
    return neutralise_array(pa.array([translate(label) for label in variable.labels], pa.string()))


def _indices(column) -> pa.Array:
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column


def cell_makers(frame: Frame, translate: Callable[[Text], str] | None = None) -> list[Callable]:
    """Return, per variable, a function from a slice of its column to the cells to write.

    Without translate the cells hold codes; with it, labels in the translator's language.
    """
    makers = []
    for variable in frame.variables:
        if variable.kind == "code":
            lookup = value_array(variable) if translate is None else label_array(variable, translate)
            if translate is None:
                makers.append(lambda column, lookup=lookup: lookup.take(_indices(column)))
            else:
                makers.append(lambda column, lookup=lookup: pa.DictionaryArray.from_arrays(_indices(column), lookup))
        elif variable.kind == "text":
            makers.append(lambda column: neutralise_array(_indices(column)))
        else:
            makers.append(_indices)
    return makers


def _slices(table: pa.Table, size: int) -> Iterator[pa.Table]:
    for offset in range(0, max(table.num_rows, 1), size):
        yield table.slice(offset, size)


def _open(path: Path, dialect: Dialect) -> pa.NativeFile:
    """Return a native file (Arrow writes it without holding the GIL), the BOM already in it."""
    handle = pa.OSFile(str(path), "wb")
    if dialect.bom:
        handle.write(BOM)
    return handle


def write_wide(path: Path, frame: Frame, *, dialect: Dialect, translate: Callable[[Text], str] | None = None) -> None:
    """Write one row per response, one column per variable: codes, or labels when translate is given."""
    makers = cell_makers(frame, translate)
    names = [v.name for v in frame.variables]
    with _open(path, dialect) as handle:
        writer = None
        for piece in _slices(frame.table, SLICE_ROWS):
            table = pa.Table.from_arrays([make(column) for make, column in zip(makers, piece.columns)], names=names)
            if writer is None:
                writer = pacsv.CSVWriter(handle, table.schema, write_options=dialect.options())
            writer.write_table(table)
        writer.close()


def _long_slots(frame: Frame) -> list[tuple[str, int, Callable]]:
    """Return (name in the long file, column index, column slice -> (texts, index per row or -1)) per answer column.

    A code column points into its few code texts; other columns into their own values.
    """
    slots = []

    def own(column, neutral: bool):
        values = _indices(column)
        texts = neutralise_array(values) if neutral else values.cast(pa.string())
        valid = np.asarray(values.is_valid())
        return texts, np.where(valid, np.arange(len(values)), -1)

    for index, variable in enumerate(frame.variables):
        if variable.question_type == "meta":
            continue
        if variable.option is not None:
            texts = pa.array([variable.option], pa.string())

            def chosen(column, texts=texts):
                codes = _indices(column).fill_null(-1).to_numpy(zero_copy_only=False)
                return texts, np.where(codes == 1, 0, -1)

            slots.append((variable.key, index, chosen))
        elif variable.kind == "code":
            texts = value_array(variable).cast(pa.string())

            def code(column, texts=texts):
                return texts, _indices(column).fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)

            slots.append((variable.name, index, code))
        else:
            slots.append((variable.name, index, lambda column, neutral=variable.kind == "text": own(column, neutral)))
    return slots


def write_long(path: Path, frame: Frame, *, dialect: Dialect) -> int:
    """Write one row per answer (respondent, variable, value); a multiple choice gives a row per option chosen.

    Returns the number of rows written. The rows of a slice are put in order with integer
    indices (numpy), and Arrow's writer looks the texts up: no text is copied twice.
    """
    slots = _long_slots(frame)
    names = pa.array([name for name, _, _ in slots], pa.string())
    respondent = frame.variables.index(frame.variable("respondent"))
    schema = pa.schema([pa.field(name, pa.dictionary(pa.int32(), pa.string())) for name in LONG_HEADER])
    written = 0
    with _open(path, dialect) as handle:
        writer = pacsv.CSVWriter(handle, schema, write_options=dialect.options())
        for piece in _slices(frame.table, LONG_SLICE_ROWS):
            m, s = piece.num_rows, len(slots)
            if m == 0 or s == 0:
                continue
            dictionaries, positions, offset = [], np.empty((m, s), dtype=np.int64), 0
            for j, (_, index, make) in enumerate(slots):
                texts, where = make(piece.column(index))
                positions[:, j] = np.where(where >= 0, where + offset, -1)
                dictionaries.append(texts)
                offset += len(texts)
            flat = positions.ravel()  # row-major: respondent by respondent, variables in order
            kept = np.flatnonzero(flat >= 0)
            ids = _indices(piece.column(respondent)).cast(pa.string())
            table = pa.Table.from_arrays(
                [
                    pa.DictionaryArray.from_arrays(pa.array(kept // s, pa.int32()), ids),
                    pa.DictionaryArray.from_arrays(pa.array(kept % s, pa.int32()), names),
                    pa.DictionaryArray.from_arrays(pa.array(flat[kept], pa.int32()), pa.concat_arrays(dictionaries)),
                ],
                schema=schema,
            )
            writer.write_table(table)
            written += len(kept)
        writer.close()
    return written


def write_rows(path: Path, header: list[str], rows: list[list], *, dialect: Dialect) -> None:
    """Write a small table (the codebook) with the same rules: text neutralised and quoted."""
    columns = list(zip(*rows)) if rows else [[] for _ in header]
    arrays = []
    for column in columns:
        array = pa.array(list(column))
        if pa.types.is_null(array.type):
            array = array.cast(pa.string())
        arrays.append(neutralise_array(array))
    table = pa.Table.from_arrays(arrays, names=header)
    with _open(path, dialect) as handle:
        pacsv.write_csv(table, handle, write_options=dialect.options())

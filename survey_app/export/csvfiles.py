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
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .cells import neutralise_array
from .frame import Frame
from .labels import Text
from .variables import Variable

BOM = b"\xef\xbb\xbf"
SLICE_ROWS = 50_000  # rows per slice of the Excel writer
CSV_SLICE_ROWS = 10_000  # rows per slice of a wide CSV file (about 7 MB of labels)
LONG_SLICE_ROWS = 5_000  # responses per slice of the long file (about 200,000 lines, 6 MB)
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


def quoted(texts: pa.Array) -> pa.Array:
    """Return texts as RFC 4180 fields: in double quotes, inner quotes doubled (null stays null)."""
    return pc.binary_join_element_wise('"', pc.replace_substring(texts, '"', '""'), '"', "")


def _ending(fields: pa.Array, ending: str) -> pa.Array:
    """Return each field followed by ending (the delimiter or CRLF); an empty field is the ending alone."""
    return pc.binary_join_element_wise(fields, ending, "", null_handling="replace", null_replacement="")


def _header(names: list[str], dialect: Dialect) -> bytes:
    return (dialect.delimiter.join('"' + name.replace('"', '""') + '"' for name in names) + "\r\n").encode()


def _write_pieces(handle: pa.NativeFile, pieces: pa.Array, order: np.ndarray) -> None:
    """Write the pieces in the given order, end to end (one take: Arrow copies, without the GIL)."""
    if not len(order):
        return
    text = pieces.take(pa.array(order.ravel()))
    end = int(np.frombuffer(text.buffers()[1], dtype=np.int32, count=len(text) + 1)[-1])
    handle.write(text.buffers()[2][:end])


def _wide_field(variable: Variable, translate: Callable[[Text], str] | None) -> Callable:
    """Return a function from a slice of a variable's column to (field texts, index of each row's text).

    Text is quoted (and neutralised), numbers and dates are not; an empty cell is the last
    text. A code variable's few texts are rendered once, so its rows cost an index each.
    """
    if variable.kind == "code":
        lookup = value_array(variable) if translate is None else label_array(variable, translate)
        texts = lookup.cast(pa.string()) if pa.types.is_integer(lookup.type) else quoted(lookup)
        texts = pa.concat_arrays([texts, pa.nulls(1, pa.string())])

        def code(column):
            return texts, _indices(column).fill_null(len(texts) - 1).to_numpy(zero_copy_only=False)

        return code

    def own(column):
        values = _indices(column)
        texts = quoted(neutralise_array(values)) if variable.kind == "text" else values.cast(pa.string())
        return texts, np.arange(len(values))

    return own


def write_wide(path: Path, frame: Frame, *, dialect: Dialect, translate: Callable[[Text], str] | None = None) -> None:
    """Write one row per response, one column per variable: codes, or labels when translate is given.

    Every field is rendered once per distinct text (codes, labels) or once per row (text,
    numbers, dates), followed by its delimiter or CRLF; each slice of rows is then one take
    of those pieces in row order, written as it is.
    """
    fields = [_wide_field(v, translate) for v in frame.variables]
    endings = [dialect.delimiter] * (len(fields) - 1) + ["\r\n"]
    with _open(path, dialect) as handle:
        handle.write(_header([v.name for v in frame.variables], dialect))
        for piece in _slices(frame.table, CSV_SLICE_ROWS):
            m = piece.num_rows
            if m == 0 or not fields:
                continue
            pieces, order, offset = [], np.empty((m, len(fields)), dtype=np.int32), 0
            for j, (field, ending, column) in enumerate(zip(fields, endings, piece.columns)):
                texts, index = field(column)
                order[:, j] = index
                order[:, j] += offset
                pieces.append(_ending(texts, ending))
                offset += len(texts)
            _write_pieces(handle, pa.concat_arrays(pieces), order)


def _long_slots(frame: Frame, dialect: Dialect) -> list[tuple[int, Callable]]:
    """Return (column index, column slice -> (line endings, index per row or -1)) per answer column.

    A line ending is the rest of a line after the respondent: delimiter, variable, delimiter,
    value and CRLF, all quoted. A code column points into its few endings; other columns
    into one ending per row.
    """
    slots = []
    d = dialect.delimiter

    def endings(name: str, values: pa.Array) -> pa.Array:
        return pc.binary_join_element_wise(d + quoted(pa.array([name])).to_pylist()[0] + d, quoted(values), "\r\n", "")

    def own(column, name: str, neutral: bool):
        values = _indices(column)
        texts = neutralise_array(values) if neutral else values.cast(pa.string())
        valid = np.asarray(values.is_valid())
        return endings(name, texts), np.where(valid, np.arange(len(values)), -1)

    for index, variable in enumerate(frame.variables):
        if variable.question_type == "meta":
            continue
        if variable.option is not None:
            texts = endings(variable.key, pa.array([variable.option], pa.string()))

            def chosen(column, texts=texts):
                codes = _indices(column).fill_null(-1).to_numpy(zero_copy_only=False)
                return texts, np.where(codes == 1, 0, -1)

            slots.append((index, chosen))
        elif variable.kind == "code":
            texts = endings(variable.name, value_array(variable).cast(pa.string()))

            def code(column, texts=texts):
                return texts, _indices(column).fill_null(-1).to_numpy(zero_copy_only=False)

            slots.append((index, code))
        else:
            slots.append((index, lambda column, name=variable.name, neutral=variable.kind == "text": own(column, name, neutral)))
    return slots


def write_long(path: Path, frame: Frame, *, dialect: Dialect) -> int:
    """Write one row per answer (respondent, variable, value); a multiple choice gives a row per option chosen.

    Returns the number of rows written. A line is two pieces, the respondent and the rest
    of the line; numpy puts the pieces of a slice in order and one take copies them.
    """
    slots = _long_slots(frame, dialect)
    respondent = frame.variables.index(frame.variable("respondent"))
    written = 0
    with _open(path, dialect) as handle:
        handle.write(_header(list(LONG_HEADER), dialect))
        for piece in _slices(frame.table, LONG_SLICE_ROWS):
            m, s = piece.num_rows, len(slots)
            if m == 0 or s == 0:
                continue
            ids = quoted(_indices(piece.column(respondent)).cast(pa.string()))
            pieces, positions, offset = [ids], np.empty((m, s), dtype=np.int32), m
            for j, (index, make) in enumerate(slots):
                texts, where = make(piece.column(index))
                where = where.astype(np.int32, copy=False)
                positions[:, j] = np.where(where >= 0, where + offset, -1)
                pieces.append(texts)
                offset += len(texts)
            flat = positions.ravel()  # row-major: respondent by respondent, variables in order
            kept = np.flatnonzero(flat >= 0)
            order = np.empty((len(kept), 2), dtype=np.int32)
            order[:, 0] = kept // s
            order[:, 1] = flat[kept]
            _write_pieces(handle, pa.concat_arrays(pieces), order)
            written += len(kept)
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

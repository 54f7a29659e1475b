"""An Excel workbook of a package: answers with codes, answers with labels, the codebook and the report.

Written with openpyxl in write-only mode (rows stream to the file); every text cell is
stored as text and neutralised, so nothing in it runs as a formula.
"""

from collections.abc import Callable, Iterable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from .cells import neutralise
from .csvfiles import SLICE_ROWS, cell_makers
from .frame import Frame
from .labels import Text

MAX_ROWS = 1_048_575  # Excel's limit, less the header


def _cells(sheet, values: Iterable) -> list:
    row = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=neutralise(value))
        if isinstance(value, str):
            cell.data_type = "s"  # text, never a formula
        row.append(cell)
    return row


def _append_frame(sheet, frame: Frame, translate: Callable[[Text], str] | None) -> None:
    makers = cell_makers(frame, translate)
    sheet.append(_cells(sheet, [v.name for v in frame.variables]))
    for offset in range(0, frame.rows, SLICE_ROWS):
        piece = frame.table.slice(offset, SLICE_ROWS)
        columns = [make(column).to_pylist() for make, column in zip(makers, piece.columns)]
        for values in zip(*columns):
            sheet.append(_cells(sheet, values))


def write_workbook(
    path: Path,
    frame: Frame,
    *,
    translate: Callable[[Text], str],
    labels_sheet: str,
    codebook: tuple[list[str], list[list]],
    report: list[tuple[str, object]],
) -> None:
    """Write the workbook: sheets 'codes', labels_sheet, 'codeboek' and 'verslag'."""
    workbook = Workbook(write_only=True)
    _append_frame(workbook.create_sheet("codes"), frame, None)
    _append_frame(workbook.create_sheet(labels_sheet), frame, translate)
    sheet = workbook.create_sheet("codeboek")
    header, rows = codebook
    sheet.append(_cells(sheet, header))
    for row in rows:
        sheet.append(_cells(sheet, row))
    sheet = workbook.create_sheet("verslag")
    for name, value in report:
        sheet.append(_cells(sheet, [name, value]))
    workbook.save(path)

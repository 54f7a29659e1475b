"""Reading responses into a frame: chunks, versions under one header, filters, odd documents."""

import datetime

import pyarrow as pa
import pytest

from survey_app.catalog import load_package
from survey_app.export.errors import ExportError
from survey_app.export.frame import read_frame, select_versions
from survey_app.models import Questionnaire

from .conftest import PACKAGE_V2, add_response


def test_reading_in_small_chunks_gives_the_same_table(kort):
    for i in range(23):
        add_response(kort, {"kanaal": ["loket", "telefoon"][i % 2], "cijfer": i % 11, "info": ["folder"] if i % 3 else []})
    whole = read_frame([kort])
    chunked = read_frame([kort], chunk_size=4)
    assert chunked.table.equals(whole.table)
    assert whole.rows == 23


def test_two_versions_share_one_header_with_the_union_of_codes(kort):
    add_response(kort, {"kanaal": "loket", "datum_contact": "2025-01-02"})
    load_package(PACKAGE_V2)
    version2 = Questionnaire.get(slug="kort", version=2)
    add_response(version2, {"kanaal": "eloket"})
    frame = read_frame(select_versions("kort"))
    assert frame.versions == (1, 2)
    kanaal = frame.variable("kanaal")
    assert kanaal.values == ("loket", "telefoon", "eloket") and kanaal.versions == (1, 2)
    assert frame.variable("datum_contact").versions == (1,)
    names = [v.name for v in frame.variables]
    assert names.index("datum_contact") == names.index("info_folder") + 1  # after its neighbour in version 1
    assert frame.column("kanaal").to_pylist() == [0, 2]
    assert frame.column("versie").to_pylist() == [0, 1]
    assert frame.column("datum_contact").to_pylist() == [datetime.date(2025, 1, 2), None]


def test_dates_filter_the_responses(kort):
    for day in ("2025-01-31", "2025-02-01", "2025-02-28", "2025-03-01"):
        add_response(kort, {}, day=day)
    frame = read_frame([kort], date_from=datetime.date(2025, 2, 1), date_to=datetime.date(2025, 2, 28))
    assert frame.column("datum").to_pylist() == [datetime.date(2025, 2, 1), datetime.date(2025, 2, 28)]


def test_values_outside_the_questionnaire_are_left_empty_and_counted(kort):
    add_response(kort, {"kanaal": "fax", "cijfer": 4})
    add_response(kort, {"kanaal": 12, "cijfer": "veel"})  # wrong types: read one by one
    frame = read_frame([kort])
    assert frame.column("kanaal").to_pylist() == [None, None]
    assert frame.column("cijfer").to_pylist() == [4, None]
    assert frame.unknown_values == {"kanaal": 1}


def test_free_text_is_not_even_read_unless_asked(kort):
    add_response(kort, {"opmerking": "iets"})
    assert "opmerking" not in read_frame([kort]).table.column_names
    assert read_frame([kort], free_text=True).column("opmerking").to_pylist() == ["iets"]


def test_choices_are_stored_as_small_integer_codes(kort):
    add_response(kort, {"kanaal": "telefoon", "info": ["website"]})
    frame = read_frame([kort])
    assert frame.table.schema.field("kanaal").type == pa.int8()  # one byte a row
    assert frame.column("info_website").to_pylist() == [1]


def test_unknown_questionnaire_and_versions_are_named(kort):
    with pytest.raises(ExportError) as caught:
        select_versions("bestaat-niet")
    assert caught.value.code == "unknown_questionnaire" and "kort" in str(caught.value)
    with pytest.raises(ExportError) as caught:
        select_versions("kort", (1, 7))
    assert caught.value.code == "unknown_versions" and "no version 7" in str(caught.value)

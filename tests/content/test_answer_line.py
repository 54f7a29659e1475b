"""A response's answers as one positional CSV line: the encoding, field by field."""

import csv
import io
from pathlib import Path

import pytest

from survey_app.content.answer_line import answer_line, encode_answer_line, line_fields
from survey_app.content.reader import read_package

from ..conftest import QUESTIONNAIRES

KORT = Path(__file__).resolve().parent.parent / "export" / "package"


@pytest.fixture(scope="module")
def kort():
    definitions, problems = read_package(KORT)
    assert not problems
    return definitions[0]


def test_fields_follow_the_questionnaire_with_one_per_matrix_item_and_one_per_multiple_choice():
    definitions, _ = read_package(QUESTIONNAIRES)
    for definition in definitions:
        names = [f.name for f in line_fields(definition)]
        assert names == definition.variables()
        assert len(set(names)) == len(names)


def test_kort_fields_and_what_they_store(kort):
    assert [(f.name, f.stores) for f in line_fields(kort)] == [
        ("kanaal", "text"),
        ("vriendelijk", "integer"),
        ("cijfer", "integer"),
        ("info", "list"),
        ("datum_contact", "text"),
        ("opmerking", "text"),
        ("geboortejaar", "integer"),
        ("wijk", "text"),
    ]


def test_a_full_response_is_one_line_of_rfc_4180(kort):
    answers = {
        "kanaal": "loket",
        "vriendelijk": 4,
        "cijfer": 0,
        "info": ["website", "folder"],
        "datum_contact": "2025-03-10",
        "opmerking": 'Zeg "hallo",\nen tot ziens',
        "geboortejaar": 1980,
        "wijk": "centrum",
    }
    line = encode_answer_line(kort, answers)
    assert line == 'loket,4,0,website;folder,2025-03-10,"Zeg ""hallo"",\nen tot ziens",1980,centrum'
    assert next(csv.reader(io.StringIO(line, newline=""))) == [
        "loket", "4", "0", "website;folder", "2025-03-10", 'Zeg "hallo",\nen tot ziens', "1980", "centrum"
    ]


def test_empty_answers_are_empty_fields_and_an_empty_choice_is_quoted(kort):
    assert encode_answer_line(kort, {}) == ",,,,,,,"
    assert encode_answer_line(kort, {"info": [], "opmerking": ""}) == ',,,"",,"",,'


def test_values_of_the_wrong_type_are_empty_as_the_json_reader_left_them(kort):
    line = encode_answer_line(kort, {"kanaal": 12, "vriendelijk": True, "cijfer": "veel", "info": "website", "geboortejaar": 1980.0})
    assert line == ",,,,,,,"


def test_text_that_a_reader_could_take_apart_is_quoted():
    fields = line_fields(read_package(KORT)[0][0])[:1]
    for text in ("a,b", 'a"b', "a\rb", "a\nb", "\ufeffa", ""):
        line = answer_line(fields, {"kanaal": text})
        assert line.startswith('"') and next(csv.reader(io.StringIO(line, newline=""))) == [text]
    assert answer_line(fields, {"kanaal": "NA"}) == "NA"  # never taken for empty: only an unquoted empty field is


def test_items_no_option_can_be_are_left_out_of_a_multiple_choice(kort):
    line = encode_answer_line(kort, {"info": ["website", "a;b", "", None, float("inf"), 7]})
    assert line.split(",")[3] == "website;7"


def test_answers_a_line_cannot_hold_give_no_line(kort):
    assert encode_answer_line(kort, {"opmerking": "nul\x00teken"}) is None
    assert encode_answer_line(kort, {"geboortejaar": 2**63}) is None
    assert encode_answer_line(kort, {"geboortejaar": -(2**63)}) is not None


def test_a_document_that_is_not_a_mapping_is_all_empty(kort):
    assert encode_answer_line(kort, ["kanaal"]) == ",,,,,,,"

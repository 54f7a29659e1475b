"""Reading responses into a frame: chunks, versions under one header, filters, odd documents."""

import datetime

import orjson
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survey_app.catalog import load_package
from survey_app.content.answer_line import answer_line, line_fields
from survey_app.content.answers import clean_text
from survey_app.content.reader import VALUE as OPTION_VALUE
from survey_app.content.reader import read_package
from survey_app.export import frame as frame_module
from survey_app.export.errors import ExportError
from survey_app.export.frame import answer_schema, read_frame, select_versions
from survey_app.models import Questionnaire, Response

from ..conftest import QUESTIONNAIRES
from .conftest import PACKAGE, PACKAGE_V2, add_response


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


# Every definition at hand: the six questionnaires (matrices, lists) and the two test versions.
DEFINITIONS = [d for folder in (QUESTIONNAIRES, PACKAGE, PACKAGE_V2) for d in read_package(folder)[0]]
ANY_TEXT = st.text(max_size=30)  # any Unicode: quotes, delimiters, CR, LF, a byte-order mark, NUL
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.floats(allow_nan=False) | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ANY_TEXT, inner, max_size=2),
    max_leaves=6,
)


def _valid_value(question):
    """Return a strategy of the values clean_value stores for a question."""
    values = list(question.answer_values)
    if question.type == "multiple_choice":
        return st.lists(st.sampled_from([str(v) for v in values]), unique=True).map(
            lambda chosen: [str(v) for v in values if str(v) in chosen]
        )
    if question.type in ("single_choice", "agreement", "scale", "matrix"):
        return st.sampled_from(values)
    if question.type in ("number", "year"):
        low = question.minimum if question.minimum is not None else -(10**9)
        high = question.maximum if question.maximum is not None else 10**9
        return st.integers(low, high)
    if question.type == "date":
        return st.dates().map(datetime.date.isoformat)
    return ANY_TEXT.map(clean_text).filter(bool)


@st.composite
def valid_answers(draw, definition):
    answers = {}
    for question in definition.questions():
        names = [question.key] if question.type == "multiple_choice" else list(question.variables)
        for name in names:
            if draw(st.booleans()):
                answers[name] = draw(_valid_value(question))
    return answers


@st.composite
def odd_answers(draw, definition):
    """Answers as a synced or old document might hold them: any JSON value under any variable."""
    names = [f.name for f in line_fields(definition)]
    return draw(st.dictionaries(st.sampled_from(names) | ANY_TEXT, JSON_VALUES, max_size=len(names) + 2))


def _both_ways(definition, documents):
    """Return the answers read from their lines and from their JSON documents, as the export reads them."""
    fields = line_fields(definition)
    schema = answer_schema(definition, free_text=True)
    lines = [answer_line(fields, answers) for answers in documents]
    from_lines = frame_module._parse_lines("\n".join(lines).encode(), len(lines), fields, schema)
    from_json = frame_module._parse_answers(b"\n".join(orjson.dumps(a) for a in documents), len(documents), schema)
    return from_lines, from_json


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_valid_answers_read_from_their_line_as_from_their_document(data):
    definition = data.draw(st.sampled_from(DEFINITIONS))
    documents = data.draw(st.lists(valid_answers(definition), min_size=1, max_size=4))
    from_lines, from_json = _both_ways(definition, documents)
    assert from_lines is not None
    assert from_lines.equals(from_json)


def _as_exported(table, schema):
    """Return the rows, with multiple choices reduced to what the export keeps of them: items that can be options."""
    rows = table.to_pylist()
    for row in rows:
        for f in schema:
            if pa.types.is_list(f.type) and row[f.name] is not None:
                row[f.name] = [item for item in row[f.name] if item is not None and OPTION_VALUE.match(item)]
    return rows


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_odd_documents_read_from_their_line_as_from_their_document(data):
    definition = data.draw(st.sampled_from(DEFINITIONS))
    documents = [d for d in data.draw(st.lists(odd_answers(definition), min_size=1, max_size=4))]
    fields = line_fields(definition)
    documents = [d for d in documents if answer_line(fields, d) is not None]  # those keep to their JSON
    if not documents:
        return
    schema = answer_schema(definition, free_text=True)
    from_lines, from_json = _both_ways(definition, documents)
    assert from_lines is not None
    assert _as_exported(from_lines, schema) == _as_exported(from_json, schema)


MIXED = [
    {"kanaal": "loket", "vriendelijk": 4, "info": ["website", "folder"], "opmerking": 'a "b",\nc', "datum_contact": "2025-01-02"},
    {"kanaal": "fax", "cijfer": 3, "info": [], "opmerking": ""},
    {},
    {"kanaal": 12, "cijfer": "veel", "info": "website", "geboortejaar": 1975, "wijk": "centrum"},
    {"opmerking": "nul\x00teken", "vriendelijk": 9},  # no line can hold it
    {"kanaal": "telefoon", "opmerking": "\ufeffbom, NA", "info": ["folder"]},
]


@pytest.mark.parametrize("chunk_size", [1, 2, 5_000])
def test_responses_with_and_without_a_line_give_the_table_of_their_documents(kort, chunk_size):
    for i, answers in enumerate(MIXED * 3):
        add_response(kort, answers, line=i % 4 != 1)  # every fourth stored before lines existed
    assert Response.select().where(Response.answer_line.is_null()).count() == 5 + 3  # and the three with NUL
    mixed = read_frame([kort], free_text=True, chunk_size=chunk_size)
    Response.update(answer_line=None).execute()
    documents = read_frame([kort], free_text=True, chunk_size=chunk_size)
    assert mixed.table.equals(documents.table)
    assert mixed.unknown_values == documents.unknown_values == {"kanaal": 3}


def test_an_empty_last_field_after_an_empty_quoted_one_stays_empty(kort):
    # Arrow's CSV reader took it for an empty text when the page did not end with a line end.
    add_response(kort, {"kanaal": "loket"})
    add_response(kort, {"wijk": "", "opmerking": ""})
    frame = read_frame([kort], free_text=True)
    assert frame.column("opmerking").to_pylist() == [None, ""]
    assert frame.column("wijk").to_pylist() == [None, None]
    assert frame.unknown_values == {"wijk": 1}


def test_lines_longer_than_a_block_are_read_from_their_documents(kort, monkeypatch):
    monkeypatch.setattr(frame_module, "JSON_BLOCK_SIZE", 64)
    add_response(kort, {"kanaal": "loket", "opmerking": "lang,\n" * 40})
    add_response(kort, {"kanaal": "telefoon", "opmerking": "kort"})
    frame = read_frame([kort], free_text=True)
    assert frame.column("kanaal").to_pylist() == [0, 1]
    assert frame.column("opmerking").to_pylist() == ["lang,\n" * 40, "kort"]


def test_a_page_whose_lines_do_not_fit_the_version_is_read_from_its_documents(kort):
    add_response(kort, {"kanaal": "loket", "cijfer": 7})
    add_response(kort, {"kanaal": "telefoon"})
    Response.update(answer_line="te,weinig").where(Response.id == Response.select(Response.id).limit(1)).execute()
    frame = read_frame([kort])
    assert frame.column("kanaal").to_pylist() == [0, 1]
    assert frame.column("cijfer").to_pylist() == [7, None]


def test_the_form_column_tells_the_short_form_from_the_full_one(empty_app):
    from survey_app.db import database
    from survey_app.export.anonymise import anonymise_frame

    database.connect(reuse_if_open=True)
    load_package(QUESTIONNAIRES)
    row = Questionnaire.get(slug="stedelijke-dienstverlening", state="published")
    for form in ["kort", "volledig", None, "kort"] * 3:  # twelve alike: enough for k in the anonymised export
        add_response(row, {"contact_gehad": "nee"}, form=form)
    frame = read_frame([row])
    vorm = frame.variable("vorm")
    assert vorm.values == ("volledig", "kort")
    assert [label.nl for label in vorm.labels] == ["Volledige vragenlijst", "Korte vragenlijst"]
    # A response stored before the form was kept has none: empty, not counted as either form.
    assert frame.column("vorm").to_pylist() == [1, 0, None, 1] * 3
    anonymised, _ = anonymise_frame(frame, seed=1)
    assert sorted(anonymised.column("vorm").to_pylist(), key=str) == [0] * 3 + [1] * 6 + [None] * 3
    database.close()

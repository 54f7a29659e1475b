"""XLSForm: our questionnaires out and back in unchanged; workbooks made elsewhere read from
their standard columns; pyxform (ODK's converter) accepts what we export."""

import dataclasses
import io

import openpyxl
import pytest

from survey_app.content.reader import build_definition, read_package
from survey_app.content.xlsform import (
    document_yaml, export_xlsform, from_xpath, import_xlsform, to_xpath, write_workbook,
)
from survey_app.content.expressions import parse_expression
from survey_app.content.yamlfile import read_yaml

from ..conftest import QUESTIONNAIRES, ROOT

PACKAGES = [QUESTIONNAIRES, ROOT / "tests" / "fixtures" / "questionnaires" / "v1"]


def definitions():
    for folder in PACKAGES:
        found, problems = read_package(folder)
        assert problems == []
        yield from found


def comparable(definition):
    """Return the definition without what depends on the file (its name, lines, stored mapping)."""
    pages = tuple(
        dataclasses.replace(page, line=None, questions=tuple(dataclasses.replace(q, line=None) for q in page.questions))
        for page in definition.pages
    )
    return dataclasses.replace(definition, pages=pages, file="", source_mapping={})


@pytest.mark.parametrize("definition", list(definitions()), ids=lambda d: f"{d.slug}-v{d.version}")
def test_a_questionnaire_comes_back_whole_from_its_xlsform(definition):
    data = export_xlsform(definition)
    document, problems = import_xlsform(data, file="export.xlsx")
    assert problems == []
    text = document_yaml(document)
    parsed, problems = read_yaml(text, file=definition.file)
    assert problems == []
    back, problems = build_definition(parsed, file=definition.file)
    assert [str(p) for p in problems] == []
    assert comparable(back) == comparable(definition)
    assert back.forms == definition.forms  # not part of a definition's equality


@pytest.mark.parametrize("definition", list(definitions())[:6], ids=lambda d: d.slug)
def test_pyxform_converts_the_export_to_an_xform(definition):
    xls2xform = pytest.importorskip("pyxform.xls2xform")
    warnings = []
    result = xls2xform.convert(export_xlsform(definition), warnings=warnings, file_type=".xlsx")
    assert "<h:html" in result.xform
    assert f"<{definition.slug.replace('-', '_')}" in result.xform or definition.slug in result.xform


def test_translations_become_label_columns_per_language():
    (definition,) = [d for d in definitions() if d.slug == "werk"][:1]
    context = f"werk:{definition.pages[0].questions[0].key}.text"
    data = export_xlsform(definition, translations={"fr": {(context, definition.pages[0].questions[0].text): "Question ?"}})
    sheet = openpyxl.load_workbook(io.BytesIO(data))["survey"]
    header = [cell.value for cell in sheet[1]]
    assert "label::Nederlands (nl)" in header and "label::Français (fr)" in header
    column = header.index("label::Français (fr)")
    assert [row[column] for row in sheet.iter_rows(min_row=2, values_only=True) if row[column]] == ["Question ?"]


@pytest.mark.parametrize(
    ("ours", "xpath"),
    [
        ("kanaal == 'loket'", "${kanaal} = 'loket'"),
        ("'sport' in activiteiten and count(activiteiten) > 1", "((selected(${activiteiten}, 'sport')) and count-selected(${activiteiten}) > 1)"),
        ("not (wijk == 'buiten_genk')", "not(${wijk} = 'buiten_genk')"),
        ("geboortejaar <= year() - 16", "${geboortejaar} <= (number(format-date(today(), '%Y')) - 16)"),
        ("not answered(leeftijd) or jaren <= leeftijd", "(not(string-length(${leeftijd}) > 0) or . <= ${leeftijd})"),
    ],
)
def test_expressions_become_xpath_and_come_back_meaning_the_same(ours, xpath):
    expression = parse_expression(ours)
    assert to_xpath(expression.tree, own="jaren") == xpath
    back = parse_expression(from_xpath(xpath, own="jaren"))
    values = [{}, {"kanaal": "loket", "activiteiten": ["sport", "lezen"], "wijk": "centrum", "geboortejaar": 1950,
                   "leeftijd": 40, "jaren": 12}, {"kanaal": "web", "activiteiten": ["sport"], "wijk": "buiten_genk",
                   "geboortejaar": 2015, "jaren": 50, "leeftijd": 30}]
    for answers in values:
        assert back.is_true(answers) == expression.is_true(answers), answers


def workbook(survey, choices=(), settings=({"form_id": "buurt_enquete", "form_title": "Buurt"},)):
    return write_workbook({"survey": list(survey), "choices": list(choices), "settings": list(settings)})


def test_a_workbook_made_elsewhere_is_read_from_its_standard_columns():
    data = workbook(
        survey=[
            {"type": "begin_group", "name": "start", "label": "Start"},
            {"type": "select_one jn", "name": "woont", "label": "Woont u in Genk?", "required": "yes"},
            {"type": "end_group"},
            {"type": "note", "name": "uitleg", "label": "Nu volgen vragen over uw buurt."},
            {"type": "integer", "name": "jaren", "label": "Hoe lang woont u hier?", "relevant": "${woont} = 'ja'",
             "constraint": ". >= 0 and . <= 100", "constraint_message": "Kijk het getal na."},
            {"type": "text", "name": "idee", "label": "Uw idee?", "appearance": "multiline"},
            {"type": "geopoint", "name": "plek", "label": "Waar?"},
        ],
        choices=[{"list_name": "jn", "name": "ja", "label": "Ja"}, {"list_name": "jn", "name": "nee", "label": "Nee"}],
    )
    document, problems = import_xlsform(data, file="buurt.xlsx")
    assert [str(p) for p in problems] == [
        "buurt.xlsx: survey row 5: note 'uitleg' is not a question. Fix: put its text in a page title, a question's help or the intro",
        "buurt.xlsx: survey row 8: the XLSForm type 'geopoint' of 'plek' has no question type of ours. Fix: leave it out, or make it one of: "
        "date, decimal, integer, range, select_multiple, select_one, text",
    ]
    assert document["slug"] == "buurt-enquete" and document["state"] == "draft"
    start, loose = document["pages"]
    assert start["questions"][0] == {"key": "woont", "type": "single_choice", "text": "Woont u in Genk?", "required": True,
                                     "options": {"ja": "Ja", "nee": "Nee"}, "recommendations": [], "source": "XLSForm"}
    jaren, idee = loose["questions"]
    assert (jaren["show_if"], jaren["constraint"]) == ("woont == 'ja'", "jaren >= 0 and jaren <= 100")
    assert idee["type"] == "long_text"


def test_a_file_that_is_no_workbook_is_refused_clearly():
    _, problems = import_xlsform(b"not a workbook", file="x.xlsx")
    assert [str(p) for p in problems] == ["x.xlsx: this is not an .xlsx workbook (BadZipFile). Fix: save it from a spreadsheet program as .xlsx"]

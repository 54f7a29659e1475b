"""The questionnaire reader: every mistake is named with file, line and fix."""

import textwrap

import pytest

from survey_app.content.reader import read_package
from survey_app.content.types import QUESTION_TYPES

from ..conftest import QUESTIONNAIRES

VALID = """\
slug: proef
version: 1
state: published
title: Proef
table: Denktafel Proef
central_question: Hoe gaat het?
intro: Dit is een proef.
consent: U blijft anoniem.
recommendations:
  PR1: Beter luisteren.
pages:
  - key: een
    title: Eerste pagina
    questions:
      - key: kanaal
        type: single_choice
        text: Hoe had u contact?
        recommendations: [PR1]
        source: Denktafel Proef
        options:
          loket: Aan het loket
          telefoon: Aan de telefoon
  - key: twee
    title: Tweede pagina
    questions:
      - key: tevreden
        type: agreement
        text: Ik ben tevreden.
        recommendations: [PR1]
        source: Denktafel Proef
        show_if: kanaal == 'loket'
"""


def write(tmp_path, text, name="proef.yaml"):
    (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def problems_of(tmp_path, text):
    _, problems = read_package(write(tmp_path, text))
    return [str(p) for p in problems]


def test_the_valid_fixture_reads_without_problems(tmp_path):
    definitions, problems = read_package(write(tmp_path, VALID))
    assert problems == []
    (definition,) = definitions
    assert definition.variables() == ["kanaal", "tevreden"]
    assert definition.question("tevreden").answer_values == (1, 2, 3, 4, 5, 9)


def test_every_file_of_the_content_package_is_valid():
    definitions, problems = read_package(QUESTIONNAIRES)
    assert [str(p) for p in problems] == []
    assert len(definitions) == 6
    for definition in definitions:
        count = sum(1 for _ in definition.questions())
        assert 10 <= count <= 26, (definition.slug, count)
        for question in definition.questions():
            assert set(question.recommendations) <= set(definition.recommendations)
            assert question.source


def test_the_content_package_uses_every_question_type_but_exact_years_and_days():
    definitions, _ = read_package(QUESTIONNAIRES)
    used = {q.type for d in definitions for q in d.questions()}
    # Version 2 asks no exact year or day: with age group and neighbourhood they point to a person.
    assert set(QUESTION_TYPES) - used <= {"year", "date"}


@pytest.mark.parametrize(
    "change, expected",
    [
        (("type: agreement", "type: agreemnt"), "proef.yaml:27: unknown question type 'agreemnt' in question 'tevreden'. Fix: did you mean 'agreement'?"),
        (("key: tevreden", "key: kanaal"), "proef.yaml:26: duplicate question key 'kanaal' (first on line 15)"),
        (("telefoon: Aan de telefoon", "telefoon:"), "proef.yaml:22: option 'telefoon' in question 'kanaal' has no label. Fix: write the label after 'telefoon:'"),
        (("kanaal == 'loket'", "kanal == 'loket'"), "show_if of question 'tevreden' uses 'kanal', which is not a question"),
        (("kanaal == 'loket'", "kanaal == 'loket' and"), "proef.yaml:31: 'show_if' of question 'tevreden' cannot be read"),
        (("recommendations: [PR1]\n        source: Denktafel Proef\n        show_if", "recommendations: [PR9]\n        source: Denktafel Proef\n        show_if"), "follows up 'PR9', which is not a recommendation"),
        (("title: Proef\n", "titel: Proef\n"), "proef.yaml:4: unknown key 'titel' in the questionnaire. Fix: did you mean 'title'?"),
        (("slug: proef", "slug: andere"), "slug 'andere' differs from the file name"),
        (("state: published", "state: gepubliceerd"), "unknown state 'gepubliceerd'"),
        (("version: 1", "version: een"), "'version' of the questionnaire must be a whole number"),
        (("  - key: twee", "    bad: [\n  - key: twee"), "this is not valid YAML"),
    ],
)
def test_mistakes_are_reported_with_file_line_and_fix(tmp_path, change, expected):
    old, new = change
    assert old in VALID
    found = problems_of(tmp_path, VALID.replace(old, new, 1))
    assert any(expected in p for p in found), found


def test_yes_and_no_stay_text_in_option_values(tmp_path):
    text = VALID.replace("loket: Aan het loket", "no: Nee").replace("kanaal == 'loket'", "kanaal == 'no'")
    definitions, problems = read_package(write(tmp_path, text))
    assert problems == []
    assert definitions[0].question("kanaal").options[0].value == "no"


def test_unknown_option_list_names_the_lists_that_exist(tmp_path):
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "wijken.yaml").write_text("centrum: Centrum\n")
    text = VALID.replace("        options:\n          loket: Aan het loket\n          telefoon: Aan de telefoon\n", "        options_from: wijk\n")
    found = problems_of(tmp_path, text)
    assert any("unknown option list 'wijk'" in p and "(wijken)" in p for p in found), found


def test_a_file_that_is_not_utf8_is_reported(tmp_path):
    (tmp_path / "proef.yaml").write_bytes(b"slug: \xff\xfe\n")
    _, problems = read_package(tmp_path)
    assert "not UTF-8" in str(problems[0])


# --- modules: one page defined once and included by several questionnaires --------------

MODULE = """\
key: profiel
title: Over uzelf
questions:
  - key: wijk
    type: single_choice
    text: Waar woont u?
    quasi_identifier: true
    recommendations: []
    source: Profielvraag
    options_from: wijken
"""

GROUPED_LIST = """\
noord:
  label: Genk-Noord
  options:
    waterschei: Waterschei
    zwartberg: Zwartberg
buiten:
  label: Buiten Genk
  options:
    buiten_genk: Ik woon niet in Genk
"""


def with_module(tmp_path, module=MODULE, listing=GROUPED_LIST, include="profiel"):
    (tmp_path / "modules").mkdir(exist_ok=True)
    (tmp_path / "modules" / "profiel.yaml").write_text(module, encoding="utf-8")
    (tmp_path / "lists").mkdir(exist_ok=True)
    (tmp_path / "lists" / "wijken.yaml").write_text(listing, encoding="utf-8")
    write(tmp_path, VALID + f"  - include: {include}\n")
    write(tmp_path, VALID.replace("slug: proef", "slug: tweede") + f"  - include: {include}\n", name="tweede.yaml")
    return tmp_path


def test_an_included_module_becomes_a_page_of_each_questionnaire(tmp_path):
    definitions, problems = read_package(with_module(tmp_path))
    assert problems == []
    for definition in definitions:
        assert [p.key for p in definition.pages] == ["een", "twee", "profiel"]
        assert definition.question("wijk").quasi_identifier
        # What a version stores is whole: the module's page, not the include.
        assert definition.source_mapping["pages"][-1]["key"] == "profiel"
        assert definition.source_mapping["pages"][-1]["questions"][0]["options"]["noord"]["label"] == "Genk-Noord"


def test_a_grouped_list_gives_each_option_its_district(tmp_path):
    definitions, _ = read_package(with_module(tmp_path))
    wijk = definitions[0].question("wijk")
    assert [(o.value, o.group, o.group_label) for o in wijk.options] == [
        ("waterschei", "noord", "Genk-Noord"),
        ("zwartberg", "noord", "Genk-Noord"),
        ("buiten_genk", "buiten", "Buiten Genk"),
    ]
    assert wijk.answer_values == ("waterschei", "zwartberg", "buiten_genk")


def test_an_unknown_module_is_named_with_file_line_and_the_modules_that_exist(tmp_path):
    found = problems_of(with_module(tmp_path, include="profile"), VALID + "  - include: profile\n")
    assert "proef.yaml:32: unknown module 'profile' in 'include'. Fix: use one of the modules in modules/ (profiel), or add modules/profile.yaml" in found


def test_a_mistake_in_a_module_names_the_module_file_and_its_line(tmp_path):
    broken = MODULE.replace("type: single_choice", "type: single_choise")
    _, problems = read_package(with_module(tmp_path, module=broken))
    found = [str(p) for p in problems]
    assert "modules/profiel.yaml:5: unknown question type 'single_choise' in question 'wijk'. Fix: did you mean 'single_choice'?" in found


def test_a_question_of_a_module_that_a_questionnaire_also_asks_is_a_duplicate(tmp_path):
    with_module(tmp_path)
    text = VALID.replace("key: tevreden", "key: wijk").replace("show_if: kanaal == 'loket'", "show_if: kanaal == 'loket'") + "  - include: profiel\n"
    found = problems_of(tmp_path, text)
    assert any(p.startswith("modules/profiel.yaml:4: duplicate question key 'wijk' (first on line 26)") for p in found), found


def test_a_group_without_options_is_reported(tmp_path):
    _, problems = read_package(with_module(tmp_path, listing="noord:\n  label: Genk-Noord\n"))
    assert any("group 'noord' in question 'wijk' needs 'label:' and 'options:'" in str(p) for p in problems), problems


def test_an_unknown_source_kind_is_reported(tmp_path):
    text = VALID.replace("source: Denktafel Proef\n        show_if", "source: Denktafel Proef\n        source_kind: letterlijk\n        show_if")
    found = problems_of(tmp_path, text)
    assert any("unknown source_kind 'letterlijk' in question 'tevreden'. Fix: write verbatim" in p for p in found), found


# --- forms and consent per mode ---------------------------------------------------------

WITH_FORMS = VALID.replace(
    "recommendations:\n  PR1",
    "consent_assisted: Een medewerker vult de antwoorden met u in.\nforms:\n  kort: [kanaal]\nrecommendations:\n  PR1",
)


def test_a_short_form_keeps_its_questions_under_the_same_variable_names(tmp_path):
    definitions, problems = read_package(write(tmp_path, WITH_FORMS))
    assert problems == []
    (definition,) = definitions
    short = definition.form("kort")
    assert short.variables() == ["kanaal"] and short.form_name == "kort"
    assert [p.key for p in short.pages] == ["een"]  # a page left without questions drops out
    assert definition.form("volledig") is definition and definition.form(None) is definition
    assert definition.consent_for("assisted") == ("consent_assisted", "Een medewerker vult de antwoorden met u in.")
    assert definition.consent_for("self") == ("consent", "U blijft anoniem.")


@pytest.mark.parametrize(
    "form, expected",
    [
        ("[kanal]", "form 'kort' names 'kanal', which is not a question of this file. Fix: did you mean 'kanaal'?"),
        ("[tevreden]", "form 'kort' keeps 'tevreden', whose skip logic or constraint uses 'kanaal', which the form leaves out. Fix: add 'kanaal' to form 'kort', or leave 'tevreden' out of it"),
        ("[]", "form 'kort' names no questions"),
    ],
)
def test_a_form_that_names_an_unknown_question_or_breaks_skip_logic_is_reported(tmp_path, form, expected):
    found = problems_of(tmp_path, WITH_FORMS.replace("kort: [kanaal]", f"kort: {form}"))
    assert any(p.startswith("proef.yaml:11: ") and expected in p for p in found), found

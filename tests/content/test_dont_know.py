"""'Weet ik niet' on an agreement scale: its own code (8), apart from 'niet van toepassing' (9).

Residents cannot judge some statements (review point 7: `divers_team`, `meertalig`,
`school_kansen`, `info_ervaring_overzicht`); forcing them onto the scale or onto 'niet van
toepassing' makes the figure wrong. These tests cover the content package's side: reading,
the answers allowed, the estimate, the method rule and the XLSForm round trip.
"""

import textwrap

import pytest

from survey_app.content.answers import check_page
from survey_app.content.duration import DONT_KNOW_WORDS, count_words, question_words
from survey_app.content.methodology import has_way_out
from survey_app.content.reader import read_package
from survey_app.content.types import DONT_KNOW, NOT_APPLICABLE, OFF_SCALE
from survey_app.content.xlsform import export_xlsform, import_xlsform

from ..conftest import QUESTIONNAIRES

FILE = """\
slug: proef
version: 1
state: draft
title: Proef
table: Denktafel Proef
central_question: Hoe gaat het?
intro: Dit is een proef.
consent: We vragen niet naar uw naam.
recommendations:
  PR1: Beter luisteren.
pages:
  - key: een
    title: Eerste pagina
    questions:
      - key: divers
        type: agreement
        text: Aan het loket werken mensen met verschillende achtergronden.
        dont_know: true
        recommendations: [PR1]
        source: Denktafel Proef
      - key: zonder
        type: agreement
        text: Ik ben tevreden.
        dont_know: true
        not_applicable: false
        recommendations: [PR1]
        source: Denktafel Proef
      - key: info
        type: matrix
        text: Wat vindt u van de informatie?
        scale: agreement
        dont_know: true
        items:
          vinden: Ik vind makkelijk informatie.
          overzicht: Er is één overzicht.
        recommendations: [PR1]
        source: Denktafel Proef
      - key: gewoon
        type: agreement
        text: Ik voel me thuis.
        recommendations: [PR1]
        source: Denktafel Proef
"""


def read(tmp_path, text=FILE):
    (tmp_path / "proef.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    definitions, problems = read_package(tmp_path)
    return definitions, [str(p) for p in problems]


def test_dont_know_is_its_own_code_beside_not_applicable(tmp_path):
    (definition,), problems = read(tmp_path)
    assert problems == []
    assert DONT_KNOW == 8 and OFF_SCALE == (DONT_KNOW, NOT_APPLICABLE)
    assert definition.question("divers").answer_values == (1, 2, 3, 4, 5, 8, 9)
    assert definition.question("zonder").answer_values == (1, 2, 3, 4, 5, 8)
    assert definition.question("info").answer_values == (1, 2, 3, 4, 5, 8, 9)
    # Off by default: only where residents cannot judge.
    assert definition.question("gewoon").answer_values == (1, 2, 3, 4, 5, 9)


def test_an_answer_of_8_is_accepted_only_where_dont_know_is_offered(tmp_path):
    (definition,), _ = read(tmp_path)
    page = definition.pages[0]
    answers, errors = check_page(page, {}, {"divers": ["8"], "info_overzicht": ["8"], "gewoon": ["8"]})
    assert answers["divers"] == 8 and answers["info_overzicht"] == 8
    assert "gewoon" in errors and "divers" not in errors


def test_dont_know_on_a_matrix_with_its_own_options_is_a_mistake(tmp_path):
    text = FILE.replace("        scale: agreement\n        dont_know: true\n", "        dont_know: true\n        options:\n          ja: Ja\n          nee: Nee\n")
    _, problems = read(tmp_path, text)
    assert any("'dont_know' but its items are not on the agreement scale" in p and "weet_niet" in p for p in problems), problems


def test_dont_know_on_another_type_is_an_unknown_key(tmp_path):
    text = FILE.replace("      - key: gewoon\n        type: agreement\n", "      - key: gewoon\n        type: scale\n        dont_know: true\n")
    _, problems = read(tmp_path, text)
    assert any("dont_know" in p for p in problems), problems


def test_the_estimate_counts_the_words_of_dont_know(tmp_path):
    (definition,), _ = read(tmp_path)
    with_it, without = definition.question("divers"), definition.question("gewoon")
    extra = question_words(with_it) - count_words(with_it.text) - (question_words(without) - count_words(without.text))
    assert extra == count_words(DONT_KNOW_WORDS) == 3


def test_dont_know_is_a_way_out_for_a_required_question(tmp_path):
    (definition,), _ = read(tmp_path)
    assert has_way_out(definition.question("zonder"))  # no 'not applicable', but 'weet ik niet'


def test_xlsform_round_trip_keeps_dont_know(tmp_path):
    (definition,), _ = read(tmp_path)
    document, problems = import_xlsform(export_xlsform(definition))
    assert [p for p in problems if "dont_know" in str(p)] == []
    questions = {q["key"]: q for page in document["pages"] for q in page["questions"]}
    assert questions["divers"]["dont_know"] is True and questions["info"]["dont_know"] is True
    assert "dont_know" not in questions["gewoon"] or questions["gewoon"]["dont_know"] is False


@pytest.mark.parametrize(
    "slug, key",
    [
        ("stedelijke-dienstverlening", "divers_team"),
        ("onderwijs", "school"),
        ("vrije-tijd", "info_ervaring"),
    ],
)
def test_the_items_residents_cannot_judge_offer_dont_know(slug, key):
    definitions, problems = read_package(QUESTIONNAIRES)
    assert problems == []
    definition = next(d for d in definitions if d.slug == slug)
    assert DONT_KNOW in definition.question(key).answer_values

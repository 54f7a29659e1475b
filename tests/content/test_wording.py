"""Skip logic in words: each shape of a show_if says the same thing as the expression."""

import textwrap

import pytest

from survey_app.content.expressions import parse_expression
from survey_app.content.reader import build_definition
from survey_app.content.wording import Wording
from survey_app.content.yamlfile import read_yaml

DOCUMENT = """\
slug: proef
version: 1
state: draft
title: Proef
table: Denktafel Proef
central_question: Hoe gaat het?
intro: Dit is een proef.
consent: U blijft anoniem.
recommendations:
  PR1: Beter luisteren.
pages:
  - key: een
    title: Een
    questions:
      - key: kanaal
        type: single_choice
        text: Hoe had u contact?
        options:
          loket: Aan het loket
          web: Op de website
          brief: Met een brief
        recommendations: []
        source: Denktafel Proef
      - key: kinderen
        type: multiple_choice
        text: Naar welke school gaan uw kinderen?
        options:
          kleuter: Kleuterschool
          lager: Lagere school
        recommendations: []
        source: Denktafel Proef
      - key: geboortejaar
        type: year
        text: In welk jaar bent u geboren?
        recommendations: []
        source: Denktafel Proef
      - key: buurt
        type: matrix
        text: Wat vindt u van uw buurt?
        scale: agreement
        items:
          veilig: Ik voel me veilig.
        recommendations: []
        source: Denktafel Proef
"""


@pytest.fixture(scope="module")
def wording():
    document, _ = read_yaml(textwrap.dedent(DOCUMENT), file="proef.yaml")
    definition, problems = build_definition(document, file="proef.yaml")
    assert problems == []
    return Wording(definition)


@pytest.mark.parametrize(
    ("expression", "words"),
    [
        ("kanaal == 'loket'", "u bij vraag 1 'Aan het loket' koos"),
        ("'loket' == kanaal", "u bij vraag 1 'Aan het loket' koos"),
        ("kanaal != 'loket'", "u bij vraag 1 niet 'Aan het loket' koos"),
        ("not (kanaal == 'loket')", "u bij vraag 1 niet 'Aan het loket' koos"),
        ("kanaal in ['loket', 'web']", "u bij vraag 1 'Aan het loket' of 'Op de website' koos"),
        ("kanaal not in ['loket', 'web']", "u bij vraag 1 niet 'Aan het loket' of 'Op de website' koos"),
        ("'lager' in kinderen", "u bij vraag 2 'Lagere school' aankruiste"),
        ("not ('lager' in kinderen)", "u bij vraag 2 'Lagere school' niet aankruiste"),
        ("'kleuter' in kinderen or 'lager' in kinderen", "u bij vraag 2 'Kleuterschool' of 'Lagere school' aankruiste"),
        ("kanaal == 'web' and 'lager' in kinderen", "u bij vraag 1 'Op de website' koos en u bij vraag 2 'Lagere school' aankruiste"),
        ("geboortejaar <= year() - 65", "uw antwoord op vraag 3 hoogstens dit jaar - 65 is"),
        ("65 < geboortejaar", "uw antwoord op vraag 3 meer dan 65 is"),
        ("count(kinderen) >= 2", "het aantal antwoorden bij vraag 2 minstens 2 is"),
        ("answered(geboortejaar)", "u vraag 3 beantwoordde"),
        ("geboortejaar == null", "u vraag 3 niet beantwoordde"),
        ("buurt_veilig >= 4", "uw antwoord op vraag 4 (Ik voel me veilig.) minstens 4 is"),
        ("not (count(kinderen) > 1)", "het niet zo is dat het aantal antwoorden bij vraag 2 meer dan 1 is"),
    ],
)
def test_a_condition_is_worded(wording, expression, words):
    assert wording.condition(parse_expression(expression)) == words


def test_a_shape_without_words_is_shown_as_written(wording):
    assert wording.condition(parse_expression("kanaal")) == "kanaal"
    assert wording.condition(parse_expression("kanaal == true")) == "kanaal == true"


def test_pages_and_questions_get_a_whole_sentence(wording):
    expression = parse_expression("kanaal == 'brief'")
    assert wording.show_page(expression) == "Vul deze pagina alleen in als u bij vraag 1 'Met een brief' koos."
    assert wording.show_question(expression) == "Beantwoord deze vraag alleen als u bij vraag 1 'Met een brief' koos."


def test_the_phrases_and_labels_come_from_the_callers_language():
    document, _ = read_yaml(textwrap.dedent(DOCUMENT), file="proef.yaml")
    definition, _ = build_definition(document, file="proef.yaml")
    french = {
        "Beantwoord deze vraag alleen als %(condition)s.": "Répondez seulement si %(condition)s.",
        "u bij vraag %(number)s %(answers)s koos": "vous avez choisi %(answers)s à la question %(number)s",
        "%(left)s of %(right)s": "%(left)s ou %(right)s",
    }
    wording = Wording(definition, translate=lambda s: french.get(s, s), answer_label=lambda key, value: value.upper())
    expression = parse_expression("kanaal in ['loket', 'web']")
    assert wording.show_question(expression) == "Répondez seulement si vous avez choisi 'LOKET' ou 'WEB' à la question 1."

"""The checker rule for identifying questions: years, dates, counts and telling choices must count towards k."""

from pathlib import Path

import pytest

from survey_app.content.identifying import identifying_problems, identifying_reason
from survey_app.content.reader import build_definition, read_package
from survey_app.content.yamlfile import read_yaml

ROOT = Path(__file__).resolve().parents[2]

QUESTIONNAIRE = """\
slug: proef
version: 1
state: draft
title: Proef
table: Proef
central_question: Proef?
intro: Proef.
consent: Proef.
recommendations:
  WE1: Iets.
pages:
  - key: een
    title: Een
    questions:
{questions}
"""


def definition_with(question: str):
    text = QUESTIONNAIRE.format(questions="\n".join("      " + line for line in question.strip().splitlines()))
    document, problems = read_yaml(text, file="proef.yaml")
    assert not problems
    definition, problems = build_definition(document, file="proef.yaml")
    assert not problems, problems
    return definition


@pytest.mark.parametrize(
    "question, reason",
    [
        ("type: year\ntext: In welk jaar solliciteerde u?", "a year"),
        ("type: date\ntext: Op welke dag?", "a date"),
        ("type: number\ntext: Hoe vaak?", "a count or number"),
        ("type: single_choice\ntext: Hoe ver kwam u bij uw sollicitatie?\noptions: {a: A, b: B}", "a choice about 'hoe ver'"),
    ],
)
def test_an_unmarked_identifying_question_is_reported_with_file_line_and_fix(question, reason):
    definition = definition_with(f"- key: vraag\n  recommendations: []\n  source: Denktafel\n  " + question.replace("\n", "\n  "))
    assert identifying_reason(definition.question("vraag")) == reason
    [problem] = identifying_problems(definition)
    assert str(problem).startswith(f"proef.yaml:15: question 'vraag' asks {reason}")
    assert "Fix: add 'quasi_identifier: true'" in str(problem)


@pytest.mark.parametrize("extra", ["quasi_identifier: true", "not_quasi_identifier: Iedereen antwoordt hetzelfde jaar."])
def test_a_marked_or_explained_question_passes(extra):
    definition = definition_with(f"- key: vraag\n  type: year\n  text: Welk jaar?\n  recommendations: []\n  source: Denktafel\n  {extra}")
    assert identifying_problems(definition) == []


def test_marking_and_explaining_at_once_is_a_mistake():
    definition = definition_with(
        "- key: vraag\n  type: year\n  text: Welk jaar?\n  recommendations: []\n  source: Denktafel\n"
        "  quasi_identifier: true\n  not_quasi_identifier: omdat"
    )
    [problem] = identifying_problems(definition)
    assert "keep one of" in problem.fix


def test_an_ordinary_choice_is_not_identifying():
    definition = definition_with(
        "- key: tevreden\n  type: single_choice\n  text: Bent u tevreden?\n  options: {ja: Ja, nee: Nee}\n"
        "  recommendations: []\n  source: Denktafel"
    )
    assert identifying_problems(definition) == []


def test_the_six_questionnaires_mark_every_identifying_question():
    definitions, problems = read_package(ROOT / "questionnaires")
    assert not problems
    assert [str(p) for d in definitions for p in identifying_problems(d)] == []
    werk = next(d for d in definitions if d.slug == "werk")
    # Version 2 asks the number of applications as a group and the stage reached; both are marked.
    assert {q.key for q in werk.questions() if q.quasi_identifier} >= {"sollicitaties_groep", "stap_bereikt"}

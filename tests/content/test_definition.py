"""Question's derived values are kept per object (functools.cached_property): always what the fields give."""

from dataclasses import replace

from survey_app.content.definition import Option, Question
from survey_app.content.reader import read_package

from ..conftest import QUESTIONNAIRES


def fresh(question: Question, name: str):
    """The property computed anew, not the kept value."""
    return type(question).__dict__[name].func(question)


def test_kept_variables_and_answer_values_are_what_every_question_of_the_package_gives():
    definitions, problems = read_package(QUESTIONNAIRES)
    assert not problems
    for definition in definitions:
        for page in definition.pages:
            for question in page.questions:
                for name in ("variables", "answer_values"):
                    assert getattr(question, name) == fresh(question, name) == getattr(question, name)


def test_a_changed_copy_computes_its_own():
    matrix = Question("tevreden", "matrix", "Hoe tevreden?", items=(Option("a", "A"), Option("b", "B")), scale="agreement")
    assert matrix.variables == ("tevreden_a", "tevreden_b") and 8 not in matrix.answer_values
    other = replace(matrix, key="blij", items=(Option("c", "C"),), dont_know=True)
    assert other.variables == ("blij_c",) and 8 in other.answer_values
    assert matrix.variables == ("tevreden_a", "tevreden_b")
    # Equality and hashing still follow the fields only.
    assert matrix == replace(other, key="tevreden", items=matrix.items, dont_know=False)
    assert hash(matrix) == hash(replace(matrix))

"""Accepted answers for a questionnaire's questions, as a resident would give them.

Without Flask or pytest: the load run and the tests (tests/resident.py) answer every page
of every questionnaire validly with the same choices.
"""

import datetime

from survey_app.content.answers import clean_value, is_shown, visible_pages
from survey_app.content.definition import Definition, Question


def candidates(question: Question):
    """Yield raw answers to try for a question, most ordinary first."""
    if question.type == "multiple_choice":
        for value in question.answer_values:
            if str(value) not in question.exclusive:
                yield [str(value)]
        yield [str(question.answer_values[0])]
    elif question.answer_values:
        values = list(question.answer_values)
        yield [str(values[len(values) // 2])]
        for value in values:
            yield [str(value)]
    elif question.type in ("number", "year"):
        low = question.minimum if question.minimum is not None else 0
        high = question.maximum if question.maximum is not None else low + 100
        for value in ((low + high) // 2, low, high, 1, 1970):
            yield [str(value)]
    elif question.type == "date":
        yield [question.maximum or datetime.date.today().isoformat()]
        yield [question.minimum or "2020-01-01"]
    else:
        yield ["Een gewoon antwoord"]


def answer_for(question: Question, known: dict) -> dict[str, list[str]]:
    """Return {variable: raw list} for an accepted answer to question; adds it to known."""
    result = {}
    for name in question.variables:
        for raw in candidates(question):
            value, error = clean_value(question, raw)
            if error or value is None:
                continue
            if question.constraint and not question.constraint.is_true({**known, name: value}):
                continue
            result[name] = raw
            known[name] = value
            break
    return result


def answer_page(
    definition: Definition, number: int, known: dict
) -> tuple[dict[str, list[str]], bool]:
    """Return (the raw answers for visible page number, whether it is the last page); adds them to known."""
    pages = visible_pages(definition, known)
    answers = {}
    for question in pages[number - 1].questions:
        if is_shown(question, known):
            answers.update(answer_for(question, known))
    return answers, number == len(visible_pages(definition, known))

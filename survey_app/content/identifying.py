"""Questions whose exact answer can point to one resident, when joined with a file someone else holds.

A year, a date or a count (the year of the last application, how often someone applied) is
in the city's own files; so is a choice among a few steps of a procedure (how far an
application got). Such a question must count towards k in every anonymised release
(`quasi_identifier: true`), or say why not (`not_quasi_identifier: <why>`). The rule is one
table, so the checker, the README and the tests read the same words.
"""

import re

from .definition import Definition, Question
from .problems import Problem

# Types whose answer is exact and found in other files: always identifying.
IDENTIFYING_TYPES = {
    "year": "a year",
    "date": "a date",
    "number": "a count or number",
}
# A single choice is identifying when its key or text names a fact that other files hold:
# a step reached in a procedure, an age, a household, a neighbourhood, a gender.
IDENTIFYING_CHOICE = re.compile(
    r"\b(?:hoe ver|stap|stappen|fase|stadium|hoe oud|leeftijd|geslacht|wijk|huishouden|woont u samen"
    r"|kinderen|nationaliteit|geboorteland|diploma|beroep)\b",
    re.IGNORECASE,
)


def identifying_reason(question: Question) -> str | None:
    """Return what makes a question identifying ("a year", ...), or None when it is not."""
    if question.type in IDENTIFYING_TYPES:
        return IDENTIFYING_TYPES[question.type]
    if question.type == "single_choice":
        found = IDENTIFYING_CHOICE.search(question.key.replace("_", " ")) or IDENTIFYING_CHOICE.search(question.text)
        if found:
            return f"a choice about '{found.group(0).lower()}'"
    return None


def identifying_problems(definition: Definition) -> list[Problem]:
    """Return a problem for each identifying question that is neither marked nor explained."""
    problems = []
    for question in definition.questions():
        if question.quasi_identifier and question.not_quasi_identifier:
            problems.append(
                Problem(
                    definition.file,
                    question.line,
                    f"question '{question.key}' is marked 'quasi_identifier' and also says why it is not one",
                    "keep one of 'quasi_identifier: true' and 'not_quasi_identifier'",
                )
            )
            continue
        if question.quasi_identifier or question.not_quasi_identifier:
            continue
        reason = identifying_reason(question)
        if reason:
            problems.append(
                Problem(
                    definition.file,
                    question.line,
                    f"question '{question.key}' asks {reason}, which can point to one resident in someone else's files, "
                    "but it is not a quasi-identifier",
                    "add 'quasi_identifier: true' to the question, or 'not_quasi_identifier: <why it cannot point to anyone>'",
                )
            )
    return problems

"""Rules of questionnaire method that `questionnaires check` applies to a well-formed file.

Each rule finds, where a rule can, a defect that the content review of version 1 found by hand
(docs: questionnaires/README.md, 'Method rules'): a required question without a way out for
people whom a filter lets through, a constraint that blocks an answer the earlier questions
allow, a date without an upper bound, a 'verbatim' item whose words differ from its source, and
a consent text whose minutes differ from the estimate. Each is a Problem with file, line and fix.
No Flask.
"""

import itertools
import math
import re
import string
from collections.abc import Iterator

from .definition import Definition, Question
from .duration import estimate
from .expressions import Expression
from .paths import MAX_LEAVES, answer_combinations, candidates, shown
from .problems import Problem

# Option values that let a resident say a question does not apply to them, or that they cannot
# judge it. "Nooit" (never) is not one: people without children who must say they never use
# youth activities depress the figure (review, vrije-tijd `gebruik_jeugd`).
WAY_OUT_VALUES = frozenset(
    {
        "nvt",
        "niet_van_toepassing",
        "weet_niet",
        "weet_niet_meer",
        "niet_weten",
        "geen",
        "geen_antwoord",
        "zeg_niet",
        "zeg_liever_niet",
        "niets",
        "niet_nodig",
    }
)
VERBATIM = re.compile(r"\b(?:verbatim|letterlijk)\b", re.IGNORECASE)
OVERSTATED = 1.5  # a consent may round up, but not promise half as long again as the longest path
MINUTES = re.compile(r"(\d+)\s*minu(?:ut|ten)\b", re.IGNORECASE)


def method_problems(definition: Definition) -> list[Problem]:
    """Return the method problems of one questionnaire, in the order of the file."""
    problems: list[Problem] = []
    for rule in RULES:
        problems += rule(definition)
    return sorted(problems, key=lambda p: p.line or 0)


def has_way_out(question: Question) -> bool:
    """Return whether a resident to whom the question does not apply has an answer to give."""
    if question.type == "agreement" or (question.type == "matrix" and question.scale == "agreement"):
        return question.not_applicable or getattr(question, "dont_know", False)
    return any(str(value) in WAY_OUT_VALUES for value in question.answer_values)


def _filters(definition: Definition) -> Iterator[tuple[int, str, int | None, Expression]]:
    """Yield (position, key, line, show_if) of every filtered page and question, in order."""
    position = 0
    for page in definition.pages:
        if page.show_if:
            yield position, f"page '{page.key}'", page.line, page.show_if
        for question in page.questions:
            if question.show_if:
                yield position, f"question '{question.key}'", question.line, question.show_if
            position += 1


def _positions(definition: Definition) -> dict[str, int]:
    order, position = {}, 0
    for page in definition.pages:
        for question in page.questions:
            for name in question.variables:
                order[name] = position
            position += 1
    return order


def required_without_way_out(definition: Definition) -> list[Problem]:
    """A required question without 'not applicable', shown to people whom a later filter on an
    earlier answer leaves out: the questionnaire itself says the question may not apply to them."""
    order = _positions(definition)
    filters = list(_filters(definition))
    # A filter question is asked of everyone who reaches it: it finds out what applies to them.
    drivers = {name for *_, condition in filters for name in condition.names}
    found: dict[str, Problem] = {}
    for values in itertools.islice(answer_combinations(definition), MAX_LEAVES):
        visible = {q.key for _, questions in shown(definition, values) for q in questions}
        for question in definition.questions():
            if (question.key in found or not question.required or question.key not in visible
                    or has_way_out(question) or drivers & set(question.variables)):
                continue
            here = order[question.key]
            for position, what, _, condition in filters:
                if position < here or not condition.names or condition.is_true(values):
                    continue
                if all(order.get(name, here) < here for name in condition.names):
                    found[question.key] = Problem(
                        definition.file,
                        question.line,
                        f"question '{question.key}' is required and has no 'not applicable' answer, but it is shown "
                        f"to people whom {what} leaves out ({condition.source})",
                        f"add a 'not applicable' answer (like 'nvt: Niet van toepassing'), give '{question.key}' "
                        f"the show_if of {what}, or make it optional",
                    )
                    break
    return list(found.values())


def _domain(question: Question, name: str, expressions: list[Expression]) -> list:
    """Return the answers of a question to try against a constraint: its ends and the values
    near every number the constraint names."""
    if question.type == "multiple_choice":
        return candidates(question, name, expressions)
    if question.answer_values:
        return list(question.answer_values)
    if question.type in {"number", "year"}:
        tried = [v for v in candidates(question, name, expressions) if v is not None]
        ends = [v for v in (question.minimum, question.maximum) if isinstance(v, int)]
        return sorted(set(tried + ends)) or [0]
    if question.type == "date":
        return [v for v in (question.minimum, question.maximum) if v] or ["2000-01-01"]
    return [v for v in candidates(question, name, expressions) if v is not None]


def blocking_constraints(definition: Definition) -> list[Problem]:
    """A constraint that, for an answer the earlier questions allow (or leave empty), accepts no
    answer at all to its own question."""
    questions = {name: q for q in definition.questions() for name in q.variables}
    order = _positions(definition)
    conditional = _conditional(definition)
    problems = []
    for question in definition.questions():
        constraint = question.constraint
        if constraint is None:
            continue
        earlier = sorted(n for n in constraint.names if n in questions and questions[n].key != question.key)
        tries = []
        for name in earlier:
            other = questions[name]
            values = [v for v in _domain(other, name, [constraint]) if v is not None]
            if not other.required or other.key in conditional:
                values.append(None)
            tries.append(values)
        for name in question.variables:
            own = _domain(question, name, [constraint])
            for combination in itertools.product(*tries):
                values = dict(zip(earlier, combination))
                if any(constraint.is_true({**values, name: answer}) for answer in own):
                    continue
                problems.append(_blocking_problem(definition, question, constraint, values, order))
                break
            else:
                continue
            break
        problems += _count_problems(definition, question, constraint, questions)
    return problems


def _blocking_problem(definition, question, constraint, values, order) -> Problem:
    empty = [name for name, value in values.items() if value is None]
    if empty:
        name = empty[0]
        return Problem(
            definition.file,
            question.line,
            f"the constraint of question '{question.key}' ({constraint.source}) accepts no answer when "
            f"'{name}' has no answer, which it may not have",
            f"let it allow for that: 'not answered({name}) or ...'",
        )
    told = ", ".join(f"{name} = {value!r}" for name, value in sorted(values.items(), key=lambda i: order.get(i[0], 0)))
    return Problem(
        definition.file,
        question.line,
        f"the constraint of question '{question.key}' ({constraint.source}) accepts no answer when {told}, "
        "which the earlier question allows",
        f"widen the constraint or the range of '{question.key}', or take that answer out of the earlier question",
    )


def _count_problems(definition, question, constraint, questions) -> list[Problem]:
    """count() of a multiple choice counts the options chosen, not people or things: one child
    can go to 'lagere school' and 'buitengewoon onderwijs' (review, onderwijs `aantal_kinderen`)."""
    if question.type != "number":
        return []
    counted = sorted({node[2][0][1] for node in _calls(constraint.tree, "count")
                      if node[2] and node[2][0][0] == "name"})
    problems = []
    for name in counted:
        other = questions.get(name)
        if other is None or other.type != "multiple_choice":
            continue
        problems.append(
            Problem(
                definition.file,
                question.line,
                f"the constraint of question '{question.key}' ({constraint.source}) compares a number with the "
                f"options chosen in '{name}', but one person or thing can fit several of its options",
                "drop the constraint, or ask the number per option",
            )
        )
    return problems


def _calls(node, function: str) -> Iterator[tuple]:
    if isinstance(node, tuple):
        if len(node) == 3 and node[0] == "call" and node[1] == function:
            yield node
        for part in node:
            yield from _calls(part, function)


def _conditional(definition: Definition) -> set[str]:
    """Return the keys of questions that some residents do not see (a page or question filter)."""
    return {q.key for page in definition.pages for q in page.questions if page.show_if or q.show_if}


def unbounded_dates(definition: Definition) -> list[Problem]:
    """A date question without 'max' takes dates in the future."""
    return [
        Problem(
            definition.file,
            question.line,
            f"date question '{question.key}' has no upper bound, so a date in the future is accepted",
            "add 'max:' with the last day the answer can be (for a past event: the last day of the fieldwork)",
        )
        for question in definition.questions()
        if question.type == "date" and question.maximum is None
    ]


def _plain_words(text: str) -> str:
    table = str.maketrans("", "", string.punctuation + "‘’“”„…")
    return " ".join(text.lower().translate(table).split())


def verbatim_differs(definition: Definition) -> list[Problem]:
    """A question that says it takes its source verbatim must use the source's words."""
    problems = []
    for question in definition.questions():
        kind = getattr(question, "source_kind", None)
        says_verbatim = kind == "verbatim" or (kind is None and VERBATIM.search(question.source or ""))
        if not says_verbatim:
            continue
        source_text = getattr(question, "source_text", "") or ""
        if not source_text.strip():
            problems.append(
                Problem(
                    definition.file,
                    question.line,
                    f"question '{question.key}' says its source is taken verbatim, but gives no source text",
                    "add 'source_text:' with the source's own words, so the check can compare them",
                )
            )
            continue
        ours = [question.text] + [item.label for item in question.items]
        if _plain_words(source_text) not in {_plain_words(question.text), _plain_words(" ".join(ours))}:
            problems.append(
                Problem(
                    definition.file,
                    question.line,
                    f"question '{question.key}' says its source is taken verbatim, but its text differs from "
                    f"the source text ('{question.text}' / '{source_text.strip()}')",
                    "use the source's words, or say 'source_kind: adapted'",
                )
            )
    return problems


def consent_minutes_differ(definition: Definition) -> list[Problem]:
    """A consent text that names minutes must not promise less than the longest path takes (people
    stop half-way), nor half as much again (it keeps people from starting)."""
    texts = {"consent": definition.consent, "consent_assisted": getattr(definition, "consent_assisted", "")}
    longest = estimate(definition).longest.minutes
    problems = []
    for name, text in texts.items():
        for match in MINUTES.finditer(text or ""):
            said = int(match.group(1))
            if said < math.floor(longest) or said > OVERSTATED * longest:
                problems.append(
                    Problem(
                        definition.file,
                        None,
                        f"'{name}' says {said} minutes, but the longest path takes {longest:.1f} minutes by the estimate",
                        f"write about {math.ceil(longest)} minutes (the longest path, rounded up; see the minutes per path)",
                    )
                )
    return problems


RULES = (required_without_way_out, blocking_constraints, unbounded_dates, verbatim_differs, consent_minutes_differ)

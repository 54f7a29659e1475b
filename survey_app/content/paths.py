"""The ways through a questionnaire's skip logic: which answers tell its branches apart, and
which pages and questions a resident with given answers sees. No Flask."""

import datetime
import itertools
from collections.abc import Iterator

from .definition import Definition, Page, Question

MAX_LEAVES = 20_000  # answer combinations followed before a caller says it stopped early


def shown(definition: Definition, values: dict) -> list[tuple[Page, list[Question]]]:
    """Return the pages a resident with these answers sees, each with its visible questions."""
    result = []
    for page in definition.pages:
        if page.show_if and not page.show_if.is_true(values):
            continue
        visible = [q for q in page.questions if not q.show_if or q.show_if.is_true(values)]
        if visible:
            result.append((page, visible))
    return result


def answer_combinations(definition: Definition) -> Iterator[dict]:
    """Yield answers that tell apart every branch of the skip logic (depth first, in order)."""
    expressions = [e for page in definition.pages for e in (page.show_if, *(q.show_if for q in page.questions)) if e]
    drivers = {name for expression in expressions for name in expression.names}
    steps = []
    for page in definition.pages:
        for question in page.questions:
            names = [name for name in question.variables if name in drivers]
            if names:
                steps.append((page, question, names))

    def walk(index: int, values: dict) -> Iterator[dict]:
        if index == len(steps):
            yield values
            return
        page, question, names = steps[index]
        shown = (not page.show_if or page.show_if.is_true(values)) and (
            not question.show_if or question.show_if.is_true(values)
        )
        if not shown:
            yield from walk(index + 1, values)
            return
        choices = [candidates(question, name, expressions) for name in names]
        for combination in itertools.product(*choices):
            yield from walk(index + 1, {**values, **dict(zip(names, combination))})

    yield from walk(0, {})


def constants(node) -> Iterator[object]:
    if isinstance(node, tuple):
        if node and node[0] == "const":
            yield node[1]
            return
        for part in node:
            yield from constants(part)


def candidates(question: Question, name: str, expressions) -> list:
    """Return the answers to try for one variable: one per value the skip logic can tell apart."""
    mentioned = [c for e in expressions if name in e.names for c in constants(e.tree)]
    skipped = [] if question.required else [None]
    if question.type == "multiple_choice":
        values = [o.value for o in question.options]
        combinable = [value for value in values if value not in question.exclusive]
        most = combinable[: question.max_choices] if question.max_choices else combinable
        empty = [[]] if not question.required else []
        return empty + [[value] for value in values] + ([most] if len(most) > 1 else [])
    allowed = list(question.answer_values)
    if allowed:
        numbers = [c for c in mentioned if isinstance(c, (int, float)) and not isinstance(c, bool)]
        if numbers and all(isinstance(v, int) for v in allowed):
            near = {n + d for n in numbers for d in (-1, 0, 1)}
            kept = [v for v in allowed if v in near] or allowed[:1]
            # One value outside every mentioned number stands for the rest of the scale.
            rest = [v for v in allowed if v not in near][:1]
            return kept + rest + skipped
        return allowed + skipped
    if question.type in {"number", "year"}:
        this_year = datetime.date.today().year
        numbers = {int(c) for c in mentioned if isinstance(c, (int, float)) and not isinstance(c, bool)}
        if question.type == "year":
            numbers |= {this_year - n for n in numbers}
        near = sorted({n + d for n in numbers for d in (-1, 0, 1)})
        low = question.minimum if isinstance(question.minimum, int) else None
        high = question.maximum if isinstance(question.maximum, int) else None
        kept = [n for n in near if (low is None or n >= low) and (high is None or n <= high)]
        return (kept or [low if low is not None else 1]) + skipped
    texts = [c for c in mentioned if isinstance(c, str)]
    return (texts or ["tekst"]) + skipped

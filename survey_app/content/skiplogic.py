"""Skip logic may only look back: unknown names, cycles and forward references are mistakes."""

from .definition import Page
from .problems import Problem


def skip_logic_problems(pages: tuple[Page, ...], *, file: str) -> list[Problem]:
    """Return the problems of every show_if and constraint in pages."""
    problems: list[Problem] = []

    def problem(line, message, fix):
        problems.append(Problem(file, line, message, fix))

    order: dict[str, int] = {}
    owner: dict[str, str] = {}
    position = 0
    for page in pages:
        for question in page.questions:
            for name in question.variables:
                order[name] = position
                owner[name] = question.key
            position += 1
    graph = {
        question.key: {owner[n] for e in (question.show_if, question.constraint) if e for n in e.names if n in owner}
        for page in pages
        for question in page.questions
    }
    in_cycle = _report_cycles(graph, pages, problem)
    position = 0
    for page in pages:
        first_on_page = position
        if page.show_if:
            for name in sorted(page.show_if.names):
                if name not in order:
                    problem(page.line, f"show_if of page '{page.key}' uses '{name}', which is not a question", "use the key of a question on an earlier page")
                elif order[name] >= first_on_page:
                    problem(page.line, f"show_if of page '{page.key}' uses '{name}', which is not on an earlier page", "a page can only depend on questions of earlier pages")
        for question in page.questions:
            for attribute in ("show_if", "constraint"):
                expression = getattr(question, attribute)
                if not expression:
                    continue
                for name in sorted(expression.names):
                    own = attribute == "constraint" and owner.get(name) == question.key
                    if name not in order:
                        problem(question.line, f"{attribute} of question '{question.key}' uses '{name}', which is not a question", "use the key of an earlier question")
                    elif question.key in in_cycle:
                        continue
                    elif order[name] >= position and not own:
                        problem(question.line, f"{attribute} of question '{question.key}' uses '{name}', which comes later", "a question can only depend on earlier questions; move it, or change the expression")
                    elif attribute == "show_if" and order[name] >= first_on_page:
                        # Without JavaScript a page cannot change while it is being filled in.
                        problem(question.line, f"show_if of question '{question.key}' uses '{name}', which is on the same page", f"move the question to a later page than '{name}'")
            position += 1
    return problems


def _report_cycles(graph: dict[str, set[str]], pages, problem) -> set[str]:
    """Report each cycle once; return the keys involved."""
    lines = {q.key: q.line for p in pages for q in p.questions}
    involved: set[str] = set()
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node, path):
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            if target == node:
                continue
            if state.get(target) == 1:
                cycle = path[path.index(target):] + [target]
                involved.update(cycle)
                problem(lines[target], "the skip logic forms a cycle: " + " -> ".join(cycle), "let each question depend only on earlier questions")
            elif target not in state:
                visit(target, path + [target])
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node, [node])
    return involved

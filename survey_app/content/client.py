"""A questionnaire as the offline renderer in the browser reads it: plain JSON, no server needed.

The renderer (static/offline.js) asks the same questions as the server pages, so this carries
everything a page needs: texts in the resident's language, answer options, limits, and the
show_if and constraint expressions as pre-parsed trees that static/expressions.js walks. No
expression is parsed in the browser, so both sides share one grammar and one parser.
"""

from collections.abc import Callable

from .duration import consent_minutes
from .definition import Definition, Page, Question
from .expressions import Expression

# translate(key, text) -> the text in the resident's language, or ["text", "nl"] for a Dutch fallback.
Translate = Callable[[str, str], object]
# options(question) -> [(value, label)] in the resident's language.
Options = Callable[[Question], list[tuple[object, str]]]


def expression_tree(expression: Expression | None):
    """Return the evaluation tree of an expression as nested lists, or None."""
    return None if expression is None else expression.tree


def client_question(question: Question, translate: Translate, options: Options) -> dict:
    """Return one question as the renderer needs it."""
    key = question.key
    data = {
        "key": key,
        "type": question.type,
        "text": translate(f"{key}.text", question.text),
    }
    # Left out when they are what offline.js assumes (not required; one variable named after
    # the key): a kiosk keeps every survey in nine languages within its 200 KB budget.
    if question.required:
        data["required"] = True
    if list(question.variables) != [key]:
        data["variables"] = list(question.variables)
    if question.help:
        data["help"] = translate(f"{key}.help", question.help)
    if question.type in ("single_choice", "multiple_choice", "agreement", "scale", "matrix"):
        given = options(question)
        # A name (str) stands for a list sent once per survey, such as the agreement labels.
        data["options"] = given if isinstance(given, str) else [[value, label] for value, label in given]
    if question.type == "matrix":
        data["items"] = [
            [item.value, translate(f"{key}.item.{item.value}", item.label)] for item in question.items
        ]
        data["scale"] = question.scale
    if question.type in ("agreement",) or (question.type == "matrix" and question.scale == "agreement"):
        data["faces"] = True
    if question.type == "scale":
        if question.low_label:
            data["low_label"] = translate(f"{key}.low_label", question.low_label)
        if question.high_label:
            data["high_label"] = translate(f"{key}.high_label", question.high_label)
    for name in ("minimum", "maximum", "max_length", "min_choices", "max_choices"):
        value = getattr(question, name)
        if value is not None:
            data[name] = value
    if question.exclusive:
        data["exclusive"] = list(question.exclusive)
    if question.show_if is not None:
        data["show_if"] = expression_tree(question.show_if)
    if question.constraint is not None:
        data["constraint"] = expression_tree(question.constraint)
        if question.constraint_message:
            data["constraint_message"] = translate(f"{key}.constraint_message", question.constraint_message)
    return data


def client_page(page: Page, translate: Translate, options: Options) -> dict:
    """Return one page with its questions."""
    data = {
        "key": page.key,
        "title": translate(f"page.{page.key}", page.title),
        "questions": [client_question(q, translate, options) for q in page.questions],
    }
    if page.show_if is not None:
        data["show_if"] = expression_tree(page.show_if)
    return data


def _with_minutes(text, definition: Definition):
    """Return a consent with the estimate's minutes filled in, as the server's intro page shows it."""
    minutes = str(consent_minutes(definition))
    if isinstance(text, list):  # a Dutch fallback: [text, "nl"]
        return [text[0].replace("%(minuten)s", minutes), *text[1:]]
    return text.replace("%(minuten)s", minutes) if isinstance(text, str) else text


def client_definition(definition: Definition, *, translate: Translate, options: Options) -> dict:
    """Return the whole questionnaire for the offline renderer, in one language.

    The shorter forms travel as the question keys they keep (the renderer leaves the other
    questions out, as Definition.form does), with the minutes of each form for the buttons that
    start them; the consent names the minutes of the first shorter form, as the intro page does.
    """
    shorter = definition.form(next(iter(definition.forms), None))
    return {
        "slug": definition.slug,
        "version": definition.version,
        "title": translate("title", definition.title),
        "central_question": translate("central_question", definition.central_question),
        "intro": translate("intro", definition.intro),
        "consent": _with_minutes(translate("consent", definition.consent), shorter),
        "forms": {name: list(keys) for name, keys in definition.forms.items()},
        "minutes": {name: consent_minutes(definition.form(name)) for name in definition.form_names()},
        "pages": [client_page(page, translate, options) for page in definition.pages],
    }

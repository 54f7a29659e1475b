"""Page forms built from a questionnaire page: one field per answer variable.

The fields give the answer to show to the templates; the checking itself is the domain's
(content.answers), so a synced response is checked the same way.
"""

from flask_babel import lazy_gettext as _l
from markupsafe import escape

from ..content.answers import AnswerError
from ..content.definition import Page, Question
from .csrf import generate_csrf

ERROR_MESSAGES = {
    "required": _l("Geef hier een antwoord."),
    "unknown_choice": _l("Kies een van de antwoorden."),
    "one_answer": _l("Kies één antwoord."),
    "exclusive": _l("Dit antwoord kunt u niet samen met een ander antwoord kiezen."),
    "too_many_choices": _l("Kies er ten hoogste %(max)s."),
    "too_few_choices": _l("Kies er minstens %(min)s."),
    "not_whole_number": _l("Vul een getal in, zonder komma."),
    "out_of_range": _l("Vul een getal in van %(min)s tot %(max)s."),
    "not_date": _l("Vul een datum in, zoals 31-12-2024."),
    "date_out_of_range": _l("Vul een datum in van %(min)s tot en met %(max)s."),
    "date_too_late": _l("Vul een datum in tot en met %(max)s."),
    "too_long": _l("Uw antwoord is te lang. Gebruik ten hoogste %(max)s tekens."),
    "unknown_question": _l("Deze vraag bestaat niet."),
}

AGREEMENT_LABELS = {
    1: _l("Helemaal oneens"),
    2: _l("Oneens"),
    3: _l("Niet eens, niet oneens"),
    4: _l("Eens"),
    5: _l("Helemaal eens"),
    8: _l("Weet ik niet"),
    9: _l("Niet van toepassing"),
}


def error_message(error: AnswerError, translate_text=str) -> str:
    """Return the words for an AnswerError in the current language."""
    if error.code == "constraint":
        return translate_text(error.params.get("message", "")) or str(ERROR_MESSAGES["unknown_choice"])
    if error.code == "date_out_of_range":
        # Days as the hint shows them (31-12-2024), and no lower end where there is none.
        days = {key: local_date(value) for key, value in error.params.items() if value}
        message = ERROR_MESSAGES["date_out_of_range" if "min" in days else "date_too_late"]
        return str(message) % days
    message = ERROR_MESSAGES.get(error.code, ERROR_MESSAGES["unknown_choice"])
    return str(message) % error.params if error.params else str(message)


def local_date(iso: str) -> str:
    """Return an ISO day (2024-12-31) as residents write it (31-12-2024)."""
    year, month, day = str(iso).split("-")
    return f"{day}-{month}-{year}"


# Question type -> how its raw answer is held: one choice, several choices, or typed text.
ANSWER_KINDS = {
    "single_choice": "one",
    "agreement": "one",
    "scale": "one",
    "matrix": "one",
    "multiple_choice": "many",
    "number": "text",
    "year": "text",
    "date": "text",
    "text": "text",
    "long_text": "text",
}


class AnswerField:
    """What the question macros read of a field: the answer to show (data: a string, a list of
    strings for several choices, or None)."""

    __slots__ = ("data",)

    def __init__(self, data):
        self.data = data


class HiddenValue:
    """A hidden input of the page form, rendered by itself (the same HTML WTForms gave)."""

    __slots__ = ("name", "data")

    def __init__(self, name: str, data: str | None = None):
        self.name = name
        self.data = data

    def __html__(self) -> str:
        value = "" if self.data is None else str(self.data)
        return f'<input id="{escape(self.name)}" name="{escape(self.name)}" type="hidden" value="{escape(value)}">'

    def __str__(self) -> str:
        return self.__html__()


class PageForm:
    """The fields of one page for the templates: each answer to show, the CSRF token, the
    response's client id and the sealed answers so far (drafts.py).

    The checking is the domain's (content.answers), so this holds values only. It replaced a
    WTForms form built on every page, a twentieth of a page's cost, whose fields did nothing
    else here; what each field shows follows WTForms' rules, as before.
    """

    def __init__(self, fields: dict[str, AnswerField], *, csrf_token: str):
        self._fields = fields
        self.csrf_token = HiddenValue("csrf_token", csrf_token)
        self.response_id = HiddenValue("response_id")
        self.draft = HiddenValue("draft")

    def __getitem__(self, name: str) -> AnswerField:
        return self._fields[name]

    def __contains__(self, name: str) -> bool:
        return name in self._fields


def shown_value(kind: str, stored, submitted: list[str] | None):
    """Return what a field shows: what was just submitted (a page shown again with its
    errors), else the stored answer.

    submitted is None when nothing was posted; [] when the page was posted without this field,
    which empties a field of several choices (no box ticked) but keeps a stored single answer.
    """
    if stored is not None:
        stored = [str(v) for v in stored] if isinstance(stored, list) else str(stored)
    if kind == "many":
        if submitted is not None:
            return [str(v) for v in submitted]
        return None if stored is None else [str(v) for v in stored]
    if submitted:
        return str(submitted[0])
    return stored


def build_page_form(page: Page, questions: list[Question], *, answers: dict, formdata=None) -> PageForm:
    """Return the form of the visible questions of page, filled from answers or formdata."""
    fields = {}
    for question in questions:
        kind = ANSWER_KINDS[question.type]
        for name in question.variables:
            submitted = None if formdata is None else formdata.getlist(name)
            fields[name] = AnswerField(shown_value(kind, answers.get(name), submitted))
    return PageForm(fields, csrf_token=generate_csrf())

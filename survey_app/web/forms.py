"""Page forms built from a questionnaire page: one WTForms field per answer variable.

The fields give names, ids, submitted data and error lists to the templates; the checking
itself is the domain's (content.answers), so a synced response is checked the same way.
"""

from functools import lru_cache

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import (
    Field,
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)

from ..content.answers import AnswerError
from ..content.definition import Page, Question

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


def _choice_field(question: Question) -> Field:
    return RadioField(choices=[str(v) for v in question.answer_values], validate_choice=False)


# Question type -> the field that carries its raw answer.
FIELD_FACTORIES = {
    "single_choice": _choice_field,
    "agreement": _choice_field,
    "scale": _choice_field,
    "matrix": _choice_field,
    "multiple_choice": lambda q: SelectMultipleField(
        choices=[str(v) for v in q.answer_values], validate_choice=False
    ),
    "number": lambda q: StringField(),
    "year": lambda q: StringField(),
    "date": lambda q: StringField(),
    "text": lambda q: StringField(),
    "long_text": lambda q: TextAreaField(),
}


class PlainHiddenInput:
    """A hidden input, the same HTML as WTForms' HiddenInput in a tenth of its time.

    Every page renders three (the CSRF token, the response id, the sealed draft), and WTForms'
    general widget (flags looked up with dir(), each attribute formatted apart) was a tenth of
    a page's cost.
    """

    def __call__(self, field, **kwargs) -> Markup:
        # bandit's B704 is a false alarm: each of the three values is escaped; an f-string with
        # escape() is used rather than Markup.format, which costs several times as much.
        return Markup(  # nosec B704
            f'<input id="{escape(field.id)}" name="{escape(field.name)}" type="hidden" value="{escape(field._value())}">'
        )


PLAIN_HIDDEN_INPUT = PlainHiddenInput()


class PageForm(FlaskForm):
    """The base of every page form: the client id of the response travels with each post."""

    response_id = HiddenField(widget=PLAIN_HIDDEN_INPUT)
    draft = HiddenField(widget=PLAIN_HIDDEN_INPUT)  # the answers so far, sealed (drafts.py)


@lru_cache(maxsize=512)
def _page_form_class(page_key: str, questions: tuple[Question, ...]) -> type[PageForm]:
    # One class per page and set of visible questions: building classes per request is costly.
    fields = {
        name: FIELD_FACTORIES[question.type](question) for question in questions for name in question.variables
    }
    return type(f"Page_{page_key}", (PageForm,), fields)


def build_page_form(page: Page, questions: list[Question], *, answers: dict, formdata=None) -> FlaskForm:
    """Return a form for the visible questions of page, filled from answers or formdata."""
    form_class = _page_form_class(page.key, tuple(questions))
    names = {name for question in questions for name in question.variables}
    data = {
        name: [str(v) for v in value] if isinstance(value, list) else str(value)
        for name, value in answers.items()
        if name in names
    }
    form = form_class(formdata=formdata, data=data)
    form.csrf_token.widget = PLAIN_HIDDEN_INPUT
    return form

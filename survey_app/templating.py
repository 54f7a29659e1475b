"""What every template may call: the current language, questionnaire text, answer choices."""

from flask import Flask
from flask_babel import get_locale

from .content.definition import Definition, Question
from .forms import AGREEMENT_LABELS
from .i18n import LANGUAGES, SOURCE_LANGUAGE


def current_language():
    """Return the Language of this request."""
    return LANGUAGES.get(str(get_locale()), LANGUAGES[SOURCE_LANGUAGE])


def questionnaire_text(definition: Definition, key: str, text: str) -> str:
    """Return a questionnaire string in the current language (Dutch until translated)."""
    return text


def option_pairs(definition: Definition, question: Question) -> list[tuple[object, str]]:
    """Return (value, label) for each answer a choice-like question offers."""
    if question.type == "agreement" or (question.type == "matrix" and question.scale == "agreement"):
        return [(value, str(AGREEMENT_LABELS[value])) for value in question.answer_values]
    if question.type == "scale":
        return [(value, str(value)) for value in question.answer_values]
    return [
        (option.value, questionnaire_text(definition, f"{question.key}.option.{option.value}", option.label))
        for option in question.options
    ]


def selected_values(data) -> set[str]:
    """Return the submitted or stored values of a field as a set of strings."""
    if data is None:
        return set()
    if isinstance(data, (list, tuple)):
        return {str(v) for v in data}
    return {str(data)}


def init_app(app: Flask) -> None:
    """Make the helpers available in every template."""
    app.jinja_env.globals.update(
        qt=questionnaire_text,
        option_pairs=option_pairs,
        selected_values=selected_values,
        LANGUAGES=LANGUAGES,
    )

    @app.context_processor
    def language_context():
        return {"current_language": current_language()}

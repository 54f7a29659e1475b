"""Languages: the table of the nine languages, and choosing one for a request."""

from dataclasses import dataclass

from flask import request, session


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # the language named in itself
    direction: str = "ltr"


LANGUAGES = {
    lang.code: lang
    for lang in (
        Language("nl", "Nederlands"),
        Language("fr", "Français"),
        Language("en", "English"),
        Language("tr", "Türkçe"),
        Language("ar", "العربية", "rtl"),
        Language("it", "Italiano"),
        Language("pl", "Polski"),
        Language("ro", "Română"),
        Language("bg", "Български"),
    )
}
SOURCE_LANGUAGE = "nl"


def known_language(code: object) -> str | None:
    """Return code when it names one of our languages, else None."""
    return code if isinstance(code, str) and code in LANGUAGES else None


def select_locale() -> str:
    """Return the language for this request: chosen, then session, then browser, then Dutch."""
    chosen = known_language(request.args.get("lang"))
    if chosen:
        return chosen
    kept = known_language(session.get("lang"))
    if kept:
        return kept
    return request.accept_languages.best_match(list(LANGUAGES)) or SOURCE_LANGUAGE

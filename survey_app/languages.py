"""The nine languages of the surveys, as a table (no Flask here: the gettext workflow reads it too)."""

from dataclasses import dataclass


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

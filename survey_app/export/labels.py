"""Words in an export: Dutch source text, looked up in the gettext catalogs for other languages.

Questionnaire strings come from the `questionnaires` domain with the context "<slug>:<key>"
(the same keys the resident's pages use); the export's own words (agreement labels,
"chosen", column notes) from the interface domain `messages`. A string without a
translation stays Dutch, and the Translator counts it so the codebook can say so.
"""

import gettext
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError

SOURCE_LANGUAGE = "nl"


def N_(text: str) -> str:
    """Mark an interface string for extraction; it is translated where it is shown."""
    return text


@dataclass(frozen=True)
class Text:
    """A Dutch string and where its translations live."""

    nl: str
    context: str | None = None  # "<slug>:<key>" for questionnaire text; None for interface words
    params: tuple[tuple[str, object], ...] = ()  # %(name)s placeholders, filled after translation
    given: tuple[tuple[str, str], ...] = ()  # translations that come with the text (numbers, dates)
    language: str | None = None  # this text is the name of a language: Babel names it in any language

    @property
    def domain(self) -> str:
        return "questionnaires" if self.context else "messages"

    def render(self, template: str) -> str:
        return template % dict(self.params) if self.params else template


@lru_cache(maxsize=512)
def language_name(code: str, language: str) -> str:
    """Return the name of the language code in language (the code itself when Babel does not know it)."""
    try:
        name = Locale.parse(code).get_display_name(language)
    except (UnknownLocaleError, ValueError):
        return code
    return (name[:1].upper() + name[1:]) if name else code


def language_text(code: str) -> Text:
    """Return the name of a language as a Text (Dutch first)."""
    return Text(language_name(code, SOURCE_LANGUAGE), language=code)


def literal(text: str) -> Text:
    """Return a text that is the same in every language (a number, a date)."""
    return Text(text, None, (), (("*", text),))


def word(text: str, **params) -> Text:
    """Return an interface word (domain messages), with optional %(name)s parameters."""
    return Text(text, None, tuple(sorted(params.items())))


@dataclass
class Translator:
    """Renders Texts in one language; counts the strings that fell back to Dutch."""

    language: str = SOURCE_LANGUAGE
    directory: Path | None = None
    fallbacks: set[str] = field(default_factory=set)
    _catalogs: dict = field(default_factory=dict, repr=False)

    def _catalog(self, domain: str) -> gettext.NullTranslations:
        if domain not in self._catalogs:
            self._catalogs[domain] = (
                gettext.translation(domain, localedir=str(self.directory), languages=[self.language], fallback=True)
                if self.directory
                else gettext.NullTranslations()
            )
        return self._catalogs[domain]

    def translated(self, text: Text) -> tuple[str, bool]:
        """Return (the text in this language, True) or (the Dutch text, False) when untranslated."""
        if self.language == SOURCE_LANGUAGE:
            return text.render(text.nl), True
        if text.language:
            return language_name(text.language, self.language), True
        given = dict(text.given)
        given = given.get(self.language) or given.get("*")
        if given:
            return text.render(given), True
        catalog = self._catalog(text.domain)
        # GNUTranslations keeps "context\x04msgid"; a place name may be "translated" as itself.
        key = f"{text.context}\x04{text.nl}" if text.context else text.nl
        found = getattr(catalog, "_catalog", {}).get(key)
        if not found:
            self.fallbacks.add(text.nl)
            return text.render(text.nl), False
        return text.render(found), True

    def __call__(self, text: Text) -> str:
        """Return the text in this language (Dutch when untranslated)."""
        return self.translated(text)[0]

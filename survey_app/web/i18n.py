"""Choosing the language of a request: explicit choice, then session, then browser, then Dutch."""

from functools import lru_cache

from babel import Locale
from flask import Flask, request, session
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from ..languages import LANGUAGES, SOURCE_LANGUAGE, Language, known_language

__all__ = ["LANGUAGES", "SOURCE_LANGUAGE", "Language", "known_language", "select_locale", "chosen_language", "init_app"]


def chosen_language() -> str | None:
    """Return the language the resident chose (in the URL or earlier in the session), or None."""
    return known_language(request.args.get("lang")) or known_language(session.get("lang"))


# One Locale per language, made once: Flask-Babel takes a Locale as it is, where it parsed a code per request.
_LOCALES = {code: Locale.parse(code) for code in LANGUAGES}


def select_locale() -> Locale:
    """Return the language for this request: chosen, then session, then browser, then Dutch."""
    chosen = chosen_language()
    if chosen:
        return _LOCALES[chosen]
    return _LOCALES[_browser_language(request.headers.get("Accept-Language", ""))]


@lru_cache(maxsize=256)
def _browser_language(header: str) -> str:
    # Browsers send a few dozen distinct headers at most: each is parsed once.
    return parse_accept_header(header, LanguageAccept).best_match(list(LANGUAGES)) or SOURCE_LANGUAGE


def remember_language() -> None:
    """Keep a language chosen with ?lang= for the rest of the visit; ignore unknown codes quietly."""
    chosen = known_language(request.args.get("lang"))
    if chosen and session.get("lang") != chosen:
        session["lang"] = chosen
    elif "lang" in session and not known_language(session.get("lang")):
        session.pop("lang")


def init_app(app: Flask) -> None:
    """Bind Flask-Babel's locale selector and remember explicit choices."""
    from .extensions import babel

    babel.init_app(app, locale_selector=select_locale)
    # Flask-Babel keeps one cache of loaded catalogs per Babel object, which every app in the
    # process shares: a new app (a test's, with its own TRANSLATIONS_DIR) starts with an empty one.
    with app.app_context():
        babel.domain_instance.cache.clear()
    app.before_request(remember_language)

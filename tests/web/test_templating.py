"""The template helpers: the cache of unanswered questions must never change what a page shows."""

import pytest

from bench.answers import answer_for
from survey_app.web import templating
from survey_app.content.answers import is_shown, visible_pages

from survey_app.catalog import load_package
from survey_app.db import database

from ..conftest import QUESTIONNAIRES, csrf_token, make_app
from ..resident import Resident, is_thanks, page_form, sealed_draft


def app_with(database_url, translations_dir):
    app = make_app(database_url, TRANSLATIONS_DIR=str(translations_dir))
    with database.connection_context():
        load_package(QUESTIONNAIRES)
    return app


class NeverKept(dict):
    """A cache that keeps nothing: every question is rendered by its macro."""

    def __setitem__(self, key, value):
        pass


def without_tokens(html: str) -> str:
    return html.replace(csrf_token(html), "TOKEN").replace(sealed_draft(html), "SEALED")


def show_again(resident, number, language):
    """Return the page shown now again in language, as a kept copy brought back would be."""
    data = page_form(resident.shown.text, action="resume")
    return resident.client.post(f"/s/{resident.slug}/{number}", query_string={"lang": language}, data=data).text


@pytest.mark.parametrize("language", ["nl", "ar", "tr"])
def test_pages_from_the_cache_are_the_pages_the_macros_render(database_url, compiled, monkeypatch, language):
    client = app_with(database_url, compiled).test_client()
    for slug in ("werk", "samenleven", "onderwijs"):
        resident = Resident(client, slug)
        definition = resident.definition()
        resident.start()
        known = {}
        for number, page in enumerate(visible_pages(definition, known), start=1):
            # Another language first, so a key without the language would show its text.
            show_again(resident, number, "fr")
            cached = show_again(resident, number, language)
            again = show_again(resident, number, language)
            with monkeypatch.context() as patch:
                patch.setitem(client.application.extensions, templating.BLANK_QUESTIONS, NeverKept())
                patch.setitem(client.application.extensions, templating.LANGUAGE_BUTTONS, NeverKept())
                rendered = show_again(resident, number, language)
            assert f'<html lang="{language}"' in rendered
            assert language == "nl" or '<span lang="nl"' not in rendered  # translated, not the fallback
            assert without_tokens(cached) == without_tokens(again) == without_tokens(rendered), (slug, number)
            answers = {}
            for question in page.questions:
                if is_shown(question, known):
                    answers.update(answer_for(question, known))
            response, _ = resident.post_page(number, answers)
            if is_thanks(response, slug):
                break
            assert response.status_code == 200


def test_an_answered_question_is_rendered_with_its_answer_not_from_the_cache(client):
    resident = Resident(client, "stedelijke-dienstverlening")
    resident.start()
    first = resident.definition().pages[0].questions[0]
    show_again(resident, 1, "nl")  # the blank question is now cached
    value = str(first.answer_values[0])
    resident.post_page(1, {first.key: value})
    page, _ = resident.post_page(2, {}, action="back")
    assert f'name="{first.key}" value="{value}" checked' in page.text


def language_menu(html: str) -> str:
    """Return the buttons of the header's language menu."""
    menu = html[html.index('<details class="languages">'):html.index("</details>")]
    return menu[menu.index("<ul>"):menu.index("</ul>")]


def test_the_kept_language_buttons_follow_the_page_language_and_form(client):
    # The header's buttons are kept per language and form: the intro's choose a language, a
    # survey page's submit its own form (so what was typed is kept), each marks its language.
    resident = Resident(client, "werk")
    intro_nl = language_menu(client.get("/s/werk/").text)
    page_nl = language_menu(resident.start().text)
    intro_ar = language_menu(client.get("/s/werk/", query_string={"lang": "ar"}).text)
    page_ar = language_menu(show_again(resident, 1, "ar"))
    page_nl_again = language_menu(show_again(resident, 1, "nl"))
    assert 'name="lang" value="ar"' in intro_nl and 'form="answers"' not in intro_nl
    assert 'form="answers" name="action" value="language:ar"' in page_nl and 'name="lang"' not in page_nl
    assert 'lang="nl" dir="ltr" aria-current="true"' in intro_nl and page_nl == page_nl_again
    assert 'lang="ar" dir="rtl" aria-current="true"' in intro_ar and 'lang="ar" dir="rtl" aria-current="true"' in page_ar
    assert intro_ar.count('aria-current') == page_ar.count('aria-current') == 1
    assert 'name="lang" value="ar"' in intro_ar and 'form="answers"' in page_ar


def first_page(app, language):
    resident = Resident(app.test_client(), "werk")
    resident.start()
    return show_again(resident, 1, language)


def test_each_app_keeps_its_own_questions(database_url, compiled, tmp_path):
    # Two apps in one process (as in the tests): one without translations must not leave its
    # Dutch fallback in the other's pages.
    untranslated = app_with(database_url, tmp_path)
    assert '<span lang="nl" dir="ltr">Wat past het best bij u?</span>' in first_page(untranslated, "tr")
    translated = make_app(database_url, TRANSLATIONS_DIR=str(compiled))
    assert "Size en uygun olan hangisi?" in first_page(translated, "tr")


def test_a_recompiled_catalog_replaces_the_kept_questions(database_url, tmp_path):
    import os

    from survey_app.translations import catalog_path, compile_catalog

    from ..conftest import compile_into

    directory = compile_into(tmp_path / "translations")
    app = app_with(database_url, directory)
    assert "Size en uygun olan hangisi?" in first_page(app, "tr")
    po = catalog_path(directory, "tr", "questionnaires")
    po.write_text(po.read_text().replace('msgstr "Size en uygun olan hangisi?"', 'msgstr "Hangisi size uyuyor?"'))
    compile_catalog(directory, "tr", "questionnaires")
    mo = catalog_path(directory, "tr", "questionnaires", ".mo")
    os.utime(mo, (mo.stat().st_atime, mo.stat().st_mtime + 5))  # a new modification time, however fast the disk
    assert "Hangisi size uyuyor?" in first_page(app, "tr")

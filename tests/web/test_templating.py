"""The template helpers: the cache of unanswered questions must never change what a page shows."""

import re

import pytest
from flask import render_template
from jinja2 import ChoiceLoader, DictLoader

from bench.answers import answer_for
from survey_app.web import survey, templating
from survey_app.content.answers import is_shown, visible_pages

from survey_app.catalog import load_package
from survey_app.db import database

from ..conftest import QUESTIONNAIRES, RESPONSE_ID, csrf_token, make_app
from ..resident import Resident, answers_to, is_thanks, page_form, sealed_draft
from .test_staff import begin_intake


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
            answers = answers_to(page, known)
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


# Kept pages (templating.render_kept): the intro, each survey page and the thank-you page are
# rendered once per key with markers where the per-request values go.


def render_whole(template_name, key, slots, private=(), **context):
    """What render_kept stands for: the template rendered whole, every value in place."""
    return render_template(template_name, **context, **slots)


def kept_and_whole(monkeypatch, fetch):
    """Return fetch()'s page from the kept skeletons, and rendered whole, with their tokens and sealed answers blanked."""
    kept = fetch()
    with monkeypatch.context() as patch:
        patch.setattr(survey, "render_kept", render_whole)
        whole = fetch()
    return normalized(kept), normalized(whole)


def normalized(html: str) -> str:
    html = html.replace(csrf_token(html), "TOKEN")
    return re.sub(r'name="draft" type="hidden" value="[^"]+"', 'name="draft" type="hidden" value="SEALED"', html)


@pytest.mark.parametrize("language", ["nl", "ar"])
def test_kept_pages_are_the_pages_rendered_whole(database_url, compiled, monkeypatch, language):
    client = app_with(database_url, compiled).test_client()
    for slug, form in (("werk", ""), ("werk", "kort"), ("samenleven", "")):
        resident = Resident(client, slug, form=form)
        definition = resident.definition()
        for query in ({}, {"expired": "1"}, {"stopped": "1"}):
            # Another language first, so a key without the language would show its text.
            client.get(f"/s/{slug}/", query_string=query | {"lang": "fr"})
            kept, whole = kept_and_whole(monkeypatch, lambda: client.get(f"/s/{slug}/", query_string=query | {"lang": language}).text)
            assert kept == whole and f'<html lang="{language}"' in kept, (slug, query)
        resident.start(lang=language)
        kept, whole = kept_and_whole(monkeypatch, lambda: client.get(f"/s/{slug}/").text)  # a draft in progress
        assert kept == whole and 'data-in-progress="' in kept
        known = {}
        for number, page in enumerate(visible_pages(definition, known), start=1):
            show_again(resident, number, "fr")
            kept, whole = kept_and_whole(monkeypatch, lambda: show_again(resident, number, language))
            assert kept == whole, (slug, form, number)
            answers = answers_to(page, known)
            response, _ = resident.post_page(number, answers)
            if is_thanks(response, slug):
                break
        for query in ({}, {"sent": "1"}):
            kept, whole = kept_and_whole(monkeypatch, lambda: client.get(f"/s/{slug}/klaar", query_string=query).text)
            assert kept == whole and f'<html lang="{language}"' in kept, (slug, query)


def test_a_kept_page_shows_each_residents_own_token_response_and_answers(client):
    first, second = Resident(client, "werk"), Resident(client.application.test_client(), "werk")
    pages = [first.start().text, second.start().text]  # the same kept page 1, for two sessions
    assert csrf_token(pages[0]) != csrf_token(pages[1])
    assert RESPONSE_ID.search(pages[0]).group(1) != RESPONSE_ID.search(pages[1]).group(1) != ""
    for resident, page in zip((first, second), pages):
        assert resident.draft() is not None  # each page carries its own sealed answers, which its session opens
        with resident.client.session_transaction() as session:
            assert session["csrf_token"]  # and its own token (checked by the next post)
        response, _ = resident.post_page(1, {}, action="back")
        assert response.status_code == 200 and 'id="start"' in response.text


def text_question_page(resident, typed):
    """Answer the survey up to the first page with a text question, type typed in it, go on and come back; return that page."""
    definition = resident.definition()
    resident.start()
    known, number = {}, 1
    while True:
        page = visible_pages(definition, known)[number - 1]
        answers, text = {}, None
        for question in page.questions:
            if is_shown(question, known):
                answers.update(answer_for(question, known))
                if question.type in ("text", "long_text") and text is None:
                    text = question.key
                    answers[text] = known[text] = typed
        response, _ = resident.post_page(number, answers)
        assert response.status_code == 200, number
        if text:
            back, _ = resident.post_page(number + 1, {}, action="back")
            return text, back.text
        number += 1


def test_a_typed_answer_shows_escaped_on_a_kept_page_and_nothing_of_it_is_kept(client):
    typed = 'Loket "<b>noord</b>" & \ue000zuid'
    resident = Resident(client, "stedelijke-dienstverlening")
    key, page = text_question_page(resident, typed)
    assert 'Loket &#34;&lt;b&gt;noord&lt;/b&gt;&#34; &amp; \ue000zuid' in page and "<b>noord" not in page
    kept = "".join("".join(parts) for _, parts in client.application.extensions[templating.KEPT_PAGES].values())
    for value in ("noord", csrf_token(page), sealed_draft(page), RESPONSE_ID.search(page).group(1)):
        assert value not in kept


def test_the_address_a_language_choice_returns_to_is_escaped(client):
    page = client.get("/s/werk/", query_string={"x": '"><b>x</b>'}).text
    assert 'name="next" value="/s/werk/?x=%22%3E%3Cb%3Ex%3C/b%3E"' in page or "&lt;b&gt;" in page
    assert "<b>x</b>" not in page


def test_staff_kiosk_and_residents_do_not_get_each_others_kept_pages(client, staff):
    resident_page = lambda c: Resident(c, "werk").start().text  # noqa: E731
    before = resident_page(client.application.test_client())
    staff.create("an", "staff")
    staff.login("an")
    signed_in = resident_page(client)
    after = resident_page(client.application.test_client())
    assert 'href="/staff/"' in signed_in and 'href="/staff/"' not in before and 'href="/staff/"' not in after
    assert '"survey"' not in signed_in.split('id="fieldwork">')[1][:200]  # no offline copy during a staff session
    form = client.get("/kiosk/start")
    client.post("/kiosk/start", data={"csrf_token": csrf_token(form.text), "surveys": ["werk"], "pin": "2580", "pin_again": "2580"})
    on_kiosk = resident_page(client)
    assert 'class="kiosk-bar"' in on_kiosk and 'id="kiosk-reset"' in on_kiosk and '"ticket"' in on_kiosk
    assert 'class="kiosk-bar"' not in resident_page(client.application.test_client())


def test_an_intake_keeps_the_dutch_beside_choice_and_the_residents_language_apart(client, staff, monkeypatch):
    staff.create("an", "staff")
    staff.login("an")
    # The staff member's own view of page 1 in Arabic first: the intake's page 1 in Arabic
    # (with the staff member's Dutch around it) must not be taken for it.
    Resident(client, "werk").start(lang="ar")
    client.get("/", query_string={"lang": "nl"})
    first = client.get(begin_intake(client, language="ar").headers["Location"])
    assert '<html lang="nl"' in first.text and 'lang="ar" dir="rtl"' in first.text
    assert 'id="dutch-beside" name="dutch" value="1">' in first.text
    intake = Resident(client, "werk")
    intake.shown = first
    # The resident's language chosen again: the page shown again (kept), with the box as posted.
    checked, _ = intake.post_page(1, {"dutch": "1"}, action="language:ar")
    assert 'id="dutch-beside" name="dutch" value="1" checked>' in checked.text
    kept, whole = kept_and_whole(monkeypatch, lambda: intake.post_page(1, {"dutch": "1"}, action="language:ar")[0].text)
    assert kept == whole
    unchecked, _ = intake.post_page(1, {}, action="language:ar")
    assert 'id="dutch-beside" name="dutch" value="1">' in unchecked.text


@pytest.mark.parametrize("template, refused", [
    ("{{ request.path }}", "request"), ("{% if session %}x{% endif %}", "session"), ("{{ g.kiosk }}", "g"),
    ("{{ form.csrf_token }}", "form"),
])
def test_a_kept_template_cannot_read_the_request_or_private_values(app, template, refused):
    app.jinja_env.loader = ChoiceLoader([DictLoader({"reads.html": template}), app.jinja_env.loader])
    with app.test_request_context("/s/werk/"), pytest.raises(RuntimeError, match=f"read {refused}"):
        templating.render_kept("reads.html", (), {}, private=("form",), form=object())


def test_a_kept_page_takes_its_token_from_the_templates_csrf_token(client, monkeypatch):
    client.get("/s/werk/")  # the intro is kept now
    monkeypatch.setitem(client.application.jinja_env.globals, "csrf_token", lambda: "the-global's-token")
    page = client.get("/s/werk/").text
    assert 'name="csrf_token" value="the-global&#39;s-token"' in page


def test_messages_show_on_the_kept_page_they_belong_to_and_on_no_other(client, monkeypatch):
    resident = Resident(client, "werk")
    resident.start()
    kept, whole = kept_and_whole(monkeypatch, lambda: resident.post_page(1, {})[0].text)  # nothing answered
    assert kept == whole and 'id="error-summary"' in kept and 'aria-invalid="true"' in kept
    assert 'id="error-summary"' not in show_again(resident, 1, "nl")  # the same page, the same key
    assert 'id="error-summary"' not in Resident(client.application.test_client(), "werk").start().text


def test_the_kept_welcome_and_survey_list_are_the_pages_rendered_whole(client, staff, monkeypatch):
    for language in ("ar", "nl"):
        welcome = lambda: client.application.test_client().get("/", headers={"Accept-Language": language}).text  # noqa: E731
        kept, whole = kept_and_whole(monkeypatch, welcome)
        assert kept == whole and 'class="language-picker"' in kept and f'<html lang="{language}"' in kept
        surveys = lambda: client.get("/", query_string={"lang": language}).text  # noqa: E731
        kept, whole = kept_and_whole(monkeypatch, surveys)
        assert kept == whole and 'href="/s/samenleven/"' in kept and f'<html lang="{language}"' in kept
    staff.create("an", "staff")
    staff.login("an")
    form = client.get("/kiosk/start")
    client.post("/kiosk/start", data={"csrf_token": csrf_token(form.text), "surveys": ["werk"], "pin": "2580", "pin_again": "2580"})
    kept, whole = kept_and_whole(monkeypatch, lambda: client.get("/", query_string={"lang": "nl"}).text)
    assert kept == whole and 'href="/s/werk/"' in kept and 'href="/s/samenleven/"' not in kept  # the kiosk's surveys only
    assert 'href="/s/samenleven/"' in client.application.test_client().get("/", query_string={"lang": "nl"}).text

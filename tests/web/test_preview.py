"""The printable preview: one page per questionnaire and language, skip logic in words, for staff,
analysts and admins only; printed it is the paper questionnaire."""

import re

import pytest

from survey_app.catalog import load_package
from survey_app.db import database
from survey_app.languages import LANGUAGES

from ..conftest import QUESTIONNAIRES, Staff, make_app


@pytest.fixture
def translated(database_url, compiled):
    app = make_app(database_url, TRANSLATIONS_DIR=str(compiled))
    with database.connection_context():
        load_package(QUESTIONNAIRES)
    client = app.test_client()
    staff = Staff(client)
    staff.create("an", "staff")
    staff.login("an")
    yield client
    if not database.is_closed():
        database.close()


def test_the_preview_is_for_logged_in_staff_analysts_and_admins(client, staff):
    assert client.get("/preview/").headers["Location"].startswith("/staff/login?next=")
    assert client.get("/preview/werk/nl").status_code == 302
    for role in ("staff", "analyst", "admin"):
        staff.create(role, role)
        staff.login(role)
        assert client.get("/preview/").status_code == 200, role
        assert client.get("/preview/werk/fr").status_code == 200, role


def test_the_index_links_every_questionnaire_in_every_language(translated):
    page = translated.get("/preview/").text
    links = set(re.findall(r'href="/preview/([a-z-]+)/([a-z]{2})"', page))
    slugs = {path.stem for path in QUESTIONNAIRES.glob("*.yaml")}
    assert links == {(slug, language) for slug in slugs for language in LANGUAGES}


def test_a_preview_writes_the_skip_logic_in_words_and_numbers_the_questions(translated):
    page = translated.get("/preview/stedelijke-dienstverlening/nl").text
    assert "Vul deze pagina alleen in als u bij vraag 1 &#39;Ja&#39; koos." in page
    assert ("Beantwoord deze vraag alleen als u bij vraag 4 &#39;Aan het loket, zonder afspraak&#39; of "
            "&#39;Aan het loket, op afspraak&#39; koos.") in page
    numbers = [int(n) for n in re.findall(r'<span class="number">Vraag (\d+)</span>', page)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 10
    assert re.search(r"Invullen duurt \d+ tot \d+ minuten, naargelang uw antwoorden\.", page)
    # Details for editors on screen; the print style sheet hides them, and ?paper=1 shows what prints.
    assert 'show_if: <code>contact_gehad == &#39;ja&#39;</code>' in page
    assert '<article class="paper">' in page
    assert '<article class="paper paper-only">' in translated.get("/preview/stedelijke-dienstverlening/nl?paper=1").text


def test_a_preview_is_in_the_language_asked_for_questionnaire_and_interface(translated):
    page = translated.get("/preview/stedelijke-dienstverlening/fr").text
    assert '<html lang="fr" dir="ltr">' in page
    assert "Vraag 1" not in page and "Beantwoord deze vraag" not in page
    assert 'lang="nl"' not in page.split("<main")[1].split('class="editor"')[0]  # the questionnaire text is French
    arabic = translated.get("/preview/werk/ar").text
    assert '<html lang="ar" dir="rtl">' in arabic


def test_an_unknown_questionnaire_or_language_is_not_found(translated):
    assert translated.get("/preview/geen/nl").status_code == 404
    assert translated.get("/preview/werk/xx").status_code == 404

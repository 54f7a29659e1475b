"""'U zei, wij deden' for each Denktafel in every language: the content in the reader's language, small numbers hidden, never a 500."""

import datetime
import re
import shutil

import pytest
from markupsafe import escape

from survey_app.catalog import load_package
from survey_app.db import database
from survey_app.export.release import newest_release
from survey_app.followup.reader import read_followup
from survey_app.content.reader import read_package
from survey_app.languages import LANGUAGES, SOURCE_LANGUAGE
from survey_app.models import Questionnaire
from survey_app.translations import load_catalog
from tests.conftest import QUESTIONNAIRES, TRANSLATIONS, make_app
from tests.followup.conftest import add_responses

AFTER_THE_BASELINE = datetime.date(2027, 1, 1)
DEFINITIONS, _ = read_package(QUESTIONNAIRES)
PACKAGE, _ = read_followup(QUESTIONNAIRES, DEFINITIONS)
BY_SLUG = {d.slug: d for d in DEFINITIONS}
SLUGS = sorted(PACKAGE.plans)
CATALOGS = {code: load_catalog(TRANSLATIONS, code, "questionnaires") for code in LANGUAGES if code != SOURCE_LANGUAGE}

# Per Denktafel: an indicator 12 residents answer (shown) and one only 5 of them answer (never shown).
ANSWERED = {
    "werk": (("vacatures_vinden", 5, "vacatures_vinden"), ("jury_divers", "ja", "jury_divers")),
    "ocmw-dienstverlening": (("durven", 4, "durven"), ("privacy", 5, "privacy")),
    "samenleven": (("zelf_inzet", "ja", "zelf_inzet"), ("wijkbeeld_trots", 5, "trots")),
    "vrije-tijd": (("gebruik_bibliotheek", "vaak", "bibliotheek"), ("hulp_stad", 4, "hulp_makkelijk")),
    "onderwijs": (("gemengd_mening", "goed", "gemengd"), ("school_welkom", 5, "welkom")),
    "stedelijke-dienstverlening": (("ervaring_vriendelijk", 5, "vriendelijk"), ("divers_team", 4, "divers_team")),
}


def translated(language: str, slug: str, key: str, text: str) -> str:
    """Return what a reader of language sees for a follow-up text: the catalog's translation, or the Dutch."""
    if language == SOURCE_LANGUAGE:
        return text
    message = CATALOGS[language].get(text, f"{slug}:{key}")
    assert message is not None and message.string and not message.fuzzy, f"{language} {slug}:{key} has no translation"
    return message.string


def shown(page: str, text: str) -> bool:
    return str(escape(text)) in page


def responses(slug):
    (variable, value, _), (rare, rare_value, _) = ANSWERED[slug]
    rows = []
    for index in range(12):
        profile = {"leeftijdsgroep": "van_35_44", "geslacht": "vrouw" if index % 2 else "man", "wijk": "centrum" if index % 2 else "waterschei"}
        answers = profile | {variable: value} | ({rare: rare_value} if index < 5 else {})
        rows.append((answers, "2026-03-01", "self" if index % 3 else "assisted", "nl"))
    return rows


def content_copy(tmp_path, *, publish: bool):
    content = tmp_path / "questionnaires"
    shutil.copytree(QUESTIONNAIRES, content)
    if publish:
        for path in (content / "followup").glob("*.yaml"):
            path.write_text(path.read_text(encoding="utf-8").replace("published: false", "published: true"), encoding="utf-8")
    return content


def answered_app(database_url, tmp_path, compiled, slug, *, publish=True):
    content = content_copy(tmp_path, publish=publish)
    app = make_app(database_url, QUESTIONNAIRES_DIR=str(content), TRANSLATIONS_DIR=str(compiled))
    with database.connection_context():
        load_package(content)
        add_responses(Questionnaire.latest(slug), responses(slug))
        with app.app_context():
            newest_release(slug, today=AFTER_THE_BASELINE)
    return app, content


@pytest.mark.parametrize("slug", SLUGS)
def test_the_published_page_of_each_denktafel_speaks_every_language_and_hides_small_numbers(database_url, tmp_path, compiled, slug):
    app, _ = answered_app(database_url, tmp_path, compiled, slug)
    client = app.test_client()
    plan, definition = PACKAGE.plans[slug], BY_SLUG[slug]
    (_, _, key), (_, _, rare_key) = ANSWERED[slug]
    for language in LANGUAGES:
        response = client.get(f"/opvolging/{slug}?lang={language}")
        assert response.status_code == 200, (slug, language)
        page = response.text
        assert f'<html lang="{language}" dir="{LANGUAGES[language].direction}">' in page
        for rid, record in plan.records.items():
            assert shown(page, translated(language, slug, f"recommendation.{rid}", definition.recommendations[rid])), (language, rid)
            assert shown(page, translated(language, slug, f"followup.{rid}.note", record.note)), (language, rid)
        main = page.split('<main id="main"')[1].split("</main>")[0]
        if language != SOURCE_LANGUAGE:
            assert 'lang="nl"' not in main, language  # nothing of the follow-up falls back to Dutch
        # 12 answers: one figure, with its count and its wave in the reader's language; 5 answers: nothing at all.
        assert main.count('class="figure"') == 1, language
        title = translated(language, slug, f"indicator.{key}", plan.indicators[key].title)
        assert shown(main, title), language
        assert not shown(main, translated(language, slug, f"indicator.{rare_key}", plan.indicators[rare_key].title)), language
        wave = translated(language, "followup", "wave.nulmeting_2026", PACKAGE.waves[0].title)
        figure = main.split('class="figure"')[1].split("</p>")[0]
        assert "12" in figure and str(escape(wave)) in figure, (language, figure)
        assert main.count('class="status status-planned"') == len(plan.records)
        assert "%(" not in page and "Traceback" not in page


@pytest.fixture
def unpublished(database_url, compiled):
    """The content package as it is (nothing published), with compiled catalogs."""
    app = make_app(database_url, TRANSLATIONS_DIR=str(compiled))
    with database.connection_context():
        load_package(QUESTIONNAIRES)
    yield app
    database.obj.close_all()


@pytest.mark.parametrize("slug", SLUGS)
def test_before_publication_residents_read_what_the_denktafel_proposed_in_their_language(unpublished, slug):
    client = unpublished.test_client()
    definition = BY_SLUG[slug]
    for language in LANGUAGES:
        response = client.get(f"/opvolging/{slug}?lang={language}")
        assert response.status_code == 200, (slug, language)
        page = response.text
        for rid, text in definition.recommendations.items():
            assert shown(page, translated(language, slug, f"recommendation.{rid}", text)), (language, rid)
        assert 'class="status' not in page and 'class="figure"' not in page  # no status, no figure before the city publishes


def test_a_text_without_translation_is_shown_in_dutch_marked_as_dutch(database_url, tmp_path, compiled):
    app, content = answered_app(database_url, tmp_path, compiled, "werk")
    plan = content / "followup" / "werk.yaml"
    old = "De Denktafel vraagt meer hoger onderwijs in Genk."
    new = "De Denktafel vraagt meer hogescholen in Genk."
    plan.write_text(plan.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    page = app.test_client().get("/opvolging/werk?lang=pl").text
    assert f'<span lang="nl" dir="ltr">{new}</span>' in page
    assert shown(page, translated("pl", "werk", "followup.WE5b.note", PACKAGE.plans["werk"].records["WE5b"].note))  # the others stay Polish


def test_unconfirmed_records_are_marked_so_in_the_readers_language(database_url, tmp_path, compiled):
    app, _ = answered_app(database_url, tmp_path, compiled, "onderwijs")
    client = app.test_client()
    dutch = client.get("/opvolging/onderwijs").text
    assert "Let op: dit is een eerste voorstel." in dutch and dutch.count("(nog niet bevestigd)") == 5
    english = client.get("/opvolging/onderwijs?lang=en").text
    assert "Please note: this is a first proposal." in english and english.count("(not confirmed yet)") == 5
    assert "Dit volgt de stad op met eigen gegevens" in dutch  # OW5: the city's own data, no survey figure


@pytest.fixture
def published_without_answers(database_url, tmp_path, compiled):
    """Every follow-up published, and not a single response yet."""
    content = content_copy(tmp_path, publish=True)
    app = make_app(database_url, QUESTIONNAIRES_DIR=str(content), TRANSLATIONS_DIR=str(compiled))
    with database.connection_context():
        load_package(content)
    yield app
    database.obj.close_all()


def test_a_published_follow_up_without_answers_shows_records_and_no_figure_in_every_language(published_without_answers):
    client = published_without_answers.test_client()
    for slug in SLUGS:
        for language in LANGUAGES:
            response = client.get(f"/opvolging/{slug}?lang={language}")
            assert response.status_code == 200, (slug, language)
            assert response.text.count('class="status status-planned"') == len(PACKAGE.plans[slug].records)
            assert 'class="figure"' not in response.text


@pytest.mark.parametrize("slug", SLUGS)
def test_the_analysts_page_of_each_denktafel_works_in_dutch_and_english(database_url, tmp_path, compiled, slug):
    from tests.conftest import Staff

    app, _ = answered_app(database_url, tmp_path, compiled, slug)
    client = app.test_client()
    staff = Staff(client)
    staff.create("ana", "analyst")
    staff.login("ana")
    plan = PACKAGE.plans[slug]
    for language in ("nl", "en"):
        response = client.get(f"/results/{slug}/opvolging?lang={language}")
        assert response.status_code == 200, (slug, language)
        page = response.text
        assert page.count('<svg class="trend"') == sum(len(r.indicators) for r in plan.records.values())  # per recommendation
        ids = re.findall(r'\sid="([^"]+)"', page)
        assert len(ids) == len(set(ids)), "an id twice: an indicator that follows up two recommendations"
        for rid in plan.records:
            assert f'id="rec-{rid}"' in page
        assert shown(page, translated(language, "followup", "wave.nulmeting_2026", PACKAGE.waves[0].title))

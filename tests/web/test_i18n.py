"""Every resident in their own language: picker, switching, right to left, fallback, catalogs."""

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from survey_app import translations
from survey_app.catalog import load_package
from survey_app.content.answers import is_shown, visible_pages
from survey_app.content.duration import consent_minutes
from survey_app.content.reader import read_package
from survey_app.db import database
from survey_app.languages import LANGUAGES
from survey_app.models import Response

from ..conftest import QUESTIONNAIRES, ROOT, TRANSLATIONS, csrf_token, make_app
from ..resident import Resident, answer_for, is_thanks

SLUGS = ["stedelijke-dienstverlening", "ocmw-dienstverlening", "werk", "samenleven", "vrije-tijd", "onderwijs"]
HTML_TAG = re.compile(r'<html lang="([^"]*)" dir="([^"]*)">')
DUTCH_FALLBACK = '<span lang="nl" dir="ltr">'
# A question with a constraint, and answers that break it (earlier answers included).
CONSTRAINED = ("samenleven", "woonduur_groep", {"leeftijdsgroep": "van_16", "wijk": "centrum", "woonduur_groep": "vanaf_20"})
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]")


def html_language(page_html: str) -> tuple[str, str]:
    match = HTML_TAG.search(page_html)
    assert match, "no <html lang dir> tag"
    return match.group(1), match.group(2)


def expected_direction(code: str) -> str:
    return "rtl" if code == "ar" else "ltr"


def app_with_translations(database_url, directory):
    app = make_app(database_url, TRANSLATIONS_DIR=str(directory))
    with database.connection_context():
        load_package(QUESTIONNAIRES)
    return app


@pytest.fixture
def translated_client(database_url, compiled):
    app = app_with_translations(database_url, compiled)
    yield app.test_client()
    if not database.is_closed():
        database.close()


class WatchedResident(Resident):
    """A Resident that keeps every page it was shown."""

    def __init__(self, client, slug, form=""):
        super().__init__(client, slug, form)
        self.seen = []

    def start(self, **query):
        intro = self.client.get(f"/s/{self.slug}/", query_string=query)
        self.seen.append(intro.text)
        return super().start(**query)

    def post_page(self, number, answers, action="next", **query):
        response, page = super().post_page(number, answers, action, **query)
        self.seen.append(page.text)
        return response, page


def choose_language(client, code):
    picker = client.get("/")
    return client.post("/language", data={"lang": code, "next": "/", "csrf_token": csrf_token(picker.text)})


# --- every questionnaire in every language ------------------------------------------------


@pytest.mark.parametrize("code", list(LANGUAGES))
@pytest.mark.parametrize("slug", SLUGS)
def test_each_questionnaire_completes_in_each_language_with_lang_and_dir_on_every_page(translated_client, slug, code):
    chosen = choose_language(translated_client, code)
    assert chosen.status_code == 302
    resident = WatchedResident(translated_client, slug)
    response, known = resident.complete()
    thanks = translated_client.get(f"/s/{slug}/klaar")
    assert len(resident.seen) >= 2 and is_thanks(response, slug)
    for html in resident.seen + [response.text, thanks.text]:
        assert html_language(html) == (code, expected_direction(code))
    with database.connection_context():
        stored = Response.get()
        assert stored.language == code
        assert stored.answers == known


SHORT_FORMS = [d.slug for d in read_package(QUESTIONNAIRES)[0] if "kort" in d.forms]


@pytest.mark.parametrize("code", list(LANGUAGES))
@pytest.mark.parametrize("slug", SHORT_FORMS)
def test_each_short_form_completes_in_each_language_with_only_its_questions(translated_client, slug, code):
    choose_language(translated_client, code)
    resident = WatchedResident(translated_client, slug, form="kort")
    response, known = resident.complete()
    assert is_thanks(response, slug)
    short, full = resident.definition(), Resident(translated_client, slug).definition()
    with database.connection_context():
        stored = Response.get()
        assert stored.language == code and stored.answers == known
    assert set(stored.answers) <= set(short.variables()) and len(short.variables()) < len(full.variables())
    for html in resident.seen:
        assert html_language(html) == (code, expected_direction(code))
        assert DUTCH_FALLBACK not in html


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_lang_in_the_address_holds_for_the_whole_survey(translated_client, code):
    resident = WatchedResident(translated_client, "werk")
    resident.complete(lang=code)
    assert {html_language(html) for html in resident.seen} == {(code, expected_direction(code))}
    # The choice is remembered: the next page without ?lang= stays in it.
    assert html_language(translated_client.get("/").text) == (code, expected_direction(code))


# --- the language picker --------------------------------------------------------------------


def test_first_screen_is_a_picker_with_each_language_named_in_itself(client):
    page = client.get("/", headers={"Accept-Language": "tr"})
    assert page.status_code == 200
    assert 'href="/s/' not in page.text
    picker = page.text.split('class="language-picker"', 1)[1]
    for language in LANGUAGES.values():
        assert (
            f'name="lang" value="{language.code}" lang="{language.code}" dir="{language.direction}">{language.name}</button>'
            in picker
        )
    assert 'value="ar" lang="ar" dir="rtl">العربية<' in picker


def test_after_choosing_the_start_page_lists_the_surveys_in_that_language(client):
    response = choose_language(client, "pl")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    page = client.get("/")
    assert html_language(page.text) == ("pl", "ltr")
    for slug in SLUGS:
        assert f'href="/s/{slug}/"' in page.text


def test_lang_in_the_address_skips_the_picker(client):
    page = client.get("/?lang=ar")
    assert html_language(page.text) == ("ar", "rtl")
    assert 'href="/s/werk/"' in page.text


def test_browser_language_is_used_until_the_resident_chooses(client):
    assert html_language(client.get("/s/werk/", headers={"Accept-Language": "ro-RO,ro;q=0.9"}).text) == ("ro", "ltr")
    assert html_language(client.get("/s/werk/", headers={"Accept-Language": "zh-CN"}).text) == ("nl", "ltr")
    choose_language(client, "bg")
    assert html_language(client.get("/s/werk/", headers={"Accept-Language": "ro"}).text) == ("bg", "ltr")


# --- switching in the middle of a survey ----------------------------------------------------


def test_switching_language_mid_page_keeps_what_was_typed_and_earlier_answers(client):
    resident = Resident(client, "werk")
    definition = resident.definition()
    choose_language(client, "nl")
    resident.start()
    known = {}
    first_answers = {}
    for question in definition.pages[0].questions:
        first_answers.update(answer_for(question, known))
    response, _ = resident.post_page(1, first_answers)
    assert 'action="/s/werk/2"' in response.text
    page = response
    assert 'form="answers" name="action" value="language:ar"' in page.text
    second = [q for q in visible_pages(definition, known)[1].questions if is_shown(q, known)]
    typed = {}
    for question in second:
        typed.update(answer_for(question, dict(known)))
    assert typed, "page 2 of werk should ask something"
    switched, _ = resident.post_page(2, typed, action="language:ar")
    assert switched.status_code == 200 and 'action="/s/werk/2"' in switched.text

    again = switched
    assert html_language(again.text) == ("ar", "rtl")
    saved = resident.draft().answers
    for name, raw in {**first_answers, **typed}.items():
        assert name in saved, name
    for name, raw in typed.items():
        for value in raw if isinstance(raw, list) else [raw]:
            assert re.search(rf'name="{name}" value="{re.escape(value)}"( checked)?|name="{name}"[^>]*>{re.escape(value)}<', again.text), name
    back, _ = resident.post_page(2, typed, action="back")
    assert html_language(back.text) == ("ar", "rtl")
    for name, raw in first_answers.items():
        for value in raw if isinstance(raw, list) else [raw]:
            assert re.search(rf'name="{name}" value="{re.escape(value)}"( checked)?|name="{name}"[^>]*>{re.escape(value)}<', back.text), name


def test_switching_language_keeps_answers_to_the_end_and_records_the_final_language(client):
    resident = Resident(client, "stedelijke-dienstverlening")
    definition = resident.definition()
    resident.start(lang="fr")
    known = {}
    answers = {}
    for question in definition.pages[0].questions:
        answers.update(answer_for(question, known))
    switched, _ = resident.post_page(1, answers, action="language:tr")
    assert switched.status_code == 200 and html_language(switched.text)[0] == "tr"
    # Posting the same page now goes on, in Turkish, with the answers kept.
    response, _ = resident.post_page(1, answers)
    assert response.status_code == 200 and 'action="/s/stedelijke-dienstverlening/2"' in response.text
    draft = resident.draft()
    assert draft.language == "tr"
    for name in answers:
        assert name in draft.answers


def test_unknown_language_in_the_switch_button_only_reshows_the_page(client):
    resident = Resident(client, "werk")
    resident.start(lang="it")
    response, _ = resident.post_page(1, {}, action="language:xx")
    assert response.status_code == 200 and 'action="/s/werk/1"' in response.text
    assert html_language(response.text) == ("it", "ltr")


# --- bad language codes never give a 500 ----------------------------------------------------

BAD_CODES = ["xx", "", "NL", "nl-BE-x", "<script>", "ar\x00", "../../etc/passwd", "x" * 5000, "ar;q=1", "%(number)s"]


@pytest.mark.parametrize("code", BAD_CODES)
def test_bad_language_in_the_address_falls_back_quietly(client, code):
    for path in ("/", "/s/werk/", "/staff/login"):
        response = client.get(path, query_string={"lang": code})
        assert response.status_code in (200, 302), (path, response.status_code)
        if response.status_code == 200:
            assert html_language(response.text)[0] in LANGUAGES


@pytest.mark.parametrize("code", BAD_CODES + [None, 42, ["ar"], {"lang": "ar"}])
def test_bad_language_in_the_session_falls_back_quietly(client, code):
    with client.session_transaction() as session:
        session["lang"] = code
    for path in ("/", "/s/werk/"):
        response = client.get(path)
        assert response.status_code == 200
        assert html_language(response.text) == ("nl", "ltr")


@pytest.mark.parametrize(
    "header",
    ["xx", "*", ";;;", "ar;q=abc", "tr;q=2, zz", "ar-MA;q=0.8, fr;q=0.9", "\x00", "a" * 3000, ",,,", "q=1"],
)
def test_bad_accept_language_falls_back_quietly(client, header):
    response = client.get("/s/werk/", headers={"Accept-Language": header})
    assert response.status_code == 200
    assert html_language(response.text)[0] in LANGUAGES


def test_accept_language_picks_the_best_of_ours(client):
    assert html_language(client.get("/s/werk/", headers={"Accept-Language": "ar-MA;q=0.8, fr;q=0.9"}).text) == ("fr", "ltr")
    assert html_language(client.get("/s/werk/", headers={"Accept-Language": "ar-MA"}).text) == ("ar", "rtl")


@pytest.mark.parametrize("form", [{"lang": "xx"}, {}, {"lang": ""}, {"lang": "ar", "next": "//evil.example"}, {"lang": "tr", "next": "\\\\evil"}])
def test_bad_language_form_posts_fall_back_quietly(client, form):
    picker = client.get("/")
    response = client.post("/language", data={"csrf_token": csrf_token(picker.text), **form})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/") and not response.headers["Location"].startswith("//")
    assert client.get("/s/werk/").status_code == 200


# --- right to left --------------------------------------------------------------------------


def test_arabic_pages_are_right_to_left_with_numbers_and_answers_isolated(client):
    resident = Resident(client, "vrije-tijd")
    resident.start(lang="ar")
    page = resident.shown
    assert html_language(page.text) == ("ar", "rtl")
    assert re.search(r"<bdi>1</bdi>.*<bdi>\d+</bdi>", page.text.split('id="progress-text"', 1)[1].split("</span>", 1)[0])
    assert "<span><bdi>" in page.text  # answer labels
    for field in re.findall(r'<input type="text"[^>]*>|<textarea[^>]*>', page.text):
        assert 'dir="auto"' in field or 'dir="ltr"' in field


def test_scale_ends_isolate_their_numbers(client):
    resident = Resident(client, "werk")
    definition = resident.definition()
    assert any(q.type == "scale" for q in definition.questions())
    from survey_app.web.templating import isolate

    assert str(isolate("10")) == "<bdi>10</bdi>"
    assert str(isolate("<b>")) == "<bdi>&lt;b&gt;</bdi>"


PHYSICAL = re.compile(
    r"(?:margin|padding|border)-(?:left|right)\b|(?<![-\w])(?:left|right)\s*:|text-align\s*:\s*(?:left|right)|float\s*:\s*(?:left|right)"
)


def test_stylesheet_uses_logical_properties_so_arabic_mirrors():
    css = (ROOT / "survey_app" / "static" / "survey.css").read_text(encoding="utf-8")
    assert PHYSICAL.findall(css) == []


# --- Dutch fallback, marked lang="nl" -------------------------------------------------------


def partial_catalog(directory: Path, language: str, entries: dict[tuple[str, str], tuple[str, bool]]) -> None:
    catalog = Catalog(locale=language, domain="questionnaires", fuzzy=False)
    for (context, text), (translation, fuzzy) in entries.items():
        catalog.add(text, translation, context=context, flags=["fuzzy"] if fuzzy else [])
    path = translations.catalog_path(directory, language, "questionnaires")
    translations.write_catalog(catalog, path)
    translations.compile_catalog(directory, language, "questionnaires")


def test_a_missing_or_fuzzy_translation_shows_dutch_marked_lang_nl(database_url, tmp_path):
    definitions, _ = read_package(QUESTIONNAIRES)
    werk = next(d for d in definitions if d.slug == "werk")
    partial_catalog(
        tmp_path,
        "fr",
        {
            ("werk:title", werk.title): ("Travailler pour la ville <vite>", False),
            ("werk:intro", werk.intro): ("Une traduction périmée", True),
        },
    )
    app = app_with_translations(database_url, tmp_path)
    try:
        page = app.test_client().get("/s/werk/?lang=fr")
    finally:
        if not database.is_closed():
            database.close()
    assert "<h1>Travailler pour la ville &lt;vite&gt;</h1>" in page.text
    assert "<title>Travailler pour la ville &lt;vite&gt; ·" in page.text  # no markup inside <title>
    assert "Une traduction périmée" not in page.text  # fuzzy is never compiled
    assert f"{DUTCH_FALLBACK}{werk.intro}</span>" in page.text.replace("&#39;", "'")
    consent = werk.consent.replace("%(minuten)s", str(consent_minutes(werk.form("kort"))))
    assert f"{DUTCH_FALLBACK}{consent}</span>" in page.text.replace("&#39;", "'")


def test_dutch_pages_have_no_fallback_marks(client):
    page = client.get("/s/werk/?lang=nl")
    assert DUTCH_FALLBACK not in page.text


def test_fallback_text_is_escaped(app):
    from survey_app.content.definition import Definition
    from survey_app.web.templating import questionnaire_plain_text, questionnaire_text

    definition = Definition("x", 1, "published", "A <b>&", "", "", "", "", {}, ())
    with app.test_request_context("/?lang=tr"):
        assert str(questionnaire_text(definition, "title", definition.title)) == f"{DUTCH_FALLBACK}A &lt;b&gt;&amp;</span>"
        assert questionnaire_plain_text(definition, "title", definition.title) == "A <b>&"
    with app.test_request_context("/?lang=nl"):
        assert str(questionnaire_text(definition, "title", definition.title)) == "A &lt;b&gt;&amp;"


def test_every_string_residents_read_is_looked_up_under_its_extracted_key(database_url, tmp_path):
    """A pseudo-translation of every extracted string leaves no Dutch on any page: the keys of the
    templates and of the extractor agree."""
    definitions, _ = read_package(QUESTIONNAIRES)
    sources = translations.questionnaire_sources(definitions)
    partial_catalog(
        tmp_path, "it", {(context, text): (f"«{text}»", False) for items in sources.values() for context, text in items}
    )
    app = app_with_translations(database_url, tmp_path)
    try:
        client = app.test_client()
        for slug in SLUGS:
            resident = WatchedResident(client, slug)
            resident.complete(lang="it")
            for html in resident.seen:
                assert DUTCH_FALLBACK not in html, slug
        assert DUTCH_FALLBACK not in client.get("/?lang=it").text
        # A constraint message, too: twenty years in the neighbourhood at sixteen.
        slug, key, wrong = CONSTRAINED
        resident = Resident(client, slug)
        resident.start(lang="it")
        definition = resident.definition()
        question = definition.question(key)
        known, number = {}, 1
        while True:
            page = visible_pages(definition, known)[number - 1]
            answers = {}
            for q in page.questions:
                if is_shown(q, known):
                    answers.update(answer_for(q, known))
            answers.update({k: v for k, v in wrong.items() if any(k in q.variables for q in page.questions)})
            if question in page.questions:
                break
            known.update({k: v for k, v in wrong.items() if k in answers})
            resident.post_page(number, answers, lang="it")
            number += 1
        response, _ = resident.post_page(number, answers, lang="it")
        assert response.status_code == 200
        assert f"«{question.constraint_message}»" in response.text.replace("&#39;", "'")
    finally:
        if not database.is_closed():
            database.close()


# --- the catalogs ---------------------------------------------------------------------------


def interface_template():
    return translations.extract_domain("messages", root=ROOT, config_file=ROOT / "babel.cfg")


@pytest.mark.parametrize("code", translations.TARGET_LANGUAGES)
def test_interface_catalog_is_complete(code):
    gaps = []
    catalog = translations.load_catalog(TRANSLATIONS, code, "messages")
    assert catalog is not None, f"no catalog: flask --app survey_app translations init {code}"
    translations.count_strings(
        catalog, translations.interface_sources(interface_template()), language=code, domain="messages", gaps=gaps
    )
    assert [(g.state, g.text) for g in gaps] == []


@pytest.mark.parametrize("code", translations.TARGET_LANGUAGES)
@pytest.mark.parametrize("domain", translations.DOMAINS)
def test_placeholders_match_between_source_and_translation(code, domain):
    catalog = translations.load_catalog(TRANSLATIONS, code, domain)
    assert catalog is not None
    assert [(m.id, errors) for m, errors in catalog.check()] == []
    for message in catalog:
        if message.id and message.string and isinstance(message.id, str):
            assert sorted(PLACEHOLDER.findall(message.id)) == sorted(PLACEHOLDER.findall(message.string)), message.id


@pytest.mark.parametrize("code", translations.TARGET_LANGUAGES)
@pytest.mark.parametrize("domain", translations.DOMAINS)
def test_each_catalog_asks_for_a_native_speakers_review(code, domain):
    text = translations.catalog_path(TRANSLATIONS, code, domain).read_text(encoding="utf-8")
    assert translations.REVIEW_NOTE in text.split("msgid", 1)[0]


@pytest.mark.parametrize("code", translations.TARGET_LANGUAGES)
def test_published_questionnaires_are_fully_translated(code):
    """Fails on every missing or fuzzy string of a published questionnaire in this language."""
    definitions, problems = read_package(QUESTIONNAIRES)
    assert problems == []
    published = [d for d in definitions if d.state == "published"]
    catalog = translations.load_catalog(TRANSLATIONS, code, "questionnaires")
    gaps = []
    for slug, sources in translations.questionnaire_sources(published).items():
        translations.count_strings(catalog, sources, language=code, domain="questionnaires", gaps=gaps)
    summary = {}
    for gap in gaps:
        summary.setdefault(f"{gap.context.split(':')[0]} {gap.state}", []).append(gap.context)
    assert summary == {}, f"{len(gaps)} strings not translated in {code}; see `flask --app survey_app translations status -l {code}`"


@pytest.mark.parametrize("header", ["", "tr", "ro-RO,ro;q=0.9", "zh-CN", "ar-MA;q=0.8, fr;q=0.9", "*", "en;q=0, nl;q=0.1", "garbage;;q=x"])
def test_the_browser_language_kept_per_header_is_what_werkzeug_chooses(app, header):
    from survey_app.web import i18n

    for _ in range(2):  # the second answer comes from the kept one
        with app.test_request_context(headers={"Accept-Language": header} if header else {}):
            from flask import request

            expected = request.accept_languages.best_match(list(i18n.LANGUAGES)) or "nl"
            assert i18n.select_locale() is i18n._LOCALES[expected]
            assert str(i18n.select_locale()) == expected

"""The resident's flow through the test client, on every backend."""

import re
import time

import pytest

from survey_app.content.answers import visible_pages
from survey_app.content.duration import consent_minutes
from survey_app.db import database
from survey_app.models import Response

from ..conftest import csrf_token
from ..resident import Resident, answers_to, is_thanks, page_form, sealed_draft

SLUGS = ["stedelijke-dienstverlening", "ocmw-dienstverlening", "werk", "samenleven", "vrije-tijd", "onderwijs"]


def test_start_page_lists_the_six_published_surveys(client):
    page = client.get("/?lang=nl")  # without a chosen language, / is the language picker
    assert page.status_code == 200
    for slug in SLUGS:
        assert f'href="/s/{slug}/"' in page.text


@pytest.mark.parametrize("slug", SLUGS)
def test_each_questionnaire_completes_end_to_end_in_dutch(client, slug):
    response, known = Resident(client, slug).complete()
    assert is_thanks(response, slug)
    with database.connection_context():
        stored = Response.get()
        assert stored.questionnaire.slug == slug
        assert stored.language == "nl"
        assert stored.mode == "self"
        assert stored.form == "volledig"
        assert stored.answers == known
    assert "Bedankt" in response.text and "Bedankt" in client.get(f"/s/{slug}/klaar").text


def first_page(client, slug="vrije-tijd"):
    resident = Resident(client, slug)
    resident.start()
    return resident


def test_the_intro_offers_the_short_form_and_all_questions_with_their_minutes(client):
    werk = Resident(client, "werk").definition()
    short = werk.form("kort")
    page = client.get("/s/werk/").text.replace("&#39;", "'")
    assert f"Begin: korte vragenlijst, ongeveer {consent_minutes(short)} minuten" in page
    assert f"Alle vragen, ongeveer {consent_minutes(werk)} minuten" in page
    assert consent_minutes(short) <= 5 < consent_minutes(werk)
    assert werk.consent.replace("%(minuten)s", str(consent_minutes(short))) in page
    assert "%(minuten)s" not in page


def test_the_short_form_asks_only_its_questions_under_the_full_forms_variable_names(client):
    resident = Resident(client, "werk", form="kort")
    response, known = resident.complete()
    with database.connection_context():
        stored = Response.get()
    assert stored.answers == known
    full = Resident(client, "werk").definition()
    assert set(known) <= set(resident.definition().variables()) < set(full.variables())


@pytest.mark.parametrize("slug", SLUGS)
def test_each_short_form_completes_end_to_end(client, slug):
    if "kort" not in Resident(client, slug).definition().forms:
        pytest.skip(f"{slug} has no short form yet")
    resident = Resident(client, slug, form="kort")
    response, known = resident.complete()
    assert is_thanks(response, slug)
    with database.connection_context():
        stored = Response.get()
    assert stored.answers == known
    assert stored.form == "kort"  # exports and indicators tell the short form from the full one
    assert set(known) <= set(resident.definition().variables())


def test_back_and_next_keep_the_answers(client):
    resident = first_page(client, "stedelijke-dienstverlening")
    definition = resident.definition()
    first = definition.pages[0].questions[0]
    value = str(first.answer_values[0])
    response, _ = resident.post_page(1, {first.key: value})
    assert response.status_code == 200 and 'action="/s/stedelijke-dienstverlening/2"' in response.text
    back, _ = resident.post_page(2, {}, action="back")
    assert back.status_code == 200 and 'action="/s/stedelijke-dienstverlening/1"' in back.text
    assert f'name="{first.key}" value="{value}" checked' in back.text
    assert resident.draft().answers[first.key] == first.answer_values[0]


def test_begin_answers_with_page_1_and_the_session_holds_only_the_nonce(client):
    resident = Resident(client, "werk")
    started = resident.start()
    assert started.status_code == 200 and 'action="/s/werk/1"' in started.text
    assert started.headers["Cache-Control"] == "no-store"
    with client.session_transaction() as session:
        assert session["draft"] and "draft_start" not in session
    assert resident.draft().answers == {}
    # Page 1 lives in the answer to Begin only: a GET of it has no answers to show. The draft
    # is still in progress, so the intro does not say they are lost ('Begin' offers to go on).
    response = client.get("/s/werk/1")
    assert response.status_code == 302 and response.headers["Location"] == "/s/werk/"


def test_a_draft_past_its_lifetime_sends_the_resident_to_the_start(client, monkeypatch):
    import time

    from survey_app import drafts

    client.application.config["DRAFT_LIFETIME_MINUTES"] = 1
    resident = first_page(client, "werk")
    page = resident.shown
    assert resident.draft() is not None
    later = time.time() + 61  # the whole clock: the CSRF token (4 hours) still holds
    monkeypatch.setattr(drafts.time, "time", lambda: later)
    assert resident.draft() is None
    response = client.post("/s/werk/1", data=page_form(page.text, action="next"))
    assert response.status_code == 302 and "expired=1" in response.headers["Location"]


def test_pages_answered_to_a_post_are_never_cached_either(client):
    resident = first_page(client, "werk")
    response, _ = resident.post_page(1, {}, action="language:fr")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert 'autocomplete="off"' in response.text


def test_progress_shows_page_x_of_y(client):
    page = first_page(client, "werk").shown
    assert "Pagina <bdi>1</bdi> van" in page.text
    assert "<progress" in page.text


def test_a_double_tap_on_send_stores_the_response_once(client):
    resident = Resident(client, "vrije-tijd")
    response, _ = resident.complete()
    final = resident.shown  # the last page, as the browser still shows it
    with database.connection_context():
        stored = Response.get()
    # The same final post again: the nonce is gone from the session, so its sealed answers
    # cannot be opened; the response id finds the stored response.
    number = final.text.split('action="/s/vrije-tijd/', 1)[1].split('"', 1)[0]
    again = client.post(f"/s/vrije-tijd/{number}", data=page_form(final.text, action="next"))
    assert again.status_code == 302
    assert again.headers["Location"].endswith("/s/vrije-tijd/klaar?sent=1")  # and says so
    with database.connection_context():
        assert Response.select().count() == 1


def test_store_response_is_idempotent_on_the_client_id(app):
    from survey_app.models import Questionnaire
    from survey_app.responses import store_response

    with database.connection_context():
        row = Questionnaire.current("werk")
        first, created = store_response(questionnaire=row, response_uuid="0b0f9a53-4d5b-4a39-9a7b-7d0c3f3bde11", answers={"a": 1}, language="nl")
        second, created_again = store_response(questionnaire=row, response_uuid="0b0f9a53-4d5b-4a39-9a7b-7d0c3f3bde11", answers={"a": 1}, language="nl")
        assert created and not created_again
        assert first.id == second.id
        assert Response.select().count() == 1


@pytest.mark.parametrize("url", ["/s/bestaat-niet/", "/s/bestaat-niet/1", "/s/werk/99", "/s/werk/0", "/s/werk/abc", "/niets"])
def test_unknown_survey_or_page_is_a_clear_404(client, url):
    first_page(client, "werk")
    response = client.get(url)
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.text


def test_a_page_without_answers_in_progress_sends_the_resident_to_the_start(client):
    response = client.get("/s/werk/2")
    assert response.status_code == 302
    assert "/s/werk/?expired=1" in response.headers["Location"]


def post_first_page(resident, answers, *, with_token=True):
    data = page_form(resident.shown.text, action="next") | answers
    if not with_token:
        del data["csrf_token"]
    return resident.client.post(f"/s/{resident.slug}/1", data=data)


def test_an_option_that_does_not_exist_gets_a_message_and_nothing_is_kept(client):
    resident = first_page(client, "stedelijke-dienstverlening")
    question = resident.definition().pages[0].questions[0]
    response = post_first_page(resident, {question.key: "<script>alert(1)</script>"})
    assert response.status_code == 200
    assert "Kies een van de antwoorden." in response.text
    assert "<script>alert(1)</script>" not in response.text
    resident.shown = response
    assert resident.draft().answers == {}
    with database.connection_context():
        assert Response.select().count() == 0


def questions_of_type(definition, kind):
    return [(n, q) for n, page in enumerate(definition.pages, start=1) for q in page.questions if q.type == kind]


@pytest.fixture
def proef(empty_app):
    """An app with only the test questionnaire that has every question type."""
    from survey_app.catalog import load_package

    from ..conftest import ROOT

    with database.connection_context():
        load_package(ROOT / "tests" / "fixtures" / "questionnaires")
    resident = Resident(empty_app.test_client(), "proef")
    resident.start()
    return resident


def post_proef(resident, answers, action="next"):
    number = int(resident.shown.text.split('action="/s/proef/', 1)[1].split('"', 1)[0])
    response, _ = resident.post_page(number, answers, action=action)
    return response


@pytest.mark.parametrize(
    "answers, message",
    [
        ({"kanaal": ""}, "Geef hier een antwoord."),
        ({"kanaal": "brief"}, "Kies een van de antwoorden."),
        ({"kanaal": ["loket", "telefoon"]}, "Kies één antwoord."),
        ({"kanalen": ["loket", "geen"]}, "Dit antwoord kunt u niet samen met een ander antwoord kiezen."),
        ({"kanalen": ["loket", "telefoon", "brief"]}, "Kies een van de antwoorden."),
        ({"eens": "6"}, "Kies een van de antwoorden."),
        ({"cijfer": "11"}, "Kies een van de antwoorden."),
        ({"aantal": "21"}, "Vul een getal in van 0 tot 20."),
        ({"aantal": "2,5"}, "Vul een getal in, zonder komma."),
        ({"aantal": "9" * 40}, "Vul een getal in, zonder komma."),
        ({"jaar": "2025"}, "U moet minstens 16 jaar zijn."),
        ({"dag": "gisteren"}, "Vul een datum in, zoals 31-12-2024."),
        ({"dag": "2031-01-01"}, "Vul een datum in van 01-01-2024 tot en met 31-12-2030."),
        ({"kort": "x" * 11}, "Uw antwoord is te lang. Gebruik ten hoogste 10 tekens."),
        ({"rooster_snel": "0"}, "Kies een van de antwoorden."),
    ],
)
def test_bad_answers_get_a_message_next_to_the_field_and_nothing_is_kept(proef, answers, message):
    data = {"kanaal": "loket"} | answers
    response = post_proef(proef, data)
    assert response.status_code == 200
    assert 'class="error" id="error-' in response.text
    assert message in response.text
    assert 'id="error-summary"' in response.text
    assert proef.draft().answers == {}
    with database.connection_context():
        assert Response.select().count() == 0


def test_every_question_type_accepts_a_good_answer_and_stores_its_type(proef):
    good = {
        "kanaal": "loket", "kanalen": ["loket", "telefoon"], "eens": "9", "cijfer": "0", "aantal": "20",
        "jaar": "1960", "dag": "2025-03-01", "kort": " kort ", "lang": "regel een\r\nregel twee",
        "rooster_snel": "5", "rooster_vriendelijk": "1",
    }
    assert 'action="/s/proef/2"' in post_proef(proef, good).text
    assert proef.draft().answers == {
            "kanaal": "loket", "kanalen": ["loket", "telefoon"], "eens": 9, "cijfer": 0, "aantal": 20,
            "jaar": 1960, "dag": "2025-03-01", "kort": "kort", "lang": "regel een\nregel twee",
            "rooster_snel": 5, "rooster_vriendelijk": 1,
        }


def test_long_answers_travel_in_the_form_and_the_cookie_stays_small(proef):
    # 2,000 characters (the most a long text takes), in Arabic: sealed, more than a cookie's 4 KB.
    story = ("حكاية طويلة عن الحي والجيران. " * 80)[:2000].strip()
    good = {
        "kanaal": "loket", "kanalen": ["loket"], "eens": "4", "cijfer": "7", "aantal": "2", "jaar": "1960",
        "dag": "2025-03-01", "kort": "kort", "rooster_snel": "5", "rooster_vriendelijk": "1",
    }
    response = post_proef(proef, good | {"lang": story})
    assert 'action="/s/proef/2"' in response.text
    assert proef.draft().answers["lang"] == story
    assert len(sealed_draft(response.text)) > 4096
    cookie = proef.client.get_cookie("survey_session")
    assert len(cookie.value) < 500  # the nonce only; the answers are in the page


def test_a_page_hidden_by_skip_logic_drops_its_answers_at_submit(proef):
    assert 'action="/s/proef/2"' in post_proef(proef, {"kanaal": "loket"}).text
    assert 'action="/s/proef/1"' in post_proef(proef, {"slot": "weg ermee"}, action="back").text
    response = post_proef(proef, {"kanaal": "telefoon"})
    assert is_thanks(response, "proef")
    with database.connection_context():
        assert Response.get().answers == {"kanaal": "telefoon"}


def test_a_date_may_be_typed_the_belgian_way(proef):
    post_proef(proef, {"kanaal": "loket", "dag": "1-3-2025"})
    assert proef.draft().answers["dag"] == "2025-03-01"


def test_a_missing_csrf_token_is_a_clear_400_and_stores_nothing(client):
    resident = first_page(client, "werk")
    response = post_first_page(resident, {}, with_token=False)
    assert response.status_code == 400
    assert "te lang open" in response.text
    assert resident.draft().answers == {}


def test_a_wrong_csrf_token_is_refused(client):
    first_page(client, "werk")
    response = client.post("/s/werk/1", data={"csrf_token": "forged", "action": "next"})
    assert response.status_code == 400


def test_null_bytes_and_control_characters_are_removed_from_text(client):
    slug = "stedelijke-dienstverlening"
    resident = Resident(client, slug)
    definition = resident.definition()
    from survey_app.content.answers import clean_value

    number, question = questions_of_type(definition, "long_text")[0]
    value, error = clean_value(question, ["goed\x00 zo\x1b\r\nnieuwe regel\u2028"])
    assert error is None
    assert value == "goed zo\nnieuwe regel"


def test_an_oversized_body_is_refused_with_413(client):
    page = first_page(client, "werk").shown
    response = client.post("/s/werk/1", data={"csrf_token": csrf_token(page.text), "x": "a" * (300 * 1024)})
    assert response.status_code == 413
    assert "Te veel tekst" in response.text


def test_a_wrong_method_is_a_clear_405(client):
    response = client.post("/s/werk/")
    assert response.status_code == 405


def test_pages_with_answers_are_never_cached(client):
    page = first_page(client, "werk").shown
    assert page.headers["Cache-Control"] == "no-store"
    assert 'autocomplete="off"' in page.text
    assert "Content-Security-Policy" in page.headers


def test_stopping_throws_the_answers_away(client):
    resident = first_page(client, "werk")
    page = resident.shown
    response = client.post("/s/werk/stop", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 302
    assert resident.draft() is None
    assert client.get("/s/werk/1").status_code == 302


def test_a_closed_questionnaire_is_not_offered(client, app):
    from survey_app.models import Questionnaire
    from survey_app.workflow import transition

    with database.connection_context():
        transition(Questionnaire.current("werk"), "closed", actor="test")
    assert 'href="/s/werk/"' not in client.get("/").text
    assert client.get("/s/werk/").status_code == 404


def test_answers_sent_after_another_process_closed_the_version_are_not_stored(client, app):
    from survey_app import published
    from survey_app.models import Questionnaire

    published.keep_for(60)  # this process keeps the version it read as published
    try:
        resident = Resident(client, "werk")
        definition = resident.definition()
        resident.start()
        known, number = {}, 1
        while number < len(visible_pages(definition, known)):
            resident.post_page(number, answers_to(visible_pages(definition, known)[number - 1], known))
            number += 1
        with database.connection_context():  # closed by a worker or the CLI
            Questionnaire.update(state="closed").where(Questionnaire.slug == "werk").execute()
        last, _ = resident.post_page(number, answers_to(visible_pages(definition, known)[number - 1], known))
        assert last.status_code == 302 and last.headers["Location"] == "/s/werk/?expired=1"
        with database.connection_context():
            assert Response.select().count() == 0
        # The process now asks the database again: the survey is closed.
        assert client.get("/s/werk/").status_code == 404
    finally:
        published.keep_for(published.KEEP_SECONDS)


def test_reading_a_page_leaves_the_residents_cookie_alone(client):
    # Flask-Login's session protection used to rewrite a resident's session cookie, and clear a
    # remember cookie, on every page: work on every request for nothing.
    resident = Resident(client, "werk")
    resident.start()
    for url in ("/s/werk/", "/s/werk/klaar"):
        assert client.get(url).headers.getlist("Set-Cookie") == [], url


def test_dont_know_stands_apart_from_the_scale_and_is_stored_as_8(client):
    """'Weet ik niet' is no sixth point: it sits with 'niet van toepassing' beside the scale."""
    resident = Resident(client, "vrije-tijd")
    definition = resident.definition()
    resident.start()
    known, number, seen = {}, 1, False
    while True:
        page = visible_pages(definition, known)[number - 1]
        answers = answers_to(page, known)
        if 'id="q-info_ervaring_overzicht"' in resident.shown.text:
            item = resident.shown.text.split('id="q-info_ervaring_overzicht"')[1].split("</fieldset>")[0]
            points, aside = item.split('<div class="aside">')
            assert 'value="8"' in aside and 'value="9"' in aside and "Weet ik niet" in aside
            assert 'value="8"' not in points and 'value="5"' in points
            answers["info_ervaring_overzicht"] = ["8"]
            known["info_ervaring_overzicht"] = 8
            seen = True
        response, _ = resident.post_page(number, answers)
        if is_thanks(response, "vrije-tijd"):
            break
        assert response.status_code == 200 and 'class="error' not in response.text, number
        number += 1
    assert seen
    with database.connection_context():
        assert Response.get().answers["info_ervaring_overzicht"] == 8


# Answers are never lost without warning: stopping asks, 'Begin' offers to go on, and the
# back button after sending says the answers were sent.
SEALED_IN = re.compile(r'name="draft" value="([^"]*)"')


def form_posting_to(html: str, action: str) -> dict:
    """Return the hidden fields (and the button's value) of the form that posts to action."""
    form = html.split(f'action="{action}"', 1)[1].split("</form>", 1)[0]
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    button = re.search(r'<button type="submit" name="action" value="([^"]+)"', form)
    return data | ({"action": button.group(1)} if button else {})


def page_one_answered(client, slug="stedelijke-dienstverlening"):
    """Return the resident on page 2, with the answer given on page 1 as (name, value)."""
    resident = first_page(client, slug)
    first = resident.definition().pages[0].questions[0]
    response, _ = resident.post_page(1, {first.key: str(first.answer_values[0])})
    assert f'action="/s/{slug}/2"' in response.text
    return resident, (first.key, first.answer_values[0])


def test_stopping_asks_first_and_no_keeps_every_answer_even_what_was_just_typed(client):
    resident, (name, value) = page_one_answered(client)
    second = resident.definition().pages[1].questions[0]
    typed = str(second.answer_values[0])
    asked, _ = resident.post_page(2, {second.key: typed}, action="stop")
    assert asked.status_code == 200 and "Wilt u stoppen?" in asked.text
    no = form_posting_to(asked.text, "/s/stedelijke-dienstverlening/2")
    assert no["action"] == "resume"
    back = client.post("/s/stedelijke-dienstverlening/2", data=no)
    assert back.status_code == 200 and 'action="/s/stedelijke-dienstverlening/2"' in back.text
    assert f'name="{second.key}" value="{typed}" checked' in back.text
    resident.shown = back
    assert resident.draft().answers[name] == value


def test_stopping_when_confirmed_wipes_the_answers_and_says_so(client):
    resident, _ = page_one_answered(client)
    asked, _ = resident.post_page(2, {}, action="stop")
    yes = client.post("/s/stedelijke-dienstverlening/stop", data=form_posting_to(asked.text, "/s/stedelijke-dienstverlening/stop"))
    assert yes.status_code == 302 and yes.headers["Location"] == "/s/stedelijke-dienstverlening/?stopped=1"
    assert resident.draft() is None
    assert "Uw antwoorden zijn gewist." in client.get(yes.headers["Location"]).text
    # The 'no' of the question, posted after all, finds nothing to go on with.
    late = client.post("/s/stedelijke-dienstverlening/2", data=form_posting_to(asked.text, "/s/stedelijke-dienstverlening/2"))
    assert late.status_code == 302 and "expired=1" in late.headers["Location"]


def test_the_stop_question_does_not_block_on_a_required_answer_left_empty(client):
    resident = first_page(client, "werk")
    asked, _ = resident.post_page(1, {}, action="stop")
    assert asked.status_code == 200 and "Wilt u stoppen?" in asked.text


def test_begin_while_answers_are_in_progress_offers_to_go_on_where_you_were(client):
    resident, (name, value) = page_one_answered(client)
    intro = client.get("/s/stedelijke-dienstverlening/")
    assert 'data-in-progress="stedelijke-dienstverlening"' in intro.text
    # What survey.js puts in the start form: the sealed copy of the last page the tab showed.
    begin = form_posting_to(intro.text, "/s/stedelijke-dienstverlening/start")
    begin |= {"draft": sealed_draft(resident.shown.text), "page": "2"}
    offer = client.post("/s/stedelijke-dienstverlening/start", data=begin)
    assert offer.status_code == 200 and "U was al bezig" in offer.text
    on = client.post("/s/stedelijke-dienstverlening/2", data=form_posting_to(offer.text, "/s/stedelijke-dienstverlening/2"))
    assert on.status_code == 200 and 'action="/s/stedelijke-dienstverlening/2"' in on.text
    resident.shown = on
    assert resident.draft().answers[name] == value
    # Starting again is the other, explicit choice: a new draft, and the old copies unreadable.
    again = client.post("/s/stedelijke-dienstverlening/start", data=form_posting_to(offer.text, "/s/stedelijke-dienstverlening/start"))
    assert again.status_code == 200 and "U was al bezig" not in again.text
    assert 'action="/s/stedelijke-dienstverlening/1"' in again.text and resident.draft() is None


def test_back_on_the_first_page_shows_the_intro_with_the_answers_along(client):
    resident = first_page(client, "stedelijke-dienstverlening")
    first = resident.definition().pages[0].questions[0]
    intro, _ = resident.post_page(1, {first.key: str(first.answer_values[0])}, action="back")
    assert intro.status_code == 200 and 'action="/s/stedelijke-dienstverlening/start"' in intro.text
    begin = form_posting_to(intro.text, "/s/stedelijke-dienstverlening/start")
    assert begin["draft"] and begin["page"] == "1"  # no script needed
    offer = client.post("/s/stedelijke-dienstverlening/start", data=begin)
    on = client.post("/s/stedelijke-dienstverlening/1", data=form_posting_to(offer.text, "/s/stedelijke-dienstverlening/1"))
    assert f'name="{first.key}" value="{first.answer_values[0]}" checked' in on.text


@pytest.mark.parametrize("sealed, page", [("", "1"), ("bm9uc2Vuc2U=", "1"), (None, "99"), (None, "x")])
def test_begin_with_no_readable_answers_starts_at_once_and_a_bad_page_number_means_page_one(client, sealed, page):
    resident, _ = page_one_answered(client)
    intro = client.get("/s/stedelijke-dienstverlening/")
    begin = form_posting_to(intro.text, "/s/stedelijke-dienstverlening/start")
    begin |= {"draft": sealed_draft(resident.shown.text) if sealed is None else sealed, "page": page}
    response = client.post("/s/stedelijke-dienstverlening/start", data=begin)
    assert response.status_code == 200 and 'action="/s/stedelijke-dienstverlening/1"' in response.text
    assert ("U was al bezig" in response.text) == (sealed is None)


def test_a_page_address_opened_during_a_draft_goes_to_the_intro_without_saying_the_answers_are_lost(client):
    page_one_answered(client)
    response = client.get("/s/stedelijke-dienstverlening/2")
    assert response.status_code == 302 and response.headers["Location"] == "/s/stedelijke-dienstverlening/"


def test_the_back_button_after_sending_says_the_answers_were_sent(client):
    resident = Resident(client, "vrije-tijd")
    resident.complete()
    final = resident.shown
    for status, location in (
        (client.get("/s/vrije-tijd/1").status_code, client.get("/s/vrije-tijd/1").headers["Location"]),
    ):
        assert status == 302 and location == "/s/vrije-tijd/klaar?sent=1"
    number = final.text.split('action="/s/vrije-tijd/', 1)[1].split('"', 1)[0]
    again = client.post(f"/s/vrije-tijd/{number}", data=page_form(final.text, action="next"))
    assert again.headers["Location"] == "/s/vrije-tijd/klaar?sent=1"
    thanks = client.get("/s/vrije-tijd/klaar?sent=1").text
    assert "Uw antwoorden zijn al verstuurd." in thanks and "niet meer bewaard" not in thanks
    assert 'id="sent-notice" tabindex="-1" data-url="/s/vrije-tijd/klaar" hidden' in client.get("/s/vrije-tijd/klaar").text
    # The start form from before the send, posted again by the back button: sent as well.
    old_start = client.post("/s/vrije-tijd/start", data={"csrf_token": csrf_token(thanks)})
    assert old_start.headers["Location"] == "/s/vrije-tijd/klaar?sent=1"
    # Another survey, and a new start of this one from its intro, are not 'sent'.
    assert "expired=1" in client.get("/s/werk/1").headers["Location"]
    assert Resident(client, "vrije-tijd").start().status_code == 200
    client.post("/s/vrije-tijd/stop", data={"csrf_token": csrf_token(thanks)})
    assert "expired=1" in client.get("/s/vrije-tijd/1").headers["Location"]


def test_the_welcome_reckons_each_surveys_minutes_once_and_shows_the_same(client, monkeypatch):
    from survey_app.web import survey, templating

    reckoned = []
    real = survey.opening_seconds
    monkeypatch.setattr(survey, "opening_seconds", lambda definition: reckoned.append(definition) or real(definition))
    monkeypatch.setattr(templating, "_minutes", {})
    welcome = client.get("/").text  # no language chosen yet: the welcome
    count = len(reckoned)
    again = client.application.test_client().get("/").text
    assert count == len(SLUGS) == len(reckoned)  # once per published version, not per view
    monkeypatch.setattr(templating, "_minutes", {})
    assert re.sub(r'value="[^"]{40,}"', "", welcome) == re.sub(r'value="[^"]{40,}"', "", again)
    assert re.sub(r'value="[^"]{40,}"', "", client.application.test_client().get("/").text) == re.sub(r'value="[^"]{40,}"', "", welcome)


@pytest.mark.parametrize("hours", [0.6, 11])
def test_a_resident_may_take_longer_than_a_staff_member_may_sit_idle(client, monkeypatch, hours):
    """The session cookie holds the draft's nonce: it lasts as long as a draft, not 30 minutes from Begin."""
    resident = Resident(client, "vrije-tijd")
    resident.start()
    definition = resident.definition()
    assert hours * 60 > client.application.config["STAFF_IDLE_MINUTES"]
    later = time.time() + hours * 3600
    monkeypatch.setattr(time, "time", lambda: later)  # itsdangerous, drafts and the session read it
    page = visible_pages(definition, {})[0]
    answers = answers_to(page, {})
    response, _ = resident.post_page(1, answers)
    assert response.status_code == 200 and 'action="/s/vrije-tijd/2"' in response.text

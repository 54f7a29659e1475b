"""Staff intake: role checks, consent first, assisted responses, counts only, idle timeout, cookies."""

import json
import re
import time

import pytest

from survey_app.content.duration import consent_minutes

from survey_app.catalog import load_package
from survey_app.content.answers import visible_pages
from survey_app.db import database
from survey_app.models import Response, User

from ..conftest import QUESTIONNAIRES, Staff, csrf_token, make_app
from ..resident import Resident, answer_for, answers_to

STAFF_PAGES = ["/staff/", "/staff/intake", "/kiosk/start"]


class Intake(Resident):
    """A resident's answers entered by staff: the draft was started on the consent page."""

    def complete(self, **query):
        """Answer every visible page; return the final response (a redirect to the staff page)."""
        definition = self.definition()
        if self.shown is None:  # the first page of an intake just begun
            self.shown = self.client.get(f"/s/{self.slug}/1", query_string=query)
        known, number = {}, 1
        while True:
            page = visible_pages(definition, known)[number - 1]
            answers = answers_to(page, known)
            response, _ = self.post_page(number, answers, **query)
            if response.status_code == 302:
                return response, known
            assert response.status_code == 200 and f'action="/s/{self.slug}/{number + 1}"' in response.text, number
            number += 1


def choose_intake(client, slug="werk", channel="counter", language="nl"):
    """Choose an intake on the staff home page; return the consent page to read out."""
    home = client.get("/staff/")
    client.post("/staff/", data={"csrf_token": csrf_token(home.text), "survey": slug, "channel": channel, "language": language})
    return client.get("/staff/intake")


def begin_intake(client, slug="werk", channel="counter", language="nl"):
    consent = choose_intake(client, slug, channel, language)
    return client.post("/staff/intake", data={"csrf_token": csrf_token(consent.text), "confirmed": "y"})


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_pages_send_anonymous_visitors_to_the_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/login?next=")


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_pages_are_forbidden_to_analysts(client, staff, url):
    staff.create("ana", "analyst")
    staff.login("ana")
    assert client.get(url).status_code == 403
    assert client.post(url, data={"csrf_token": csrf_token(client.get("/").text)}).status_code == 403


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_staff_and_admins_land_on_the_intake_page(client, staff, role):
    staff.create("an", role)
    assert staff.login("an").headers["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200


def test_the_consent_must_be_confirmed_before_the_questions(client, staff):
    staff.create("an", "staff")
    staff.login("an")
    consent = choose_intake(client, channel="phone")
    assert "Lees dit voor aan de bewoner" in consent.text
    # The staff member reads the consent for staff-assisted answers: no promise of anonymity,
    # no influence on any file, and the minutes of the full questionnaire filled in.
    werk = Resident(client, "werk").definition()
    expected = werk.consent_assisted.replace("%(minuten)s", str(consent_minutes(werk)))
    assert expected in consent.text.replace("&#39;", "'")
    assert "anoniem" not in werk.consent_assisted and "geen invloed" in werk.consent_assisted
    refused = client.post("/staff/intake", data={"csrf_token": csrf_token(consent.text)})
    assert refused.status_code == 400
    assert "Bevestig dat u de uitleg hebt voorgelezen." in refused.text
    with client.session_transaction() as session:
        assert "draft" not in session


def test_an_unknown_survey_or_channel_is_refused(client, staff):
    staff.create("an", "staff")
    staff.login("an")
    home = client.get("/staff/")
    response = client.post("/staff/", data={"csrf_token": csrf_token(home.text), "survey": "geen", "channel": "tablet", "language": "xx"})
    assert response.status_code == 400
    assert client.get("/staff/intake").headers["Location"] == "/staff/"


def test_an_intake_is_stored_as_assisted_with_its_channel_and_staff_member(client, staff):
    user = staff.create("an", "staff")
    staff.login("an")
    started = begin_intake(client, channel="home_visit")
    assert started.headers["Location"] == "/s/werk/1"
    response, known = Intake(client, "werk").complete()
    assert response.headers["Location"] == "/staff/?stored=1"
    with database.connection_context():
        stored = Response.get()
        assert (stored.mode, stored.channel, stored.staff_id) == ("assisted", "home_visit", user.id)
        assert stored.answers == known
    home = client.get("/staff/?stored=1")
    assert "De antwoorden zijn bewaard." in home.text


def test_staff_can_switch_the_residents_language_during_the_intake(client, staff):
    staff.create("an", "staff")
    staff.login("an")
    begin_intake(client, language="fr")
    intake = Intake(client, "werk")
    intake.shown = client.get("/s/werk/1")
    assert 'lang="fr"' in intake.shown.text
    switched, _ = intake.post_page(1, {}, action="language:ar")
    assert 'dir="rtl"' in switched.text
    intake.complete()
    with database.connection_context():
        assert Response.get().language == "ar"


def test_the_days_intakes_are_counted_without_answers(client, staff):
    staff.create("an", "staff")
    staff.login("an")
    for channel in ("counter", "phone", "phone"):
        begin_intake(client, channel=channel)
        Intake(client, "werk").complete()
    home = client.get("/staff/").text
    assert "Intakes vandaag" in home
    assert "<td>Aan de telefoon</td><td><bdi>2</bdi></td>" in home
    assert "<td>Aan de balie</td><td><bdi>1</bdi></td>" in home
    assert "Een gewoon antwoord" not in home


def test_staff_pages_refuse_a_kiosk_tablet_resident(client, staff):
    staff.create("an", "staff")
    staff.login("an")
    form = client.get("/kiosk/start")
    client.post("/kiosk/start", data={"csrf_token": csrf_token(form.text), "surveys": ["werk"], "pin": "2580", "pin_again": "2580"})
    for url in STAFF_PAGES:
        assert client.get(url).headers["Location"].startswith("/staff/login")


def test_an_idle_staff_session_ends_on_the_server(client, staff):
    staff.create("an", "staff")
    staff.login("an")
    begin_intake(client)
    intake = Intake(client, "werk")
    intake.shown = client.get("/s/werk/1")
    assert intake.draft().mode == "assisted"
    assert client.get("/staff/").status_code == 200
    with database.connection_context():
        token = User.get(username="an").session_token
    with client.session_transaction() as session:
        session["seen"] = int(time.time()) - 31 * 60
    response = client.get("/staff/")
    assert response.headers["Location"] == "/staff/login?idle=1"
    assert client.get("/staff/").headers["Location"].startswith("/staff/login")
    with database.connection_context():
        assert User.get(username="an").session_token != token
    assert intake.draft() is None  # the intake in progress went with the session


def test_an_active_staff_session_stays(client, staff):
    staff.create("an", "staff")
    staff.login("an")
    with client.session_transaction() as session:
        session["seen"] = int(time.time()) - 29 * 60
    assert client.get("/staff/").status_code == 200


def test_session_cookies_are_secure_httponly_and_samesite_in_production(database_url):
    app = make_app(database_url, SURVEY_ENV="production", SECRET_KEY="s" * 40)
    with database.connection_context():
        load_package(QUESTIONNAIRES)
    client = app.test_client()
    staff = Staff(client)
    staff.create("an", "staff")
    response = staff.login("an")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_an_intake_page_offers_no_offline_hand_over(client, staff):
    staff.create("an", "staff")
    staff.login("an")
    begin_intake(client)
    page = client.get("/s/werk/1").text
    assert 'name="draft"' in page
    data = json.loads(re.search(r'id="fieldwork">(.*?)</script>', page).group(1))
    assert "handover" not in data and "survey" not in data


@pytest.mark.parametrize("url", ["/staff/", "/staff/intake", "/kiosk/start", "/staff/login"])
def test_staff_pages_send_the_security_headers_and_are_never_cached(client, staff, url):
    staff.create("an", "staff")
    staff.login("an")
    begin_intake(client)
    headers = client.get(url).headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert headers["Cache-Control"] == "no-store"
    assert headers["X-Frame-Options"] == "DENY"


def test_a_paper_questionnaire_is_typed_over_as_self_completed_with_empty_answers_allowed(client, staff):
    user = staff.create("an", "staff")
    staff.login("an")
    home = client.get("/staff/")
    assert "Op papier: de bewoner vulde de vragenlijst zelf in" in home.text
    client.post("/staff/", data={"csrf_token": csrf_token(home.text), "survey": "werk", "channel": "paper", "language": "nl"})
    consent = client.get("/staff/intake")
    assert "Deze uitleg stond op de papieren vragenlijst" in consent.text
    assert "Lees dit voor aan de bewoner" not in consent.text
    refused = client.post("/staff/intake", data={"csrf_token": csrf_token(consent.text)})
    assert "Bevestig dat de bewoner de papieren vragenlijst zelf invulde." in refused.text
    started = client.post("/staff/intake", data={"csrf_token": csrf_token(consent.text), "confirmed": "y"})
    assert started.headers["Location"] == "/s/werk/1"
    # The resident left everything empty, required questions too: typed over as it is, not refused.
    resident, number = Intake(client, "werk"), 1
    resident.shown = client.get("/s/werk/1")
    assert "(verplicht)" in resident.shown.text
    while True:
        response, _ = resident.post_page(number, {})
        if response.status_code == 302:
            break
        assert f'action="/s/werk/{number + 1}"' in response.text, number
        number += 1
    assert response.headers["Location"] == "/staff/?stored=1"
    with database.connection_context():
        stored = Response.get()
        assert (stored.mode, stored.channel, stored.staff_id, stored.answers) == ("self", "paper", user.id, {})
    assert "Op papier" in client.get("/staff/").text  # counted among today's intakes


def test_a_required_question_left_empty_is_refused_outside_paper(client, staff):
    staff.create("an", "staff")
    staff.login("an")
    begin_intake(client, channel="counter")
    resident = Intake(client, "werk")
    resident.shown = client.get("/s/werk/1")
    refused, _ = resident.post_page(1, {})
    assert refused.status_code == 200 and "Geef hier een antwoord." in refused.text
    assert 'action="/s/werk/1"' in refused.text
    with database.connection_context():
        assert Response.select().count() == 0


@pytest.fixture
def translated_client(database_url, compiled):
    app = make_app(database_url, TRANSLATIONS_DIR=str(compiled))
    with database.connection_context():
        load_package(QUESTIONNAIRES)
    yield app.test_client()
    if not database.is_closed():
        database.close()


def test_an_intake_in_another_language_keeps_the_staff_members_own_words_around_the_questions(translated_client):
    client, staff = translated_client, Staff(translated_client)
    staff.create("an", "staff")
    staff.login("an")
    consent = choose_intake(client, language="tr")
    # The instructions and the box to tick in the staff member's Dutch; the text read out in Turkish.
    assert '<html lang="nl"' in consent.text
    assert "Ik heb deze uitleg voorgelezen in de taal van de bewoner" in consent.text
    assert re.search(r'<section class="consent"[^>]*>.*<span lang="tr" dir="ltr">', consent.text, re.S)
    assert "Taal van de bewoner" in consent.text
    client.post("/staff/intake", data={"csrf_token": csrf_token(consent.text), "confirmed": "y"})
    intake = Intake(client, "werk")
    intake.shown = client.get("/s/werk/1")
    page = intake.shown.text
    assert '<html lang="nl"' in page and ">Volgende<" in page and "İleri" not in page
    first = intake.definition().pages[0].questions[0]
    assert re.search(rf'id="q-{first.key}" lang="tr" dir="ltr"', page)
    # The Dutch text of the question is there, shown on request (the box below, and staff.css).
    assert f'<span class="dutch" lang="nl" dir="ltr">{first.text}</span>' in page
    assert 'id="dutch-beside" name="dutch" value="1">' in page and "staff.css" in page
    answers = answer_for(first, {})
    second, _ = intake.post_page(1, answers | {"dutch": "1"})
    assert 'id="dutch-beside" name="dutch" value="1" checked>' in second.text  # remembered
    done, _ = intake.complete()
    assert done.headers["Location"].startswith("/staff/")
    assert '<html lang="nl"' in client.get("/staff/").text
    with database.connection_context():
        assert Response.get().language == "tr"


def test_a_residents_own_survey_shows_no_dutch_toggle_and_no_staff_styles(client):
    page = Resident(client, "werk").start()
    assert "dutch-beside" not in page.text and "staff.css" not in page.text and 'class="dutch"' not in page.text

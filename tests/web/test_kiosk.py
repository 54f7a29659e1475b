"""Kiosk mode through the test client: started by staff, one resident after another, left with the PIN."""

import pytest

from survey_app.catalog import load_package
from survey_app.db import database
from survey_app.models import Kiosk, Response, User

from ..conftest import QUESTIONNAIRES, Staff, csrf_token, make_app
from ..resident import Resident, answer_for, is_thanks, page_form

PIN = "2580"


def start_kiosk(client, staff, slugs=("werk", "samenleven"), pin=PIN):
    staff.create("an", "staff")
    staff.login("an")
    form = client.get("/kiosk/start")
    return client.post(
        "/kiosk/start",
        data={"csrf_token": csrf_token(form.text), "surveys": list(slugs), "pin": pin, "pin_again": pin},
    )


def choose_language(client, code="nl"):
    page = client.get("/")
    return client.post("/language", data={"csrf_token": csrf_token(page.text), "lang": code, "next": "/"})


def test_starting_a_kiosk_ends_the_staff_login(client, staff):
    response = start_kiosk(client, staff)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    with database.connection_context():
        kiosk = Kiosk.get()
        assert kiosk.slugs == ["werk", "samenleven"]
        assert kiosk.pin_hash.startswith("$argon2id$") and PIN not in kiosk.pin_hash
        assert kiosk.started_by.username == "an"
    # The tablet holds only the kiosk now: staff pages ask for a login, and the login asks for the PIN.
    assert client.get("/staff/").headers["Location"].startswith("/staff/login")
    assert client.get("/staff/login").headers["Location"] == "/kiosk/leave"


def test_the_kiosk_starts_with_the_language_picker_and_offers_only_its_surveys(client, staff):
    start_kiosk(client, staff)
    assert 'class="language-picker"' in client.get("/").text
    choose_language(client)
    index = client.get("/").text
    assert 'href="/s/werk/"' in index and 'href="/s/samenleven/"' in index
    assert 'href="/s/onderwijs/"' not in index
    assert client.get("/s/onderwijs/").status_code == 404
    assert 'class="kiosk-bar"' in index and 'id="idle-dialog"' in index


@pytest.mark.parametrize("pins, message", [
    (("2580", "2581"), "niet gelijk"),
    (("1111", "1111"), "niet makkelijk te raden"),
    (("1234", "1234"), "niet makkelijk te raden"),
    (("12a4", "12a4"), "niet makkelijk te raden"),
])
def test_a_weak_or_mistyped_pin_is_refused(client, staff, pins, message):
    staff.create("an", "staff")
    staff.login("an")
    form = client.get("/kiosk/start")
    response = client.post(
        "/kiosk/start",
        data={"csrf_token": csrf_token(form.text), "surveys": ["werk"], "pin": pins[0], "pin_again": pins[1]},
    )
    assert response.status_code == 400
    assert message in response.text
    with database.connection_context():
        assert Kiosk.select().count() == 0


def test_a_kiosk_needs_at_least_one_survey(client, staff):
    staff.create("an", "staff")
    staff.login("an")
    form = client.get("/kiosk/start")
    response = client.post("/kiosk/start", data={"csrf_token": csrf_token(form.text), "pin": PIN, "pin_again": PIN})
    assert response.status_code == 400
    assert "Kies minstens één vragenlijst." in response.text


def test_kiosk_responses_are_self_completed_on_the_tablet_channel(client, staff):
    start_kiosk(client, staff)
    choose_language(client, "tr")
    response, _ = Resident(client, "werk").complete()
    assert is_thanks(response, "werk") and 'class="next-person"' in response.text
    with database.connection_context():
        stored = Response.get()
        assert (stored.mode, stored.channel, stored.staff, stored.language) == ("self", "tablet", None, "tr")


def test_after_a_submit_the_next_person_starts_from_the_picker_with_nothing_left(client, staff):
    start_kiosk(client, staff)
    choose_language(client, "tr")
    resident = Resident(client, "werk")
    resident.complete()
    thanks = client.get("/s/werk/klaar")
    assert 'class="next-person"' in thanks.text
    reset = client.post("/kiosk/reset", data={"csrf_token": csrf_token(thanks.text)})
    assert reset.headers["Location"] == "/"
    assert 'class="language-picker"' in client.get("/").text
    # The old page addresses find no answers: back to the intro, with nothing filled in.
    old = client.get("/s/werk/1")
    assert old.status_code == 302 and "expired=1" in old.headers["Location"]


def test_a_reset_wipes_the_answers_in_progress(client, staff):
    start_kiosk(client, staff)
    choose_language(client)
    resident = Resident(client, "werk")
    resident.start()
    answers = {}
    for question in resident.definition().pages[0].questions:
        answers.update(answer_for(question, {}))
    resident.post_page(1, answers)
    page = resident.shown
    assert 'action="/s/werk/2"' in page.text and resident.draft().answers
    client.post("/kiosk/reset", data={"csrf_token": csrf_token(page.text)})
    assert resident.draft() is None
    # The page kept in the browser's history, posted again, finds nothing: back to the start.
    again = client.post("/s/werk/2", data=page_form(page.text, action="next"))
    assert again.status_code == 302 and "expired=1" in again.headers["Location"]
    assert client.get("/s/werk/1").status_code == 302
    assert 'class="language-picker"' in client.get("/").text


def test_leaving_the_kiosk_needs_the_pin(client, staff):
    start_kiosk(client, staff)
    page = client.get("/kiosk/leave")
    wrong = client.post("/kiosk/leave", data={"csrf_token": csrf_token(page.text), "pin": "9999"})
    assert wrong.status_code == 401
    assert "Deze pincode klopt niet." in wrong.text
    assert 'class="kiosk-bar"' in client.get("/").text
    right = client.post("/kiosk/leave", data={"csrf_token": csrf_token(wrong.text), "pin": PIN})
    assert right.headers["Location"] == "/staff/login"
    with database.connection_context():
        assert Kiosk.get().ended
    assert 'class="kiosk-bar"' not in client.get("/").text


def test_wrong_pins_are_throttled_per_kiosk(database_url):
    app = make_app(database_url, RATELIMIT_ENABLED=True, KIOSK_PIN_RATE_LIMIT="3 per minute")
    with database.connection_context():
        load_package(QUESTIONNAIRES)
    client = app.test_client()
    start_kiosk(client, Staff(client))
    page = client.get("/kiosk/leave")
    codes = [
        client.post("/kiosk/leave", data={"csrf_token": csrf_token(page.text), "pin": "9999"}).status_code
        for _ in range(4)
    ]
    assert codes == [401, 401, 401, 429]
    # Even the right PIN waits now.
    assert client.post("/kiosk/leave", data={"csrf_token": csrf_token(page.text), "pin": PIN}).status_code == 429


def test_the_staff_session_cookie_of_the_tablet_is_worthless_after_kiosk_start(client, staff):
    staff.create("an", "staff")
    staff.login("an")
    with database.connection_context():
        before = User.get(username="an").session_token
    form = client.get("/kiosk/start")
    client.post("/kiosk/start", data={"csrf_token": csrf_token(form.text), "surveys": ["werk"], "pin": PIN, "pin_again": PIN})
    with database.connection_context():
        assert User.get(username="an").session_token != before

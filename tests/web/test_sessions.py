"""Staff sessions and login throttling as OWASP ASVS level 2 asks (V2.2, V3.2, V3.3, V7.1)."""

import json

import pytest

from survey_app.db import database

from ..conftest import PASSWORD, Staff, csrf_token, make_app


def _login(client, username, password, **request):
    page = client.get("/staff/login", **request)
    data = {"username": username, "password": password, "csrf_token": csrf_token(page.text)}
    return client.post("/staff/login", data=data, **request)


def test_a_copied_staff_cookie_does_not_work_in_another_browser(app, client, staff):
    staff.create("an", "staff")
    assert staff.login("an").status_code == 302
    assert client.get("/staff/").status_code == 200
    cookie = client.get_cookie("survey_session").value
    thief = app.test_client()
    thief.set_cookie("survey_session", cookie)
    stolen = thief.get("/staff/", headers={"User-Agent": "Mozilla/5.0 (X11; Linux) Firefox/140.0"})
    assert stolen.status_code == 302 and "/staff/login" in stolen.headers["Location"]
    # The same cookie from another address, with the same browser string, fails too.
    elsewhere = app.test_client()
    elsewhere.set_cookie("survey_session", cookie)
    assert elsewhere.get("/staff/", environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 302
    # The staff member's own browser is still logged in.
    assert client.get("/staff/").status_code == 200


def test_wrong_passwords_for_one_account_from_many_addresses_lock_that_account_only(database_url):
    app = make_app(database_url, LOGIN_FAILURES_PER_ACCOUNT=3, LOGIN_FAILURES_PER_ADDRESS=100)
    Staff(app.test_client()).create("an", "staff")
    Staff(app.test_client()).create("bert", "staff")
    codes = [_login(app.test_client(), "an", "fout", environ_base={"REMOTE_ADDR": f"198.51.100.{n}"}).status_code
             for n in range(4)]
    assert codes == [401, 401, 401, 429]
    # Locked: even the right password waits, so guessing on gains nothing.
    assert _login(app.test_client(), "An", PASSWORD, environ_base={"REMOTE_ADDR": "192.0.2.1"}).status_code == 429
    assert _login(app.test_client(), "bert", PASSWORD).status_code == 302


def test_wrong_passwords_from_one_address_lock_that_address_only(database_url):
    app = make_app(database_url, LOGIN_FAILURES_PER_ACCOUNT=100, LOGIN_FAILURES_PER_ADDRESS=3)
    Staff(app.test_client()).create("an", "staff")
    attacker = {"environ_base": {"REMOTE_ADDR": "198.51.100.7"}}
    codes = [_login(app.test_client(), f"naam{n}", "fout", **attacker).status_code for n in range(4)]
    assert codes == [401, 401, 401, 429]
    assert _login(app.test_client(), "an", PASSWORD, **attacker).status_code == 429
    assert _login(app.test_client(), "an", PASSWORD, environ_base={"REMOTE_ADDR": "192.0.2.1"}).status_code == 302


def test_the_counts_survive_a_restart_and_are_shared_by_workers(database_url):
    first = make_app(database_url, LOGIN_FAILURES_PER_ACCOUNT=2)
    Staff(first.test_client()).create("an", "staff")
    assert [_login(first.test_client(), "an", "fout").status_code for _ in range(2)] == [401, 401]
    database.obj.close_all()
    second = make_app(database_url, LOGIN_FAILURES_PER_ACCOUNT=2)  # another worker, or after a restart
    assert _login(second.test_client(), "an", PASSWORD).status_code == 429


def test_a_spoofed_forwarded_for_from_a_direct_client_is_not_believed(database_url):
    app = make_app(database_url, TRUSTED_PROXIES=1, LOGIN_FAILURES_PER_ADDRESS=2, LOGIN_FAILURES_PER_ACCOUNT=100)
    direct = {"REMOTE_ADDR": "198.51.100.7"}
    codes = [_login(app.test_client(), f"naam{n}", "fout", environ_base=direct,
                    headers={"X-Forwarded-For": f"192.0.2.{n}"}).status_code for n in range(3)]
    assert codes == [401, 401, 429]
    # From the proxy the header is believed: each person behind it counts on their own.
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    assert _login(app.test_client(), "naam", "fout", environ_base=proxy,
                  headers={"X-Forwarded-For": "192.0.2.50"}).status_code == 401


def test_security_events_are_logged_without_answers_or_passwords(database_url, tmp_path):
    from survey_app.catalog import load_package

    from ..conftest import QUESTIONNAIRES
    from .test_kiosk import start_kiosk
    from .test_offline import payload_for, post_response

    log = tmp_path / "security.log"
    app = make_app(database_url, SECURITY_LOG=str(log))
    with database.connection_context():
        load_package(QUESTIONNAIRES)
    client = app.test_client()
    staff = Staff(client)
    _login(client, "niemand", "geheim-wachtwoord-1")
    start_kiosk(client, staff)
    page = client.get("/kiosk/leave")
    client.post("/kiosk/leave", data={"csrf_token": csrf_token(page.text), "pin": "0000"})
    token = client.get("/api/csrf").json["csrf_token"]
    client.post("/api/responses", data="[1]", content_type="application/json", headers={"X-CSRFToken": token})
    secret_answer = "mijn-geheim-antwoord"
    post_response(client, payload_for(answers={"werksituatie": secret_answer}))
    text = log.read_text()
    assert log.stat().st_mode & 0o777 == 0o600
    events = [json.loads(line.split(" ", 2)[2])["event"] for line in text.splitlines()]
    assert events == ["login_failed", "login", "kiosk_started", "pin_wrong", "sync_refused", "sync_kept_aside"]
    assert secret_answer not in text and "geheim-wachtwoord-1" not in text and "niemand" not in text
    assert "0000" not in text


@pytest.mark.parametrize("event, fields", [("sync_kept_aside", {"reason": "x", "answers": {"a": "geheim"}})])
def test_an_event_keeps_only_its_own_fields(caplog, event, fields):
    from survey_app.security_events import record_event

    with caplog.at_level("INFO", logger="survey_app.security"):
        record_event(event, **fields)
    assert "geheim" not in caplog.text and '"reason":"x"' in caplog.text

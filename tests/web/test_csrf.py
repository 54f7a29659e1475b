"""CSRF on every POST: the tokens a process remembers signing (web/csrf.py) pass only what Flask-WTF would pass."""

import pytest
from flask import session
from flask_wtf.csrf import generate_csrf as flask_wtf_generate_csrf
from flask_wtf.csrf import validate_csrf

from survey_app.web import csrf

from ..conftest import csrf_token
from ..resident import Resident, page_form

REFUSAL = "Deze pagina was te lang open"  # errorpages.CSRF_MESSAGE


def started(app):
    resident = Resident(app.test_client(), "werk")
    assert resident.start(lang="nl").status_code == 200
    return resident


def post_page(resident, **changes):
    data = page_form(resident.shown.text, action="next") | changes
    return resident.client.post("/s/werk/1?lang=nl", data=data)


def test_the_tokens_are_flask_wtfs_both_ways(app):
    resident = started(app)
    token = csrf_token(resident.shown.text)
    assert token in csrf._signed
    with app.test_request_context():
        with resident.client.session_transaction() as stored:
            session.update(stored)
        validate_csrf(token)  # Flask-WTF's own check passes a token signed here
        theirs = flask_wtf_generate_csrf()
    assert theirs.rsplit(".", 2)[0] == token.rsplit(".", 2)[0]  # the same payload; in the same second, the same bytes
    # A token not remembered here (another worker's, or from before a restart) passes Flask-WTF's check.
    csrf._signed.clear()
    assert post_page(resident, csrf_token=theirs).status_code == 200


def test_a_remembered_token_is_refused_for_another_session_or_an_altered_one(app):
    resident = started(app)
    other = started(app)
    theirs = csrf_token(other.shown.text)
    assert theirs in csrf._signed
    for token in (theirs, "", csrf_token(resident.shown.text) + "x"):
        reply = post_page(resident, csrf_token=token)
        assert reply.status_code == 400 and REFUSAL in reply.text, token
    with resident.client.session_transaction() as stored:
        stored["csrf_token"] = "0" * 40  # the session's own raw token is another now
    reply = post_page(resident)
    assert reply.status_code == 400 and REFUSAL in reply.text


def test_a_remembered_token_expires_as_a_signed_one_does(app, monkeypatch):
    resident = started(app)
    token = csrf_token(resident.shown.text)
    signed_at = csrf._signed[token][1]
    limit = app.config["WTF_CSRF_TIME_LIMIT"]
    monkeypatch.setattr(csrf.time, "time", lambda: signed_at + limit + 1)
    import itsdangerous.timed

    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: signed_at + limit + 1)
    reply = post_page(resident)
    assert reply.status_code == 400 and REFUSAL in reply.text


def test_a_token_remembered_under_another_secret_key_is_not_trusted(app):
    resident = started(app)
    token = csrf_token(resident.shown.text)
    app.secret_key = app.config["SECRET_KEY"] = "another secret key"
    with app.test_request_context():
        assert not csrf._signed_here(token)


def test_over_https_the_post_must_come_from_a_page_of_this_host(app):
    client = app.test_client()
    base = "https://survey.example"
    own = {"Referer": f"{base}/s/werk/"}
    intro = client.get("/s/werk/?lang=nl", base_url=base)
    page = client.post("/s/werk/start", data={"csrf_token": csrf_token(intro.text)}, base_url=base, headers=own)
    assert page.status_code == 200
    data = page_form(page.text, action="next")
    assert data["csrf_token"] in csrf._signed  # a page's token, signed here
    assert client.post("/s/werk/1", data=data, base_url=base).status_code == 400
    foreign = {"Referer": "https://evil.example/s/werk/"}
    assert client.post("/s/werk/1", data=data, base_url=base, headers=foreign).status_code == 400
    assert client.post("/s/werk/1", data=data, base_url=base, headers=own).status_code == 200


def test_only_so_many_tokens_are_remembered(app, monkeypatch):
    monkeypatch.setattr(csrf, "KEPT_TOKENS", 3)
    for _ in range(5):
        started(app)
    assert len(csrf._signed) <= 3


def test_a_page_posted_with_a_young_token_is_answered_with_the_same_one(app, monkeypatch):
    import itsdangerous.timed

    resident = started(app)
    token = csrf_token(resident.shown.text)
    signed_at = csrf._signed[token][1]
    # A few seconds later: a token signed now would carry another time, so other bytes.
    now = {"time": signed_at + 5}
    monkeypatch.setattr(csrf.time, "time", lambda: now["time"])
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: now["time"])
    reply = post_page(resident)
    assert reply.status_code == 200 and csrf_token(reply.text) == token
    # Older than REUSE_SECONDS: still good, but the next page gets a token signed anew.
    now["time"] = signed_at + csrf.REUSE_SECONDS + 1
    resident.shown = reply
    again = post_page(resident)
    fresh = csrf_token(again.text)
    assert again.status_code == 200 and fresh != token and csrf._signed[fresh][1] >= signed_at + csrf.REUSE_SECONDS


def test_a_token_not_signed_here_or_for_another_raw_token_is_not_handed_on(app, monkeypatch):
    import itsdangerous.timed

    resident = started(app)
    token = csrf_token(resident.shown.text)
    later = csrf._signed[token][1] + 5  # a token signed now has other bytes
    monkeypatch.setattr(csrf.time, "time", lambda: later)
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: later)
    csrf._signed.clear()  # as if another worker had signed it: Flask-WTF's check passes it
    reply = post_page(resident)
    assert reply.status_code == 200 and csrf_token(reply.text) != token
    # A token handed on always signs the session's raw token of the moment the page is sent.
    resident.shown = reply
    with app.test_request_context():
        with resident.client.session_transaction() as stored:
            session.update(stored)
        validate_csrf(csrf_token(post_page(resident).text))

"""The session cookie is Flask's own, and the cookies remembered as verified (web/sessions.py) change nothing it decides."""

import pytest
from flask import request
from flask.sessions import SecureCookieSessionInterface

from survey_app.web import sessions

from ..resident import Resident, is_thanks, page_form


def flask_serializer(app):
    return SecureCookieSessionInterface().get_signing_serializer(app)


def test_the_cookie_is_flasks_own_both_ways(app, client):
    resident = Resident(client, "werk")
    resident.start(lang="nl")
    cookie = client.get_cookie("survey_session").value
    data = flask_serializer(app).loads(cookie, max_age=3600)
    assert data["draft"] and data["csrf_token"]
    # A cookie signed by Flask's own interface opens here, and is what it says.
    other = app.test_client()
    other.set_cookie("survey_session", flask_serializer(app).dumps({"lang": "fr"}))
    assert 'lang="fr"' in other.get("/s/werk/").text


def test_an_altered_or_foreign_cookie_is_refused_though_its_original_is_remembered(app, client):
    Resident(client, "werk").start(lang="nl")
    cookie = client.get_cookie("survey_session").value
    assert cookie in app.session_interface._verified
    # payload.stamp.signature, where a compressed payload starts with a "." of its own
    payload, stamp, signature = cookie.rsplit(".", 2)
    forged = flask_serializer(app).dumps({"lang": "fr"}).rsplit(".", 2)[0] + f".{stamp}.{signature}"
    for bad in (forged, cookie[:-2] + ("AA" if not cookie.endswith("AA") else "BB"), cookie + "x"):
        with app.test_request_context(headers={"Cookie": f"survey_session={bad}"}):
            opened = app.session_interface.open_session(app, request)
        assert dict(opened) == {}, bad
        assert bad not in app.session_interface._verified


def test_a_remembered_cookie_expires_as_a_signed_one_does(app, client, monkeypatch):
    Resident(client, "werk").start(lang="nl")
    cookie = client.get_cookie("survey_session").value
    signed_at = app.session_interface._verified[cookie][0]
    lifetime = sessions.session_max_age(app)

    def opened_at(now):
        monkeypatch.setattr(sessions.time, "time", lambda: now)
        with app.test_request_context(headers={"Cookie": f"survey_session={cookie}"}):
            return dict(app.session_interface.open_session(app, request))

    assert opened_at(signed_at + lifetime)["draft"]
    assert opened_at(signed_at + lifetime + 1) == {}
    assert opened_at(signed_at - 1) == {}  # signed in the future
    # itsdangerous says the same of the cookie it does not remember.
    app.session_interface._verified.clear()
    assert opened_at(signed_at + lifetime + 1) == {}
    assert opened_at(signed_at + lifetime)["draft"]


def remembered_nonces(app):
    return [dict(kept).get("draft") for _, kept, _ in app.session_interface._verified.values() if dict(kept).get("draft")]


@pytest.mark.parametrize("how", ["stop", "submit"])
def test_the_cookie_with_the_draft_nonce_is_forgotten_when_the_draft_ends(app, client, how):
    resident = Resident(client, "werk")
    if how == "stop":
        resident.start(lang="nl")
        with client.session_transaction() as session:
            assert remembered_nonces(app) == [session["draft"]]
        client.post("/s/werk/stop", data=page_form(resident.shown.text))
    else:
        response, _ = resident.complete(lang="nl")
        assert is_thanks(response, "werk")
    with client.session_transaction() as session:
        assert "draft" not in session
    assert remembered_nonces(app) == []


def test_a_new_secret_key_forgets_every_remembered_cookie(app, client):
    Resident(client, "werk").start(lang="nl")
    cookie = client.get_cookie("survey_session").value
    app.secret_key = app.config["SECRET_KEY"] = "another secret"
    page = client.get("/s/werk/")
    assert cookie not in app.session_interface._verified
    with client.session_transaction() as session:
        assert "draft" not in session
    assert page.status_code == 200


def test_only_so_many_cookies_are_remembered(app, monkeypatch):
    monkeypatch.setattr(sessions, "KEPT_COOKIES", 3)
    for _ in range(5):
        app.test_client().get("/s/werk/?lang=nl")
    assert len(app.session_interface._verified) == 3


def test_a_cookie_is_remembered_no_longer_than_the_session_lifetime(app, monkeypatch):
    lifetime = sessions.session_max_age(app)
    now = [1_900_000_000.0]
    monkeypatch.setattr(sessions.time, "time", lambda: now[0])
    app.test_client().get("/s/werk/?lang=nl")
    now[0] += lifetime + 1
    app.test_client().get("/s/werk/?lang=nl")  # remembering the next cookie lets the first go
    assert [kept_at for _, _, kept_at in app.session_interface._verified.values()] == [now[0]]


@pytest.mark.parametrize("accessed, modified, data, permanent, vary", [
    (True, False, {"lang": "nl"}, False, None),
    (True, True, {"lang": "nl"}, False, None),
    (True, True, {}, False, None),
    (False, False, {"lang": "nl"}, False, None),
    (True, False, {"lang": "nl", "_permanent": True}, True, None),
    (False, False, {"lang": "nl", "_permanent": True}, True, "Accept-Language"),
    (True, True, {"lang": "fr"}, False, "Accept-Language"),
    (True, True, {}, False, "Cookie"),
])
def test_the_session_is_saved_with_the_headers_flask_gave(app, accessed, modified, data, permanent, vary):
    import re

    from flask import Response
    from flask.sessions import SecureCookieSession

    def saved(interface, session_class):
        session = session_class(data)
        session.accessed, session.modified = accessed, modified
        response = Response("x", headers={"Vary": vary} if vary else {})
        with app.test_request_context():
            interface.save_session(app, session, response)
        # The signature and a permanent session's expiry hold the second they were made: compare the rest.
        return [(name, re.sub(r"(survey_session|Expires)=[^;]+", r"\1=…", value)) for name, value in response.headers.items()]

    assert saved(app.session_interface, sessions.CookieSession) == saved(SecureCookieSessionInterface(), SecureCookieSession)

"""Staff accounts: argon2 hashes, a fresh session at login, a dead session after logout."""

import pytest

from survey_app.accounts import AccountError, authenticate, create_user
from survey_app.db import database
from survey_app.models import User

from ..conftest import csrf_token


def test_passwords_are_stored_as_argon2_hashes(db):
    user = create_user("an", "een lang wachtwoord", "staff")
    assert user.password_hash.startswith("$argon2id$")
    assert authenticate("an", "een lang wachtwoord").id == user.id
    assert authenticate("an", "fout wachtwoord!") is None
    assert authenticate("niemand", "een lang wachtwoord") is None


@pytest.mark.parametrize("username, password, role, message", [
    ("an", "kort", "staff", "at least 12"),
    ("an bert", "een lang wachtwoord", "staff", "no spaces"),
    ("an", "een lang wachtwoord", "baas", "unknown role"),
])
def test_bad_accounts_are_refused(db, username, password, role, message):
    with pytest.raises(AccountError, match=message):
        create_user(username, password, role)


def test_login_gives_a_fresh_session_and_logout_kills_it(client, staff):
    staff.create("an", "staff")
    response = staff.login("an")
    assert response.status_code == 302
    cookie = client.get_cookie("survey_session")
    assert cookie.http_only and cookie.same_site == "Lax"
    with database.connection_context():
        token = User.get(username="an").session_token
    page = client.get("/")
    client.post("/staff/logout", data={"csrf_token": csrf_token(page.text)})
    with database.connection_context():
        assert User.get(username="an").session_token != token


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, staff):
    staff.create("an", "staff")
    response = staff.login("an", "niet het wachtwoord")
    assert response.status_code == 401
    assert "De naam of het wachtwoord klopt niet." in response.text


def test_login_is_throttled(database_url):
    from ..conftest import PASSWORD, Staff, make_app

    app = make_app(database_url, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    staff = Staff(app.test_client())
    codes = [staff.login("niemand", "fout").status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    assert PASSWORD


@pytest.mark.parametrize("proxies, blocked_elsewhere", [(0, True), (1, False)])
def test_behind_a_trusted_proxy_each_address_is_throttled_on_its_own(database_url, proxies, blocked_elsewhere):
    from ..conftest import make_app

    app = make_app(database_url, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute", TRUSTED_PROXIES=proxies)
    client = app.test_client()

    def attempt(address):
        page = client.get("/staff/login")
        data = {"csrf_token": csrf_token(page.text), "username": "niemand", "password": "fout"}
        return client.post("/staff/login", data=data, headers={"X-Forwarded-For": address}).status_code

    assert [attempt("203.0.113.7") for _ in range(3)] == [401, 401, 429]
    # Without a trusted proxy the header is not believed: everyone shares the proxy's address.
    assert (attempt("198.51.100.9") == 429) is blocked_elsewhere


@pytest.mark.parametrize("target", [
    "/%09/evil.example", "/\t/evil.example", "//evil.example", "/\\evil.example", "https://evil.example/",
    "/staff/\r\nSet-Cookie: a=b", "/staff/\nx", " /staff/", "javascript:alert(1)",
])
def test_login_never_redirects_off_the_site_or_breaks_on_a_bad_next(client, staff, target):
    from urllib.parse import unquote

    staff.create("an", "staff")
    page = client.get("/staff/login", query_string={"next": unquote(target) if "%" in target else target})
    assert page.status_code == 200
    assert 'action="/staff/login"' in page.text  # the query string of a phishing link is not posted back
    data = {"username": "an", "password": "correct horse battery", "csrf_token": csrf_token(page.text)}
    # Posted to the address with the bad next, as a phishing link would make the browser do.
    response = client.post("/staff/login", data=data | {"next": unquote(target)}, query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/"


def test_login_goes_on_to_the_local_page_it_was_asked_for(client, staff):
    staff.create("an", "admin")
    page = client.get("/staff/login", query_string={"next": "/results/?q=1"})
    assert 'name="next" type="hidden" value="/results/?q=1"' in page.text
    data = {"username": "an", "password": "correct horse battery", "csrf_token": csrf_token(page.text),
            "next": "/results/?q=1"}
    assert client.post("/staff/login", data=data).headers["Location"] == "/results/?q=1"

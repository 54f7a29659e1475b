"""Staff accounts: argon2 hashes, a fresh session at login, a dead session after logout."""

import pytest

from survey_app.accounts import AccountError, authenticate, create_user
from survey_app.db import database
from survey_app.models import User

from .conftest import csrf_token


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
    from .conftest import PASSWORD, Staff, make_app

    app = make_app(database_url, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    staff = Staff(app.test_client())
    codes = [staff.login("niemand", "fout").status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    assert PASSWORD

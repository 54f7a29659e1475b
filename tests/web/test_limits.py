"""Rate limits are checked where a route declares one, and only there (extensions.RouteLimiter)."""

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from survey_app.web.extensions import RouteLimiter

from ..conftest import csrf_token, limited_app
from ..resident import Resident




def test_a_residents_pages_check_no_limit_but_begin_checks_its_own(database_url, monkeypatch):
    app = limited_app(database_url, START_RATE_LIMIT="100 per minute")
    checked = []
    original = Limiter._check_request_limit

    def spy(self, callable_name=None, in_middleware=True):
        checked.append(callable_name)
        return original(self, callable_name=callable_name, in_middleware=in_middleware)

    monkeypatch.setattr(Limiter, "_check_request_limit", spy)
    resident = Resident(app.test_client(), "werk")
    intro = resident.client.get("/s/werk/?lang=nl")
    assert not checked and not any(name.startswith("X-RateLimit") for name in intro.headers.keys())
    started = resident.start()
    assert started.status_code == 200
    assert checked == ["survey_app.web.survey.start.start"]  # the view, from its decorator
    # The start's own limit still sends its headers (the hook after the response runs for it).
    assert started.headers["X-RateLimit-Limit"] == "100"
    checked.clear()
    response, _ = resident.post_page(1, {})
    assert response.status_code in (200, 302) and not checked
    assert "X-RateLimit-Limit" not in response.headers


def test_begin_and_the_login_still_refuse_past_their_limits(database_url):
    app = limited_app(database_url, START_RATE_LIMIT="2 per minute", LOGIN_RATE_LIMIT="2 per minute")
    client = app.test_client()
    token = csrf_token(client.get("/s/werk/?lang=nl").text)
    assert [client.post("/s/werk/start", data={"csrf_token": token}).status_code for _ in range(3)] == [200, 200, 429]
    page = client.get("/staff/login")
    data = {"csrf_token": csrf_token(page.text), "username": "niemand", "password": "fout"}
    codes = [client.post("/staff/login", data=data) for _ in range(3)]
    assert [response.status_code for response in codes] == [401, 401, 429]
    assert codes[-1].headers["Retry-After"] and codes[-1].headers["X-RateLimit-Remaining"] == "0"


def test_an_app_wide_limit_would_still_be_checked_before_every_request():
    # What the skipped hook is for: should a default limit ever be set, it still holds.
    app = Flask(__name__)
    wide = RouteLimiter(get_remote_address, default_limits=["2 per minute"], storage_uri="memory://")
    wide.init_app(app)
    app.get("/")(lambda: "ok")
    client = app.test_client()
    assert wide.has_app_wide_limits()
    assert [client.get("/").status_code for _ in range(3)] == [200, 200, 429]

"""The load bench's resident (bench/clients.py) on today's flow and on the flow before issue 14.

Today Begin answers with page 1 and each page's post answers with the next; before (c8b1c21)
Begin and every post redirected to a GET of the next page, and pages carried no sealed draft.
The same client must complete both and count each request once. Today's flow runs against
the real app through Flask's test client; the old one against a stand-in with c8b1c21's markup.
"""

import asyncio
import math
import uuid
from urllib.parse import urlsplit

import pytest
from flask import Flask, redirect, request
from werkzeug.datastructures import MultiDict

pytest.importorskip("aiohttp")  # the bench's extra ('.[bench]')

from bench.clients import PhaseStats, complete_survey  # noqa: E402
from bench.databases import read_content_definitions  # noqa: E402
from survey_app.catalog import load_package  # noqa: E402
from survey_app.db import database  # noqa: E402
from survey_app.models import Response  # noqa: E402

from ..conftest import ROOT, make_app  # noqa: E402

CONTENT = ROOT / "bench" / "content"
SLUG = "bench-contact"


class Answer:
    """What the client reads of an aiohttp response."""

    def __init__(self, response):
        self.status, self.headers, self.body = response.status_code, response.headers, response.data

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        return False

    async def read(self):
        return self.body


class FlaskSession:
    """The part of an aiohttp session the client uses, served by a Flask test client (no HTTP)."""

    def __init__(self, client):
        self.client = client
        self.sent: list[tuple[str, str, MultiDict]] = []

    def request(self, method, url, data=None, allow_redirects=True):
        assert allow_redirects is False  # every redirect is the resident's own next request
        form = MultiDict(data or [])
        self.sent.append((method, urlsplit(url).path, form))
        return Answer(self.client.open(urlsplit(url).path, method=method, data=form))


def new_stats():
    return PhaseStats(window_start=0.0, stop_at=math.inf)


def complete(session, definition, stats, times=1):
    async def run():
        return [await complete_survey(session, "http://bench.test", definition, stats) for _ in range(times)]

    return asyncio.run(run())


def test_today_flow_five_requests_a_survey_and_again_in_the_same_session(database_url):
    app = make_app(database_url, QUESTIONNAIRES_DIR=str(CONTENT))
    with database.connection_context():
        load_package(CONTENT)
    [definition] = read_content_definitions(CONTENT)
    session, stats = FlaskSession(app.test_client()), new_stats()
    # Twice in one session: the second Begin carries the start form's 'sent' field, as a
    # browser's would, or the app takes it for the back button after sending.
    assert complete(session, definition, stats, times=2) == [True, True]
    paths = [(method, path) for method, path, _ in session.sent]
    one = [("GET", f"/s/{SLUG}/"), ("POST", f"/s/{SLUG}/start"), ("POST", f"/s/{SLUG}/1"),
           ("POST", f"/s/{SLUG}/2"), ("POST", f"/s/{SLUG}/3")]  # the thank-you page answers the last
    assert paths == one + one
    assert stats.requests_of_completed == 10 and stats.surveys_of_completed == 2
    assert sum(len(values) for values in stats.latencies.values()) == 10
    assert {kind: len(values) for kind, values in stats.latencies.items()} == {
        "intro": 2, "start": 2, "page_post": 4, "submit": 2,
    }
    assert all(form.get("draft") for method, path, form in session.sent if path.endswith(("/1", "/2", "/3")))
    with database.connection_context():
        stored = {row.uuid: row.answers for row in Response.select()}
    assert set(stored) == set(stats.completed) and len(stats.completed) == 2
    for answers in stored.values():
        assert len(answers) == 15 and answers["waarom_niet"] and answers["opmerking"] == "Een gewoon antwoord"


def old_flow_app():
    """A stand-in for c8b1c21's resident flow, with its markup: redirects, no sealed draft."""
    app = Flask(__name__)
    app.posted = []

    @app.get("/s/<slug>/")
    def intro(slug):
        return (f'<form method="post" action="/s/{slug}/start">\n'
                '  <input type="hidden" name="csrf_token" value="token">\n'
                '  <button type="submit" class="primary">Begin</button>\n</form>')

    @app.post("/s/<slug>/start")
    def start(slug):
        assert request.form["csrf_token"] == "token"
        return redirect(f"/s/{slug}/1")

    @app.get("/s/<slug>/<int:number>")
    def page(slug, number):
        return (f'<form method="post" action="/s/{slug}/{number}" autocomplete="off" novalidate>\n'
                '<input id="csrf_token" name="csrf_token" type="hidden" value="token">\n'
                f'<input id="response_id" name="response_id" type="hidden" value="{app.response_id}">\n</form>')

    @app.post("/s/<slug>/<int:number>")
    def post(slug, number):
        assert request.form["csrf_token"] == "token" and request.form["response_id"] == app.response_id
        app.posted.append((number, request.form.copy()))
        return redirect(f"/s/{slug}/klaar" if number == 3 else f"/s/{slug}/{number + 1}")

    @app.get("/s/<slug>/klaar")
    def thanks(slug):
        return "Bedankt"

    app.response_id = str(uuid.uuid4())
    return app


def test_old_flow_nine_requests_a_survey_each_counted_once():
    app = old_flow_app()
    [definition] = read_content_definitions(CONTENT)
    session, stats = FlaskSession(app.test_client()), new_stats()
    assert complete(session, definition, stats) == [True]
    assert [(method, path) for method, path, _ in session.sent] == [
        ("GET", f"/s/{SLUG}/"), ("POST", f"/s/{SLUG}/start"), ("GET", f"/s/{SLUG}/1"), ("POST", f"/s/{SLUG}/1"),
        ("GET", f"/s/{SLUG}/2"), ("POST", f"/s/{SLUG}/2"), ("GET", f"/s/{SLUG}/3"), ("POST", f"/s/{SLUG}/3"),
        ("GET", f"/s/{SLUG}/klaar"),
    ]
    assert {kind: len(values) for kind, values in stats.latencies.items()} == {
        "intro": 1, "start": 1, "page_get": 3, "page_post": 2, "submit": 1, "thanks": 1,
    }
    assert stats.requests_of_completed == 9 and stats.completed == [app.response_id]
    assert [number for number, _ in app.posted] == [1, 2, 3]
    assert all("draft" not in form for _, form in app.posted)  # the old pages had none to send
    assert sum(len(form) for _, form in app.posted) == 15 + 3 * 3  # 15 answers, token, id, action per page

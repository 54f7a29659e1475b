"""The draft store under a real gunicorn with two workers, over HTTP, on each backend.

Answers in progress travel sealed with the form, so any worker can take any page; nothing of
them reaches the database (or its files on disk) before the final submit, and a double tap
or a retried final post stores one response.
"""

import http.cookiejar
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from bench.answers import answer_page
from bench.servers import Gunicorn, server_environment
from survey_app.catalog import definition_of
from survey_app.db import database, is_postgres
from survey_app.models import Questionnaire, Response
from survey_app.published import KEEP_SECONDS as PUBLISHED_VERSION_SECONDS
from survey_app.workflow import transition

from ..conftest import csrf_token, prepare_for_servers
from ..resident import page_form

SLUG = "stedelijke-dienstverlening"
ACTION = re.compile(rf'id="answers"|action="/s/{SLUG}/(\d+)"')


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One resident's browser: its own cookies, redirects seen as they come."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirects)

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = None if data is None else urllib.parse.urlencode(data, doseq=True).encode()
        try:
            with self.opener.open(self.base + path, data=body, timeout=30) as response:
                return response.status, response.read().decode(), response.headers.get("Location", "")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), error.headers.get("Location", "")


@pytest.fixture
def served(database_url, tmp_path):
    """gunicorn with two workers on a database with the content package; yields (url, database_url)."""
    prepare_for_servers(database_url)
    env = server_environment(database_url, synchronous="full")
    with Gunicorn("survey_app:create_app()", env=env, workers=2, worker_class="gthread", threads=2,
                  log=tmp_path / "gunicorn.log") as server:
        yield server.url, database_url


def definition():
    with database.connection_context():
        return definition_of(Questionnaire.current(SLUG))


def stored_bytes(database_url: str) -> bytes:
    """Return every byte the database keeps of its rows: the SQLite files, or PostgreSQL's tables as text."""
    if not is_postgres():
        path = Path(database_url.removeprefix("sqlite:///"))
        return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    with database.connection_context():
        tables = [name for name in database.get_tables()]
        return "".join(str(list(database.execute_sql(f'SELECT * FROM "{t}"'))) for t in tables).encode()


def answer_with(marker: str, shape, number: int, known: dict) -> tuple[dict, bool]:
    """Return (the raw answers to page number, whether it is the last), every text answered with marker."""
    answers, last = answer_page(shape, number, known)
    for name in answers:
        question = shape.question(name) if name in {q.key for q in shape.questions()} else None
        if question is not None and question.type in ("text", "long_text"):
            answers[name], known[name] = [marker], marker
    return answers, last


def start(browser: Browser) -> str:
    _, intro, _ = browser.request(f"/s/{SLUG}/")
    status, page, _ = browser.request(f"/s/{SLUG}/start", {"csrf_token": csrf_token(intro)})
    assert status == 200 and shown_number(page) == 1
    return page


def thanked(status: int, page: str, location: str) -> bool:
    """True for the thank-you page itself or a redirect to it."""
    if status == 200:
        return f'data-url="/s/{SLUG}/klaar"' in page
    return status == 302 and location.split("?")[0].endswith(f"/s/{SLUG}/klaar")


def shown_number(html: str) -> int:
    return int(re.search(rf'action="/s/{SLUG}/(\d+)"', html).group(1))


def test_answers_in_progress_stay_off_the_server_and_the_response_is_stored_once(served):
    base, database_url = served
    shape = definition()
    marker = f"merkteken-{uuid.uuid4().hex}"
    browser = Browser(base)
    page, known, last = start(browser), {}, False
    while True:
        number = shown_number(page)
        answers, last = answer_with(marker, shape, number, known)
        if last:
            break
        # Each page through whichever worker takes it; the answers come back on the way.
        status, page, _ = browser.request(f"/s/{SLUG}/{number}", page_form(page, action="next") | answers)
        assert status == 200 and shown_number(page) == number + 1, (number, status)
        if number == 1:  # back, then on again: the answers of page 1 are shown again
            status, back, _ = browser.request(f"/s/{SLUG}/2", page_form(page, action="back"))
            assert status == 200 and shown_number(back) == 1 and " checked" in back
            # What the browser shows checked it posts again.
            status, page, _ = browser.request(f"/s/{SLUG}/1", page_form(back, action="next") | answers)
            assert shown_number(page) == 2
    assert marker in known.values(), "the path should ask a text question"
    assert marker.encode() not in stored_bytes(database_url)
    with database.connection_context():
        assert Response.select().count() == 0

    final = page_form(page, action="next") | answers
    replies = []

    def send():
        replies.append(browser.request(f"/s/{SLUG}/{number}", final))

    double_tap = [threading.Thread(target=send) for _ in range(2)]
    for thread in double_tap:
        thread.start()
    for thread in double_tap:
        thread.join(60)
    send()  # and a retried final post after the answer came
    # Each tap gets the thank-you page: as the answer (the post that stored) or by a redirect.
    assert all(thanked(*reply) for reply in replies), [(status, location) for status, _, location in replies]
    assert replies[-1][2].endswith("?sent=1")  # the retry is told the answers were sent already
    with database.connection_context():
        stored = list(Response.select())
    assert len(stored) == 1 and stored[0].answers == known
    assert marker.encode() in stored_bytes(database_url)  # the check above can see a stored answer


def test_after_a_stop_no_worker_can_open_the_answers_kept_in_the_browser(served):
    base, database_url = served
    shape = definition()
    browser = Browser(base)
    page = start(browser)
    answers, _ = answer_page(shape, 1, {})
    status, second, _ = browser.request(f"/s/{SLUG}/1", page_form(page, action="next") | answers)
    assert status == 200 and shown_number(second) == 2
    status, _, location = browser.request(f"/s/{SLUG}/stop", {"csrf_token": csrf_token(second)})
    assert status == 302
    for _ in range(4):  # the page from the history, posted again, to either worker
        status, _, location = browser.request(f"/s/{SLUG}/2", page_form(second, action="back"))
        assert status == 302 and "expired=1" in location
    with database.connection_context():
        assert Response.select().count() == 0


def test_a_version_closed_by_another_process_takes_no_answers_and_closes_on_every_worker(served):
    base, _ = served
    shape = definition()
    browser = Browser(base)
    page, known = start(browser), {}
    while True:
        number = shown_number(page)
        answers, last = answer_page(shape, number, known)
        if last:
            break
        status, page, _ = browser.request(f"/s/{SLUG}/{number}", page_form(page, action="next") | answers)
        assert status == 200 and shown_number(page) == number + 1
    # Closed here, in another process than the workers, which keep what they read for a second.
    with database.connection_context():
        transition(Questionnaire.current(SLUG), "closed", actor="test")
    closed_at = time.monotonic()
    status, _, location = browser.request(f"/s/{SLUG}/{number}", page_form(page, action="next") | answers)
    assert status == 302 and location.endswith(f"/s/{SLUG}/?expired=1"), (status, location)
    with database.connection_context():
        assert Response.select().count() == 0
    time.sleep(max(0.0, closed_at + PUBLISHED_VERSION_SECONDS + 0.2 - time.monotonic()))
    for _ in range(6):  # each a new connection, to either worker
        assert Browser(base).request(f"/s/{SLUG}/")[0] == 404

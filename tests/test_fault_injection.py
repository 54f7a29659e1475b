"""Workers killed under load: every acknowledged response stored exactly once, whole, on each backend.

The README's production command (gunicorn, gthread, 2 workers x 4 threads) serves residents
who complete surveys through the real forms and tablets that send through the sync endpoint,
while a killer SIGKILLs a worker every few seconds. Clients do what browsers and the outbox
do: a request that got no answer is sent again, the same form or the same response id. When
the run ends, every response that was acknowledged (a redirect to the thank-you page, a 2xx
from the API) is stored once with the answers that were sent, and nothing else is stored.
"""

import http.client
import os
import random
import re
import signal
import threading
import time
import urllib.error
import urllib.request
import uuid

import orjson
import pytest

from bench.answers import answer_page
from bench.servers import Gunicorn, server_environment
from survey_app.catalog import definition_of
from survey_app.content.answers import check_response
from survey_app.db import database
from survey_app.models import Questionnaire, Response, ResponseConflict
from survey_app.responses import answers_hash

from .conftest import RESPONSE_ID, csrf_token, prepare_for_servers
from .resident import page_form
from .test_sync import filled_answers
from .web.test_survey_workers import Browser

RUN_SECONDS = 20
KILL_EVERY_SECONDS = 2.5
FORM_CLIENTS, SYNC_CLIENTS = 3, 3
FORM_SLUG, SYNC_SLUGS = "stedelijke-dienstverlening", ("werk", "samenleven", "onderwijs")
GIVE_UP_SECONDS = 90  # a request is sent again until it is answered, for at most this long
ACTION = re.compile(r'action="/s/[a-z-]+/(\d+)"')


@pytest.fixture
def production(database_url, tmp_path):
    """The README's gunicorn on a database with the content package; yields the server."""
    prepare_for_servers(database_url)
    env = server_environment(database_url, synchronous="full")
    # Every client comes from 127.0.0.1: the per-address limits would refuse the test, not a fault.
    env.update(START_RATE_LIMIT="100000 per minute", SYNC_RATE_LIMIT="100000 per hour", UPKEEP_SECONDS="5",
               SYNC_TABLET_RATE_LIMIT="100000 per hour", SYNC_TABLET_BYTES_LIMIT="1000000000 per hour")
    with Gunicorn("survey_app:create_app()", env=env, workers=2, worker_class="gthread", threads=4,
                  log=tmp_path / "gunicorn.log") as server:
        yield server


class Ledger:
    """What the clients were told: acknowledged ids with their answers, and how often they sent again."""

    def __init__(self):
        self.lock = threading.Lock()
        self.acknowledged: dict[str, tuple[str, dict]] = {}
        self.retries = 0
        self.failures: list[str] = []

    def ack(self, response_id: str, slug: str, answers: dict) -> None:
        with self.lock:
            assert response_id not in self.acknowledged, f"{response_id} acknowledged twice"
            self.acknowledged[response_id] = (slug, answers)


def persist(browser: Browser, path: str, data: dict | None, ledger: Ledger, deadline: float):
    """Send a request again until a worker answers it (not with a 5xx); return (status, body, location)."""
    while True:
        try:
            status, body, location = browser.request(path, data)
            if status < 500:
                return status, body, location
        except (OSError, http.client.HTTPException):
            pass  # the worker died with the request, or while answering it: the browser sends it again
        with ledger.lock:
            ledger.retries += 1
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path} got no answer for {GIVE_UP_SECONDS} s")
        time.sleep(0.1)


def complete_a_survey(base: str, shape, ledger: Ledger) -> None:
    """A resident answers every page through the forms; the final post is repeated until answered."""
    browser, deadline = Browser(base), time.monotonic() + GIVE_UP_SECONDS
    _, intro, _ = persist(browser, f"/s/{FORM_SLUG}/", None, ledger, deadline)
    status, page, location = persist(browser, f"/s/{FORM_SLUG}/start", {"csrf_token": csrf_token(intro)}, ledger, deadline)
    if status == 302:  # an older flow redirected to page 1; now page 1 is the answer to Begin
        status, page, _ = persist(browser, location, None, ledger, deadline)
    assert status == 200 and RESPONSE_ID.search(page), status
    response_id = RESPONSE_ID.search(page).group(1)
    known, number = {}, 1
    while True:
        answers, _ = answer_page(shape, number, known)
        status, reply, location = persist(browser, f"/s/{FORM_SLUG}/{number}",
                                          page_form(page, action="next") | answers, ledger, deadline)
        # The thank-you page answers the final post; a resend that finds it stored is sent there.
        thanked = status == 200 and f'data-url="/s/{FORM_SLUG}/klaar"' in reply
        if thanked or status == 302:
            assert thanked or location.split("?")[0].endswith(f"/s/{FORM_SLUG}/klaar"), location
            clean, errors = check_response(shape, known)
            assert not errors
            ledger.ack(response_id, FORM_SLUG, clean)
            return
        assert status == 200 and int(ACTION.search(reply).group(1)) == number + 1, (status, number)
        page, number = reply, number + 1


class TabletBrowser(Browser):
    """A tablet's browser: the outbox posts JSON with the token in a header."""

    def post_json(self, path: str, body: bytes, token: str):
        request = urllib.request.Request(self.base + path, data=body, method="POST",
                                         headers={"Content-Type": "application/json", "X-CSRFToken": token})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), ""
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), ""


def send_from_a_tablet(base: str, payloads: dict, ledger: Ledger) -> None:
    """A tablet's outbox sends one response until it is acknowledged, as survey.js does."""
    browser, deadline = TabletBrowser(base), time.monotonic() + GIVE_UP_SECONDS
    slug = random.choice(SYNC_SLUGS)
    version, answers = payloads[slug]
    response_id = str(uuid.uuid4())
    body = orjson.dumps({"id": response_id, "questionnaire": slug, "version": version, "language": "nl", "answers": answers})
    while True:
        try:
            _, token_reply, _ = browser.request("/api/csrf")
            token = orjson.loads(token_reply)["csrf_token"]
            status, reply, _ = browser.post_json("/api/responses", body, token)
            if status in (200, 201):
                assert orjson.loads(reply)["status"] in ("stored", "duplicate"), reply
                ledger.ack(response_id, slug, answers)
                return
            assert status >= 500, (status, reply[:300])  # anything else would be a refusal for good
        except (OSError, http.client.HTTPException, ValueError):
            pass  # no answer, half an answer, or not the JSON of a living worker
        with ledger.lock:
            ledger.retries += 1
        if time.monotonic() > deadline:
            raise TimeoutError(f"response {response_id} was never acknowledged")
        time.sleep(0.1)


def test_killed_workers_lose_and_duplicate_no_acknowledged_response(production):
    with database.connection_context():
        shape = definition_of(Questionnaire.current(FORM_SLUG))
        payloads = {slug: (Questionnaire.current(slug).version, filled_answers(slug)) for slug in SYNC_SLUGS}
        expected_sync = {slug: check_response(definition_of(Questionnaire.current(slug)), answers)[0]
                         for slug, (_, answers) in payloads.items()}
    ledger, stop = Ledger(), threading.Event()

    def client(work):
        try:
            while not stop.is_set():
                work()
        except Exception as error:  # noqa: BLE001 - reported by the test below, whatever it is
            with ledger.lock:
                ledger.failures.append(repr(error))

    threads = [threading.Thread(target=client, args=(lambda: complete_a_survey(production.url, shape, ledger),))
               for _ in range(FORM_CLIENTS)]
    threads += [threading.Thread(target=client, args=(lambda: send_from_a_tablet(production.url, payloads, ledger),))
                for _ in range(SYNC_CLIENTS)]
    for thread in threads:
        thread.start()
    kills, started = 0, time.monotonic()
    while time.monotonic() - started < RUN_SECONDS:
        time.sleep(KILL_EVERY_SECONDS)
        workers = production.worker_pids()
        if workers:
            os.kill(random.choice(workers), signal.SIGKILL)
            kills += 1
    stop.set()
    for thread in threads:
        thread.join(GIVE_UP_SECONDS + 30)
    production.stop()

    assert not ledger.failures, ledger.failures[:5]
    assert kills >= RUN_SECONDS // KILL_EVERY_SECONDS - 1
    assert ledger.retries > 0, "no request met a killed worker: the test proved nothing"
    with database.connection_context():
        stored = list(Response.select(Response, Questionnaire).join(Questionnaire))
        kept_aside = ResponseConflict.select().count()
    ids = [row.uuid for row in stored]
    assert len(ids) == len(set(ids)), "a response was stored twice"
    assert set(ledger.acknowledged) <= set(ids), "an acknowledged response is missing"
    # Each client finishes what it began (or fails the test above): so nothing else is stored.
    assert set(ids) == set(ledger.acknowledged), "a response was stored that nobody was told about"
    assert kept_aside == 0
    for row in stored:
        # Whole: the answers, their hash and the answer line were written in one transaction.
        assert row.answers and row.answer_line and row.content_hash == answers_hash(row.questionnaire.id, row.answers)
        if row.uuid in ledger.acknowledged:
            slug, answers = ledger.acknowledged[row.uuid]
            assert row.questionnaire.slug == slug
            assert row.answers == (expected_sync[slug] if slug in expected_sync else answers)
    print(f"{len(ledger.acknowledged)} acknowledged, {len(ids)} stored, {kills} workers killed, {ledger.retries} requests sent again")

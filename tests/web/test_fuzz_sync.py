"""POST /api/responses under hostile input: never a 500, never half-stored, never stored twice.

Whatever a tablet (or anyone else) sends, the answer is one of the documented ones
(docs/fieldwork.md): 201 stored, 200 duplicate or kept aside, 400 with a reason, 413 too
large. A 4xx stores nothing; a 2xx stores at most one row, under the id that was sent.
"""

import json
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st
from itsdangerous import URLSafeTimedSerializer

from survey_app.db import database
from survey_app.languages import LANGUAGES
from survey_app.models import Questionnaire, Response, ResponseConflict

from ..hostile import fresh_id, fuzz, hostile_text, json_values, response_ids
from ..test_sync import filled_answers

# What a header can carry at all (the test client refuses line breaks).
HEADER_SAFE = "".join(c for c in string.printable if c not in "\r\n\x0b\x0c")
SLUGS = ("werk", "samenleven", "onderwijs")
ANSWERED = {}  # slug -> (version, accepted answers), read once per test


def counts() -> tuple[int, int]:
    with database.connection_context():
        return Response.select().count(), ResponseConflict.select().count()


def accepted(slug: str) -> tuple[int, dict]:
    if slug not in ANSWERED:
        with database.connection_context():
            ANSWERED[slug] = Questionnaire.current(slug).version, filled_answers(slug)
    return ANSWERED[slug]


def send(client, body: bytes, token: str | None = "fetch"):
    headers = {}
    if token == "fetch":
        token = client.get("/api/csrf").json["csrf_token"]
    if token is not None:
        headers["X-CSRFToken"] = token
    return client.post("/api/responses", data=body, content_type="application/json", headers=headers)


def check_outcome(reply, before: tuple[int, int], sent: object) -> None:
    """Assert the answer is a documented one and the database changed as it says."""
    responses, conflicts = counts()
    assert reply.status_code in (200, 201, 400, 413), (reply.status_code, reply.data[:300])
    if reply.status_code >= 400:
        assert (responses, conflicts) == before, "a refused payload left a row behind"
        if reply.status_code == 400:
            assert reply.is_json and reply.json["error"]
        return
    body = reply.json
    assert isinstance(sent, dict) and body["id"] == str(sent["id"]).lower()
    with database.connection_context():
        stored = Response.select().where(Response.uuid == body["id"]).count()
        kept = ResponseConflict.select().where(ResponseConflict.response_uuid == body["id"]).count()
    assert stored <= 1
    if body["status"] == "stored":
        assert reply.status_code == 201 and (responses, conflicts) == (before[0] + 1, before[1]) and stored == 1
    elif body["status"] == "duplicate":
        assert (responses, conflicts) == before and stored == 1
    else:
        assert body["status"] == "kept_aside" and responses == before[0]
        assert conflicts - before[1] in (0, 1) and kept >= 1


@st.composite
def envelopes(draw) -> dict:
    """A payload near a real one: each field right, wrong in type, or hostile; some left out."""
    slug = draw(st.sampled_from(SLUGS))
    payload = {
        "id": draw(response_ids() | json_values(max_leaves=3)),
        "questionnaire": draw(st.just(slug) | hostile_text(max_size=80) | json_values(max_leaves=3)),
        "version": draw(st.just("current") | st.integers() | json_values(max_leaves=2)),
        "language": draw(st.sampled_from(sorted(LANGUAGES)) | json_values(max_leaves=2)),
        "answers": draw(st.sampled_from(["accepted", "changed"]) | json_values()),
        "kiosk": draw(st.none() | hostile_text(max_size=300)),
    }
    for name in draw(st.lists(st.sampled_from(sorted(payload)), max_size=2)):
        payload.pop(name, None)
    payload.update(draw(st.dictionaries(hostile_text(max_size=10), json_values(max_leaves=3), max_size=2)))
    if payload.get("answers") in ("accepted", "changed"):
        version, answers = accepted(slug)
        answers = dict(answers)
        if payload["answers"] == "changed":
            names = st.sampled_from(sorted(answers)) | hostile_text(max_size=110)
            values = hostile_text() | st.integers() | st.lists(hostile_text(max_size=20) | st.integers(), max_size=120)
            answers.update(draw(st.dictionaries(names, values | json_values(max_leaves=4), max_size=4)))
        payload["answers"] = answers
    if payload.get("version") == "current":
        payload["version"] = accepted(slug)[0]
    return payload


def encode(payload: object) -> bytes:
    # ensure_ascii: a lone surrogate travels as "\ud83d", the way a browser's JSON.stringify sends it.
    return json.dumps(payload, ensure_ascii=True, allow_nan=True).encode()


@fuzz(80)
@given(payload=envelopes())
def test_any_payload_near_a_real_one_gets_a_documented_answer(client, payload):
    before = counts()
    check_outcome(send(client, encode(payload)), before, payload)


@fuzz(60)
@given(payload=json_values(max_leaves=40))
def test_json_of_any_shape_gets_a_documented_answer(client, payload):
    before = counts()
    check_outcome(send(client, encode(payload)), before, payload)


@fuzz(40)
@given(body=st.one_of(
    st.binary(max_size=300),
    st.integers(1, 5_000).map(lambda n: b'{"id": ' + b"[" * n + b"]" * n + b"}"),
    st.integers(1, 5_000).map(lambda n: b'{"answers": ' + b'{"a":' * n + b"1" + b"}" * n + b"}"),
    st.integers(4_000, 6_000).map(lambda n: b'{"version": ' + b"7" * n + b"}"),
    st.binary(min_size=1, max_size=40).map(lambda junk: b'{"id": "' + junk + b'", "answers": {}}'),
    st.integers(200_000, 400_000).map(lambda n: b'{"answers": {"a": "' + b"x" * n + b'"}}'),
))
def test_bytes_that_are_barely_json_get_a_documented_answer(client, body):
    before = counts()
    check_outcome(send(client, body), before, None)


@fuzz(40)
@given(payload=envelopes(), body=st.sampled_from(["payload", "junk"]),
       token=st.none() | st.sampled_from(["tampered", "other secret"]) | st.text(HEADER_SAFE, max_size=200))
def test_every_post_without_a_valid_csrf_token_is_refused_and_stores_nothing(client, payload, body, token):
    before = counts()
    if token == "tampered":  # a real token with its signature changed
        real = client.get("/api/csrf").json["csrf_token"]
        token = real[:-2] + ("AA" if not real.endswith("AA") else "BB")
    elif token == "other secret":
        # Signed the way Flask-WTF signs, with a key that is not the server's.
        token = URLSafeTimedSerializer("another", salt="wtf-csrf-token").dumps("0" * 40)
    reply = send(client, encode(payload) if body == "payload" else b"\xff{", token)
    assert reply.status_code == 400
    assert counts() == before


@pytest.mark.parametrize("depth", [900, 995, 1_000, 20_000])
def test_deep_answers_under_a_real_id_are_kept_aside_or_refused_never_a_crash(client, depth):
    body = b'{"id": "0b7e9c1e-6a3a-4c8e-9f1d-2f7e1b2c3d4e", "questionnaire": "werk", "version": 1, ' \
           b'"language": "nl", "answers": ' + b"[" * depth + b"]" * depth + b"}"
    before = counts()
    check_outcome(send(client, body), before, {"id": "0b7e9c1e-6a3a-4c8e-9f1d-2f7e1b2c3d4e"})


@fuzz(20)
@given(data=st.data())
def test_a_response_sent_again_in_any_form_is_stored_at_most_once(client, data):
    slug = data.draw(st.sampled_from(SLUGS))
    version, answers = accepted(slug)
    # A fresh id each time, not a drawn one: Hypothesis draws the same UUIDs again.
    payload = {"id": fresh_id(), "questionnaire": slug, "version": version, "language": "nl",
               "answers": answers}
    first = send(client, encode(payload))
    assert first.status_code == 201
    for _ in range(data.draw(st.integers(1, 3))):
        again = dict(payload, id=data.draw(st.sampled_from([payload["id"], payload["id"].upper(), payload["id"].lower()])))
        if data.draw(st.booleans()):
            again["answers"] = dict(answers) | data.draw(st.dictionaries(st.sampled_from(sorted(answers)), hostile_text(max_size=10), max_size=2))
        before = counts()
        check_outcome(send(client, encode(again)), before, again)
    with database.connection_context():
        assert Response.select().where(Response.uuid == payload["id"].lower()).count() == 1

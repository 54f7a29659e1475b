"""Storing a response: with its answers as a JSON document and as one line, whichever path it came by."""

from survey_app.catalog import definition_of
from survey_app.content.answer_line import encode_answer_line
from survey_app.db import database
from survey_app.models import Questionnaire, Response
from survey_app.responses import store_response

from .web.test_offline import payload_for, post_response
from .test_sync import filled_answers

UUID = "5d7c2a1e-8f3b-4c6d-9e0a-1b2c3d4e5f60"


def test_a_stored_response_holds_its_answers_as_a_line_too(app):
    with database.connection_context():
        row = Questionnaire.current("werk")
        answers = filled_answers("werk")
        response, created = store_response(questionnaire=row, response_uuid=UUID, answers=answers, language="nl")
        stored = Response.get_by_id(response.id)
        assert created and stored.answers == answers
        assert stored.answer_line == encode_answer_line(definition_of(row), answers)
        assert stored.answer_line.count(",") >= len(answers) - 1


def test_answers_no_line_can_hold_are_stored_without_one(app):
    with database.connection_context():
        row = Questionnaire.current("werk")
        response, _ = store_response(questionnaire=row, response_uuid=UUID, answers={"idee": "a\x00b"}, language="nl")
        assert Response.get_by_id(response.id).answer_line is None


def test_a_response_synced_from_a_tablet_gets_its_line(client):
    payload = payload_for()
    assert post_response(client, payload).status_code in (200, 201)
    with database.connection_context():
        stored = Response.get(Response.uuid == payload["id"])
        assert stored.answer_line and stored.answer_line == encode_answer_line(definition_of(stored.questionnaire), stored.answers)

"""Storing a response: with its answers as a JSON document and as one line, whichever path it came by."""

import pytest

from survey_app.catalog import definition_of
from survey_app.content.answer_line import encode_answer_line
from survey_app.db import database
from survey_app.models import Questionnaire, Response
from survey_app.responses import VersionNotPublished, store_response

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


def test_the_row_is_stored_exactly_as_response_create_stored_it(app):
    import datetime

    from survey_app.accounts import create_user

    columns = ("uuid", "questionnaire_id", "language", "mode", "channel", "submitted_on", "staff_id", "form",
               "content_hash", "answers", "answer_line")

    def stored(uuid):
        cursor = database.execute_sql(f"SELECT {', '.join(columns)} FROM response WHERE uuid = {database.param}", (uuid,))
        return dict(zip(columns, cursor.fetchone()))

    with database.connection_context():
        row = Questionnaire.current("werk")
        user = create_user("an", "een lang wachtwoord", "staff")
        answers = filled_answers("werk")
        for number, (staff, form, given) in enumerate([(None, "volledig", answers), (user, "kort", answers),
                                                        (user.id, None, {"idee": "a\x00b"})]):
            ours, theirs = f"0b0f9a53-4d5b-4a39-9a7b-7d0c3f3bde1{number}", f"1b0f9a53-4d5b-4a39-9a7b-7d0c3f3bde1{number}"
            # Every other one through the INSERT that checks the version is published (the survey's pages).
            response, created = store_response(questionnaire=row, response_uuid=ours.upper(), answers=given,
                                               language="tr", mode="assisted", channel="phone", staff=staff, form=form,
                                               published_only=number % 2 == 1)
            assert created and Response.get_by_id(response.id).uuid == ours
            Response.create(uuid=theirs, questionnaire=row, language="tr", mode="assisted", channel="phone",
                            submitted_on=datetime.date.today(), staff=staff, form=form,
                            content_hash=response.content_hash, answers=given,
                            answer_line=encode_answer_line(definition_of(row), given))
            assert stored(ours) == stored(theirs) | {"uuid": ours}
            again, created_again = store_response(questionnaire=row, response_uuid=ours, answers=given, language="tr")
            assert not created_again and again.id == response.id


def test_answers_sent_from_the_pages_are_not_stored_once_the_version_is_closed(app):
    with database.connection_context():
        row = Questionnaire.current("werk")
        answers = filled_answers("werk")
        stored, created = store_response(questionnaire=row, response_uuid=UUID, answers=answers, language="nl", published_only=True)
        assert created
        # Closed by another process: this one still holds the row it read as published.
        Questionnaire.update(state="closed").where(Questionnaire.id == row.id).execute()
        late = "6d7c2a1e-8f3b-4c6d-9e0a-1b2c3d4e5f61"
        with pytest.raises(VersionNotPublished):
            store_response(questionnaire=row, response_uuid=late, answers=answers, language="nl", published_only=True)
        assert not Response.select().where(Response.uuid == late).exists()
        # The re-send of the response stored while it was open is that response, not an error.
        again, created_again = store_response(questionnaire=row, response_uuid=UUID, answers=answers, language="nl", published_only=True)
        assert (again.id, created_again) == (stored.id, False)
        # A tablet's offline answers were given while it was open: stored, as before.
        offline = "7d7c2a1e-8f3b-4c6d-9e0a-1b2c3d4e5f62"
        assert store_response(questionnaire=row, response_uuid=offline, answers=answers, language="nl")[1]
        assert Response.select().count() == 2

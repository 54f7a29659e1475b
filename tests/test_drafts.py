"""Answers in progress: found only by their own token, for their own questionnaire, while alive."""

import datetime

import pytest

from survey_app import drafts
from survey_app.db import database
from survey_app.models import Draft, Questionnaire

LIFETIME = datetime.timedelta(minutes=30)


@pytest.fixture
def werk(app):
    with database.connection_context():
        yield Questionnaire.current("werk")


def test_a_draft_is_found_by_its_token_for_its_questionnaire(werk):
    draft = drafts.start_draft(werk, language="tr", lifetime=LIFETIME)
    found = drafts.find_draft(draft.token, werk)
    assert (found.id, found.language, found.answers, found.response_uuid) == (draft.id, "tr", {}, draft.response_uuid)
    assert found.questionnaire_id == werk.id
    assert drafts.find_draft(draft.token, Questionnaire.current("onderwijs")) is None
    assert drafts.find_draft("another token", werk) is None
    assert drafts.find_draft(None, werk) is None


def test_saved_answers_come_back_and_extend_the_life(werk):
    draft = drafts.start_draft(werk, language="nl", lifetime=datetime.timedelta(minutes=1))
    drafts.save_answers(draft, {"werksituatie": "werkzoekend", "talen": ["nl", "tr"]}, lifetime=LIFETIME)
    found = drafts.find_draft(draft.token, werk)
    assert found.answers == {"werksituatie": "werkzoekend", "talen": ["nl", "tr"]}
    assert found.expires_at == draft.expires_at > drafts.utcnow() + datetime.timedelta(minutes=29)
    assert Draft.get_by_id(draft.id).expires_at == draft.expires_at


def test_an_expired_draft_is_not_found_and_is_purged(werk):
    draft = drafts.start_draft(werk, language="nl", lifetime=datetime.timedelta(minutes=-1))
    assert drafts.find_draft(draft.token, werk) is None
    assert drafts.purge_drafts() == 1
    assert Draft.select().count() == 0


def test_a_discarded_draft_is_gone(werk):
    draft = drafts.start_draft(werk, language="nl", lifetime=LIFETIME)
    drafts.discard_draft(draft.token)
    assert drafts.find_draft(draft.token, werk) is None

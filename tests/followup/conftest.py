"""Fixtures of the follow-up tests: responses stored in bulk, with chosen dates, modes and profiles."""

import datetime
import uuid as uuidlib

from survey_app.catalog import definition_of
from survey_app.content.answer_line import encode_answer_line
from survey_app.db import database
from survey_app.models import Response
from survey_app.responses import answers_hash


def add_responses(questionnaire, rows, *, batch=500):
    """Store responses; each row is (answers, day, mode, language), as the resident flow stores them."""
    definition = definition_of(questionnaire)
    records = [
        {
            "uuid": str(uuidlib.uuid4()),
            "questionnaire": questionnaire.id,
            "language": language,
            "mode": mode,
            "channel": "tablet" if mode == "assisted" else "web",
            "submitted_on": datetime.date.fromisoformat(day) if isinstance(day, str) else day,
            "content_hash": answers_hash(questionnaire.id, answers),
            "answers": answers,
            "answer_line": encode_answer_line(definition, answers),
        }
        for answers, day, mode, language in rows
    ]
    with database.atomic():
        for start in range(0, len(records), batch):
            Response.insert_many(records[start : start + batch]).execute()

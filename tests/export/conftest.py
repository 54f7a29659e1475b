"""Fixtures of the export tests: a short questionnaire (tests/export/package) and responses made to measure."""

import datetime
import uuid as uuidlib
from pathlib import Path

import pytest

from survey_app.catalog import definition_of, load_package
from survey_app.content.answer_line import encode_answer_line
from survey_app.db import database
from survey_app.models import Questionnaire, Response
from survey_app.responses import answers_hash

HERE = Path(__file__).resolve().parent
PACKAGE = HERE / "package"
PACKAGE_V2 = HERE / "package_v2"


@pytest.fixture
def kort(empty_app):
    """An app with the short questionnaire loaded, and an open connection; yields the stored version.

    Not a connection_context: requests of the test client close the connection at teardown.
    """
    database.connect(reuse_if_open=True)
    load_package(PACKAGE)
    yield Questionnaire.get(slug="kort", version=1)
    if not database.is_closed():
        database.close()


def add_response(
    questionnaire, answers, *, day="2025-03-14", language="nl", mode="self", channel="web", staff=None, uuid=None, line=True,
    form="volledig",
):
    """Store a response as the resident flow would, with a chosen date; line=False as before answer lines existed,
    form=None as before the form answered was kept."""
    return Response.create(
        uuid=uuid or str(uuidlib.uuid4()),
        questionnaire=questionnaire,
        language=language,
        mode=mode,
        channel=channel,
        submitted_on=datetime.date.fromisoformat(day),
        staff=staff,
        form=form,
        content_hash=answers_hash(questionnaire.id, answers),
        answers=answers,
        answer_line=encode_answer_line(definition_of(questionnaire), answers) if line else None,
    )

"""Responses in progress: kept server-side so a long answer never overflows a cookie."""

import datetime
import secrets
import uuid as uuidlib

from .db import database, with_placeholders
from .models import Draft, Questionnaire, User, utcnow

# Hand-written SQL for the two queries of every page a resident opens or sends (see db.py).
_FIND_SQL = (
    "SELECT id, token, questionnaire_id, response_uuid, language, mode, channel, staff_id, answers, expires_at"
    " FROM draft WHERE token = ? AND questionnaire_id = ? AND expires_at > ?"
)
_SAVE_SQL = "UPDATE draft SET answers = ?, expires_at = ? WHERE id = ?"


def start_draft(
    questionnaire: Questionnaire,
    *,
    language: str,
    lifetime: datetime.timedelta,
    mode: str = "self",
    channel: str = "web",
    staff: User | None = None,
) -> Draft:
    """Return a new, empty draft with a fresh client id; purges abandoned drafts first."""
    purge_drafts()
    return Draft.create(
        token=secrets.token_urlsafe(32),
        questionnaire=questionnaire,
        response_uuid=str(uuidlib.uuid4()),
        language=language,
        mode=mode,
        channel=channel,
        staff=staff,
        answers={},
        expires_at=utcnow() + lifetime,
    )


def find_draft(token: str | None, questionnaire: Questionnaire) -> Draft | None:
    """Return the live draft with this token for this questionnaire, or None."""
    if not token:
        return None
    query = Draft.raw(with_placeholders(_FIND_SQL), token, questionnaire.id, Draft.expires_at.db_value(utcnow()))
    return next(iter(query), None)


def save_answers(draft: Draft, answers: dict, *, lifetime: datetime.timedelta) -> None:
    """Replace the draft's answers and extend its life."""
    draft.answers = answers
    draft.expires_at = utcnow() + lifetime
    database.execute_sql(
        with_placeholders(_SAVE_SQL),
        (Draft.answers.db_value(answers), Draft.expires_at.db_value(draft.expires_at), draft.id),
    )


def discard_draft(token: str | None) -> None:
    """Delete a draft (on reset or when a resident stops); nothing of it remains."""
    if token:
        Draft.delete().where(Draft.token == token).execute()


def purge_drafts() -> int:
    """Delete every expired draft; return how many."""
    return Draft.delete().where(Draft.expires_at <= utcnow()).execute()

"""Responses in progress: kept server-side so a long answer never overflows a cookie."""

import datetime
import secrets
import uuid as uuidlib

from .models import Draft, Questionnaire, User, utcnow


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
    return Draft.get_or_none(
        (Draft.token == token) & (Draft.questionnaire == questionnaire) & (Draft.expires_at > utcnow())
    )


def save_answers(draft: Draft, answers: dict, *, lifetime: datetime.timedelta) -> None:
    """Replace the draft's answers and extend its life."""
    draft.answers = answers
    draft.expires_at = utcnow() + lifetime
    draft.save(only=[Draft.answers, Draft.expires_at])


def discard_draft(token: str | None) -> None:
    """Delete a draft (on reset or when a resident stops); nothing of it remains."""
    if token:
        Draft.delete().where(Draft.token == token).execute()


def purge_drafts() -> int:
    """Delete every expired draft; return how many."""
    return Draft.delete().where(Draft.expires_at <= utcnow()).execute()

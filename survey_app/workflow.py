"""The questionnaire workflow as data: states, the allowed transitions, and a logged history."""

import datetime
from dataclasses import dataclass

from . import published
from .errors import TransitionError
from .models import Questionnaire, StateChange, database


@dataclass(frozen=True)
class State:
    name: str
    residents_see: bool
    accepts_responses: bool
    description: str


STATES = {
    s.name: s
    for s in (
        State("draft", False, False, "Being written; may change in place while nobody answered it."),
        State("published", True, True, "Open to residents and staff; its text never changes."),
        State("closed", False, False, "No new answers; responses stay stored and exportable."),
    )
}
INITIAL_STATE = "draft"

# (from, to) -> the name of the transition.
TRANSITIONS = {
    ("draft", "published"): "publish",
    ("published", "closed"): "close",
    ("closed", "published"): "reopen",
    ("draft", "closed"): "withdraw",
}


def transition(questionnaire: Questionnaire, to_state: str, *, actor: str, comment: str = "") -> StateChange:
    """Move a questionnaire to to_state and log it; return the logged change."""
    if to_state == questionnaire.state:
        raise TransitionError(f"{questionnaire.slug} v{questionnaire.version} is already {to_state}")
    if (questionnaire.state, to_state) not in TRANSITIONS:
        allowed = [to for (frm, to) in TRANSITIONS if frm == questionnaire.state]
        raise TransitionError(
            f"{questionnaire.slug} v{questionnaire.version} cannot go from {questionnaire.state} "
            f"to {to_state}; from {questionnaire.state} it can go to: {', '.join(allowed) or 'nothing'}"
        )
    with database.atomic():
        change = StateChange.create(
            questionnaire=questionnaire,
            from_state=questionnaire.state,
            to_state=to_state,
            actor=actor,
            comment=comment,
            changed_at=datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None),
        )
        questionnaire.state = to_state
        questionnaire.save(only=[Questionnaire.state])
    published.forget()  # this process at once; the others within PUBLISHED_VERSION_SECONDS
    return change

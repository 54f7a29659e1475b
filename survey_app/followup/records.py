"""The follow-up record of one recommendation: status, owning service, actions, a note for residents, history.

The statuses and the changes allowed between them are a table, like the questionnaires' workflow.
"""

from dataclasses import dataclass
from datetime import date

# status -> the statuses it may change to
STATUSES = {
    "planned": ("started", "not_taken"),
    "started": ("done", "not_taken", "planned"),
    "done": ("started",),
    "not_taken": ("planned",),
}
INITIAL_STATUSES = ("planned", "not_taken")


@dataclass(frozen=True)
class Action:
    """A dated step the city took or plans."""

    date: date
    text: str
    done: bool = False


@dataclass(frozen=True)
class Change:
    """One entry of a record's history: the status from that day on, who decided and why."""

    date: date
    status: str
    by: str
    comment: str = ""


@dataclass(frozen=True)
class FollowUp:
    """What the city does with one recommendation, and how it is followed up."""

    recommendation: str
    status: str
    service: str
    note: str  # for residents, plain Dutch
    indicators: tuple[str, ...] = ()
    administrative: str = ""  # followed up by the city's own data, not by residents: no survey figure
    reason: str = ""  # why it is not taken
    actions: tuple[Action, ...] = ()
    history: tuple[Change, ...] = ()
    line: int | None = None

    @property
    def since(self) -> date | None:
        """Return the day the current status began."""
        return self.history[-1].date if self.history else None

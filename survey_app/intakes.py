"""Staff intakes: how many responses staff entered, counted by day, survey and channel.

Only counts leave this module: never an answer.
"""

import datetime
from dataclasses import dataclass

from peewee import fn

from .models import Questionnaire, Response, User


@dataclass(frozen=True)
class IntakeCount:
    staff: str  # the username; only staff and admins see this list
    title: str
    channel: str
    count: int


def count_intakes(day: datetime.date, *, staff: User | None = None) -> list[IntakeCount]:
    """Return the responses staff entered on day (assisted, or typed over from paper), counted per
    staff member, survey and channel.

    With staff given, only that member's intakes are counted.
    """
    count = fn.COUNT(Response.id)
    query = (
        Response.select(User.username, Questionnaire.title, Response.channel, count.alias("n"))
        .join(User, on=(Response.staff == User.id))
        .switch(Response)
        .join(Questionnaire)
        .where(((Response.mode == "assisted") | (Response.channel == "paper")) & (Response.submitted_on == day))
        .group_by(User.username, Questionnaire.title, Response.channel)
        .order_by(User.username, Questionnaire.title, Response.channel)
        .tuples()
    )
    if staff is not None:
        query = query.where(Response.staff == staff)
    return [IntakeCount(*row) for row in query]

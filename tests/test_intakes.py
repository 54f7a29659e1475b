"""Counting staff intakes: per staff member, survey and channel, for one day, never an answer."""

import datetime

from survey_app.accounts import create_user
from survey_app.intakes import IntakeCount, count_intakes
from survey_app.models import Questionnaire
from survey_app.responses import store_response

TODAY = datetime.date.today()


def store(questionnaire, *, staff, channel, mode="assisted", uuid):
    store_response(questionnaire=questionnaire, response_uuid=uuid, answers={"x": 1}, language="nl",
                   mode=mode, channel=channel, staff=staff)


def test_intakes_are_counted_per_staff_member_survey_and_channel(db):
    an = create_user("an", "een lang wachtwoord", "staff")
    bo = create_user("bo", "een lang wachtwoord", "staff")
    werk = Questionnaire.current("werk")
    ids = iter(f"00000000-0000-4000-8000-{n:012d}" for n in range(100))
    for staff, channel in [(an, "phone"), (an, "phone"), (an, "counter"), (bo, "home_visit")]:
        store(werk, staff=staff, channel=channel, uuid=next(ids))
    store(werk, staff=None, channel="tablet", mode="self", uuid=next(ids))
    title = werk.title
    assert count_intakes(TODAY, staff=an) == [IntakeCount("an", title, "counter", 1), IntakeCount("an", title, "phone", 2)]
    assert count_intakes(TODAY) == [
        IntakeCount("an", title, "counter", 1), IntakeCount("an", title, "phone", 2), IntakeCount("bo", title, "home_visit", 1)]
    assert count_intakes(TODAY - datetime.timedelta(days=1)) == []

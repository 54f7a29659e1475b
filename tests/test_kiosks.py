"""Kiosks as a domain: PIN rules, argon2 hashes, surveys offered, signed tickets."""

import pytest

from survey_app.errors import PinError
from survey_app.kiosks import (
    check_pin_strength,
    end_kiosk,
    find_kiosk,
    kiosk_slugs,
    kiosk_ticket,
    pin_matches,
    start_kiosk,
    ticket_is_valid,
)
from survey_app.models import Questionnaire
from survey_app.workflow import transition


@pytest.mark.parametrize("pin", ["2580", "90417", "120934", "1212"])
def test_good_pins_pass(pin):
    check_pin_strength(pin)


@pytest.mark.parametrize("pin", ["", "123", "1234567", "12a4", "0000", "1234", "98765", " 2580", 2580])
def test_short_long_non_digit_and_guessable_pins_fail(pin):
    with pytest.raises(PinError):
        check_pin_strength(pin)


def test_a_kiosk_keeps_only_published_surveys_and_a_hash_of_its_pin(db):
    kiosk = start_kiosk(staff=None, slugs=["werk", "geen", "werk", "onderwijs"], pin="2580")
    assert kiosk.slugs == ["werk", "onderwijs"]
    assert "2580" not in kiosk.pin_hash
    assert pin_matches(kiosk, "2580") and not pin_matches(kiosk, "2581") and not pin_matches(kiosk, None)


def test_a_kiosk_needs_an_open_survey(db):
    with pytest.raises(ValueError):
        start_kiosk(staff=None, slugs=["geen"], pin="2580")


def test_an_ended_kiosk_is_no_longer_found(db):
    kiosk = start_kiosk(staff=None, slugs=["werk"], pin="2580")
    assert find_kiosk(kiosk.token).id == kiosk.id
    end_kiosk(kiosk)
    assert find_kiosk(kiosk.token) is None
    assert find_kiosk(None) is None


def test_a_survey_closed_later_leaves_the_kiosk(db):
    kiosk = start_kiosk(staff=None, slugs=["werk", "onderwijs"], pin="2580")
    assert kiosk_slugs(kiosk) == ["werk", "onderwijs"]
    transition(Questionnaire.current("werk"), "closed", actor="test")
    assert kiosk_slugs(kiosk) == ["onderwijs"]


def test_tickets_are_signed_with_the_secret(db):
    kiosk = start_kiosk(staff=None, slugs=["werk"], pin="2580")
    ticket = kiosk_ticket(kiosk, "secret")
    assert ticket_is_valid(ticket, "secret")
    assert not ticket_is_valid(ticket, "other secret")
    assert not ticket_is_valid(ticket + "x", "secret")
    assert not ticket_is_valid(None, "secret") and not ticket_is_valid("x" * 300, "secret")


def test_a_ticket_ends_with_its_kiosk_and_expires(db):
    import time

    from survey_app.kiosks import end_kiosk
    from survey_app.models import Kiosk

    kiosk = start_kiosk(staff=None, slugs=["werk"], pin="2580")
    ticket = kiosk_ticket(kiosk, "secret")
    assert ticket_is_valid(ticket, "secret")
    time.sleep(1.1)
    assert not ticket_is_valid(ticket, "secret", max_age=0)
    end_kiosk(Kiosk.get_by_id(kiosk.id))
    assert not ticket_is_valid(ticket, "secret")

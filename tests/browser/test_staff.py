"""Staff intake in a real browser: from the login to a stored response, the start by keyboard only."""

from survey_app.accounts import create_user
from survey_app.db import database
from survey_app.models import Response

from ..conftest import PASSWORD
from .resident import answer_pages


def test_a_staff_intake_from_login_to_stored_response(tablet):
    page = tablet.page
    with database.connection_context():
        user = create_user("baliemedewerker", PASSWORD, "staff")
    keys = page.keyboard
    page.goto("/staff/login")
    page.focus("#username")
    keys.type("baliemedewerker")
    keys.press("Tab")
    keys.type(PASSWORD)
    keys.press("Enter")
    page.wait_for_url("**/staff/")

    # The first survey has the focus; arrows choose within a group, Tab goes to the next one.
    assert page.evaluate("document.activeElement.name") == "survey"
    keys.press("Space")
    keys.press("Tab")
    assert page.evaluate("document.activeElement.name") == "channel"
    keys.press("Space")
    keys.press("ArrowDown")  # from 'at the counter' to 'by appointment'
    keys.press("Tab")
    assert page.evaluate("document.activeElement.id") == "language"
    keys.press("Tab")
    keys.press("Enter")
    page.wait_for_url("**/staff/intake")

    assert "Lees dit voor aan de bewoner" in page.inner_text("main")
    assert page.evaluate("document.activeElement.id") == "confirmed"
    keys.press("Space")
    keys.press("Tab")
    keys.press("Enter")
    page.wait_for_url("**/s/ocmw-dienstverlening/1")

    answer_pages(page, "ocmw-dienstverlening", until="/staff/")
    assert page.url.endswith("/staff/?stored=1")
    assert "De antwoorden zijn bewaard." in page.inner_text("main")
    with database.connection_context():
        stored = Response.get()
        assert (stored.mode, stored.channel, stored.staff_id) == ("assisted", "appointment", user.id)
    assert "Op afspraak" in page.inner_text(".today")

"""Staff find their way in: the login linked at the foot of every page, the password rule said there."""

import pytest

from .conftest import sqlite_only

SCREENS = [("nl", 390), ("tr", 800), ("ar", 1280)]
HEIGHTS = {390: 844, 800: 1280, 1280: 800}


@sqlite_only
@pytest.mark.parametrize("language, width", SCREENS)
def test_every_page_links_to_the_staff_login_at_its_foot(tablet, language, width):
    page = tablet.page
    page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
    page.goto("/")
    pages = ["/", f"/s/werk/?lang={language}", "/bestaat-niet", "/staff/login"]
    for path in pages:
        page.goto(path)
        link = page.locator("footer.site-footer a")
        assert link.count() == 1, path
        assert link.get_attribute("href") == "/staff/login"
        assert page.evaluate("document.documentElement.lang") == language or path == "/"
    page.goto(f"/s/werk/?lang={language}")
    page.click("form[action$='/start'] button")
    assert page.locator("footer.site-footer a").count() == 1
    page.click("footer.site-footer a")
    page.wait_for_url("**/staff/login")
    rule = page.locator("#password-rule")
    assert "12" in rule.inner_text()
    assert page.get_attribute("#password", "aria-describedby") == "password-rule"


@sqlite_only
@pytest.mark.parametrize("resident, width", [("tr", 800), ("ar", 1280)])
def test_at_the_counter_the_staff_member_keeps_dutch_and_sees_the_dutch_text_on_request(tablet, resident, width):
    from survey_app.accounts import create_user
    from survey_app.db import database

    from ..conftest import PASSWORD
    from .conftest import AXE
    from .resident import log_in
    from .test_accessibility import AXE_RUN, RULES

    page = tablet.page
    tablet.context.add_init_script(path=str(AXE))
    page.set_viewport_size({"width": width, "height": 800})
    with database.connection_context():
        create_user("balie", PASSWORD, "staff")
    log_in(page, "balie")
    page.check('input[name="survey"][value="werk"]')
    page.check('input[name="channel"][value="counter"]')
    page.select_option("#language", resident)
    page.click("form.intake button.primary")
    page.wait_for_selector("#confirmed")
    assert page.evaluate("document.documentElement.lang") == "nl"
    assert page.inner_text('label[for="confirmed"]').strip().startswith("Ik heb deze uitleg voorgelezen")
    assert page.get_attribute(".consent p span[lang]", "lang") == resident
    assert page.evaluate(AXE_RUN, RULES) == []
    page.check("#confirmed")
    page.click("main form button.primary")
    page.wait_for_selector("form#answers")
    assert page.evaluate("document.documentElement.lang") == "nl"
    assert page.inner_text('form#answers button[value="next"]') == "Volgende"
    question = page.locator("form#answers > .question").first
    assert question.get_attribute("lang") == resident
    assert question.evaluate("q => getComputedStyle(q).direction") == ("rtl" if resident == "ar" else "ltr")
    dutch = question.locator(".dutch").first
    assert dutch.is_hidden()
    page.check("#dutch-beside")
    assert dutch.is_visible() and dutch.get_attribute("lang") == "nl"
    assert page.evaluate(AXE_RUN, RULES) == []

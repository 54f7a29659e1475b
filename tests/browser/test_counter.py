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

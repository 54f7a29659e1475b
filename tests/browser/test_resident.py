"""A resident answers a survey on a tablet in a real browser."""

from survey_app.db import database
from survey_app.models import Response

from .conftest import sqlite_only
from .resident import answer_pages


def test_a_resident_completes_a_survey_on_a_tablet(tablet):
    page = tablet.page
    page.goto("/")
    page.click('.language-picker button[value="nl"]')
    page.wait_for_selector("ul.cards")
    page.click('a[href="/s/werk/"]')
    page.click("form[action$='/start'] button")
    known = answer_pages(page, "werk")
    assert page.url.endswith("/s/werk/klaar")
    assert page.locator("h1").inner_text() == "Bedankt!"
    with database.connection_context():
        stored = Response.get()
        assert (stored.answers, stored.channel, stored.mode, stored.language) == (known, "web", "self", "nl")
    # The thank-you page came as the answer to the last post, under its own address: a reload
    # asks for that page and posts nothing again.
    methods = []
    page.on("request", lambda request: request.is_navigation_request() and methods.append(request.method))
    page.reload()
    assert methods == ["GET"] and page.url.endswith("/s/werk/klaar")
    assert page.locator("h1").inner_text() == "Bedankt!"


@sqlite_only
def test_the_error_summary_takes_focus(tablet):
    page = tablet.page
    page.goto("/s/werk/?lang=nl")
    page.click("form[action$='/start'] button")
    page.wait_for_selector("#q-vacatures_vinden")
    page.click('form#answers button[value="next"]')  # a required question left open
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    summary.locator("a").first.click()
    assert page.url.endswith("#q-vacatures_vinden")

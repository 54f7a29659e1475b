"""Kiosk mode in a real browser: reset after submit and after idle, nothing of a resident left."""

from survey_app.accounts import create_user
from survey_app.db import database
from survey_app.models import Response

from ..conftest import PASSWORD
from .conftest import sqlite_only
from .resident import answer_pages, definition, fill_question, log_in, shown_questions

PIN = "2580"


def start_kiosk(page, slugs, pin=PIN):
    """Log in as staff and start a kiosk for slugs; the tablet ends on the language picker."""
    with database.connection_context():
        create_user("kioskstaff", PASSWORD, "staff")
    log_in(page, "kioskstaff")
    page.goto("/kiosk/start")
    for slug in slugs:
        page.check(f'input[name="surveys"][value="{slug}"]')
    page.fill("#pin", pin)
    page.fill("#pin_again", pin)
    page.click("form.kiosk-start button[type=submit]")
    page.wait_for_selector(".language-picker")


def open_survey(page, slug, language="nl"):
    page.click(f'.language-picker button[value="{language}"]')
    page.wait_for_selector("ul.cards")
    page.click(f'a[href="/s/{slug}/"]')
    page.click("form[action$='/start'] button")


def nothing_filled_in(page):
    """Return True when no answer of any kind shows on the page."""
    return page.evaluate("""() => {
        const fields = [...document.querySelectorAll("main input, main textarea")];
        return fields.every(f => (f.type === "radio" || f.type === "checkbox") ? !f.checked
                                 : f.type === "hidden" || f.value === "");
    }""")


def look_back(page, times=3):
    """Press the back button a few times; assert no earlier answer shows anywhere on the way."""
    for _ in range(times):
        page.go_back()
        page.wait_for_load_state()
        assert nothing_filled_in(page), page.url


def test_after_a_submit_the_kiosk_returns_to_the_language_picker_with_nothing_left(tablet):
    page = tablet.page
    start_kiosk(page, ["werk"])
    open_survey(page, "werk", "tr")
    assert page.get_attribute("form#answers", "autocomplete") == "off"
    answer_pages(page, "werk")
    assert page.url.endswith("/s/werk/klaar")
    page.click("form.next-person button")
    page.wait_for_selector(".language-picker")
    look_back(page)
    page.goto("/s/werk/1")
    assert "expired=1" in page.url and nothing_filled_in(page)
    with database.connection_context():
        stored = Response.get()
        assert (stored.channel, stored.language) == ("tablet", "tr")


@sqlite_only
def test_an_idle_kiosk_asks_then_wipes_the_answers_in_progress(tablet, app):
    page = tablet.page
    start_kiosk(page, ["werk"])
    app.config.update(KIOSK_IDLE_SECONDS=3, KIOSK_WARNING_SECONDS=2)
    open_survey(page, "werk")
    fill_question(page, shown_questions(page, definition("werk"))[0], {})

    dialog = page.locator("#idle-dialog")
    dialog.wait_for(state="visible")
    assert "Bent u er nog?" in dialog.inner_text()
    page.click("#idle-continue")
    dialog.wait_for(state="hidden")
    assert not nothing_filled_in(page)  # the resident goes on with their answers

    dialog.wait_for(state="visible")
    page.wait_for_selector(".language-picker", timeout=6000)  # nobody answered: reset
    with database.connection_context():
        assert Response.select().count() == 0
    look_back(page)
    page.goto("/s/werk/1")
    assert "expired=1" in page.url and nothing_filled_in(page)

"""Kiosk mode in a real browser: reset after submit and after idle, nothing of a resident left."""

from .resident import log_in

PIN = "2580"


def start_kiosk(page, slugs, pin=PIN):
    """Log in as staff and start a kiosk for slugs; the tablet ends on the language picker."""
    from ..conftest import PASSWORD  # noqa: F401
    from survey_app.accounts import create_user
    from survey_app.db import database

    with database.connection_context():
        create_user("kiosk-staff", "correct horse battery", "staff")
    log_in(page, "kiosk-staff")
    page.goto("/kiosk/start")
    for slug in slugs:
        page.check(f'input[name="surveys"][value="{slug}"]')
    page.fill("#pin", pin)
    page.fill("#pin_again", pin)
    page.click("form.kiosk-start button[type=submit]")
    page.wait_for_selector(".language-picker")

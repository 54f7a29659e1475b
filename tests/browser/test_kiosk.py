"""Kiosk mode in a real browser: reset after submit and after idle, nothing of a resident left."""

import re

import pytest

from survey_app.accounts import create_user
from survey_app.db import database
from survey_app.models import Response

from ..conftest import PASSWORD
from survey_app.languages import LANGUAGES

from .conftest import Tablet, sqlite_only
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
    page.wait_for_selector("form#answers")


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
    # The next person's 'Begin' starts afresh: no offer to go on with someone else's answers.
    page.goto("/")
    open_survey(page, "werk")
    assert nothing_filled_in(page)


SCREENS = [("nl", 390), ("tr", 800), ("ar", 1280)]
HEIGHTS = {390: 844, 800: 1280, 1280: 800}


@sqlite_only
@pytest.mark.parametrize("language, width", SCREENS)
def test_the_first_screen_welcomes_in_every_language_with_the_city_the_time_and_one_start(chromium, live_server, language, width):
    tablet = Tablet(chromium, live_server, locale=language)
    page = tablet.page
    try:
        page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
        start_kiosk(page, ["werk", "samenleven"])
        welcome = page.locator(".welcome")
        said = page.eval_on_selector_all(".welcome h1 [lang]", "n => n.map(e => [e.lang, e.innerText])")
        assert [code for code, _ in said] == list(LANGUAGES)
        assert dict(said)["nl"] == "Geef uw mening" and dict(said)["fr"] == "Donnez votre avis"
        assert welcome.locator('.city [lang="nl"]').inner_text() == "Stad Genk"  # the city's own name
        assert welcome.locator(".city img").bounding_box()["width"] >= 48
        assert re.search(r"\b\d+\b", welcome.locator(".duration").inner_text())
        starts = welcome.locator("a.start, button.start")
        assert starts.count() == 1
        box = starts.bounding_box()
        assert box["height"] >= 64 and box["y"] + box["height"] <= HEIGHTS[width]  # large, on the first screen
        starts.click()
        page.wait_for_function("document.activeElement && document.activeElement.id === 'choose-language'")
        assert page.locator('.language-picker button[value="ar"]').is_visible()
    finally:
        tablet.close()


@sqlite_only
@pytest.mark.parametrize("language, width", SCREENS)
def test_the_staff_exit_needs_a_long_press_in_the_corner_and_then_the_pin(tablet, language, width):
    page = tablet.page
    page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
    start_kiosk(page, ["werk"])
    open_survey(page, "werk", language)
    assert page.locator(".kiosk-leave .visually-hidden").count() == 1  # no words a resident sees
    corner = page.locator(".kiosk-leave").bounding_box()
    # The bottom corner on the side where lines end: right, or left in Arabic.
    end = corner["x"] <= 1 if language == "ar" else corner["x"] + corner["width"] >= width - 1
    assert end and corner["y"] + corner["height"] >= HEIGHTS[width] - 1
    x, y = corner["x"] + corner["width"] / 2, corner["y"] + corner["height"] / 2
    # survey.js is deferred: only once the document has loaded does the exit listen for a hold.
    page.wait_for_load_state("domcontentloaded")
    before = page.url
    # Whether the page let the tap through, read from the click itself rather than after a pause.
    page.evaluate("""() => { window.tapPrevented = new Promise(resolve => document.addEventListener(
        "click", event => resolve(event.defaultPrevented), { once: true })); }""")
    page.mouse.click(x, y)  # a resident's tap
    assert page.evaluate("window.tapPrevented") is True
    assert page.url == before
    page.mouse.move(x, y)
    page.mouse.down()
    # The hold is 2 s in the page; the PIN page may take a while to come on a busy machine.
    page.wait_for_url("**/kiosk/leave", timeout=20_000)
    page.mouse.up()
    page.fill("#pin", PIN)
    page.click("form.narrow button.primary")
    page.wait_for_url("**/staff/login**")


@sqlite_only
def test_a_tablet_can_run_the_app_full_screen_from_its_home_screen(tablet):
    page = tablet.page
    page.goto("/")
    href = page.get_attribute('link[rel="manifest"]', "href")
    manifest = page.request.get(href).json()
    assert manifest["display"] == "fullscreen" and manifest["start_url"] == "/"
    sizes = set()
    for icon in manifest["icons"]:
        reply = page.request.get(icon["src"])
        assert reply.ok and reply.headers["content-type"].startswith(icon["type"]), icon
        sizes.add(icon["sizes"])
    assert {"192x192", "512x512"} <= sizes
    assert page.get_attribute('meta[name="theme-color"]', "content")

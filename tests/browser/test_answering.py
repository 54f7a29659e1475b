"""A resident answering on a phone or a tablet: Enter goes on, errors say where, the page holds its shape.

Each test runs at three widths in three languages: a phone (390 px) in Dutch, a tablet held
upright (800 px) in Turkish and a desk screen (1280 px) in Arabic.
"""

import datetime

import pytest

from .conftest import sqlite_only
from .resident import definition, fill_question, shown_questions

SLUG = "stedelijke-dienstverlening"  # asks every question type
SCREENS = [("nl", 390), ("tr", 800), ("ar", 1280)]
HEIGHTS = {390: 844, 800: 1280, 1280: 800}


def open_survey(page, language, width, slug=SLUG):
    page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
    page.goto(f"/s/{slug}/?lang={language}")
    # Every question, not the short form the first button offers: this test walks them all.
    full = page.locator("form[action$='/start'] button[value=volledig]")
    (full if full.count() else page.locator("form[action$='/start'] button").first).click()
    page.wait_for_selector("form#answers")


def press_enter(page, selector):
    """Press Enter in a field and wait for the page that comes."""
    with page.expect_navigation():
        page.press(selector, "Enter")
    page.wait_for_load_state()


def language_and_page(page):
    """Return the language of the page and the number of the survey page it shows (posts show the next one)."""
    action = page.get_attribute("form#answers", "action") if page.locator("form#answers").count() else page.url
    return page.evaluate("document.documentElement.lang"), action.rsplit("/", 1)[-1]


def summary_entries(page):
    """Return (link target, text) of each entry of the error summary."""
    return page.eval_on_selector_all(
        "#error-summary li a", "links => links.map(a => [a.getAttribute('href'), a.innerText])"
    )


@sqlite_only
@pytest.mark.parametrize("language, width", SCREENS)
def test_enter_in_every_kind_of_field_keeps_the_language_and_goes_on_or_shows_the_errors(tablet, language, width):
    page = tablet.page
    open_survey(page, language, width)
    questions = definition(SLUG)

    # Page 1, nothing chosen, Enter on a checkbox: the errors, in the resident's language.
    press_enter(page, 'input[name="kanaal_voorkeur"] >> nth=0')
    assert language_and_page(page) == (language, "1")
    entries = summary_entries(page)
    assert [href for href, _ in entries] == ["#q-contact_gehad"]
    question_text = page.inner_text("#q-contact_gehad > legend").split("(")[0].strip()
    assert question_text in entries[0][1]  # the message names the question

    # Enter on a radio button, with the required answer given: the next page.
    page.check('input[name="contact_gehad"][value="ja"]')
    press_enter(page, 'input[name="contact_gehad"][value="ja"]')
    assert language_and_page(page) == (language, "2")

    # (Version 2 asks no date: the period of the contact is a choice, contact_wanneer.)
    page.check('input[name="kanaal"] >> nth=0')

    # Enter in a text field: on to the next page.
    page.fill('input[name="dienst"]', "Burgerzaken")
    press_enter(page, 'input[name="dienst"]')
    assert language_and_page(page) == (language, "3")

    # Enter in a number field with a required scale left open: the errors, naming the scale.
    page.fill('input[name="aantal_contacten"]', "2")
    press_enter(page, 'input[name="aantal_contacten"]')
    assert language_and_page(page) == (language, "3")
    hrefs = [href for href, _ in summary_entries(page)]
    assert hrefs == ["#q-tevreden_contact"]  # rol is no longer required in version 2
    assert page.input_value('input[name="aantal_contacten"]') == "2"
    for question in shown_questions(page, questions):
        fill_question(page, question, {})
    press_enter(page, 'input[name="aantal_contacten"]')
    assert language_and_page(page) == (language, "4")


@sqlite_only
@pytest.mark.parametrize("language, width", SCREENS)
def test_the_open_language_menu_lies_over_the_page_and_leaves_the_header_as_it_was(tablet, language, width):
    page = tablet.page
    open_survey(page, language, width)
    # Measure the settled page: its stylesheet, script and fonts loaded (a font that comes late
    # can change the header's height between the two measurements).
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")
    closed = page.locator("header.site").bounding_box()["height"]
    page.click("header.site .languages summary")
    menu = page.locator("header.site .languages ul")
    assert menu.is_visible()
    assert page.locator("header.site").bounding_box()["height"] == closed
    assert closed < 100
    box = menu.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width  # within the screen


@sqlite_only
@pytest.mark.parametrize("language, width", SCREENS)
def test_the_main_part_gets_no_frame_when_it_takes_focus(tablet, language, width):
    page = tablet.page
    page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
    page.goto(f"/s/werk/?lang={language}")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    style = page.evaluate("(() => { const s = getComputedStyle(document.getElementById('main')); return [s.outlineStyle, s.boxShadow]; })()")
    assert style == ["none", "none"]


@sqlite_only
@pytest.mark.parametrize("language, width", SCREENS)
def test_an_offline_screen_has_no_frame(tablet, language, width):
    page = tablet.page
    page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
    page.goto(f"/s/werk/?lang={language}")
    page.wait_for_selector("body[data-offline=ready]")
    page.click("form[action$='/start'] button")
    tablet.context.set_offline(True)
    page.keyboard.press("Tab")  # keyboard use: focus rings show from now on
    page.click('form#answers button[value="next"]')
    page.wait_for_selector("body.offline-shell main[data-screen]")
    focused = page.evaluate("document.activeElement.id")
    assert focused in ("main", "error-summary")
    style = page.evaluate("(() => { const s = getComputedStyle(document.getElementById('main')); return [s.outlineStyle, s.boxShadow]; })()")
    assert style == ["none", "none"]
    tablet.context.set_offline(False)

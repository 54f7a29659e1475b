"""Answers are never lost without warning: stopping asks first, 'Begin' offers to go on, and the
back button after sending says the answers were sent. At 390, 800 and 1280 px, in Dutch,
Turkish and Arabic, with axe-core on each new screen.
"""

import pytest
from flask_babel import force_locale, gettext

from ..resident import answer_for
from .conftest import AXE, sqlite_only
from .resident import answer_pages, definition, shown_questions
from .test_accessibility import Audit
from .test_kiosk import nothing_filled_in

SLUG = "stedelijke-dienstverlening"
SCREENS = [("nl", 390), ("tr", 800), ("ar", 1280)]
HEIGHTS = {390: 844, 800: 1280, 1280: 800}


def said(app, language, text):
    """Return text as the app says it in language."""
    with app.test_request_context(), force_locale(language):
        return gettext(text)


def answer_shown(page, questions):
    """Answer the questions the page shows; return the raw answers given, by field name."""
    given, known = {}, {}
    for question in shown_questions(page, questions):
        for name, values in answer_for(question, known).items():
            given[name] = values
            if question.answer_values:
                for value in values:
                    page.check(f'input[name="{name}"][value="{value}"]')
            else:
                page.fill(f'[name="{name}"]', values[0])
    return given


def shows(page, given):
    """Return True when every answer in given is on the page, checked or filled in."""
    for name, values in given.items():
        for value in values:
            field = page.locator(f'input[name="{name}"][value="{value}"]')
            if field.count():
                if not field.is_checked():
                    return False
            elif page.input_value(f'[name="{name}"]') != value:
                return False
    return True


def page_number(page):
    return page.get_attribute("form#answers", "action").rsplit("/", 1)[-1]


def click_and_wait(page, selector, then):
    page.click(selector)
    page.wait_for_selector(then)
    page.wait_for_load_state()


@sqlite_only
@pytest.mark.parametrize("language, width", SCREENS)
def test_answers_in_progress_are_never_lost_without_warning(tablet, app, language, width):
    page = tablet.page
    tablet.context.add_init_script(path=str(AXE))
    audit = Audit(page, language)
    questions = definition(SLUG)
    page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
    page.goto(f"/s/{SLUG}/?lang={language}")
    click_and_wait(page, "form#start button", "form#answers")
    first = answer_shown(page, questions)
    click_and_wait(page, 'form#answers button[value="next"]', 'form#answers[action$="/2"]')

    # Stopping sits well apart from 'Volgende', under a line.
    volgende = page.locator('form#answers button[value="next"]').bounding_box()
    stop = page.locator('button[value="stop"]').bounding_box()
    assert stop["y"] - (volgende["y"] + volgende["height"]) >= 64
    assert page.eval_on_selector(".stop", "e => getComputedStyle(e).borderTopStyle") == "solid"

    # It asks first; 'no' goes back to the questions with every answer, even what was just typed.
    typed = answer_shown(page, questions)
    click_and_wait(page, 'button[value="stop"]', "form#resume")
    assert page.inner_text("h1") == said(app, language, "Wilt u stoppen?")
    assert page.evaluate("document.activeElement.value") == "resume"  # the safe answer has focus
    audit.check("stop question")
    click_and_wait(page, "form#resume button", 'form#answers[action$="/2"]')
    assert shows(page, typed)

    # Back to the intro with the app's own 'Vorige': 'Begin' offers to go on.
    click_and_wait(page, 'button[value="back"]', 'form#answers[action$="/1"]')
    click_and_wait(page, 'button[value="back"]', "form#start")
    click_and_wait(page, "form#start button", "form#resume")
    assert page.inner_text("h1") == said(app, language, "U was al bezig")
    audit.check("offer to go on")
    click_and_wait(page, "form#resume button", 'form#answers[action$="/1"]')
    assert shows(page, first)

    # The intro opened anew (the browser's back button, the address bar): the same offer, to page 2.
    click_and_wait(page, 'form#answers button[value="next"]', 'form#answers[action$="/2"]')
    page.goto(f"/s/{SLUG}/")
    assert not page.locator(".notice").count()  # nothing says the answers are lost
    click_and_wait(page, "form#start button", "form#resume")
    click_and_wait(page, "form#resume button", 'form#answers[action$="/2"]')

    # 'Yes' wipes: the intro says so, and 'Begin' starts with nothing filled in.
    click_and_wait(page, 'button[value="stop"]', "form#resume")
    click_and_wait(page, "form.wipe button", "form#start")
    assert page.inner_text(".notice") == said(app, language, "U bent gestopt. Uw antwoorden zijn gewist.")
    click_and_wait(page, "form#start button", 'form#answers[action$="/1"]')
    assert nothing_filled_in(page)

    # After sending, the back button says the answers were sent.
    answer_pages(page, SLUG)
    assert page.url.endswith(f"/s/{SLUG}/klaar") and page.locator("#sent-notice").is_hidden()
    page.go_back()
    page.wait_for_selector("#sent-notice:not([hidden])")
    assert page.url.endswith(f"/s/{SLUG}/klaar")
    assert page.inner_text("#sent-notice") == said(app, language, "Uw antwoorden zijn al verstuurd. U hoeft niets meer te doen.")
    assert page.evaluate("document.activeElement.id") == "sent-notice"
    audit.check("thanks after the back button")
    assert audit.found == {}, audit.found


@sqlite_only
def test_without_a_script_stopping_still_asks_and_begin_still_offers_to_go_on(chromium, live_server):
    from .conftest import Tablet

    tablet = Tablet(chromium, live_server, java_script_enabled=False)
    page = tablet.page
    try:
        questions = definition(SLUG)
        page.goto(f"/s/{SLUG}/?lang=nl")
        click_and_wait(page, "form#start button", "form#answers")
        first = answer_shown(page, questions)
        click_and_wait(page, 'button[value="stop"]', "form#resume")
        click_and_wait(page, "form#resume button", 'form#answers[action$="/1"]')
        assert shows(page, first)
        click_and_wait(page, 'button[value="back"]', "form#start")
        click_and_wait(page, "form#start button", "form#resume")
        click_and_wait(page, "form#resume button", 'form#answers[action$="/1"]')
        assert shows(page, first)
        answer_pages(page, SLUG)
        page.goto(f"/s/{SLUG}/1")  # a page of the survey, asked for again after sending
        assert page.url.endswith(f"/s/{SLUG}/klaar?sent=1")
        assert page.locator("#sent-notice").is_visible()
    finally:
        tablet.close()

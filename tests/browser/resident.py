"""A resident at a tablet: reads which questions a page shows, answers them by touch, goes on.

Works on the server pages and on the offline page alike: both use the same markup.
"""

import time

from survey_app.catalog import definition_of
from survey_app.db import database
from survey_app.models import Questionnaire

from ..conftest import PASSWORD
from ..resident import answer_for


def definition(slug):
    with database.connection_context():
        return definition_of(Questionnaire.current(slug))


def shown_questions(page, definition_):
    """Return the questions the page shows, in order."""
    ids = page.eval_on_selector_all("form#answers > .question", "nodes => nodes.map(n => n.id)")
    return [definition_.question(element_id.removeprefix("q-")) for element_id in ids]


def fill_question(page, question, known):
    """Answer one question with an accepted answer; record its clean value in known."""
    for name, values in answer_for(question, known).items():
        if question.answer_values:
            for value in values:
                page.check(f'input[name="{name}"][value="{value}"]')
        else:
            page.fill(f'[name="{name}"]', values[0])


def press_next(page):
    """Press Next (or Send) and wait for what comes: a new page, or a new screen offline."""
    screen = page.get_attribute("main", "data-screen")
    page.click('form#answers button[value="next"]')
    if screen is not None:
        page.wait_for_selector(f'main:not([data-screen="{screen}"])')
    page.wait_for_load_state()


def answer_pages(page, slug, known=None, *, until="klaar"):
    """Answer page after page until the URL or the heading says the survey is done; return known."""
    known = {} if known is None else known
    questions = definition(slug)
    for _ in range(30):
        for question in shown_questions(page, questions):
            fill_question(page, question, known)
        press_next(page)
        if until in page.url or page.locator("h1.thanks, .thanks-title").count():
            return known
        if not page.locator("form#answers").count():
            return known
    raise AssertionError("the survey did not end")


def complete_online(page, slug, language=None):
    """Open a survey from its intro and answer it to the thank-you page; return the answers."""
    page.goto(f"/s/{slug}/" + (f"?lang={language}" if language else ""))
    page.click("form[action$='/start'] button")
    return answer_pages(page, slug)


def log_in(page, username, password=PASSWORD):
    page.goto("/staff/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.press("#password", "Enter")
    page.wait_for_load_state()


def wait_for(condition, *, timeout=15.0, step=0.1):
    """Wait until condition() is true (for what the browser does in the background)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(step)
    raise AssertionError("waited in vain")

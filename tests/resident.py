"""A resident in the test client: reads each page, answers what it shows, and posts it."""

import re

from bench.answers import answer_for
from survey_app import drafts
from survey_app.catalog import definition_of
from survey_app.content.answers import is_shown, visible_pages
from survey_app.db import database
from survey_app.models import Questionnaire

from .conftest import RESPONSE_ID, csrf_token

DRAFT = re.compile(r'id="draft" name="draft" type="hidden" value="([^"]*)"')


def is_thanks(response, slug: str) -> bool:
    """True when response is slug's thank-you page: the answer to the last post."""
    return response.status_code == 200 and f'data-url="/s/{slug}/klaar"' in response.text


def answers_to(page, known: dict) -> dict:
    """Return an accepted answer to each question of page that the answers so far show (known takes them too)."""
    answers = {}
    for question in page.questions:
        if is_shown(question, known):
            answers.update(answer_for(question, known))
    return answers


def sealed_draft(html: str) -> str | None:
    """Return the sealed draft a page carries, or None."""
    match = DRAFT.search(html)
    return match.group(1) if match else None


def open_sealed(client, html: str, slug: str) -> drafts.Draft | None:
    """Return the draft sealed in a page, opened as the server would with the session's nonce now."""
    with client.session_transaction() as session:
        nonce = session.get("draft")
    with database.connection_context():
        questionnaire_id = Questionnaire.current(slug).id
    secret = client.application.config["SECRET_KEY"]
    return drafts.open_draft(sealed_draft(html), secret=secret, nonce=nonce, questionnaire_id=questionnaire_id)


def page_form(html: str, **fields) -> dict:
    """Return what a browser posts from a survey page: its token, response id and sealed draft, and fields."""
    data = {"csrf_token": csrf_token(html)}
    match = RESPONSE_ID.search(html)
    if match:
        data["response_id"] = match.group(1)
    sealed = sealed_draft(html)
    if sealed is not None:
        data["draft"] = sealed
    return data | fields


class Resident:
    def __init__(self, client, slug, form=""):
        self.client = client
        self.slug = slug
        self.form = form  # a shorter form ('kort'), or '' for every question
        self.shown = None  # the survey page the server showed last (a response with status 200)

    def definition(self):
        with database.connection_context():
            return definition_of(Questionnaire.current(self.slug)).form(self.form)

    def start(self, **query):
        intro = self.client.get(f"/s/{self.slug}/", query_string=query)
        assert intro.status_code == 200, intro.status_code
        # What the browser posts: the start form's hidden fields, and the form chosen.
        start_form = intro.text.split('id="start"', 1)[1].split("</form>", 1)[0]
        hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', start_form))
        data = hidden | ({"form": self.form} if self.form else {})
        started = self.client.post(f"/s/{self.slug}/start", data=data, query_string=query)
        if started.status_code == 200:  # page 1 is the answer to Begin
            self.shown = started
        return started

    def post_page(self, number, answers, action="next", **query):
        """Post the page shown now with answers, as its buttons do; return (response, the page posted)."""
        shown = self.shown
        assert shown is not None and shown.status_code == 200, "no page is shown"
        data = page_form(shown.text, action=action) | answers
        response = self.client.post(f"/s/{self.slug}/{number}", data=data, query_string=query)
        if response.status_code == 200 and not is_thanks(response, self.slug):
            self.shown = response
        return response, shown

    def draft(self) -> drafts.Draft | None:
        """Return the draft sealed in the page shown now, as the server would open it."""
        return open_sealed(self.client, self.shown.text, self.slug)

    def complete(self, **query):
        """Answer every visible question with an accepted answer; return the final response."""
        definition = self.definition()
        self.start(**query)
        known, number = {}, 1
        while True:
            pages = visible_pages(definition, known)
            page = pages[number - 1]
            answers = answers_to(page, known)
            response, shown = self.post_page(number, answers, **query)
            if is_thanks(response, self.slug):
                return response, known
            assert response.status_code == 200, (number, response.status_code)
            assert f'action="/s/{self.slug}/{number + 1}"' in response.text, (number, response.text[:2000])
            number += 1

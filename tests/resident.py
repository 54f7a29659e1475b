"""A resident in the test client: reads each page, answers what it shows, and posts it."""

from bench.answers import answer_for
from survey_app.catalog import definition_of
from survey_app.content.answers import is_shown, visible_pages
from survey_app.db import database
from survey_app.models import Questionnaire

from .conftest import RESPONSE_ID, csrf_token


class Resident:
    def __init__(self, client, slug):
        self.client = client
        self.slug = slug

    def definition(self):
        with database.connection_context():
            return definition_of(Questionnaire.current(self.slug))

    def start(self, **query):
        intro = self.client.get(f"/s/{self.slug}/", query_string=query)
        assert intro.status_code == 200, intro.status_code
        return self.client.post(f"/s/{self.slug}/start", data={"csrf_token": csrf_token(intro.text)}, query_string=query)

    def post_page(self, number, answers, action="next", **query):
        page = self.client.get(f"/s/{self.slug}/{number}", query_string=query)
        assert page.status_code == 200, (number, page.status_code)
        data = {"csrf_token": csrf_token(page.text), "action": action}
        match = RESPONSE_ID.search(page.text)
        if match:
            data["response_id"] = match.group(1)
        data.update(answers)
        return self.client.post(f"/s/{self.slug}/{number}", data=data, query_string=query), page

    def complete(self, **query):
        """Answer every visible question with an accepted answer; return the final response."""
        definition = self.definition()
        self.start(**query)
        known, number = {}, 1
        while True:
            pages = visible_pages(definition, known)
            page = pages[number - 1]
            answers = {}
            for question in page.questions:
                if is_shown(question, known):
                    answers.update(answer_for(question, known))
            response, shown = self.post_page(number, answers, **query)
            assert response.status_code == 302, (number, response.status_code, response.text[:2000])
            if "/klaar" in response.headers["Location"]:
                return response, known
            number += 1

"""A resident in the test client: reads each page, answers what it shows, and posts it."""

import datetime
import re

from survey_app.catalog import definition_of
from survey_app.content.answers import clean_value, is_shown, visible_pages
from survey_app.db import database
from survey_app.models import Questionnaire

from .conftest import RESPONSE_ID, csrf_token

SHOWN_KEYS = re.compile(r'id="q-([a-z0-9_]+)"')


def candidates(question):
    """Yield raw answers to try for a question, most ordinary first."""
    if question.type == "multiple_choice":
        for value in question.answer_values:
            if str(value) not in question.exclusive:
                yield [str(value)]
        yield [str(question.answer_values[0])]
    elif question.answer_values:
        values = list(question.answer_values)
        yield [str(values[len(values) // 2])]
        for value in values:
            yield [str(value)]
    elif question.type in ("number", "year"):
        low = question.minimum if question.minimum is not None else 0
        high = question.maximum if question.maximum is not None else low + 100
        for value in ((low + high) // 2, low, high, 1, 1970):
            yield [str(value)]
    elif question.type == "date":
        yield [question.maximum or datetime.date.today().isoformat()]
        yield [question.minimum or "2020-01-01"]
    else:
        yield ["Een gewoon antwoord"]


def answer_for(question, known):
    """Return {variable: raw list} for an accepted answer to question, given earlier answers."""
    result = {}
    for name in question.variables:
        for raw in candidates(question):
            value, error = clean_value(question, raw)
            if error or value is None:
                continue
            if question.constraint and not question.constraint.is_true({**known, name: value}):
                continue
            result[name] = raw
            known[name] = value
            break
    return result


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

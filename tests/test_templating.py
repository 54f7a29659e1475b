"""The template helpers: the cache of unanswered questions must never change what a page shows."""

import pytest

from bench.answers import answer_for
from survey_app import templating
from survey_app.content.answers import is_shown, visible_pages

from .conftest import csrf_token
from .resident import Resident



class NeverKept(dict):
    """A cache that keeps nothing: every question is rendered by its macro."""

    def __setitem__(self, key, value):
        pass


def without_tokens(html: str) -> str:
    return html.replace(csrf_token(html), "TOKEN")


@pytest.mark.parametrize("language", ["nl", "ar", "tr"])
def test_pages_from_the_cache_are_the_pages_the_macros_render(client, monkeypatch, language):
    
    for slug in ("werk", "samenleven", "onderwijs"):
        resident = Resident(client, slug)
        definition = resident.definition()
        resident.start()
        known = {}
        for number, page in enumerate(visible_pages(definition, known), start=1):
            # Another language first, so a key without the language would show its text.
            client.get(f"/s/{slug}/{number}", query_string={"lang": "fr"})
            url = f"/s/{slug}/{number}?lang={language}"
            cached = client.get(url).text
            again = client.get(url).text
            with monkeypatch.context() as patch:
                patch.setattr(templating, "_blank_questions", NeverKept())
                rendered = client.get(url).text
            assert f'<html lang="{language}"' in rendered
            assert without_tokens(cached) == without_tokens(again) == without_tokens(rendered), (slug, number)
            answers = {}
            for question in page.questions:
                if is_shown(question, known):
                    answers.update(answer_for(question, known))
            response, _ = resident.post_page(number, answers)
            assert response.status_code == 302
            if "/klaar" in response.headers["Location"]:
                break


def test_an_answered_question_is_rendered_with_its_answer_not_from_the_cache(client):
    resident = Resident(client, "stedelijke-dienstverlening")
    resident.start()
    first = resident.definition().pages[0].questions[0]
    client.get("/s/stedelijke-dienstverlening/1")  # the blank question is now cached
    value = str(first.answer_values[0])
    resident.post_page(1, {first.key: value})
    page = client.get("/s/stedelijke-dienstverlening/1")
    assert f'name="{first.key}" value="{value}" checked' in page.text

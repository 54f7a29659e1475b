"""The resident's flow through the test client, on every backend."""

import pytest

from survey_app.db import database
from survey_app.models import Draft, Response

from .conftest import csrf_token
from .resident import Resident

SLUGS = ["stedelijke-dienstverlening", "ocmw-dienstverlening", "werk", "samenleven", "vrije-tijd", "onderwijs"]


def test_start_page_lists_the_six_published_surveys(client):
    page = client.get("/")
    assert page.status_code == 200
    for slug in SLUGS:
        assert f'href="/s/{slug}/"' in page.text


@pytest.mark.parametrize("slug", SLUGS)
def test_each_questionnaire_completes_end_to_end_in_dutch(client, slug):
    response, known = Resident(client, slug).complete()
    assert response.headers["Location"].endswith(f"/s/{slug}/klaar")
    with database.connection_context():
        stored = Response.get()
        assert stored.questionnaire.slug == slug
        assert stored.language == "nl"
        assert stored.mode == "self"
        assert stored.answers == known
        assert Draft.select().count() == 0
    assert "Bedankt" in client.get(response.headers["Location"]).text

"""The council report in Chromium: axe-core finds no WCAG 2.1 A/AA violation, in Dutch and in Arabic."""

import datetime

import pytest

from survey_app.catalog import load_package
from survey_app.db import database
from survey_app.export.release import newest_release
from survey_app.models import Questionnaire

from ..conftest import QUESTIONNAIRES, make_app
from ..followup.conftest import add_responses
from .conftest import AXE, sqlite_only
from .test_accessibility import AXE_RUN, RULES

SLUG = "stedelijke-dienstverlening"


def answers(vriendelijk, wijk):
    return {"contact_gehad": "ja", "ervaring_vriendelijk": vriendelijk, "tevreden_contact": 6, "rol": "adviseren", "geslacht": "vrouw", "wijk": wijk, "leeftijdsgroep": "van_25_34"}


@sqlite_only
@pytest.mark.parametrize("language", ["nl", "ar"])
def test_the_council_report_has_no_accessibility_violations(chromium, database_url, compiled_translations, tmp_path, language):
    if not AXE.exists():
        pytest.fail("axe-core is missing: npm ci --prefix tests/browser")
    app = make_app(database_url, RESULTS_DIR=str(tmp_path / "results"), TRANSLATIONS_DIR=str(compiled_translations))
    with database.connection_context():
        load_package(QUESTIONNAIRES)
        rows = [(answers(4, "waterschei"), "2026-04-01", "self", "nl")] * 30 + [(answers(2, "termien"), "2027-04-01", "assisted", "ar")] * 30
        add_responses(Questionnaire.latest(SLUG), rows)
    with app.app_context():
        newest_release(SLUG, today=datetime.date(2028, 1, 1))  # the report reads the newest release
    result = app.test_cli_runner().invoke(args=["report", SLUG, "--language", language])
    assert result.exit_code == 0, result.output
    report = next((tmp_path / "results" / SLUG).iterdir()) / "report.html"
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.goto(report.as_uri())
        page.add_script_tag(path=str(AXE))
        assert page.evaluate("document.documentElement.lang") == language
        assert page.locator("svg.trend").count() == 6
        assert page.evaluate(AXE_RUN, RULES) == []
        # Printed as the PDF is: the same document, no violation either.
        page.emulate_media(media="print")
        assert page.evaluate(AXE_RUN, RULES) == []
    finally:
        context.close()
    database.obj.close_all()

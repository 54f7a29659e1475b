"""`flask --app survey_app report SLUG`: report.html and report.pdf, read back; bad input gets a clear answer."""

import datetime
import shutil

import pytest
from pypdf import PdfReader

from survey_app.catalog import load_package
from survey_app.db import database
from survey_app.export.release import newest_release
from survey_app.models import Questionnaire
from tests.conftest import QUESTIONNAIRES, make_app
from tests.followup.conftest import add_responses

SLUG = "stedelijke-dienstverlening"


def answers(vriendelijk, *, wijk="centrum"):
    return {"contact_gehad": "ja", "ervaring_vriendelijk": vriendelijk, "tevreden_contact": 7, "rol": "beslissen", "geslacht": "man", "wijk": wijk, "leeftijdsgroep": "van_35_44"}


@pytest.fixture
def answered(database_url, tmp_path, compiled):
    app = make_app(database_url, RESULTS_DIR=str(tmp_path / "results"), TRANSLATIONS_DIR=str(compiled))
    with database.connection_context():
        load_package(QUESTIONNAIRES)
        questionnaire = Questionnaire.latest(SLUG)
        add_responses(questionnaire, [(answers(4), "2026-02-01", "self", "nl")] * 25 + [(answers(2, wijk="termien"), "2027-02-01", "assisted", "fr")] * 25)
    with app.app_context():
        newest_release(SLUG, today=datetime.date(2028, 1, 1))  # the report reads the newest release, as the pages do
    yield app
    database.obj.close_all()


def test_the_report_command_writes_html_and_a_pdf_with_every_recommendation(answered, tmp_path):
    result = answered.test_cli_runner().invoke(args=["report", SLUG])
    assert result.exit_code == 0, result.output
    folders = list((tmp_path / "results" / SLUG).iterdir())
    assert len(folders) == 1 and not folders[0].name.startswith(".")
    assert sorted(p.name for p in folders[0].iterdir()) == ["report.html", "report.pdf"]
    assert f"Wrote {folders[0] / 'report.pdf'}" in result.output
    html = (folders[0] / "report.html").read_text(encoding="utf-8")
    assert "<style>" in html and "<script" not in html  # one self-contained file
    reader = PdfReader(folders[0] / "report.pdf")
    assert len(reader.pages) >= 2
    text = "\n".join(page.extract_text() for page in reader.pages)
    for rid in ("SD1", "SD2", "SD3", "SD4", "SD5"):
        assert f"{rid}:" in text
    assert "De centrale vraag" in text
    assert "Bron:" in text  # every indicator says where its numbers come from
    assert "Slechter" in text  # the baseline agreed, the follow-up did not


def test_the_report_headings_follow_the_language_asked_for(answered, tmp_path):
    result = answered.test_cli_runner().invoke(args=["report", SLUG, "--language", "en"])
    assert result.exit_code == 0, result.output
    folder = next((tmp_path / "results" / SLUG).iterdir())
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert '<html lang="en" dir="ltr">' in html
    assert "What the figures do and do not say" in html
    # The follow-up content in English too: recommendations, notes, indicators, waves (tables and charts).
    assert "SD2: The whole city switches to language that the client understands" in html
    assert "The Denktafel asks the city to look more closely at how it chooses and follows up counter staff." in html
    assert "Found the staff member friendly" in html
    assert '<th scope="row">Baseline 2026</th>' in html and ">Follow-up 2027</text>" in html
    assert "Proposal: the city still has to confirm this status and the service." in html
    assert "Nulmeting 2026" not in html and "Vond de medewerker vriendelijk" not in html


def test_a_report_of_an_unknown_denktafel_is_refused_with_a_reason(answered, tmp_path):
    runner = answered.test_cli_runner()
    result = runner.invoke(args=["report", "bestaat-niet"])
    assert result.exit_code == 1
    assert "Error: 'bestaat-niet' has no questionnaire or no follow-up file" in result.output
    content = tmp_path / "questionnaires"
    shutil.copytree(QUESTIONNAIRES, content, ignore=shutil.ignore_patterns("werk.yaml"))  # werk without its follow-up
    shutil.copy(QUESTIONNAIRES / "werk.yaml", content / "werk.yaml")
    runner = make_app(answered.config["DATABASE_URL"], QUESTIONNAIRES_DIR=str(content), RESULTS_DIR=str(tmp_path / "results")).test_cli_runner()
    result = runner.invoke(args=["report", "werk"])
    assert result.exit_code == 1 and "followup/werk.yaml" in result.output, result.output
    assert not (tmp_path / "results").exists() or not any((tmp_path / "results").rglob("report.*"))


def test_a_report_before_any_release_says_how_to_make_one(answered, tmp_path):
    from survey_app.models import Release

    with answered.app_context(), database.connection_context():
        Release.delete().execute()
    result = answered.test_cli_runner().invoke(args=["report", SLUG])
    assert result.exit_code == 1
    assert f"Error: '{SLUG}' has no release yet: make one with `flask --app survey_app export {SLUG}`" in result.output
    assert not any((tmp_path / "results").rglob("report.*"))


def test_the_results_page_offers_the_same_report(answered):
    from tests.conftest import Staff

    client = answered.test_client()
    staff = Staff(client)
    staff.create("ana", "analyst")
    staff.login("ana")
    page = client.get(f"/results/{SLUG}/opvolging").text
    assert f"/results/{SLUG}/opvolging/rapport.pdf" in page
    pdf = client.get(f"/results/{SLUG}/opvolging/rapport.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    html = client.get(f"/results/{SLUG}/opvolging/rapport.html")
    assert html.status_code == 200 and "<style>" not in html.text  # served pages keep the strict CSP
    stranger = answered.test_client()
    assert stranger.get(f"/results/{SLUG}/opvolging/rapport.pdf").status_code == 302  # to the login page

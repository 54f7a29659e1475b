"""The results pages and the export command: roles checked on the server, zip downloads, clear errors."""

import datetime
import io
import re
import zipfile

import pytest

from survey_app.web import results
from survey_app.export import errors
from survey_app.models import ExportLog

from ..conftest import csrf_token
from ..export.conftest import add_response

PAGES = ["/results/", "/results/kort/export", "/results/kort/"]


@pytest.fixture
def answered(kort):
    for year in (1980, 1981, 1982, 1983):
        add_response(kort, {"kanaal": "loket", "vriendelijk": 4, "cijfer": 7, "wijk": "centrum", "geboortejaar": year})
    add_response(kort, {"kanaal": "telefoon", "vriendelijk": 2, "cijfer": 3, "wijk": "centrum", "geboortejaar": 1984})
    return kort


def form_data(page, **fields):
    data = {"csrf_token": csrf_token(page.text), "formats": ["csv"], "labels_language": "nl", "date_precision": "month", "delimiter": ",", "purpose": "Opvolging KT1"}
    data.update(fields)
    return data


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(answered, client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]


@pytest.mark.parametrize("path", PAGES)
def test_intake_staff_get_403(answered, client, staff, path):
    staff.create("balie", "staff")
    staff.login("balie")
    assert client.get(path).status_code == 403
    assert client.post("/results/kort/export", data={}).status_code in (400, 403)


@pytest.mark.parametrize("role", ["analyst", "admin"])
@pytest.mark.parametrize("path", PAGES)
def test_analysts_and_admins_get_in(answered, client, staff, role, path):
    staff.create("persoon", role)
    staff.login("persoon")
    assert client.get(path).status_code == 200


def test_the_index_lists_questionnaires_with_counts(answered, client, staff):
    staff.create("ana", "analyst")
    staff.login("ana")
    page = client.get("/results/").text
    assert "Korte vragenlijst" in page and "versie 1: 5" in page
    assert 'href="/results/kort/export"' in page


def test_an_analyst_downloads_an_anonymised_zip_and_it_is_logged(answered, client, staff):
    staff.create("ana", "analyst")
    staff.login("ana")
    page = client.get("/results/kort/export")
    assert 'name="raw"' not in page.text
    with client.post("/results/kort/export", data=form_data(page, raw="y")) as response:
        assert response.status_code == 200
        assert response.mimetype == "application/zip"
        assert re.match(r"attachment; filename=kort-\d{8}-\d{6}\.zip", response.headers["Content-Disposition"])
        bundle = zipfile.ZipFile(io.BytesIO(response.data))
    names = sorted(n.split("/", 1)[1] for n in bundle.namelist())
    assert names == sorted(["kort-codes.csv", "kort-labels-nl.csv", "kort-long.csv", "kort-codebook.csv", "datapackage.json", "disclosure.json", "LEESMIJ.txt"])
    readme = next(bundle.read(n).decode() for n in bundle.namelist() if n.endswith("LEESMIJ.txt"))
    assert "geanonimiseerd: ja" in readme  # raw=y from an analyst is ignored
    entry = ExportLog.get()
    assert (entry.username, entry.via, entry.anonymised, entry.purpose, entry.rows) == ("ana", "web", True, "Opvolging KT1", 5)


def test_an_admin_may_download_raw_data(answered, client, staff):
    staff.create("baas", "admin")
    staff.login("baas")
    page = client.get("/results/kort/export")
    assert 'name="raw"' in page.text
    with client.post("/results/kort/export", data=form_data(page, raw="y", formats=["csv", "dta"])) as response:
        assert response.status_code == 200
        bundle = zipfile.ZipFile(io.BytesIO(response.data))
    assert any(n.endswith("kort.dta") for n in bundle.namelist())
    assert ExportLog.get().anonymised is False


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"date_from": "2025-05-01", "date_to": "2025-04-01"}, "De begindatum ligt na de einddatum."),
        ({"date_from": "2030-01-01"}, "Er zijn geen antwoorden voor deze keuze."),
        ({"purpose": ""}, "Schrijf waarvoor u de gegevens nodig hebt."),
        ({"formats": []}, "Kies minstens één soort bestand."),
        ({"formats": ["pdf"]}, "Kijk de velden met een fout na."),
    ],
)
def test_bad_choices_show_a_plain_message_not_a_traceback(answered, client, staff, fields, message):
    staff.create("ana", "analyst")
    staff.login("ana")
    page = client.get("/results/kort/export")
    response = client.post("/results/kort/export", data=form_data(page, **fields))
    assert response.status_code == 400
    assert message in response.text.replace("&#39;", "'")
    assert ExportLog.select().count() == 0


def test_a_post_without_csrf_token_is_refused(answered, client, staff):
    staff.create("ana", "analyst")
    staff.login("ana")
    client.get("/results/kort/export")
    response = client.post("/results/kort/export", data={"formats": ["csv"], "purpose": "x"})
    assert response.status_code == 400
    assert ExportLog.select().count() == 0


def test_unknown_questionnaire_is_404(answered, client, staff):
    staff.create("ana", "analyst")
    staff.login("ana")
    assert client.get("/results/bestaat-niet/export").status_code == 404
    assert client.get("/results/bestaat-niet/").status_code == 404


def make_release(client) -> None:
    """Press the overview's button: the only way a page makes a release (a POST, with its CSRF token)."""
    page = client.get("/results/kort/")
    response = client.post("/results/kort/vrijgave", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 303, response.text


def test_the_overview_scores_each_recommendation_and_hides_small_numbers(answered, client, staff):
    staff.create("ana", "analyst")
    staff.login("ana")
    make_release(client)
    page = client.get("/results/kort/").text
    assert "KT1: De balie moet vriendelijker." in page
    assert "80% is het eens" in page  # four of five agree
    assert "gemiddeld 6.2 op 10" in page
    assert "meest gekozen: Aan het loket (80%)" in page
    assert "te weinig antwoorden" in page  # info was answered by nobody


def without_csrf_tokens(page: str) -> str:
    """The page without its forms' CSRF tokens, which carry the second they were made."""
    return re.sub(r'name="csrf_token"[^>]*value="[^"]*"', 'name="csrf_token"', page)


@pytest.mark.parametrize("day", [datetime.date.today().isoformat(), "2025-03-20"])
def test_the_overview_before_and_after_one_submission_reveals_nothing_about_it(answered, client, staff, day):
    # today's response waits for its period to close; a late one for a closed period is one, fewer than k
    staff.create("ana", "analyst")
    staff.login("ana")
    make_release(client)
    before = without_csrf_tokens(client.get("/results/kort/").text)
    add_response(answered, {"kanaal": "telefoon", "vriendelijk": 1, "cijfer": 0, "wijk": "zwartberg", "geboortejaar": 1950}, day=day)
    after = without_csrf_tokens(client.get("/results/kort/").text)
    assert after == before
    assert "De cijfers komen uit vrijgave 1" in after


def test_reading_the_overview_never_makes_a_release(answered, client, staff):
    from survey_app.models import Release

    staff.create("ana", "analyst")
    staff.login("ana")
    for _ in range(2):
        page = client.get("/results/kort/")
        assert page.status_code == 200 and "Er is nog geen vrijgave van deze vragenlijst." in page.text
    assert Release.select().count() == 0
    assert client.post("/results/kort/vrijgave").status_code == 400  # no CSRF token
    assert Release.select().count() == 0
    make_release(client)
    assert Release.select().count() == 1
    assert "De cijfers komen uit vrijgave 1" in client.get("/results/kort/").text


def test_every_export_error_has_dutch_words_on_the_web():
    assert set(results.MESSAGES) == set(errors.MESSAGES)


def test_the_command_writes_a_package_and_says_where(answered, runner, tmp_path):
    result = runner.invoke(args=["export", "kort", "--purpose", "Opvolging", "--format", "all", "--output", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "Wrote 5 responses to" in result.output and "kort.sav" in result.output
    assert ExportLog.get().username.startswith("shell:")


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["export", "bestaat-niet", "--purpose", "p"], "There is no questionnaire 'bestaat-niet'"),
        (["export", "kort", "--purpose", "p", "--versions", "4"], "has no version 4"),
        (["export", "kort", "--purpose", "p", "--versions", "een"], "--versions takes whole numbers"),
        (["export", "kort", "--purpose", "p", "--from", "2030-01-01"], "There are no responses to 'kort'"),
        (["export", "kort", "--purpose", "p", "--from", "2025-05-01", "--to", "2025-04-01"], "is after the end date"),
        (["export", "kort", "--purpose", "p", "--raw"], "--raw needs --user naming an admin account"),
        (["export", "kort", "--purpose", "p", "--user", "niemand"], "There is no active staff account 'niemand'"),
        (["export", "kort"], "Missing option '--purpose'"),
    ],
)
def test_the_command_explains_what_is_wrong(answered, runner, tmp_path, arguments, message):
    result = runner.invoke(args=arguments + ["--output", str(tmp_path / "out")])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert ExportLog.select().count() == 0


def test_the_command_refuses_raw_data_to_an_analyst_and_an_unwritable_folder(answered, runner, staff, tmp_path):
    staff.create("ana", "analyst")
    result = runner.invoke(args=["export", "kort", "--purpose", "p", "--raw", "--user", "ana", "--output", str(tmp_path / "out")])
    assert result.exit_code == 1 and "admin role only" in result.output
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = runner.invoke(args=["export", "kort", "--purpose", "p", "--output", str(blocker / "out")])
    assert result.exit_code == 1 and "Cannot write the export" in result.output

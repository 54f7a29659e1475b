"""The follow-up pages: figures for analysts behind the role check, 'you said, we did' for everyone."""

import datetime
import pathlib
import re
import shutil

import pytest

from survey_app.catalog import load_package
from survey_app.db import database
from survey_app.export.release import newest_release
from survey_app.models import Questionnaire
from tests.conftest import QUESTIONNAIRES, Staff, make_app
from tests.followup.conftest import add_responses

SLUG = "stedelijke-dienstverlening"
AFTER_THE_WAVES = datetime.date(2028, 1, 1)


def release(app, today=AFTER_THE_WAVES):
    """Make the newest release as the export does (the follow-up pages never make one)."""
    with app.app_context():
        return newest_release(SLUG, today=today)


def answers(vriendelijk, *, geslacht="vrouw", wijk="centrum", cijfer=8):
    return {
        "contact_gehad": "ja",
        "ervaring_vriendelijk": vriendelijk,
        "tevreden_contact": cijfer,
        "rol": "informeren",
        "geslacht": geslacht,
        "wijk": wijk,
        "leeftijdsgroep": "van_55_64",
    }


@pytest.fixture
def published(database_url, tmp_path, compiled):
    """An app whose follow-up of stedelijke-dienstverlening is published, with responses in two waves."""
    content = tmp_path / "questionnaires"
    shutil.copytree(QUESTIONNAIRES, content)
    plan = content / "followup" / f"{SLUG}.yaml"
    plan.write_text(plan.read_text().replace("published: false", "published: true"))
    app = make_app(database_url, QUESTIONNAIRES_DIR=str(content), TRANSLATIONS_DIR=str(compiled), RESULTS_DIR=str(tmp_path / "results"))
    with database.connection_context():
        load_package(content)
        questionnaire = Questionnaire.latest(SLUG)
        rows = [(answers(5), "2026-03-01", "self", "nl")] * 30 + [(answers(2, geslacht="man"), "2026-03-01", "assisted", "tr")] * 20
        rows += [(answers(4, wijk="waterschei"), "2027-03-01", "self", "nl")] * 40 + [(answers(1, wijk="sledderlo"), "2027-03-01", "self", "nl")] * 6
        add_responses(questionnaire, rows)
        release(app)
    yield app
    database.obj.close_all()


def test_the_follow_up_page_is_for_analysts_and_admins_only(published):
    client = published.test_client()
    assert client.get(f"/results/{SLUG}/opvolging").status_code == 302  # to the login page
    staff = Staff(client)
    staff.create("sam", "staff")
    staff.login("sam")
    assert client.get(f"/results/{SLUG}/opvolging").status_code == 403


def test_the_follow_up_page_shows_each_recommendation_with_chart_table_and_breakdowns(published):
    client = published.test_client()
    staff = Staff(client)
    staff.create("ana", "analyst")
    staff.login("ana")
    response = client.get(f"/results/{SLUG}/opvolging")
    assert response.status_code == 200
    page = response.text
    for rid in ("SD1", "SD2", "SD3", "SD4", "SD5"):
        assert f'id="rec-{rid}"' in page
    assert page.count('<svg class="trend"') == 6  # one chart per indicator
    main = page.split('<main id="main"')[1].split("</main>")[0]
    assert "<script" not in main  # the charts need no script
    assert "Gepland" in page and "Personeel en Organisatie" in page
    assert "95%-interval" in page and "%%" not in page
    assert "Deze aanbeveling volgt de stad op met eigen gegevens" in page  # SD3 is administrative
    assert "Let op: de bevolkingscijfers zijn nog voorlopig." in page
    assert "Beter" in page or "Geen duidelijke verandering" in page
    assert "Zelf ingevuld" in page and "Met hulp van een medewerker" in page
    # Sledderlo (district zuid) has 6 answers (enough for the release's k = 5, too few for a figure) in the newest wave: hidden, in every breakdown by district.
    assert "verborgen (te weinig antwoorden)" in page
    assert re.search(r"Zuid</th>\s*<td colspan=\"2\">verborgen", page)


def test_unknown_or_unplanned_denktafels_are_not_found(published):
    client = published.test_client()
    staff = Staff(client)
    staff.create("ana", "analyst")
    staff.login("ana")
    assert client.get("/results/bestaat-niet/opvolging").status_code == 404
    assert client.get("/opvolging/bestaat-niet").status_code == 404


def test_a_denktafel_without_follow_up_file_has_no_analysts_page(published, tmp_path):
    (tmp_path / "questionnaires" / "followup" / "werk.yaml").unlink()
    client = published.test_client()
    staff = Staff(client)
    staff.create("ana", "analyst")
    staff.login("ana")
    assert client.get("/results/werk/opvolging").status_code == 404
    assert client.get("/results/samenleven/opvolging").status_code == 200


def test_residents_read_what_the_city_does_with_each_recommendation(published):
    page = published.test_client().get(f"/opvolging/{SLUG}").text
    assert "U zei, wij deden" in page
    assert "De Denktafel vraagt dat de stad beter nakijkt hoe ze medewerkers voor het loket kiest en opvolgt." in page
    assert "Let op: dit is een eerste voorstel." in page and page.count("(nog niet bevestigd)") == 5
    assert page.count('class="status status-planned"') == 5
    # The newest wave, weighted: the six in Sledderlo weigh for district Zuid (trimmed at five times the mean).
    assert re.search(r"<strong><bdi>\d+%</bdi></strong> Vond de medewerker vriendelijk\s*<small>\(46 antwoorden, Opvolging 2027\)", page)
    assert "Personeel en Organisatie" not in page  # internal detail stays on the analysts' page


def test_an_unpublished_follow_up_tells_residents_to_come_back(client):
    page = client.get(f"/opvolging/{SLUG}").text
    assert "De stad werkt nog aan de opvolging van deze Denktafel." in page
    assert "Gepland" not in page


def test_the_public_page_speaks_the_residents_language(published):
    page = published.test_client().get(f"/opvolging/{SLUG}?lang=ar").text
    assert '<html lang="ar" dir="rtl">' in page
    assert "قلتم، ففعلنا" in page


def test_content_with_mistakes_gives_a_clear_page_not_a_crash(published, tmp_path):
    population = tmp_path / "questionnaires" / "followup" / "population.yaml"
    population.write_text(population.read_text().replace("total: ", "total: 1"))
    response = published.test_client().get(f"/opvolging/{SLUG}")
    assert response.status_code == 503
    assert "Traceback" not in response.text


def analyst(app, name="ana"):
    client = app.test_client()
    staff = Staff(client)
    staff.create(name, "analyst")
    staff.login(name)
    return client


def figures_of(page: str) -> str:
    """Return the part of a page that holds figures (the CSRF token of the log-out form differs per request)."""
    return page.split('<main id="main"')[1].split("</main>")[0]


def test_one_submission_changes_no_page_until_a_release_holds_at_least_k_new(published, monkeypatch):
    """The journalist's attack: read both pages just before and just after one resident submits."""
    from survey_app.web import followup

    computed = []
    original = followup.released_rows
    monkeypatch.setattr(followup, "released_rows", lambda *a: computed.append(1) or original(*a))
    client = analyst(published)
    public, analysis = figures_of(client.get(f"/opvolging/{SLUG}").text), figures_of(client.get(f"/results/{SLUG}/opvolging").text)
    assert "46 antwoorden, Opvolging 2027" in public
    assert len(computed) == 1  # both pages share the figures of the release
    with database.connection_context():  # after the release's last day: nothing to compute again
        add_responses(Questionnaire.latest(SLUG), [(answers(2), "2028-02-01", "self", "nl")])
    assert figures_of(client.get(f"/opvolging/{SLUG}").text) == public
    assert len(computed) == 1
    with database.connection_context():
        # One resident of Sledderlo, in the newest wave: the cell Zuid is hidden, and must stay so.
        add_responses(Questionnaire.latest(SLUG), [(answers(3, wijk="sledderlo"), "2027-03-02", "self", "nl")])
    assert figures_of(client.get(f"/opvolging/{SLUG}").text) == public
    assert figures_of(client.get(f"/results/{SLUG}/opvolging").text) == analysis
    # A release with only one new response would stand out: the ledger refuses it and the pages keep the old one.
    release(published)
    assert figures_of(client.get(f"/opvolging/{SLUG}").text) == public
    assert figures_of(client.get(f"/results/{SLUG}/opvolging").text) == analysis
    with database.connection_context():
        add_responses(Questionnaire.latest(SLUG), [(answers(1, wijk="waterschei"), "2027-03-02", "self", "nl")] * 10)
    assert figures_of(client.get(f"/opvolging/{SLUG}").text) == public  # responses wait for a release
    # Late answers for a released period wait for the next period's release.
    assert release(published).entry.number == 1
    assert figures_of(client.get(f"/opvolging/{SLUG}").text) == public
    assert release(published, datetime.date(2028, 4, 1)).entry.number == 2
    assert "57 antwoorden, Opvolging 2027" in figures_of(client.get(f"/opvolging/{SLUG}").text)


def test_a_page_never_makes_a_release(published):
    from survey_app.models import Release

    with database.connection_context():
        Release.delete().execute()
    client = analyst(published)
    page = client.get(f"/results/{SLUG}/opvolging").text
    assert "Er is nog geen vrijgave van deze bevraging." in page
    assert "antwoorden, Opvolging" not in client.get(f"/opvolging/{SLUG}").text
    with database.connection_context():
        assert Release.select().count() == 0


def test_a_fresh_server_process_reads_the_figures_of_a_release_from_disk(published, database_url, tmp_path, compiled, monkeypatch):
    from survey_app.web import followup

    client = analyst(published)
    first = figures_of(client.get(f"/results/{SLUG}/opvolging").text)
    kept = list((tmp_path / "results" / followup.FIGURES_FOLDER).glob("*.json"))
    assert len(kept) == 1 and oct(kept[0].stat().st_mode & 0o777) == "0o600"
    # Another process: a new app, nothing in memory. The figures come from the file, to the byte.
    monkeypatch.setattr(followup, "released_rows", lambda *a: pytest.fail("computed again"))
    again = make_app(database_url, QUESTIONNAIRES_DIR=published.config["QUESTIONNAIRES_DIR"], TRANSLATIONS_DIR=str(compiled), RESULTS_DIR=str(tmp_path / "results"))
    assert figures_of(analyst(again, "bo").get(f"/results/{SLUG}/opvolging").text) == first
    # A damaged file is not trusted: the figures are computed again and the file written anew.
    kept[0].write_text("{not json")
    monkeypatch.undo()
    third = make_app(database_url, QUESTIONNAIRES_DIR=published.config["QUESTIONNAIRES_DIR"], TRANSLATIONS_DIR=str(compiled), RESULTS_DIR=str(tmp_path / "results"))
    assert figures_of(analyst(third, "cas").get(f"/results/{SLUG}/opvolging").text) == first
    assert kept[0].read_text().startswith('{"slug"')


def test_a_mistake_in_another_denktafels_follow_up_does_not_take_this_page_down(published):
    folder = published.config["QUESTIONNAIRES_DIR"] + "/followup"
    other = pathlib.Path(folder, "onderwijs.yaml")
    other.write_text(other.read_text().replace("slug: onderwijs", "slug: onderwijs\nonbekend: 1", 1))
    client = published.test_client()
    assert client.get(f"/opvolging/{SLUG}").status_code == 200
    assert client.get("/opvolging/onderwijs").status_code == 503
    own = pathlib.Path(folder, f"{SLUG}.yaml")
    own.write_text(own.read_text().replace(f"slug: {SLUG}", f"slug: {SLUG}\nonbekend: 1", 1))
    assert client.get(f"/opvolging/{SLUG}").status_code == 503


def test_the_overview_button_computes_the_follow_up_figures_so_no_page_view_waits(published, monkeypatch):
    from survey_app.web import followup
    from tests.conftest import csrf_token

    client = analyst(published)
    page = client.get(f"/results/{SLUG}/")
    assert client.post(f"/results/{SLUG}/vrijgave", data={"csrf_token": csrf_token(page.text)}).status_code == 303
    monkeypatch.setattr(followup, "released_rows", lambda *a: pytest.fail("computed at a page view"))
    assert "46 antwoorden, Opvolging 2027" in figures_of(client.get(f"/opvolging/{SLUG}").text)
    assert client.get(f"/results/{SLUG}/opvolging").status_code == 200

"""The offline layer's server side: the service worker, the offline page, survey JSON and the sync API."""

import json
import re
import uuid

import pytest

from survey_app.db import database
from survey_app.kiosks import kiosk_ticket
from survey_app.models import Kiosk, Response, ResponseConflict

from ..conftest import csrf_token, limited_app
from .test_kiosk import start_kiosk
from ..test_sync import filled_answers


def test_the_service_worker_is_served_from_the_root_with_its_version(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-store"
    version = re.search(r'var VERSION = "([0-9a-f]{12})";', response.text)
    assert version, "the version was not filled in"
    shell = client.get("/offline").text
    assert f'<meta name="survey-version" content="{version.group(1)}">' in shell


def test_the_offline_page_carries_no_inline_script_and_every_language(client):
    page = client.get("/offline")
    assert page.status_code == 200
    assert "Content-Security-Policy" in page.headers
    scripts = re.findall(r"<script([^>]*)>", page.text)
    assert all("src=" in attributes or 'type="application/json"' in attributes for attributes in scripts)
    languages = json.loads(re.search(r'id="languages">(.*?)</script>', page.text).group(1))
    assert languages[0] == ["nl", "Nederlands", "ltr"] and ["ar", "العربية", "rtl"] in languages
    assert len(languages) == 9
    dutch = json.loads(re.search(r'id="interface">(.*?)</script>', page.text).group(1))
    assert dutch["next"] == "Volgende"


@pytest.mark.parametrize("slug", ["werk", "samenleven"])
def test_a_survey_comes_as_json_in_each_language(client, slug):
    dutch = client.get(f"/offline/{slug}/nl.json")
    arabic = client.get(f"/offline/{slug}/ar.json")
    assert dutch.status_code == arabic.status_code == 200
    assert dutch.mimetype == "application/json"
    assert "\\u06" not in arabic.text  # UTF-8 as it is, not escaped
    nl, ar = dutch.json, arabic.json
    assert (nl["lang"], nl["dir"], ar["lang"], ar["dir"]) == ("nl", "ltr", "ar", "rtl")
    assert nl["ui"]["next"] == "Volgende" and ar["ui"]["next"]
    assert [p["key"] for p in nl["pages"]] == [p["key"] for p in ar["pages"]]


def test_the_json_carries_skip_logic_as_trees(client):
    data = client.get("/offline/samenleven/nl.json").json
    page = next(p for p in data["pages"] if p["key"] == "mensen")
    assert page["show_if"] == ["not_", ["compare", "==", ["name", "wijk"], ["const", "buiten_genk"]]]
    matrix = page["questions"][1]
    assert matrix["type"] == "matrix" and matrix["faces"] is True
    assert matrix["variables"][0] == "buurt_thuis"


def test_fetching_the_json_does_not_change_the_residents_language(client):
    client.get("/?lang=tr")
    client.get("/offline/werk/ar.json")
    assert 'lang="tr"' in client.get("/").text


@pytest.mark.parametrize("url", ["/offline/geen/nl.json", "/offline/werk/xx.json"])
def test_unknown_surveys_and_languages_give_404(client, url):
    assert client.get(url).status_code == 404


def post_response(client, payload, token=None):
    token = token or client.get("/api/csrf").json["csrf_token"]
    return client.post("/api/responses", json=payload, headers={"X-CSRFToken": token})


def payload_for(slug="werk", **changes):
    from survey_app.models import Questionnaire

    with database.connection_context():
        version = Questionnaire.current(slug).version
        answers = filled_answers(slug)
    payload = {"id": str(uuid.uuid4()), "questionnaire": slug, "version": version, "language": "nl", "answers": answers}
    payload.update(changes)
    return payload


def test_the_api_needs_a_csrf_token(client):
    response = client.post("/api/responses", json=payload_for())
    assert response.status_code == 400
    with database.connection_context():
        assert Response.select().count() == 0


def test_the_api_stores_once_and_acknowledges_resends(client):
    payload = payload_for()
    first = post_response(client, payload)
    assert (first.status_code, first.json) == (201, {"status": "stored", "id": payload["id"]})
    again = post_response(client, payload)
    assert (again.status_code, again.json["status"]) == (200, "duplicate")
    with database.connection_context():
        stored = Response.get()
        assert (stored.uuid, stored.channel, stored.mode) == (payload["id"], "web", "self")
        assert Response.select().count() == 1


def test_the_api_keeps_a_conflicting_resend_aside_and_acknowledges_it(client):
    payload = payload_for()
    post_response(client, payload)
    other = dict(payload, answers=dict(payload["answers"], werksituatie=["student"]))
    if other["answers"] == payload["answers"]:
        other["answers"]["werksituatie"] = ["werk"]
    response = post_response(client, other)
    assert (response.status_code, response.json["status"]) == (200, "kept_aside")
    with database.connection_context():
        assert Response.select().count() == 1
        assert ResponseConflict.get().reason == "different_content"


def test_the_api_refuses_what_is_not_a_response(client):
    response = post_response(client, {"id": "x"})
    assert response.status_code == 400
    assert "'id'" in response.json["error"]
    token = client.get("/api/csrf").json["csrf_token"]
    garbage = client.post("/api/responses", data="{not json", content_type="application/json", headers={"X-CSRFToken": token})
    assert garbage.status_code == 400


def test_a_kiosk_ticket_makes_a_synced_response_a_tablet_one(client, staff, app):
    start_kiosk(client, staff)
    with database.connection_context():
        ticket = kiosk_ticket(Kiosk.get(), app.config["SECRET_KEY"])
    post_response(client, payload_for(kiosk=ticket))
    post_response(client, payload_for(kiosk="forged.ticket"))
    with database.connection_context():
        assert sorted(r.channel for r in Response.select()) == ["tablet", "web"]


def test_every_page_of_the_offline_layer_sends_the_security_headers(client):
    for url in ("/sw.js", "/offline", "/offline/werk/nl.json", "/api/csrf"):
        headers = client.get(url).headers
        assert "script-src 'self'" in headers["Content-Security-Policy"], url
        assert headers["X-Content-Type-Options"] == "nosniff"


def test_server_pages_tell_survey_js_what_to_keep_offline(client):
    from ..resident import Resident

    resident = Resident(client, "werk")
    resident.start(lang="nl")
    page = resident.shown.text
    data = json.loads(re.search(r'id="fieldwork">(.*?)</script>', page).group(1))
    assert data["survey"] == {"slug": "werk", "version": resident.definition().version, "lang": "nl"}
    assert data["handover"]["number"] == 1 and data["kiosk"] is None
    assert data["handover"]["id"] in page
    assert data["handover"]["form"] == "volledig"
    assert csrf_token(page)


def test_a_hand_over_names_the_short_form_being_answered(client):
    from ..resident import Resident

    resident = Resident(client, "werk", form="kort")
    resident.start(lang="nl")
    data = json.loads(re.search(r'id="fieldwork">(.*?)</script>', resident.shown.text).group(1))
    assert data["handover"]["form"] == "kort"


def test_the_json_carries_each_form_with_its_minutes_as_the_intro_shows_them(client):
    from survey_app.catalog import definition_of
    from survey_app.content.duration import consent_minutes
    from survey_app.models import Questionnaire

    data = client.get("/offline/werk/fr.json").json
    with database.connection_context():
        werk = definition_of(Questionnaire.current("werk"))
    short = werk.form("kort")
    assert data["forms"] == {"kort": list(werk.forms["kort"])}
    assert data["minutes"] == {"volledig": consent_minutes(werk), "kort": consent_minutes(short)}
    assert data["minutes"]["kort"] <= 5 < data["minutes"]["volledig"]
    # The consent names the short form's minutes, as the intro page does; the buttons name both.
    consent = data["consent"][0] if isinstance(data["consent"], list) else data["consent"]  # [text, "nl"]: not translated
    assert f" {consent_minutes(short)} minut" in consent and "%(minuten)s" not in consent
    assert "%(minutes)s" in data["ui"]["begin_short"] and "%(minutes)s" in data["ui"]["begin_full"]


def test_a_short_form_sent_by_a_tablet_is_stored_with_its_name(client):
    with database.connection_context():
        answers = filled_answers("werk", form="kort")
    payload = payload_for(form="kort", answers=answers)
    sent = post_response(client, payload)
    assert sent.status_code == 201, sent.json
    with database.connection_context():
        assert Response.get(Response.uuid == payload["id"]).form == "kort"


def test_the_responses_kept_aside_are_listed_for_review(client, runner):
    post_response(client, payload_for(answers={"werksituatie": "maan"}))
    listed = runner.invoke(args=["offline", "conflicts"])
    assert listed.exit_code == 0
    assert "invalid" in listed.output and "werksituatie" in listed.output
    assert "1 response(s) kept aside." in listed.output
    whole = runner.invoke(args=["offline", "conflicts", "--answers"])
    assert json.loads(whole.output)["answers"] == {"werksituatie": "maan"}


def test_an_unpaired_surrogate_is_kept_aside_not_a_server_error(client):
    payload = payload_for()
    text = json.dumps(payload).replace('"nl"', '"nl", "x": 1', 1)
    # "\ud83d" in the JSON text: half an emoji, as a broken keyboard or a cut string sends it.
    body = text[:-1] + ', "answers": {"werksituatie": "\\ud83d"}}'
    token = client.get("/api/csrf").json["csrf_token"]
    for _ in range(2):  # the tablet may send it again: kept once
        response = client.post("/api/responses", data=body, content_type="application/json",
                               headers={"X-CSRFToken": token})
        assert (response.status_code, response.json["status"]) == (200, "kept_aside")
        assert "surrogate" in response.json["problem"]
    with database.connection_context():
        kept = ResponseConflict.get()
        assert (kept.reason, kept.answers) == ("malformed", {"werksituatie": "\ufffd"})
        assert Response.select().count() == 0


def test_json_nested_two_thousand_deep_gets_a_clear_400(client):
    token = client.get("/api/csrf").json["csrf_token"]
    body = '{"id": ' + "[" * 2000 + "]" * 2000 + "}"
    response = client.post("/api/responses", data=body, content_type="application/json",
                           headers={"X-CSRFToken": token})
    assert response.status_code == 400
    assert response.json["error"] == "the JSON is nested too deeply"


def test_a_response_of_the_wrong_shape_with_an_id_is_kept_aside(client):
    payload = payload_for(version="one", answers={"werksituatie": {"deep": [[[[["x"]]]]]}})
    response = post_response(client, payload)
    assert (response.status_code, response.json["status"]) == (200, "kept_aside")
    with database.connection_context():
        kept = ResponseConflict.get()
        assert (kept.reason, kept.questionnaire_version) == ("malformed", 0)
        assert kept.problems == {"payload": "'version' must be the questionnaire's version number"}
        assert kept.answers == {"werksituatie": {"deep": [["(left out: nested too deeply)"]]}}


def test_a_kiosk_ticket_that_is_not_ascii_is_no_ticket(client):
    response = post_response(client, payload_for(kiosk="\ud83d" * 10))
    assert response.status_code == 201
    with database.connection_context():
        assert Response.get().channel == "web"


def test_conflicts_are_printed_without_terminal_escapes(client, runner):
    escape = "\x1b]0;owned\x07\x1b[2J\x9b"
    post_response(client, payload_for(questionnaire="werk" + escape))
    post_response(client, payload_for(answers={"werksituatie": escape}))
    for args in (["offline", "conflicts"], ["offline", "conflicts", "--answers"]):
        output = runner.invoke(args=args).output
        assert "\x1b" not in output and "\x07" not in output and "\x9b" not in output, args
        assert "\\u001b" in output, args
    whole = runner.invoke(args=["offline", "conflicts", "--answers"]).output.splitlines()
    assert {json.loads(line)["questionnaire"] for line in whole} == {"werk" + escape, "werk"}


def test_past_the_cap_nothing_more_is_kept_aside_and_the_tablet_keeps_it(database_url):
    from survey_app.catalog import load_package

    from ..conftest import QUESTIONNAIRES, make_app

    app = make_app(database_url, CONFLICTS_MAX=2)
    with database.connection_context():
        load_package(QUESTIONNAIRES)
    client = app.test_client()
    codes = [post_response(client, payload_for(version=99)).status_code for _ in range(3)]
    assert codes == [200, 200, 503]
    # An honest response is still stored: only what would be kept aside waits.
    assert post_response(client, payload_for()).status_code == 201
    with database.connection_context():
        assert ResponseConflict.select().count() == 2
    result = app.test_cli_runner().invoke(args=["offline", "purge", "--before", "2999-01-01"])
    assert "2 response(s) kept aside deleted." in result.output
    assert post_response(client, payload_for(version=99)).status_code == 200


def test_starting_surveys_is_limited_per_address(database_url):
    from survey_app.catalog import load_package

    from ..conftest import QUESTIONNAIRES, make_app

    app = make_app(database_url, RATELIMIT_ENABLED=True, START_RATE_LIMIT="3 per minute")
    with database.connection_context():
        load_package(QUESTIONNAIRES)
    client = app.test_client()
    token = csrf_token(client.get("/s/werk/?lang=nl").text)
    codes = [client.post("/s/werk/start", data={"csrf_token": token}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    other = app.test_client()
    token = csrf_token(other.get("/s/werk/?lang=nl").text)
    assert other.post("/s/werk/start", data={"csrf_token": token}, environ_base={"REMOTE_ADDR": "192.0.2.8"}).status_code == 200




def two_kiosks(app):
    """Return the tickets of two running kiosks (two tablets, behind one address here)."""
    with database.connection_context():
        kiosks = [Kiosk.create(token=name * 40, pin_hash="x", slugs=["werk"]) for name in "ab"]
        return [kiosk_ticket(kiosk, app.config["SECRET_KEY"]) for kiosk in kiosks]


def test_one_tablet_may_send_so_many_responses_an_hour_then_429_and_it_keeps_them(database_url):
    app = limited_app(database_url, SYNC_TABLET_RATE_LIMIT="2 per hour")
    first, second = two_kiosks(app)
    client = app.test_client()
    codes = [post_response(client, payload_for(kiosk=first)).status_code for _ in range(3)]
    assert codes == [201, 201, 429]
    refused = post_response(client, payload := payload_for(kiosk=first))
    assert refused.status_code == 429 and refused.is_json and "later" in refused.json["error"]
    assert refused.headers["Retry-After"]
    # survey.js: a 429 is no refusal for good (not moved to 'attention'); the round ends, the item stays.
    from ..conftest import ROOT

    assert "sent.status === 429) break" in (ROOT / "survey_app" / "static" / "survey.js").read_text()
    with database.connection_context():
        assert not Response.select().where(Response.uuid == payload["id"]).exists()
        assert Response.select().count() == 2
    # Another tablet behind the same address has its own count.
    assert post_response(client, payload_for(kiosk=second)).status_code == 201


def test_one_tablet_may_send_so_many_bytes_an_hour(database_url):
    import orjson

    app = limited_app(database_url, SYNC_TABLET_RATE_LIMIT="1000 per hour")
    size = len(orjson.dumps(payload_for()))  # the app first: it binds the database the payload reads
    app = limited_app(database_url, SYNC_TABLET_BYTES_LIMIT=f"{int(size * 2.5)} per hour")
    first, second = two_kiosks(app)
    client = app.test_client()
    codes = [post_response(client, payload_for(kiosk=first)).status_code for _ in range(3)]
    assert codes == [201, 201, 429]
    assert post_response(client, payload_for(kiosk=second)).status_code == 201


def test_without_a_kiosk_ticket_a_device_is_counted_by_its_address(database_url):
    app = limited_app(database_url, SYNC_TABLET_RATE_LIMIT="1 per hour")
    client = app.test_client()
    assert post_response(client, payload_for(kiosk="forged.ticket")).status_code == 201
    assert post_response(client, payload_for()).status_code == 429
    token = client.get("/api/csrf").json["csrf_token"]
    elsewhere = client.post("/api/responses", json=payload_for(), headers={"X-CSRFToken": token},
                            environ_base={"REMOTE_ADDR": "192.0.2.8"})
    assert elsewhere.status_code == 201

"""Offline: surveys answered with the network cut are each stored once when it returns."""

from survey_app.db import database
from survey_app.models import Response

from .resident import answer_pages, definition, fill_question, press_next, shown_questions, wait_for
from .test_kiosk import start_kiosk


def stored_count():
    with database.connection_context():
        return Response.select().count()


def test_two_surveys_answered_offline_on_a_kiosk_are_each_stored_once(tablet):
    page = tablet.page
    start_kiosk(page, ["werk", "samenleven"])
    page.wait_for_selector("body[data-offline=ready]")
    tablet.context.set_offline(True)

    answers = {}
    for slug in ("werk", "samenleven"):
        page.click('.language-picker button[value="nl"]')  # the server's picker, then the offline one
        page.click(f"button.card[data-slug={slug}]")
        page.click("main button.primary")
        answers[slug] = answer_pages(page, slug)
        assert page.locator("h1").inner_text() == "Bedankt!"
        page.click("main button.primary")  # ready for the next person: the language picker again
        page.wait_for_selector(".language-picker")
    queued = page.evaluate("window.SurveyQueue.all()")
    assert len(queued) == 2
    assert page.locator(".queue:not(.attention) .queue-count").inner_text() == "2" and page.locator(".queue:not(.attention)").is_visible()
    assert stored_count() == 0

    tablet.context.set_offline(False)
    wait_for(lambda: stored_count() == 2)
    page.wait_for_selector(".queue:not(.attention)[hidden]", state="attached")
    with database.connection_context():
        rows = {r.questionnaire.slug: r for r in Response.select()}
    assert {slug: row.answers for slug, row in rows.items()} == answers
    assert {(row.channel, row.mode, row.language) for row in rows.values()} == {("tablet", "self", "nl")}
    assert sorted(row.uuid for row in rows.values()) == sorted(item["id"] for item in queued)

    # An acknowledgement got lost: the tablet sends the same response again. It is stored once.
    page.evaluate("item => window.SurveyQueue.add(item).then(() => window.SurveyQueue.flush())", queued[0])
    page.wait_for_selector(".queue:not(.attention)[hidden]", state="attached")
    assert page.evaluate("window.SurveyQueue.count()") == 0
    assert stored_count() == 2


def test_a_resident_whose_network_fails_halfway_goes_on_offline(tablet):
    page = tablet.page
    page.goto("/s/werk/?lang=nl")
    page.wait_for_selector("body[data-offline=ready]")
    page.click("form[action$='/start'] button")
    questions = definition("werk")
    known = {}
    for question in shown_questions(page, questions):
        fill_question(page, question, known)
    draft_uuid = page.get_attribute("#response_id", "value")

    tablet.context.set_offline(True)
    page.click('form#answers button[value="next"]')
    # The offline page takes over at the same page, with what was filled in, and says why.
    page.wait_for_selector("body.offline-shell")
    assert page.locator("main .notice").is_visible()
    answer_pages(page, "werk", known)
    assert page.locator("h1").inner_text() == "Bedankt!"

    tablet.context.set_offline(False)
    wait_for(lambda: stored_count() == 1)
    with database.connection_context():
        stored = Response.get()
        assert (stored.uuid, stored.answers, stored.channel) == (draft_uuid, known, "web")


def test_the_short_form_works_offline_on_a_kiosk_and_is_stored_as_the_short_form(tablet):
    page = tablet.page
    start_kiosk(page, ["stedelijke-dienstverlening"])
    page.wait_for_selector("body[data-offline=ready]")
    tablet.context.set_offline(True)
    short = definition("stedelijke-dienstverlening").form("kort")
    for form in ("kort", "volledig"):
        page.click('.language-picker button[value="nl"]')
        page.click("button.card[data-slug=stedelijke-dienstverlening]")
        # As the intro online: the short form first, with its minutes; then every question.
        assert page.get_attribute("main button.primary", "data-form") == "kort"
        assert "korte vragenlijst" in page.locator("main button.primary").inner_text()
        page.click(f'main button[data-form="{form}"]')
        seen, known = set(), {}
        for _ in range(30):
            seen |= {q.key for q in shown_questions(page, definition("stedelijke-dienstverlening"))}
            for question in shown_questions(page, definition("stedelijke-dienstverlening")):
                fill_question(page, question, known)
            press_next(page)  # waits for the next screen: a page, or the thanks once the response is queued
            if not page.locator("form#answers").count():
                break
        assert page.locator("h1").inner_text() == "Bedankt!"
        if form == "kort":
            assert seen <= set(short.forms["kort"]) and "kanaal_voorkeur" not in seen
        else:
            assert "kanaal_voorkeur" in seen
        page.click("main button.primary")
        page.wait_for_selector(".language-picker")
    assert [item["form"] for item in page.evaluate("window.SurveyQueue.all()")] == ["kort", "volledig"]

    tablet.context.set_offline(False)
    wait_for(lambda: stored_count() == 2)
    with database.connection_context():
        forms = sorted(r.form for r in Response.select())
    assert forms == ["kort", "volledig"]


def test_the_outbox_sends_oldest_first_and_one_bad_response_holds_up_nothing(chromium, live_server):
    from survey_app.models import Questionnaire, ResponseConflict

    from ..test_sync import filled_answers
    from .conftest import Tablet

    # No service worker here: the test's own route stands for a server that fails for now.
    tablet = Tablet(chromium, live_server, service_workers="block")
    page = tablet.page
    page.goto("/?lang=nl")
    page.evaluate("window.SurveyQueue.flush()")  # the round the page starts itself, on an empty outbox
    with database.connection_context():
        version = Questionnaire.current("werk").version
        answers = filled_answers("werk")

    def item(number, **changes):
        # Ids in the opposite order of age: sending by id would be newest first.
        body = {"id": f"00000000-0000-4000-8000-00000000000{5 - number}", "questionnaire": "werk", "version": version,
                "language": "nl", "answers": answers, "kiosk": None, "queued_at": 1000 + number}
        return body | changes

    too_large = item(1, answers={"opmerking": "x" * 300_000})      # refused for good: 413
    failing = item(2)                                               # 500 for now (the route below)
    half_emoji = item(3, answers={"werksituatie": "\ud83d"})        # kept aside on the server
    good = item(4)
    sent, stamped = [], []

    def server_fails_for_now(route):
        body = route.request.post_data_json
        sent.append(body["id"])
        stamped.append("queued_at" in body)
        if body["id"] == failing["id"]:
            route.fulfill(status=500, content_type="text/html", body="<p>oops</p>")
        else:
            route.continue_()

    page.route("**/api/responses", server_fails_for_now)
    # Added newest first: the outbox must still send by age, not by id or by order of adding.
    for queued in (good, half_emoji, failing, too_large):
        page.evaluate("item => window.SurveyQueue.add(item)", queued)
    page.evaluate("window.SurveyQueue.flush()")
    assert sent == [too_large["id"], failing["id"], half_emoji["id"], good["id"]]
    assert not any(stamped)  # the time it was queued stays on the tablet
    assert [i["id"] for i in page.evaluate("window.SurveyQueue.all()")] == [failing["id"]]
    attention = page.evaluate("window.SurveyQueue.attention()")
    assert [(i["id"], i["refused"], len(i["answers"]["opmerking"])) for i in attention] == [(too_large["id"], 413, 300_000)]
    # The tablet shows both counts; the refused one is kept, not dropped.
    assert page.locator(".queue:not(.attention) .queue-count").inner_text() == "1"
    assert page.locator(".queue.attention").is_visible()
    assert page.locator(".queue.attention .queue-count").inner_text() == "1"
    with database.connection_context():
        assert [r.uuid for r in Response.select()] == [good["id"]]
        assert ResponseConflict.get().response_uuid == half_emoji["id"]

    page.unroute("**/api/responses")
    page.evaluate("window.SurveyQueue.flush()")
    assert page.evaluate("window.SurveyQueue.count()") == 0
    with database.connection_context():
        assert sorted(r.uuid for r in Response.select()) == sorted([failing["id"], good["id"]])
    assert page.locator(".queue.attention .queue-count").inner_text() == "1"
    tablet.close()


def test_offline_dont_know_and_not_applicable_stand_apart_from_the_agreement_scale(tablet):
    page = tablet.page
    start_kiosk(page, ["vrije-tijd"])
    page.wait_for_selector("body[data-offline=ready]")
    tablet.context.set_offline(True)
    page.click('.language-picker button[value="nl"]')
    page.click("button.card[data-slug=vrije-tijd]")
    page.click('main button[data-form="kort"]')
    questions, known = definition("vrije-tijd"), {}
    for _ in range(10):
        if page.locator("#q-info_ervaring_overzicht").count():
            break
        for question in shown_questions(page, questions):
            fill_question(page, question, known)
        page.click('form#answers button[value="next"]')
    item = page.locator("#q-info_ervaring_overzicht .choices")
    assert "with-aside" in item.get_attribute("class") and "points-5" in item.get_attribute("class")
    aside = [page.get_attribute(f"#q-info_ervaring_overzicht .aside input >> nth={i}", "value") for i in range(2)]
    assert aside == ["8", "9"]
    assert item.locator(":scope > label input").evaluate_all("inputs => inputs.map(i => i.value)") == ["1", "2", "3", "4", "5"]
    assert "Weet ik niet" in page.locator("#q-info_ervaring_overzicht .aside").inner_text()


def test_past_the_tablets_limit_the_outbox_keeps_the_response_and_sends_it_later(chromium, database_url, compiled_translations):
    import threading

    from werkzeug.serving import make_server

    from survey_app.catalog import load_package
    from survey_app.models import Questionnaire
    from survey_app.web.extensions import limiter

    from ..conftest import QUESTIONNAIRES, make_app
    from ..test_sync import filled_answers
    from .conftest import Tablet

    app = make_app(database_url, TRANSLATIONS_DIR=str(compiled_translations), RATELIMIT_ENABLED=True,
                   SYNC_TABLET_RATE_LIMIT="1 per hour")
    with app.app_context():
        limiter.reset()
    with database.connection_context():
        load_package(QUESTIONNAIRES)
        version = Questionnaire.current("werk").version
        answers = filled_answers("werk")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    tablet = Tablet(chromium, f"http://127.0.0.1:{server.server_port}", service_workers="block")
    try:
        page = tablet.page
        page.goto("/?lang=nl")
        items = [{"id": f"00000000-0000-4000-8000-00000000000{n}", "questionnaire": "werk", "version": version,
                  "language": "nl", "answers": answers, "kiosk": None, "queued_at": 1000 + n} for n in (1, 2)]
        for item in items:
            page.evaluate("item => window.SurveyQueue.add(item)", item)
        page.evaluate("window.SurveyQueue.flush()")
        # The second got 429: still waiting in the outbox, not moved to the attention list.
        assert [i["id"] for i in page.evaluate("window.SurveyQueue.all()")] == [items[1]["id"]]
        assert page.evaluate("window.SurveyQueue.attention()") == []
        assert stored_count() == 1
        with app.app_context():
            limiter.reset()  # the hour has passed
        page.evaluate("window.SurveyQueue.flush()")
        assert page.evaluate("window.SurveyQueue.count()") == 0
        assert stored_count() == 2
    finally:
        tablet.close()
        server.shutdown()
        server.server_close()

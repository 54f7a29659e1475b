"""Offline: surveys answered with the network cut are each stored once when it returns."""

from survey_app.db import database
from survey_app.models import Response

from .resident import answer_pages, definition, fill_question, shown_questions, wait_for
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
    assert page.locator(".queue-count").inner_text() == "2" and page.locator(".queue").is_visible()
    assert stored_count() == 0

    tablet.context.set_offline(False)
    wait_for(lambda: stored_count() == 2)
    page.wait_for_selector(".queue[hidden]", state="attached")
    with database.connection_context():
        rows = {r.questionnaire.slug: r for r in Response.select()}
    assert {slug: row.answers for slug, row in rows.items()} == answers
    assert {(row.channel, row.mode, row.language) for row in rows.values()} == {("tablet", "self", "nl")}
    assert sorted(row.uuid for row in rows.values()) == sorted(item["id"] for item in queued)

    # An acknowledgement got lost: the tablet sends the same response again. It is stored once.
    page.evaluate("item => window.SurveyQueue.add(item).then(() => window.SurveyQueue.flush())", queued[0])
    page.wait_for_selector(".queue[hidden]", state="attached")
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

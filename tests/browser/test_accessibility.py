"""axe-core on every page type, in Dutch and in Arabic: zero violations of WCAG 2.1 A and AA.

One survey (stedelijke-dienstverlening) asks every question type, so walking its pages, online
and offline, covers every way of asking.
"""

import uuid

import pytest

from survey_app.accounts import create_user
from survey_app.db import database
from survey_app.models import Questionnaire, User
from survey_app.responses import store_response

from ..conftest import PASSWORD
from .conftest import AXE, Tablet, sqlite_only
from .resident import definition, fill_question, log_in, press_next, shown_questions
from .test_kiosk import open_survey, start_kiosk

SLUG = "stedelijke-dienstverlening"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN = """async (tags) => {
    const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
    return result.violations.map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(" ")).join(", ")})`);
}"""


class Audit:
    """Runs axe on each page it is shown and collects what it finds, by page."""

    def __init__(self, page, language):
        self.page = page
        self.language = language
        self.found = {}
        self.checked = []

    def check(self, label, *, in_language=True):
        """Run axe; unless it is a language picker (Dutch until a language is chosen), check lang too."""
        self.page.wait_for_load_state()
        violations = self.page.evaluate(AXE_RUN, RULES)
        if in_language:
            assert self.page.evaluate("document.documentElement.lang") == self.language, label
        self.checked.append(label)
        if violations:
            self.found[label] = violations


@pytest.fixture
def audit_tablet(chromium, live_server, request):
    if not AXE.exists():
        pytest.fail("axe-core is missing: npm ci --prefix tests/browser")
    # The browser speaks the resident's language, as their own phone would.
    tablet = Tablet(chromium, live_server, locale=request.param)
    tablet.context.add_init_script(path=str(AXE))
    yield tablet
    tablet.close()


def record_intake(*, staff):
    """Store one assisted response of today, as an intake would."""
    with database.connection_context():
        store_response(questionnaire=Questionnaire.current("werk"), response_uuid=str(uuid.uuid4()),
                       answers={}, language="nl", mode="assisted", channel="phone",
                       staff=User.get(User.username == staff))


def walk_survey(page, audit, where):
    """Check the intro, each page with its questions open and then with errors, and the end."""
    audit.check(f"{where} intro")
    page.click("main button.primary, form[action$='/start'] button")
    questions = definition(SLUG)
    known = {}
    number = 1
    while page.locator("form#answers").count():
        audit.check(f"{where} page {number}")
        if number == 1:
            press_next(page)
            audit.check(f"{where} page {number} with errors")
        for question in shown_questions(page, questions):
            fill_question(page, question, known)
        press_next(page)
        number += 1
    audit.check(f"{where} thanks")


@sqlite_only
@pytest.mark.parametrize("audit_tablet", ["nl", "ar"], indirect=True)
def test_every_page_type_has_no_accessibility_violations(audit_tablet):
    page = audit_tablet.page
    language = audit_tablet.context_locale
    audit = Audit(page, language)
    page.goto("/")
    audit.check("language picker", in_language=False)
    page.click(f'.language-picker button[value="{language}"]')
    audit.check("survey list")
    page.goto(f"/s/{SLUG}/")
    walk_survey(page, audit, "online")
    page.goto("/bestaat-niet")
    audit.check("not found")

    page.goto("/staff/login")
    audit.check("login")
    page.fill("#username", "niemand")
    page.fill("#password", "fout")
    page.click("form button.primary")
    audit.check("login failed")
    with database.connection_context():
        create_user("toegang", PASSWORD, "staff")
    log_in(page, "toegang")
    audit.check("staff home")
    page.click("form.intake button.primary")
    audit.check("staff home with errors")
    page.check(f'input[name="survey"][value="{SLUG}"]')
    page.check('input[name="channel"][value="phone"]')
    page.select_option("#language", language)
    page.click("form.intake button.primary")
    audit.check("staff consent")
    page.click("main form button.primary")
    audit.check("staff consent with errors")
    page.check("#confirmed")
    page.click("main form button.primary")
    audit.check("staff intake page")
    record_intake(staff="toegang")
    page.goto("/staff/")
    audit.check("staff home with the day's intakes")
    page.goto("/kiosk/start")
    audit.check("kiosk start")

    start_kiosk(page, [SLUG, "werk"])
    audit.check("kiosk language picker", in_language=False)
    open_survey(page, SLUG, language)
    audit.check("kiosk page")
    page.evaluate("document.getElementById('idle-dialog').showModal()")
    audit.check("kiosk idle question")
    page.goto("/kiosk/leave")
    audit.check("kiosk leave")
    page.fill("#pin", "0000")
    page.click("form.narrow button.primary")
    audit.check("kiosk leave with a wrong PIN")

    page.evaluate("document.getElementById('kiosk-reset').submit()")  # as after an idle timeout
    page.wait_for_selector("body[data-offline=ready] .language-picker")
    audit_tablet.context.set_offline(True)
    page.click(f'.language-picker button[value="{language}"]')
    page.wait_for_selector("button.card")
    audit.check("offline survey list")
    page.click(f"button.card[data-slug={SLUG}]")
    walk_survey(page, audit, "offline")
    page.click("main button.primary")
    audit.check("offline language picker", in_language=False)
    audit_tablet.context.set_offline(False)

    assert len(audit.checked) >= 30
    assert audit.found == {}, "\n".join(f"{label}: {v}" for label, vs in audit.found.items() for v in vs)


def test_the_audit_finds_what_is_wrong(chromium, tmp_path):
    """A page with known faults fails the same audit: the zero above is not a blind spot."""
    context = chromium.new_context()
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    bad = tmp_path / "bad.html"
    bad.write_text('<!doctype html><html><title>x</title><body><main><img src="x.png">'
                   '<input type="text"><p style="color:#aaa;background:#fff">vaag</p></main></body></html>')
    page.goto(bad.as_uri())
    found = " ".join(page.evaluate(AXE_RUN, RULES))
    context.close()
    for rule in ("html-has-lang", "image-alt", "label", "color-contrast"):
        assert rule in found, rule


def sideways_overflow(page):
    """Return how many pixels the page is wider than the window (0: no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@sqlite_only
@pytest.mark.parametrize("language", ["nl", "ar"])
def test_text_at_200_percent_and_a_320_pixel_screen_need_no_sideways_scrolling(tablet, language):
    page = tablet.page
    page.goto(f"/s/{SLUG}/?lang={language}")
    page.click("form[action$='/start'] button")
    questions = definition(SLUG)
    known = {}
    number = 1
    while page.locator("form#answers").count():
        page.set_viewport_size({"width": 800, "height": 1280})
        page.evaluate("document.documentElement.style.fontSize = '225%'")  # twice the usual 112.5%
        assert sideways_overflow(page) <= 0, f"page {number} at 200% text"
        page.evaluate("document.documentElement.style.fontSize = ''")
        page.set_viewport_size({"width": 320, "height": 640})
        assert sideways_overflow(page) <= 0, f"page {number} at 320 px wide"
        page.set_viewport_size({"width": 800, "height": 1280})
        for question in shown_questions(page, questions):
            fill_question(page, question, known)
        press_next(page)
        number += 1
    assert number > 2

"""'U zei, wij deden' on a phone in Chromium: no sideways scrolling, no WCAG 2.1 A/AA violation, in Dutch and Arabic."""

import threading

import pytest
from werkzeug.serving import make_server

from survey_app.db import database

from ..web.test_followup_public import answered_app
from .conftest import AXE, sqlite_only
from .test_accessibility import AXE_RUN, RULES

PHONE = {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}


@sqlite_only
@pytest.mark.parametrize("language", ["nl", "ar"])
def test_the_public_follow_up_page_reads_well_on_a_phone(chromium, database_url, compiled_translations, tmp_path, language):
    if not AXE.exists():
        pytest.fail("axe-core is missing: npm ci --prefix tests/browser")
    app, _ = answered_app(database_url, tmp_path, compiled_translations, "werk")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    context = chromium.new_context(base_url=f"http://127.0.0.1:{server.server_port}", **PHONE)
    context.add_init_script(path=str(AXE))  # as an init script: the page's CSP allows no inline script
    problems = []
    try:
        page = context.new_page()
        page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
        page.goto(f"/opvolging/werk?lang={language}")
        assert page.evaluate("document.documentElement.lang") == language
        assert page.locator("section.recommendation").count() == 17
        assert page.locator("p.figure").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways on a phone"
        assert page.evaluate(AXE_RUN, RULES) == []
        assert [p for p in problems if "Content Security Policy" in p] == []
    finally:
        context.close()
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        database.obj.close_all()

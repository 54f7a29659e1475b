"""Real-browser tests: Playwright drives Debian's Chromium against the app in a live server thread.

Chromium comes from Debian (`apt-get install chromium`; .ci/run does it), never from
`playwright install`. The tests skip only when that Chromium is missing. axe-core comes from
npm (`npm ci --prefix tests/browser`; .ci/run does it too).
"""

import os
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from survey_app.catalog import load_package
from survey_app.db import database

from ..conftest import QUESTIONNAIRES, compile_into, make_app

CHROMIUM = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
LAUNCH_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# A 10-inch tablet held upright.
TABLET = {"viewport": {"width": 800, "height": 1280}, "has_touch": True, "is_mobile": True, "device_scale_factor": 1}


# What the browser shows and loads does not depend on the database: such tests run on SQLite
# only; the ones that store responses run on PostgreSQL too when TEST_DATABASE_URL is set.
sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch):
    """Cheaper argon2 parameters for staff passwords and kiosk PINs: the browser tests log in a lot."""
    from argon2 import PasswordHasher

    from survey_app import accounts, kiosks

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", cheap)
    monkeypatch.setattr(kiosks, "_hasher", cheap)


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the whole run."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def compiled_translations(tmp_path_factory):
    """The repository's catalogs compiled in a temporary folder (.mo files are never committed)."""
    return compile_into(tmp_path_factory.mktemp("translations"))


@pytest.fixture
def app(database_url, compiled_translations):
    """The app on a real database file (or PostgreSQL), with the content package and the translations."""
    app = make_app(database_url, TRANSLATIONS_DIR=str(compiled_translations))
    with database.connection_context():
        load_package(QUESTIONNAIRES)
    yield app
    if not database.is_closed():
        database.close()


@pytest.fixture
def live_server(app):
    """Serve the app on 127.0.0.1 at a free port in a thread; return its address."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


class Tablet:
    """A browser context shaped like a shared tablet, with the console watched for CSP violations."""

    def __init__(self, chromium, base_url, *, locale="nl-BE", **options):
        self.context = chromium.new_context(base_url=base_url, locale=locale, **TABLET, **options)
        self.context_locale = locale
        self.context.set_default_timeout(10_000)
        self.problems = []
        self.context.on("page", self._watch)
        self.page = self.context.new_page()

    def _watch(self, page):
        def console(message):
            if message.type == "error":
                self.problems.append(message.text)

        page.on("console", console)
        page.on("pageerror", lambda error: self.problems.append(str(error)))

    def csp_violations(self):
        return [text for text in self.problems if "Content Security Policy" in text]

    def close(self):
        self.context.close()


@pytest.fixture
def tablet(chromium, live_server):
    """A fresh tablet (no cookies, no service worker, nothing stored) on the live server."""
    tablet = Tablet(chromium, live_server)
    yield tablet
    violations = tablet.csp_violations()
    tablet.close()
    assert violations == [], violations

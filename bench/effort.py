"""What one survey costs a resident: key presses by keyboard alone, and the height of each page.

    .venv/bin/python bench/effort.py                       # stedelijke-dienstverlening in Dutch
    .venv/bin/python bench/effort.py --slug werk --language ar

It needs Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium) and nothing else: a fresh
SQLite file in a temporary folder, the app in a thread on a free port. The resident moves with
Tab, chooses with arrows and Space, types the answers and presses Enter to go on (in a text
field, where it submits the form; else on the Next button; with --next-button always on the
Next button, as before Enter in a field went on). Heights are the page's full height,
in screens, at 390x844 (a phone) and 800x1280 (a tablet held upright), before anything is typed.
"""

import argparse
import json
import logging
import os
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.answers import answer_for  # noqa: E402
from survey_app import create_app  # noqa: E402
from survey_app import translations  # noqa: E402
from survey_app.catalog import definition_of, load_package  # noqa: E402
from survey_app.db import database  # noqa: E402
from survey_app.migrations import migrate_database  # noqa: E402
from survey_app.models import Questionnaire  # noqa: E402

SCREENS = {"phone": (390, 844), "tablet": (800, 1280)}
MAX_TABS = 300


def serve(folder: Path) -> tuple[str, object]:
    """Start the app on a fresh database in folder; return its address and the server."""
    compiled = folder / "translations"
    for language, domain in translations.existing_catalogs(ROOT / "translations"):
        target = translations.catalog_path(compiled, language, domain)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(translations.catalog_path(ROOT / "translations", language, domain).read_bytes())
        translations.compile_catalog(compiled, language, domain)
    app = create_app({
        "DATABASE_URL": f"sqlite:///{folder / 'effort.sqlite3'}", "SECRET_KEY": "bench",
        "RATELIMIT_ENABLED": False, "QUESTIONNAIRES_DIR": str(ROOT / "questionnaires"),
        "TRANSLATIONS_DIR": str(compiled),
    })
    with app.app_context(), database.connection_context():
        migrate_database()
        load_package(ROOT / "questionnaires")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server


class Keyboard:
    """Counts every key press."""

    def __init__(self, page):
        self.page = page
        self.count = 0

    def press(self, key):
        self.page.keyboard.press(key)
        self.count += 1

    def focused(self):
        return self.page.evaluate(
            "(() => { const e = document.activeElement; return e ? [e.name || '', e.value || '', e.type || '', e.tagName] : null })()"
        )

    def tab_to(self, test):
        for _ in range(MAX_TABS):
            self.press("Tab")
            if test(self.focused()):
                return
        raise AssertionError("could not reach the field by Tab")


def answer_page(page, keys, questions, known, *, next_button=False):
    """Answer the page's questions by keyboard and press Enter to go on."""
    ids = page.eval_on_selector_all("form#answers .question[id^='q-']", "n => n.map(e => e.id)")
    shown = [questions.question(i.removeprefix("q-")) for i in ids if questions.question(i.removeprefix("q-"))]
    last_text = False
    for question in shown:
        for name, values in answer_for(question, known).items():
            if question.answer_values:
                kind = page.get_attribute(f'input[name="{name}"]', "type")
                options = page.eval_on_selector_all(f'input[name="{name}"]', "n => n.map(e => e.value)")
                if kind == "radio":
                    keys.tab_to(lambda f: f and f[0] == name)
                    target = options.index(str(values[0]))
                    current = options.index(keys.focused()[1])
                    if target == current:
                        keys.press("Space")
                    for _ in range(abs(target - current)):
                        keys.press("ArrowDown" if target > current else "ArrowUp")
                else:
                    for value in values:
                        keys.tab_to(lambda f, v=str(value): f and f[0] == name and f[1] == v)
                        keys.press("Space")
                last_text = False
            else:
                keys.tab_to(lambda f: f and f[0] == name)
                page.keyboard.type(values[0])
                keys.count += len(values[0])
                last_text = question.type != "long_text"
    if next_button or not last_text:
        keys.tab_to(lambda f: f and f[3] == "BUTTON" and f[1] == "next")
    with page.expect_navigation():
        keys.press("Enter")
    page.wait_for_load_state()


def where(page) -> str:
    """Return the page shown: the form's target (a post answers with the next page), else the address."""
    return page.get_attribute("form#answers", "action") if page.locator("form#answers").count() else page.url


def measure(base: str, slug: str, language: str, *, next_button: bool = False) -> dict:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            args=["--headless", "--no-sandbox", "--disable-gpu"],
        )
        context = browser.new_context(base_url=base, viewport={"width": 800, "height": 1280}, has_touch=True)
        page = context.new_page()
        page.goto(f"/s/{slug}/?lang={language}")
        page.click("form[action$='/start'] button")
        with database.connection_context():
            questions = definition_of(Questionnaire.current(slug))
        keys = Keyboard(page)
        known, heights, progress = {}, [], []
        for _ in range(40):
            if not page.locator("form#answers").count():
                break
            row = {}
            for label, (width, height) in SCREENS.items():
                page.set_viewport_size({"width": width, "height": height})
                row[label] = round(page.evaluate("document.documentElement.scrollHeight") / height, 2)
            page.set_viewport_size({"width": 800, "height": 1280})
            heights.append(row)
            progress.append(page.locator(".progress").first.inner_text().strip() if page.locator(".progress").count() else "")
            before = where(page)
            answer_page(page, keys, questions, known, next_button=next_button)
            if where(page) == before:
                raise AssertionError(f"the page did not go on: {page.url}")
        browser.close()
    return {
        "slug": slug, "language": language, "pages": len(heights), "key_presses": keys.count,
        "screens_phone": round(sum(h["phone"] for h in heights), 1),
        "screens_tablet": round(sum(h["tablet"] for h in heights), 1),
        "per_page": heights, "progress": progress,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slug", default="stedelijke-dienstverlening")
    parser.add_argument("--language", default="nl")
    parser.add_argument("--next-button", action="store_true", help="always Tab to Next, never Enter in a field")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as folder:
        base, server = serve(Path(folder))
        try:
            result = measure(base, args.slug, args.language, next_button=args.next_button)
        finally:
            server.shutdown()
    print(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()

"""Right to left: an Arabic survey page is mirrored, and a screenshot of it is kept."""

from .conftest import sqlite_only
from .resident import definition, shown_questions


def layout(page):
    """Return the left edges of the parts that must swap sides in right-to-left text."""
    def left(selector):
        return page.locator(selector).first.bounding_box()["x"]

    return {
        "progress bar": left(".progress progress"),
        "progress text": left("#progress-text"),
        "back": left('form#answers button[value="back"]'),
        "next": left('form#answers button[value="next"]'),
        "brand": left("header.site .brand"),
        "languages": left("header.site .languages"),
    }


def open_first_page(page, language):
    page.goto(f"/s/werk/?lang={language}")
    page.click("form[action$='/start'] button")
    # A second visit finds the answers in progress and offers to go on where the resident was.
    if page.wait_for_selector("form#answers, form#resume").get_attribute("id") == "resume":
        page.click("form#resume button")
        page.wait_for_selector("form#answers")


@sqlite_only
def test_an_arabic_page_is_right_to_left_and_mirrored(tablet, tmp_path):
    page = tablet.page
    open_first_page(page, "nl")
    ltr = layout(page)
    open_first_page(page, "ar")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    rtl = layout(page)
    shot = tmp_path / "werk-page-1-ar.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    # Left to right: bar before text, Back before Next, the name of the city first.
    assert ltr["progress bar"] < ltr["progress text"] and ltr["back"] < ltr["next"] and ltr["brand"] < ltr["languages"]
    # Right to left: each pair swaps sides.
    assert rtl["progress bar"] > rtl["progress text"]
    assert rtl["back"] > rtl["next"]
    assert rtl["brand"] > rtl["languages"]
    # The answers themselves line up on the right.
    question = shown_questions(page, definition("werk"))[0]
    box = page.locator(f"#q-{question.key} .choice").first.bounding_box()
    assert box["x"] + box["width"] > 800 - 40

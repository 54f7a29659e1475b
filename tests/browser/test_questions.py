"""Questions that read well on a tablet: scales in one row, faces that differ, matrices and long
lists that fit the screen, and a progress bar that only goes forward.

In Dutch, Turkish and Arabic; scales from 320 px (the narrowest phone) to 1280 px.
"""

import pytest

from .conftest import sqlite_only
from .resident import definition, fill_question, press_next, shown_questions

SLUG = "stedelijke-dienstverlening"
WIDTHS = [320, 390, 800, 1280]
LANGUAGES = ["nl", "tr", "ar"]

SCALE_ROWS = """() => [...document.querySelectorAll("form#answers .choices.scale:not(.matrix-head)")].map(row => ({
    question: row.closest("[id^=q-]").id,
    matrix: row.closest(".matrix") !== null,
    points: [...row.querySelectorAll(":scope > .choice")].map(c => {
        const box = c.getBoundingClientRect(), radio = c.querySelector("input").getBoundingClientRect();
        return {top: box.top, bottom: box.bottom, left: box.left, right: box.right, radio: radio.top + radio.height / 2};
    }),
    aside: [...row.querySelectorAll(":scope > .aside .choice")].map(c => c.getBoundingClientRect().top),
    faces: [...row.querySelectorAll(":scope > .choice svg.face")].map(f => ({
        width: f.getBoundingClientRect().width, colour: getComputedStyle(f).color})),
}))"""


def start(page, slug, language, width=800):
    page.set_viewport_size({"width": width, "height": 1280 if width == 800 else 844})
    page.goto(f"/s/{slug}/?lang={language}")
    page.click("form[action$='/start'] button")
    page.wait_for_selector("form#answers")


def go_on(page, slug, known, *, choose=None):
    """Answer what the page shows (with choose's answers first) and go to the next page."""
    for name, value in (choose or {}).items():
        page.check(f'input[name="{name}"][value="{value}"]')
        known[name] = value
    for question in shown_questions(page, definition(slug)):
        if question.key not in (choose or {}):
            fill_question(page, question, known)
    press_next(page)


def check_scales(page, width, seen):
    """Assert every scale on the page keeps its points in one row, radios level, the rest apart."""
    page.set_viewport_size({"width": width, "height": 900})
    for row in page.evaluate(SCALE_ROWS):
        label = f"{row['question']} at {width} px"
        tops = [point["top"] for point in row["points"]]
        assert max(tops) - min(tops) <= 1, f"{label}: the points wrap"
        radios = [point["radio"] for point in row["points"]]
        assert max(radios) - min(radios) <= 1, f"{label}: the radios are not level"
        assert min(p["left"] for p in row["points"]) >= 0 and max(p["right"] for p in row["points"]) <= width
        if row["aside"] and not row["matrix"]:
            # "Not applicable" is no sixth point: it stands below the row.
            assert min(row["aside"]) > max(point["bottom"] for point in row["points"]), label
        if row["faces"]:
            assert len(row["faces"]) == 5 and min(f["width"] for f in row["faces"]) >= 40, label
            assert len({f["colour"] for f in row["faces"]}) == 5, f"{label}: faces in one colour"
        seen.add(row["matrix"])
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0


@sqlite_only
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_scale_keeps_its_points_in_one_row_from_320_pixels_up(tablet, language):
    page = tablet.page
    start(page, SLUG, language)
    known, seen, pages = {}, set(), 0
    while page.locator("form#answers").count():
        for width in WIDTHS:
            check_scales(page, width, seen)
        page.set_viewport_size({"width": 800, "height": 1280})
        go_on(page, SLUG, known, choose={"contact_gehad": "ja"} if pages == 0 else None)
        pages += 1
    assert seen == {True, False}  # single scales and a matrix were both checked
    assert pages >= 4


@sqlite_only
@pytest.mark.parametrize("language, width", [("nl", 390), ("tr", 800), ("ar", 1280)])
def test_the_words_over_a_matrix_stay_in_view_while_its_statements_scroll_by(tablet, language, width):
    page = tablet.page
    start(page, SLUG, language, width)
    known = {}
    go_on(page, SLUG, known, choose={"contact_gehad": "ja"})
    go_on(page, SLUG, known)
    matrix = page.locator("fieldset.matrix").first
    head = matrix.locator(".matrix-head")
    assert head.count() == 1
    page.set_viewport_size({"width": width, "height": 480})  # a screen the matrix does not fit on
    matrix.locator("fieldset.item").last.evaluate("item => item.scrollIntoView({block: 'end'})")
    assert matrix.bounding_box()["y"] < 0  # the matrix starts above the screen
    box = head.bounding_box()
    assert -1 <= box["y"] <= 5, box  # stuck to the top of the screen
    last = matrix.locator("fieldset.item").last.bounding_box()
    assert last["y"] > box["y"] + box["height"] - 1  # and not over the statement being answered
    # Each statement is one row of radios: the words are said once, in the header.
    item = matrix.locator("fieldset.item").first.bounding_box()
    assert item["height"] < 160


@sqlite_only
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_long_list_takes_columns_on_a_wide_screen_and_one_column_on_a_phone(tablet, language):
    page = tablet.page
    start(page, "samenleven", language, 1280)
    lefts = page.eval_on_selector_all("#q-wijk .choice", "n => n.map(c => Math.round(c.getBoundingClientRect().left))")
    assert len(lefts) >= 18 and len(set(lefts)) >= 2  # every neighbourhood of Genk
    height_wide = page.locator("#q-wijk").bounding_box()["height"]
    page.set_viewport_size({"width": 390, "height": 844})
    lefts = page.eval_on_selector_all("#q-wijk .choice", "n => n.map(c => Math.round(c.getBoundingClientRect().left))")
    assert len(set(lefts)) == 1
    # Grouped by district (a heading per group), the list shrinks less than a flat one.
    assert height_wide < page.locator("#q-wijk").bounding_box()["height"] / 1.5


def progress(page):
    return page.evaluate("(() => { const p = document.querySelector('.progress progress'); return [p.value, p.max]; })()")


@sqlite_only
@pytest.mark.parametrize("language, width", [("nl", 390), ("tr", 800), ("ar", 1280)])
def test_the_progress_bar_never_jumps_backwards(tablet, language, width):
    page = tablet.page
    slug = "werk"  # its later pages depend on the first answers
    start(page, slug, language, width)
    known, seen = {}, []
    while page.locator("form#answers").count():
        seen.append(progress(page))
        go_on(page, slug, known)
    assert len(seen) >= 3
    totals = [total for _, total in seen]
    fractions = [value / total for value, total in seen]
    assert totals == sorted(totals, reverse=True), seen  # the number of pages never grows
    assert all(a < b for a, b in zip(fractions, fractions[1:])), seen
    assert seen[-1][0] == seen[-1][1]  # the last page is the last

"""Skip logic may only look back: forward references, same-page references and cycles."""

from .test_reader import VALID, problems_of


def test_a_forward_reference_is_reported(tmp_path):
    text = VALID.replace(
        "        options:\n          loket",
        "        show_if: tevreden == 4\n        options:\n          loket",
    ).replace("        show_if: kanaal == 'loket'\n", "")
    found = problems_of(tmp_path, text)
    assert any("show_if of question 'kanaal' uses 'tevreden', which comes later" in p for p in found), found


def test_a_cycle_is_reported_once_with_its_path(tmp_path):
    text = VALID.replace(
        "        options:\n          loket",
        "        constraint: tevreden != 1\n        constraint_message: Nee.\n        options:\n          loket",
    )
    found = problems_of(tmp_path, text)
    assert any("the skip logic forms a cycle: kanaal -> tevreden -> kanaal" in p for p in found), found


def test_a_show_if_on_the_same_page_is_refused(tmp_path):
    text = VALID.replace(
        "  - key: twee\n    title: Tweede pagina\n    questions:\n",
        "",
    )
    found = problems_of(tmp_path, text)
    assert any("which is on the same page" in p for p in found), found

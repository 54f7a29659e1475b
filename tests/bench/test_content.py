"""The load bench's same-flow questionnaire (bench/content): one package that today's code and
the code before issue 14 (c8b1c21) both load, and that bench/answers.py answers validly."""

import yaml

from bench.answers import answer_page
from bench.databases import read_content_definitions
from survey_app.content.answers import check_page, check_response, is_shown, visible_pages

from ..conftest import ROOT, make_app

CONTENT = ROOT / "bench" / "content"
# What the reader of c8b1c21 accepted (survey_app/content/reader.py TOP_KEYS, types.py
# COMMON_KEYS and the keys of the types used): anything else, and it refuses the file.
OLD_TOP_KEYS = {
    "slug", "version", "state", "title", "table", "central_question", "intro", "consent",
    "recommendations", "pages", "k_anonymity",
}
OLD_QUESTION_KEYS = {
    "key", "type", "text", "help", "required", "recommendations", "source", "show_if",
    "constraint", "constraint_message", "quasi_identifier", "options", "options_from", "max_length",
}


def only_definition():
    [definition] = read_content_definitions(CONTENT)
    return definition


def test_the_package_passes_check_and_lint(database_url):
    runner = make_app(database_url, QUESTIONNAIRES_DIR=str(CONTENT)).test_cli_runner()
    for command in ("check", "lint"):
        result = runner.invoke(args=["questionnaires", command])
        assert result.exit_code == 0, result.output
        assert ". Fix: " not in result.output


def test_one_questionnaire_of_15_questions_on_3_pages_in_the_format_of_c8b1c21():
    definition = only_definition()
    assert definition.state == "published"
    assert [len(page.questions) for page in definition.pages] == [5, 5, 5]
    types = {question.type for page in definition.pages for question in page.questions}
    assert types == {"single_choice", "scale", "text"}
    assert not definition.forms
    [path] = CONTENT.glob("*.yaml")
    document = yaml.safe_load(path.read_text())
    assert set(document) <= OLD_TOP_KEYS
    assert "%(minuten)s" not in document["consent"]  # c8b1c21 would show it as it is
    for page in document["pages"]:
        assert "include" not in page  # no modules before issue 14
        for question in page["questions"]:
            assert set(question) <= OLD_QUESTION_KEYS, question["key"]
            assert "options_from" not in question  # the package has no lists/


def test_bench_answers_are_accepted_on_every_page_and_fill_every_question_shown():
    definition = only_definition()
    known: dict = {}
    for number in (1, 2, 3):
        before = dict(known)
        raw, last = answer_page(definition, number, known)
        page = visible_pages(definition, before)[number - 1]
        values, errors = check_page(page, before, raw)
        assert errors == {}
        shown = {name for question in page.questions if is_shown(question, before) for name in question.variables}
        assert set(values) == shown
        assert last == (number == 3)
    # the skip logic's question is shown (geholpen is 'nee'), so every one of the 15 is answered
    clean, errors = check_response(definition, known)
    assert errors == {}
    assert len(clean) == 15

"""The offline renderer's questionnaire JSON, and the browser's evaluator against the server's."""

import json
import math
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings

from survey_app.content.client import client_definition
from survey_app.content.expressions import parse_expression
from survey_app.content.reader import read_package

from ..conftest import QUESTIONNAIRES, ROOT
from .test_expressions import TODAY, answers, compound, source_of

EVALUATOR = ROOT / "survey_app" / "static" / "expressions.js"
DEFINITIONS, _ = read_package(QUESTIONNAIRES)


def plain_options(question):
    return [(value, str(value)) for value in question.answer_values]


@pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda d: d.slug)
def test_every_questionnaire_becomes_json_with_all_its_variables(definition):
    data = client_definition(definition, translate=lambda key, text: text, options=plain_options)
    data = json.loads(json.dumps(data))
    variables = [name for page in data["pages"] for q in page["questions"] for name in q.get("variables", [q["key"]])]
    assert variables == definition.variables()
    assert (data["slug"], data["version"]) == (definition.slug, definition.version)
    for page in data["pages"]:
        for question in page["questions"]:
            assert question["text"]
            if question["type"] in ("single_choice", "multiple_choice", "agreement", "scale", "matrix"):
                assert question["options"]


def test_texts_go_through_translate_with_their_message_keys():
    definition = DEFINITIONS[0]
    keys = []
    client_definition(definition, translate=lambda key, text: keys.append(key) or text, options=plain_options)
    assert {"title", "intro", "consent", "central_question"} <= set(keys)
    first = definition.pages[0]
    assert f"page.{first.key}" in keys and f"{first.questions[0].key}.text" in keys


# --- the browser's evaluator: one node process answers every case ------------------------------

NODE_LOOP = """
const X = require(process.argv[1]);
const lines = require("readline").createInterface({input: process.stdin});
lines.on("line", (line) => {
  const c = JSON.parse(line);
  const d = c.today.split("-").map(Number), today = new Date(d[0], d[1] - 1, d[2]);
  const value = X.evaluate(c.tree, c.values, today), isTrue = X.isTrue(c.tree, c.values, today);
  const inf = (v) => typeof v === "number" && !isFinite(v) ? "inf" : v;
  process.stdout.write(JSON.stringify({value: value === undefined ? "undefined" : value, isTrue}, (k, v) => inf(v)) + "\\n");
});
"""


@pytest.fixture(scope="module")
def browser_evaluator():
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    process = subprocess.Popen([node, "-e", NODE_LOOP, str(EVALUATOR)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)

    def evaluate(tree, values):
        process.stdin.write(json.dumps({"tree": tree, "values": values, "today": TODAY.isoformat()}) + "\n")
        process.stdin.flush()
        return json.loads(process.stdout.readline())

    yield evaluate
    process.stdin.close()
    process.wait(timeout=10)
    process.stdout.close()


def alike(browser, server):
    """Return True when a JSON value from the browser equals a Python value (3.0 and 3 alike)."""
    if isinstance(server, float) and math.isinf(server):
        return browser == "inf"
    if isinstance(server, bool) or isinstance(browser, bool):
        return browser is server
    if isinstance(server, (int, float)):
        return isinstance(browser, (int, float)) and browser == server
    if isinstance(server, list):
        return isinstance(browser, list) and len(browser) == len(server) and all(map(alike, browser, server))
    return browser == server


def agree(evaluate, source, values):
    expression = parse_expression(source)
    server = expression.evaluate(values, today=TODAY)
    browser = evaluate(json.loads(json.dumps(expression.tree)), values)
    assert alike(browser["value"], server), (source, values, browser, server)
    assert browser["isTrue"] is expression.is_true(values, today=TODAY), (source, values)


QUESTIONNAIRE_EXPRESSIONS = sorted({
    expression.source
    for definition in DEFINITIONS
    for item in [*definition.pages, *definition.questions()]
    for expression in (item.show_if, getattr(item, "constraint", None))
    if expression is not None
})


@pytest.mark.parametrize("source", QUESTIONNAIRE_EXPRESSIONS)
def test_the_browser_evaluates_every_questionnaire_expression_like_the_server(browser_evaluator, source):
    names = sorted(parse_expression(source).names)
    samples = [{}, {name: "andere" for name in names}, {name: 1 for name in names},
               {name: ["sport", "andere"] for name in names}, {name: 2000 for name in names}]
    for values in samples:
        agree(browser_evaluator, source, values)


@settings(max_examples=300, deadline=None)
@given(compound, answers)
def test_the_browser_evaluates_generated_expressions_like_the_server(browser_evaluator, tree, values):
    agree(browser_evaluator, source_of(tree), values)


def test_the_evaluator_is_plain_javascript_without_eval():
    text = Path(EVALUATOR).read_text(encoding="utf-8")
    assert "eval(" not in text and "Function(" not in text

"""Tests for survey_app.content.expressions: semantics, errors, limits and properties."""

import ast
import datetime
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from survey_app.content import expressions
from survey_app.content.expressions import Expression, ExpressionError, parse_expression

TODAY = datetime.date(2024, 5, 1)
ACTIVITIES = {"activiteiten": ["sport", "cultuur"]}


def same(actual: object, expected: object) -> bool:
    """Return True when both values are equal and of the same type (True is not 1, 3.0 is not 3)."""
    if isinstance(expected, list):
        return (isinstance(actual, list) and len(actual) == len(expected)
                and all(map(same, actual, expected)))
    return type(actual) is type(expected) and actual == expected


def run(source: str, values: dict | None = None) -> object:
    return parse_expression(source).evaluate(values or {}, today=TODAY)


# --- evaluation, table-driven ---------------------------------------------------------------

LITERALS = [
    ("1", {}, 1),
    ("2.5", {}, 2.5),
    ("007", {}, 7),
    ("'loket'", {}, "loket"),
    ('"loket"', {}, "loket"),
    (r"'it\'s'", {}, "it's"),
    (r'"a\"b"', {}, 'a"b'),
    (r"'back\\slash'", {}, "back\\slash"),
    ("'say \"hi\"'", {}, 'say "hi"'),
    ("'(('", {}, "(("),
    ("true", {}, True),
    ("false", {}, False),
    ("null", {}, None),
    ("[]", {}, []),
    ("[1, 'a', [true, null]]", {}, [1, "a", [True, None]]),
    ("[a, 1 + 1]", {"a": 3}, [3, 2]),
    ("kanaal", {"kanaal": "loket"}, "loket"),
    ("onbekend", {}, None),
    ("x_1", {"x_1": 4}, 4),
    ("andy + nota + iny + truely", {"andy": 1, "nota": 2, "iny": 3, "truely": 4}, 10),
    ("  kanaal\n == 'loket'\t", {"kanaal": "loket"}, True),
]

ARITHMETIC = [
    ("1 + 2", {}, 3),
    ("7 - 10", {}, -3),
    ("6 * 7", {}, 42),
    ("7 / 2", {}, 3.5),
    ("1.5 * 2", {}, 3.0),
    ("-3", {}, -3),
    ("--3", {}, 3),
    ("- a", {"a": 2}, -2),
    ("1 / 0", {}, None),
    ("a / b", {"a": 1, "b": 0}, None),
    ("a + 1", {}, None),
    ("a * 2", {"a": None}, None),
    ("'a' + 'b'", {}, None),
    ("'ab' * 3", {}, None),
    ("true + 1", {}, None),
    ("-'a'", {}, None),
    ("-true", {}, None),
    ("a - 1", {"a": "5"}, None),
    ("[1] + [2]", {}, None),
    (" * ".join(["999999999999999"] * 25) + " * 1.5", {}, None),
    (" * ".join(["999999999999999"] * 25) + " / 3", {}, None),
]

PRECEDENCE = [
    ("1 + 2 * 3", {}, 7),
    ("(1 + 2) * 3", {}, 9),
    ("10 - 4 - 3", {}, 3),
    ("10 - (4 - 3)", {}, 9),
    ("24 / 4 / 2", {}, 3.0),
    ("2 * -3", {}, -6),
    ("-2 * 3 + 1", {}, -5),
    ("-(2 + 3)", {}, -5),
    ("1 + 2 == 3", {}, True),
    ("2 * 3 in [6]", {}, True),
    ("1 + 1 not in [2]", {}, False),
    ("not 1 == 2", {}, True),
    ("not false and false", {}, False),
    ("true or false and false", {}, True),
    ("false and true or true", {}, True),
    ("not true or true", {}, True),
    ("(1 < 2) == true", {}, True),
    ("((((a))))", {"a": 1}, 1),
]

COMPARISONS = [
    ("1 == 1", {}, True),
    ("1 == 1.0", {}, True),
    ("1 != 2", {}, True),
    ("1 != 1", {}, False),
    ("1 < 2", {}, True),
    ("2 < 2", {}, False),
    ("2 <= 2", {}, True),
    ("3 > 2", {}, True),
    ("2 >= 3", {}, False),
    ("'a' < 'b'", {}, True),
    ("'b' >= 'a'", {}, True),
    ("'a' == 'a'", {}, True),
    ("3 == '3'", {}, False),
    ("3 != '3'", {}, True),
    ("3 < '4'", {}, False),
    ("'3' >= 3", {}, False),
    ("true == 1", {}, False),
    ("true == true", {}, True),
    ("true > false", {}, False),
    ("1 < true", {}, False),
    ("[1, 2] == [1, 2]", {}, True),
    ("[1] == [true]", {}, False),
    ("[1] < [2]", {}, False),
    ("geboortejaar <= 2008", {"geboortejaar": 1990}, True),
    ("score >= 7", {"score": 7.5}, True),
]

NULLS = [
    ("x == 1", {}, False),
    ("x != 1", {}, False),
    ("x < 1", {}, False),
    ("x >= 1", {}, False),
    ("1 > x", {}, False),
    ("x == y", {}, False),
    ("x != y", {}, False),
    ("x == null", {}, True),
    ("x == null", {"x": 0}, False),
    ("x != null", {"x": 0}, True),
    ("x != null", {}, False),
    ("null == x", {}, True),
    ("(null) != x", {"x": ""}, True),
    ("null == null", {}, True),
    ("null != null", {}, False),
    ("null < 1", {}, False),
    ("x + 1 == null", {}, True),
    ("x in [1]", {}, False),
    ("x not in [1]", {}, False),
    ("1 in x", {}, False),
    ("1 not in x", {}, False),
    ("null in [null]", {}, False),
    ("x == ''", {"x": ""}, True),
]

MEMBERSHIP = [
    ("'sport' in activiteiten", ACTIVITIES, True),
    ("'muziek' in activiteiten", ACTIVITIES, False),
    ("'muziek' not in activiteiten", ACTIVITIES, True),
    ("'sport' not in activiteiten", ACTIVITIES, False),
    ("'sport' in activiteiten", {"activiteiten": []}, False),
    ("'sport' in activiteiten", {"activiteiten": ("sport",)}, True),
    ("kanaal in ['loket', 'afspraak']", {"kanaal": "loket"}, True),
    ("kanaal in ['loket', 'afspraak']", {"kanaal": "mail"}, False),
    ("kanaal not in ['loket']", {"kanaal": "mail"}, True),
    ("1 in ['1']", {}, False),
    ("1 in [1.0]", {}, True),
    ("true in [1]", {}, False),
    ("'loket' in kanaal", {"kanaal": "loket"}, True),
    ("'lok' in kanaal", {"kanaal": "loket"}, False),
    ("[1] in [[1], 2]", {}, True),
    ("5 in []", {}, False),
]

FUNCTIONS = [
    ("answered(x)", {}, False),
    ("answered(x)", {"x": ""}, False),
    ("answered(x)", {"x": []}, False),
    ("answered(x)", {"x": ()}, False),
    ("answered(x)", {"x": 0}, True),
    ("answered(x)", {"x": False}, True),
    ("answered(x)", {"x": "a"}, True),
    ("answered(x)", {"x": ["a"]}, True),
    ("count(x)", {"x": ["a", "b"]}, 2),
    ("count(x)", {"x": []}, 0),
    ("count(x)", {}, 0),
    ("count(x)", {"x": "loket"}, 1),
    ("count(x)", {"x": 5}, 1),
    ("count([1, 2, 3])", {}, 3),
    ("year()", {}, 2024),
    ("year() - 16", {}, 2008),
    ("year", {"year": 1}, 1),
    ("count(count)", {"count": [1]}, 1),
]

LOGIC = [
    ("true and true", {}, True),
    ("true and false", {}, False),
    ("false or true", {}, True),
    ("false or false", {}, False),
    ("not true", {}, False),
    ("not false", {}, True),
    ("not not true", {}, True),
    ("not x", {}, True),
    ("not x", {"x": 0}, True),
    ("not x", {"x": "a"}, False),
    ("not x", {"x": []}, True),
    ("x and true", {"x": "a"}, True),
    ("x or false", {}, False),
    ("1 and 2", {}, True),
    ("x or y", {"x": 0, "y": ""}, False),
    ("x and y", {"x": [1], "y": 2.5}, True),
]

README = [
    ("kanaal in ['loket', 'afspraak']", {"kanaal": "afspraak"}, True),
    ("kanaal in ['loket', 'afspraak']", {"kanaal": "telefoon"}, False),
    ("kanaal in ['loket', 'afspraak']", {}, False),
    ("'sport' in activiteiten and count(activiteiten) > 1", ACTIVITIES, True),
    ("'sport' in activiteiten and count(activiteiten) > 1", {"activiteiten": ["sport"]}, False),
    ("'sport' in activiteiten and count(activiteiten) > 1", {}, False),
    ("geboortejaar <= year() - 16", {"geboortejaar": 2008}, True),
    ("geboortejaar <= year() - 16", {"geboortejaar": 2009}, False),
    ("geboortejaar <= year() - 16", {}, False),
]


TABLE = (LITERALS + ARITHMETIC + PRECEDENCE + COMPARISONS + NULLS + MEMBERSHIP + FUNCTIONS + LOGIC
         + README)


@pytest.mark.parametrize(("source", "values", "expected"), TABLE)
def test_evaluate(source: str, values: dict, expected: object) -> None:
    assert same(run(source, values), expected), (source, run(source, values), expected)


@pytest.mark.parametrize(
    ("source", "values", "expected"),
    [
        ("kanaal == 'loket'", {"kanaal": "loket"}, True),
        ("kanaal == 'loket'", {}, False),
        ("kanaal", {"kanaal": "loket"}, False),
        ("kanaal", {"kanaal": True}, True),
        ("1", {}, False),
        ("null", {}, False),
        ("not x", {}, True),
    ],
)
def test_is_true_counts_only_a_real_true(source: str, values: dict, expected: bool) -> None:
    assert parse_expression(source).is_true(values, today=TODAY) is expected


def test_year_uses_today_by_default() -> None:
    assert parse_expression("year()").evaluate({}) == datetime.date.today().year
    assert parse_expression("year() == 1999").is_true({}, today=datetime.date(1999, 12, 31))


@pytest.mark.parametrize(
    ("source", "names"),
    [
        ("1 + 2", set()),
        ("kanaal in ['loket']", {"kanaal"}),
        ("'sport' in activiteiten and count(activiteiten) > 1", {"activiteiten"}),
        ("answered(a) or b_c == year() or [d, [e]] == x", {"a", "b_c", "d", "e", "x"}),
        ("year == count(count)", {"year", "count"}),
    ],
)
def test_names(source: str, names: set[str]) -> None:
    assert parse_expression(source).names == frozenset(names)


def test_parsed_expressions_are_cached_and_compare_by_source() -> None:
    first = parse_expression("a == 1")
    assert parse_expression("a == 1") is first
    assert first == Expression("a == 1", frozenset({"a"}), ("const", True))
    assert hash(first) == hash("a == 1")
    assert first != parse_expression("a == 2")
    assert repr(first) == "Expression('a == 1')"


# --- errors -------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("source", "column", "fragment"),
    [
        ("a < b < c", 7, "comparisons cannot be chained"),
        ("a == b != c", 8, "comparisons cannot be chained"),
        ("a in b in c", 8, "comparisons cannot be chained"),
        ("a < b not in c", 7, "comparisons cannot be chained"),
        ("a == 1)", 7, "unexpected ')' at column 7; check that every '(' has a matching ')'"),
        ("(a == 1", 8, "before a bracket is closed"),
        ("[1, 2", 6, "before a bracket is closed"),
        ("a ==", 5, "ends too early"),
        ("a +", 4, "a value is missing"),
        ("()", 2, "expected a value"),
        ("[1,]", 4, "expected a value"),
        ("a and or b", 7, "expected a value"),
        ("a * * b", 5, "expected a value"),
        ("Kanaal == 1", 1, "lowercase"),
        ("kanaal == True", 11, "lowercase"),
        ("café == 1", 4, "letters a to z"),
        ("kanaal = 'loket'", 8, "use '=='"),
        ("kanaal == 'loket", 11, "no closing quote"),
        ('kanaal == "loket', 11, "no closing quote"),
        ("kanaal == aan het loket", 15, "a text value must be in quotes"),
        ("kanaal == 'a' 'b'", 15, "operator"),
        ("x == 1 1", 8, "operator such as 'and', 'or' or '=='"),
        ("a && b", 3, "write 'and'"),
        ("a || b", 3, "write 'or'"),
        ("!a", 1, "write 'not'"),
        ("a == not b", 6, "before a whole condition"),
        ("a not b", 7, "followed by 'in'"),
        ("a not", 6, "followed by 'in'"),
        ("1,5 > a", 2, "comma"),
        ("2. > a", 2, "decimal"),
        ("a # b", 3, "unexpected '#'"),
        (r"'a\nb'", 3, "escape"),
        ("cnt(a) > 1", 1,
         "unknown function 'cnt' at column 1; the functions are answered(x), count(x) and year()"),
        ("a or Count(a)", 6, "lowercase"),
        ("1 + count() > 1", 5, "count() at column 5 takes exactly one value"),
        ("count(a, b)", 1, "exactly one value"),
        ("year(1)", 1, "no values"),
        ("a == 1234567890123456", 6, "more than 15 digits"),
        ("a == 1234567.123456789", 6, "more than 15 digits"),
        ("", None, "empty"),
        ("  \n ", None, "empty"),
    ],
)
def test_errors(source: str, column: int | None, fragment: str) -> None:
    with pytest.raises(ExpressionError) as raised:
        parse_expression(source)
    assert raised.value.column == column
    assert fragment in raised.value.message
    assert str(raised.value) == raised.value.message
    if column is not None:
        assert f"column {column}" in raised.value.message


def test_error_is_a_value_error_without_lark_context() -> None:
    with pytest.raises(ValueError) as raised:
        parse_expression("a <")
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


@pytest.mark.parametrize("source", [True, 3, None, ["a"]])
def test_non_text_is_refused(source: object) -> None:
    with pytest.raises(ExpressionError, match="must be text"):
        parse_expression(source)  # type: ignore[arg-type]


# --- limits -------------------------------------------------------------------------------------

def test_length_limit() -> None:
    assert parse_expression("a" + " " * 499).names == {"a"}
    with pytest.raises(ExpressionError, match="501 characters long; the limit is 500") as raised:
        parse_expression("a" + " " * 500)
    assert raised.value.column is None


@pytest.mark.parametrize("open_, close", [("(", ")"), ("[", "]")])
def test_bracket_limit(open_: str, close: str) -> None:
    assert parse_expression(open_ * 50 + "1" + close * 50)
    with pytest.raises(ExpressionError, match="nested more than 50 deep at column 51") as raised:
        parse_expression(open_ * 51 + "1" + close * 51)
    assert raised.value.column == 51


def test_brackets_inside_text_do_not_count() -> None:
    assert run("'" + "(" * 60 + "' == x", {"x": "(" * 60}) is True
    assert run(r"'\'" + "[" * 60 + "' == x", {"x": "'" + "[" * 60}) is True


def test_deep_operator_chains_never_overflow_the_stack() -> None:
    with pytest.raises(ExpressionError, match="levels deep"):
        parse_expression("-" * 499 + "1")
    assert run("-" * 150 + "1") == 1
    assert run("not " * 120 + "x") is False
    assert run("+".join(["1"] * 250)) == 250
    assert run(" or ".join(["a"] * 90) + " or true") is True


def test_digit_limit() -> None:
    assert run("999999999999999") == 999999999999999
    assert run("1234567.12345678") == 1234567.12345678


# --- the module itself ----------------------------------------------------------------------

def test_module_never_imports_flask_or_runs_code() -> None:
    module = Path(expressions.__file__)
    assert module.with_name("expressions.lark").is_file()
    tree = ast.parse(module.read_text(encoding="utf-8"))
    nodes = list(ast.walk(tree))
    imported = {alias.name.split(".")[0]
                for node in nodes if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0]
                 for node in nodes if isinstance(node, ast.ImportFrom) and node.module}
    assert "flask" not in imported and "ast" not in imported
    called = {node.func.id for node in nodes
              if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    assert not called & {"eval", "exec", "compile", "__import__"}


# --- properties ---------------------------------------------------------------------------------

MODEST = settings(max_examples=200, deadline=None)
TOKEN_SOUP = st.text(alphabet=" ()[]'\"\\,=<>!+-*/.anotrudlcyeiK0123456789_", max_size=60)


@MODEST
@given(st.one_of(st.text(max_size=80), TOKEN_SOUP))
def test_any_text_parses_or_raises_expression_error(text: str) -> None:
    try:
        expression = parse_expression(text)
    except ExpressionError as error:
        assert error.message and (error.column is None or 1 <= error.column <= len(text) + 1)
        return
    assert isinstance(expression, Expression)
    expression.evaluate({}, today=TODAY)


# Generated expressions are tuple trees: a reference renderer turns them into source, and a
# reference evaluator, written from the README independently of the module, gives the answer.
NAMES = ["a", "kanaal", "nota", "iny", "x_1"]
OR, AND, NOT, CMP, SUM, PRODUCT, UNARY, ATOM = range(1, 9)
COMPARISON_OPERATORS = ["==", "!=", "<", "<=", ">", ">=", "in", "not in"]

numbers = st.one_of(
    st.integers(0, 12),
    st.integers(0, 10**6),
    st.tuples(st.integers(0, 999), st.integers(0, 99)).map(lambda p: f"{p[0]}.{p[1]}"),
).map(lambda n: ("num", str(n)))
literals = st.one_of(
    numbers,
    st.tuples(st.just("str"), st.text(alphabet="ab1 '\"\\", max_size=4), st.sampled_from("'\"")),
    st.sampled_from([("true",), ("false",), ("null",), ("call", "year", ())]),
)
# Half the leaves are names, so comparisons often meet answers (and missing answers).
leaves = st.one_of(st.sampled_from(NAMES).map(lambda name: ("name", name)), literals)


def extend(children: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(
        st.tuples(st.sampled_from(["neg", "not", "paren"]), children),
        st.tuples(st.sampled_from(["and", "or"]), children, children),
        st.tuples(st.just("arith"), st.sampled_from("+-*/"), children, children),
        st.tuples(st.just("cmp"), st.sampled_from(COMPARISON_OPERATORS), children, children),
        st.tuples(st.just("list"), st.lists(children, max_size=3).map(tuple)),
        st.tuples(st.just("call"), st.sampled_from(["answered", "count"]),
                  children.map(lambda child: (child,))),
    )


trees = st.recursive(leaves, extend, max_leaves=16)
compound = extend(trees)  # an operator at the top, so its result reaches the assertion
answer = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 12),
    st.floats(-100, 100, allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "a", "b", "1", "a'b"]),
    st.lists(st.one_of(st.sampled_from(["a", "b", "1"]), st.integers(0, 3)), max_size=3),
)
answers = st.fixed_dictionaries({}, optional={name: answer for name in NAMES})


def render(node: tuple) -> tuple[str, int]:
    """Return the source of a tree (brackets only where precedence needs them) and its level."""
    kind = node[0]

    def operand(child: tuple, minimum: int) -> str:
        text, level = render(child)
        return text if level >= minimum else f"({text})"

    if kind == "num":
        return node[1], ATOM
    if kind == "str":
        quote = node[2]
        return quote + node[1].replace("\\", "\\\\").replace(quote, "\\" + quote) + quote, ATOM
    if kind in {"true", "false", "null"}:
        return kind, ATOM
    if kind == "name":
        return node[1], ATOM
    if kind == "paren":
        return f"({render(node[1])[0]})", ATOM
    if kind == "list":
        return "[" + ", ".join(render(child)[0] for child in node[1]) + "]", ATOM
    if kind == "call":
        return node[1] + "(" + ", ".join(render(child)[0] for child in node[2]) + ")", ATOM
    if kind == "neg":
        return "-" + operand(node[1], UNARY), UNARY
    if kind == "not":
        return "not " + operand(node[1], NOT), NOT
    if kind in {"and", "or"}:
        level = AND if kind == "and" else OR
        return f"{operand(node[1], level)} {kind} {operand(node[2], level)}", level
    if kind == "arith":
        level = SUM if node[1] in "+-" else PRODUCT
        return f"{operand(node[2], level)} {node[1]} {operand(node[3], level + 1)}", level
    return f"{operand(node[2], SUM)} {node[1]} {operand(node[3], SUM)}", CMP


def children_of(node: tuple) -> tuple:
    kind = node[0]
    parts = node[1] if kind == "list" else node[2] if kind == "call" else node[1:]
    return tuple(part for part in parts if isinstance(part, tuple))


def height(node: tuple) -> int:
    return 1 + max(map(height, children_of(node)), default=0)


def source_of(tree: tuple) -> str:
    """Return the rendered source of a generated tree that stays within the module's limits."""
    source = render(tree)[0]
    assume(len(source) <= expressions.MAX_LENGTH and height(tree) <= 40)
    return source


def used_names(node: tuple) -> set[str]:
    kind = node[0]
    if kind == "name":
        return {node[1]}
    return set().union(*map(used_names, children_of(node)))


def is_number(value: object) -> bool:
    return type(value) in (int, float)


def equal(left: object, right: object) -> bool:
    if is_number(left) and is_number(right):
        return left == right
    if isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
        return len(left) == len(right) and all(equal(x, y) for x, y in zip(left, right))
    if type(left) is not type(right) or isinstance(left, (list, tuple)):
        return False
    return left == right


def truthy(value: object) -> bool:
    return value not in (None, False, 0, "", []) and value != ()


def reference(node: tuple, values: dict) -> object:
    """Evaluate a generated tree the way the README describes the language."""
    kind = node[0]
    if kind == "num":
        return float(node[1]) if "." in node[1] else int(node[1])
    if kind == "str":
        return node[1]
    if kind in {"true", "false", "null"}:
        return {"true": True, "false": False, "null": None}[kind]
    if kind == "name":
        return values.get(node[1])
    if kind == "paren":
        return reference(node[1], values)
    if kind == "list":
        return [reference(child, values) for child in node[1]]
    if kind == "call":
        if node[1] == "year":
            return TODAY.year
        value = reference(node[2][0], values)
        if node[1] == "answered":
            return value is not None and value != "" and value != [] and value != ()
        return len(value) if isinstance(value, (list, tuple)) else 0 if value is None else 1
    if kind == "neg":
        value = reference(node[1], values)
        return -value if is_number(value) else None
    if kind == "not":
        return not truthy(reference(node[1], values))
    if kind == "and":
        return truthy(reference(node[1], values)) and truthy(reference(node[2], values))
    if kind == "or":
        return truthy(reference(node[1], values)) or truthy(reference(node[2], values))
    if kind == "arith":
        left, right = reference(node[2], values), reference(node[3], values)
        if not (is_number(left) and is_number(right)):
            return None
        if node[1] == "/":
            return None if right == 0 else left / right
        return {"+": left + right, "-": left - right, "*": left * right}[node[1]]
    operator, left_node, right_node = node[1:]

    def literal_null(child: tuple) -> bool:
        return child == ("null",) or child[0] == "paren" and literal_null(child[1])

    if operator in {"==", "!="} and (literal_null(left_node) or literal_null(right_node)):
        other = right_node if literal_null(left_node) else left_node
        return (reference(other, values) is None) == (operator == "==")
    left, right = reference(left_node, values), reference(right_node, values)
    if left is None or right is None:
        return False
    if operator in {"in", "not in"}:
        items = right if isinstance(right, (list, tuple)) else [right]
        found = any(equal(left, item) for item in items)
        return found == (operator == "in")
    if operator == "==":
        return equal(left, right)
    if operator == "!=":
        return not equal(left, right)
    if not (is_number(left) and is_number(right) or type(left) is str and type(right) is str):
        return False
    return {"<": left < right, "<=": left <= right, ">": left > right,
            ">=": left >= right}[operator]


@MODEST
@given(compound, answers)
def test_generated_expressions_parse_and_evaluate(tree: tuple, values: dict) -> None:
    source = source_of(tree)
    expression = parse_expression(source)
    assert expression.names == used_names(tree)
    result = expression.evaluate(values, today=TODAY)
    assert result is None or isinstance(result, (bool, int, float, str, list))


@MODEST
@given(compound, answers)
def test_generated_expressions_agree_with_the_reference(tree: tuple, values: dict) -> None:
    source = source_of(tree)
    actual = parse_expression(source).evaluate(values, today=TODAY)
    expected = reference(tree, values)
    assert same(actual, expected), (source, values, actual, expected)
    assert parse_expression(source).is_true(values, today=TODAY) is (expected is True)


# The compiled evaluator (Expression.evaluate) against the tree walk it replaced (_evaluate),
# on generated expressions and on the shapes it compiles specially: a name compared with a
# constant, a name in a list of texts, a text in a name; answers of every kind that can meet them.
tricky_answer = st.one_of(
    answer, st.sampled_from([0, 1, 1.0, 3, 3.0, True, False, "3", "kanaal", [], (), ("a",), ["a", 1], [["a"]]]),
)
tricky_answers = st.fixed_dictionaries({}, optional={name: tricky_answer for name in NAMES})
constants = st.one_of(
    st.sampled_from(["'a'", "'b'", "'1'", "'3'", "''", "1", "3", "3.0", "0", "true", "false", "null", "[]", "['a']"]),
)
special = st.one_of(
    st.builds(lambda n, o, c, flip: f"{c} {o} {n}" if flip else f"{n} {o} {c}",
              st.sampled_from(NAMES), st.sampled_from(COMPARISON_OPERATORS), constants, st.booleans()),
    st.builds(lambda n, o, cs: f"{n} {o} [{', '.join(cs)}]",
              st.sampled_from(NAMES), st.sampled_from(["in", "not in"]), st.lists(constants, max_size=4)),
    st.builds(lambda n, o, c: f"{c} {o} {n}",
              st.sampled_from(NAMES), st.sampled_from(["in", "not in"]), constants),
)


def agree_with_the_walk(source: str, values: dict) -> None:
    expression = parse_expression(source)
    walked = expressions._evaluate(expression.tree, values, TODAY)
    assert same(expression.evaluate(values, today=TODAY), walked), (source, values)
    assert expression.is_true(values, today=TODAY) is (walked is True)


@MODEST
@given(compound, tricky_answers)
def test_compiled_expressions_agree_with_the_tree_walk(tree: tuple, values: dict) -> None:
    agree_with_the_walk(source_of(tree), values)


@MODEST
@given(st.lists(special, min_size=1, max_size=3), st.sampled_from([" and ", " or "]), st.booleans(), tricky_answers)
def test_compiled_special_shapes_agree_with_the_tree_walk(parts: list, joiner: str, negate: bool, values: dict) -> None:
    source = joiner.join(f"({part})" for part in parts)
    agree_with_the_walk(f"not ({source})" if negate else source, values)


def test_compiled_year_asks_for_the_day_only_when_none_is_given() -> None:
    expression = parse_expression("year() >= 2024")
    assert expression.evaluate({}, today=TODAY) is True
    assert expression.evaluate({}) is (datetime.date.today().year >= 2024)
    assert parse_expression("year()").evaluate({}, today=datetime.date(1999, 1, 1)) == 1999

"""The expression language of show_if and constraint: parsed with Lark into a tree, which is
compiled once into nested Python closures (no Python source is generated or run).

Semantics (see "Expressions" in questionnaires/README.md):

- A name that has no value evaluates to None (null). Comparisons (==, !=, <, <=, >, >=, in,
  not in) with None on either side are False; only a literal ``null`` asks for None:
  ``x == null`` is True when x is None, ``x != null`` when it is not.
- No coercion: numbers compare with numbers and text with text. ``3 == '3'`` is False,
  ``3 != '3'`` is True, and ordering across kinds (or of true/false) is False.
- ``v in x`` looks for v in the list x (a multiple-choice answer); a single value x counts
  as a list of one, like count(x) does.
- Arithmetic needs two numbers; anything else, division by zero and overflow give None.
- and, or and not return true or false. A value counts as true when it is true, a non-zero
  number, non-empty text or a non-empty list; None counts as false, so ``not x`` is True
  when x is missing. Expression.is_true is stricter: only a real True shows a page.
"""

import datetime
import functools
import operator as op
from collections.abc import Mapping
from pathlib import Path

from lark import Lark, Token, Tree
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedInput, UnexpectedToken

MAX_LENGTH = 500
MAX_BRACKETS = 50
MAX_DEPTH = 200  # tree levels; keeps the recursive walk far below Python's recursion limit
MAX_DIGITS = 15
FUNCTIONS = {"answered": 1, "count": 1, "year": 0}
_KNOWN = "answered(x), count(x) and year()"
_ORDER = {"<": op.lt, "<=": op.le, ">": op.gt, ">=": op.ge}
_parser = Lark(Path(__file__).with_name("expressions.lark").read_text(encoding="utf-8"),
               parser="lalr", lexer="basic", start="expr", maybe_placeholders=False)


class ExpressionError(ValueError):
    """A parse error; .column (1-based, or None) and a plain-English .message with the fix.

    Evaluation never raises: missing answers and mismatched types give None or False.
    """

    def __init__(self, message: str, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


class Expression:
    """A parsed expression; build one with parse_expression()."""

    __slots__ = ("source", "names", "_node", "_run")

    def __init__(self, source: str, names: frozenset[str], node: tuple) -> None:
        self.source = source
        self.names = names
        self._node = node
        # Compiled once: walking the tuple tree on each of ~10 evaluations per request cost more.
        self._run = _compile(node)

    def evaluate(self, values: Mapping[str, object], today: datetime.date | None = None) -> object:
        """Return the value of the expression for these answers (None when it has none)."""
        return self._run(values, today)

    def is_true(self, values: Mapping[str, object], today: datetime.date | None = None) -> bool:
        """Return True only when the expression evaluates to a real True."""
        return self._run(values, today) is True

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Expression) and other.source == self.source

    def __hash__(self) -> int:
        return hash(self.source)

    def __repr__(self) -> str:
        return f"Expression({self.source!r})"

    @property
    def tree(self) -> tuple:
        """Return the evaluation tree as nested tuples: what static/expressions.js walks offline."""
        return self._node


def parse_expression(text: str) -> Expression:
    """Return the parsed expression, or raise ExpressionError saying what to fix."""
    if not isinstance(text, str):
        raise ExpressionError("an expression must be text; put it in quotes")
    return _parse(text)


@functools.lru_cache(maxsize=2048)  # the same few strings are parsed on every request
def _parse(text: str) -> Expression:
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the expression is {len(text)} characters long; the limit is "
                              f"{MAX_LENGTH}: split it over several questions or pages")
    if not text.strip():
        raise ExpressionError("the expression is empty; "
                              "write a condition such as kanaal == 'loket'")
    _check_brackets(text)
    try:
        tree = _parser.parse(text)
    except UnexpectedInput as error:
        raise _syntax_error(error, text) from None
    except LarkError as error:
        raise ExpressionError(f"the expression cannot be read ({error})") from None
    if _depth(tree) > MAX_DEPTH:
        raise ExpressionError(f"the expression is nested more than {MAX_DEPTH} levels deep; "
                              "simplify it")
    names: set[str] = set()
    node = _build(tree, names)
    return Expression(text, frozenset(names), node)


def _check_brackets(text: str) -> None:
    # Counted before parsing, skipping quoted text, so the limit has its own clear message.
    depth, quote, escaped = 0, "", False
    for position, char in enumerate(text, start=1):
        if escaped:
            escaped = False
        elif quote:
            escaped = char == "\\"
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([":
            depth += 1
            if depth > MAX_BRACKETS:
                raise ExpressionError(f"brackets are nested more than {MAX_BRACKETS} deep at "
                                      f"column {position}; simplify the expression", position)
        elif char in ")]":
            depth -= 1


def _depth(tree: Tree) -> int:
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in node.children if isinstance(child, Tree))
    return deepest


def _syntax_error(error: UnexpectedInput, text: str) -> ExpressionError:
    if isinstance(error, UnexpectedCharacters):
        return _character_error(text, error.pos_in_stream)
    if isinstance(error, UnexpectedToken):
        return _token_error(error.token, set(error.expected), text)
    return ExpressionError("the expression cannot be read; check its brackets and quotes")


def _character_error(text: str, position: int) -> ExpressionError:
    char, column = text[position], position + 1
    if char in "'\"":
        return ExpressionError(f"the text that starts at column {column} has no closing quote; "
                               f"add a {char} at its end", column)
    hints = {"=": "use '==' to compare two values", "&": "write 'and' instead of '&'",
             "|": "write 'or' instead of '|'", "!": "write 'not', or '!=' for 'is not equal to'",
             ".": "write a decimal number with digits on both sides of the point, like 2.5"}
    if char in hints:
        hint = hints[char]
    elif char.isupper():
        hint = "names and the words true, false, null, and, or, not, in are written in lowercase"
    elif char.isalpha():
        hint = "names use only the letters a to z, digits and '_'"
    else:
        hint = "an expression holds names, numbers, text in quotes, operators and brackets"
    return ExpressionError(f"unexpected '{char}' at column {column}; {hint}", column)


def _token_error(token: Token, expected: set[str], text: str) -> ExpressionError:
    # LALR says which tokens it could accept here: that tells a missing value from a missing
    # operator. Columns count from the start of the text, so a folded YAML line reads right.
    wants_value = bool(expected & {"NAME", "NUMBER", "STRING"})
    if expected == {"_IN"}:
        column = token.start_pos + 1 if token.type != "$END" else len(text.rstrip()) + 1
        return ExpressionError(f"'not' must be followed by 'in' at column {column}; to turn a "
                               "condition around, put 'not' before it: not (kanaal == 'loket')",
                               column)
    if token.type == "$END":
        column = len(text.rstrip()) + 1
        if wants_value:
            return ExpressionError(f"the expression ends too early at column {column}; "
                                   "a value is missing after the last operator", column)
        return ExpressionError(f"the expression ends at column {column} before a bracket is "
                               "closed; check that every '(' has a matching ')' and every '[' "
                               "a ']'", column)
    column = token.start_pos + 1
    found = f"'{token.value}' at column {column}"
    if wants_value and token.type == "_NOT":
        return ExpressionError(f"unexpected {found}; put 'not' before a whole condition, "
                               "as in not (kanaal == 'loket')", column)
    if wants_value:
        return ExpressionError(f"unexpected {found}; expected a value here: a name, a number, "
                               "text in quotes, true, false, null, a list or '('", column)
    if token.type in {"COMP", "_IN", "_NOT"}:
        return ExpressionError(f"unexpected {found}; comparisons cannot be chained: "
                               "write 'a < b and b < c' instead of 'a < b < c'", column)
    if token.type in {"_RPAR", "_RSQB"}:
        return ExpressionError(f"unexpected {found}; check that every '(' has a matching ')' "
                               "and every '[' a ']'", column)
    if token.type == "NAME":
        return ExpressionError(f"unexpected word {found}; a text value must be in quotes "
                               f"('{token.value}'), and conditions are joined with 'and' or 'or'",
                               column)
    if token.type == "_COMMA":
        return ExpressionError(f"unexpected {found}; a comma only separates the values in [...] "
                               "or in a function call; write decimal numbers with a point, "
                               "like 2.5", column)
    return ExpressionError(f"unexpected {found}; an operator such as 'and', 'or' or '==' "
                           "is missing before it", column)


def _build(tree: Tree, names: set[str]) -> tuple:
    """Return the evaluation node for a Lark tree; checks what the grammar cannot."""
    kind = str(tree.data)
    parts = [child for child in tree.children if isinstance(child, Tree)]
    tokens = [child for child in tree.children if isinstance(child, Token)]
    if kind == "number":
        value, column = tokens[0].value, tokens[0].start_pos + 1
        if len(value.replace(".", "")) > MAX_DIGITS:
            raise ExpressionError(f"the number at column {column} has more than {MAX_DIGITS} "
                                  "digits; use a shorter number", column)
        return ("const", float(value) if "." in value else int(value))
    if kind == "string":
        return ("const", _unquote(tokens[0]))
    if kind in {"true", "false", "null"}:
        return ("const", {"true": True, "false": False, "null": None}[kind])
    if kind == "name":
        names.add(tokens[0].value)
        return ("name", tokens[0].value)
    if kind == "call":
        name, column = tokens[0].value, tokens[0].start_pos + 1
        if name not in FUNCTIONS:
            raise ExpressionError(f"unknown function '{name}' at column {column}; "
                                  f"the functions are {_KNOWN}", column)
        if len(parts) != FUNCTIONS[name]:
            wanted = "no values" if FUNCTIONS[name] == 0 else "exactly one value"
            raise ExpressionError(f"{name}() at column {column} takes {wanted} between the "
                                  f"brackets, not {len(parts)}; the functions are {_KNOWN}", column)
        return ("call", name, tuple(_build(part, names) for part in parts))
    built = tuple(_build(part, names) for part in parts)
    if kind == "compare":
        operator = tokens[0].value
        if operator in {"==", "!="} and ("const", None) in built:
            # Only a literal null asks "is there no answer?"; other comparisons with None fail.
            other = built[1] if built[0] == ("const", None) else built[0]
            return ("is_null" if operator == "==" else "not_null", other)
        return ("compare", operator, *built)
    if kind in {"sum", "product"}:
        return ("arith", built[0], tuple(zip([t.value for t in tokens], built[1:])))
    return (kind, *built)  # not_, neg, in_, not_in, and_expr, or_expr, list


def _unquote(token: Token) -> str:
    body, result, index = token.value[1:-1], [], 0
    while index < len(body):
        if body[index] == "\\":
            index += 1
            if body[index] not in "\\'\"":
                column = token.start_pos + index + 1
                raise ExpressionError(f"unknown escape '\\{body[index]}' at column {column}; a "
                                      "backslash may only come before a quote or another backslash",
                                      column)
        result.append(body[index])
        index += 1
    return "".join(result)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_list(value: object) -> bool:
    return isinstance(value, (list, tuple))


def _truthy(value: object) -> bool:
    return value is not None and bool(value)


def _kind(value: object) -> object:
    if _is_number(value):
        return "number"
    return "list" if _is_list(value) else "text" if isinstance(value, str) else type(value)


def _equal(left: object, right: object) -> bool:
    if _kind(left) != _kind(right):
        return False
    if _is_list(left):
        return len(left) == len(right) and all(map(_equal, left, right))
    return left == right


def _compare(operator: str, left: object, right: object) -> bool:
    if left is None or right is None:
        return False
    if operator == "==":
        return _equal(left, right)
    if operator == "!=":
        return not _equal(left, right)
    both_text = isinstance(left, str) and isinstance(right, str)
    if not (both_text or _is_number(left) and _is_number(right)):
        return False
    return _ORDER[operator](left, right)


def _member(item: object, collection: object) -> bool:
    # A single answer counts as a list of one, as count() does.
    elements = collection if _is_list(collection) else [collection]
    return any(_equal(item, element) for element in elements)


def _arithmetic(operator: str, left: object, right: object) -> object:
    if not (_is_number(left) and _is_number(right)):
        return None
    try:
        if operator == "/":
            return None if right == 0 else left / right
        if operator == "*":
            return left * right
        return left + right if operator == "+" else left - right
    except ArithmeticError:  # a whole number too large to turn into a float
        return None


def _call(name: str, arguments: list[object], today: datetime.date) -> object:
    if name == "year":
        return today.year
    value = arguments[0]
    if name == "answered":
        return value is not None and value != "" and not (_is_list(value) and len(value) == 0)
    return len(value) if _is_list(value) else 0 if value is None else 1


def _evaluate(node: tuple, values: Mapping[str, object], today: datetime.date) -> object:
    kind = node[0]
    if kind == "const":
        return node[1]
    if kind == "name":
        return values.get(node[1])
    if kind == "or_expr":
        return any(_truthy(_evaluate(part, values, today)) for part in node[1:])
    if kind == "and_expr":
        return all(_truthy(_evaluate(part, values, today)) for part in node[1:])
    if kind == "not_":
        return not _truthy(_evaluate(node[1], values, today))
    if kind == "list":
        return [_evaluate(part, values, today) for part in node[1:]]
    if kind == "call":
        return _call(node[1], [_evaluate(part, values, today) for part in node[2]], today)
    if kind in {"is_null", "not_null"}:
        return (_evaluate(node[1], values, today) is None) == (kind == "is_null")
    if kind == "compare":
        left, right = _evaluate(node[2], values, today), _evaluate(node[3], values, today)
        return _compare(node[1], left, right)
    if kind in {"in_", "not_in"}:
        item, collection = _evaluate(node[1], values, today), _evaluate(node[2], values, today)
        if item is None or collection is None:
            return False
        return _member(item, collection) == (kind == "in_")
    if kind == "neg":
        value = _evaluate(node[1], values, today)
        return -value if _is_number(value) else None
    # arith: a first operand, then (operator, operand) pairs from left to right
    result = _evaluate(node[1], values, today)
    for operator, operand in node[2]:
        result = _arithmetic(operator, result, _evaluate(operand, values, today))
    return result


# The compiled evaluator: _compile(node) returns run(values, today) giving exactly what
# _evaluate(node, values, today or date.today()) gives (the tree walk above stays as the
# reference the tests compare it with, and static/expressions.js walks the same tree). Only
# year() needs today, so the date is looked up only there.

def _compile(node: tuple):
    kind = node[0]
    if kind == "const":
        constant = node[1]
        return lambda values, today: constant
    if kind == "name":
        name = node[1]
        return lambda values, today: values.get(name)
    if kind in {"or_expr", "and_expr"}:
        # a or b or c as a or (b or c): the same true or false, the same parts asked in order.
        rest = _compile(node[-1])
        for part in reversed(node[1:-1]):
            rest = _join(kind == "or_expr", _compile(part), rest)
        return rest if len(node) > 2 else _join(kind == "or_expr", rest, None)
    if kind == "not_":
        inner = _compile(node[1])
        return lambda values, today: not inner(values, today)
    if kind == "list":
        parts = tuple(_compile(part) for part in node[1:])
        return lambda values, today: [part(values, today) for part in parts]
    if kind == "call":
        return _compile_call(node[1], tuple(_compile(part) for part in node[2]))
    if kind in {"is_null", "not_null"}:
        inner = _compile(node[1])
        if kind == "is_null":
            return lambda values, today: inner(values, today) is None
        return lambda values, today: inner(values, today) is not None
    if kind == "compare":
        return _compile_compare(node[1], node[2], node[3])
    if kind in {"in_", "not_in"}:
        return _compile_member(kind == "in_", node[1], node[2])
    if kind == "neg":
        inner = _compile(node[1])

        def negate(values, today):
            value = inner(values, today)
            return -value if _is_number(value) else None
        return negate
    # arith: a first operand, then (operator, operand) pairs from left to right
    first = _compile(node[1])
    steps = tuple((operator, _compile(operand)) for operator, operand in node[2])

    def arithmetic(values, today):
        result = first(values, today)
        for operator, operand in steps:
            result = _arithmetic(operator, result, operand(values, today))
        return result
    return arithmetic


def _join(either: bool, first, second):
    # bool() is _truthy: bool(None) is False.
    if second is None:  # a lone part (the grammar gives none; kept for exactness)
        return lambda values, today: bool(first(values, today))
    if either:
        return lambda values, today: bool(first(values, today)) or bool(second(values, today))
    return lambda values, today: bool(first(values, today)) and bool(second(values, today))


def _compile_call(name: str, arguments: tuple):
    if name == "year":
        return lambda values, today: (today or datetime.date.today()).year
    (argument,) = arguments
    if name == "answered":
        def answered(values, today):
            value = argument(values, today)
            return value is not None and value != "" and not (_is_list(value) and len(value) == 0)
        return answered

    def count(values, today):
        value = argument(values, today)
        return len(value) if _is_list(value) else 0 if value is None else 1
    return count


def _text_or_number(value: object) -> bool:
    return isinstance(value, str) or _is_number(value)


def _compile_compare(operator: str, left_node: tuple, right_node: tuple):
    constant = None
    if operator in {"==", "!="} and left_node[0] == "name" and right_node[0] == "const" and _text_or_number(right_node[1]):
        constant = right_node[1]  # name == 'text' or name == 3: the common show_if
    elif operator in {"==", "!="} and right_node[0] == "name" and left_node[0] == "const" and _text_or_number(left_node[1]):
        constant = left_node[1]
    if constant is not None:
        name = left_node[1] if left_node[0] == "name" else right_node[1]
        # _equal with a text or number constant: the same kind, then ==. None is of neither kind.
        same_kind = (lambda value: isinstance(value, str)) if isinstance(constant, str) else _is_number
        if operator == "==":
            def equal_constant(values, today):
                value = values.get(name)
                return same_kind(value) and value == constant
            return equal_constant

        def unequal_constant(values, today):
            value = values.get(name)
            return value is not None and not (same_kind(value) and value == constant)
        return unequal_constant
    left, right = _compile(left_node), _compile(right_node)
    return lambda values, today: _compare(operator, left(values, today), right(values, today))


def _compile_member(inside: bool, item_node: tuple, collection_node: tuple):
    item, collection = _compile(item_node), _compile(collection_node)
    elements = collection_node[1:] if collection_node[0] == "list" else ()
    if elements and all(part[0] == "const" and isinstance(part[1], str) for part in elements):
        # name in ['a', 'b']: only text equals text, so a set of the texts answers it.
        texts = frozenset(part[1] for part in elements)

        def in_texts(values, today):
            value = item(values, today)
            if value is None:
                return False
            return (isinstance(value, str) and value in texts) == inside
        return in_texts
    if item_node[0] == "const" and isinstance(item_node[1], str):
        # 'text' in name: a multiple-choice answer (a list) or a single answer.
        text = item_node[1]

        def text_in(values, today):
            value = collection(values, today)
            if value is None:
                return False
            found = False
            for element in value if _is_list(value) else (value,):
                if isinstance(element, str) and element == text:
                    found = True
                    break
            return found == inside
        return text_in

    def member(values, today):
        value, found_in = item(values, today), collection(values, today)
        if value is None or found_in is None:
            return False
        return _member(value, found_in) == inside
    return member

"""Hypothesis strategies for what an attacker sends: text no form expects, JSON of any shape.

Shared by the fuzz tests of the sync endpoint and of every form (tests/web/test_fuzz_*.py).
Each strategy mixes ordinary values with the ones that broke servers before: lone UTF-16
surrogates, NUL and other control characters, bidirectional overrides, very long strings,
markup, format strings and numbers too large for any column.
"""

import string
import uuid
from urllib.parse import quote_from_bytes

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# One test of the fuzz modules runs its examples against one app and one database: the
# properties compare row counts before and after each request, so sharing them is sound.
FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


def fuzz(examples: int) -> settings:
    """Return the fuzz settings with a number of examples: each costs a request or more, so few."""
    return settings(FUZZ, max_examples=examples)

NASTY = (
    "\x00", "\ud83d", "\udc00", "\ud83d\ude00", "\x1b[2J", "\r\n", "\u202e", "\u2028", "\ufeff", "\uffff",
    "%s%n", "{{7*7}}", "{0.__class__}", "<script>alert(1)</script>", "'; DROP TABLE response;--",
    "=HYPERLINK(\"http://evil.example\")", "../../etc/passwd", "\\", "\"", "0x7fffffff", "-0", "1e999",
    "NaN", "Infinity", "9" * 40, "ﷺ", "𝕏" * 3, "ä", "e\u0301",
)


def hostile_text(*, max_size: int = 60) -> st.SearchStrategy[str]:
    """Return a strategy of text, often with surrogates, control characters or markup in it."""
    pieces = st.one_of(
        st.sampled_from(NASTY),
        st.text(st.characters(codec=None, exclude_categories=()), max_size=max_size),
        st.text(string.printable, max_size=max_size),
    )
    return st.one_of(
        st.lists(pieces, max_size=4).map("".join),
        # Ordinary text around a NUL or a lone surrogate: past a length check, into a query.
        st.tuples(st.text(string.ascii_letters, max_size=8), st.sampled_from(["\x00", "\ud83d", "\x1b"]),
                  st.text(string.ascii_letters, max_size=8)).map("".join),
        # Very long: past MAX_TEXT of the sync API and any field's max_length.
        st.tuples(st.sampled_from("a\u00e9\u0645\x00 "), st.integers(1_000, 12_000)).map(lambda p: p[0] * p[1]),
    )


def json_values(*, max_leaves: int = 25) -> st.SearchStrategy[object]:
    """Return a strategy of decoded JSON documents of any shape."""
    leaves = st.one_of(
        st.none(), st.booleans(), st.integers(), st.integers(min_value=2**63 - 2, max_value=2**70),
        st.floats(allow_nan=True, allow_infinity=True), hostile_text(max_size=20),
    )
    return st.recursive(
        leaves,
        lambda children: st.lists(children, max_size=5) | st.dictionaries(hostile_text(max_size=12), children, max_size=5),
        max_leaves=max_leaves,
    )


def response_ids() -> st.SearchStrategy[str]:
    """Return a strategy of client ids: mostly canonical UUIDs, upper-cased now and then."""
    return st.uuids().map(str) | st.uuids().map(lambda u: str(u).upper())


def fresh_id() -> str:
    return str(uuid.uuid4())


def quoted(text: str) -> str:
    """Return text percent-encoded for a URL; a lone surrogate travels as its (invalid) UTF-8 bytes."""
    return quote_from_bytes(text.encode("utf-8", "surrogatepass"), safe="")


def form_body(fields: list[tuple[str, str]]) -> bytes:
    """Return fields as a urlencoded body, encoded as quoted() does."""
    return "&".join(quoted(name) + "=" + quoted(value) for name, value in fields).encode("ascii")

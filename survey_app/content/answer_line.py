"""A response's answers as one positional CSV line, stored next to its JSON document.

The export reads these lines with Arrow's CSV reader instead of parsing one JSON document
per response: a quarter of the bytes, and half the CPU time of reading (bench/README.md).
A field's position is that of its variable in the version's definition (`line_fields`); a
stored version never changes once it has responses, so neither do the positions.

A field is RFC 4180 (delimiter ',', quote '"', doubled inside):

- an empty answer (absent, null, or of a type its question does not store) is an empty field;
- a whole number is its decimal digits;
- text (a choice, a date, free text) is the text itself, quoted when it is empty or holds a
  delimiter, quote, CR or LF, or starts with a byte-order mark (which a CSV reader drops);
- a multiple choice is its options joined by ';', quoted like text, so that `""` is an
  answered question with nothing chosen.

Values are taken as the export read them from JSON: a number must be an int (not a bool), a
text a str, a multiple choice a list (its items as str). An item that is null (or a float
the JSON document holds as null), empty or holds ';' is left out: no option value can be
any of these. Answers the line cannot hold (a NUL character, which PostgreSQL text refuses;
a number beyond 64 bits) give no line, and the export reads that response's JSON document
instead.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass

from .definition import Definition

OPTION_SEPARATOR = ";"
_NEEDS_QUOTES = frozenset(',"\r\n')
_INT64 = range(-(2**63), 2**63)


@dataclass(frozen=True)
class LineField:
    """One position of the line: the variable, what it stores ("list", "integer", "text"), its question's type."""

    name: str
    stores: str
    question_type: str


def line_fields(definition: Definition) -> list[LineField]:
    """Return the fields of a version's lines, in questionnaire order (a multiple choice is one field)."""
    fields = []
    for question in definition.questions():
        if question.type == "multiple_choice":
            fields.append(LineField(question.key, "list", question.type))
            continue
        numeric = question.type in ("agreement", "scale", "number", "year") or (
            question.type == "matrix" and question.scale == "agreement"
        )
        fields.extend(LineField(name, "integer" if numeric else "text", question.type) for name in question.variables)
    return fields


def _text(value: str) -> str:
    if value and _NEEDS_QUOTES.isdisjoint(value) and not value.startswith("\ufeff"):
        return value
    return '"' + value.replace('"', '""') + '"'


def _stored_as_null(item) -> bool:
    # The JSON document holds null for None and, as orjson writes them, for infinities and NaN.
    return item is None or (isinstance(item, float) and not math.isfinite(item))


def answer_line(fields: list[LineField], answers: Mapping) -> str | None:
    """Return the answers as one line in the order of fields, or None when the line cannot hold them."""
    if not isinstance(answers, Mapping):
        answers = {}
    out = []
    for field in fields:
        value = answers.get(field.name)
        if field.stores == "integer":
            if not isinstance(value, int) or isinstance(value, bool):
                out.append("")
            elif value in _INT64:
                out.append(str(value))
            else:
                return None
        elif field.stores == "list":
            if isinstance(value, list):
                items = (str(item) for item in value if not _stored_as_null(item))
                out.append(_text(OPTION_SEPARATOR.join(i for i in items if i and OPTION_SEPARATOR not in i)))
            else:
                out.append("")
        else:
            out.append(_text(value) if isinstance(value, str) else "")
    line = ",".join(out)
    return None if "\x00" in line else line


def encode_answer_line(definition: Definition, answers: Mapping) -> str | None:
    """Return the line of a response to definition (None: keep to the JSON document)."""
    return answer_line(line_fields(definition), answers)

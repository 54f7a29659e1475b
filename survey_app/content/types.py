"""The question types, as one table that the reader, the forms, the export and the docs share."""

from dataclasses import dataclass

# Keys every question may carry, whatever its type.
COMMON_KEYS = frozenset(
    {
        "key",
        "type",
        "text",
        "help",
        "required",
        "recommendations",
        "source",
        "show_if",
        "constraint",
        "constraint_message",
        "quasi_identifier",
        "source_kind",
        "source_text",
        "notes",
        "not_quasi_identifier",
    }
)

# How a question relates to its source: the source's own words and scale, changed, or our own.
SOURCE_KINDS = ("verbatim", "adapted", "own")

AGREEMENT_VALUES = (1, 2, 3, 4, 5)
NOT_APPLICABLE = 9
# 'Weet ik niet': the resident cannot judge the statement. Its own code, apart from 'not
# applicable', so an analyst can tell the two apart; like it, it leaves every denominator.
DONT_KNOW = 8
# Answers of an agreement scale that are no point on it: never part of a score or a mean.
OFF_SCALE = (DONT_KNOW, NOT_APPLICABLE)


@dataclass(frozen=True)
class QuestionType:
    name: str
    stores: str  # what the answer is stored as: "text", "integer", "list", "date"
    description: str
    extra_keys: frozenset[str] = frozenset()
    has_options: bool = False


QUESTION_TYPES: dict[str, QuestionType] = {
    t.name: t
    for t in (
        QuestionType(
            "single_choice",
            "text",
            "One answer from a list (radio buttons).",
            frozenset({"options", "options_from"}),
            has_options=True,
        ),
        QuestionType(
            "multiple_choice",
            "list",
            "Several answers from a list (check boxes).",
            frozenset({"options", "options_from", "min_choices", "max_choices", "exclusive"}),
            has_options=True,
        ),
        QuestionType(
            "agreement",
            "integer",
            "Five-point agreement scale, 1 to 5, with 9 for 'not applicable' and 8 for 'don't know'.",
            frozenset({"not_applicable", "dont_know"}),
        ),
        QuestionType(
            "scale",
            "integer",
            "A score from 0 to 10.",
            frozenset({"low_label", "high_label"}),
        ),
        QuestionType("number", "integer", "A whole number within a range.", frozenset({"min", "max"})),
        QuestionType("text", "text", "One line of text.", frozenset({"max_length"})),
        QuestionType("long_text", "text", "Several lines of text.", frozenset({"max_length"})),
        QuestionType("year", "integer", "A year.", frozenset({"min", "max"})),
        QuestionType("date", "date", "A date (YYYY-MM-DD).", frozenset({"min", "max"})),
        QuestionType(
            "matrix",
            "text",
            "Several items on one scale; each item is a variable key_item.",
            frozenset({"items", "scale", "options", "options_from", "not_applicable", "dont_know"}),
            has_options=True,
        ),
    )
}

DEFAULT_MAX_LENGTH = {"text": 200, "long_text": 2000}

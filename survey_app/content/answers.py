"""Check and clean answers against a definition: one validator for forms and for synced responses."""

import datetime
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from .definition import Definition, Page, Question

# Control characters other than tab and newline have no place in an answer.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_INTEGER = re.compile(r"^[+-]?\d{1,9}$")
# Browsers without a date picker send what the resident typed: 31-12-2024 or 31/12/2024.
_LOCAL_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


@dataclass(frozen=True)
class AnswerError:
    """Why an answer was refused: a code the web layer turns into words, and its numbers."""

    code: str
    params: dict = field(default_factory=dict)


def clean_text(raw: str) -> str:
    """Return text without control characters, in NFC, with line ends as \\n and ends trimmed."""
    if raw.isascii() and raw.isprintable():
        # Most answers (a choice's value, a number): no line ends, control characters or
        # anything NFC would change.
        return raw.strip()
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    return _CONTROL.sub("", text).strip()


def _integer(text: str, low, high):
    if not _INTEGER.match(text):
        return None, AnswerError("not_whole_number")
    number = int(text)
    if (low is not None and number < low) or (high is not None and number > high):
        return None, AnswerError("out_of_range", {"min": low, "max": high})
    return number, None


def clean_value(question: Question, raw: list[str]):
    """Return (value or None, AnswerError or None) for the raw strings sent for one variable."""
    values = [clean_text(r) for r in raw if isinstance(r, str)]
    values = [v for v in values if v != ""]
    kind = question.type
    if kind == "multiple_choice":
        allowed = question.choice_texts
        chosen = list(dict.fromkeys(values))  # a double tap sends a value twice
        if any(v not in allowed for v in chosen):
            return None, AnswerError("unknown_choice")
        if not chosen:
            return None, None
        if len(chosen) > 1 and any(v in question.exclusive for v in chosen):
            return None, AnswerError("exclusive")
        if question.max_choices and len(chosen) > question.max_choices:
            return None, AnswerError("too_many_choices", {"max": question.max_choices})
        if question.min_choices and len(chosen) < question.min_choices:
            return None, AnswerError("too_few_choices", {"min": question.min_choices})
        return [v for v in question.answer_texts if v in chosen], None
    if not values:
        return None, None
    if len(values) > 1:
        return None, AnswerError("one_answer")
    text = values[0]
    if kind in ("single_choice", "agreement", "scale", "matrix"):
        if text in question.choice_texts:
            return question.choice_texts[text], None
        return None, AnswerError("unknown_choice")
    if kind in ("number", "year"):
        return _integer(text, question.minimum, question.maximum)
    if kind == "date":
        local = _LOCAL_DATE.match(text)
        try:
            if local:
                day = datetime.date(int(local.group(3)), int(local.group(2)), int(local.group(1)))
            else:
                day = datetime.date.fromisoformat(text)
        except ValueError:
            return None, AnswerError("not_date")
        latest = latest_date(question)
        if (question.minimum and day.isoformat() < question.minimum) or day.isoformat() > latest:
            return None, AnswerError("date_out_of_range", {"min": question.minimum, "max": latest})
        return day.isoformat(), None
    if question.max_length and len(text) > question.max_length:
        return None, AnswerError("too_long", {"max": question.max_length, "length": len(text)})
    return text, None


def expected_page_count(definition: Definition, answers: Mapping, current: Page) -> int:
    """Return how many pages the resident will see: the visible ones, and those whose condition
    waits on a question of the current page or a later one that has no answer yet.

    The count only shrinks as the resident goes on, so a progress bar never jumps backwards.
    """
    passed = set()
    for page in definition.pages:
        if page.key == current.key:
            break
        passed.update(page.variables)
    count = 0
    for page in definition.pages:
        condition = page.show_if
        if (condition is None or condition.is_true(answers)
                or any(name not in passed and answers.get(name) is None for name in condition.names)):
            count += 1
    return count


def latest_date(question: Question) -> str:
    """Return the last day a date question accepts (ISO): its maximum, or else today.

    An answer about a day that has not come yet is a typing mistake, so without a maximum in
    the questionnaire no future day is taken.
    """
    return str(question.maximum) if question.maximum else datetime.date.today().isoformat()


def is_shown(item: Page | Question, answers: Mapping) -> bool:
    """Return True when a page or question has no show_if, or its show_if holds."""
    condition = item.show_if
    return condition is None or condition.is_true(answers)


def visible_pages(definition: Definition, answers: Mapping) -> list[Page]:
    """Return the pages the resident sees, given the answers so far."""
    # is_shown, inlined: this runs over every page two or three times a request.
    return [page for page in definition.pages if page.show_if is None or page.show_if.is_true(answers)]


def check_page(page: Page, answers: Mapping, raw: Mapping[str, list[str]], *, enforce_required: bool = True):
    """Return (values, errors) for one page: values by variable, errors by variable.

    enforce_required=False: a question left empty is accepted (a paper questionnaire typed over as it is).
    """
    known = dict(answers)
    values: dict[str, object] = {}
    errors: dict[str, AnswerError] = {}
    for question in page.questions:
        for name in question.variables:
            known.pop(name, None)  # a re-answered page replaces what it had
        if not is_shown(question, known):
            continue
        for name in question.variables:
            value, error = clean_value(question, list(raw.get(name, [])))
            if error is None and value is None and question.required and enforce_required:
                error = AnswerError("required")
            if error is None and value is not None and question.constraint is not None:
                if not question.constraint.is_true({**known, name: value}):
                    error = AnswerError("constraint", {"message": question.constraint_message})
            if error:
                errors[name] = error
            elif value is not None:
                values[name] = value
                known[name] = value
    return values, errors


def check_response(definition: Definition, answers: Mapping, *, enforce_required: bool = True):
    """Return (clean answers of the visible questions, errors) for a whole response."""
    clean: dict[str, object] = {}
    errors: dict[str, AnswerError] = {}
    raw = {}  # the answers as a form sends them; the same for every page (check_page only reads it)
    for name, value in answers.items():
        if isinstance(value, list):
            raw[name] = [str(v) for v in value]
        elif value is not None:
            raw[name] = [str(value)]
    for page in definition.pages:
        if not is_shown(page, clean):
            continue
        values, page_errors = check_page(page, clean, raw, enforce_required=enforce_required)
        clean.update(values)
        errors.update(page_errors)
    unknown = set(answers) - set(definition.variables())
    for name in unknown:
        errors[name] = AnswerError("unknown_question")
    return clean, errors

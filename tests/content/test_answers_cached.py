"""What answers.py now takes from per-question caches and a fast path gives what it computed before."""

import re
import unicodedata
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from survey_app.content.answers import clean_text, clean_value
from survey_app.content.definition import Option, Question

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def slow_clean_text(raw: str) -> str:
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    return _CONTROL.sub("", text).strip()


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet=st.characters(max_codepoint=0x7f)), st.text(alphabet=" \t\r\n\x00\x7fabe\u0301\u00e9\u2028")))
def test_clean_text_is_the_slow_path(raw: str) -> None:
    assert clean_text(raw) == slow_clean_text(raw)


def slow_clean_choice(question: Question, text: str):
    for allowed in question.answer_values:
        if str(allowed) == text:
            return allowed
    return None


QUESTIONS = [
    Question("q", "single_choice", "Q", options=(Option(1, "een"), Option("1", "ook een"), Option("b", "bee"))),
    Question("q", "multiple_choice", "Q", options=(Option("a", "A"), Option(2, "twee"), Option("c", "C")), exclusive=("c",)),
    Question("q", "agreement", "Q", dont_know=True),
    Question("q", "scale", "Q"),
]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(QUESTIONS), st.lists(st.sampled_from(["1", "b", "a", "2", "c", "10", "11", " 1 ", "x", ""]), max_size=4))
def test_choices_are_what_the_loop_over_answer_values_gave(question: Question, raw: list) -> None:
    value, error = clean_value(question, raw)
    texts = [t for t in (clean_text(r) for r in raw) if t]
    if question.type == "multiple_choice":
        chosen = list(dict.fromkeys(texts))
        if error is None and value is not None:
            assert value == [str(a) for a in question.answer_values if str(a) in chosen]
        if any(t not in {str(a) for a in question.answer_values} for t in chosen):
            assert error.code == "unknown_choice"
    elif len(texts) == 1:
        expected = slow_clean_choice(question, texts[0])
        assert value == expected and type(value) is type(expected)
        assert (error is None) == (expected is not None)


def test_cached_answer_values_follow_replace_and_leave_equality_alone() -> None:
    question = QUESTIONS[0]
    assert question.choice_texts == {"1": 1, "b": "b"}  # the first value for a text, as the loop found it
    other = replace(question, options=(Option("z", "zet"),))
    assert other.answer_values == ("z",) and other.choice_texts == {"z": "z"}
    fresh = Question("q", "single_choice", "Q", options=question.options)
    assert fresh == question and hash(fresh) == hash(question)
    matrix = Question("m", "matrix", "M", items=(Option("a", "A"), Option("b", "B")), scale="agreement")
    assert matrix.variables == ("m_a", "m_b") and replace(matrix, key="n").variables == ("n_a", "n_b")


def test_a_page_s_variables_follow_its_questions() -> None:
    from survey_app.content.definition import Page

    matrix = Question("m", "matrix", "M", items=(Option("a", "A"),), scale="agreement")
    page = Page("p", "P", (QUESTIONS[0], matrix))
    assert page.variables == ("q", "m_a")
    assert replace(page, questions=(matrix,)).variables == ("m_a",)
    assert page == Page("p", "P", (QUESTIONS[0], matrix))

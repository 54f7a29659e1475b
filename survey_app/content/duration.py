"""How long a questionnaire takes, per path through its skip logic.

The estimate is reading time (the words a resident reads, at READING_WORDS_PER_MINUTE) plus a
time to answer per question type (ANSWER_SECONDS) and per page (SECONDS_PER_PAGE). A path is a
set of questions that some resident sees: the skip logic is followed for every answer that a
show_if can tell apart. The figures and their sources are documented in questionnaires/README.md.
"""

import math
from dataclasses import dataclass
from functools import lru_cache

from .definition import Definition, Page, Question
from .paths import MAX_LEAVES, answer_combinations, shown
from .plain_language import words_of

# Brysbaert (2019), "How many words do we read per minute? A review and meta-analysis of reading
# rate", Journal of Memory and Language 109, 104047: adults read non-fiction silently at 238
# words per minute on average, most between 175 and 300, and slower when older or reading a
# second language. Many residents are both, so we take the low end of that range.
READING_WORDS_PER_MINUTE = 175


@dataclass(frozen=True)
class AnswerTime:
    seconds: float
    per: str  # "question", "item" (matrix) or "option" (multiple choice: each option is weighed)
    why: str


# Time to decide and give the answer, on top of reading it. Our own assumptions, set so that a
# closed question with its reading takes 10 to 20 seconds (the content review's rule of thumb is
# 15 to 20 s per item) and an open question about a minute, as the review counts.
ANSWER_SECONDS = {
    "single_choice": AnswerTime(4, "question", "pick one option after reading them"),
    "multiple_choice": AnswerTime(1.5, "option", "each option is weighed and ticked or not"),
    "agreement": AnswerTime(4, "question", "place oneself on a five-point scale"),
    "scale": AnswerTime(5, "question", "a score out of ten takes a little more thought"),
    "number": AnswerTime(6, "question", "recall or count, then type"),
    "year": AnswerTime(6, "question", "recall, then type four digits"),
    "date": AnswerTime(10, "question", "recall a day and pick it"),
    "text": AnswerTime(20, "question", "think of and type a few words"),
    "long_text": AnswerTime(60, "question", "an open question: a minute, as the review counts"),
    "matrix": AnswerTime(4, "item", "each statement is one agreement answer"),
}
SECONDS_PER_PAGE = 3  # tap 'Volgende' and let the next page appear

# What a resident reads besides the question itself, in Dutch (the form's words, not the file's).
AGREEMENT_WORDS = "Helemaal oneens. Oneens. Niet eens, niet oneens. Eens. Helemaal eens."
NOT_APPLICABLE_WORDS = "Niet van toepassing."
DONT_KNOW_WORDS = "Weet ik niet."
SCALE_DEFAULT_ENDS = "Heel slecht. Heel goed."


@dataclass(frozen=True)
class Path:
    """One way through a questionnaire: the questions a resident sees, and how long they take."""

    questions: tuple[str, ...]
    shown_if: tuple[str, ...]  # keys of the conditional pages and questions this path shows
    seconds: float

    @property
    def minutes(self) -> float:
        return self.seconds / 60


@dataclass(frozen=True)
class Estimate:
    """The paths of a questionnaire, longest first."""

    paths: tuple[Path, ...]
    complete: bool  # False when there were more answer combinations than MAX_LEAVES

    @property
    def longest(self) -> Path:
        return self.paths[0]

    @property
    def shortest(self) -> Path:
        return self.paths[-1]


@lru_cache(maxsize=4096)  # the questionnaire's own texts, counted again for each estimate
def count_words(text: str) -> int:
    """Return the number of words a resident reads in text."""
    return len(words_of(text or ""))


def reading_seconds(words: int) -> float:
    """Return the seconds it takes to read this many words."""
    return 60 * words / READING_WORDS_PER_MINUTE


def question_words(question: Question) -> int:
    """Return the words a resident reads for one question: text, help, answers and items."""
    texts = [question.text, question.help]
    texts += [option.label for option in question.options]
    texts += [item.label for item in question.items]
    if question.is_agreement:
        texts.append(AGREEMENT_WORDS)
        if question.not_applicable:
            texts.append(NOT_APPLICABLE_WORDS)
        if question.dont_know:
            texts.append(DONT_KNOW_WORDS)
    if question.type == "scale":
        texts += [question.low_label, question.high_label] if question.low_label else [SCALE_DEFAULT_ENDS]
    return sum(count_words(text) for text in texts)


def question_seconds(question: Question) -> float:
    """Return the seconds one question takes: reading it and answering it."""
    answer = ANSWER_SECONDS[question.type]
    times = {"question": 1, "item": len(question.items), "option": len(question.options)}[answer.per]
    return reading_seconds(question_words(question)) + answer.seconds * times


def page_seconds(page: Page) -> float:
    """Return the seconds a page costs besides its questions: its title and moving on."""
    return reading_seconds(count_words(page.title)) + SECONDS_PER_PAGE


def opening_seconds(definition: Definition) -> float:
    """Return the seconds for what every resident reads first: the introduction and the consent."""
    return reading_seconds(count_words(definition.intro) + count_words(definition.consent))


def estimate(definition: Definition) -> Estimate:
    """Return every distinct path through the questionnaire with its time, longest first."""
    found: dict[tuple[str, ...], Path] = {}
    leaves = 0
    for values in answer_combinations(definition):
        leaves += 1
        path = _path(definition, values)
        if path.questions not in found or len(path.shown_if) < len(found[path.questions].shown_if):
            found[path.questions] = path
        if leaves >= MAX_LEAVES:
            break
    complete = leaves < MAX_LEAVES
    paths = sorted(found.values(), key=lambda p: (-p.seconds, p.questions))
    return Estimate(tuple(paths), complete)


def consent_minutes(definition: Definition) -> int:
    """Return the whole minutes to promise in a consent text: the longest path, rounded up."""
    return max(1, math.ceil(estimate(definition).longest.minutes))


def _path(definition: Definition, values: dict) -> Path:
    seconds = opening_seconds(definition)
    questions, shown_if = [], []
    for page, visible in shown(definition, values):
        if page.show_if:
            shown_if.append(page.key)
        seconds += page_seconds(page)
        for question in visible:
            if question.show_if:
                shown_if.append(question.key)
            questions.append(question.key)
            seconds += question_seconds(question)
    return Path(tuple(questions), tuple(shown_if), seconds)

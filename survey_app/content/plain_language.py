"""A lint for plain Dutch (klantentaal): sentence length, Flesch-Douma reading ease, long words,
abbreviations and jargon in the text residents read. Thresholds are one table (THRESHOLDS),
the word lists are data (plain_language.yaml); both are documented in questionnaires/README.md.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyphen
import yaml

from .definition import Definition
from .extract import QuestionnaireText, read_questionnaire_texts
from .problems import Problem

WORD_LISTS = Path(__file__).with_name("plain_language.yaml")


@dataclass(frozen=True)
class Threshold:
    name: str
    value: float
    help: str


THRESHOLDS = {
    t.name: t
    for t in (
        Threshold("max_words_per_sentence", 20, "No sentence has more words than this (plain-language guides: 15 on average, 20 at most)."),
        Threshold("min_reading_ease", 60, "Flesch-Douma reading ease of one text of at least `min_words_for_ease` words (60: 'normal'; B1 texts score 60 to 80 and more)."),
        Threshold("min_words_for_ease", 20, "Shorter texts (most questions and answers) get no score of their own: the formula is made for passages, and on ten words one long word moves it by 20 points."),
        Threshold("min_questionnaire_ease", 70, "Flesch-Douma reading ease of all the linted text of a questionnaire together ('fairly easy')."),
        Threshold("max_word_syllables", 4, "A word has at most this many syllables, unless it is allowed (names, and long words every resident knows)."),
    )
}

# Which strings are linted: what residents read as sentences and answers.
LINTED_KEYS = ("intro", "consent", "consent_assisted", ".text", ".help", ".option.", ".item.", ".constraint_message")

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|\d+(?:[.,]\d+)*", re.UNICODE)
_VOWELS = re.compile(r"[aeiouyáéíóúàèëïöüäâêîôû]+", re.IGNORECASE)
_DOTTED = re.compile(r"(?<!\w)(?:[a-zA-Z]{1,4}\.){1,4}")
_CAPITALS = re.compile(r"\b[A-Z]{2,}[a-z]?\b")


@lru_cache(maxsize=1)
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="nl_NL")


@lru_cache(maxsize=4096)
def count_syllables(word: str) -> int:
    """Return the syllables of a Dutch word: pyphen's hyphenation parts, each split once more
    when it still holds two vowel groups (pyphen never splits off one letter: e-ten, i-dee)."""
    if word.isdigit():
        return max(1, len(word) // 2)
    parts = _hyphenator().inserted(word).split("-")
    return sum(max(1, len(_VOWELS.findall(part))) for part in parts if part)


def split_sentences(text: str) -> list[str]:
    """Return the sentences of a text (an answer label without a full stop is one sentence)."""
    return [s.strip() for s in _SENTENCE_END.split(text) if _WORD.search(s)]


def words_of(text: str) -> list[str]:
    """Return the words of a text (a hyphenated word like e-loket is one word)."""
    return _WORD.findall(text)


@dataclass(frozen=True)
class Readability:
    words: int
    sentences: int
    syllables: int

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def reading_ease(self) -> float:
        """Flesch-Douma: 206.84 - 0.77 x syllables per 100 words - 0.93 x words per sentence."""
        if not self.words:
            return 100.0
        return 206.84 - 0.77 * (100 * self.syllables / self.words) - 0.93 * self.words_per_sentence

    def __add__(self, other: "Readability") -> "Readability":
        return Readability(self.words + other.words, self.sentences + other.sentences, self.syllables + other.syllables)


def measure(text: str) -> Readability:
    """Return the counts behind the reading ease of a text."""
    sentences = split_sentences(text)
    words = words_of(text)
    return Readability(len(words), len(sentences), sum(count_syllables(w) for w in words))


@dataclass(frozen=True)
class WordLists:
    jargon: dict[str, str]
    abbreviations: frozenset[str]
    allowed: frozenset[str]

    def allows(self, word: str) -> bool:
        """Return whether a long word or capitals are allowed (an entry ending in '*' is a prefix)."""
        lowered = word.lower()
        return lowered in self.allowed or any(a.endswith("*") and lowered.startswith(a[:-1]) for a in self.allowed)


def load_word_lists(path: Path = WORD_LISTS, *, extra_allowed: Iterable[str] = ()) -> WordLists:
    """Return the jargon, abbreviations and allowed names from the YAML word lists."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    allowed = {w.lower() for w in data.get("allowed", [])}
    for name in extra_allowed:
        allowed.update(w.lower() for w in words_of(name))
    return WordLists(
        jargon={str(k).lower(): str(v) for k, v in data.get("jargon", {}).items()},
        abbreviations=frozenset(str(a).lower() for a in data.get("abbreviations", [])),
        allowed=frozenset(allowed),
    )


def _jargon_in(text: str, jargon: dict[str, str]) -> Iterator[tuple[str, str]]:
    lowered = " ".join(words_of(text.lower()))
    words = lowered.split()
    for entry, plainer in jargon.items():
        if entry.endswith("*"):
            stem = entry[:-1]
            found = next((w for w in words if w.startswith(stem)), None)
            if found:
                yield found, plainer
        elif re.search(rf"(?<!\w){re.escape(entry)}(?!\w)", lowered):
            yield entry, plainer


def lint_text(text: str, word_lists: WordLists) -> list[tuple[str, str]]:
    """Return (what is wrong, what to do) for one text."""
    found = []
    limit = THRESHOLDS["max_words_per_sentence"].value
    for sentence in split_sentences(text):
        count = len(words_of(sentence))
        if count > limit:
            found.append((f"a sentence of {count} words (at most {limit:g}): '{_short(sentence)}'", "split it into shorter sentences, one idea each"))
    score = measure(text)
    if score.words >= THRESHOLDS["min_words_for_ease"].value and score.reading_ease < THRESHOLDS["min_reading_ease"].value:
        found.append(
            (
                f"reading ease {score.reading_ease:.0f} (at least {THRESHOLDS['min_reading_ease'].value:g})",
                "use shorter words and sentences",
            )
        )
    seen_long = set()
    for word in words_of(text):
        syllables = count_syllables(word)
        if (
            syllables > THRESHOLDS["max_word_syllables"].value
            and not word_lists.allows(word)
            and word.lower() not in seen_long
        ):
            seen_long.add(word.lower())
            found.append((f"long word '{word}' ({syllables} syllables)", "use a shorter or more common word, or split the compound"))
    for match in _DOTTED.finditer(text):
        if match.group(0).lower() in word_lists.abbreviations:
            found.append((f"abbreviation '{match.group(0)}'", "write it out"))
    for match in _CAPITALS.finditer(text):
        if not word_lists.allows(match.group(0)):
            found.append((f"abbreviation '{match.group(0)}'", "write it out, or add it to 'allowed' in plain_language.yaml if residents know it"))
    for word, plainer in _jargon_in(text, word_lists.jargon):
        found.append((f"official word '{word}'", f"say it plainly: {plainer}"))
    return found


def _short(sentence: str, width: int = 60) -> str:
    return sentence if len(sentence) <= width else sentence[: width - 1].rstrip() + "…"


def is_linted(key: str) -> bool:
    """Return whether a questionnaire string with this key is checked."""
    return key in ("intro", "consent", "consent_assisted") or any(part in key for part in LINTED_KEYS if part.startswith("."))


def lint_texts(file: str, texts: Iterable[QuestionnaireText], word_lists: WordLists) -> list[Problem]:
    """Return a Problem for each thing to rewrite in the texts of one questionnaire."""
    problems = []
    total = Readability(0, 0, 0)
    for text in texts:
        if not is_linted(text.key):
            continue
        total = total + measure(text.text)
        for message, fix in lint_text(text.text, word_lists):
            problems.append(Problem(file, text.line, f"{text.key}: {message}", fix))
    if total.words and total.reading_ease < THRESHOLDS["min_questionnaire_ease"].value:
        problems.append(
            Problem(
                file,
                None,
                f"the whole questionnaire has reading ease {total.reading_ease:.0f} (at least {THRESHOLDS['min_questionnaire_ease'].value:g})",
                "rewrite the texts reported above first",
            )
        )
    return problems


def list_labels(directory: Path) -> list[str]:
    """Return the labels of the shared option lists (names of wijken, languages)."""
    labels = []
    for path in sorted((Path(directory) / "lists").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        labels += _labels(data)
    return labels


def _labels(data) -> list[str]:
    """Return the labels of a list, including those of its groups (a district and its neighbourhoods)."""
    if not isinstance(data, dict):
        return []
    labels = []
    for value in data.values():
        if isinstance(value, dict):
            labels += [str(value.get("label", ""))] + _labels(value.get("options"))
        else:
            labels.append(str(value))
    return labels


def lint_package(directory: Path, *, only: list[str] | None = None) -> tuple[list[Definition], list[Problem]]:
    """Return the linted definitions and every plain-language problem in the questionnaire files."""
    directory = Path(directory)
    word_lists = load_word_lists(extra_allowed=list_labels(directory))
    definitions, problems = [], []
    for path in sorted(directory.glob("*.yaml")):
        if only and path.name not in {Path(name).name for name in only}:
            continue
        definition, texts = read_questionnaire_texts(path)
        if definition is None:
            continue
        definitions.append(definition)
        problems += lint_texts(path.name, texts, word_lists)
    return definitions, problems


def questionnaire_readability(texts: Iterable[QuestionnaireText]) -> Readability:
    """Return the combined counts of every linted text of a questionnaire."""
    total = Readability(0, 0, 0)
    for text in texts:
        if is_linted(text.key):
            total = total + measure(text.text)
    return total

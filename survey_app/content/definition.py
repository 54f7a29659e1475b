"""A questionnaire as the app uses it: immutable dataclasses built from a checked file."""

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property

from .expressions import Expression
from .types import AGREEMENT_VALUES, DONT_KNOW, NOT_APPLICABLE

FULL_FORM = "volledig"  # every question: the form that needs no 'forms:' entry


@dataclass(frozen=True)
class Option:
    value: str | int
    label: str
    # The level above: a neighbourhood's district, so an export can generalise one to the other.
    group: str | None = None
    group_label: str | None = None


@dataclass(frozen=True)
class Question:
    key: str
    type: str
    text: str
    line: int | None = None
    help: str = ""
    required: bool = False
    options: tuple[Option, ...] = ()
    items: tuple[Option, ...] = ()
    recommendations: tuple[str, ...] = ()
    source: str = ""
    show_if: Expression | None = None
    constraint: Expression | None = None
    constraint_message: str = ""
    quasi_identifier: bool = False
    not_quasi_identifier: str = ""  # why an identifying question need not count towards k
    minimum: int | str | None = None
    maximum: int | str | None = None
    max_length: int | None = None
    min_choices: int | None = None
    max_choices: int | None = None
    exclusive: tuple[str, ...] = ()
    not_applicable: bool = True
    dont_know: bool = False  # agreement: offer 'Weet ik niet' (DONT_KNOW), for what residents cannot judge
    low_label: str = ""
    high_label: str = ""
    scale: str | None = None
    source_kind: str | None = None  # verbatim, adapted or own (SOURCE_KINDS)
    source_text: str = ""  # the source's own wording, for a verbatim item
    notes: str = ""  # for analysts and editors; not shown to residents

    @cached_property
    def variables(self) -> tuple[str, ...]:
        """Return the names this question stores its answer under."""
        if self.type == "matrix":
            return tuple(f"{self.key}_{item.value}" for item in self.items)
        return (self.key,)

    @property
    def is_agreement(self) -> bool:
        """Return whether the answers are on the five-point agreement scale (a question or a matrix)."""
        return self.type == "agreement" or (self.type == "matrix" and self.scale == "agreement")

    @cached_property
    def answer_values(self) -> tuple[str | int, ...]:
        """Return the values a choice-like answer may take (empty for open answers)."""
        if self.is_agreement:
            return AGREEMENT_VALUES + ((DONT_KNOW,) if self.dont_know else ()) + ((NOT_APPLICABLE,) if self.not_applicable else ())
        if self.type == "scale":
            return tuple(range(11))
        return tuple(option.value for option in self.options)

    @cached_property
    def answer_texts(self) -> tuple[str, ...]:
        """Return the texts a form sends for the answer values, in their order."""
        return tuple(str(value) for value in self.answer_values)

    @cached_property
    def choice_texts(self) -> dict[str, str | int]:
        """Return the answer values by the text a form sends for them (the first value for a text)."""
        texts: dict[str, str | int] = {}
        for value in self.answer_values:
            texts.setdefault(str(value), value)
        return texts


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    questions: tuple[Question, ...]
    line: int | None = None
    show_if: Expression | None = None

    @cached_property
    def variables(self) -> tuple[str, ...]:
        """Return the names the page's questions store their answers under, in order."""
        return tuple(name for question in self.questions for name in question.variables)


@dataclass(frozen=True)
class Definition:
    slug: str
    version: int
    state: str
    title: str
    table: str
    central_question: str
    intro: str
    consent: str
    recommendations: dict[str, str]
    pages: tuple[Page, ...]
    k_anonymity: int = 5
    release_period: str = "quarter"  # anonymised releases hold whole months, quarters or follow-up waves
    file: str = ""
    notes: str = ""  # choices made and where the questionnaire departs from a review: for analysts
    # Read out by staff when they fill in the answers with the resident; 'consent' is for residents alone.
    consent_assisted: str = ""
    # Shorter forms: name -> the question keys they keep, with the same variable names as the full form.
    forms: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    form_name: str = ""  # the form this definition is ("" for the full questionnaire)
    # The normalised mapping the definition was built from: stored with each version.
    source_mapping: dict = field(default_factory=dict, compare=False, repr=False)

    def form(self, name: str | None) -> "Definition":
        """Return the questionnaire as one of its forms: only the questions the form keeps (the full
        questionnaire for an unknown or empty name). Pages left without questions drop out."""
        if not name or name not in self.forms:
            return self
        kept = set(self.forms[name])
        pages = (replace(page, questions=tuple(q for q in page.questions if q.key in kept)) for page in self.pages)
        return replace(self, pages=tuple(page for page in pages if page.questions), form_name=name)

    @property
    def answered_form(self) -> str:
        """Return the name a response to this definition stores: its shorter form, or FULL_FORM."""
        return self.form_name or FULL_FORM

    def form_names(self) -> tuple[str, ...]:
        """Return every form a response may have answered: the full questionnaire, then the shorter ones."""
        return (FULL_FORM, *self.forms)

    def consent_for(self, mode: str) -> tuple[str, str]:
        """Return (key, text) of the consent for a mode: staff-assisted answers have their own text."""
        if mode == "assisted" and self.consent_assisted:
            return "consent_assisted", self.consent_assisted
        return "consent", self.consent

    def questions(self) -> Iterator[Question]:
        """Yield every question in order."""
        for page in self.pages:
            yield from page.questions

    def question(self, key: str) -> Question:
        """Return the question with this key (KeyError if absent)."""
        for question in self.questions():
            if question.key == key:
                return question
        raise KeyError(key)

    def variables(self) -> list[str]:
        """Return every answer variable, in questionnaire order."""
        return [name for question in self.questions() for name in question.variables]

"""Which questions measure each recommendation of a Denktafel, and which recommendations nothing
measures. A recommendation is covered when a closed question that some resident sees follows it
up, or when the follow-up content says the city follows it up with its own (administrative)
data. An open question (ideas, remarks) gives no figure, and a profile question (a
quasi-identifier) describes who answers: neither measures a recommendation on its own. No Flask.
"""

OPEN_TYPES = frozenset({"text", "long_text"})

import itertools
from collections.abc import Mapping
from dataclasses import dataclass

from .definition import Definition
from .paths import MAX_LEAVES, answer_combinations, shown

MEASURED, ADMINISTRATIVE, UNMEASURED = "measured", "administrative", "unmeasured"


@dataclass(frozen=True)
class Recommendation:
    """One recommendation and what follows it up."""

    id: str
    text: str
    questions: tuple[str, ...]  # keys of the questions that measure it, in questionnaire order
    administrative: str = ""  # the note on the city's own data, when that follows it up
    open: tuple[str, ...] = ()  # open questions tagged with it: ideas, no figure
    profile: tuple[str, ...] = ()  # profile questions tagged with it: they break a figure down

    @property
    def status(self) -> str:
        if self.questions:
            return MEASURED
        return ADMINISTRATIVE if self.administrative else UNMEASURED


@dataclass(frozen=True)
class Coverage:
    """The recommendations of one questionnaire, in the order of the file."""

    slug: str
    table: str
    file: str
    recommendations: tuple[Recommendation, ...]
    verbatim: tuple[str, ...] = ()  # questions taken verbatim from a standard source

    def count(self, status: str) -> int:
        """Return how many recommendations have this status."""
        return sum(1 for r in self.recommendations if r.status == status)


def answerable_questions(definition: Definition) -> set[str]:
    """Return the keys of the questions that at least one path through the skip logic shows."""
    seen: set[str] = set()
    for values in itertools.islice(answer_combinations(definition), MAX_LEAVES):
        seen |= {q.key for _, questions in shown(definition, values) for q in questions}
    return seen


def measure_coverage(definition: Definition, *, administrative: Mapping[str, str] | None = None) -> Coverage:
    """Return, per recommendation, the questions that measure it; administrative maps a
    recommendation id to the note saying which of the city's own data follow it up."""
    administrative = administrative or {}
    answerable = answerable_questions(definition)
    rows = []
    for rid, text in definition.recommendations.items():
        tagged = [q for q in definition.questions() if rid in q.recommendations and q.key in answerable]
        rows.append(
            Recommendation(
                rid,
                text,
                tuple(q.key for q in tagged if q.type not in OPEN_TYPES and not q.quasi_identifier),
                (administrative.get(rid) or "").strip(),
                open=tuple(q.key for q in tagged if q.type in OPEN_TYPES),
                profile=tuple(q.key for q in tagged if q.type not in OPEN_TYPES and q.quasi_identifier),
            )
        )
    verbatim = tuple(q.key for q in definition.questions() if getattr(q, "source_kind", None) == "verbatim")
    return Coverage(definition.slug, definition.table, definition.file, tuple(rows), verbatim)

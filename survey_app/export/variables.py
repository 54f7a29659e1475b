"""The columns of an export: one stable header, merged from every version that is exported.

A question becomes one variable, named by its key; a matrix one per item (`key_item`); a
multiple choice one 0/1 variable per option (`key_option`). Variable names never depend on
the version, so an export over several versions puts their answers under one header. The
export's own columns (the respondent, version, date, language, way of answering) come first.
"""

from dataclasses import dataclass, replace

from ..content.definition import FULL_FORM, Definition, Question
from ..content.types import DONT_KNOW, NOT_APPLICABLE
from ..models import CHANNELS, MODES
from .errors import ExportError
from .labels import N_, Text, literal, word

# A variable's kind says how the frame stores it: "code" as a small integer index into
# `values`, "integer" as a number, "text" and "date" as strings.
KINDS = ("code", "integer", "text", "date")
MAX_NAME = 32  # Stata's limit for variable names

AGREEMENT_LABELS = {
    1: N_("Helemaal oneens"),
    2: N_("Oneens"),
    3: N_("Niet eens, niet oneens"),
    4: N_("Eens"),
    5: N_("Helemaal eens"),
    DONT_KNOW: N_("Weet ik niet"),
    NOT_APPLICABLE: N_("Niet van toepassing"),
}
CHOSEN_LABELS = {0: N_("Niet gekozen"), 1: N_("Gekozen")}
MODE_LABELS = {"self": N_("Zelf ingevuld"), "assisted": N_("Met hulp van een medewerker")}
CHANNEL_LABELS = {
    "tablet": N_("Tablet van de stad"),
    "web": N_("Website"),
    "counter": N_("Aan het loket"),
    "appointment": N_("Op afspraak"),
    "phone": N_("Aan de telefoon"),
    "home_visit": N_("Bij een huisbezoek"),
    "paper": N_("Op papier"),
}
# The forms a response may have answered; a shorter form without a label here is shown by its name.
FORM_LABELS = {FULL_FORM: N_("Volledige vragenlijst"), "kort": N_("Korte vragenlijst")}
SCALE_ENDS = (N_("Heel slecht"), N_("Heel goed"))
FREE_TEXT_TYPES = ("text", "long_text")


@dataclass(frozen=True)
class Variable:
    """One column of an export, with everything the codebook says about it."""

    name: str
    kind: str
    question_type: str  # the question type, or "meta" for the export's own columns
    text: Text  # the question (or what a meta column holds)
    key: str = ""  # the question key ("" for meta columns)
    detail: Text | None = None  # the matrix item or multiple-choice option this column stands for
    values: tuple = ()  # the codes of a "code" variable, in order
    labels: tuple[Text, ...] = ()  # a label per code
    recommendations: tuple[str, ...] = ()
    versions: tuple[int, ...] = ()
    quasi_identifier: bool = False
    option: str | None = None  # the option of a multiple-choice 0/1 column
    notes: tuple[Text, ...] = ()  # how the anonymisation changed this column
    # The level above each code (a neighbourhood's district): (group code, its label) or None per
    # value, from a grouped answer list; the anonymisation may put the group in a value's place.
    groups: tuple = ()

    @property
    def numeric_codes(self) -> tuple[int, ...]:
        """Return the whole numbers SPSS and Stata store for the codes (the code itself when it is one)."""
        if all(isinstance(v, int) for v in self.values):
            return tuple(self.values)
        return tuple(range(1, len(self.values) + 1))


def meta_variables(*, raw: bool, versions: tuple[int, ...], forms: tuple[str, ...] = (FULL_FORM,)) -> list[Variable]:
    """Return the export's own columns: an id, the version, when, in which language, how, and which form.

    forms are the forms the versions have (the full questionnaire first): the short form's
    answers share the variable names, and 'vorm' tells the two apart (empty for responses
    stored before the form was kept).
    """
    respondent = N_("Antwoord-id zoals bewaard") if raw else N_("Antwoord-id: willekeurig per export")
    return [
        Variable("respondent", "text", "meta", word(respondent)),
        Variable(
            "versie",
            "code",
            "meta",
            word(N_("Versie van de vragenlijst")),
            values=versions,
            labels=tuple(word(N_("versie %(number)s"), number=v) for v in versions),
        ),
        Variable("datum", "date", "meta", word(N_("Datum van het antwoord"))),
        Variable("antwoordtaal", "code", "meta", word(N_("Taal waarin de vragenlijst werd ingevuld")), quasi_identifier=True),
        Variable(
            "afnamewijze",
            "code",
            "meta",
            word(N_("Zelf ingevuld of met hulp")),
            values=MODES,
            labels=tuple(word(MODE_LABELS[m]) for m in MODES),
            quasi_identifier=True,
        ),
        Variable(
            "afnamekanaal",
            "code",
            "meta",
            word(N_("Kanaal")),
            values=CHANNELS,
            labels=tuple(word(CHANNEL_LABELS[c]) for c in CHANNELS),
            quasi_identifier=True,
        ),
        Variable("medewerker", "text", "meta", word(N_("Pseudoniem van de medewerker die hielp (leeg: zelf ingevuld)"))),
        Variable(
            "vorm",
            "code",
            "meta",
            word(N_("Vragenlijst die beantwoord werd: volledig of kort")),
            values=forms,
            labels=tuple(word(FORM_LABELS[f]) if f in FORM_LABELS else literal(f) for f in forms),
        ),
    ]


def _text(slug: str, key: str, text: str) -> Text:
    return Text(text, f"{slug}:{key}")


def question_variables(definition: Definition, question: Question) -> list[Variable]:
    """Return the variables one question stores its answer in."""
    slug, key = definition.slug, question.key
    common = {
        "question_type": question.type,
        "text": _text(slug, f"{key}.text", question.text),
        "key": key,
        "recommendations": tuple(question.recommendations),
        "versions": (definition.version,),
        "quasi_identifier": question.quasi_identifier,
    }
    kind = question.type
    if kind == "multiple_choice":
        return [
            Variable(
                _option_name(key, option.value, position),
                "code",
                detail=_text(slug, f"{key}.option.{option.value}", option.label),
                values=(0, 1),
                labels=tuple(word(CHOSEN_LABELS[v]) for v in (0, 1)),
                option=str(option.value),
                **common,
            )
            for position, option in enumerate(question.options, start=1)
        ]
    if kind in ("number", "year"):
        return [Variable(key, "integer", **common)]
    if kind == "date":
        return [Variable(key, "date", **common)]
    if kind in FREE_TEXT_TYPES:
        return [Variable(key, "text", **common)]
    values, labels = _choices(definition, question)
    if kind == "matrix":
        return [
            Variable(
                f"{key}_{item.value}",
                "code",
                detail=_text(slug, f"{key}.item.{item.value}", item.label),
                values=values,
                labels=labels,
                **common,
            )
            for item in question.items
        ]
    return [Variable(key, "code", values=values, labels=labels, groups=_groups(question), **common)]


def _groups(question: Question) -> tuple:
    """Return the group of each option of a grouped answer list, or () when the list has none."""
    if question.type != "single_choice" or not any(o.group for o in question.options):
        return ()
    return tuple((str(o.group), literal(o.group_label or str(o.group))) if o.group else None for o in question.options)


def _option_name(key: str, value: str, position: int) -> str:
    """Return key_value, or key_position when that would be longer than Stata allows."""
    name = f"{key}_{value}"
    return name if len(name) <= MAX_NAME else f"{key}_{position}"


def _choices(definition: Definition, question: Question) -> tuple[tuple, tuple[Text, ...]]:
    slug, key = definition.slug, question.key
    values = tuple(question.answer_values)
    if question.is_agreement:
        return values, tuple(word(AGREEMENT_LABELS[v]) for v in values)
    if question.type == "scale":
        ends = {
            0: _text(slug, f"{key}.low_label", question.low_label) if question.low_label else word(SCALE_ENDS[0]),
            10: _text(slug, f"{key}.high_label", question.high_label) if question.high_label else word(SCALE_ENDS[1]),
        }
        return values, tuple(ends.get(v, literal(str(v))) for v in values)
    return (
        tuple(str(o.value) for o in question.options),
        tuple(_text(slug, f"{key}.option.{o.value}", o.label) for o in question.options),
    )


def definition_variables(definition: Definition, *, free_text: bool) -> list[Variable]:
    """Return the answer variables of one version, in questionnaire order."""
    found = []
    for question in definition.questions():
        if question.type in FREE_TEXT_TYPES and not free_text:
            continue
        found.extend(question_variables(definition, question))
    return found


def merge_variables(definitions: list[Definition], *, free_text: bool) -> list[Variable]:
    """Return one header for several versions: the newest order, older-only variables after their neighbour.

    Codes are the union over the versions (the newest label wins); each variable lists the
    versions that asked it. A variable whose kind changed between versions cannot be merged.
    """
    merged: dict[str, Variable] = {}
    order: list[str] = []
    for definition in sorted(definitions, key=lambda d: d.version, reverse=True):
        previous = None
        for variable in definition_variables(definition, free_text=free_text):
            known = merged.get(variable.name)
            if known is None:
                merged[variable.name] = variable
                position = order.index(previous) + 1 if previous else 0
                order.insert(position, variable.name)
            else:
                if known.kind != variable.kind or (known.question_type != variable.question_type and known.kind == "code"):
                    raise ExportError(
                        "type_changed",
                        name=variable.name,
                        old=variable.question_type,
                        old_version=definition.version,
                        new=known.question_type,
                        new_version=known.versions[0],
                    )
                extra = [(v, label) for v, label in zip(variable.values, variable.labels) if v not in known.values]
                merged[variable.name] = replace(
                    known,
                    values=known.values + tuple(v for v, _ in extra),
                    labels=known.labels + tuple(label for _, label in extra),
                    groups=_merged_groups(known, variable, [v for v, _ in extra]),
                    versions=tuple(sorted(set(known.versions) | {definition.version})),
                    recommendations=known.recommendations
                    + tuple(r for r in variable.recommendations if r not in known.recommendations),
                    quasi_identifier=known.quasi_identifier or variable.quasi_identifier,
                )
            previous = variable.name
    return [merged[name] for name in order]


def _merged_groups(known: Variable, older: Variable, extra: list) -> tuple:
    """Return the groups of a merged variable: the newest version's, then an older version's for its
    extra codes (None where it has none, as a list without groups); () when no version has any."""
    if not known.groups and not older.groups:
        return ()
    own = known.groups or (None,) * len(known.values)
    theirs = dict(zip(older.values, older.groups)) if older.groups else {}
    return tuple(own) + tuple(theirs.get(value) for value in extra)


def check_names(variables: list[Variable]) -> None:
    """Raise ExportError when two columns share a name (SPSS ignores case) or a name is too long."""
    seen: dict[str, str] = {}
    for variable in variables:
        folded = variable.name.lower()
        if folded in seen:
            raise ExportError("name_clash", name=variable.name, first=seen[folded], second=variable.key or "meta")
        if len(variable.name) > MAX_NAME:
            raise ExportError("name_too_long", name=variable.name, limit=MAX_NAME)
        seen[folded] = variable.key or "meta"

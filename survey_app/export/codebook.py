"""The codebook of a package, as a table and as a Frictionless data package descriptor.

One row per variable: its name, the question in Dutch and in English (Dutch, marked, until
the English translation exists), the type, the codes with their labels, the
recommendations it follows up, the versions that asked it, and what the anonymisation did.
"""

from dataclasses import dataclass
from datetime import datetime

from .frame import Frame
from .labels import Text, Translator, word
from .missing import LABEL, NOT_ASKED, NOT_SHOWN, OFF_SCALE_ANSWERS, SPSS_CODE, STATA_LETTER, SUPPRESSED
from .variables import FREE_TEXT_TYPES, Variable

HEADER = [
    "variabele",
    "vraag",
    "tekst_nl",
    "tekst_en",
    "tekst_en_vertaald",
    "onderdeel_nl",
    "onderdeel_en",
    "type",
    "opslag",
    "codes_nl",
    "codes_en",
    "codes_spss_stata",
    "aanbevelingen",
    "versies",
    "quasi_identificator",
    "anonimisering",
    "ontbrekend",
    "taal",
]
FIELD_TYPES = {"code": None, "integer": "integer", "text": "string", "date": "date"}
YES_NO = ("nee", "ja")


@dataclass
class Translations:
    """The Dutch and English renderings of a package's texts."""

    dutch: Translator
    english: Translator

    def both(self, text: Text | None) -> tuple[str, str, bool]:
        """Return (Dutch, English or Dutch, whether the English is a real translation)."""
        if text is None:
            return "", "", True
        english, translated = self.english.translated(text)
        return self.dutch(text), english, translated


def _codes(variable: Variable, translate: Translator) -> str:
    return " | ".join(f"{value} = {translate(label)}" for value, label in zip(variable.values, variable.labels))


def _numeric_codes(variable: Variable) -> str:
    if variable.kind != "code" or variable.numeric_codes == tuple(variable.values):
        return ""
    return " | ".join(f"{number} = {value}" for number, value in zip(variable.numeric_codes, variable.values))


def codebook_rows(frame: Frame, translations: Translations) -> list[list]:
    """Return one codebook row per variable, in the order of the data files."""
    rows = []
    for variable in frame.variables:
        text_nl, text_en, translated = translations.both(variable.text)
        detail_nl, detail_en, detail_translated = translations.both(variable.detail)
        rows.append(
            [
                variable.name,
                variable.key,
                text_nl,
                text_en,
                YES_NO[translated and detail_translated],
                detail_nl,
                detail_en,
                variable.question_type,
                variable.kind,
                _codes(variable, translations.dutch) if variable.kind == "code" else "",
                _codes(variable, translations.english) if variable.kind == "code" else "",
                _numeric_codes(variable),
                " ".join(variable.recommendations),
                " ".join(str(v) for v in variable.versions),
                YES_NO[variable.quasi_identifier],
                "; ".join(translations.dutch(note) for note in variable.notes),
                _missing(variable, translations.dutch),
                LANGUAGE_NOTE if variable.question_type in FREE_TEXT_TYPES else "",
            ]
        )
    return rows


LANGUAGE_NOTE = "de taal van de kolom antwoordtaal: waarin de vragenlijst werd ingevuld"


def _missing(variable: Variable, dutch: Translator) -> str:
    """Return how the files write the missing kinds of a variable: CSV code, SPSS code and Stata letter."""
    if variable.kind not in ("code", "integer") or (variable.question_type == "meta" and not variable.quasi_identifier):
        return ""
    kinds = [answer for answer in OFF_SCALE_ANSWERS if answer in variable.values and variable.question_type in ("agreement", "matrix")]
    kinds += [SUPPRESSED] if variable.question_type == "meta" else [NOT_SHOWN, "empty", SUPPRESSED, NOT_ASKED]
    parts = []
    for kind in kinds:
        csv = str(kind) if kind in OFF_SCALE_ANSWERS else "leeg"
        parts.append(f"{csv} in CSV, {SPSS_CODE[kind]} in SPSS, .{STATA_LETTER[kind]} in Stata = {dutch(word(LABEL[kind]))}")
    return " | ".join(parts)


def _field(variable: Variable, translations: Translations, *, labels: bool) -> dict:
    text_nl, text_en, _ = translations.both(variable.text)
    detail_nl, _, _ = translations.both(variable.detail)
    field = {"name": variable.name, "title": text_nl + (f" - {detail_nl}" if detail_nl else "")}
    if text_en != text_nl:
        field["description"] = text_en
    if variable.kind == "code" and not labels:
        numbers = all(isinstance(v, int) for v in variable.values)
        field["type"] = "integer" if numbers else "string"
        field["constraints"] = {"enum": list(variable.values)}
        field["categories"] = [
            {"value": value, "label": translations.dutch(label)} for value, label in zip(variable.values, variable.labels)
        ]
    elif variable.kind == "code":
        field["type"] = "string"
    else:
        field["type"] = FIELD_TYPES[variable.kind]
    return field


def datapackage(
    frame: Frame,
    translations: Translations,
    *,
    resources: dict[str, str],
    delimiter: str,
    created: datetime,
    disclosure_path: str,
) -> dict:
    """Return a Frictionless (tabular) data package descriptor for the CSV files of a package.

    resources maps a role ("codes", "labels", "long", "codebook") to its file name.
    """
    dialect = {"delimiter": delimiter, "lineTerminator": "\r\n", "quoteChar": '"', "doubleQuote": True, "header": True}

    def resource(name: str, path: str, fields: list[dict], title: str) -> dict:
        return {
            "name": name,
            "path": path,
            "title": title,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8-sig",
            "dialect": dialect,
            "schema": {"fields": fields, "missingValues": [""]},
        }

    found = []
    if "codes" in resources:
        fields = [_field(v, translations, labels=False) for v in frame.variables]
        fields[0]["constraints"] = {"required": True, "unique": True}
        found.append(resource("codes", resources["codes"], fields, "Antwoorden, met codes"))
    if "labels" in resources:
        fields = [_field(v, translations, labels=True) for v in frame.variables]
        found.append(resource("labels", resources["labels"], fields, "Antwoorden, met labels"))
    if "long" in resources:
        fields = [
            {"name": "respondent", "type": "string"},
            {"name": "variabele", "type": "string"},
            {"name": "waarde", "type": "string"},
        ]
        found.append(resource("long", resources["long"], fields, "Antwoorden, één rij per antwoord"))
    if "codebook" in resources:
        fields = [{"name": name, "type": "string"} for name in HEADER]
        found.append(resource("codebook", resources["codebook"], fields, "Codeboek"))
    found.append(
        {
            "name": "disclosure",
            "path": disclosure_path,
            "title": "Verslag van de anonimisering",
            "format": "json",
            "mediatype": "application/json",
        }
    )
    return {
        "profile": "tabular-data-package",
        "name": frame.slug,
        "title": frame.title,
        "created": created.isoformat(timespec="seconds"),
        "version": ".".join(str(v) for v in frame.versions),
        "keywords": sorted({r for v in frame.variables for r in v.recommendations}),
        "resources": found,
    }

"""The translation defects found in review (reviews/questionnaires-v1.md, section 5) stay fixed.

Several questionnaires share strings, so each check reads every message of the catalog,
not one msgctxt: a defect copied into a new questionnaire fails here too.
"""

import pytest
from babel.messages.pofile import read_po

from ..conftest import ROOT

TRANSLATIONS = ROOT / "translations"

# (language, domain, text no translation may contain, why)
DEFECTS = [
    ("fr", "questionnaires", "Très mal", "a 0-10 anchor says 'mauvais', not 'mal'"),
    ("fr", "questionnaires", "Très bien", "a 0-10 anchor says 'bon', not 'bien'"),
    ("fr", "questionnaires", "a pris la décision", "rol.beslissen must keep 'zelf'"),
    ("fr", "questionnaires", "vécu une injustice", "'oneerlijk behandeld' is narrower"),
    ("en", "questionnaires", "made the decision", "rol.beslissen must keep 'zelf'"),
    ("en", "questionnaires", "Nursery school", "kleuterschool is school, not a nursery"),
    ("en", "questionnaires", "nursery school", "kleuterschool is school, not a nursery"),
    ("tr", "questionnaires", "Ne kadar katıldığınızı", "'katılmak' needs an object"),
    ("ar", "questionnaires", "ما هو جنسك؟", "جنس also means nationality or kind"),
    ("ar", "questionnaires", "صورة OCMW عندك", "a calque of 'beeld van het OCMW'"),
    ("ar", "questionnaires", "عملها مع المدارس", "the consent must not shift meaning"),
    ("pl", "questionnaires", "wizyty lub wizyty", "two different visits, one word"),
    ("pl", "questionnaires", "wycieczkę", "wrong case"),
    ("pl", "questionnaires", "Pomoc z OCMW", "a calque"),
    ("it", "questionnaires", "Prima ho", "'prima' is ambiguous: 'in anticipo'"),
    ("it", "questionnaires", "Prima ha potuto", "'prima' is ambiguous: 'in anticipo'"),
    ("it", "questionnaires", "trattato ", "both forms: 'trattato/a'"),
    ("it", "questionnaires", "aiutato rapidamente", "both forms: 'aiutato/a'"),
    ("it", "questionnaires", "soddisfatto dei", "both forms: 'soddisfatto/a'"),
    ("fr", "questionnaires", "A été traité avec", "both forms: 'traité ou traitée'"),
    ("fr", "questionnaires", "A été traité injustement", "both forms: 'traité ou traitée'"),
    ("fr", "questionnaires", "Est satisfait du", "both forms: 'satisfait ou satisfaite'"),
    ("ro", "questionnaires", "Este mulțumit de", "both forms: 'mulțumit(ă)'"),
    ("pl", "questionnaires", "Jest zadowolony z", "both forms: 'zadowolony/zadowolona'"),
]


def strings(language, domain):
    """Return every current translation of a catalog, wrapped lines joined, plural forms apart."""
    with open(TRANSLATIONS / language / "LC_MESSAGES" / f"{domain}.po", "rb") as handle:
        catalog = read_po(handle, locale=language)
    found = []
    for message in catalog:
        if not message.id:
            continue
        values = message.string if isinstance(message.string, tuple) else (message.string,)
        found.extend((message.context, value) for value in values if value)
    return found


@pytest.mark.parametrize(("language", "domain", "defect", "why"), DEFECTS)
def test_a_reviewed_defect_does_not_come_back(language, domain, defect, why):
    hits = [context for context, value in strings(language, domain) if defect in value]
    assert hits == [], f"{language}: {defect!r} ({why}) in {hits}"


def test_french_names_the_cpas_with_its_dutch_name_in_every_string():
    bare = [
        context
        for context, value in strings("fr", "questionnaires")
        if "CPAS" in value and "CPAS (OCMW)" not in value
    ]
    assert bare == []


@pytest.mark.parametrize("language", ["en", "fr", "tr", "ar", "pl", "it", "ro", "bg"])
def test_centrum_has_a_gloss_in_every_language(language):
    centrum = [
        value
        for context, value in strings(language, "questionnaires")
        if context and context.endswith(".option.centrum")
    ]
    assert centrum
    assert all(value.startswith("Centrum (") for value in centrum), centrum


def test_bulgarian_agreement_labels_have_both_forms():
    labels = {"Helemaal oneens", "Oneens", "Niet eens, niet oneens", "Eens", "Helemaal eens"}
    with open(TRANSLATIONS / "bg" / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalog = read_po(handle, locale="bg")
    translated = [catalog.get(label).string for label in labels]
    assert all("съгласен/съгласна" in value.lower() for value in translated), translated

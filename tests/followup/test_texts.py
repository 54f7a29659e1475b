"""The follow-up texts reach the questionnaire catalogs through the questionnaires' extractor, and every language has them."""

import shutil
from pathlib import Path

import pytest
from babel.messages.extract import extract

from survey_app.content.extract import ExtractionError, extract_questionnaire
from survey_app.content.reader import read_package
from survey_app.followup.reader import read_followup
from survey_app.followup.texts import read_followup_texts
from survey_app.translations import TARGET_LANGUAGES, classify, load_catalog, read_catalog, template_path

ROOT = Path(__file__).resolve().parents[2]
QUESTIONNAIRES = ROOT / "questionnaires"
TRANSLATIONS = ROOT / "translations"
FOLLOWUP = QUESTIONNAIRES / "followup"
DEFINITIONS, _ = read_package(QUESTIONNAIRES)
PACKAGE, _ = read_followup(QUESTIONNAIRES, DEFINITIONS)


def expected_texts() -> dict[str, str]:
    """Return {context: Dutch text} of every follow-up string a resident or council member reads, from the content itself."""
    by_slug = {d.slug: d for d in DEFINITIONS}
    found = {f"followup:wave.{w.key}": w.title for w in PACKAGE.waves}
    for slug, plan in PACKAGE.plans.items():
        for rid, record in plan.records.items():
            found[f"{slug}:recommendation.{rid}"] = by_slug[slug].recommendations[rid]
            found[f"{slug}:followup.{rid}.note"] = record.note
            if record.reason:
                found[f"{slug}:followup.{rid}.reason"] = record.reason
        for key, indicator in plan.indicators.items():
            found[f"{slug}:indicator.{key}"] = indicator.title
    return found


EXPECTED = expected_texts()


def extracted(path: Path) -> dict[str, str]:
    """Return {context: text} of what the extractor gives for one file (each with a line and a note for translators)."""
    found = {}
    with open(path, "rb") as handle:
        for lineno, funcname, (context, text), comments in extract_questionnaire(handle, None, [], {}):
            assert funcname == "pgettext" and lineno >= 1 and comments
            found[context] = text
    return found


def test_the_extractor_gives_every_follow_up_text_with_its_key_as_context():
    found = {}
    for path in sorted(FOLLOWUP.glob("*.yaml")):
        found |= extracted(path)
    assert found == EXPECTED
    assert len([c for c in found if ".recommendation." in c or ":recommendation." in c]) == 40  # 5+3+17+5+5+5


def test_the_population_file_gives_no_text_and_babel_runs_the_extractor_on_follow_up_files():
    assert read_followup_texts(FOLLOWUP / "population.yaml") == (None, [])
    with open(FOLLOWUP / "werk.yaml", "rb") as handle:
        messages = list(extract(extract_questionnaire, handle))
    assert {context for _, _, _, context in messages} >= {"werk:recommendation.WE2h", "werk:followup.WE2h.note", "werk:indicator.vacatures_vinden"}


def test_the_template_holds_every_follow_up_text():
    template = read_catalog(template_path(TRANSLATIONS, "questionnaires"))
    for context, text in EXPECTED.items():
        assert template.get(text, context) is not None, f"{context} is not in questionnaires.pot: run `translations update`"


@pytest.mark.parametrize("language", TARGET_LANGUAGES)
def test_every_language_translates_every_follow_up_text(language):
    catalog = load_catalog(TRANSLATIONS, language, "questionnaires")
    states = {context: classify(catalog, context, text) for context, text in EXPECTED.items()}
    assert [c for c, state in states.items() if state != "translated"] == []
    for context, text in EXPECTED.items():
        translation = catalog.get(text, context).string
        assert translation.strip() != text.strip() or context.startswith("followup:"), f"{language} {context} is the Dutch text"
        for code in ("WE2a", "WE2h", "WE5a", "WE5d", "C-mine", "OCMW", "Denktafel"):
            kept = code in translation or (language == "fr" and code == "OCMW" and "CPAS" in translation)  # its Walloon name
            assert (code in text) <= kept, f"{language} {context} lost '{code}'"


def test_a_follow_up_file_with_a_mistake_stops_extraction_with_file_and_line(tmp_path):
    content = tmp_path / "questionnaires"
    shutil.copytree(QUESTIONNAIRES, content)
    plan = content / "followup" / "werk.yaml"
    plan.write_text(plan.read_text().replace("indicators: [vacatures_vinden]", "indicators: [vacature_vinden]"), encoding="utf-8")
    with pytest.raises(ExtractionError, match=r"followup/werk.yaml:\d+: the follow-up of WE1 names unknown indicator 'vacature_vinden'"):
        read_followup_texts(plan)
    with open(plan, "rb") as handle, pytest.raises(ExtractionError):
        list(extract_questionnaire(handle, None, [], {}))


def test_translation_status_counts_each_follow_up_and_flags_a_published_one_left_partly_dutch(tmp_path):
    from survey_app.followup.texts import followup_sources
    from survey_app.translations import format_status, translation_status

    rows = translation_status(TRANSLATIONS, interface=[], definitions=DEFINITIONS, languages=["tr"], followup=followup_sources(PACKAGE, DEFINITIONS))
    parts = {row.part: row for row in rows}
    assert parts["followup:werk"].count.translated == 53 and parts["followup:waves"].count.translated == 3
    assert not any(row.flagged for row in rows)

    content = tmp_path / "questionnaires"
    shutil.copytree(QUESTIONNAIRES, content)
    plan = content / "followup" / "werk.yaml"
    text = plan.read_text(encoding="utf-8").replace("published: false", "published: true")
    plan.write_text(text.replace("De Denktafel vraagt meer hoger onderwijs in Genk.", "De Denktafel vraagt meer hogescholen in Genk."), encoding="utf-8")
    definitions, _ = read_package(content)
    package, problems = read_followup(content, definitions)
    assert problems == []
    rows = translation_status(TRANSLATIONS, interface=[], definitions=definitions, languages=["tr"], followup=followup_sources(package, definitions))
    werk = next(row for row in rows if row.part == "followup:werk")
    assert (werk.count.fuzzy, werk.flagged) == (1, True)  # translated under the old Dutch: stale, not shown
    assert "followup:werk" in format_status(rows) and "<- not ready" in format_status(rows)

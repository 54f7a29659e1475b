"""The gettext workflow: extract, init, update (changed Dutch becomes fuzzy), compile, status."""

import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo

from survey_app import translations
from survey_app.content.reader import read_package
from survey_app.db import database

from .conftest import QUESTIONNAIRES, ROOT, make_app


def copy_package(target: Path) -> Path:
    """Return a project root in target with a copy of the questionnaire files."""
    shutil.copytree(QUESTIONNAIRES, target / "questionnaires", ignore=shutil.ignore_patterns("*.md"))
    return target


@pytest.fixture
def project(tmp_path):
    root = copy_package(tmp_path / "project")
    directory = tmp_path / "translations"
    template = translations.extract_domain("questionnaires", root=root, config_file=ROOT / "babel.cfg")
    translations.write_catalog(template, translations.template_path(directory, "questionnaires"))
    return root, directory


def translate_all(directory: Path, language: str, prefix: str = "") -> Catalog:
    path = translations.catalog_path(directory, language, "questionnaires")
    catalog = translations.read_catalog(path, language)
    for message in catalog:
        if message.id:
            message.string = f"{prefix}{message.id}"
    translations.write_catalog(catalog, path)
    return catalog


def test_the_two_templates_split_by_extractor():
    maps = translations.method_maps(ROOT / "babel.cfg")
    assert [m for _, m in maps["questionnaires"][0]] == ["survey_questionnaire"]
    assert {m for _, m in maps["messages"][0]} == {"python", "jinja2"}
    messages = translations.extract_domain("messages", root=ROOT, config_file=ROOT / "babel.cfg")
    ids = {m.id for m in messages if m.id}
    assert "Pagina %(number)s van %(total)s" in ids  # Jinja
    assert "Geef hier een antwoord." in ids  # Python, lazy _l()
    assert all(m.context is None or ":" not in m.context for m in messages if m.id)


def test_init_writes_an_empty_catalog_with_the_review_note(project):
    root, directory = project
    path = translations.init_catalog(directory, "tr", "questionnaires")
    text = path.read_text(encoding="utf-8")
    assert translations.REVIEW_NOTE in text.split("msgid", 1)[0]
    assert "Language: tr" in text and "#, fuzzy\nmsgid \"\"" not in text
    catalog = translations.read_catalog(path, "tr")
    assert all(not m.string for m in catalog if m.id)
    with pytest.raises(ValueError):
        translations.init_catalog(directory, "nl", "questionnaires")


def test_a_changed_dutch_string_makes_its_translation_fuzzy_and_it_is_not_compiled(project):
    root, directory = project
    translations.init_catalog(directory, "fr", "questionnaires")
    translate_all(directory, "fr", "FR ")
    werk = root / "questionnaires" / "werk.yaml"
    definitions, _ = read_package(root / "questionnaires")
    old_title = next(d for d in definitions if d.slug == "werk").title
    werk.write_text(werk.read_text(encoding="utf-8").replace(f"title: {old_title}", "title: Werken in Genk", 1), encoding="utf-8")

    template = translations.extract_domain("questionnaires", root=root, config_file=ROOT / "babel.cfg")
    translations.write_catalog(template, translations.template_path(directory, "questionnaires"))
    translations.update_catalog(directory, "fr", "questionnaires")
    catalog = translations.read_catalog(translations.catalog_path(directory, "fr", "questionnaires"), "fr")
    changed = catalog.get("Werken in Genk", "werk:title")
    assert changed is not None and changed.fuzzy
    assert changed.string == f"FR {old_title}"
    written = translations.catalog_path(directory, "fr", "questionnaires").read_text(encoding="utf-8")
    assert f'#, fuzzy\n#| msgid "{old_title}"\nmsgctxt "werk:title"\nmsgid "Werken in Genk"' in written
    assert catalog.get(old_title, "werk:title") is None
    unchanged = [m for m in catalog if m.id and m.context != "werk:title"]
    assert unchanged and not any(m.fuzzy for m in unchanged)

    result = translations.compile_catalog(directory, "fr", "questionnaires")
    assert result.skipped_fuzzy == 1 and result.errors == []
    compiled = translations.compiled_translations(directory, "fr", "questionnaires")
    assert ("werk:title", "Werken in Genk") not in compiled
    assert len(compiled) == result.compiled == len(unchanged)

    rows = translations.translation_status(directory, interface=[], definitions=read_package(root / "questionnaires")[0], languages=["fr"])
    werk_row = next(r for r in rows if r.part == "werk")
    assert (werk_row.count.fuzzy, werk_row.count.missing) == (1, 0) and werk_row.flagged
    assert not next(r for r in rows if r.part == "samenleven").flagged


def test_a_new_string_starts_empty_without_guessing_across_contexts(project):
    root, directory = project
    translations.init_catalog(directory, "pl", "questionnaires")
    translate_all(directory, "pl", "PL ")
    template = translations.read_catalog(translations.template_path(directory, "questionnaires"))
    template.add("Hulp van het OCMW ", context="ocmw-dienstverlening:new.text")
    translations.write_catalog(template, translations.template_path(directory, "questionnaires"))
    translations.update_catalog(directory, "pl", "questionnaires")
    catalog = translations.read_catalog(translations.catalog_path(directory, "pl", "questionnaires"), "pl")
    new = catalog.get("Hulp van het OCMW ", "ocmw-dienstverlening:new.text")
    assert new is not None and new.string == "" and not new.fuzzy


def test_wrong_placeholders_are_reported_and_left_out(tmp_path):
    catalog = Catalog(locale="en", domain="messages", fuzzy=False)
    catalog.add("Kies er ten hoogste %(max)s.", "Choose at most %(maximum)s.")
    catalog.add("Pagina %(number)s van %(total)s", "Page %(number)s of %(total)s")
    catalog.add("Vorige", "Back", flags=["fuzzy"])
    translations.write_catalog(catalog, translations.catalog_path(tmp_path, "en", "messages"))
    result = translations.compile_catalog(tmp_path, "en", "messages")
    assert len(result.errors) == 1 and "max" in result.errors[0]
    with open(result.path, "rb") as handle:
        compiled = {m.id: m.string for m in read_mo(handle) if m.id}
    assert compiled == {"Pagina %(number)s van %(total)s": "Page %(number)s of %(total)s"}


def test_status_table_flags_published_questionnaires_below_100_percent(project):
    root, directory = project
    translations.init_catalog(directory, "it", "questionnaires")
    definitions, _ = read_package(root / "questionnaires")
    rows = translations.translation_status(directory, interface=[(None, "Vorige")], definitions=definitions, languages=["it", "ro"])
    table = translations.format_status(rows)
    assert table.splitlines()[0].split() == ["lang", "part", "translated", "fuzzy", "missing", "%"]
    assert {r.part for r in rows} == {"interface"} | {d.slug for d in definitions}
    assert all(r.flagged for r in rows if r.published)
    assert "<- not ready" in table


@pytest.fixture
def cli(database_url, tmp_path):
    app = make_app(database_url, TRANSLATIONS_DIR=str(tmp_path / "translations"))
    yield app.test_cli_runner(), tmp_path / "translations"
    if not database.is_closed():
        database.close()


def test_translations_commands_extract_init_update_compile_status(cli):
    runner, directory = cli
    result = runner.invoke(args=["translations", "extract"])
    assert result.exit_code == 0, result.output
    assert (directory / "messages.pot").exists() and (directory / "questionnaires.pot").exists()
    result = runner.invoke(args=["translations", "init", "ar"])
    assert result.exit_code == 0, result.output
    assert translations.catalog_path(directory, "ar", "messages").exists()
    again = runner.invoke(args=["translations", "init", "ar"])
    assert "exists, left alone" in again.output
    assert runner.invoke(args=["translations", "init", "xx"]).exit_code == 2
    result = runner.invoke(args=["translations", "update", "-l", "ar", "-l", "tr"])
    assert result.exit_code == 0, result.output
    assert translations.catalog_path(directory, "tr", "questionnaires").exists()
    result = runner.invoke(args=["translations", "compile"])
    assert result.exit_code == 0, result.output
    assert translations.catalog_path(directory, "ar", "messages", ".mo").exists()
    result = runner.invoke(args=["translations", "status", "-l", "ar"])
    assert result.exit_code == 0 and "<- not ready" in result.output and "interface" in result.output
    assert runner.invoke(args=["translations", "status", "-l", "ar", "--check"]).exit_code == 1


@pytest.mark.parametrize("command", ["extract", "update", "compile", "init", "status"])
def test_every_translations_command_has_help(runner, command):
    result = runner.invoke(args=["translations", command, "--help"])
    assert result.exit_code == 0
    assert len(result.output.split("Options:")[0].strip().splitlines()) >= 2

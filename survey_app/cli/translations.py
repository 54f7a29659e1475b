"""The `translations` commands: extract, update, init, compile and report the gettext catalogs."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from .. import translations
from ..config import PROJECT_ROOT
from ..content.extract import ExtractionError
from ..content.reader import read_package
from ..followup.reader import read_followup
from ..followup.texts import followup_sources
from .questionnaires import questionnaires_dir


@click.group("translations", cls=AppGroup)
def translations_group():
    """Extract, update, compile and report the gettext catalogs (interface and questionnaires)."""


def _translations_dir() -> Path:
    return Path(current_app.config["TRANSLATIONS_DIR"])


def _extract_templates() -> None:
    directory = _translations_dir()
    for domain in translations.DOMAINS:
        try:
            catalog = translations.extract_domain(domain, root=PROJECT_ROOT, config_file=PROJECT_ROOT / "babel.cfg")
        except ExtractionError as error:
            for problem in error.problems:
                click.echo(str(problem), err=True)
            raise click.ClickException("the questionnaire files have mistakes: nothing was extracted") from error
        path = translations.template_path(directory, domain)
        translations.write_catalog(catalog, path)
        click.echo(f"{path}: {sum(1 for m in catalog if m.id)} strings")


def _languages(chosen) -> list[str]:
    return list(chosen) or list(translations.TARGET_LANGUAGES)


LANGUAGE_OPTION = click.option(
    "--language", "-l", "languages", multiple=True, type=click.Choice(translations.TARGET_LANGUAGES),
    help="Only this language (repeatable); default: all eight.",
)


@translations_group.command("extract")
def translations_extract_command():
    """Write translations/messages.pot and questionnaires.pot from the sources named in babel.cfg."""
    _extract_templates()


@translations_group.command("update")
@LANGUAGE_OPTION
@click.option("--domain", "-d", "domains", multiple=True, type=click.Choice(translations.DOMAINS), help="Only this domain (repeatable); default: both.")
def translations_update_command(languages, domains):
    """Extract, then bring each catalog in step: new strings empty, changed ones fuzzy (stale)."""
    _extract_templates()
    for language in _languages(languages):
        for domain in domains or translations.DOMAINS:
            click.echo(f"updated {translations.update_catalog(_translations_dir(), language, domain)}")


@translations_group.command("init")
@click.argument("language", type=click.Choice(translations.TARGET_LANGUAGES))
def translations_init_command(language):
    """Create the two empty catalogs of LANGUAGE (refuses to overwrite existing ones)."""
    directory = _translations_dir()
    if not all(translations.template_path(directory, d).exists() for d in translations.DOMAINS):
        _extract_templates()
    for domain in translations.DOMAINS:
        path = translations.catalog_path(directory, language, domain)
        if path.exists():
            click.echo(f"exists, left alone: {path} (use `translations update`)")
            continue
        click.echo(f"created {translations.init_catalog(directory, language, domain)}")


@translations_group.command("compile")
def translations_compile_command():
    """Build the .mo files; fuzzy entries and entries with wrong placeholders are left out."""
    problems = 0
    for language, domain in translations.existing_catalogs(_translations_dir()):
        result = translations.compile_catalog(_translations_dir(), language, domain)
        for error in result.errors:
            click.echo(error, err=True)
        problems += len(result.errors)
        click.echo(f"{result.path}: {result.compiled} compiled, {result.skipped_fuzzy} fuzzy left out")
    if problems:
        raise click.ClickException(f"{problems} translation(s) left out because of the errors above")


@translations_group.command("status")
@LANGUAGE_OPTION
@click.option("--check", is_flag=True, help="Exit with status 1 when a published questionnaire is not fully translated.")
def translations_status_command(languages, check):
    """Show translated / fuzzy / missing strings per language: the interface, each questionnaire and its follow-up."""
    template = translations.extract_domain("messages", root=PROJECT_ROOT, config_file=PROJECT_ROOT / "babel.cfg")
    definitions, problems = read_package(questionnaires_dir())
    for problem in problems:
        click.echo(str(problem), err=True)
    package, _ = read_followup(questionnaires_dir(), definitions)  # its mistakes: `questionnaires check`
    rows = translations.translation_status(
        _translations_dir(),
        interface=translations.interface_sources(template),
        definitions=definitions,
        languages=_languages(languages),
        followup=followup_sources(package, definitions),
    )
    click.echo(translations.format_status(rows))
    flagged = [row for row in rows if row.flagged]
    if flagged:
        click.echo(f"{len(flagged)} published part(s) not ready: residents would read them partly in Dutch.")
        if check:
            sys.exit(1)

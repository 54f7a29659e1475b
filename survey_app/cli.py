"""Command-line tasks: thin click wrappers around the domain modules."""

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from peewee import fn

from . import translations
from .accounts import AccountError, create_user
from .catalog import load_package
from .config import PROJECT_ROOT
from .content.extract import ExtractionError
from .content.plain_language import lint_package
from .content.reader import read_package
from .db import database
from .errors import ContentError
from .migrations import migrate_database
from .models import ROLES, Questionnaire, Response, User
from .web.results import export_command


def _questionnaires_dir() -> Path:
    return Path(current_app.config["QUESTIONNAIRES_DIR"])


@click.command("init-db")
def init_db_command():
    """Create the database or bring its schema up to date (safe to run again)."""
    with database.connection_context():
        applied = migrate_database()
    click.echo("Applied: " + ", ".join(applied) if applied else "The database is up to date.")


@click.group("questionnaires", cls=AppGroup)
def questionnaires_group():
    """Check and load the questionnaire content package."""


@questionnaires_group.command("check")
@click.argument("files", nargs=-1)
def check_command(files):
    """Report every mistake in the questionnaire files (all, or the FILES named)."""
    definitions, problems = read_package(_questionnaires_dir(), only=list(files) or None)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s) found.", err=True)
        sys.exit(1)
    for definition in definitions:
        count = sum(1 for _ in definition.questions())
        click.echo(f"ok  {definition.file}: {definition.slug} v{definition.version}, {definition.state}, {count} questions")


@questionnaires_group.command("lint")
@click.argument("files", nargs=-1)
def lint_command(files):
    """Check the plain Dutch of what residents read (thresholds: questionnaires/README.md)."""
    try:
        definitions, problems = lint_package(_questionnaires_dir(), only=list(files) or None)
    except ExtractionError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException("fix the mistakes above first (see `questionnaires check`)") from error
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{len(problems)} thing(s) to rewrite.", err=True)
        sys.exit(1)
    for definition in definitions:
        click.echo(f"ok  {definition.file}: plain Dutch")


@questionnaires_group.command("load")
def load_command():
    """Load the content package into the database: new versions, state changes (safe to run again)."""
    try:
        with database.connection_context():
            report = load_package(_questionnaires_dir())
    except ContentError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo("Nothing was loaded.", err=True)
        sys.exit(1)
    for label, items in (("new", report.created), ("updated draft", report.updated), ("unchanged", report.unchanged)):
        if items:
            click.echo(f"{label}: {', '.join(items)}")
    for item in report.transitions:
        click.echo(f"state: {item}")


@click.group("users", cls=AppGroup)
def users_group():
    """Manage staff accounts."""


@users_group.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the user may do.")
@click.password_option(help="At least 12 characters; asked for when left out.")
def create_user_command(username, role, password):
    """Create a staff account with a role."""
    try:
        with database.connection_context():
            user = create_user(username, password, role)
    except AccountError as error:
        raise click.UsageError(str(error)) from error
    click.echo(f"Created {user.username} ({user.role}), pseudonym {user.pseudonym}.")


@users_group.command("list")
def list_users_command():
    """List the staff accounts (never their passwords)."""
    with database.connection_context():
        for user in User.select().order_by(User.username):
            click.echo(f"{user.username}\t{user.role}\t{'active' if user.active else 'inactive'}")


@click.command("stats")
def stats_command():
    """Show how many responses each questionnaire version has, per language."""
    with database.connection_context():
        rows = (
            Response.select(Questionnaire.slug, Questionnaire.version, Response.language, fn.COUNT(Response.id).alias("n"))
            .join(Questionnaire)
            .group_by(Questionnaire.slug, Questionnaire.version, Response.language)
            .order_by(Questionnaire.slug, Questionnaire.version, Response.language)
            .tuples()
        )
        rows = list(rows)
        versions = list(Questionnaire.select().order_by(Questionnaire.slug, Questionnaire.version))
    counts = {(slug, version): {} for slug, version in ((q.slug, q.version) for q in versions)}
    for slug, version, language, n in rows:
        counts.setdefault((slug, version), {})[language] = n
    click.echo(f"{'questionnaire':32} {'version':>7} {'responses':>9}  by language")
    for q in versions:
        by_language = counts[(q.slug, q.version)]
        detail = ", ".join(f"{lang} {n}" for lang, n in sorted(by_language.items())) or "-"
        click.echo(f"{q.slug:32} {q.version:>7} {sum(by_language.values()):>9}  {detail}  ({q.state})")
    click.echo(f"{'total':32} {'':>7} {sum(n for *_, n in rows):>9}")


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
    """Show translated / fuzzy / missing strings per language, for the interface and each questionnaire."""
    template = translations.extract_domain("messages", root=PROJECT_ROOT, config_file=PROJECT_ROOT / "babel.cfg")
    definitions, problems = read_package(_questionnaires_dir())
    for problem in problems:
        click.echo(str(problem), err=True)
    rows = translations.translation_status(
        _translations_dir(),
        interface=translations.interface_sources(template),
        definitions=definitions,
        languages=_languages(languages),
    )
    click.echo(translations.format_status(rows))
    flagged = [row for row in rows if row.flagged]
    if flagged:
        click.echo(f"{len(flagged)} published part(s) not ready: residents would read them partly in Dutch.")
        if check:
            sys.exit(1)


def init_app(app: Flask) -> None:
    """Register the commands on the app's CLI."""
    for command in (init_db_command, questionnaires_group, users_group, stats_command, translations_group):
        app.cli.add_command(command)
    app.cli.add_command(export_command)

"""The `questionnaires` commands: check, lint and load the content package."""

import sys
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..catalog import load_package
from ..content.coverage import UNMEASURED, Coverage, measure_coverage
from ..content.duration import Estimate, estimate
from ..content.extract import ExtractionError
from ..content.identifying import identifying_problems
from ..content.methodology import method_problems
from ..content.plain_language import lint_package
from ..content.reader import read_package
from ..content.xlsform import document_yaml, export_xlsform, expression_problems, import_xlsform
from ..db import database
from ..errors import ContentError
from ..languages import LANGUAGES
from ..translations import TARGET_LANGUAGES, load_catalog
from ..followup.reader import empty_waves, read_followup
from ..followup.waves import count_wave_responses
from ..web.preview import render_preview


def questionnaires_dir() -> Path:
    """Return the content package folder of the current app."""
    return Path(current_app.config["QUESTIONNAIRES_DIR"])


@click.group("questionnaires", cls=AppGroup)
def questionnaires_group():
    """Check and load the questionnaire content package."""


@questionnaires_group.command("check")
@click.argument("files", nargs=-1)
@click.option("--responses", is_flag=True, help="Also report follow-up waves that ended without responses in the database.")
def check_command(files, responses):
    """Report every mistake in the questionnaire files (all, or the FILES named) and the follow-up content."""
    definitions, problems = read_package(questionnaires_dir(), only=list(files) or None)
    followup = None
    if not files and not problems:  # the follow-up is checked against questionnaires that read well
        followup, found = followup_problems(definitions, responses=responses)
        problems += found
    for definition in definitions:
        problems += method_problems(definition)
        problems += identifying_problems(definition)
    for problem in problems:
        click.echo(str(problem), err=True)
    for definition in definitions:
        count = sum(1 for _ in definition.questions())
        if not any(problem.file == definition.file for problem in problems):
            click.echo(f"ok  {definition.file}: {definition.slug} v{definition.version}, {definition.state}, {count} questions")
        else:
            click.echo(f"{definition.file}: {definition.slug} v{definition.version}, {definition.state}, {count} questions")
        for line in describe_estimate(estimate(definition)):
            click.echo(f"    {line}")
        for name in getattr(definition, "forms", None) or {}:
            short = estimate(definition.form(name))
            click.echo(f"    form '{name}': {short.shortest.minutes:.1f} to {short.longest.minutes:.1f} minutes "
                       f"({sum(1 for _ in definition.form(name).questions())} questions)")
    if followup and followup.population:
        population = followup.population
        click.echo(
            f"follow-up: {len(followup.waves)} waves, {len(followup.plans)} Denktafel(s) "
            f"({sum(p.published for p in followup.plans.values())} published, "
            f"{sum(p.placeholder for p in followup.plans.values())} with PLACEHOLDER records), population {population.total} "
            f"on {population.date.isoformat()}" + (" (PLACEHOLDER figures)" if population.placeholder else "")
        )
    if problems:
        click.echo(f"{len(problems)} problem(s) found.", err=True)
        sys.exit(1)


MAX_PATHS_SHOWN = 8


def describe_estimate(found: Estimate) -> list[str]:
    """Return the lines that report the minutes per path, longest first."""
    paths = found.paths
    lines = [f"minutes per path: {found.shortest.minutes:.1f} to {found.longest.minutes:.1f} ({len(paths)} path(s)"
             + ("" if found.complete else ", more answer combinations than were followed") + ")"]
    for path in paths[:MAX_PATHS_SHOWN]:
        shows = "shows " + ", ".join(path.shown_if) if path.shown_if else "no conditional page or question"
        lines.append(f"  {path.minutes:4.1f} min, {len(path.questions)} questions, {shows}")
    if len(paths) > MAX_PATHS_SHOWN:
        lines.append(f"  and {len(paths) - MAX_PATHS_SHOWN} shorter path(s)")
    return lines


def followup_problems(definitions, *, responses: bool):
    """Return the follow-up content and its problems (with responses: also its waves against the database)."""
    package, problems = read_followup(questionnaires_dir(), definitions)
    if responses and not problems:
        with database.connection_context():
            counts = count_wave_responses(package.waves, package.plans)
        problems += empty_waves(package, counts, today=date.today())
    return package, problems


@questionnaires_group.command("coverage")
@click.argument("files", nargs=-1)
def coverage_command(files):
    """Per Denktafel, each recommendation with the questions that measure it; flags the unmeasured ones."""
    definitions, problems = read_package(questionnaires_dir(), only=list(files) or None)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        raise click.ClickException("fix the mistakes above first (see `questionnaires check`)")
    package, _ = read_followup(questionnaires_dir(), definitions)  # its mistakes: `questionnaires check`
    unmeasured = 0
    for definition in definitions:
        plan = package.plans.get(definition.slug)
        notes = {rid: record.administrative for rid, record in plan.records.items()} if plan else {}
        found = measure_coverage(definition, administrative=notes)
        unmeasured += found.count(UNMEASURED)
        for line in describe_coverage(found):
            click.echo(line)
    if unmeasured:
        click.echo(f"{unmeasured} recommendation(s) not measured.", err=True)
        sys.exit(1)


def describe_coverage(found: Coverage) -> list[str]:
    """Return the lines of the coverage report of one questionnaire."""
    total = len(found.recommendations)
    lines = [
        f"{found.table} ({found.file}): {found.count('measured')} of {total} measured by questions, "
        f"{found.count('administrative')} by administrative data, {found.count(UNMEASURED)} not measured; "
        f"{len(found.verbatim)} item(s) verbatim from a standard source"
    ]
    width = max(len(r.id) for r in found.recommendations) if total else 0
    for row in found.recommendations:
        also = "".join(f"; {label}: {', '.join(keys)}" for label, keys in (("open", row.open), ("profile", row.profile)) if keys)
        if row.status == "measured":
            both = "; the follow-up names administrative data too" if row.administrative else ""
            lines.append(f"  {row.id:<{width}}  measured by {', '.join(row.questions)}{also}{both}")
        elif row.status == "administrative":
            lines.append(f"  {row.id:<{width}}  administrative data: {' '.join(row.administrative.split())}{also}")
        else:
            lines.append(
                f"  {row.id:<{width}}  NOT MEASURED{also}: {' '.join(row.text.split())} Fix: add a closed question "
                f"with 'recommendations: [{row.id}]', or say in followup/{found.slug}.yaml which of the city's "
                "own data follow it up ('administrative:')"
            )
    return lines


@questionnaires_group.command("preview")
@click.argument("files", nargs=-1)
@click.option("--output", "-o", default="results/preview", show_default=True, type=click.Path(file_okay=False),
              help="Folder for the HTML files, one per questionnaire and language.")
@click.option("--language", "languages", multiple=True, type=click.Choice(list(LANGUAGES)),
              help="Only this language (repeatable); default all.")
@click.option("--paper", is_flag=True, help="Leave out the details for editors (they never print anyway).")
def preview_command(files, output, languages, paper):
    """Write every questionnaire as one printable HTML page per language, skip logic in words."""
    definitions, problems = read_package(questionnaires_dir(), only=list(files) or None)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        raise click.ClickException("fix the mistakes above first (see `questionnaires check`)")
    folder = Path(output)
    folder.mkdir(parents=True, exist_ok=True)
    with current_app.test_request_context():
        for definition in definitions:
            for language in languages or LANGUAGES:
                path = folder / f"{definition.slug}.{language}.html"
                path.write_text(render_preview(definition, language, standalone=True, paper=paper), encoding="utf-8")
                click.echo(str(path))


@questionnaires_group.group("xlsform", cls=AppGroup)
def xlsform_group():
    """Exchange questionnaire definitions with KoboToolbox, ODK and other XLSForm tools."""


@xlsform_group.command("export")
@click.argument("files", nargs=-1)
@click.option("--output", "-o", default="results/xlsform", show_default=True, type=click.Path(file_okay=False),
              help="Folder for the workbooks, one <slug>.xlsx per questionnaire.")
def xlsform_export_command(files, output):
    """Write each questionnaire as an XLSForm workbook, with a label column per translated language."""
    definitions, problems = read_package(questionnaires_dir(), only=list(files) or None)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        raise click.ClickException("fix the mistakes above first (see `questionnaires check`)")
    directory = Path(current_app.config["TRANSLATIONS_DIR"])
    translations = {}
    for language in TARGET_LANGUAGES:
        catalog = load_catalog(directory, language, "questionnaires")
        if catalog is not None:
            translations[language] = {(m.context, m.id): m.string for m in catalog if m.id and m.string and not m.fuzzy}
    folder = Path(output)
    folder.mkdir(parents=True, exist_ok=True)
    for definition in definitions:
        path = folder / f"{definition.slug}.xlsx"
        path.write_bytes(export_xlsform(definition, translations=translations))
        click.echo(str(path))


@xlsform_group.command("import")
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False))
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="The questionnaire file to write (default: <slug>.yaml in the content package).")
@click.option("--force", is_flag=True, help="Replace a file that exists.")
def xlsform_import_command(workbook, output, force):
    """Read an XLSForm workbook and write it as a questionnaire file, then check it."""
    name = Path(workbook).name
    document, problems = import_xlsform(Path(workbook).read_bytes(), file=name)
    if not document:
        for problem in problems:
            click.echo(str(problem), err=True)
        raise click.ClickException("nothing was written")
    path = Path(output) if output else questionnaires_dir() / f"{document['slug']}.yaml"
    if path.exists() and not force:
        raise click.ClickException(f"{path} exists; use --force to replace it, or --output for another file")
    path.write_text(document_yaml(document), encoding="utf-8")
    click.echo(f"wrote {path}")
    problems += list(expression_problems(document, path.name))
    _, found = read_package(path.parent, only=[path.name])
    for problem in problems + found:
        click.echo(str(problem), err=True)
    if problems or found:
        click.echo(f"{len(problems) + len(found)} thing(s) to finish in {path.name} (see questionnaires/README.md).", err=True)
        sys.exit(1)


@questionnaires_group.command("lint")
@click.argument("files", nargs=-1)
def lint_command(files):
    """Check the plain Dutch of what residents read (thresholds: questionnaires/README.md)."""
    try:
        definitions, problems = lint_package(questionnaires_dir(), only=list(files) or None)
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
            report = load_package(questionnaires_dir())
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

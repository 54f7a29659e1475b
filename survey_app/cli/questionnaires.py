"""The `questionnaires` commands: check, lint and load the content package."""

import sys
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..catalog import load_package
from ..content.duration import Estimate, estimate
from ..content.extract import ExtractionError
from ..content.methodology import method_problems
from ..content.plain_language import lint_package
from ..content.reader import read_package
from ..db import database
from ..errors import ContentError
from ..followup.reader import empty_waves, read_followup
from ..followup.waves import count_wave_responses


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
    if followup and followup.population:
        population = followup.population
        click.echo(
            f"follow-up: {len(followup.waves)} waves, {len(followup.plans)} Denktafel(s), population {population.total} "
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

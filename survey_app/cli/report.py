"""The `report` command: the council report of a Denktafel's follow-up as report.html and report.pdf."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..db import database
from ..errors import SurveyError
from ..followup.document import write_report
from ..languages import LANGUAGES


@click.command("report")
@click.argument("slug")
@click.option("--language", type=click.Choice(list(LANGUAGES)), default="nl", show_default=True, help="Language of headings and explanations.")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), help="Folder for results (default: RESULTS_DIR).")
@with_appcontext
def report_command(slug, language, output):
    """Write the follow-up report of SLUG to results/SLUG/<date-time>/report.html and report.pdf."""
    from werkzeug.exceptions import HTTPException

    from ..web.followup import plan_or_404, report_html

    from ..export.release import latest_release

    destination = output or Path(current_app.config["RESULTS_DIR"])
    try:
        # The request context hands the connection back at its teardown, before connection_context ends.
        with current_app.test_request_context(f"/?lang={language}"), database.connection_context():
            plan_or_404(slug)
            if latest_release(slug) is None:
                # The report shows the figures of the newest release, like the pages; making one is the export's job.
                click.echo(f"Error: '{slug}' has no release yet: make one with `flask --app survey_app export {slug}`, then run the report again.", err=True)
                sys.exit(1)
            html = report_html(slug, inline_css=True)
            folder = write_report(html, destination, slug)
    except HTTPException as error:
        reasons = {404: f"'{slug}' has no questionnaire or no follow-up file (questionnaires/followup/{slug}.yaml).", 503: "the follow-up content has mistakes: run `flask --app survey_app questionnaires check`."}
        click.echo(f"Error: {reasons.get(error.code, error.description)}", err=True)
        sys.exit(1)
    except (SurveyError, OSError) as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    click.echo(f"Wrote {folder / 'report.html'}")
    click.echo(f"Wrote {folder / 'report.pdf'}")

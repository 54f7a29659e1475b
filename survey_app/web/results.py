"""Results for analysts and admins: the questionnaires with their counts, an export as a zip
download, and an overview per recommendation. Also the `export` command of the CLI.

Thin wrappers around survey_app.export.package; only the roles in EXPORT_ROLES get in, and
raw (not anonymised) data only for admins, checked on the server.
"""

import shutil
import sys
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

import click
from flask import Blueprint, abort, current_app, redirect, render_template, send_file, url_for
from flask.cli import with_appcontext
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from peewee import fn
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..catalog import definition_of
from ..db import database
from ..errors import SurveyError
from ..export.errors import ExportError
from ..export.frame import select_versions
from ..export.release import latest_made, newest_release, release_period
from ..export.labels import Translator
from ..export.package import (
    DELIMITERS,
    EXPORT_ROLES,
    FORMATS,
    PURPOSE_MAX,
    RAW_ROLES,
    Actor,
    ExportOptions,
    export_questionnaire,
)
from ..export.summary import recommendation_scores
from ..followup.reader import load_waves
from .followup import warm_figures
from .i18n import LANGUAGES
from ..models import ExportLog, Questionnaire, Response, User
from .security import role_required

bp = Blueprint("results", __name__, url_prefix="/results")

# The Dutch words for each reason an export cannot be made (the CLI has English ones).
MESSAGES = {
    "unknown_questionnaire": _l("Deze vragenlijst bestaat niet."),
    "unknown_versions": _l("Deze versie bestaat niet. Kies een versie uit de lijst."),
    "bad_date_range": _l("De begindatum ligt na de einddatum. Kijk de datums na."),
    "no_responses": _l("Er zijn geen antwoorden voor deze keuze. Kies andere versies of andere datums."),
    "too_few_to_anonymise": _l(
        "Er zijn te weinig antwoorden om ze anoniem te delen. Elke groep moet minstens %(k)s mensen tellen. Wacht op meer antwoorden."
    ),
    "release_refused": _l(
        "Er kan nog geen anonieme vrijgave gemaakt worden: dan zou men te weinig mensen kunnen herkennen. Wacht op meer antwoorden."
    ),
    "release_gone": _l(
        "Deze vrijgave kan niet opnieuw gemaakt worden, want er zijn antwoorden gewist. Vraag de beheerder om hulp."
    ),
    "raw_needs_admin": _l("Alleen beheerders mogen gegevens zonder anonimisering downloaden."),
    "purpose_missing": _l("Schrijf waarvoor u de gegevens nodig hebt."),
    "unknown_format": _l("Kies een bestandsformaat uit de lijst."),
    "unwritable": _l("De export kon niet worden weggeschreven. Probeer het later opnieuw."),
    "too_many_rows_for_excel": _l("Te veel antwoorden voor Excel. Kies CSV, SPSS of Stata."),
    "type_changed": _l("Een vraag veranderde van soort tussen de versies. Download de versies apart."),
    "name_clash": _l("Twee kolommen hebben dezelfde naam. Vraag de beheerder om de vragenlijst na te kijken."),
    "name_too_long": _l("Een kolomnaam is te lang. Vraag de beheerder om de vragenlijst na te kijken."),
}
FORMAT_LABELS = {
    "csv": _l("CSV: codes, labels, lang formaat en codeboek"),
    "xlsx": _l("Excel-werkboek"),
    "sav": _l("SPSS (.sav) met labels"),
    "dta": _l("Stata (.dta) met labels"),
}
DELIMITER_LABELS = {",": _l("Komma (,)"), ";": _l("Puntkomma (;): voor Excel met Belgische instellingen")}
PRECISION_LABELS = {"month": _l("Per maand"), "week": _l("Per week (ISO-week)")}


class ExportForm(FlaskForm):
    formats = SelectMultipleField(
        _l("Bestanden"),
        choices=[SelectChoice(name, FORMAT_LABELS[name]) for name in FORMATS],
        default=["csv"],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[DataRequired(_l("Kies minstens één soort bestand."))],
    )
    versions = SelectMultipleField(
        _l("Versies (niets gekozen: alle gepubliceerde en gesloten versies)"),
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    date_from = DateField(_l("Vanaf (datum)"), validators=[Optional()])
    date_to = DateField(_l("Tot en met (datum)"), validators=[Optional()])
    labels_language = SelectField(
        _l("Taal van de labels"), choices=[SelectChoice(code, lang.name) for code, lang in LANGUAGES.items()], default="nl"
    )
    date_precision = RadioField(
        _l("Datum van het antwoord"), choices=[SelectChoice(k, v) for k, v in PRECISION_LABELS.items()], default="month"
    )
    delimiter = SelectField(
        _l("Scheidingsteken in CSV"), choices=[SelectChoice(k, v) for k, v in DELIMITER_LABELS.items()], default=","
    )
    include_free_text = BooleanField(_l("Open antwoorden (vrije tekst) toevoegen. Persoonsgegevens worden eruit gehaald."))
    raw = BooleanField(_l("Ruwe gegevens, zonder anonimisering (alleen voor beheerders)"))
    purpose = TextAreaField(
        _l("Waarvoor hebt u deze gegevens nodig?"),
        validators=[DataRequired(_l("Schrijf waarvoor u de gegevens nodig hebt.")), Length(max=PURPOSE_MAX)],
    )

    def validate_date_to(self, field):
        if field.data and self.date_from.data and self.date_from.data > field.data:
            raise ValidationError(MESSAGES["bad_date_range"])

    def options(self) -> ExportOptions:
        """Return the export options the form asks for."""
        formats = tuple(self.formats.data)
        return ExportOptions(
            formats=formats,
            versions=tuple(self.versions.data or ()),
            date_from=self.date_from.data,
            date_to=self.date_to.data,
            labels_language=self.labels_language.data,
            include_free_text=bool(self.include_free_text.data),
            raw=self.raw is not None and bool(self.raw.data),  # the field is removed for analysts
            date_precision=self.date_precision.data,
            delimiter=self.delimiter.data,
        )


def _versions_or_404(slug: str) -> list[Questionnaire]:
    rows = list(Questionnaire.select().where(Questionnaire.slug == slug).order_by(Questionnaire.version))
    if not rows:
        abort(404)
    return rows


def _translations_dir() -> Path:
    return Path(current_app.config["TRANSLATIONS_DIR"])


@bp.get("/")
@role_required(*EXPORT_ROLES)
def index():
    counts = dict(
        Response.select(Response.questionnaire, fn.COUNT(Response.id)).group_by(Response.questionnaire).tuples()
    )
    surveys: dict[str, list] = {}
    for row in Questionnaire.select().order_by(Questionnaire.slug, Questionnaire.version):
        surveys.setdefault(row.slug, []).append((row, counts.get(row.id, 0)))
    exports = list(ExportLog.latest().limit(10)) if current_user.role in RAW_ROLES else []
    return render_template("results/index.html", surveys=surveys, exports=exports)


@bp.route("/<slug>/export", methods=["GET", "POST"])
@role_required(*EXPORT_ROLES)
def export(slug):
    rows = _versions_or_404(slug)
    form = ExportForm()
    form.versions.choices = [SelectChoice(r.version, f"{r.version} ({r.state})") for r in rows]
    if current_user.role not in RAW_ROLES:
        del form.raw
    error = None
    if form.validate_on_submit():
        workdir = Path(tempfile.mkdtemp(prefix="export-"))
        try:
            summary = export_questionnaire(
                slug,
                form.options(),
                purpose=form.purpose.data,
                actor=Actor.of(current_user._get_current_object()),
                via="web",
                destination=workdir,
                translations_dir=_translations_dir(),
                waves=_waves(),
            )
            if not form.options().raw:
                warm_figures(slug)  # a new release: its follow-up figures now, not at the first page view
            archive = tempfile.TemporaryFile()  # noqa: SIM115 - send_file closes it after the download
            with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
                for name in summary.files:
                    bundle.write(summary.folder / name, arcname=f"{slug}-{summary.folder.name}/{name}")
            archive.seek(0)
            return send_file(
                archive,
                mimetype="application/zip",
                as_attachment=True,
                download_name=f"{slug}-{summary.folder.name}.zip",
            )
        except ExportError as failure:
            error = MESSAGES[failure.code] % failure.params
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    status = 400 if error or form.errors else 200
    return render_template("results/export.html", form=form, slug=slug, title=rows[-1].title, error=error), status


def _waves() -> tuple:
    """Return the follow-up's waves, for questionnaires whose releases follow them (release_period: wave)."""
    return load_waves(Path(current_app.config["QUESTIONNAIRES_DIR"]))


NO_RELEASE = _l("Er is nog geen vrijgave van deze vragenlijst. Maak er een om de cijfers te zien: alle antwoorden tot het einde van de laatste afgesloten periode.")


@bp.get("/<slug>/")
@role_required(*EXPORT_ROLES)
def overview(slug):
    """The figures per recommendation, from the newest release in the ledger; a GET never makes one."""
    rows = _versions_or_404(slug)
    versions = select_versions(slug)
    k = definition_of(versions[-1]).k_anonymity
    # The figures come from the newest release, never from the live table: a resident who
    # just submitted changes nothing here until a release holds at least k new responses.
    try:
        made = latest_made(slug)
    except ExportError as failure:
        message = MESSAGES[failure.code] % failure.params
        return render_template("results/overview.html", slug=slug, title=rows[-1].title, scores=[], rows=0, k=k, error=message)
    if made is None:
        return render_template("results/overview.html", slug=slug, title=rows[-1].title, scores=[], rows=0, k=k, no_release=str(NO_RELEASE))
    return _overview_of(slug, rows, versions, made)


def _overview_of(slug, rows, versions, made):
    frame = made.frame
    scores = recommendation_scores(frame, definition_of(versions[-1]), Translator(str(get_locale()), _translations_dir()))
    release = made.disclosure.release
    return render_template(
        "results/overview.html", slug=slug, title=rows[-1].title, scores=scores, rows=frame.rows, k=frame.k_anonymity, release=release
    )


@bp.post("/<slug>/vrijgave")
@role_required(*EXPORT_ROLES)
def make_release(slug):
    """Make the newest release the ledger allows (as an export would), then show the overview."""
    rows = _versions_or_404(slug)
    try:
        newest_release(slug, period=release_period(slug), waves=_waves())
        warm_figures(slug)
    except ExportError as failure:
        message = MESSAGES[failure.code] % failure.params
        k = definition_of(select_versions(slug)[-1]).k_anonymity
        return render_template("results/overview.html", slug=slug, title=rows[-1].title, scores=[], rows=0, k=k, error=message), 409
    return redirect(url_for("results.overview", slug=slug), 303)


@click.command("export")
@click.argument("slug")
@click.option(
    "--format",
    "formats",
    type=click.Choice([*FORMATS, "all"]),
    multiple=True,
    default=("csv",),
    show_default=True,
    help="File format; repeat for several, or 'all'.",
)
@click.option("--versions", help="Versions to export, like 1,2 (default: every version that is not a draft).")
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), help="First day, YYYY-MM-DD.")
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), help="Last day, YYYY-MM-DD.")
@click.option("--labels-language", type=click.Choice(list(LANGUAGES)), default="nl", show_default=True, help="Language of the labels file.")
@click.option("--include-free-text", is_flag=True, help="Add the open answers, scrubbed of personal data.")
@click.option("--week", is_flag=True, help="Dates per ISO week instead of per month.")
@click.option("--delimiter", type=click.Choice(list(DELIMITERS)), default=",", show_default=True, help="';' for Excel with Belgian settings.")
@click.option("--raw", is_flag=True, help="Not anonymised: admin only, needs --user naming an admin account.")
@click.option("--purpose", required=True, help="What the export is for; it is logged.")
@click.option("--user", "username", help="The staff account making the export (logged).")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), help="Folder for results (default: RESULTS_DIR).")
@with_appcontext
def export_command(slug, formats, versions, date_from, date_to, labels_language, include_free_text, week, delimiter, raw, purpose, username, output):
    """Export the responses to questionnaire SLUG, anonymised, to results/SLUG/<date-time>/."""
    try:
        chosen_versions = tuple(int(v) for v in versions.split(",") if v.strip()) if versions else ()
    except ValueError:
        raise click.UsageError(f"--versions takes whole numbers separated by commas, like 1,2 (got '{versions}')") from None
    options = ExportOptions(
        formats=tuple(FORMATS) if "all" in formats else tuple(dict.fromkeys(formats)),
        versions=chosen_versions,
        date_from=date_from.date() if date_from else None,
        date_to=date_to.date() if date_to else None,
        labels_language=labels_language,
        include_free_text=include_free_text,
        raw=raw,
        date_precision="week" if week else "month",
        delimiter=delimiter,
    )
    destination = output or Path(current_app.config["RESULTS_DIR"])
    try:
        with database.connection_context():
            user = None
            if username:
                user = User.get_or_none((User.username == username) & (User.active == True))
                if user is None:
                    raise click.UsageError(f"There is no active staff account '{username}'.")
            if raw and user is None:
                raise click.UsageError("--raw needs --user naming an admin account.")
            if user is not None and user.role not in EXPORT_ROLES:
                raise click.UsageError(f"'{username}' has the role {user.role}; exports are for analysts and admins.")
            summary = export_questionnaire(
                slug,
                options,
                purpose=purpose,
                actor=Actor.of(user),
                via="cli",
                destination=destination,
                translations_dir=Path(current_app.config["TRANSLATIONS_DIR"]),
                waves=_waves(),
            )
            if not options.raw:
                warm_figures(slug)
    except SurveyError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    disclosure = summary.disclosure
    click.echo(f"Wrote {disclosure.rows_exported} responses to {summary.folder}")
    if disclosure.anonymised:
        click.echo(
            f"Anonymised: k = {disclosure.k} (smallest group {disclosure.k_reached}), "
            f"{disclosure.rows_left_out} response(s) left out, dates per {disclosure.period or disclosure.date_precision}."
        )
        release = disclosure.release
        if release:
            click.echo(
                f"Release {release['number']}: responses up to {release['holds_responses_up_to']}; "
                f"ledger checks against {len(release['ledger_checks'])} earlier release(s): {release['ledger_result']}."
            )
            for note in release.get("notes", []):
                click.echo(f"Note: {note}.")
    else:
        click.echo("RAW DATA: not anonymised. Keep it safe and delete it when done.")
    if summary.untranslated:
        click.echo(f"{summary.untranslated} label(s) not yet translated into {labels_language}: shown in Dutch.")
    for name in summary.files:
        click.echo(f"  {name}")
    click.echo(f"Logged as export {summary.log_id} ({datetime.now():%Y-%m-%d %H:%M}).")

"""Follow-up pages: per Denktafel the figures for analysts and policy makers, and 'you said, we did' for residents.

Thin views: the content comes from survey_app.followup.reader, the figures from
survey_app.followup.estimates, the charts' geometry from survey_app.followup.chart.
"""

from datetime import date
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template
from werkzeug.exceptions import HTTPException
from flask_babel import format_decimal
from peewee import fn
from flask_babel import lazy_gettext as _l

from ..catalog import definition_of
from ..export.errors import ExportError
from ..export.frame import select_versions
from ..export.package import EXPORT_ROLES
from ..export.release import latest_release, released_rows
from ..followup.chart import trend_chart
from ..followup.document import html_to_pdf
from ..followup.estimates import MIN_ANSWERS, followup_figures
from ..followup import store
from ..followup.reader import FOLDER, POPULATION_FILE, WAVES_FILE, content_signature, load_followup
from ..models import Questionnaire
from ..models import Response as StoredResponse
from .i18n import LANGUAGES
from .security import role_required

bp = Blueprint("followup", __name__)

STATUS_LABELS = {
    "planned": _l("Gepland"),
    "started": _l("Gestart"),
    "done": _l("Uitgevoerd"),
    "not_taken": _l("Niet uitgevoerd"),
}
VERDICT_LABELS = {
    "better": _l("Beter"),
    "no_clear_change": _l("Geen duidelijke verandering"),
    "worse": _l("Slechter"),
}
MODE_LABELS = {"self": _l("Zelf ingevuld"), "assisted": _l("Met hulp van een medewerker")}
BREAKDOWN_TITLES = {
    "district": _l("District"),
    "leeftijd": _l("Leeftijd"),
    "geslacht": _l("Geslacht"),
    "antwoordtaal": _l("Taal"),
    "afnamewijze": _l("Afname"),
}


@bp.app_context_processor
def number_helper():
    return {"number": number}


def number(value: float, digits: int = 0) -> str:
    """Return value with a fixed number of decimals, written the way the current language writes numbers."""
    return format_decimal(value, format="#,##0" + ("." + "0" * digits if digits else ""))


def _stored_definitions() -> list:
    """Return every stored questionnaire version, the one residents answer last for its slug."""
    rows = list(Questionnaire.select(Questionnaire.id, Questionnaire.slug, Questionnaire.version, Questionnaire.state, Questionnaire.content_hash, Questionnaire.title).order_by(Questionnaire.slug, Questionnaire.version))
    latest = {slug: Questionnaire.latest(slug).id for slug in {row.slug for row in rows}}
    rows.sort(key=lambda row: (row.slug, row.id == latest[row.slug], row.version))
    return [((row.id, row.content_hash), definition_of(row)) for row in rows]


def _content(slug: str):
    """Return the follow-up package, or a 500-free 503 page when the content slug's page rests on has mistakes.

    A mistake in another Denktafel's file (say, a follow-up written for a version not loaded yet)
    is logged but does not take this page down: `questionnaires check` reports it.
    """
    package, problems = load_followup(Path(current_app.config["QUESTIONNAIRES_DIR"]), _stored_definitions())
    shared = {f"{FOLDER}/{WAVES_FILE}", f"{FOLDER}/{POPULATION_FILE}", f"{FOLDER}/{slug}.yaml", FOLDER}
    if problems:
        current_app.logger.error("follow-up content has problems: %s", "; ".join(map(str, problems[:5])))
    if any(problem.file in shared for problem in problems):
        abort(503)
    return package


def plan_or_404(slug: str):
    package = _content(slug)
    plan = package.plans.get(slug)
    if plan is None or Questionnaire.latest(slug) is None:
        abort(404)
    return package, plan


FIGURES_KEPT = 32  # sets of figures kept per app: a few Denktafels, each for its latest release
FIGURES_FOLDER = ".followup-figures"  # under RESULTS_DIR: the figures of each release, kept on disk


def _figures(slug, plan, package):
    """Return the definition, the release and the figures of slug, computed again only for a new release.

    The figures come from the newest release in the ledger, the same responses analysts download
    (docs/disclosure.md): a resident who just submitted changes nothing here until a release holds
    at least k new responses. A page never makes a release; the export does.
    """
    rows = select_versions(slug)
    entry = latest_release(slug)
    # Only the responses a release can hold count: new submissions after its last day change
    # nothing here, a response deleted from its period does (the figures are made again).
    held = StoredResponse.questionnaire.in_([r.id for r in rows])
    if entry is not None:
        held &= StoredResponse.submitted_on <= entry.period_end
    state = StoredResponse.select(fn.COUNT(StoredResponse.id), fn.MAX(StoredResponse.id)).where(held).tuples().first()
    key = (slug, tuple(r.id for r in rows), entry.id if entry else None, tuple(state or ()))
    cache = current_app.extensions.setdefault("followup_figures", {})
    kept = cache.get(key)
    if kept is None or kept[0] is not package:
        # On disk too, so a fresh server process does not compute them again (survey_app/followup/store.py).
        directory = Path(current_app.config["QUESTIONNAIRES_DIR"])
        name = store.file_name(key, entry.secret if entry else None, content_signature(directory), store.code_signature())
        folder = Path(current_app.config["RESULTS_DIR"]) / FIGURES_FOLDER
        figures = store.read(folder, name, plan, package) if entry else None
        if figures is None:
            try:
                released = released_rows(slug, entry)
            except ExportError as failure:
                current_app.logger.error("follow-up of %s: %s", slug, failure)
                released, entry = released_rows(slug, None), None
            languages = {code: lang.name for code, lang in LANGUAGES.items()}
            figures = followup_figures(released.frame, plan, package, languages=languages, suppressed=released.suppressed)
            if entry is not None:
                store.write(folder, name, figures)
        if len(cache) >= FIGURES_KEPT:
            cache.clear()
        kept = cache[key] = (package, entry, figures)
    return definition_of(rows[-1]), kept[1], kept[2]


def warm_figures(slug: str) -> None:
    """Compute and keep the follow-up figures of slug's newest release, so no page view waits for them.

    Called right after an export or the overview's button made a release; nothing when slug has
    no follow-up (or its content has mistakes: the pages say so).
    """
    try:
        package, plan = plan_or_404(slug)
    except HTTPException:
        return
    _figures(slug, plan, package)


def _context(slug) -> dict:
    """Return what the analysts' page and the report show."""
    package, plan = plan_or_404(slug)
    definition, release, figures = _figures(slug, plan, package)
    charts = {key: trend_chart(found) for key, found in figures.indicators.items()}
    return dict(
        definition=definition,
        plan=plan,
        figures=figures,
        release=release,
        charts=charts,
        population=package.population,
        min_answers=MIN_ANSWERS,
        statuses=STATUS_LABELS,
        verdicts=VERDICT_LABELS,
        modes=MODE_LABELS,
        breakdown_titles=BREAKDOWN_TITLES,
    )


@bp.get("/results/<slug>/opvolging")
@role_required(*EXPORT_ROLES)
def analysis(slug):
    return render_template("followup/analysis.html", **_context(slug))


def report_html(slug: str, *, inline_css: bool) -> str:
    """Return the council report of a Denktafel as one HTML document (styles inline for a file or a PDF)."""
    css = (Path(current_app.static_folder) / "followup.css").read_text(encoding="utf-8") if inline_css else None
    return render_template("followup/report.html", inline_css=css, made_on=date.today().isoformat(), **_context(slug))


@bp.get("/results/<slug>/opvolging/rapport.<any(html, pdf):format>")
@role_required(*EXPORT_ROLES)
def report(slug, format):
    if format == "html":
        return report_html(slug, inline_css=False)
    pdf = html_to_pdf(report_html(slug, inline_css=True))
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{slug}-rapport.pdf"'})


@bp.get("/opvolging/<slug>")
def public(slug):
    package = _content(slug)
    row = Questionnaire.latest(slug)
    if row is None:
        abort(404)
    definition = definition_of(row)
    plan = package.plans.get(slug)
    figures = None
    if plan is not None and plan.published:
        _, release, figures = _figures(slug, plan, package)
        figures = figures if release is not None else None
    return render_template(
        "followup/public.html",
        definition=definition,
        plan=plan if plan is not None and plan.published else None,
        figures=figures,
        statuses=STATUS_LABELS,
    )

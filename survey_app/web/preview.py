"""The printable preview: every questionnaire as one page per language, with the skip logic in
words, for editors, translators and staff. Printed, the same page is the paper questionnaire;
staff enter a returned paper through the intake with the channel 'paper'.

Also used by `questionnaires preview`, which writes the pages as HTML files from the content
package (drafts included), so an editor can read a questionnaire before it is loaded.
"""

import math
from pathlib import Path

from flask import Blueprint, abort, render_template, request
from flask_babel import force_locale, gettext

from ..catalog import definition_of
from ..content.definition import Definition
from ..content.duration import estimate
from ..content.wording import Wording
from ..languages import LANGUAGES
from ..models import Questionnaire
from .security import role_required
from .templating import questionnaire_plain_text

bp = Blueprint("preview", __name__, url_prefix="/preview")

PREVIEW_ROLES = ("staff", "analyst", "admin")
STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "preview.css"


def wording_for(definition: Definition) -> Wording:
    """Return the wording of the skip logic in the current language."""

    def answer_label(key, value):
        question = definition.question(key)
        label = next((o.label for o in question.options if str(o.value) == str(value)), str(value))
        return questionnaire_plain_text(definition, f"{key}.option.{value}", label)

    def item_label(key, value):
        item = next(i for i in definition.question(key).items if str(i.value) == str(value))
        return questionnaire_plain_text(definition, f"{key}.item.{value}", item.label)

    return Wording(definition, translate=gettext, answer_label=answer_label, item_label=item_label)


def render_preview(definition: Definition, language: str, *, standalone: bool = False, paper: bool = False) -> str:
    """Return the preview page of a questionnaire in a language (standalone: one file, its style inline)."""
    found = estimate(definition)
    with force_locale(language):
        return render_template(
            "preview/questionnaire.html",
            definition=definition,
            wording=wording_for(definition),
            shortest=max(1, math.floor(found.shortest.minutes)),
            longest=max(1, math.ceil(found.longest.minutes)),
            standalone=standalone,
            paper=paper,
            stylesheet=STYLESHEET.read_text(encoding="utf-8") if standalone else "",
        )


def _latest_rows() -> list[Questionnaire]:
    """Return per questionnaire its published version, else its newest (a draft to check)."""
    slugs = [row.slug for row in Questionnaire.select(Questionnaire.slug).distinct().order_by(Questionnaire.slug)]
    return [row for row in (Questionnaire.latest(slug) for slug in slugs) if row is not None]


@bp.route("/")
@role_required(*PREVIEW_ROLES)
def index():
    rows = [(row, definition_of(row)) for row in _latest_rows()]
    return render_template("preview/index.html", rows=rows, languages=LANGUAGES)


@bp.route("/<slug>/<language>")
@role_required(*PREVIEW_ROLES)
def questionnaire(slug, language):
    row = Questionnaire.latest(slug)
    if row is None or language not in LANGUAGES:
        abort(404)
    return render_preview(definition_of(row), language, paper=request.args.get("paper") == "1")

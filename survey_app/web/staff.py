"""Staff intake at the counter, by appointment, by phone or on a home visit.

Staff choose a survey, a channel and the resident's language, confirm that the consent text
was read to the resident, and then enter the answers through the resident's own pages
(mode 'assisted', with the staff member on the response; analysts see only a pseudonym).
"""

import datetime
import time

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired

from ..accounts import renew_session_token
from ..catalog import definition_of, open_questionnaire
from ..intakes import count_intakes
from ..languages import LANGUAGES, SOURCE_LANGUAGE
from ..models import Questionnaire
from . import survey
from .security import role_required
from .templating import questionnaire_plain_text

bp = Blueprint("staff", __name__, url_prefix="/staff")

STAFF_ROLES = ("staff", "admin")
# The channels of an intake, as staff name them; models.CHANNELS holds them all.
INTAKE_CHANNELS = {
    "counter": _l("Aan de balie"),
    "appointment": _l("Op afspraak"),
    "phone": _l("Aan de telefoon"),
    "home_visit": _l("Op huisbezoek"),
    "paper": _l("Op papier: de bewoner vulde de vragenlijst zelf in"),
}
# A paper questionnaire was filled in by the resident alone: staff only type it over, so it is
# stored as self-completed (mode 'self'), with the staff member who entered it.
PAPER = "paper"


class IntakeForm(FlaskForm):
    survey = RadioField(_l("Vragenlijst"), validators=[InputRequired(_l("Kies een vragenlijst."))])
    channel = RadioField(
        _l("Waar spreekt u de bewoner?"),
        choices=[SelectChoice(code, label) for code, label in INTAKE_CHANNELS.items()],
        validators=[InputRequired(_l("Kies hoe u de bewoner spreekt."))],
    )
    language = SelectField(
        _l("Taal van de bewoner"), choices=[SelectChoice(lang.code, lang.name) for lang in LANGUAGES.values()]
    )


class ConsentForm(FlaskForm):
    confirmed = BooleanField(
        _l("Ik heb deze uitleg voorgelezen in de taal van de bewoner, en de bewoner wil meedoen."),
        validators=[DataRequired(_l("Bevestig dat u de uitleg hebt voorgelezen."))],
    )


class PaperForm(FlaskForm):
    confirmed = BooleanField(
        _l("De bewoner vulde deze papieren vragenlijst zelf in en gaf ze af. Ik neem de antwoorden over zoals ze er staan."),
        validators=[DataRequired(_l("Bevestig dat de bewoner de papieren vragenlijst zelf invulde."))],
    )


@bp.before_app_request
def end_idle_staff_session():
    """Log a staff member out after STAFF_IDLE_MINUTES without a request (checked on the server)."""
    if "_user_id" not in session:
        return None
    now = int(time.time())
    seen = session.get("seen")
    if isinstance(seen, int) and now - seen > current_app.config["STAFF_IDLE_MINUTES"] * 60:
        if current_user.is_authenticated:
            renew_session_token(current_user)
        logout_user()
        session.clear()
        return redirect(url_for("auth.login", idle=1))
    session["seen"] = now
    return None


@bp.route("/", methods=["GET", "POST"])
@role_required(*STAFF_ROLES)
def home():
    rows = list(Questionnaire.published())
    form = IntakeForm()
    form.survey.choices = [
        SelectChoice(row.slug, questionnaire_plain_text(definition_of(row), "title", row.title)) for row in rows
    ]
    if request.method == "GET":
        form.language.data = (session.get("intake") or {}).get("lang", SOURCE_LANGUAGE)
    if form.validate_on_submit():
        # The resident's language is the intake's; the staff member's own (session "lang") stays.
        session["intake"] = {"slug": form.survey.data, "channel": form.channel.data, "lang": form.language.data}
        return redirect(url_for("staff.consent"))
    mine = None if current_user.role == "admin" else current_user._get_current_object()
    counts = count_intakes(datetime.date.today(), staff=mine)
    status = 400 if form.errors else 200
    return render_template(
        "staff_home.html", form=form, counts=counts, everyone=mine is None, channels=INTAKE_CHANNELS,
        stored=request.args.get("stored"),
    ), status


@bp.route("/intake", methods=["GET", "POST"])
@role_required(*STAFF_ROLES)
def consent():
    intake = session.get("intake") or {}
    if intake.get("channel") not in INTAKE_CHANNELS:
        return redirect(url_for("staff.home"))
    row, definition = open_questionnaire(intake.get("slug", ""))
    paper = intake["channel"] == PAPER
    form = PaperForm() if paper else ConsentForm()
    # The consent is read out in the resident's language; the instructions and the box to tick
    # stay in the staff member's.
    g.resident_language = intake.get("lang")
    if form.validate_on_submit():
        survey.begin_draft(
            row, mode="self" if paper else "assisted", channel=intake["channel"], staff_id=current_user.id,
            language=intake.get("lang"),
        )
        return redirect(url_for("survey.page", slug=row.slug, number=1))
    status = 400 if form.errors else 200
    return render_template(
        "staff_consent.html", form=form, row=row, definition=definition,
        channel=INTAKE_CHANNELS[intake["channel"]], paper=paper,
    ), status

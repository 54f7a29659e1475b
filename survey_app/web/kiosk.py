"""Kiosk mode on a shared tablet: staff start it, residents answer one after the other, the PIN ends it.

Starting a kiosk ends the staff login on the tablet: the session then holds only the kiosk,
so a resident cannot reach staff pages. Each resident starts from the language picker, and
after a submit, a reset or an idle timeout their language and answers are gone.
"""

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from . import survey
from ..accounts import renew_session_token
from ..catalog import definition_of
from ..errors import PinError
from .extensions import limiter
from ..kiosks import end_kiosk, find_kiosk, kiosk_slugs, kiosk_ticket, pin_matches, start_kiosk
from ..languages import LANGUAGES
from ..models import Questionnaire
from ..security_events import record_event
from .security import role_required
from .templating import questionnaire_plain_text

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")

# The resident's pages a kiosk may show; others (staff, results) are not for residents.
RESIDENT_ENDPOINTS = {"survey.intro", "survey.start", "survey.stop", "survey.page", "survey.thanks"}


class KioskForm(FlaskForm):
    surveys = SelectMultipleField(
        _l("Welke vragenlijsten kunnen bewoners op deze tablet invullen?"),
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validators=[DataRequired(_l("Kies minstens één vragenlijst."))],
    )
    pin = PasswordField(_l("Kies een pincode van 4 tot 6 cijfers"), validators=[DataRequired(), Length(max=6)])
    pin_again = PasswordField(_l("Typ de pincode nog eens"), validators=[DataRequired(), Length(max=6)])


class PinForm(FlaskForm):
    pin = PasswordField(_l("Pincode"), validators=[DataRequired(), Length(max=6)])


def current_kiosk():
    """Return the kiosk this tablet runs, or None (looked up once per request)."""
    if "kiosk" not in g:
        g.kiosk = find_kiosk(session.get("kiosk"))
    return g.kiosk


def offered_slugs() -> list[str] | None:
    """Return the slugs a kiosk offers, or None when this is no kiosk."""
    kiosk = current_kiosk()
    return None if kiosk is None else kiosk_slugs(kiosk)


def reset_resident() -> None:
    """Forget the resident: their answers in progress, that they sent some, and their language."""
    survey.forget_draft()
    session.pop("sent", None)
    session.pop("lang", None)


def _pin_limit() -> str:
    return current_app.config["KIOSK_PIN_RATE_LIMIT"]


def _pin_key() -> str:
    # Counted per kiosk, so one tablet cannot guess on and another tablet is not locked out.
    return "kiosk:" + (session.get("kiosk") or request.remote_addr or "")


@bp.before_app_request
def keep_to_the_kiosk():
    """In kiosk mode, refuse what is not for residents and drop a kiosk that has ended."""
    if "kiosk" not in session:
        return None
    kiosk = current_kiosk()
    if kiosk is None:
        session.pop("kiosk", None)
        return None
    if request.endpoint == "auth.login":
        return redirect(url_for("kiosk.leave"))
    if request.endpoint in RESIDENT_ENDPOINTS and (request.view_args or {}).get("slug") not in kiosk_slugs(kiosk):
        abort(404)
    return None


@bp.app_context_processor
def kiosk_context():
    kiosk = current_kiosk()
    if kiosk is None:
        return {"kiosk": None}
    return {
        "kiosk": {
            "slugs": kiosk_slugs(kiosk),
            "languages": list(LANGUAGES),
            "idle": current_app.config["KIOSK_IDLE_SECONDS"],
            "warning": current_app.config["KIOSK_WARNING_SECONDS"],
            "ticket": kiosk_ticket(kiosk, current_app.config["SECRET_KEY"]),
        }
    }


@bp.route("/start", methods=["GET", "POST"])
@role_required("staff", "admin")
def start():
    rows = list(Questionnaire.published())
    form = KioskForm()
    form.surveys.choices = [
        SelectChoice(row.slug, questionnaire_plain_text(definition_of(row), "title", row.title)) for row in rows
    ]
    problem = None
    if form.validate_on_submit():
        if form.pin.data != form.pin_again.data:
            problem = _l("De twee pincodes zijn niet gelijk.")
        else:
            try:
                kiosk = start_kiosk(staff=current_user._get_current_object(), slugs=form.surveys.data, pin=form.pin.data)
            except PinError:
                problem = _l("Kies een pincode van 4 tot 6 cijfers die niet makkelijk te raden is, dus niet 1111 of 1234.")
            except ValueError:
                problem = _l("Kies minstens één vragenlijst.")
            else:
                # The staff login ends here: from now on this tablet holds only the kiosk.
                record_event("kiosk_started", kiosk=kiosk.id, account=current_user.username, address=request.remote_addr)
                renew_session_token(current_user)
                logout_user()
                session.clear()
                session["kiosk"] = kiosk.token
                return redirect(url_for("survey.index"))
    status = 400 if request.method == "POST" else 200
    return render_template("kiosk_start.html", form=form, problem=problem), status


@bp.post("/reset")
def reset():
    """Wipe the resident's answers and language: the tablet is ready for the next person."""
    reset_resident()
    return redirect(url_for("survey.index"))


@bp.route("/leave", methods=["GET", "POST"])
@limiter.limit(_pin_limit, key_func=_pin_key, methods=["POST"])
def leave():
    kiosk = current_kiosk()
    if kiosk is None:
        return redirect(url_for("survey.index"))
    form = PinForm()
    wrong = False
    if form.validate_on_submit():
        if pin_matches(kiosk, form.pin.data):
            reset_resident()
            end_kiosk(kiosk)
            record_event("kiosk_ended", kiosk=kiosk.id, address=request.remote_addr)
            session.clear()
            return redirect(url_for("auth.login"))
        wrong = True
    elif request.method == "POST":
        wrong = True
    if wrong:
        record_event("pin_wrong", kiosk=kiosk.id, address=request.remote_addr)
    return render_template("kiosk_leave.html", form=form, wrong=wrong), (401 if wrong else 200)

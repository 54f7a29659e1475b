"""Staff login and logout: throttled, with a fresh session at login and a dead one after logout."""

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

import datetime

from ..accounts import MIN_PASSWORD_LENGTH, authenticate, note_login, renew_session_token, user_for_session
from ..models import User
from ..security_events import record_event
from ..throttle import clear_failures, failures, record_failure, throttle_key
from .extensions import limiter, login_manager
from .security import safe_next, session_binding

bp = Blueprint("auth", __name__, url_prefix="/staff")

HOME_BY_ROLE = {"staff": "staff.home", "analyst": "results.index", "admin": "staff.home"}


class LoginForm(FlaskForm):
    username = StringField(_l("Gebruikersnaam"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Wachtwoord"), validators=[DataRequired(), Length(max=256)])
    # Where to go after the login; checked again when used (safe_next).
    next = HiddenField()


@login_manager.user_loader
def load_user(token: str):
    return user_for_session(token)


@bp.app_context_processor
def signed_in_user():
    """Give templates the signed-in staff member, or None.

    Residents never sign in. Reading current_user for them would make Flask-Login's strong
    session protection rewrite their session cookie, and clear a remember cookie, on every page.
    """
    return {"staff_user": current_user if "_user_id" in session else None}


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.before_app_request
def check_session_binding():
    """End a staff session that comes from another browser or address than the one that logged in."""
    if "_user_id" not in session:
        return
    if session.get("_bind") != session_binding(current_app.config["SECRET_KEY"]):
        # Only this copy of the session ends: the staff member's own browser stays logged in.
        record_event("session_refused", address=request.remote_addr)
        session.clear()


def _throttle_keys(username: str) -> dict[str, str]:
    secret = current_app.config["SECRET_KEY"]
    return {
        "account": throttle_key("account", username.strip().lower(), secret),
        "address": throttle_key("address", request.remote_addr or "", secret),
    }


def _locked_scope(keys: dict[str, str]) -> str | None:
    """Return "account" or "address" when that one has reached its failures, else None."""
    limits = {"account": current_app.config["LOGIN_FAILURES_PER_ACCOUNT"],
              "address": current_app.config["LOGIN_FAILURES_PER_ADDRESS"]}
    for scope, key in keys.items():
        if failures(key) >= limits[scope]:
            return scope
    return None


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    form = LoginForm()
    # The form posts to the bare login address and carries next itself, and only a local path:
    # a link with ?next=... to a phishing site cannot make the login send anyone there.
    form.next.data = safe_next(form.next.data if request.method == "POST" else request.args.get("next")) or ""
    failed = False
    if form.validate_on_submit():
        keys = _throttle_keys(form.username.data)
        locked = _locked_scope(keys)
        if locked:
            # Not even a correct password passes now: guessing on gains nothing.
            record_event("login_locked", account=form.username.data.strip()[:64], address=request.remote_addr, scope=locked)
            return render_template("login.html", form=form, locked=True, min_password_length=MIN_PASSWORD_LENGTH), 429
        user = authenticate(form.username.data, form.password.data)
        if user is not None:
            clear_failures(keys["account"])
            # A fresh session: nothing a previous visitor left in it survives the login.
            session.clear()
            renew_session_token(user)
            note_login(user)
            login_user(user)
            session.permanent = True
            session["_bind"] = session_binding(current_app.config["SECRET_KEY"])
            record_event("login", account=user.username, address=request.remote_addr)
            return redirect(safe_next(form.next.data) or url_for(HOME_BY_ROLE[user.role]))
        window = datetime.timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])
        for key in keys.values():
            record_failure(key, window=window)
        # The name only when it is an account's: a password typed into the name field stays out.
        known = User.select().where(User.username == form.username.data.strip()).exists()
        record_event("login_failed", account=form.username.data.strip() if known else None,
                     address=request.remote_addr, known=known)
        failed = True
    return render_template("login.html", form=form, failed=failed, min_password_length=MIN_PASSWORD_LENGTH), (401 if failed else 200)


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        record_event("logout", account=current_user.username, address=request.remote_addr)
        renew_session_token(current_user)
    logout_user()
    session.clear()
    return redirect(url_for("survey.index"))


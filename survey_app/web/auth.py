"""Staff login and logout: throttled, with a fresh session at login and a dead one after logout."""

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from ..accounts import authenticate, renew_session_token, user_for_session
from .extensions import limiter, login_manager
from .security import safe_next

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


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    form = LoginForm()
    # The form posts to the bare login address and carries next itself, and only a local path:
    # a link with ?next=... to a phishing site cannot make the login send anyone there.
    form.next.data = safe_next(form.next.data if request.method == "POST" else request.args.get("next")) or ""
    failed = False
    if form.validate_on_submit():
        user = authenticate(form.username.data, form.password.data)
        if user is not None:
            # A fresh session: nothing a previous visitor left in it survives the login.
            session.clear()
            renew_session_token(user)
            login_user(user)
            session.permanent = True
            return redirect(safe_next(form.next.data) or url_for(HOME_BY_ROLE[user.role]))
        failed = True
    return render_template("login.html", form=form, failed=failed), (401 if failed else 200)


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        renew_session_token(current_user)
    logout_user()
    session.clear()
    return redirect(url_for("survey.index"))


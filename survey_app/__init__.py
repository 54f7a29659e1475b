"""survey_app: multilingual surveys for the six Denktafels of the city of Genk."""

from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

from flask import Flask

from .config import PROJECT_ROOT, finish_settings, networks, read_settings


class SurveyFlask(Flask):
    """Flask, with ensure_sync's answer kept per function.

    Flask asks of every hook, context processor and view, on every request, whether it is a
    coroutine function (inspect, about 19 times a request): the answer never changes.
    """

    _SYNC_KEPT = 1024  # hooks, views and handlers: a few dozen

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._sync: dict = {}

    def ensure_sync(self, func):
        kept = self._sync
        try:
            return kept[func]
        except KeyError:
            sync = super().ensure_sync(func)
            if len(kept) < self._SYNC_KEPT:
                kept[func] = sync
            return sync
        except TypeError:  # an unhashable callable
            return super().ensure_sync(func)


def create_app(config: Mapping | None = None) -> Flask:
    """Return a configured app; config overrides the environment (tests pass their own)."""
    app = SurveyFlask(__name__, instance_path=str(PROJECT_ROOT / "instance"), instance_relative_config=True)
    settings = read_settings()
    settings.update(config or {})
    app.config.from_mapping(finish_settings(settings, Path(app.instance_path)))
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="survey_session",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SECURE=app.config["SESSION_COOKIE_SECURE"],
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=app.config["STAFF_IDLE_MINUTES"]),
        # A page's token is good as long as the answers sealed in it (a resident may pause for hours).
        WTF_CSRF_TIME_LIMIT=app.config["DRAFT_LIFETIME_MINUTES"] * 60,
        WTF_I18N_ENABLED=False,  # our own messages are translated; WTForms' catalog is not needed
        BABEL_DEFAULT_LOCALE="nl",
        BABEL_TRANSLATION_DIRECTORIES=app.config["TRANSLATIONS_DIR"],
        RATELIMIT_ENABLED=app.config.get("RATELIMIT_ENABLED", True),
    )

    from .web import database_hooks, errorpages, i18n, security, templating
    from .web.sessions import CookieSessionInterface
    from .web.extensions import csrf, limiter, login_manager

    # Before any route is made: every <name> in a route refuses control characters.
    app.url_map.converters["default"] = security.PrintableConverter

    app.session_interface = CookieSessionInterface()  # per app: it remembers the cookies it verified
    database_hooks.init_app(app)
    csrf.init_app(app)
    i18n.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app, add_context_processor=False)  # templates get staff_user (auth.py)
    login_manager.login_view = "auth.login"
    # Flask-Login's "strong" protection does nothing for permanent sessions (ours are): the
    # session is tied to the browser by auth.check_session_binding instead.
    login_manager.session_protection = None
    app.after_request(security.add_security_headers)
    app.before_request(security.refuse_nul)
    if app.config["TRUSTED_PROXIES"]:
        app.wsgi_app = security.TrustedProxyFix(
            app.wsgi_app, hops=app.config["TRUSTED_PROXIES"], networks=networks(app.config["TRUSTED_PROXY_ADDRESSES"])
        )
    if app.config["SECURITY_LOG"]:
        security.open_security_log(app.config["SECURITY_LOG"])
    errorpages.init_app(app)

    from . import cli
    from .web import auth, kiosk, offline, staff, survey

    app.register_blueprint(survey.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(staff.bp)
    app.register_blueprint(kiosk.bp)
    app.register_blueprint(offline.bp)
    from .web import results

    app.register_blueprint(results.bp)
    from .web import followup, preview

    app.register_blueprint(followup.bp)
    app.register_blueprint(preview.bp)
    cli.init_app(app)
    templating.init_app(app)
    return app

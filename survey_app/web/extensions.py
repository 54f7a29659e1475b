"""Flask extensions, created unbound here and bound to an app in create_app."""

from functools import partial

from flask import Flask
from flask.globals import request_ctx
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager

from .csrf import CSRF


class RouteLimiter(Limiter):
    """A Limiter that checks limits only where a route declares one (@limiter.limit).

    Flask-Limiter's before_request hook looks for default, application, blueprint and meta
    limits on every request, exempt or not: 5% of a resident's page. This app has none of
    those; each decorated route (login, start, kiosk PIN, sync) checks its own limits when it
    is called, in the decorator, hook or no hook. Should an app-wide limit ever be set, the
    hook checks again.
    """

    def _check_request_limit(self, callable_name: str | None = None, in_middleware: bool = True) -> None:
        if in_middleware and not self.has_app_wide_limits():
            return
        super()._check_request_limit(callable_name=callable_name, in_middleware=in_middleware)

    def init_app(self, app: Flask) -> None:
        super().init_app(app)
        if not self.enabled:
            return
        # After the response and at teardown Flask-Limiter reads its state of the request,
        # creating it for every request; only a request that met a limit has any to read.
        hooks = app.after_request_funcs.setdefault(None, [])
        hooks[:] = [self._when_limited(hook, pass_on=True) if self._is_own(hook) else hook for hook in hooks]
        hooks = app.teardown_request_funcs.setdefault(None, [])
        hooks[:] = [self._when_limited(hook, pass_on=False) if self._is_own(hook) else hook for hook in hooks]

    def _is_own(self, hook) -> bool:
        own = (Limiter._Limiter__inject_headers, Limiter._Limiter__release_context)
        if isinstance(hook, partial):
            return hook.func in own and hook.args[:1] == (self,)
        return getattr(hook, "__func__", None) in own and hook.__self__ is self

    @staticmethod
    def _when_limited(hook, *, pass_on: bool):
        def only_when_limited(value=None):
            if hasattr(request_ctx._get_current_object(), "_limiter_request_context"):
                return hook(value)
            return value if pass_on else None

        only_when_limited.limiter_hook = hook
        return only_when_limited

    def has_app_wide_limits(self) -> bool:
        """Return True when a limit applies beyond the decorated routes (what the hook is for)."""
        manager = self.limit_manager
        return bool(manager._application_limits or manager._default_limits or manager._blueprint_limits or self._meta_limits)


csrf = CSRF()
babel = Babel()
login_manager = LoginManager()
# Counts login attempts per address in memory only; nothing of it is stored with a response.
limiter = RouteLimiter(get_remote_address, default_limits=[], headers_enabled=True)

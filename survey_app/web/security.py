"""Security headers on every response, the role guard for staff and analyst pages, safe redirects."""

import hashlib
import hmac
import ipaddress
import logging
import os
import re
from functools import wraps
from urllib.parse import urlsplit

from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import BaseConverter

from flask import abort, current_app, request
from flask_login import current_user

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    )
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def add_security_headers(response):
    """Set the security headers a response has not set itself; pages that may hold answers are never cached."""
    headers = response.headers
    # One pass over the headers, not a search per header (setdefault): six times cheaper.
    present = {name.lower() for name in headers.keys()}
    headers.extend([(name, value) for name, value in HEADERS.items() if name.lower() not in present])
    if request.endpoint != "static":
        headers["Cache-Control"] = "no-store"
        if "expires" in present:
            del headers["Expires"]
    if request.is_secure and "strict-transport-security" not in present:
        headers["Strict-Transport-Security"] = "max-age=31536000"
    return response


# A local path: one "/" then no second "/" or "\\" (which browsers read as "//", another host),
# and no control character or space anywhere (browsers drop a tab or a line end, so
# "/\t/evil.example" becomes "//evil.example"; a CR or LF would split the Location header).
_LOCAL_PATH = re.compile(r"/(?![/\\])[\x21-\x7e]*")


def safe_next(target: object) -> str | None:
    """Return target when it is a strictly relative path on this site, else None (no open redirect)."""
    if not isinstance(target, str) or len(target) > 2000 or not _LOCAL_PATH.fullmatch(target):
        return None
    if "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def role_required(*roles: str):
    """Return a decorator that lets only logged-in users with one of roles through (others go to the login page, or get 403)."""

    def decorator(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorator


class TrustedProxyFix:
    """ProxyFix for requests from the configured proxies only.

    ProxyFix alone believes X-Forwarded-For from anyone: with the app reachable directly, a
    client could name any address and so escape the throttling per address.
    """

    def __init__(self, app, *, hops: int, networks):
        self.app = app
        self.fixed = ProxyFix(app, x_for=hops, x_proto=hops)
        self.networks = tuple(networks)

    def __call__(self, environ, start_response):
        if self._from_proxy(environ.get("REMOTE_ADDR", "")):
            return self.fixed(environ, start_response)
        return self.app(environ, start_response)

    def _from_proxy(self, peer: str) -> bool:
        try:
            address = ipaddress.ip_address(peer)
        except ValueError:
            return False
        return any(address in network for network in self.networks)


def session_binding(secret: str) -> str:
    """Return what ties a staff session to this browser: an HMAC of its address and user agent.

    A session cookie copied into another browser, or used from another address, no longer
    matches, and that session ends (auth.check_session_binding).
    """
    agent = request.headers.get("User-Agent", "")
    message = f"{request.remote_addr}\n{agent}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]


def open_security_log(path: str) -> None:
    """Send the security events to the file at path, created readable by its owner only."""
    logger = logging.getLogger("survey_app.security")
    for handler in [h for h in logger.handlers if isinstance(h, logging.FileHandler)]:
        if handler.baseFilename == os.path.abspath(path):
            return
        logger.removeHandler(handler)
        handler.close()
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    logger.addHandler(handler)


class PrintableConverter(BaseConverter):
    """A URL part without control characters: a slug with a NUL in it matches no route (404).

    PostgreSQL refuses a NUL in any text it is asked to compare, so the default converter
    let /s/%00/ reach a query and fail with 500 (found by tests/web/test_fuzz_forms.py).
    """

    regex = r"[^/\x00-\x1f\x7f]+"


def refuse_nul() -> None:
    """Answer 400 to a posted form that holds a NUL character.

    No one types a NUL, and PostgreSQL can neither compare nor store one: a login name with a
    NUL gave 500 there (tests/web/test_fuzz_forms.py found it). One rule for every form; a
    query string's values only choose among known ones, and a bad one falls back quietly.
    """
    for key, value in request.form.items(multi=True):
        if "\x00" in key or "\x00" in value:
            abort(400)


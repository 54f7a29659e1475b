"""CSRF protection: Flask-WTF's tokens and checks, with the tokens this process signed remembered.

Every page a resident posts carries a token the same process usually signed a moment before.
Flask-WTF built an itsdangerous serializer, signer and derived key to sign each token and
again to check it, about a twentieth of a page's work. Here the serializer is built once
per secret, and a token signed here is remembered with what it signed (the session's raw
token) and when: checking it is then the comparison Flask-WTF makes after the signature
(the session's raw token, in constant time) and the same age limit. A token not remembered
(another worker's, an older one, a forged one) goes through Flask-WTF's own check, with its
errors. Every POST is checked as before; the tokens are byte for byte Flask-WTF's.

A page posted with a token signed here less than REUSE_SECONDS ago is answered with that
same token rather than one signed anew: a resident's next page a few seconds later needs no
new signature, and its token still holds for the whole time limit less those seconds.
"""

import hashlib
import hmac
import os
import threading
import time

from flask import Flask, current_app, g, request, session
from flask_wtf.csrf import CSRFProtect, same_origin
from itsdangerous import URLSafeTimedSerializer
from itsdangerous.encoding import base64_decode, bytes_to_int

KEPT_TOKENS = 4096  # about 200 bytes each
REUSE_SECONDS = 600  # a token this young is handed on; WTF_CSRF_TIME_LIMIT is hours
_SALT = "wtf-csrf-token"  # Flask-WTF's
_serializers: dict[str, URLSafeTimedSerializer] = {}
# token -> (secret it was signed with, signed at, the raw token it signs), oldest first
_signed: dict[str, tuple[str, int, str]] = {}
_lock = threading.Lock()


def _secret() -> str:
    return current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key


def generate_csrf() -> str:
    """Return this request's CSRF token, as flask_wtf.csrf.generate_csrf does (one per request)."""
    field = current_app.config["WTF_CSRF_FIELD_NAME"]
    token = g.get(field)
    if token is not None:
        return token
    posted = g.get("_csrf_posted")  # (token, signed at, the raw token it signs), checked by protect()
    if posted is not None and int(time.time()) - posted[1] < REUSE_SECONDS and session.get(field) == posted[2]:
        setattr(g, field, posted[0])
        return posted[0]
    secret = _secret()
    serializer = _serializers.get(secret)
    if serializer is None:
        serializer = _serializers[secret] = URLSafeTimedSerializer(secret, salt=_SALT)
    raw = session.get(field)
    if not isinstance(raw, str):
        raw = session[field] = hashlib.sha1(os.urandom(64), usedforsecurity=False).hexdigest()  # as Flask-WTF: random bytes as hex
    token = serializer.dumps(raw)
    setattr(g, field, token)
    _remember(token, secret, raw)
    return token


def _remember(token: str, secret: str, raw: str) -> None:
    signed_at = bytes_to_int(base64_decode(token.rsplit(".", 2)[1]))  # the timestamp exactly as signed
    with _lock:
        while len(_signed) >= KEPT_TOKENS:
            del _signed[next(iter(_signed))]
        _signed[token] = (secret, signed_at, raw)


def _signed_here(token: str | None) -> int | None:
    """Return when token was signed, if this process signed it for this session's raw token, within its time; else None."""
    known = _signed.get(token) if token else None
    if known is None:
        return None
    secret, signed_at, raw = known
    if secret != _secret():
        return None
    limit = current_app.config["WTF_CSRF_TIME_LIMIT"]
    if limit is not None:
        age = int(time.time()) - signed_at
        if age > limit or age < 0:  # as itsdangerous: expired, or signed in the future
            return None
    stored = session.get(current_app.config["WTF_CSRF_FIELD_NAME"])
    return signed_at if isinstance(stored, str) and hmac.compare_digest(stored, raw) else None


class CSRF(CSRFProtect):
    """CSRFProtect whose templates get generate_csrf above, and whose check knows its own tokens."""

    def init_app(self, app: Flask) -> None:
        super().init_app(app)
        app.jinja_env.globals["csrf_token"] = generate_csrf
        # Flask-WTF's context processor would hand templates its own generate_csrf again.
        processors = app.template_context_processors[None]
        processors[:] = [p for p in processors if getattr(p, "__module__", None) != "flask_wtf.csrf"]

    def protect(self, apply_exemptions: bool = False) -> None:
        if apply_exemptions and (not request.endpoint or (self._exempt_views or self._exempt_blueprints) and self._is_exempt()):
            return
        if request.method not in current_app.config["WTF_CSRF_METHODS"]:
            return
        token = self._get_csrf_token()
        signed_at = _signed_here(token)
        if signed_at is None:
            # Flask-WTF's own check: the signature, the age, the session's token, its errors.
            return super().protect()
        if request.is_secure and current_app.config["WTF_CSRF_SSL_STRICT"]:
            # As Flask-WTF: over HTTPS the post must come from a page of this host.
            if not request.referrer:
                self._error_response("The referrer header is missing.")
            if not same_origin(request.referrer, f"https://{request.host}/"):
                self._error_response("The referrer does not match the host.")
        g.csrf_valid = True
        g._csrf_posted = (token, signed_at, session.get(current_app.config["WTF_CSRF_FIELD_NAME"]))

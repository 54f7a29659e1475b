"""The session cookie: Flask's signed cookie, the same bytes, read without checking its signature twice.

Every request of a resident carries the same cookie from Begin to the submit (only Begin, a
language choice, the submit and a stop change it), and Flask checked its signature anew each
time: itsdangerous' serializer, signer and key derivation built per request, about a
twentieth of a page's work. Here a cookie this process signed or already verified is
remembered with its timestamp, so the next request with it only checks its age. The
cookie, its signature, key, salt, lifetime and attributes are Flask's own
(SecureCookieSessionInterface); anything not remembered goes through itsdangerous as before.

What is remembered is the cookie a browser holds now: when a request changes the session,
the cookie it came with is forgotten (its draft nonce with it, drafts.py); a cookie is kept
no longer than session_max_age after it was signed or verified (past it the cookie
itself has expired, or is verified again), and no more than KEPT_COOKIES of them.
"""

import threading
import time

from flask import Flask
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature
from itsdangerous.encoding import base64_decode, bytes_to_int

KEPT_COOKIES = 4096  # about 300 bytes each
_FLAT = (str, int, float, bool, type(None))  # values a copy of the items cannot share


def session_max_age(app: Flask) -> int:
    """Return for how many seconds after it was signed a session cookie is accepted.

    A resident's cookie holds the draft's nonce and is signed again only when the session
    changes (Begin, a language, a stop, the submit), so it must last as long as a draft may
    (DRAFT_LIFETIME_MINUTES): with the staff members' idle time (the permanent session's
    lifetime) a resident who took longer than that from Begin lost every answer. Staff
    sessions still end after their idle time: staff.end_idle_staff_session checks it on the
    server, and their cookie expires with it.
    """
    staff = int(app.permanent_session_lifetime.total_seconds())
    return max(staff, app.config["DRAFT_LIFETIME_MINUTES"] * 60)


class CookieSession(SecureCookieSession):
    """A session that remembers the cookie it was read from (None for a new one)."""

    cookie: str | None = None


class CookieSessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie sessions, with the cookies already verified remembered."""

    session_class = CookieSession

    def __init__(self) -> None:
        self._serializers: dict = {}
        # cookie -> (signed at, its data: items when flat, else as the serializer wrote it, kept at), oldest first
        self._verified: dict[str, tuple[int, tuple | str, float]] = {}
        self._lifetime = 0
        self._keys: tuple = ()
        self._lock = threading.Lock()

    def get_signing_serializer(self, app: Flask):
        """Return Flask's serializer for app's keys (built once per set of keys), remembering what it signs."""
        if not app.secret_key:
            return None
        self._lifetime = session_max_age(app)
        keys = (*(app.config["SECRET_KEY_FALLBACKS"] or ()), app.secret_key)
        if keys != self._keys:
            # A new secret key (or fallbacks): nothing verified under the old ones counts.
            with self._lock:
                self._verified.clear()
                self._serializers.clear()
                self._keys = keys
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = self._serializers[keys] = _Remembering(super().get_signing_serializer(app), self)
        return serializer

    def open_session(self, app: Flask, request) -> CookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return self.session_class()
        max_age = self._lifetime
        known = self._verified.get(cookie)
        if known is not None:
            signed_at, kept, _ = known
            age = int(time.time()) - signed_at
            # As itsdangerous' TimestampSigner: older than max_age, or from the future, is expired.
            if age > max_age or age < 0:
                return self.session_class()
            session = self.session_class(dict(kept) if isinstance(kept, tuple) else self.serializer.loads(kept))
        else:
            try:
                data, signed = serializer.loads(cookie, max_age=max_age, return_timestamp=True)
            except BadSignature:
                return self.session_class()
            session = self.session_class(data)
            self.remember(cookie, int(signed.timestamp()), data)
        session.cookie = cookie
        return session

    def save_session(self, app: Flask, session, response) -> None:
        cookie = getattr(session, "cookie", None)
        if cookie is not None and (session.modified or self.should_set_cookie(app, session)):
            # The browser gets another cookie (or none): the one it came with is done with.
            with self._lock:
                self._verified.pop(cookie, None)
        super().save_session(app, session, response)

    def remember(self, cookie: str, signed_at: int, data: dict) -> None:
        """Keep a cookie known to be signed with the current keys at signed_at, and its data."""
        # A resident's session holds texts only: its items are copied back, not parsed again.
        flat = all(type(value) in _FLAT for value in data.values())
        kept = tuple(data.items()) if flat else self.serializer.dumps(data)
        now = time.time()
        with self._lock:
            verified = self._verified
            while verified:
                oldest = next(iter(verified))
                if len(verified) < KEPT_COOKIES and verified[oldest][2] + self._lifetime >= now:
                    break
                del verified[oldest]
            verified[cookie] = (signed_at, kept, now)


class _Remembering:
    """Flask's serializer; what it signs is remembered as verified (the session about to be sent)."""

    def __init__(self, serializer, sessions: CookieSessionInterface):
        self.serializer = serializer
        self.sessions = sessions

    def loads(self, cookie: str, **options):
        return self.serializer.loads(cookie, **options)

    def dumps(self, data: dict) -> str:
        cookie = self.serializer.dumps(data)
        # payload.timestamp.signature: the timestamp exactly as signed
        signed_at = bytes_to_int(base64_decode(cookie.rsplit(".", 2)[1]))
        self.sessions.remember(cookie, signed_at, data)
        return cookie

"""Failed logins counted per account and per address in the database.

Counted in the database, not per worker: the count holds across workers, servers that share
the database, and restarts. Keys are HMACs, so the table holds no name or address.
"""

import datetime
import hashlib
import hmac

from peewee import IntegrityError

from .models import LoginThrottle, database, utcnow


def throttle_key(scope: str, value: str, secret: str) -> str:
    """Return the key of value in scope ("account" or "address"), an HMAC under secret."""
    digest = hmac.new(secret.encode(), f"{scope}\n{value}".encode(), hashlib.sha256).hexdigest()
    return f"{scope}:{digest[:48]}"


def failures(key: str, *, now: datetime.datetime | None = None) -> int:
    """Return the failures counted for key in its current window."""
    now = now or utcnow()
    row = LoginThrottle.get_or_none((LoginThrottle.key == key) & (LoginThrottle.window_ends > now))
    return row.failures if row else 0


def record_failure(key: str, *, window: datetime.timedelta, now: datetime.datetime | None = None) -> int:
    """Count one failure for key; a window that ended starts again. Return the count."""
    now = now or utcnow()
    for _ in range(2):  # a second try when another worker created the row meanwhile
        try:
            with database.atomic():
                updated = (LoginThrottle.update(failures=LoginThrottle.failures + 1)
                           .where((LoginThrottle.key == key) & (LoginThrottle.window_ends > now)).execute())
                if updated:
                    return LoginThrottle.get(LoginThrottle.key == key).failures
                restarted = (LoginThrottle.update(failures=1, window_ends=now + window)
                             .where(LoginThrottle.key == key).execute())
                if not restarted:
                    LoginThrottle.create(key=key, failures=1, window_ends=now + window)
                return 1
        except IntegrityError:
            continue
    return failures(key, now=now)


def clear_failures(key: str) -> None:
    """Forget the failures of key (after a correct login)."""
    LoginThrottle.delete().where(LoginThrottle.key == key).execute()


def purge_throttles(*, now: datetime.datetime | None = None) -> int:
    """Delete the counts whose window ended; return how many."""
    return LoginThrottle.delete().where(LoginThrottle.window_ends <= (now or utcnow())).execute()

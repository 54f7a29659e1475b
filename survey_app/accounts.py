"""Staff accounts: creating them, checking passwords with argon2, and ending sessions."""

import datetime
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .errors import SurveyError
from .models import ROLES, User

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 12
# Verifying against this keeps the time of a login with an unknown name like a known one.
_DUMMY_HASH = _hasher.hash("not a real password")


class AccountError(SurveyError):
    """A user that cannot be created as asked."""


def create_user(username: str, password: str, role: str) -> User:
    """Return a new active user with an argon2 hash of password."""
    username = username.strip()
    if role not in ROLES:
        raise AccountError(f"unknown role '{role}': use one of {', '.join(ROLES)}")
    if not username or len(username) > 64 or not username.isprintable() or any(c.isspace() for c in username):
        raise AccountError("a username has 1 to 64 characters and no spaces or control characters")
    _check_password(password)
    if User.select().where(User.username == username).exists():
        raise AccountError(f"user '{username}' exists already")
    return User.create(username=username, password_hash=_hasher.hash(password), role=role)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"a password has at least {MIN_PASSWORD_LENGTH} characters")


def find_user(username: str) -> User:
    """Return the user with this name, or raise AccountError."""
    user = User.get_or_none(User.username == username.strip())
    if user is None:
        raise AccountError(f"there is no user '{username}'; `flask --app survey_app users list` shows them")
    return user


def reset_password(username: str, password: str) -> User:
    """Give a user a new password and end every session they have open."""
    _check_password(password)
    user = find_user(username)
    user.password_hash = _hasher.hash(password)
    user.save(only=[User.password_hash])
    renew_session_token(user)
    return user


def set_active(username: str, active: bool) -> User:
    """Enable or disable an account; disabling ends its sessions at once."""
    user = find_user(username)
    user.active = active
    user.save(only=[User.active])
    if not active:
        renew_session_token(user)
    return user


def note_login(user: User) -> None:
    """Remember the day of this login."""
    user.last_login = datetime.date.today()
    user.save(only=[User.last_login])


def authenticate(username: str, password: str) -> User | None:
    """Return the active user with this name and password, or None."""
    user = User.get_or_none(User.username == username.strip())
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
        user.save(only=[User.password_hash])
    return user


def renew_session_token(user: User) -> str:
    """Give the user a new session token, so every older session cookie stops working."""
    user.session_token = secrets.token_urlsafe(32)
    user.save(only=[User.session_token])
    return user.session_token


def user_for_session(token: str) -> User | None:
    """Return the active user whose session token this is, or None."""
    return User.get_or_none((User.session_token == token) & (User.active == True))  # noqa: E712

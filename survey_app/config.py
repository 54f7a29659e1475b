"""Every setting in one table: its default, how it is read from the environment, and why it exists."""

import ipaddress
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _boolean(text: str) -> bool:
    if text.lower() in ("1", "true", "yes", "on"):
        return True
    if text.lower() in ("0", "false", "no", "off", ""):
        return False
    raise ValueError("use true or false")


def _positive(text: str) -> int:
    number = int(text)
    if number <= 0:
        raise ValueError("use a whole number above 0")
    return number


def _seconds(text: str) -> float:
    try:
        number = float(text)
    except ValueError:
        number = -1.0
    if not 0 <= number <= 3600:  # also refuses nan and inf
        raise ValueError("use a number of seconds from 0 to 3600, such as 1 or 0.5")
    return number


def _not_negative(text: str) -> int:
    number = int(text)
    if number < 0:
        raise ValueError("use a whole number, 0 or more")
    return number


def networks(value) -> tuple:
    """Return the networks in a comma-separated text of addresses or CIDRs (a tuple stays as it is)."""
    if not isinstance(value, str):
        return tuple(value)
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in value.split(",") if part.strip())


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str
    parse: Callable[[str], object] = str


SETTINGS = (
    Setting("SURVEY_ENV", "development", "'production' or 'development'. Production refuses to start without SECRET_KEY and DATABASE_URL, and sends cookies over HTTPS only."),
    Setting("SECRET_KEY", None, "Signs sessions and CSRF tokens. Required in production. For local use it is generated once into instance/secret_key."),
    Setting("DATABASE_URL", None, "Where responses are stored: sqlite:///path/file.sqlite3 (default: instance/survey_app.sqlite3) or postgresql://user@host:5432/name (pooled)."),
    Setting("SQLITE_SYNCHRONOUS", "full", "SQLite's synchronous pragma: 'full' (default) makes every acknowledged response survive a power cut; 'normal' is faster."),
    Setting("UPKEEP_SECONDS", 60, "How often each server process checkpoints SQLite's write-ahead log, in a background thread (0: not at all; SQLite then checkpoints inside the request that crosses 1000 pages, unless cron runs `flask --app survey_app upkeep`).", _not_negative),
    Setting("PUBLISHED_VERSION_SECONDS", 1.0, "How long each server process keeps which version of each questionnaire is published, rather than asking the database on every request (0: ask every time). A version published, closed or replaced in the same process counts at once; in another process (a worker, the CLI, another server) within this time. Answers are never stored for a version that is not published.", _seconds),
    Setting("QUESTIONNAIRES_DIR", str(PROJECT_ROOT / "questionnaires"), "The content package: one YAML file per questionnaire."),
    Setting("TRANSLATIONS_DIR", str(PROJECT_ROOT / "translations"), "The gettext catalogs of the interface and the questionnaires."),
    Setting("RESULTS_DIR", str(PROJECT_ROOT / "results"), "Where exports are written."),
    Setting("DRAFT_LIFETIME_MINUTES", 720, "How long the sealed answers of an unfinished response can be opened after its last page.", _positive),
    Setting("STAFF_IDLE_MINUTES", 30, "A staff session ends after this many minutes without a request.", _positive),
    Setting("KIOSK_IDLE_SECONDS", 120, "On a kiosk tablet, after this many seconds without a touch the resident is asked 'Bent u er nog?'.", _positive),
    Setting("KIOSK_WARNING_SECONDS", 30, "On a kiosk tablet, how long that question stays before the answers are wiped and the tablet starts again.", _positive),
    Setting("KIOSK_PIN_RATE_LIMIT", "5 per minute; 20 per hour", "How often a kiosk may be tried with a wrong PIN (Flask-Limiter syntax)."),
    Setting("SYNC_RATE_LIMIT", "600 per hour", "How many offline responses one address may send (Flask-Limiter syntax); a refused one is sent again later."),
    Setting("SYNC_TABLET_RATE_LIMIT", "300 per hour", "How many offline responses one tablet may send (Flask-Limiter syntax): a kiosk's tablet is known by its kiosk ticket, any other device by its address. A refused one gets 429 and stays in the tablet's outbox until later."),
    Setting("SYNC_TABLET_BYTES_LIMIT", "5000000 per hour", "How many bytes of offline responses one tablet may send (Flask-Limiter syntax, counted in bytes; a response weighs a few kB), counted like SYNC_TABLET_RATE_LIMIT."),
    Setting("CONFLICTS_MAX", 10_000, "How many synced responses may be kept aside for review. Past it, a response that would be kept aside gets 503 (the tablet keeps it and tries later), and the server logs an error: review them with `flask offline conflicts`, remove old ones with `flask offline purge`.", _positive),
    Setting("START_RATE_LIMIT", "60 per minute", "How often one address may start a survey (Flask-Limiter syntax): enough for a busy kiosk, not for a script."),
    Setting("MAX_CONTENT_LENGTH", 256 * 1024, "The largest request body accepted, in bytes.", _positive),
    Setting("LOGIN_RATE_LIMIT", "5 per minute; 30 per hour", "How often one address may try to log in (Flask-Limiter syntax)."),
    Setting("RATELIMIT_STORAGE_URI", "memory://", "Where login attempts are counted; use redis://... when running several servers."),
    Setting("LOGIN_FAILURES_PER_ACCOUNT", 10, "Wrong passwords for one account, from anywhere, before its logins wait for LOGIN_LOCK_MINUTES (counted in the database, across workers and restarts).", _positive),
    Setting("LOGIN_FAILURES_PER_ADDRESS", 30, "Wrong passwords from one address, for any account, before logins from it wait for LOGIN_LOCK_MINUTES.", _positive),
    Setting("LOGIN_LOCK_MINUTES", 15, "How long the failures above are counted, and how long a login waits once they are reached.", _positive),
    Setting("TRUSTED_PROXY_ADDRESSES", "127.0.0.1/32,::1/128", "The addresses of the reverse proxies (comma-separated, CIDR allowed). X-Forwarded-For and X-Forwarded-Proto are believed only on a request that comes from one of them, so a client that reaches the app directly cannot choose its own address.", networks),
    Setting("SECURITY_LOG", "", "A file for the security event log (failed logins, wrong PINs, refused syncs, exports; never an answer), created readable by the owner only. Empty: the events go to the server's own log."),
    Setting("TRUSTED_PROXIES", 0, "How many reverse proxies stand in front of the app. Only then are their X-Forwarded-For and X-Forwarded-Proto headers believed, so that throttling counts each person's own address, not the proxy's.", _not_negative),
    Setting("SESSION_COOKIE_SECURE", None, "Send the session cookie over HTTPS only. Default: true in production.", _boolean),
)


def read_settings(environ: Mapping[str, str] | None = None) -> dict:
    """Return the settings from the environment over their defaults; raise ConfigError on bad values."""
    environ = os.environ if environ is None else environ
    values = {}
    for setting in SETTINGS:
        raw = environ.get(setting.name)
        if raw is None or raw == "":
            values[setting.name] = setting.default
            continue
        try:
            values[setting.name] = setting.parse(raw)
        except ValueError as error:
            raise ConfigError(f"{setting.name}={raw!r} is not valid: {error}") from error
    return values


def finish_settings(values: dict, instance_path: Path) -> dict:
    """Fill the settings that depend on the environment kind; refuse an unsafe production setup."""
    production = values["SURVEY_ENV"] == "production"
    if values["SURVEY_ENV"] not in ("production", "development"):
        raise ConfigError(f"SURVEY_ENV={values['SURVEY_ENV']!r} is not valid: use production or development")
    if production:
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL") if not values.get(name)]
        if missing:
            raise ConfigError(f"production needs {' and '.join(missing)} in the environment")
        if len(values["SECRET_KEY"]) < 32:
            raise ConfigError("SECRET_KEY is too short for production: use at least 32 random characters")
    instance_path.mkdir(parents=True, exist_ok=True)
    if not values.get("SECRET_KEY"):
        values["SECRET_KEY"] = _local_secret(instance_path / "secret_key")
    if not values.get("DATABASE_URL"):
        values["DATABASE_URL"] = f"sqlite:///{instance_path / 'survey_app.sqlite3'}"
    if values.get("SESSION_COOKIE_SECURE") is None:
        values["SESSION_COOKIE_SECURE"] = production
    return values


def _local_secret(path: Path) -> str:
    """Return the secret kept in path, creating it (readable by the owner only) the first time."""
    if path.exists():
        return path.read_text().strip()
    secret = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secret)
    return secret

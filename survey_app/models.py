"""The stored nouns: questionnaire versions, their state history, responses and staff.

Answers live in one JSON document per response, and again as one positional CSV line that
the export reads. One row per response is one row of the
export: a million responses are read in one sequential scan, without a join or a pivot.
"""

import datetime
import secrets

import orjson
from peewee import (
    BlobField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from .db import database, with_placeholders

ROLES = ("admin", "staff", "analyst")
MODES = ("self", "assisted")
CHANNELS = ("tablet", "web", "counter", "appointment", "phone", "home_visit", "paper")


def utcnow() -> datetime.datetime:
    """Return the current UTC time without tzinfo (how the database stores it)."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class JSONField(TextField):
    """JSON stored as text: the same on SQLite and PostgreSQL."""

    def db_value(self, value):
        return None if value is None else orjson.dumps(value).decode()

    def python_value(self, value):
        return None if value is None else orjson.loads(value)


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class Questionnaire(BaseModel):
    """One version of one questionnaire, with the definition it had when loaded."""

    slug = CharField(max_length=64)
    version = IntegerField()
    state = CharField(max_length=16)
    title = TextField()
    definition = JSONField()
    content_hash = CharField(max_length=64)
    loaded_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("slug", "version"), True),)

    @classmethod
    def published(cls):
        """Return the published versions, by title."""
        return cls.select().where(cls.state == "published").order_by(cls.slug)

    @classmethod
    def current(cls, slug: str):
        """Return the published version of slug without its definition (catalog reads that once), or None."""
        return cls._one_version(_CURRENT_VERSION_SQL, slug)

    @classmethod
    def latest(cls, slug: str):
        """Return the published version of slug, else its newest, without its definition; or None."""
        return cls._one_version(_LATEST_VERSION_SQL, slug)

    @classmethod
    def published_columns(cls) -> list[tuple]:
        """Return the column values (VERSION_COLUMNS) of every published version, by slug, newest version first."""
        return [tuple(values) for values in database.execute_sql(_PUBLISHED_VERSIONS_SQL).fetchall()]

    @classmethod
    def from_columns(cls, values) -> "Questionnaire":
        """Return a version, without its definition, from its VERSION_COLUMNS values."""
        # Built as Peewee builds a selected row (a third of the time of Peewee's raw query).
        return cls(__no_default__=True, **dict(zip(VERSION_COLUMNS, values)))

    @classmethod
    def _one_version(cls, sql: str, slug: str):
        # Every resident's request asked this: hand-written SQL run on the connection.
        found = database.execute_sql(with_placeholders(sql), (slug,)).fetchall()
        return cls.from_columns(found[0]) if found else None


VERSION_COLUMNS = ("id", "slug", "version", "state", "title", "content_hash")  # a version without its definition
_CURRENT_VERSION_SQL = (
    "SELECT id, slug, version, state, title, content_hash FROM questionnaire"
    " WHERE slug = ? AND state = 'published' ORDER BY version DESC LIMIT 1"
)
_LATEST_VERSION_SQL = (
    "SELECT id, slug, version, state, title, content_hash FROM questionnaire"
    " WHERE slug = ? ORDER BY CASE WHEN state = 'published' THEN 0 ELSE 1 END, version DESC LIMIT 1"
)
_PUBLISHED_VERSIONS_SQL = (
    "SELECT id, slug, version, state, title, content_hash FROM questionnaire"
    " WHERE state = 'published' ORDER BY slug, version DESC"
)


class StateChange(BaseModel):
    """One step in a questionnaire version's workflow history."""

    questionnaire = ForeignKeyField(Questionnaire, backref="history", on_delete="CASCADE")
    from_state = CharField(max_length=16, null=True)
    to_state = CharField(max_length=16)
    actor = CharField(max_length=64)
    comment = TextField(default="")
    changed_at = DateTimeField(default=utcnow)


class User(BaseModel):
    """A staff account. The pseudonym is what analysts may see instead of the name."""

    username = CharField(max_length=64, unique=True)
    password_hash = CharField(max_length=255)
    role = CharField(max_length=16)
    active = BooleanField(default=True)
    pseudonym = CharField(max_length=16, unique=True, default=lambda: secrets.token_hex(4))
    # Changes at every login and logout, so a logged-out session cookie is worthless.
    session_token = CharField(max_length=64, default=lambda: secrets.token_urlsafe(32))
    created_on = DateField(default=datetime.date.today)
    last_login = DateField(null=True)  # the day only: enough to find unused accounts

    # Flask-Login's protocol, kept here so the model needs no Flask import.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return self.session_token


class Response(BaseModel):
    """A finished response. No IP address, user agent or time of day: only the date."""

    uuid = CharField(max_length=36, unique=True)  # generated by the client; makes re-sends idempotent
    questionnaire = ForeignKeyField(Questionnaire, backref="responses", on_delete="RESTRICT")
    language = CharField(max_length=8)
    mode = CharField(max_length=16, default="self")
    channel = CharField(max_length=16, default="web")
    submitted_on = DateField(default=datetime.date.today)
    staff = ForeignKeyField(User, null=True, backref="intakes", on_delete="SET NULL")
    content_hash = CharField(max_length=64)
    # The form answered: 'volledig' (every question) or a shorter one such as 'kort', whose
    # answers share the variable names; null for responses stored before the form was kept.
    form = CharField(max_length=16, null=True)
    answers = JSONField()
    # The same answers as one CSV line in the version's order (content/answer_line.py), for the
    # export; null for responses stored before it existed, or that a line cannot hold.
    answer_line = TextField(null=True)

    class Meta:
        indexes = ((("questionnaire", "submitted_on"), False),)


class ResponseConflict(BaseModel):
    """A synced response that could not be stored as it came: kept aside for review, never dropped.

    reason: "different_content" (its id was stored before with other answers), "invalid" (the
    answers do not pass the questionnaire's checks), "unknown_questionnaire", or "malformed"
    (the payload's shape is wrong; what of it can be stored is kept, the problem in problems).
    """

    response_uuid = CharField(max_length=36, index=True)
    questionnaire_slug = CharField(max_length=64)
    questionnaire_version = IntegerField()
    language = CharField(max_length=8)
    channel = CharField(max_length=16)
    form = CharField(max_length=16, null=True)  # the form the tablet says was answered
    reason = CharField(max_length=32)
    content_hash = CharField(max_length=64)
    answers = JSONField()
    problems = JSONField(default=dict)  # variable -> error code, for "invalid"
    received_on = DateField(default=datetime.date.today)

    class Meta:
        indexes = ((("response_uuid", "content_hash"), True),)


class Kiosk(BaseModel):
    """A shared tablet in kiosk mode: the surveys it offers and the hash of the PIN that ends it."""

    token = CharField(max_length=64, unique=True)  # kept in the tablet's session
    pin_hash = CharField(max_length=255)
    slugs = JSONField()
    started_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    started_on = DateField(default=datetime.date.today)
    ended = BooleanField(default=False)


class ExportLog(BaseModel):
    """One export of results: who, when, what, how many rows, and the purpose they typed."""

    created_at = DateTimeField(default=utcnow)
    user = ForeignKeyField(User, null=True, backref="exports", on_delete="SET NULL")
    username = CharField(max_length=64)  # kept when the account is deleted
    role = CharField(max_length=16)
    via = CharField(max_length=8)  # "cli" or "web"
    questionnaire = CharField(max_length=64)  # the slug
    versions = CharField(max_length=200)
    formats = CharField(max_length=64)
    date_from = DateField(null=True)
    date_to = DateField(null=True)
    labels_language = CharField(max_length=8)
    anonymised = BooleanField()
    free_text = BooleanField()
    rows = IntegerField()
    purpose = TextField()

    @classmethod
    def latest(cls):
        """Return the exports, newest first."""
        return cls.select().order_by(cls.created_at.desc(), cls.id.desc())


class LoginThrottle(BaseModel):
    """Failed logins of one account or one address in the current window (throttle.py); keys are HMACs."""

    key = CharField(max_length=64, unique=True)
    failures = IntegerField(default=0)
    window_ends = DateTimeField(index=True)


class Release(BaseModel):
    """One anonymised release in the ledger: the responses it holds up to a period's end, and what it hid.

    respondents holds the release's ids (sorted int64), suppressed a bit mask per id (one bit
    per quasi-identifier, in the order of steps); both let a later release be checked against it.
    """

    questionnaire = CharField(max_length=64)  # the slug
    number = IntegerField()  # 1, 2, ... per questionnaire
    created_at = DateTimeField(default=utcnow)
    period_end = DateField()  # the release holds the responses submitted up to and including this day
    period = CharField(max_length=16)  # the last period it holds: 2025-Q1, 2025-03
    date_precision = CharField(max_length=8)
    versions = CharField(max_length=200)
    k = IntegerField()
    rows = IntegerField()
    secret = CharField(max_length=64)  # the key of the ids, the same for every release of a questionnaire
    steps = TextField()  # JSON: quasi-identifier name -> ladder step
    respondents = BlobField()
    responses_read = BlobField()  # every response read, released or left out: to make it again
    suppressed = BlobField()
    report = TextField()  # JSON: the disclosure report

    class Meta:
        indexes = ((("questionnaire", "number"), True),)

    @classmethod
    def of(cls, slug: str):
        """Return the releases of a questionnaire, oldest first."""
        return cls.select().where(cls.questionnaire == slug).order_by(cls.number)


MODELS = (Questionnaire, StateChange, User, Response, ResponseConflict, Kiosk, ExportLog, LoginThrottle, Release)

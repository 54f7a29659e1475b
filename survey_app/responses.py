"""Storing a finished response: once, whole, and without anything that identifies the device."""

import contextlib
import datetime
import hashlib
import uuid as uuidlib

import orjson
from peewee import IntegrityError

from .catalog import definition_of
from .content.answer_line import encode_answer_line
from .content.definition import FULL_FORM
from .db import is_postgres, with_placeholders
from .models import Questionnaire, Response, User, database

# The survey's one durable write, in hand-written SQL (as models.Questionnaire.current): Peewee
# spent half the submit's CPU building this INSERT. The values go through the fields' own
# db_value, so they are stored exactly as Response.create stored them.
_COLUMNS = (
    "uuid", "questionnaire_id", "language", "mode", "channel", "submitted_on", "staff_id", "form",
    "content_hash", "answers", "answer_line",
)
_NAMES = tuple(column.removesuffix("_id") for column in _COLUMNS)  # the model's field names
# Column names from the constants above; every value is a parameter.
_INSERT_SQL = f"INSERT INTO response ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' for _ in _COLUMNS)})"  # nosec B608
# The same row, inserted only while its version is published: the state is read in the statement
# that writes, so a version closed a moment ago (by another process) takes no new answers.
_INSERT_WHILE_PUBLISHED_SQL = (
    f"INSERT INTO response ({', '.join(_COLUMNS)}) SELECT {', '.join('?' for _ in _COLUMNS)}"  # nosec B608
    " WHERE EXISTS (SELECT 1 FROM questionnaire WHERE id = ? AND state = 'published')"
)


class VersionNotPublished(Exception):
    """The version was closed (or superseded) before its response could be stored."""


def answers_hash(questionnaire_id: int, answers: dict) -> str:
    """Return a hash of what was answered, to tell a re-send from a different response."""
    payload = orjson.dumps({"q": questionnaire_id, "a": answers}, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(payload).hexdigest()


def is_response_id(value: str) -> bool:
    """Return True when value is a canonical UUID, the form of a client-generated id."""
    try:
        return str(uuidlib.UUID(value)) == value.lower()
    except (ValueError, AttributeError, TypeError):
        return False


def store_response(
    *,
    questionnaire: Questionnaire,
    response_uuid: str,
    answers: dict,
    language: str,
    mode: str = "self",
    channel: str = "web",
    staff: User | int | None = None,
    form: str = FULL_FORM,
    published_only: bool = False,
) -> tuple[Response, bool]:
    """Store a response in one transaction; return (response, created).

    A second post with the same id (a double tap, a retried request) returns the stored
    response with created=False and stores nothing. published_only: raise VersionNotPublished,
    storing nothing, when the version is not published at that moment (answers sent from the
    survey's pages; a tablet's offline answers were given while it was).
    """
    digest = answers_hash(questionnaire.id, answers)
    fields = {
        "uuid": response_uuid.lower(),
        "questionnaire": questionnaire,
        "language": language,
        "mode": mode,
        "channel": channel,
        "submitted_on": datetime.date.today(),
        "staff": staff,
        "form": form,
        "content_hash": digest,
        "answers": answers,
        "answer_line": encode_answer_line(definition_of(questionnaire), answers),
    }
    values = [getattr(Response, name).db_value(fields[name]) for name in _NAMES]  # a model gives its id
    postgres = is_postgres()
    sql = _INSERT_WHILE_PUBLISHED_SQL if published_only else _INSERT_SQL
    if published_only:
        values.append(questionnaire.id)
    # One statement is a transaction of its own (Peewee runs in autocommit mode), durable when
    # it returns: one round trip to PostgreSQL rather than BEGIN, INSERT and COMMIT. Inside a
    # caller's transaction, a savepoint: a refused INSERT leaves that transaction usable.
    own = database.atomic() if database.in_transaction() else contextlib.nullcontext()
    refused = None
    try:
        with own:
            cursor = database.execute_sql(with_placeholders(sql) + (" RETURNING id" if postgres else ""), values)
            if postgres:
                found = cursor.fetchone()
                new_id = found[0] if found else None
            else:
                new_id = cursor.lastrowid if cursor.rowcount == 1 else None
    except IntegrityError as error:
        refused, new_id = error, None
    if new_id is not None:
        return Response(id=new_id, **fields), True
    # Nothing inserted: a re-send (the id is taken) is the stored response, also when its version
    # has closed since; otherwise the row broke a constraint, or came after the version closed.
    existing = Response.get_or_none(Response.uuid == fields["uuid"])
    if existing is not None:
        return existing, False
    if refused is not None:
        raise refused
    raise VersionNotPublished(f"{questionnaire.slug} v{questionnaire.version} is not published")

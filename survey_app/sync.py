"""Responses answered offline and sent later: each stored once, and none ever dropped.

A tablet keeps a finished response until the server acknowledges it, and may send it again
(after a lost acknowledgement, from two tabs, after a restart). So:

- a new id is checked like a response posted page by page (check_response) and stored;
- the same id with the same answers is acknowledged again and stores nothing;
- the same id with other answers, answers that fail the checks, or a questionnaire version
  the server does not know are kept aside in ResponseConflict for review, and acknowledged
  too, so the tablet stops resending. There is no time limit on any of these;
- a response with an id whose shape is wrong (text that is not valid Unicode, a field of the
  wrong type, too many answers) is kept aside as "malformed", with what of it can be stored:
  refusing it would leave it on the tablet, sent again forever.
"""

import datetime
import hashlib
import json
import re
from dataclasses import dataclass

import orjson
from peewee import IntegrityError

from .catalog import definition_of
from .content.answers import check_response
from .content.definition import FULL_FORM
from .errors import ConflictsFull, PayloadError
from .languages import known_language
from .models import Questionnaire, ResponseConflict, database
from .responses import answers_hash, is_response_id, store_response

MAX_VARIABLES = 500
MAX_TEXT = 10_000
MAX_CHOICES = 100
# How deep a malformed payload is copied when it is kept aside; deeper parts are left out.
MAX_KEPT_DEPTH = 4
# A UTF-16 surrogate on its own ("\ud83d" in JSON) is no character: it cannot be stored as UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")
# What no text column can hold: those surrogates, and NUL (PostgreSQL refuses it in text).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

# The shape of a form's name (content/reader.py checks the names in the files the same way).
FORM_NAME = re.compile(r"^[a-z][a-z0-9_]{0,15}$")

# What accept_synced_response returns, with the HTTP status the API answers it with.
OUTCOMES = {"stored": 201, "duplicate": 200, "kept_aside": 200}


@dataclass(frozen=True)
class SyncedResponse:
    """A finished response as a tablet sends it."""

    uuid: str
    slug: str
    version: int
    language: str
    answers: dict
    channel: str = "web"
    form: str = FULL_FORM  # the form answered on the tablet: its answers are checked against that form


def decode_payload(body: bytes) -> object:
    """Return the JSON document in body; raise PayloadError when it is no JSON or nested too deeply."""
    try:
        # The standard parser, not orjson: it reads an unpaired surrogate, so such a response
        # can still be kept aside rather than refused.
        return json.loads(body)
    except RecursionError:
        raise PayloadError("the JSON is nested too deeply") from None
    except ValueError:
        raise PayloadError("send one response as a JSON object") from None


def _text_problem(text: str) -> str | None:
    if _SURROGATE.search(text):
        return "holds a UTF-16 surrogate that is not part of a pair: not valid Unicode"
    return None


def _raw_answers(answers: object) -> dict:
    if not isinstance(answers, dict) or len(answers) > MAX_VARIABLES:
        raise PayloadError(f"'answers' must be an object with at most {MAX_VARIABLES} answers")
    raw = {}
    for name, value in answers.items():
        if not isinstance(name, str) or len(name) > 100:
            raise PayloadError("every answer needs a name of at most 100 characters")
        if _text_problem(name):
            raise PayloadError(f"the name of an answer {_text_problem(name)}")
        values = value if isinstance(value, list) else [value]
        if len(values) > MAX_CHOICES:
            raise PayloadError(f"'{name}' has more than {MAX_CHOICES} values")
        for item in values:
            if isinstance(item, bool) or not isinstance(item, (str, int)):
                raise PayloadError(f"'{name}' must be text, a whole number or a list of those")
            if isinstance(item, str) and len(item) > MAX_TEXT:
                raise PayloadError(f"'{name}' is longer than {MAX_TEXT} characters")
            if isinstance(item, str) and _text_problem(item):
                raise PayloadError(f"an answer to '{name}' {_text_problem(item)}")
        raw[name] = [str(item) for item in values] if isinstance(value, list) else str(value)
    return raw


def read_synced_response(payload: object, *, channel: str = "web") -> SyncedResponse:
    """Return the response in a decoded JSON payload, or raise PayloadError saying what is wrong."""
    if not isinstance(payload, dict):
        raise PayloadError("send one response as a JSON object")
    uuid = payload.get("id")
    if not isinstance(uuid, str) or not is_response_id(uuid):
        raise PayloadError("'id' must be the response's UUID")
    slug = payload.get("questionnaire")
    if not isinstance(slug, str) or not 0 < len(slug) <= 64 or _UNSTORABLE.search(slug):
        raise PayloadError("'questionnaire' must be a questionnaire's slug")
    version = payload.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or not 0 < version < 1_000_000:
        raise PayloadError("'version' must be the questionnaire's version number")
    language = known_language(payload.get("language"))
    if language is None:
        raise PayloadError("'language' must be one of the app's language codes")
    # A tablet from before forms were sent names none: it answered every question.
    form = payload.get("form", FULL_FORM)
    if not isinstance(form, str) or not FORM_NAME.match(form):
        raise PayloadError("'form' must be the name of a form of the questionnaire, like 'kort'")
    return SyncedResponse(uuid.lower(), slug, version, language, _raw_answers(payload.get("answers")), channel, form)


def accept_synced_response(item: SyncedResponse, *, max_kept: int | None = None) -> str:
    """Store, recognise or keep aside a synced response; return "stored", "duplicate" or "kept_aside"."""
    row = Questionnaire.get_or_none((Questionnaire.slug == item.slug) & (Questionnaire.version == item.version))
    # A closed version still takes what was answered while it was open.
    if row is None or row.state == "draft":
        return _keep_aside(item, "unknown_questionnaire", {}, max_kept=max_kept)
    definition = definition_of(row)
    if item.form not in definition.form_names():
        return _keep_aside(item, "invalid", {"form": "unknown_form"}, max_kept=max_kept)
    # A short form's response lacks the questions it leaves out: it is checked as that form.
    clean, errors = check_response(definition_of(row, form=item.form), item.answers)
    if errors:
        return _keep_aside(item, "invalid", {name: error.code for name, error in errors.items()}, max_kept=max_kept)
    response, created = store_response(
        questionnaire=row,
        response_uuid=item.uuid,
        answers=clean,
        language=item.language,
        mode="self",
        channel=item.channel,
        form=item.form,
    )
    if created:
        return "stored"
    if response.questionnaire_id == row.id and response.content_hash == answers_hash(row.id, clean):
        return "duplicate"
    return _keep_aside(item, "different_content", {}, max_kept=max_kept)


def _keep_aside(item: SyncedResponse, reason: str, problems: dict, *, max_kept: int | None = None) -> str:
    # Anyone may send what is kept aside: past max_kept rows nothing more is taken, and the
    # tablet keeps it and tries later (ConflictsFull), until an administrator reviews or purges.
    if max_kept is not None and ResponseConflict.select().count() >= max_kept:
        raise ConflictsFull(f"{max_kept} responses are kept aside already")
    payload = {"q": item.slug, "v": item.version, "a": item.answers}
    digest = hashlib.sha256(orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)).hexdigest()
    try:
        with database.atomic():
            ResponseConflict.create(
                response_uuid=item.uuid,
                questionnaire_slug=item.slug,
                questionnaire_version=item.version,
                language=item.language,
                channel=item.channel,
                form=item.form,
                reason=reason,
                content_hash=digest,
                answers=item.answers,
                problems=problems,
            )
    except IntegrityError:
        # The same conflicting response came again: it is kept once. Anything else that breaks
        # the insert must not be acknowledged as kept: the tablet would forget it.
        kept = ResponseConflict.select().where(
            (ResponseConflict.response_uuid == item.uuid) & (ResponseConflict.content_hash == digest)
        )
        if not kept.exists():
            raise
    return "kept_aside"


def keep_malformed_aside(payload: object, problem: str, *, channel: str = "web", max_kept: int | None = None) -> str | None:
    """Keep aside a response that carries an id but cannot be read as sent; return "kept_aside".

    Return None when the payload has no response id: there is nothing to acknowledge then.
    """
    uuid = payload.get("id") if isinstance(payload, dict) else None
    if not isinstance(uuid, str) or not is_response_id(uuid):
        return None
    version = payload.get("version")
    item = SyncedResponse(
        uuid=uuid.lower(),
        slug=_storable(payload.get("questionnaire"))[:64] if payload.get("questionnaire") is not None else "",
        version=version if isinstance(version, int) and not isinstance(version, bool) and 0 <= version < 2**31 else 0,
        language=_storable(payload.get("language"))[:8] if payload.get("language") is not None else "",
        # Without answers (left out, or null) the row still keeps the rest of the payload.
        answers=_storable_document(payload["answers"] if payload.get("answers") is not None else _rest_of(payload)),
        channel=channel,
    )
    return _keep_aside(item, "malformed", {"payload": _storable(problem)}, max_kept=max_kept)


def _rest_of(payload: dict) -> dict:
    """Return what a payload without answers carries besides the fields read on their own."""
    return {key: value for key, value in payload.items() if key not in ("id", "questionnaire", "version", "language", "kiosk", "form")}


def _storable(value: object) -> str:
    """Return value as text any database can store: an unpaired surrogate or a NUL becomes U+FFFD."""
    return _UNSTORABLE.sub("\ufffd", value if isinstance(value, str) else str(value))


def _storable_document(value: object, depth: int = 0) -> object:
    """Return a copy of a decoded JSON value that can be stored, at most MAX_KEPT_DEPTH deep."""
    if isinstance(value, str):
        return _storable(value)
    if value is None or isinstance(value, (bool, float)):
        return value
    if isinstance(value, int):
        return value if -(2**63) <= value < 2**63 else str(value)  # what orjson can write
    if depth >= MAX_KEPT_DEPTH:
        return "(left out: nested too deeply)"
    if isinstance(value, list):
        return [_storable_document(item, depth + 1) for item in value]
    if isinstance(value, dict):
        return {_storable(key): _storable_document(item, depth + 1) for key, item in value.items()}
    return _storable(value)


def purge_kept_aside(*, before: datetime.date) -> int:
    """Delete the responses kept aside that were received before a day; return how many."""
    return ResponseConflict.delete().where(ResponseConflict.received_on < before).execute()


def kept_aside() -> list[ResponseConflict]:
    """Return the responses kept aside for review, oldest first."""
    return list(ResponseConflict.select().order_by(ResponseConflict.received_on, ResponseConflict.id))

"""Answers in progress: sealed into the resident's own form, never written on the server.

A draft travels as a hidden field of every page the resident posts. It is encrypted and
authenticated (AES-GCM) with a key derived from SECRET_KEY and a per-draft nonce that only
the session cookie holds. A stop, a submit or a kiosk reset removes the nonce from the
session, and with it every sealed copy the browser may still hold (in its history, in a
form it restores) becomes unreadable, to the tablet and to the server alike. The server
writes nothing until the final submit: no row, no fsync, the same on SQLite and PostgreSQL.
docs/drafts.md explains the choice.
"""

import base64
import binascii
import dataclasses
import datetime
import secrets
import time
import uuid as uuidlib

import orjson
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

FORMAT = 1  # the first element of every sealed draft; a new layout gets a new number
_SALT = b"survey_app draft v1"
_IV_BYTES = 12
# A sealed draft larger than this is refused unread (MAX_CONTENT_LENGTH bounds the post too).
MAX_SEALED_CHARS = 512 * 1024


@dataclasses.dataclass(frozen=True)
class Draft:
    """The answers of one response in progress, and who is giving them."""

    questionnaire_id: int
    response_uuid: str
    language: str
    mode: str = "self"
    channel: str = "web"
    staff_id: int | None = None
    answers: dict = dataclasses.field(default_factory=dict)


def new_nonce() -> str:
    """Return a fresh per-draft nonce, for the session cookie (22 characters)."""
    return secrets.token_urlsafe(16)


def start_draft(
    questionnaire_id: int,
    *,
    language: str,
    mode: str = "self",
    channel: str = "web",
    staff_id: int | None = None,
) -> Draft:
    """Return a new, empty draft with a fresh client id (the response's idempotency key)."""
    return Draft(questionnaire_id, str(uuidlib.uuid4()), language, mode, channel, staff_id, {})


def draft_cipher(secret: str, nonce: str) -> AESGCM:
    """Return the cipher of one draft, for seal_draft and open_draft in one request (the key
    derivation is most of their cost). Keep it no longer than the request that has the nonce."""
    return _cipher(secret, nonce)


def _cipher(secret: str, nonce: str) -> AESGCM:
    # One key per draft: without its nonce even the holder of SECRET_KEY cannot read it.
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=nonce.encode()).derive(secret.encode())
    return AESGCM(key)


def seal_draft(
    draft: Draft, *, secret: str, nonce: str, lifetime: datetime.timedelta, now: float | None = None,
    cipher: AESGCM | None = None,
) -> str:
    """Return the draft encrypted and authenticated for nonce, readable until now + lifetime.

    cipher: draft_cipher(secret, nonce), when the caller has it already."""
    expires = int((time.time() if now is None else now) + lifetime.total_seconds())
    plain = orjson.dumps(
        [FORMAT, draft.questionnaire_id, draft.response_uuid, draft.language, draft.mode, draft.channel,
         draft.staff_id, expires, draft.answers]
    )
    iv = secrets.token_bytes(_IV_BYTES)
    sealed = (cipher or _cipher(secret, nonce)).encrypt(iv, plain, str(draft.questionnaire_id).encode())
    return base64.urlsafe_b64encode(iv + sealed).decode()


def open_draft(
    sealed: str | None, *, secret: str, nonce: str | None, questionnaire_id: int, now: float | None = None,
    cipher: AESGCM | None = None,
) -> Draft | None:
    """Return the draft sealed for nonce and this questionnaire, or None.

    None when anything is missing, altered, sealed under another nonce or questionnaire, or
    past its lifetime: the resident starts again, and nothing of it can be read.
    """
    if not sealed or not nonce or len(sealed) > MAX_SEALED_CHARS:
        return None
    try:
        raw = base64.urlsafe_b64decode(sealed.encode())
        plain = (cipher or _cipher(secret, nonce)).decrypt(raw[:_IV_BYTES], raw[_IV_BYTES:], str(questionnaire_id).encode())
    except (InvalidTag, ValueError, binascii.Error, UnicodeEncodeError):
        return None
    fields = orjson.loads(plain)
    if fields[0] != FORMAT or fields[1] != questionnaire_id:
        return None
    _, _, response_uuid, language, mode, channel, staff_id, expires, answers = fields
    if (time.time() if now is None else now) >= expires:
        return None
    return Draft(questionnaire_id, response_uuid, language, mode, channel, staff_id, answers)

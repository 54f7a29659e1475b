"""Kiosks on shared tablets: started by staff for some surveys, ended only with the staff's PIN.

The PIN is stored as an argon2 hash on the server and never leaves it. A kiosk's responses
carry the channel 'tablet'; offline responses prove they came from a kiosk with a signed
ticket. A ticket is dated and holds only while its kiosk runs: a copied ticket cannot label
responses as a kiosk's after that (a tablet should send its outbox before the kiosk ends).
"""

import re
import secrets
from itertools import pairwise

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeTimedSerializer

from .errors import PinError
from .published import published_versions
from .models import Kiosk, Questionnaire, User

PIN = re.compile(r"^[0-9]{4,6}$")
_hasher = PasswordHasher()


def check_pin_strength(pin: str) -> None:
    """Raise PinError when pin is not 4 to 6 digits, or is all one digit or a simple run."""
    if not isinstance(pin, str) or not PIN.match(pin):
        raise PinError("a PIN has 4 to 6 digits")
    steps = {int(b) - int(a) for a, b in pairwise(pin)}
    if steps <= {0} or steps == {1} or steps == {-1}:
        raise PinError("a PIN that repeats one digit or counts up or down is too easy to guess")


def start_kiosk(*, staff: User | None, slugs: list[str], pin: str) -> Kiosk:
    """Return a new kiosk for the published surveys in slugs; raise PinError for a weak PIN."""
    check_pin_strength(pin)
    published = {row.slug for row in Questionnaire.published()}
    chosen = [slug for slug in dict.fromkeys(slugs) if slug in published]
    if not chosen:
        raise ValueError("choose at least one open survey")
    return Kiosk.create(
        token=secrets.token_urlsafe(32),
        pin_hash=_hasher.hash(pin),
        slugs=chosen,
        started_by=staff,
    )


def find_kiosk(token: str | None) -> Kiosk | None:
    """Return the running kiosk with this token, or None."""
    if not token:
        return None
    return Kiosk.get_or_none((Kiosk.token == token) & ~Kiosk.ended)


def pin_matches(kiosk: Kiosk, pin: str) -> bool:
    """Return True when pin is the kiosk's PIN."""
    try:
        return _hasher.verify(kiosk.pin_hash, pin if isinstance(pin, str) else "")
    except (VerificationError, InvalidHashError):
        return False


def end_kiosk(kiosk: Kiosk) -> None:
    """Mark the kiosk as ended: its token no longer opens kiosk mode."""
    kiosk.ended = True
    kiosk.save(only=[Kiosk.ended])


def kiosk_slugs(kiosk: Kiosk) -> list[str]:
    """Return the slugs of the kiosk's surveys that are still published, in the kiosk's order."""
    published = {row.slug for row in published_versions()}
    return [slug for slug in kiosk.slugs if slug in published]


# How long a ticket holds after the page that carried it: a weekend offline, and a little more.
TICKET_MAX_AGE_SECONDS = 72 * 3600


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="kiosk-ticket")


def kiosk_ticket(kiosk: Kiosk, secret: str) -> str:
    """Return a signed ticket that an offline response carries to show it was answered in this kiosk."""
    return _serializer(secret).dumps(kiosk.id)


def ticket_is_valid(ticket: object, secret: str, *, max_age: int = TICKET_MAX_AGE_SECONDS) -> bool:
    """Return True when ticket was signed by kiosk_ticket with this secret, is not too old, and its kiosk runs."""
    return ticket_kiosk(ticket, secret, max_age=max_age) is not None


def ticket_kiosk(ticket: object, secret: str, *, max_age: int = TICKET_MAX_AGE_SECONDS) -> int | None:
    """Return the id of the running kiosk a valid ticket names, or None (see ticket_is_valid)."""
    if not isinstance(ticket, str) or len(ticket) > 200 or not ticket.isascii():
        return None
    try:
        kiosk_id = _serializer(secret).loads(ticket, max_age=max_age)  # SignatureExpired is a BadSignature
    except BadSignature:
        return None
    if not isinstance(kiosk_id, int) or not Kiosk.select().where((Kiosk.id == kiosk_id) & ~Kiosk.ended).exists():
        return None
    return kiosk_id

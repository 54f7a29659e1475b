"""The security event log: who tried what, and what was refused; never an answer.

One JSON line per event on the logger "survey_app.security" (to SECURITY_LOG, or with the
server's own log). Callers pass names, counts, reasons and the address; answers, passwords,
PINs and tokens never reach it.
"""

import logging

import orjson

logger = logging.getLogger("survey_app.security")
logger.setLevel(logging.INFO)

# Each event and the fields it may carry: anything else is dropped, so no answer slips in.
EVENTS = {
    "login_failed": ("account", "address", "known"),
    "login_locked": ("account", "address", "scope"),
    "login": ("account", "address"),
    "logout": ("account", "address"),
    "session_refused": ("account", "address"),
    "pin_wrong": ("kiosk", "address"),
    "kiosk_started": ("kiosk", "account", "address"),
    "kiosk_ended": ("kiosk", "address"),
    "sync_refused": ("status", "reason", "address"),
    "sync_kept_aside": ("reason", "address"),
    "export": ("account", "role", "via", "questionnaire", "rows", "anonymised", "free_text"),
}


def record_event(event: str, **fields) -> None:
    """Write one security event with the fields its entry in EVENTS allows."""
    allowed = EVENTS[event]
    entry = {"event": event} | {name: value for name, value in fields.items() if name in allowed}
    logger.info(orjson.dumps(entry, default=str).decode())

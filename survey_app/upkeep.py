"""Periodic upkeep of the database, done beside the residents' requests, never inside one.

With SQLite every commit appends to the write-ahead log, and by default the commit that
crosses 1000 pages copies the log back into the database file: one resident's request waits
for it. Instead each server process runs upkeep() in a background thread every
UPKEEP_SECONDS (its connections no longer checkpoint by themselves), or cron runs
`flask --app survey_app upkeep`. PostgreSQL needs nothing here: its autovacuum does this.
Answers in progress are never stored (drafts.py), so there is nothing to purge.
"""

import logging
import os
import threading
from collections.abc import Callable

from .db import database, is_postgres

log = logging.getLogger(__name__)


def checkpoint_database() -> tuple[int, int] | None:
    """Copy SQLite's write-ahead log into the database file without waiting for or blocking anyone.

    Return (pages in the log, pages copied), or None on PostgreSQL.
    """
    if is_postgres():
        return None
    with database.connection_context():
        _busy, pages, copied = database.execute_sql("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    return pages, copied


def upkeep() -> dict:
    """Do one round of upkeep; return what was done."""
    return {"checkpoint": checkpoint_database()}


class UpkeepThread:
    """Runs work every interval seconds in a daemon thread of this process, and again in each forked child."""

    def __init__(self, interval: float, work: Callable[[], object] = upkeep):
        self.interval, self.work = interval, work
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        # gunicorn --preload forks workers from a master that created the app: each runs its own.
        os.register_at_fork(after_in_child=self._start_in_child)

    def start(self) -> "UpkeepThread":
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="survey-upkeep", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _start_in_child(self) -> None:
        if self._thread is not None and not self._stop.is_set():
            self._stop = threading.Event()
            self.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.work()
            except Exception:  # noqa: BLE001 - a failed round must not end the thread; the next one tries again
                log.exception("upkeep failed")

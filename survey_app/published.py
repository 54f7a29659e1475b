"""Which version of each questionnaire is published: read about once a second per process, not per request.

Every resident's request asks it. On PostgreSQL that was a round trip to the database server
on every page (PostgreSQL alone took 0.24 of the machine's 2 cores in the load run). A process
now keeps the answer for PUBLISHED_VERSION_SECONDS (KEEP_SECONDS, 1 s, by default) and forgets
it at once when a version changes state in the process (workflow.transition,
catalog.load_package); another process (a worker, the CLI, another server) sees the change
within that time. A slug not kept is always read again, so a questionnaire published
elsewhere opens at once. The one durable write checks the state itself:
responses.store_response(published_only=True) never stores answers to a version that is not
published, whatever a process still keeps.
"""

import threading
import time
from dataclasses import dataclass

from .db import database
from .models import VERSION_COLUMNS, Questionnaire

KEEP_SECONDS = 1.0  # the default of PUBLISHED_VERSION_SECONDS
_SLUG = VERSION_COLUMNS.index("slug")


@dataclass(frozen=True)
class _Read:
    database: object  # the Database the rows came from (tests and tools open others)
    read_at: float  # time.monotonic() before the query: its age is never underestimated
    rows: dict  # slug -> column values of its current version, in slug order


class _Kept:
    """The last read of this process; replaced whole, so a reading thread never sees half of one."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.read: _Read | None = None
        self.generation = 0  # counts forget(): a read that began before one is not kept
        self.lock = threading.Lock()

    def forget(self) -> None:
        with self.lock:
            self.generation += 1
            self.read = None

    def rows(self) -> dict:
        read, bound, now = self.read, database.obj, time.monotonic()
        if read is not None and read.database is bound and now - read.read_at < self.seconds:
            return read.rows
        generation = self.generation
        rows: dict = {}
        for values in Questionnaire.published_columns():
            rows.setdefault(values[_SLUG], values)  # the newest published version of a slug comes first
        with self.lock:
            # A change of state forgotten while this query ran may be missing from it: keep nothing.
            if self.generation == generation and self.seconds > 0:
                self.read = _Read(bound, now, rows)
        return rows


_kept = _Kept(KEEP_SECONDS)


def keep_for(seconds: float) -> None:
    """Set how long this process keeps what it read (0: read on every request)."""
    _kept.seconds = max(0.0, float(seconds))
    _kept.forget()


def forget() -> None:
    """Forget what this process read: the next question reads the database again."""
    _kept.forget()


def current_version(slug: str) -> Questionnaire | None:
    """Return the published version of slug without its definition, or None (as Questionnaire.current)."""
    values = _kept.rows().get(slug)
    if values is None:
        # Not kept: unknown, closed, or published since the last read. Read it: a version just
        # published opens at once, and an address nobody offers costs what it did.
        row = Questionnaire.current(slug)
        if row is not None:
            forget()
        return row
    # A new object per call: a caller may change it, the kept values stay as read.
    return Questionnaire.from_columns(values)


def published_versions() -> list[Questionnaire]:
    """Return the published version of each questionnaire, by slug, without their definitions."""
    return [Questionnaire.from_columns(values) for values in _kept.rows().values()]

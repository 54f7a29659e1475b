"""Backups of the database and their restore: SQLite through its online backup API, PostgreSQL
through pg_dump and pg_restore. Every backup file is created readable by its owner only (0600).
"""

import os
import shutil
import sqlite3
import subprocess  # pg_dump and pg_restore, called with a list of arguments, never through a shell
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

# Present in every database of ours since the first migration: a file without it is not our backup.
OUR_TABLE = "response"


class BackupError(Exception):
    """A backup or a restore that could not be done; the message says why, for people."""


@dataclass(frozen=True)
class Target:
    """The database a DATABASE_URL names: a SQLite file or a PostgreSQL connection."""

    kind: str  # "sqlite" or "postgresql"
    path: Path | None = None  # SQLite
    dsn: str = ""  # PostgreSQL: the URL without its password
    password: str | None = None  # PostgreSQL: handed to pg_dump in the environment, never on the command line


def target_of(url: str) -> Target:
    """Return the database of a DATABASE_URL as the backup commands need it."""
    parts = urlsplit(url)
    scheme = parts.scheme.split("+")[0]
    if scheme == "sqlite":
        name = parts.path[1:]  # as playhouse.db_url reads it: sqlite:///relative, sqlite:////absolute
        if name in ("", ":memory:"):
            raise BackupError("an in-memory SQLite database has nothing to back up")
        return Target("sqlite", path=Path(name))
    if scheme in ("postgres", "postgresql"):
        netloc = parts.hostname or ""
        if ":" in netloc:
            netloc = f"[{netloc}]"
        if parts.port:
            netloc += f":{parts.port}"
        if parts.username:
            netloc = f"{parts.username}@{netloc}"
        dsn = urlunsplit(("postgresql", netloc, parts.path, parts.query, ""))
        return Target("postgresql", dsn=dsn, password=unquote(parts.password) if parts.password else None)
    raise BackupError(f"DATABASE_URL has an unsupported scheme '{parts.scheme}'")


def create_backup(url: str, destination: Path) -> Path:
    """Write a consistent copy of the database at url into destination (a new file); return it."""
    target = target_of(url)
    destination = Path(destination)
    _create_private(destination)
    try:
        if target.kind == "sqlite":
            _backup_sqlite(target.path, destination)
        else:
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={destination}", target.dsn], target)
    except BaseException:
        destination.unlink(missing_ok=True)  # never a half-written backup that looks whole
        raise
    return destination


def restore_backup(url: str, source: Path) -> None:
    """Replace the whole content of the database at url by the backup in source."""
    target = target_of(url)
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"there is no backup file {source}")
    if target.kind == "sqlite":
        _restore_sqlite(source, target.path)
    else:
        # One transaction: a restore that fails half-way leaves the database as it was.
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
              "--exit-on-error", f"--dbname={target.dsn}", str(source)], target)


def _create_private(path: Path) -> None:
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        raise BackupError(f"{path} exists already: a backup never overwrites a file") from None
    except OSError as error:
        raise BackupError(f"cannot create {path}: {error.strerror}") from None


def _backup_sqlite(database: Path, destination: Path) -> None:
    if not database.is_file():
        raise BackupError(f"there is no SQLite database at {database}")
    # The online backup API copies every page in one step under a read transaction: a consistent
    # copy while the servers go on writing, with the write-ahead log's committed pages included.
    source = sqlite3.connect(database, timeout=30)
    copy = sqlite3.connect(destination)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")  # the backup is one self-contained file
        _check_sqlite(copy, destination)
    finally:
        copy.close()
        source.close()


def _restore_sqlite(source: Path, database: Path) -> None:
    backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        _check_sqlite(backup, source)
        if not database.exists():
            _create_private(database)
        live = sqlite3.connect(database, timeout=30)
        try:
            # The backup API writes the pages into the live database under its write lock, so a
            # server that is still running sees either the old or the restored content, never a mix.
            backup.backup(live)
        finally:
            live.close()
    finally:
        backup.close()


def _check_sqlite(connection: sqlite3.Connection, path: Path) -> None:
    try:
        (result,) = connection.execute("PRAGMA integrity_check").fetchone()
        ours = connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (OUR_TABLE,)).fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a readable SQLite database: {error}") from None
    if result != "ok":
        raise BackupError(f"{path} fails SQLite's integrity check: {result}")
    if not ours:
        raise BackupError(f"{path} is not a survey_app database (it has no '{OUR_TABLE}' table)")


def _run(command: list[str], target: Target) -> None:
    program = shutil.which(command[0])
    if program is None:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client)")
    environment = dict(os.environ)
    if target.password is not None:
        environment["PGPASSWORD"] = target.password
    done = subprocess.run([program, *command[1:]], env=environment, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip() or done.returncode}")

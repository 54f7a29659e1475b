"""The database, chosen by one URL: SQLite by default, PostgreSQL (pooled) when configured."""

import os
from urllib.parse import urlsplit

from peewee import Database, DatabaseProxy, PostgresqlDatabase
from playhouse.db_url import connect

database = DatabaseProxy()

# WAL lets residents read while another response is written. synchronous=FULL makes every
# commit durable on disk before the resident sees "thank you": a power cut at the server
# never loses an acknowledged response. NORMAL would be faster but may lose the last commits.
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "full",
    "cache_size": -16000,  # 16 MB page cache
    # A deleted row's bytes are overwritten with zeros, in the database file and in the new page
    # versions the write-ahead log receives: nothing of it can be read back from the disk.
    "secure_delete": 1,
}
SQLITE_BUSY_TIMEOUT = 10  # seconds a writer waits for another before giving up
POOL_SIZE = 16


def connect_database(url: str, *, synchronous: str = "full", autocheckpoint: bool = True) -> Database:
    """Return a pooled Database for url, connected on demand and bound to nothing.

    autocheckpoint=False: SQLite commits never copy the write-ahead log back into the
    database file; upkeep.py does, outside the requests.
    """
    scheme = urlsplit(url).scheme
    # Connections are taken from a pool per request and handed back at teardown: opening a
    # connection (and, for SQLite, setting its pragmas) on every request costs more than the query.
    if scheme in ("sqlite", "sqlite+pool"):
        _create_private(urlsplit(url).path)
        pooled = url.replace(scheme + "://", "sqlite+pool://", 1)
        return connect(
            pooled,
            pragmas={**SQLITE_PRAGMAS, "synchronous": synchronous, "wal_autocheckpoint": 1000 if autocheckpoint else 0},
            timeout=SQLITE_BUSY_TIMEOUT,
            # A pooled connection goes back to the pool at teardown and may serve another
            # thread next (threaded servers: werkzeug, gunicorn gthread); one thread at a time.
            check_same_thread=False,
            max_connections=POOL_SIZE,
            stale_timeout=300,
        )
    if scheme in ("postgres", "postgresql", "postgres+pool", "postgresql+pool"):
        pooled = url.replace(scheme + "://", "postgresql+pool://", 1)
        return connect(pooled, max_connections=POOL_SIZE, stale_timeout=300, timeout=10)
    raise ValueError(f"DATABASE_URL has an unsupported scheme '{scheme}': use sqlite:/// or postgresql://")


def _create_private(path: str) -> None:
    """Create the SQLite file readable by its owner only (its -wal and -shm files take its mode)."""
    name = path[1:]  # as playhouse.db_url reads it: sqlite:///relative, sqlite:////absolute
    if name in ("", ":memory:") or name.startswith("file:") or os.path.exists(name):
        return
    try:
        os.close(os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError:
        pass  # a missing folder: SQLite says so when it connects


def open_database(url: str, *, synchronous: str = "full", autocheckpoint: bool = True) -> Database:
    """Return the Database for url and bind the models' proxy to it."""
    db = connect_database(url, synchronous=synchronous, autocheckpoint=autocheckpoint)
    database.initialize(db)
    return db


def with_placeholders(sql: str) -> str:
    """Return hand-written SQL with each '?' turned into the bound database's placeholder.

    For the few queries on every resident's request: Peewee needs about 0.13 ms to build the
    SQL of a small query, several times what SQLite needs to run it.
    """
    param = database.param
    return sql if param == "?" else sql.replace("?", param)


def is_postgres(db: Database | DatabaseProxy = database) -> bool:
    """Return True when db is a PostgreSQL database."""
    target = db.obj if isinstance(db, DatabaseProxy) else db
    return isinstance(target, PostgresqlDatabase)

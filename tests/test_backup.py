"""Backups: `flask backup create` and `backup restore` on a real SQLite file and a real PostgreSQL
database, compared table by table, row by row, with the content before."""

import os
import sqlite3
import stat
import uuid
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest

from survey_app.accounts import create_user
from survey_app.catalog import load_package
from survey_app.db import database
from survey_app.models import Questionnaire, Response

from .conftest import PASSWORD, make_app
from .export.conftest import PACKAGE, add_response

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@pytest.fixture(params=BACKENDS)
def whole_database(request, tmp_path):
    """Return the URL of a database of its own (PostgreSQL: a whole database, as a city backs it up)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'survey.sqlite3'}"
        return
    server = os.environ["TEST_DATABASE_URL"]
    name = f"survey_backup_{os.getpid()}"
    admin = psycopg2.connect(server)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {name}")
    parts = urlsplit(server)
    yield urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))
    if hasattr(database.obj, "close_all"):
        database.obj.close_all()
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.close()


def snapshot(url: str) -> dict[str, list[tuple]]:
    """Return every row of every table of the database at url, sorted, read without the app."""
    if url.startswith("sqlite"):
        connection = sqlite3.connect(urlsplit(url).path[1:])
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        content = {table: sorted(connection.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr) for table in tables}
        connection.close()
        return content
    connection = psycopg2.connect(url)
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")
        tables = [row[0] for row in cursor.fetchall()]
        content = {}
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}"')
            content[table] = sorted(cursor.fetchall(), key=repr)
    connection.close()
    return content


def fill(count: int) -> None:
    """Store count responses to the short questionnaire."""
    kort = Questionnaire.get(slug="kort", version=1)
    for n in range(count):
        add_response(kort, {"kanaal": "loket", "wijk": "centrum", "geboortejaar": 1950 + n})


def test_a_restored_backup_holds_exactly_what_the_database_held(whole_database, tmp_path):
    app = make_app(whole_database)
    runner = app.test_cli_runner()
    with database.connection_context():
        load_package(PACKAGE)
        create_user("beheer", PASSWORD, "admin")
        fill(5)
    if whole_database.startswith("sqlite"):
        # Committed but still in the write-ahead log only, as between two checkpoints of the
        # servers: a copy of the file alone would miss it; the online backup API does not.
        late = sqlite3.connect(urlsplit(whole_database).path[1:])
        late.execute("PRAGMA wal_autocheckpoint = 0")
        late.execute("UPDATE response SET language = 'fr' WHERE id = 1")
        late.commit()
    before = snapshot(whole_database)
    assert len(before["response"]) == 5 and len(before["user"]) == 1

    backup = tmp_path / "backups" / "survey.backup"
    backup.parent.mkdir()
    done = runner.invoke(args=["backup", "create", str(backup)])
    assert done.exit_code == 0, done.output
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    if whole_database.startswith("sqlite"):
        assert ("fr",) in sqlite3.connect(backup).execute("SELECT language FROM response").fetchall()
        late.close()

    with database.connection_context():  # life goes on: new responses, a deleted one, a new account
        fill(3)
        Response.delete().where(Response.id == 2).execute()
        create_user("later", PASSWORD, "staff")
    assert snapshot(whole_database) != before

    done = runner.invoke(args=["backup", "restore", str(backup), "--yes"])
    assert done.exit_code == 0, done.output
    assert snapshot(whole_database) == before
    with database.connection_context():  # and the app works on the restored database
        assert Response.select().count() == 5
        fill(1)
    if whole_database.startswith("sqlite"):
        (mode,) = sqlite3.connect(urlsplit(whole_database).path[1:]).execute("PRAGMA journal_mode").fetchone()
        assert mode == "wal"


def test_backup_never_overwrites_and_restore_asks_first(whole_database, tmp_path):
    app = make_app(whole_database)
    runner = app.test_cli_runner()
    existing = tmp_path / "kept.backup"
    existing.write_bytes(b"an older backup")
    done = runner.invoke(args=["backup", "create", str(existing)])
    assert done.exit_code == 1 and "exists already" in done.output
    assert existing.read_bytes() == b"an older backup"
    done = runner.invoke(args=["backup", "restore", str(existing)])
    assert done.exit_code == 2 and "--yes" in done.output
    done = runner.invoke(args=["backup", "restore", str(tmp_path / "missing.backup"), "--yes"])
    assert done.exit_code == 1 and "there is no backup file" in done.output


def test_restore_refuses_a_file_that_is_not_our_backup_and_leaves_the_database_alone(tmp_path):
    url = f"sqlite:///{tmp_path / 'survey.sqlite3'}"
    app = make_app(url)
    with database.connection_context():
        load_package(PACKAGE)
        fill(2)
    before = snapshot(url)
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE notes (text)").connection.commit()
    garbage = tmp_path / "garbage.backup"
    garbage.write_bytes(uuid.uuid4().bytes * 100)
    for wrong, message in ((other, "not a survey_app database"), (garbage, "not a readable SQLite database")):
        done = app.test_cli_runner().invoke(args=["backup", "restore", str(wrong), "--yes"])
        assert done.exit_code == 1 and message in done.output, done.output
    assert snapshot(url) == before

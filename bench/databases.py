"""Fresh databases for a load run, and what was stored in them afterwards."""

import contextlib
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import psycopg2

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def fresh_database(choice: str, folder: Path, name: str):
    """Yield the URL of an empty database: a SQLite file in folder, or a new PostgreSQL schema."""
    if choice == "sqlite":
        yield f"sqlite:///{folder / (name + '.sqlite3')}"
        return
    schema = f"bench_{os.getpid()}_{name.replace('-', '_')}"
    with psycopg2.connect(choice) as connection, connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
    separator = "&" if "?" in choice else "?"
    try:
        yield f"{choice}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        connection = psycopg2.connect(choice)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        connection.close()


def prepare_survey_database(env: dict) -> None:
    """Migrate the database and load the questionnaire package, with the project's own CLI."""
    for args in (["init-db"], ["questionnaires", "load"]):
        done = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "survey_app", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


def close_survey_database() -> None:
    from survey_app.db import database

    if hasattr(database.obj, "close_all"):
        database.obj.close_all()
    elif not database.is_closed():
        database.close()


def read_definitions(url: str) -> list:
    """Return the Definitions of the published questionnaires in the database at url."""
    from survey_app.catalog import definition_of
    from survey_app.db import database, open_database
    from survey_app.models import Questionnaire

    open_database(url)
    with database.connection_context():
        definitions = [definition_of(row) for row in Questionnaire.published()]
    close_survey_database()
    return definitions


def verify_responses(url: str, completed: list[str], uncertain: int, *, cut_off: int) -> dict:
    """Return how the stored responses compare with those the clients completed."""
    from survey_app.db import database, open_database
    from survey_app.models import Response

    open_database(url)
    with database.connection_context():
        stored = [uuid for (uuid,) in Response.select(Response.uuid).tuples()]
    close_survey_database()
    missing = set(completed) - set(stored)
    unexpected = set(stored) - set(completed)
    duplicates = len(stored) - len(set(stored)) + len(completed) - len(set(completed))
    return {
        "completed_by_clients": len(completed),
        "stored": len(stored),
        "missing": len(missing),
        "unexpected": len(unexpected),
        "duplicates": duplicates,
        "submits_without_answer": uncertain,
        "cut_off": cut_off,
        "ok": not missing and not duplicates and (not unexpected or len(unexpected) <= uncertain),
    }

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


def prepare_survey_database(env: dict, *, root: Path = ROOT, python: str = sys.executable) -> None:
    """Migrate the database and load the questionnaire package, with the CLI of the tree at root."""
    for args in (["init-db"], ["questionnaires", "load"]):
        done = subprocess.run(
            [python, "-m", "flask", "--app", "survey_app", *args],
            cwd=root,
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


def read_content_definitions(folder: Path) -> list:
    """Return the Definitions of the published questionnaires in the content package at folder.

    Read from the files with today's reader, not from the database: an older commit's schema
    is not today's, and the clients of both runs must answer the very same definitions.
    """
    from survey_app.content.reader import read_package

    definitions, problems = read_package(Path(folder))
    if problems:
        raise RuntimeError(f"{folder}: " + "; ".join(str(p) for p in problems))
    published = [d for d in definitions if d.state == "published"]
    if not published:
        raise RuntimeError(f"{folder}: no published questionnaire")
    return published


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

"""The yardstick: a bare Flask + Peewee app that inserts one row per request.

Same database URL, same SQLite pragmas and busy timeout, same PostgreSQL pool and the same
connection-per-request pattern as survey_app, and nothing else: no templates, sessions or CSRF.
Serve it with `gunicorn 'bench.bare:create_app()'` and DATABASE_URL set.
"""

import os

from flask import Flask, request
from peewee import CharField, DatabaseProxy, IntegerField, Model

from survey_app.web.database_hooks import connect_per_request
from survey_app.db import connect_database

database = DatabaseProxy()


class Hit(Model):
    """One row per request."""

    client = IntegerField()
    note = CharField(max_length=64)

    class Meta:
        database = database
        table_name = "bench_hit"


def open_bare_database(url: str, *, synchronous: str = "full"):
    """Return the Database for url, opened exactly as survey_app.db opens its own."""
    db = connect_database(url, synchronous=synchronous)
    database.initialize(db)
    return db


def create_bare_table(url: str) -> None:
    """Create the app's one table (before the workers start, so they never race to do it)."""
    open_bare_database(url)
    with database.connection_context():
        database.create_tables([Hit], safe=True)


def count_hits(url: str) -> int:
    """Return how many rows the app has stored."""
    open_bare_database(url)
    with database.connection_context():
        return Hit.select().count()


def create_app() -> Flask:
    """Return the bare app on DATABASE_URL (SQLITE_SYNCHRONOUS honoured as survey_app does)."""
    app = Flask(__name__)
    open_bare_database(
        os.environ["DATABASE_URL"], synchronous=os.environ.get("SQLITE_SYNCHRONOUS") or "full"
    )

    connect_per_request(app, database)

    @app.post("/hit")
    def hit():
        with database.atomic():
            row = Hit.create(
                client=int(request.form.get("client", 0)), note=request.form.get("note", "")[:64]
            )
        return {"id": row.id}, 201

    return app

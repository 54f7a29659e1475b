"""The yardsticks: a bare Flask + Peewee app doing the survey's mix, and a plain Flask GET.

The bare app has the same database URL, the same SQLite pragmas and busy timeout, the same
PostgreSQL pool and the same connection-per-request pattern as survey_app, and nothing else
(no sessions, CSRF, forms or translations): `GET /page/<n>` reads one row and renders a small
page from a Jinja template, `POST /hit` stores one row durably in a transaction. The load run
sends them in the survey's proportion (per completed survey one durable write, the other
requests reads). The plain app answers `GET /plain` with a short text and touches nothing.
Serve them with `gunicorn 'bench.bare:create_app()'` (DATABASE_URL set) and
`gunicorn 'bench.bare:create_plain_app()'`.
"""

import os

from flask import Flask, abort, request
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


PAGES = 100  # rows the reads choose from, stored before the run

PAGE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Pagina {{ row.id }}</title></head>
<body><main><h1>Pagina {{ row.id }}</h1><p>{{ row.note }}</p>
<form method="post" action="/hit"><input type="hidden" name="client" value="{{ row.client }}">
{% for n in range(10) %}<fieldset><legend>Vraag {{ n }}</legend>
{% for v in range(5) %}<label><input type="radio" name="q{{ n }}" value="{{ v }}"> {{ v }}</label>
{% endfor %}</fieldset>
{% endfor %}<button type="submit">Volgende</button></form></main></body></html>
"""


def create_bare_table(url: str) -> None:
    """Create the app's one table with the rows the reads show (before the workers start)."""
    open_bare_database(url)
    with database.connection_context():
        database.create_tables([Hit], safe=True)
        with database.atomic():
            for number in range(PAGES):
                Hit.create(client=-1, note=f"page {number}")


def count_hits(url: str) -> int:
    """Return how many rows the app has stored (besides the pages)."""
    open_bare_database(url)
    with database.connection_context():
        return Hit.select().where(Hit.client >= 0).count()


def create_app() -> Flask:
    """Return the bare app on DATABASE_URL (SQLITE_SYNCHRONOUS honoured as survey_app does)."""
    app = Flask(__name__)
    open_bare_database(
        os.environ["DATABASE_URL"], synchronous=os.environ.get("SQLITE_SYNCHRONOUS") or "full"
    )

    connect_per_request(app, database)
    page = app.jinja_env.from_string(PAGE)

    @app.get("/page/<int:number>")
    def show(number):
        row = Hit.get_or_none(Hit.id == number)
        if row is None:
            abort(404)
        return page.render(row=row)

    @app.post("/hit")
    def hit():
        with database.atomic():
            row = Hit.create(
                client=int(request.form.get("client", 0)), note=request.form.get("note", "")[:64]
            )
        return {"id": row.id}, 201

    return app


def create_plain_app() -> Flask:
    """Return the plainest Flask app: one GET that answers a short text."""
    app = Flask(__name__)

    @app.get("/plain")
    def plain():
        return "ok"

    return app

"""Wire the database to the app: one connection per request, returned at teardown."""

from flask import Flask
from peewee import Database, DatabaseProxy

from ..db import database, open_database


def init_app(app: Flask) -> None:
    """Open the configured database and connect it per request."""
    open_database(app.config["DATABASE_URL"], synchronous=app.config["SQLITE_SYNCHRONOUS"])
    connect_per_request(app, database)


def connect_per_request(app: Flask, db: Database | DatabaseProxy) -> None:
    """Take a connection (from the pool) for each request and hand it back at teardown."""

    @app.before_request
    def connect_database():
        db.connect(reuse_if_open=True)

    @app.teardown_request
    def close_database(exception=None):
        if not db.is_closed():
            db.close()

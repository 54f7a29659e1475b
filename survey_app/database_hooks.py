"""Wire the database to the app: one connection per request, returned at teardown."""

from flask import Flask

from .db import database, open_database


def init_app(app: Flask) -> None:
    """Open the configured database and connect it per request."""
    open_database(app.config["DATABASE_URL"], synchronous=app.config["SQLITE_SYNCHRONOUS"])

    @app.before_request
    def connect_database():
        database.connect(reuse_if_open=True)

    @app.teardown_request
    def close_database(exception=None):
        if not database.is_closed():
            database.close()

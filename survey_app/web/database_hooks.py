"""Wire the database to the app: one connection per request, returned at teardown, and upkeep beside them."""

from flask import Flask
from peewee import Database, DatabaseProxy

from ..db import database, open_database
from ..upkeep import UpkeepThread


def init_app(app: Flask) -> None:
    """Open the configured database, connect it per request, and start the upkeep thread."""
    interval = app.config["UPKEEP_SECONDS"]
    # Tests create many apps: they start upkeep themselves where they test it.
    background = interval > 0 and not app.testing
    open_database(app.config["DATABASE_URL"], synchronous=app.config["SQLITE_SYNCHRONOUS"], autocheckpoint=not background)
    connect_per_request(app, database)
    if background:
        app.extensions["upkeep"] = UpkeepThread(interval).start()


def connect_per_request(app: Flask, db: Database | DatabaseProxy) -> None:
    """Take a connection (from the pool) for each request and hand it back at teardown."""

    @app.before_request
    def connect_database():
        db.connect(reuse_if_open=True)

    @app.teardown_request
    def close_database(exception=None):
        if not db.is_closed():
            db.close()

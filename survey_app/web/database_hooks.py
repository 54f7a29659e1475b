"""Wire the database to the app: one connection per request, returned at teardown, and upkeep beside them."""

from flask import Flask
from peewee import Database, DatabaseProxy

from .. import published
from ..db import database, open_database
from ..upkeep import UpkeepThread


def init_app(app: Flask) -> None:
    """Open the configured database, connect it per request, and start the upkeep thread."""
    interval = app.config["UPKEEP_SECONDS"]
    # Tests create many apps: they start upkeep themselves where they test it.
    background = interval > 0 and not app.testing
    open_database(app.config["DATABASE_URL"], synchronous=app.config["SQLITE_SYNCHRONOUS"], autocheckpoint=not background)
    published.keep_for(app.config["PUBLISHED_VERSION_SECONDS"])
    connect_per_request(app, database)
    if background:
        app.extensions["upkeep"] = UpkeepThread(interval).start()


def connect_per_request(app: Flask, db: Database | DatabaseProxy) -> None:
    """Hand the request's connection back to the pool at teardown.

    A request takes one from the pool at its first query (Peewee's autoconnect): most of a
    resident's pages ask the database nothing (published.py), and need no connection at all.
    """

    @app.teardown_request
    def close_database(exception=None):
        if not db.is_closed():
            db.close()

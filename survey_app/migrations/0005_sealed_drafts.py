"""Answers in progress leave the database: they travel sealed with the resident's form (drafts.py).

The draft table goes, and with it any answers in progress stored before this step: their
sealed successors could not open them, and nothing unfinished should stay on the server.
"""

from ..db import is_postgres


def apply(database, migrator):
    if is_postgres(database):
        database.execute_sql("DROP TABLE IF EXISTS draft")
        return
    # SQLite would keep the dropped pages' old bytes in the file; secure_delete zeroes them.
    (previous,) = database.execute_sql("PRAGMA secure_delete").fetchone()
    database.execute_sql("PRAGMA secure_delete = ON")
    database.execute_sql("DROP TABLE IF EXISTS draft")
    database.execute_sql(f"PRAGMA secure_delete = {int(previous)}")

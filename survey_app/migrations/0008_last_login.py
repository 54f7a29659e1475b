"""Staff accounts remember the day of their last login, for `users list` (a day, not a time)."""

from peewee import DateField
from playhouse.migrate import migrate


def apply(database, migrator):
    migrate(migrator.add_column("user", "last_login", DateField(null=True)))

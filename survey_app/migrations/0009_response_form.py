"""Each response says which form it answered (the full questionnaire or a shorter one), so exports
and indicators can tell them apart; null for the responses stored before."""

from peewee import CharField
from playhouse.migrate import migrate


def apply(database, migrator):
    migrate(
        migrator.add_column("response", "form", CharField(max_length=16, null=True)),
        migrator.add_column("response_conflict", "form", CharField(max_length=16, null=True)),
    )

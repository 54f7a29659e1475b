"""Numbered schema migrations. A landed migration is never edited: add the next number."""

import importlib
import pkgutil
import re

from peewee import CharField, DateTimeField, IntegerField, Model
from playhouse.migrate import PostgresqlMigrator, SqliteMigrator

from ..db import database, is_postgres
from ..models import utcnow

NAME = re.compile(r"^(\d{4})_[a-z0-9_]+$")


class SchemaMigration(Model):
    number = IntegerField(primary_key=True)
    name = CharField(max_length=100)
    applied_at = DateTimeField(default=utcnow)

    class Meta:
        database = database
        table_name = "schema_migration"


def available_migrations() -> list[tuple[int, str]]:
    """Return (number, module name) of every migration in this package, in order."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        match = NAME.match(info.name)
        if match:
            found.append((int(match.group(1)), info.name))
    return sorted(found)


def applied_numbers() -> set[int]:
    """Return the numbers of the migrations already applied."""
    database.create_tables([SchemaMigration], safe=True)
    return {m.number for m in SchemaMigration.select(SchemaMigration.number)}


def migrate_database() -> list[str]:
    """Apply every pending migration, each in its own transaction; return their names."""
    done = applied_numbers()
    migrator = PostgresqlMigrator(database.obj) if is_postgres() else SqliteMigrator(database.obj)
    applied = []
    for number, name in available_migrations():
        if number in done:
            continue
        module = importlib.import_module(f"{__name__}.{name}")
        with database.atomic():
            module.apply(database, migrator)
            SchemaMigration.create(number=number, name=name)
        applied.append(name)
    return applied

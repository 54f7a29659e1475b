"""Migrations build exactly the schema the models describe, and run once."""

from survey_app.db import database
from survey_app.migrations import available_migrations, migrate_database
from survey_app.models import MODELS


def test_numbers_are_unique_and_ascending():
    numbers = [number for number, _ in available_migrations()]
    assert numbers == sorted(set(numbers))
    assert numbers[0] == 1


def test_the_migrated_schema_has_every_model_column(empty_app):
    with database.connection_context():
        for model in MODELS:
            columns = {c.name for c in database.get_columns(model._meta.table_name)}
            expected = {f.column_name for f in model._meta.sorted_fields}
            assert expected <= columns, (model.__name__, expected - columns)


def test_migrating_again_applies_nothing(empty_app):
    with database.connection_context():
        assert migrate_database() == []

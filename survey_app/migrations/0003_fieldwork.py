"""Fieldwork: synced responses kept aside for review, and kiosks on shared tablets.

The models are frozen copies of survey_app.models as they were at this migration.
"""

import datetime

from peewee import (
    BooleanField,
    CharField,
    DateField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)


def apply(database, migrator):
    class Base(Model):
        class Meta:
            legacy_table_names = False

    class User(Base):
        class Meta:
            table_name = "user"

    class ResponseConflict(Base):
        response_uuid = CharField(max_length=36, index=True)
        questionnaire_slug = CharField(max_length=64)
        questionnaire_version = IntegerField()
        language = CharField(max_length=8)
        channel = CharField(max_length=16)
        reason = CharField(max_length=32)
        content_hash = CharField(max_length=64)
        answers = TextField()
        problems = TextField()
        received_on = DateField(default=datetime.date.today)

        class Meta:
            indexes = ((("response_uuid", "content_hash"), True),)

    class Kiosk(Base):
        token = CharField(max_length=64, unique=True)
        pin_hash = CharField(max_length=255)
        slugs = TextField()
        started_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
        started_on = DateField()
        ended = BooleanField(default=False)

    tables = [ResponseConflict, Kiosk]
    with database.obj.bind_ctx([User, *tables]):
        database.obj.create_tables(tables)

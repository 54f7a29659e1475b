"""The first schema: questionnaire versions, their history, staff, responses and drafts.

The models are frozen copies of survey_app.models as they were at this migration, so that
later changes to the models never change what this step creates.
"""

import datetime

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)


def apply(database, migrator):
    class Base(Model):
        class Meta:
            legacy_table_names = False

    class Questionnaire(Base):
        slug = CharField(max_length=64)
        version = IntegerField()
        state = CharField(max_length=16)
        title = TextField()
        definition = TextField()
        content_hash = CharField(max_length=64)
        loaded_at = DateTimeField()

        class Meta:
            indexes = ((("slug", "version"), True),)

    class StateChange(Base):
        questionnaire = ForeignKeyField(Questionnaire, on_delete="CASCADE")
        from_state = CharField(max_length=16, null=True)
        to_state = CharField(max_length=16)
        actor = CharField(max_length=64)
        comment = TextField(default="")
        changed_at = DateTimeField()

    class User(Base):
        username = CharField(max_length=64, unique=True)
        password_hash = CharField(max_length=255)
        role = CharField(max_length=16)
        active = BooleanField(default=True)
        pseudonym = CharField(max_length=16, unique=True)
        session_token = CharField(max_length=64)
        created_on = DateField(default=datetime.date.today)

    class Response(Base):
        uuid = CharField(max_length=36, unique=True)
        questionnaire = ForeignKeyField(Questionnaire, on_delete="RESTRICT")
        language = CharField(max_length=8)
        mode = CharField(max_length=16)
        channel = CharField(max_length=16)
        submitted_on = DateField()
        staff = ForeignKeyField(User, null=True, on_delete="SET NULL")
        content_hash = CharField(max_length=64)
        answers = TextField()

        class Meta:
            indexes = ((("questionnaire", "submitted_on"), False),)

    class Draft(Base):
        token = CharField(max_length=64, unique=True)
        questionnaire = ForeignKeyField(Questionnaire, on_delete="CASCADE")
        response_uuid = CharField(max_length=36)
        language = CharField(max_length=8)
        mode = CharField(max_length=16)
        channel = CharField(max_length=16)
        staff = ForeignKeyField(User, null=True, on_delete="CASCADE")
        answers = TextField()
        expires_at = DateTimeField(index=True)

    tables = [Questionnaire, StateChange, User, Response, Draft]
    with database.obj.bind_ctx(tables):
        database.obj.create_tables(tables)

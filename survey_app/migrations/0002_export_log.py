"""The export audit log: every export of results, raw or anonymised, with its purpose.

The models are frozen copies of survey_app.models as they were at this migration.
"""

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

    class User(Base):
        class Meta:
            table_name = "user"

    class ExportLog(Base):
        created_at = DateTimeField()
        user = ForeignKeyField(User, null=True, on_delete="SET NULL")
        username = CharField(max_length=64)
        role = CharField(max_length=16)
        via = CharField(max_length=8)
        questionnaire = CharField(max_length=64)
        versions = CharField(max_length=200)
        formats = CharField(max_length=64)
        date_from = DateField(null=True)
        date_to = DateField(null=True)
        labels_language = CharField(max_length=8)
        anonymised = BooleanField()
        free_text = BooleanField()
        rows = IntegerField()
        purpose = TextField()

    with database.obj.bind_ctx([User, ExportLog]):
        database.obj.create_tables([ExportLog])

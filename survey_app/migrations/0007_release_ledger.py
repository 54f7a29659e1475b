"""The release ledger: every anonymised release of a questionnaire, with what it holds.

The models are frozen copies of survey_app.models as they were at this migration.
"""

from peewee import BlobField, CharField, DateField, DateTimeField, IntegerField, Model, TextField


def apply(database, migrator):
    class Base(Model):
        class Meta:
            legacy_table_names = False

    class Release(Base):
        questionnaire = CharField(max_length=64)
        number = IntegerField()
        created_at = DateTimeField()
        period_end = DateField()
        period = CharField(max_length=16)
        date_precision = CharField(max_length=8)
        versions = CharField(max_length=200)
        k = IntegerField()
        rows = IntegerField()
        secret = CharField(max_length=64)
        steps = TextField()
        respondents = BlobField()
        responses_read = BlobField()
        suppressed = BlobField()
        report = TextField()

        class Meta:
            indexes = ((("questionnaire", "number"), True),)

    with database.obj.bind_ctx([Release]):
        database.obj.create_tables([Release])

"""Failed logins per account and per address, counted in the database (throttle.py)."""

from peewee import CharField, DateTimeField, IntegerField, Model


def apply(database, migrator):
    class LoginThrottle(Model):
        key = CharField(max_length=64, unique=True)
        failures = IntegerField(default=0)
        window_ends = DateTimeField(index=True)

        class Meta:
            table_name = "login_throttle"

    with database.obj.bind_ctx([LoginThrottle]):
        database.obj.create_tables([LoginThrottle])

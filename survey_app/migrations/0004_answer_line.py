"""Each response's answers also as one positional CSV line, which the export reads fast.

Nullable: responses stored before this step keep no line, and the export reads their JSON
document as it always did.
"""

from peewee import TextField
from playhouse.migrate import migrate


def apply(database, migrator):
    migrate(migrator.add_column("response", "answer_line", TextField(null=True)))

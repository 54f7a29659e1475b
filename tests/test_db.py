"""The SQLite file: private to its owner, and a deleted row leaves no bytes behind."""

import stat
import uuid

from survey_app.db import database
from survey_app.models import ResponseConflict

from .conftest import make_app


def test_the_file_is_private_and_a_deleted_row_leaves_no_trace_in_it_or_the_wal(tmp_path):
    path = tmp_path / "survey.sqlite3"
    app = make_app(f"sqlite:///{path}")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    secret = "unmistakable-answer-" + uuid.uuid4().hex
    with app.app_context(), database.connection_context():
        ResponseConflict.create(response_uuid=str(uuid.uuid4()), questionnaire_slug="werk", questionnaire_version=1,
                                language="nl", channel="web", reason="invalid", content_hash="x" * 64,
                                answers={"opmerking": secret * 20}, problems={})
        database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        assert secret.encode() in path.read_bytes()
        ResponseConflict.delete().execute()
        database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.obj.close_all()
    for file in tmp_path.iterdir():
        assert secret.encode() not in file.read_bytes(), file.name
    wal = tmp_path / "survey.sqlite3-wal"
    assert not wal.exists() or stat.S_IMODE(wal.stat().st_mode) == 0o600

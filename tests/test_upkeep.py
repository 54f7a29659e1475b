"""Upkeep beside the requests: SQLite checkpoints in a background thread or from cron, never in a request."""

import threading

import pytest

from survey_app.db import database, is_postgres
from survey_app.models import Questionnaire
from survey_app.upkeep import UpkeepThread, checkpoint_database, upkeep

from .conftest import make_app


@pytest.fixture
def served_app(database_url):
    """An app configured as a server runs: not in testing mode, so upkeep runs in its thread."""
    app = make_app(database_url, TESTING=False, UPKEEP_SECONDS=3600)
    yield app
    app.extensions["upkeep"].stop()
    database.obj.close_all()


def write_some_rows():
    with database.connection_context():
        for number in range(20):
            Questionnaire.create(slug=f"s{number}", version=1, state="draft", title="t" * 2000, definition={}, content_hash="h")


def test_a_served_app_leaves_checkpoints_to_its_upkeep_thread(served_app):
    assert served_app.extensions["upkeep"].interval == 3600
    with served_app.test_request_context(), database.connection_context():
        if is_postgres():
            pytest.skip("PostgreSQL has no write-ahead log to checkpoint by hand")
        assert database.execute_sql("PRAGMA wal_autocheckpoint").fetchone() == (0,)
    write_some_rows()
    pages, copied = checkpoint_database()
    assert pages > 0 and copied == pages


def test_a_testing_app_or_upkeep_seconds_0_keeps_sqlites_own_checkpoints(database_url):
    for overrides in ({}, {"TESTING": False, "UPKEEP_SECONDS": 0}):
        app = make_app(database_url, **overrides)
        assert "upkeep" not in app.extensions
        with database.connection_context():
            if not is_postgres():
                assert database.execute_sql("PRAGMA wal_autocheckpoint").fetchone() == (1000,)
        database.obj.close_all()


def test_the_thread_runs_its_work_every_interval_until_stopped():
    rounds = []
    twice = threading.Event()

    def work():
        rounds.append(1)
        if len(rounds) >= 2:
            twice.set()

    thread = UpkeepThread(0.01, work).start()
    assert twice.wait(10)
    thread.stop()
    done = len(rounds)
    assert not thread._thread.is_alive()
    assert len(rounds) == done


def test_a_failing_round_does_not_end_the_thread(caplog):
    rounds = []
    again = threading.Event()

    def work():
        rounds.append(1)
        if len(rounds) == 1:
            raise RuntimeError("disk full")
        again.set()

    thread = UpkeepThread(0.01, work).start()
    assert again.wait(10)
    thread.stop()
    assert "upkeep failed" in caplog.text


def test_the_cron_command_checkpoints(app, runner):
    write_some_rows()
    result = runner.invoke(args=["upkeep"])
    assert result.exit_code == 0, result.output
    if is_postgres():
        assert "nothing to do" in result.output
        assert upkeep() == {"checkpoint": None}
    else:
        assert result.output.startswith("Checkpoint: ") and "pages of the write-ahead log" in result.output

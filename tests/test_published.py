"""Which version is published, as a process keeps it: the database's answer, and soon again after a change."""

import time

import pytest

from survey_app import published
from survey_app.catalog import load_package
from survey_app.db import database, open_database
from survey_app.migrations import migrate_database
from survey_app.models import Questionnaire
from survey_app.workflow import transition

from .conftest import QUESTIONNAIRES


@pytest.fixture
def keep_long(db):
    """Keep a read for a minute: a change seen at once was not kept, it was told."""
    published.keep_for(60)
    yield
    published.keep_for(published.KEEP_SECONDS)


def as_read(row):
    return None if row is None else (row.id, row.slug, row.version, row.state, row.title, row.content_hash)


def test_the_kept_versions_are_the_databases_own(db):
    slugs = [row.slug for row in Questionnaire.select(Questionnaire.slug).distinct()]
    assert len(slugs) >= 6
    for slug in [*slugs, "onbekend"]:
        assert as_read(published.current_version(slug)) == as_read(Questionnaire.current(slug))
    assert [as_read(row) for row in published.published_versions()] == [
        as_read(Questionnaire.current(row.slug)) for row in Questionnaire.published()
    ]


def test_a_read_is_kept_for_the_time_set_then_read_again(db):
    published.keep_for(0.3)
    try:
        row = published.current_version("werk")
        # Closed by another process (a worker, the CLI): this one does not know yet.
        Questionnaire.update(state="closed").where(Questionnaire.id == row.id).execute()
        assert published.current_version("werk").id == row.id
        time.sleep(0.35)
        assert published.current_version("werk") is None
        assert "werk" not in {r.slug for r in published.published_versions()}
    finally:
        published.keep_for(published.KEEP_SECONDS)


def test_zero_seconds_reads_on_every_question(db):
    published.keep_for(0)
    try:
        row = published.current_version("werk")
        Questionnaire.update(state="closed").where(Questionnaire.id == row.id).execute()
        assert published.current_version("werk") is None
    finally:
        published.keep_for(published.KEEP_SECONDS)


def test_a_change_of_state_in_this_process_counts_at_once(keep_long):
    row = published.current_version("werk")
    transition(Questionnaire.get_by_id(row.id), "closed", actor="test")
    assert published.current_version("werk") is None
    transition(Questionnaire.get_by_id(row.id), "published", actor="test")
    assert published.current_version("werk").id == row.id


def test_a_version_published_elsewhere_opens_at_once(keep_long):
    row = published.current_version("werk")
    newer = Questionnaire.create(slug="werk", version=row.version + 1, state="draft", title=row.title,
                                 definition=Questionnaire.get_by_id(row.id).definition, content_hash=row.content_hash)
    closed = Questionnaire.create(slug="nieuw", version=1, state="closed", title="Nieuw", definition={}, content_hash="x")
    assert published.current_version("nieuw") is None
    # Published by another process. A newer version of a kept slug counts after the time set
    # (till then the submit refuses the old one, which that process closed)...
    Questionnaire.update(state="published").where(Questionnaire.id == newer.id).execute()
    assert published.current_version("werk").id == row.id
    # ...but a slug this process keeps no version of is read again, and opens at once.
    Questionnaire.update(state="published").where(Questionnaire.id == closed.id).execute()
    assert published.current_version("nieuw").id == closed.id
    assert published.current_version("werk").id == newer.id  # that read was forgotten too


def test_a_loaded_package_counts_at_once(keep_long):
    assert published.current_version("werk") is not None
    Questionnaire.update(state="closed").where(Questionnaire.slug == "werk").execute()
    assert published.current_version("werk") is not None  # kept
    load_package(QUESTIONNAIRES)  # the file says published: reopened, and this process is told
    assert as_read(published.current_version("werk")) == as_read(Questionnaire.current("werk"))


def test_a_caller_that_changes_a_row_changes_only_its_own(keep_long):
    row = published.current_version("werk")
    row.state, row.title = "closed", "anders"
    again = published.current_version("werk")
    assert (again.state, again.title) == ("published", Questionnaire.current("werk").title)


def test_another_database_is_never_answered_from_the_first(tmp_path, keep_long):
    first = database.obj
    assert published.current_version("werk") is not None
    other = open_database(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    try:
        with other.connection_context():
            migrate_database()
            assert published.current_version("werk") is None
            assert published.published_versions() == []
    finally:
        other.close_all()
        database.initialize(first)
    assert published.current_version("werk") is not None


def test_after_any_change_of_state_in_this_process_the_kept_answer_is_the_databases(tmp_path):
    """Hypothesis drives publish, close, reopen and withdraw of versions of three surveys; after
    each, what the process keeps (kept for a minute) is what the database says."""
    from hypothesis import settings
    from hypothesis import strategies as st
    from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

    slugs = ("een", "twee", "drie")
    first = database.obj
    db = open_database(f"sqlite:///{tmp_path / 'states.sqlite3'}")
    with db.connection_context():
        migrate_database()
    published.keep_for(60)

    class Versions(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            Questionnaire.delete().execute()
            published.forget()  # a new database state, as after a restore

        @rule(slug=st.sampled_from(slugs), publish=st.booleans())
        def add_version(self, slug, publish):
            newest = Questionnaire.select().where(Questionnaire.slug == slug).order_by(Questionnaire.version.desc()).first()
            row = Questionnaire.create(slug=slug, version=(newest.version if newest else 0) + 1, state="draft",
                                       title=slug, definition={}, content_hash=slug)
            transition(row, "published" if publish else "closed", actor="test")  # publish or withdraw

        @rule(slug=st.sampled_from(slugs), data=st.data())
        def close_or_reopen(self, slug, data):
            rows = list(Questionnaire.select().where((Questionnaire.slug == slug) & (Questionnaire.state != "draft")))
            if rows:
                row = data.draw(st.sampled_from(rows))
                transition(row, "closed" if row.state == "published" else "published", actor="test")

        @rule(slug=st.sampled_from(slugs))
        def ask(self, slug):
            published.current_version(slug)  # a read that is then kept

        @invariant()
        def kept_is_the_database(self):
            for slug in slugs:
                assert as_read(published.current_version(slug)) == as_read(Questionnaire.current(slug))
            assert [as_read(row) for row in published.published_versions()] == [
                as_read(Questionnaire.current(slug)) for slug in sorted(slugs) if Questionnaire.current(slug)
            ]

    try:
        with db.connection_context():
            Versions.TestCase.settings = settings(max_examples=30, stateful_step_count=15, deadline=None)
            Versions.TestCase().runTest()
    finally:
        published.keep_for(published.KEEP_SECONDS)
        db.close_all()
        database.initialize(first)

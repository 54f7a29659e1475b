"""The hand-written queries of the models: the same answers as Peewee's, on both backends."""

import shutil

import pytest

from survey_app.catalog import load_package
from survey_app.db import database
from survey_app.models import Questionnaire
from survey_app.workflow import transition

from .conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "questionnaires" / "proef.yaml"


@pytest.fixture
def versions(tmp_path, empty_app):
    """proef v1 (closed), v2 (published) and v3 (draft)."""
    path = tmp_path / "proef.yaml"
    shutil.copy(FIXTURE, path)
    with database.connection_context():
        load_package(tmp_path)
        for version, state in ((2, "published"), (3, "draft")):
            text = path.read_text()
            text = text.replace(f"version: {version - 1}", f"version: {version}", 1)
            text = text.replace("state: published", f"state: {state}", 1).replace("state: draft", f"state: {state}", 1)
            path.write_text(text)
            load_package(tmp_path)
        yield


def states():
    return {row.version: row.state for row in Questionnaire.select()}


def test_current_is_the_published_version(versions):
    assert states() == {1: "closed", 2: "published", 3: "draft"}
    assert Questionnaire.current("proef").version == 2
    assert Questionnaire.current("unknown") is None


def test_latest_is_the_published_version_else_the_newest(versions):
    assert Questionnaire.latest("proef").version == 2
    transition(Questionnaire.get(version=2), "closed", actor="test")
    assert Questionnaire.current("proef") is None
    assert Questionnaire.latest("proef").version == 3
    assert Questionnaire.latest("unknown") is None


def test_the_hand_written_queries_leave_the_definition_out(versions):
    row = Questionnaire.current("proef")
    assert (row.id, row.slug, row.title, row.content_hash) == (
        Questionnaire.get(version=2).id, "proef", "Proef", Questionnaire.get(version=2).content_hash
    )
    assert row.definition is None

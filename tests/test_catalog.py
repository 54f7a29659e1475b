"""Loading the content package: idempotent, immutable published versions, logged states."""

import shutil

import pytest

from survey_app.catalog import definition_of, load_package
from survey_app.db import database
from survey_app.errors import ContentError
from survey_app.models import Questionnaire, Response, StateChange
from survey_app.responses import store_response

from .conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "questionnaires" / "proef.yaml"


@pytest.fixture
def package(tmp_path, empty_app):
    shutil.copy(FIXTURE, tmp_path / "proef.yaml")
    with database.connection_context():
        yield tmp_path


def edit(package, old, new):
    path = package / "proef.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_loading_twice_creates_nothing_twice(package):
    first = load_package(package)
    second = load_package(package)
    assert first.created == ["proef v1"]
    assert second.created == [] and second.unchanged == ["proef v1"]
    assert Questionnaire.select().count() == 1
    assert [(c.from_state, c.to_state) for c in StateChange.select().order_by(StateChange.id)] == [
        (None, "draft"),
        ("draft", "published"),
    ]


def test_a_changed_published_version_is_refused_with_the_fix(package):
    load_package(package)
    edit(package, "title: Proef", "title: Proef met een nieuwe titel")
    with pytest.raises(ContentError) as caught:
        load_package(package)
    assert "'version: 1' of 'proef' is published and its text changed. Fix: raise 'version' to 2" in str(caught.value)
    assert Questionnaire.get().title == "Proef"


def test_a_new_version_closes_the_old_one_and_both_stay_readable(package):
    load_package(package)
    old = Questionnaire.get()
    store_response(questionnaire=old, response_uuid="6f1c1b7e-1d2a-4c1e-9f3b-2b4c5d6e7f80", answers={"kanaal": "loket"}, language="nl")
    edit(package, "version: 1", "version: 2")
    edit(package, "title: Proef", "title: Proef twee")
    report = load_package(package)
    assert report.created == ["proef v2"]
    assert "proef v1: closed" in report.transitions
    assert Questionnaire.current("proef").version == 2
    old = Questionnaire.get(version=1)
    assert old.state == "closed"
    assert definition_of(old).title == "Proef"
    assert Response.get().questionnaire.version == 1
    assert StateChange.select().where(StateChange.comment == "superseded by version 2").count() == 1


def test_a_draft_may_change_in_place_until_it_has_answers(package):
    edit(package, "state: published", "state: draft")
    load_package(package)
    edit(package, "title: Proef", "title: Proef herschreven")
    assert load_package(package).updated == ["proef v1"]
    assert Questionnaire.get().title == "Proef herschreven"
    assert Questionnaire.current("proef") is None  # a draft is never offered


def test_a_transition_the_workflow_does_not_allow_is_refused(package):
    load_package(package)
    edit(package, "state: published", "state: draft")
    with pytest.raises(ContentError) as caught:
        load_package(package)
    assert "cannot go from published to draft" in str(caught.value)


def test_a_mistake_in_one_file_loads_nothing(package):
    bad = package / "kapot.yaml"
    bad.write_text("slug: kapot\nversion: 1\n")
    with pytest.raises(ContentError):
        load_package(package)
    assert Questionnaire.select().count() == 0

"""A whole export: the audit log, who may have raw data, and clear errors for bad requests."""

import datetime
import json
import os
import stat

import pytest

from survey_app.export.errors import ExportError
from survey_app.export.frame import read_frame
from survey_app.export.package import Actor, ExportOptions, export_questionnaire
from survey_app.models import ExportLog, Response, User

from .conftest import add_response

ANALYST = Actor("analist", "analyst")


@pytest.fixture
def answered(kort):
    for _ in range(3):
        add_response(kort, {"kanaal": "loket", "wijk": "centrum", "geboortejaar": 1980}, day="2025-03-14")
    return kort


def test_every_export_is_logged_with_who_what_and_why(answered, tmp_path):
    user = User.create(username="an", password_hash="-", role="analyst")
    summary = export_questionnaire(
        "kort",
        ExportOptions(formats=("csv", "sav"), labels_language="en", date_from=datetime.date(2025, 1, 1)),
        purpose="  Opvolging   aanbeveling KT1 ",
        actor=Actor.of(user),
        via="web",
        destination=tmp_path,
    )
    entry = ExportLog.get_by_id(summary.log_id)
    assert (entry.username, entry.role, entry.via, entry.questionnaire, entry.versions, entry.formats) == (
        "an",
        "analyst",
        "web",
        "kort",
        "1",
        "csv,sav",
    )
    assert (entry.rows, entry.anonymised, entry.free_text, entry.labels_language) == (3, True, False, "en")
    assert entry.purpose == "Opvolging aanbeveling KT1"
    assert entry.date_from == datetime.date(2025, 1, 1) and entry.date_to is None
    assert entry.user_id == user.id


def test_the_package_holds_every_file_and_a_frictionless_descriptor(answered, tmp_path):
    summary = export_questionnaire("kort", ExportOptions(formats=("csv", "xlsx", "sav", "dta")), purpose="p", actor=ANALYST, via="cli", destination=tmp_path)
    assert summary.folder.parent == tmp_path / "kort"
    assert sorted(p.name for p in summary.folder.iterdir()) == sorted(
        [
            "kort-codes.csv",
            "kort-labels-nl.csv",
            "kort-long.csv",
            "kort-codebook.csv",
            "kort.xlsx",
            "kort.sav",
            "kort.dta",
            "disclosure.json",
            "datapackage.json",
            "LEESMIJ.txt",
        ]
    )
    descriptor = json.loads((summary.folder / "datapackage.json").read_text())
    assert descriptor["profile"] == "tabular-data-package" and descriptor["name"] == "kort"
    resources = {r["name"]: r for r in descriptor["resources"]}
    assert set(resources) == {"codes", "labels", "long", "codebook", "disclosure"}
    header = (summary.folder / "kort-codes.csv").read_text(encoding="utf-8-sig").splitlines()[0].replace('"', "").split(",")
    fields = resources["codes"]["schema"]["fields"]
    assert [f["name"] for f in fields] == header
    vriendelijk = next(f for f in fields if f["name"] == "vriendelijk")
    assert vriendelijk["type"] == "integer" and vriendelijk["constraints"]["enum"] == [1, 2, 3, 4, 5, 9]
    assert {"value": 9, "label": "Niet van toepassing"} in vriendelijk["categories"]
    assert resources["codes"]["dialect"]["delimiter"] == "," and resources["codes"]["encoding"] == "utf-8-sig"
    readme = (summary.folder / "LEESMIJ.txt").read_text()
    assert "k gevraagd (minimale groepsgrootte): 2" in readme and "vrije tekst: niet opgenomen" in readme


def test_raw_data_is_for_admins_only(answered, tmp_path):
    with pytest.raises(ExportError) as caught:
        export_questionnaire("kort", ExportOptions(raw=True), purpose="p", actor=ANALYST, via="cli", destination=tmp_path)
    assert caught.value.code == "raw_needs_admin"
    summary = export_questionnaire("kort", ExportOptions(raw=True), purpose="p", actor=Actor("b", "admin"), via="cli", destination=tmp_path)
    assert summary.disclosure.anonymised is False
    assert ExportLog.get_by_id(summary.log_id).anonymised is False
    assert ExportLog.select().count() == 1


def test_a_raw_export_is_readable_by_its_owner_only_even_under_a_lax_umask(answered, tmp_path):
    previous = os.umask(0o002)  # a umask that leaves new files readable by every local user
    try:
        raw = export_questionnaire("kort", ExportOptions(raw=True, formats=("csv", "xlsx", "sav", "dta")), purpose="p",
                                   actor=Actor("b", "admin"), via="cli", destination=tmp_path)
        anonymised = export_questionnaire("kort", ExportOptions(), purpose="p", actor=ANALYST, via="cli", destination=tmp_path / "anon")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(raw.folder.stat().st_mode) == 0o700
    modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in raw.folder.iterdir()}
    assert len(modes) == 10 and set(modes.values()) == {0o600}, modes
    # An anonymised release keeps the usual modes, so a team folder can share it.
    assert stat.S_IMODE((anonymised.folder / "kort-codes.csv").stat().st_mode) == 0o664


@pytest.mark.parametrize(
    "slug, options, purpose, code",
    [
        ("bestaat-niet", ExportOptions(), "p", "unknown_questionnaire"),
        ("kort", ExportOptions(versions=(3,)), "p", "unknown_versions"),
        ("kort", ExportOptions(date_from=datetime.date(2030, 1, 1)), "p", "no_responses"),
        ("kort", ExportOptions(date_from=datetime.date(2025, 5, 1), date_to=datetime.date(2025, 4, 1)), "p", "bad_date_range"),
        ("kort", ExportOptions(), "   ", "purpose_missing"),
        ("kort", ExportOptions(formats=("pdf",)), "p", "unknown_format"),
    ],
)
def test_bad_requests_get_a_clear_reason_and_write_nothing(answered, tmp_path, slug, options, purpose, code):
    with pytest.raises(ExportError) as caught:
        export_questionnaire(slug, options, purpose=purpose, actor=ANALYST, via="cli", destination=tmp_path / "results")
    assert caught.value.code == code
    assert str(caught.value)  # an English sentence for the command line
    assert not (tmp_path / "results").exists()
    assert ExportLog.select().count() == 0


def test_an_empty_questionnaire_says_so(kort, tmp_path):
    with pytest.raises(ExportError) as caught:
        export_questionnaire("kort", ExportOptions(), purpose="p", actor=ANALYST, via="cli", destination=tmp_path)
    assert caught.value.code == "no_responses"


def test_an_unwritable_output_folder_is_reported(answered, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(ExportError) as caught:
        export_questionnaire("kort", ExportOptions(), purpose="p", actor=ANALYST, via="cli", destination=blocker / "results")
    assert caught.value.code == "unwritable" and str(blocker) in str(caught.value)
    assert ExportLog.select().count() == 0


def test_two_exports_in_the_same_second_get_their_own_folder(answered, tmp_path):
    now = datetime.datetime(2025, 6, 1, 12, 0, 0)
    first = export_questionnaire("kort", ExportOptions(), purpose="p", actor=ANALYST, via="cli", destination=tmp_path, now=now)
    second = export_questionnaire("kort", ExportOptions(), purpose="p", actor=ANALYST, via="cli", destination=tmp_path, now=now)
    assert (first.folder.name, second.folder.name) == ("20250601-120000", "20250601-120000-2")


@pytest.mark.parametrize("free_text", [False, True])
def test_a_package_of_old_and_new_responses_is_the_package_of_their_documents(kort, tmp_path, monkeypatch, free_text):
    monkeypatch.setitem(read_frame.__kwdefaults__, "chunk_size", 4)  # pages of lines, of documents, and mixed
    for i in range(30):
        answers = {
            "kanaal": ["loket", "telefoon", "fax"][i % 3],
            "vriendelijk": [1, 4, 9][i % 3],
            "cijfer": i % 11,
            "info": [["website"], ["website", "folder"], []][i % 3],
            "opmerking": ['=SOM(A1) "ja", mail me: jan@voorbeeld.be', "lang\nverhaal; echt", ""][i % 3],
            "geboortejaar": 1950 + i % 4 * 10,
            "wijk": ["centrum", "zwartberg"][i % 2],
        }
        if i % 5 == 0:
            answers["datum_contact"] = f"2025-02-{i % 28 + 1:02d}"
        add_response(kort, answers, day=f"2025-03-{i % 28 + 1:02d}", line=i % 7 not in (1, 2))
    options = ExportOptions(formats=("csv",), include_free_text=free_text)
    now = datetime.datetime(2025, 4, 1, 9, 30)

    def export(destination):
        summary = export_questionnaire("kort", options, purpose="p", actor=ANALYST, via="cli", destination=destination, seed=7, now=now)
        return {p.name: p.read_bytes() for p in summary.folder.iterdir()}

    mixed = export(tmp_path / "mixed")
    Response.update(answer_line=None).execute()
    documents = export(tmp_path / "documents")
    assert sorted(mixed) == sorted(documents) and len(mixed) >= 5
    for name in mixed:
        assert mixed[name] == documents[name], name

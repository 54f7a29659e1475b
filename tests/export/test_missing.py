"""No code that is not an answer sits as a number in a scale column: SPSS and Stata files read back."""

import shutil

import numpy as np
import pyreadstat
import pytest

from survey_app.catalog import load_package
from survey_app.db import database
from survey_app.export.package import Actor, ExportOptions, export_questionnaire
from survey_app.models import Questionnaire

from .conftest import PACKAGE, add_response

LAST_PAGE = """  - key: drie
    title: Terugkomen
    questions:
      - key: terug
        type: agreement
        text: Ik kom graag terug naar het loket.
        show_if: kanaal == 'loket'
        recommendations: [KT1]
        source: Test
"""
SPSS_LABELS = {
    1.0: "Helemaal oneens",
    2.0: "Oneens",
    3.0: "Niet eens, niet oneens",
    4.0: "Eens",
    5.0: "Helemaal eens",
    -9.0: "Niet van toepassing",
    -1.0: "Niet getoond (de vragenlijst sloeg deze vraag over)",
    -2.0: "Niet beantwoord (getoond, leeg gelaten)",
    -3.0: "Onderdrukt (anonimisering)",
    -4.0: "Niet gevraagd in deze versie",
}


@pytest.fixture
def package(empty_app, tmp_path):
    """'terug' is asked only of who came to the counter; its answers: 4, 9 (n/a), empty (shown), not shown."""
    content = tmp_path / "content"
    shutil.copytree(PACKAGE, content)
    (content / "kort.yaml").write_text((content / "kort.yaml").read_text() + LAST_PAGE)
    database.connect(reuse_if_open=True)
    load_package(content)
    kort = Questionnaire.get(slug="kort", version=1)
    profile = {"geboortejaar": 1980, "wijk": "centrum"}
    for _ in range(5):
        add_response(kort, {"kanaal": "loket", "terug": 4} | profile)
        add_response(kort, {"kanaal": "loket", "terug": 9} | profile)
        add_response(kort, {"kanaal": "loket"} | profile)  # shown, left empty
        add_response(kort, {"kanaal": "telefoon"} | profile)  # not shown: they phoned
    yield export_questionnaire(
        "kort", ExportOptions(formats=("csv", "sav", "dta")), purpose="t", actor=Actor("analist", "analyst"), via="cli", destination=tmp_path / "out"
    )
    database.close()


def test_spss_codes_every_missing_kind_apart_and_declares_them_missing(package):
    data, meta = pyreadstat.read_sav(str(package.folder / "kort.sav"), user_missing=True)
    assert meta.missing_ranges["terug"] == [{"lo": -9.0, "hi": -1.0}]
    assert meta.variable_value_labels["terug"] == SPSS_LABELS
    assert sorted(data["terug"].tolist()) == [-9.0] * 5 + [-2.0] * 5 + [-1.0] * 5 + [4.0] * 5
    # Read as SPSS computes: every missing kind is left out of a mean, nothing sits on the scale.
    plain, _ = pyreadstat.read_sav(str(package.folder / "kort.sav"))
    assert plain["terug"].mean() == 4.0
    assert plain["terug"].count() == 5
    # The meta columns have Dutch value labels.
    assert meta.variable_value_labels["afnamewijze"] == {1.0: "Zelf ingevuld", 2.0: "Met hulp van een medewerker", -3.0: "Onderdrukt (anonimisering)"}
    assert meta.variable_value_labels["afnamekanaal"][2.0] == "Website"


def test_stata_uses_extended_missing_values_with_labels(package):
    data, meta = pyreadstat.read_dta(str(package.folder / "kort.dta"), user_missing=True)
    assert meta.missing_user_values["terug"] == ["b", "c", "d"]  # a .dta names the kinds that occur; the labels name all
    labels = meta.variable_value_labels["terug"]
    assert {key: labels[key] for key in ("b", "c", "d", "e", "f")} == {
        "b": "Niet van toepassing",
        "c": "Niet getoond (de vragenlijst sloeg deze vraag over)",
        "d": "Niet beantwoord (getoond, leeg gelaten)",
        "e": "Onderdrukt (anonimisering)",
        "f": "Niet gevraagd in deze versie",
    }
    assert 9 not in labels and 8 not in labels
    assert sorted(data["terug"].tolist(), key=repr) == sorted([4.0] * 5 + ["b"] * 5 + ["d"] * 5 + ["c"] * 5, key=repr)
    plain, _ = pyreadstat.read_dta(str(package.folder / "kort.dta"))
    assert plain["terug"].mean() == 4.0
    assert meta.variable_value_labels["afnamewijze"] == {1: "Zelf ingevuld", 2: "Met hulp van een medewerker", "e": "Onderdrukt (anonimisering)"}
    assert meta.variable_value_labels["afnamekanaal"][2] == "Website"


def test_the_csv_keeps_9_as_its_own_code_and_empty_cells_empty(package):
    text = (package.folder / "kort-codes.csv").read_text(encoding="utf-8-sig")
    header, *rows = text.splitlines()
    column = header.split(",").index('"terug"')
    assert sorted(row.split(",")[column] for row in rows) == [""] * 10 + ["4"] * 5 + ["9"] * 5


def test_values_suppressed_by_disclosure_control_are_told_apart(empty_app, tmp_path):
    database.connect(reuse_if_open=True)
    load_package(PACKAGE)
    kort = Questionnaire.get(slug="kort", version=1)
    for _ in range(6):
        add_response(kort, {"kanaal": "loket", "vriendelijk": 4, "geboortejaar": 1980, "wijk": "centrum"})
    for _ in range(2):
        add_response(kort, {"kanaal": "loket", "vriendelijk": 4, "geboortejaar": 1980})  # did not say where they live
    add_response(kort, {"kanaal": "loket", "vriendelijk": 4, "geboortejaar": 1980, "wijk": "zwartberg"})  # alone in Zwartberg
    made = export_questionnaire("kort", ExportOptions(formats=("sav", "dta")), purpose="t", actor=Actor("analist", "analyst"), via="cli", destination=tmp_path)
    assert made.disclosure.quasi_identifiers[-1]["name"] == "wijk" and made.disclosure.quasi_identifiers[-1]["values_suppressed"] == 1
    data, _ = pyreadstat.read_sav(str(made.folder / "kort.sav"), user_missing=True)
    assert sorted(data["wijk"].tolist()) == [-3.0, -2.0, -2.0] + [1.0] * 6
    stata, _ = pyreadstat.read_dta(str(made.folder / "kort.dta"), user_missing=True)
    assert sorted(stata["wijk"].tolist(), key=repr) == sorted(["e", "d", "d"] + [1.0] * 6, key=repr)
    database.close()

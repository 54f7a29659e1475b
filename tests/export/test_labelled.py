"""SPSS and Stata files read back with their variable and value labels."""

import pyreadstat
import pytest

from survey_app.export.package import Actor, ExportOptions, export_questionnaire

from .conftest import add_response


NAMES = ("Niet getoond (de vragenlijst sloeg deze vraag over)", "Niet beantwoord (getoond, leeg gelaten)", "Onderdrukt (anonimisering)", "Niet gevraagd in deze versie")
EMPTY = {"sav": dict(zip((-1, -2, -3, -4), NAMES)), "dta": dict(zip("cdef", NAMES))}


@pytest.fixture
def package(kort, tmp_path):
    add_response(kort, {"kanaal": "telefoon", "vriendelijk": 9, "cijfer": 7, "info": ["folder"], "geboortejaar": 1980, "wijk": "centrum", "opmerking": "Goed zo"})
    add_response(kort, {"kanaal": "loket", "vriendelijk": 5, "cijfer": 10, "info": ["website"], "geboortejaar": 1980, "wijk": "centrum"})
    add_response(kort, {"kanaal": "loket", "vriendelijk": 2, "geboortejaar": 1981, "wijk": "centrum"})
    return export_questionnaire(
        "kort",
        ExportOptions(formats=("sav", "dta"), include_free_text=True),
        purpose="t",
        actor=Actor("analist", "analyst"),
        via="cli",
        destination=tmp_path,
    )


@pytest.mark.parametrize("suffix", ["sav", "dta"])
def test_labelled_files_keep_variable_and_value_labels(package, suffix):
    reader = pyreadstat.read_sav if suffix == "sav" else pyreadstat.read_dta
    data, meta = reader(str(package.folder / f"kort.{suffix}"), user_missing=True)
    labels = dict(zip(meta.column_names, meta.column_labels))
    assert labels["vriendelijk"] == "De medewerker was vriendelijk."
    assert labels["info_folder"] == "Waar vond u informatie? - In een folder"
    values = meta.variable_value_labels
    empty = EMPTY[suffix]
    assert values["kanaal"] == {1: "Aan het loket", 2: "Aan de telefoon"} | empty
    assert values["vriendelijk"][-9 if suffix == "sav" else "b"] == "Niet van toepassing" and 9 not in values["vriendelijk"]
    assert values["info_website"] == {0: "Niet gekozen", 1: "Gekozen"} | empty
    assert values["cijfer"][0] == "Heel slecht" and values["cijfer"][10] == "Heel goed"
    assert sorted(data["kanaal"].dropna().tolist()) == [1.0, 1.0, 2.0]
    # ages 45, 45 and 44: ten-year bands would single one out, so twenty-year bands
    assert set(data["geboortejaar"].dropna()) == {2.0}
    assert values["geboortejaar"] == {1: "Jonger dan 35 jaar", 2: "35 tot 54 jaar", 3: "55 jaar of ouder"} | empty
    assert sorted(data["opmerking"].tolist()) == ["", "", "Goed zo"]
    assert len(data) == package.disclosure.rows_exported == 3


def test_spss_declares_not_applicable_as_missing(package):
    _, meta = pyreadstat.read_sav(str(package.folder / "kort.sav"), user_missing=True)
    assert meta.missing_ranges["vriendelijk"] == [{"lo": -9.0, "hi": -1.0}]  # 9 is written as -9 (export/missing.py)

"""The overview per recommendation: 'weet ik niet' and 'niet van toepassing' leave the denominator."""

import pyreadstat
import pytest

from survey_app.catalog import load_package
from survey_app.export.frame import read_frame
from survey_app.export.labelled import labelled_frame
from survey_app.export.package import Actor, ExportOptions, export_questionnaire
from survey_app.export.summary import score_variable
from survey_app.models import Questionnaire

from .conftest import PACKAGE, add_response


@pytest.fixture
def met_weet_niet(kort, tmp_path):
    """Version 2 of the short questionnaire, whose agreement question offers 'weet ik niet'."""
    folder = tmp_path / "package"
    folder.mkdir()
    text = (PACKAGE / "kort.yaml").read_text(encoding="utf-8")
    text = text.replace("version: 1", "version: 2").replace(
        "        text: De medewerker was vriendelijk.\n", "        text: De medewerker was vriendelijk.\n        dont_know: true\n"
    )
    (folder / "kort.yaml").write_text(text, encoding="utf-8")
    load_package(folder)
    return Questionnaire.get(slug="kort", version=2)


def test_dont_know_and_not_applicable_leave_the_share_that_agrees(met_weet_niet):
    for answer in (5, 4, 2, 8, 8, 9):
        add_response(met_weet_niet, {"vriendelijk": answer, "wijk": "centrum"})
    frame = read_frame([met_weet_niet])
    variable = frame.variable("vriendelijk")
    assert variable.values == (1, 2, 3, 4, 5, 8, 9)
    score = score_variable(frame, variable, lambda text: text.nl, k=2)
    assert (score.measure, score.n) == ("agree", 3)
    assert score.value == pytest.approx(200 / 3)


def test_spss_declares_dont_know_and_not_applicable_missing(met_weet_niet, tmp_path):
    for answer in (5, 8, 9):
        add_response(met_weet_niet, {"vriendelijk": answer, "wijk": "centrum"})
    frame = read_frame([met_weet_niet])
    data, _, value_labels, missing = labelled_frame(frame, lambda text: text.nl, stata=False)
    # Off the scale in the file too: 8 and 9 become -8 and -9, inside the missing range (export/missing.py).
    assert value_labels["vriendelijk"][-8] == "Weet ik niet" and 8 not in value_labels["vriendelijk"]
    assert sorted(data["vriendelijk"].tolist()) == [-9.0, -8.0, 5.0]
    assert missing["vriendelijk"] == [{"lo": -9, "hi": -1}]
    package = export_questionnaire(
        "kort", ExportOptions(formats=("sav",), versions=(2,)), purpose="t", actor=Actor("analist", "analyst"), via="cli", destination=tmp_path
    )
    _, meta = pyreadstat.read_sav(str(package.folder / "kort.sav"), user_missing=True)
    assert meta.missing_ranges["vriendelijk"] == [{"lo": -9.0, "hi": -1.0}]

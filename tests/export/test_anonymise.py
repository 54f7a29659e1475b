"""Anonymisation: k-anonymity checked with pycanon, random ids, coarse dates, generalised profiles."""

import json
import random

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pycanon import anonymity

from survey_app.export.anonymise import (
    LADDERS,
    QuasiIdentifier,
    anonymise_frame,
    choose_steps,
    class_sizes,
    suppress_locally,
)
from survey_app.export.errors import ExportError
from survey_app.export.labels import literal
from survey_app.export.package import Actor, ExportOptions, export_questionnaire
from survey_app.export.variables import Variable
from survey_app.models import Questionnaire

from .conftest import add_response

ANALYST = Actor("analist", "analyst")
WIJKEN = ["bokrijk", "boxbergheide", "centrum", "kolderbos", "termien", "waterschei", "winterslag", "zwartberg", "sledderlo"]
AGES = ["van_16", "van_17_24", "van_25_34", "van_35_44", "van_45_54", "van_55_64", "van_65_74", "van_75_85", "vanaf_86"]
TALEN = ["nederlands", "turks", "arabisch", "italiaans", "pools", "frans", "engels", "roemeens"]


def read_codes(summary) -> pd.DataFrame:
    """Return the codes CSV of a package as text, with empty cells as '' (a value of their own)."""
    path = summary.folder / f"{summary.folder.parent.name}-codes.csv"
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


@pytest.fixture
def crowded(db):
    """400 responses to samenleven whose profiles are nearly all unique combinations."""
    row = Questionnaire.latest("samenleven")
    generator = random.Random(4)
    for i in range(400):
        answers = {
            "wijk": generator.choice(WIJKEN),
            "buurt_tevreden": generator.choice(["zeer_ontevreden", "ontevreden", "neutraal", "tevreden", "zeer_tevreden"]),
            "leeftijdsgroep": generator.choice(AGES),
            "woonduur_groep": generator.choice(["minder_1", "van_1_4", "van_5_9", "van_10_19", "vanaf_20"]),
            "geslacht": generator.choice(["man", "vrouw", "non_binair", "anders", "zeg_niet"]),
            "talen_thuis": sorted(generator.sample(TALEN, generator.randint(1, 3))),
        }
        add_response(row, answers, day=f"2025-{generator.randint(1, 12):02d}-{generator.randint(1, 28):02d}", language=generator.choice(["nl", "tr", "ar", "it", "pl", "bg"]))
    return row


def quasi_identifier_columns(frame: pd.DataFrame) -> list[str]:
    return ["periode", "antwoordtaal", "afnamewijze", "afnamekanaal", "wijk", "leeftijdsgroep", "woonduur_groep", "geslacht"] + [
        c for c in frame.columns if c.startswith("talen_thuis_")
    ]


def test_every_combination_of_quasi_identifiers_is_shared_by_at_least_k(crowded, tmp_path):
    summary = export_questionnaire("samenleven", ExportOptions(), purpose="test", actor=ANALYST, via="cli", destination=tmp_path)
    data = read_codes(summary)
    assert anonymity.k_anonymity(data, quasi_identifier_columns(data)) >= 5
    report = json.loads((summary.folder / "disclosure.json").read_text())
    assert report["k"] == 5 and report["k_reached"] >= 5
    assert report["rows_read"] == 400
    assert report["rows_exported"] + report["rows_left_out"] == 400
    assert len(data) == report["rows_exported"]
    # the ladders did their work: rare age groups merged, and most responses survive
    assert set(data["leeftijdsgroep"]) <= {"", "_overig", *AGES}
    assert report["rows_left_out"] < 40


def test_no_stored_id_or_exact_date_leaves_and_two_downloads_are_the_same_files(crowded, tmp_path):
    stored = {r.uuid for r in crowded.responses}
    days = {r.submitted_on.isoformat() for r in crowded.responses}
    first = export_questionnaire("samenleven", ExportOptions(formats=("csv", "xlsx")), purpose="a", actor=ANALYST, via="cli", destination=tmp_path)
    second = export_questionnaire("samenleven", ExportOptions(formats=("csv", "xlsx")), purpose="b", actor=ANALYST, via="web", destination=tmp_path)
    for path in first.folder.iterdir():
        if path.suffix in (".csv", ".json", ".txt"):
            text = path.read_text(encoding="utf-8-sig")
            assert not any(u in text for u in stored), path.name
            assert not any(d in text for d in days), path.name
            # a release is downloaded again as the same file: nothing new to link
            assert (second.folder / path.name).read_bytes() == path.read_bytes(), path.name
    ids = read_codes(first)["respondent"]
    assert len(set(ids)) == first.disclosure.rows_exported
    assert list(ids) == sorted(ids)  # rows in the order of their ids, not of the responses
    periods = set(read_codes(first)["periode"])
    assert periods <= {f"2025-{m:02d}" for m in range(1, 13)} | {f"2025-Q{q}" for q in range(1, 5)} | {""}
    readme = (first.folder / "LEESMIJ.txt").read_text(encoding="utf-8")
    assert "niet te koppelen" not in readme and "vast per antwoord in elke vrijgave" in readme


def test_dates_can_be_coarsened_to_the_iso_week(kort, tmp_path):
    for i in range(4):
        add_response(kort, {"datum_contact": "2025-03-10", "wijk": "centrum", "geboortejaar": 1980}, day="2025-03-14")
    summary = export_questionnaire("kort", ExportOptions(date_precision="week"), purpose="t", actor=ANALYST, via="cli", destination=tmp_path)
    data = read_codes(summary)
    assert set(data["periode"]) == {"2025-W11"}
    assert set(data["datum_contact"]) == {"2025-W11"}
    assert set(data["geboortejaar"]) == {"van_45_54"}


def test_free_text_is_left_out_by_default_and_scrubbed_when_asked(kort, tmp_path):
    for _ in range(2):
        add_response(kort, {"opmerking": "Bel me op 0470 12 34 56 of mail an.peeters@example.be", "wijk": "centrum"})
    plain = export_questionnaire("kort", ExportOptions(), purpose="t", actor=ANALYST, via="cli", destination=tmp_path)
    assert "opmerking" not in read_codes(plain).columns
    assert json.loads((plain.folder / "disclosure.json").read_text())["free_text"] is False
    scrubbed = export_questionnaire("kort", ExportOptions(include_free_text=True), purpose="t", actor=ANALYST, via="cli", destination=tmp_path)
    assert set(read_codes(scrubbed)["opmerking"]) == {"Bel me op [telefoonnummer] of mail [e-mail]"}
    assert scrubbed.disclosure.personal_data_removed == {"email": 2, "phone": 2}


def test_a_lone_response_cannot_be_shared_anonymously(kort, tmp_path):
    add_response(kort, {"wijk": "centrum"})
    with pytest.raises(ExportError) as caught:
        export_questionnaire("kort", ExportOptions(), purpose="t", actor=ANALYST, via="cli", destination=tmp_path)
    assert caught.value.code == "too_few_to_anonymise"
    assert not any(tmp_path.rglob("*.csv"))


def test_two_outliers_are_blanked_into_one_group_instead_of_being_left_out(kort, tmp_path):
    for _ in range(6):
        add_response(kort, {"wijk": "centrum", "geboortejaar": 1980})
    add_response(kort, {"wijk": "zwartberg", "geboortejaar": 1980})
    add_response(kort, {"wijk": "centrum", "geboortejaar": 1940})
    summary = export_questionnaire("kort", ExportOptions(), purpose="t", actor=ANALYST, via="cli", destination=tmp_path)
    data = read_codes(summary)
    assert anonymity.k_anonymity(data, ["antwoordtaal", "wijk", "geboortejaar"]) >= 2
    assert len(data) == 8 and summary.disclosure.rows_left_out == 0
    assert sorted(zip(data["wijk"], data["geboortejaar"])).count(("", "")) == 2
    suppressed = {qi["name"]: qi["values_suppressed"] for qi in summary.disclosure.quasi_identifiers}
    assert suppressed == {"periode": 0, "antwoordtaal": 0, "afnamewijze": 0, "afnamekanaal": 0, "wijk": 2, "geboortejaar": 2}


def test_the_period_mode_and_channel_count_towards_k(kort, tmp_path):
    # Six alike, but one answered in another month, one by phone, one with help: each stands out
    for _ in range(6):
        add_response(kort, {"wijk": "centrum", "geboortejaar": 1980}, day="2025-03-14")
    add_response(kort, {"wijk": "centrum", "geboortejaar": 1980}, day="2025-05-02")
    add_response(kort, {"wijk": "centrum", "geboortejaar": 1980}, channel="phone")
    add_response(kort, {"wijk": "centrum", "geboortejaar": 1980}, mode="assisted")
    summary = export_questionnaire("kort", ExportOptions(), purpose="t", actor=ANALYST, via="cli", destination=tmp_path)
    data = read_codes(summary)
    columns = ["periode", "antwoordtaal", "afnamewijze", "afnamekanaal", "wijk", "geboortejaar"]
    assert anonymity.k_anonymity(data, columns) >= 2  # kort asks k = 2
    assert "2025-05" not in set(data["periode"])
    assert {qi["name"] for qi in summary.disclosure.quasi_identifiers} >= {"periode", "antwoordtaal", "afnamewijze", "afnamekanaal"}
    assert summary.disclosure.period in ("month", "quarter")
    readme = (summary.folder / "LEESMIJ.txt").read_text(encoding="utf-8")
    assert "periode van het antwoord (telt mee als quasi-identificator)" in readme


def test_class_sizes_agree_with_pycanon():
    rng = np.random.default_rng(1)
    codes = [rng.integers(-1, 4, size=300), rng.integers(0, 3, size=300), rng.integers(-1, 2, size=300)]
    frame = pd.DataFrame({f"q{i}": c.astype(str) for i, c in enumerate(codes)})
    assert class_sizes(codes).min() == anonymity.k_anonymity(frame, list(frame.columns))


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=2, max_value=6),
    st.lists(st.tuples(st.integers(-1, 6), st.integers(-1, 3), st.integers(0, 90)), min_size=1, max_size=120),
)
def test_after_generalising_and_suppressing_every_group_kept_has_k(k, rows):
    choice = np.array([r[0] for r in rows])
    other = np.array([r[1] for r in rows])
    number = np.array([r[2] for r in rows])

    def variable(name, values):
        return Variable(name, "code", "single_choice", literal(name), values=values, labels=tuple(literal(str(v)) for v in values))

    qis = [
        QuasiIdentifier("a", [variable("a", tuple(range(7)))], "choice", np.maximum(choice, 0), choice < 0),
        QuasiIdentifier("b", [variable("b", tuple(range(4)))], "choice", np.maximum(other, 0), other < 0),
        QuasiIdentifier("n", [variable("n", ())], "number", number, np.zeros(len(rows), dtype=bool)),
    ]
    steps = choose_steps(qis, k)
    generalised = [qi.generalise(LADDERS[qi.ladder][step], k).codes for qi, step in zip(qis, steps)]
    codes, left_out = suppress_locally(generalised, k, len(rows))
    kept = ~left_out
    if kept.any():
        assert class_sizes([c[kept] for c in codes]).min() >= k
    assert left_out.sum() < k  # only the one group of all-blank rows can be too small, and it is left out


def test_a_rare_neighbourhood_gives_way_to_its_district_and_a_common_one_stays(empty_app):
    from survey_app.catalog import load_package
    from survey_app.db import database
    from survey_app.export.frame import read_frame
    from survey_app.models import Questionnaire

    from ..conftest import QUESTIONNAIRES

    database.connect(reuse_if_open=True)
    load_package(QUESTIONNAIRES)
    row = Questionnaire.get(slug="stedelijke-dienstverlening", state="published")
    # Ten in Centrum; five in Genk-Noord, none of its neighbourhoods with five of its own.
    for wijk in ["centrum"] * 10 + ["waterschei", "waterschei", "zwartberg", "zwartberg", "wiemesmeer"]:
        add_response(row, {"contact_gehad": "nee", "wijk": wijk}, day="2025-03-14")
    frame = read_frame([row])
    assert frame.variable("wijk").groups[frame.variable("wijk").values.index("waterschei")][0] == "noord"
    result, disclosure = anonymise_frame(frame, seed=3)
    wijk = result.variable("wijk")
    shown = sorted(wijk.values[code] for code in result.column("wijk").to_pylist())
    assert shown == ["_noord"] * 5 + ["centrum"] * 10
    assert wijk.labels[wijk.values.index("_noord")].nl == "Genk-Noord"
    report = next(q for q in disclosure.quasi_identifiers if q["name"] == "wijk")
    assert (report["generalisation"], report["values_generalised"], report["values_suppressed"]) == ("rare_to_group", 5, 0)
    assert disclosure.rows_left_out == 0
    database.close()


def test_every_neighbourhood_gives_way_to_its_district_when_that_is_what_keeps_k():
    import numpy as np

    from survey_app.export.anonymise import LADDERS, QuasiIdentifier, choose_steps
    from survey_app.export.labels import literal
    from survey_app.export.variables import Variable

    values = ("centrum", "sint_martinus", "waterschei", "zwartberg")
    groups = (("centrum", literal("Centrum")),) * 2 + (("noord", literal("Genk-Noord")),) * 2
    variable = Variable("wijk", "code", "single_choice", literal("Wijk"), values=values,
                        labels=tuple(literal(v) for v in values), groups=groups, quasi_identifier=True)
    # Centrum alone reaches k=5, the other three do not: with only the rare ones in their district,
    # Sint-Martinus would stand alone as '_centrum' (3); so every neighbourhood goes to its district.
    codes = np.array([0] * 6 + [1] * 3 + [2] * 3 + [3] * 3)
    qi = QuasiIdentifier("wijk", [variable], "grouped", codes, np.zeros(15, dtype=bool))
    rare = qi.generalise("rare_to_group", 5)
    assert rare.values == ("centrum", "_centrum", "_noord") and rare.changed == 9
    steps = choose_steps([qi], 5)
    assert LADDERS["grouped"][steps[0]] == "group"
    generalised = qi.generalise("group", 5)
    assert generalised.values == ("_centrum", "_noord") and list(generalised.codes) == [0] * 9 + [1] * 6

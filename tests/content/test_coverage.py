"""Coverage: which questions measure each recommendation, and which recommendations nothing measures."""

from survey_app.content.coverage import ADMINISTRATIVE, MEASURED, UNMEASURED, measure_coverage
from survey_app.content.reader import build_definition, read_package
from survey_app.content.yamlfile import read_yaml

from ..conftest import ROOT

DOCUMENT = """\
slug: proef
version: 1
state: draft
title: Proef
table: Denktafel Proef
central_question: Hoe gaat het?
intro: Dit is een proef.
consent: U blijft anoniem.
recommendations:
  PR1: Beter luisteren.
  PR2: Een team dat op de stad lijkt.
  PR3: Een interne campagne.
  PR4: Nooit gevraagd.
pages:
  - key: een
    title: Een
    questions:
      - key: contact
        type: single_choice
        text: Had u contact?
        required: true
        options:
          ja: Ja
          nee: Nee
        recommendations: [PR1]
        source: Denktafel Proef
      - key: leeftijd
        type: single_choice
        text: Hoe oud bent u?
        options:
          jong: Jonger dan 35
          oud: 35 of ouder
        quasi_identifier: true
        recommendations: [PR2]
        source: Denktafel Proef
      - key: idee
        type: long_text
        text: Hebt u een idee?
        recommendations: [PR2, PR3]
        source: Denktafel Proef
  - key: twee
    title: Twee
    show_if: contact == 'ja' and contact == 'nee'
    questions:
      - key: nooit
        type: agreement
        text: Niemand ziet deze vraag.
        recommendations: [PR4]
        source: Denktafel Proef
"""


def definition():
    document, _ = read_yaml(DOCUMENT, file="proef.yaml")
    found, problems = build_definition(document, file="proef.yaml")
    assert problems == []
    return found


def test_only_a_closed_question_that_some_resident_sees_measures_a_recommendation():
    rows = {r.id: r for r in measure_coverage(definition()).recommendations}
    assert (rows["PR1"].status, rows["PR1"].questions) == (MEASURED, ("contact",))
    # A profile question breaks figures down; an open question gives none; 'nooit' is never shown.
    assert (rows["PR2"].status, rows["PR2"].profile, rows["PR2"].open) == (UNMEASURED, ("leeftijd",), ("idee",))
    assert (rows["PR3"].status, rows["PR3"].open) == (UNMEASURED, ("idee",))
    assert (rows["PR4"].status, rows["PR4"].questions) == (UNMEASURED, ())


def test_a_recommendation_followed_up_by_administrative_data_is_covered():
    found = measure_coverage(definition(), administrative={"PR3": "  Het aantal deelnemers aan de campagne. ", "PR1": ""})
    rows = {r.id: r for r in found.recommendations}
    assert (rows["PR3"].status, rows["PR3"].administrative) == (ADMINISTRATIVE, "Het aantal deelnemers aan de campagne.")
    assert rows["PR1"].status == MEASURED
    assert (found.count(MEASURED), found.count(ADMINISTRATIVE), found.count(UNMEASURED)) == (1, 1, 2)


def test_the_coverage_of_version_1_finds_what_the_review_found_unmeasured():
    definitions, _ = read_package(ROOT / "tests" / "fixtures" / "questionnaires" / "v1")
    unmeasured = {
        d.slug: [r.id for r in measure_coverage(d).recommendations if r.status == UNMEASURED] for d in definitions
    }
    assert unmeasured == {
        "ocmw-dienstverlening": [],
        "onderwijs": ["OW5"],
        "samenleven": [],
        "stedelijke-dienstverlening": [],
        "vrije-tijd": [],
        "werk": ["WE2a", "WE2d", "WE2h"],
    }


def test_every_recommendation_of_the_package_is_reported_once():
    definitions, problems = read_package(ROOT / "questionnaires")
    assert problems == []
    for d in definitions:
        assert [r.id for r in measure_coverage(d).recommendations] == list(d.recommendations)

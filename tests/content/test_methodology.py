"""Method rules: what the content review of version 1 found by hand, found by the check."""

import textwrap
from types import SimpleNamespace

import pytest

from survey_app.content import methodology
from survey_app.content.methodology import WAY_OUT_VALUES, has_way_out, method_problems
from survey_app.content.reader import build_definition, read_package
from survey_app.content.yamlfile import read_yaml

from ..conftest import ROOT

V1 = ROOT / "tests" / "fixtures" / "questionnaires" / "v1"

HEAD = """\
slug: proef
version: 1
state: draft
title: Proef
table: Denktafel Proef
central_question: Hoe gaat het?
intro: Dit is een proef.
consent: {consent}
recommendations:
  PR1: Beter luisteren.
pages:
"""


def definition_of(pages: str, consent: str = "U blijft anoniem."):
    document, problems = read_yaml(HEAD.format(consent=consent) + textwrap.dedent(pages), file="proef.yaml")
    assert problems == []
    definition, problems = build_definition(document, file="proef.yaml")
    assert problems == [], [str(p) for p in problems]
    return definition


def problems_of(pages: str, **kwargs) -> list[str]:
    return [str(p) for p in method_problems(definition_of(pages, **kwargs))]


def test_the_check_finds_the_reviews_defects_in_version_1():
    definitions, problems = read_package(V1)
    assert problems == []
    found = [str(p) for d in definitions for p in method_problems(d)]
    assert found == [
        "onderwijs.yaml:62: question 'kansen_info' is required and has no 'not applicable' answer, but it is "
        "shown to people whom page 'taal_thuis' leaves out ('kleuter' in schoolkinderen or 'lager' in "
        "schoolkinderen or 'secundair' in schoolkinderen or 'buitengewoon' in schoolkinderen). Fix: add a 'not "
        "applicable' answer (like 'nvt: Niet van toepassing'), give 'kansen_info' the show_if of page "
        "'taal_thuis', or make it optional",
        "onderwijs.yaml:93: the constraint of question 'aantal_kinderen' (aantal_kinderen >= count(schoolkinderen)) "
        "compares a number with the options chosen in 'schoolkinderen', but one person or thing can fit several of "
        "its options. Fix: drop the constraint, or ask the number per option",
        "samenleven.yaml:50: question 'tevreden_buurt' is required and has no 'not applicable' answer, but it is "
        "shown to people whom page 'mensen' leaves out (not (wijk == 'buiten_genk')). Fix: add a 'not applicable' "
        "answer (like 'nvt: Niet van toepassing'), give 'tevreden_buurt' the show_if of page 'mensen', or make it "
        "optional",
        "stedelijke-dienstverlening.yaml:93: date question 'datum_contact' has no upper bound, so a date in the "
        "future is accepted. Fix: add 'max:' with the last day the answer can be (for a past event: the last day "
        "of the fieldwork)",
        "stedelijke-dienstverlening.yaml:130: question 'rol' is required and has no 'not applicable' answer, but "
        "it is shown to people whom question 'privacy' leaves out (kanaal in ['loket', 'afspraak']). Fix: add a "
        "'not applicable' answer (like 'nvt: Niet van toepassing'), give 'rol' the show_if of question 'privacy', "
        "or make it optional",
    ]


ROLE = """\
  - key: een
    title: Een
    questions:
      - key: kanaal
        type: single_choice
        text: Hoe had u contact?
        required: true
        options:
          loket: Aan het loket
          web: Op de website
        recommendations: []
        source: Denktafel Proef
  - key: twee
    title: Twee
    questions:
      - key: rol
        type: single_choice
        text: Wat deed de medewerker?
        required: {required}
        options:
          informeren: Informatie geven
{extra}        recommendations: []
        source: Denktafel Proef
{rol_filter}      - key: privacy
        type: agreement
        text: Niemand luisterde mee.
        show_if: kanaal == 'loket'
        recommendations: []
        source: Denktafel Proef
"""


def role(*, required="true", extra="", rol_filter=""):
    return ROLE.format(required=required, extra=extra, rol_filter=rol_filter)


def test_a_required_question_without_way_out_behind_a_wider_filter_is_a_problem():
    (problem,) = problems_of(role())
    assert problem.startswith("proef.yaml:27: question 'rol' is required and has no 'not applicable' answer")
    assert "question 'privacy' leaves out (kanaal == 'loket')" in problem


@pytest.mark.parametrize(
    "change",
    [
        {"required": "false"},
        {"extra": "          nvt: Niet van toepassing\n"},
        {"rol_filter": "        show_if: kanaal == 'loket'\n"},
    ],
    ids=["optional", "not-applicable-answer", "same-filter"],
)
def test_each_fix_of_a_required_question_without_way_out_is_accepted(change):
    assert problems_of(role(**change)) == []


def test_a_filter_question_itself_need_not_have_a_way_out():
    pages = role() + textwrap.indent(textwrap.dedent("""\
        - key: drie
          title: Drie
          show_if: rol == 'informeren'
          questions:
            - key: goed
              type: agreement
              text: Het was goed.
              recommendations: []
              source: Denktafel Proef
    """), "  ")
    assert problems_of(pages) == []


def test_way_outs_are_not_applicable_answers_not_never():
    assert "nvt" in WAY_OUT_VALUES and "weet_niet" in WAY_OUT_VALUES and "nooit" not in WAY_OUT_VALUES
    agreement = SimpleNamespace(type="agreement", scale=None, not_applicable=False, answer_values=(1, 2, 3, 4, 5))
    assert not has_way_out(agreement)
    assert has_way_out(SimpleNamespace(type="single_choice", scale=None, answer_values=("ja", "weet_niet")))


AGE = """\
  - key: een
    title: Een
    questions:
      - key: leeftijd
        type: number
        text: Hoe oud bent u?
        min: 16
        max: 110
        required: {required}
        recommendations: []
        source: Denktafel Proef
  - key: twee
    title: Twee
    questions:
      - key: jaren
        type: number
        text: Hoe lang woont u hier al?
        min: 0
        max: {max}
        constraint: {constraint}
        constraint_message: Kijk het getal na.
        recommendations: []
        source: Denktafel Proef
"""


def test_a_constraint_on_an_optional_earlier_answer_that_blocks_when_it_is_empty_is_a_problem():
    (problem,) = problems_of(AGE.format(required="false", max=110, constraint="jaren <= leeftijd"))
    assert problem == (
        "proef.yaml:26: the constraint of question 'jaren' (jaren <= leeftijd) accepts no answer when 'leeftijd' "
        "has no answer, which it may not have. Fix: let it allow for that: 'not answered(leeftijd) or ...'"
    )
    assert problems_of(AGE.format(required="false", max=110, constraint="not answered(leeftijd) or jaren <= leeftijd")) == []
    assert problems_of(AGE.format(required="true", max=110, constraint="jaren <= leeftijd")) == []


def test_a_constraint_that_no_answer_meets_for_an_allowed_earlier_answer_is_a_problem():
    (problem,) = problems_of(AGE.format(required="true", max=50, constraint="jaren > leeftijd - 16"))
    assert "accepts no answer when leeftijd = 110, which the earlier question allows" in problem
    assert problem.endswith("Fix: widen the constraint or the range of 'jaren', or take that answer out of the earlier question")


def test_a_date_without_an_upper_bound_is_a_problem():
    pages = textwrap.dedent("""\
      - key: een
        title: Een
        questions:
          - key: dag
            type: date
            text: Op welke dag?
            min: '2025-01-01'
            recommendations: []
            source: Denktafel Proef
    """)
    (problem,) = problems_of(pages)
    assert problem.startswith("proef.yaml:15: date question 'dag' has no upper bound")
    assert problems_of(pages.replace("min: '2025-01-01'", "min: '2025-01-01'\n      max: '2026-12-31'")) == []


def verbatim_definition(**question):
    defaults = dict(key="buurt", line=7, text="Ik voel me thuis in mijn buurt.", items=(), source="GSM 2023 (verbatim)")
    return SimpleNamespace(file="proef.yaml", questions=lambda: [SimpleNamespace(**{**defaults, **question})])


def test_a_verbatim_item_must_have_the_source_words():
    (problem,) = methodology.verbatim_differs(verbatim_definition())
    assert str(problem) == (
        "proef.yaml:7: question 'buurt' says its source is taken verbatim, but gives no source text. "
        "Fix: add 'source_text:' with the source's own words, so the check can compare them"
    )
    differs = verbatim_definition(source_kind="verbatim", source_text="Ik voel mij thuis in deze buurt")
    (problem,) = methodology.verbatim_differs(differs)
    assert "its text differs from the source text" in str(problem)
    same = verbatim_definition(source_kind="verbatim", source_text="ik voel me thuis in mijn buurt")
    assert methodology.verbatim_differs(same) == []
    adapted = verbatim_definition(source_kind="adapted", source="GSM 2023 (verbatim)")
    assert methodology.verbatim_differs(adapted) == []


LONG = """\
  - key: een
    title: Een
    questions:
      - key: opmerking
        type: long_text
        text: Wat wilt u nog kwijt?
        recommendations: []
        source: Denktafel Proef
      - key: nog
        type: long_text
        text: En verder?
        recommendations: []
        source: Denktafel Proef
"""


def test_a_consent_that_promises_fewer_minutes_than_the_longest_path_is_a_problem():
    (problem,) = problems_of(LONG, consent="Dit duurt 1 minuut.")
    assert problem.startswith("proef.yaml: 'consent' says 1 minutes, but the longest path takes 2.")
    assert problem.endswith("Fix: write about 3 minutes (the longest path, rounded up; see the minutes per path)")
    assert problems_of(LONG, consent="Dit duurt ongeveer 3 minuten.") == []
    assert len(problems_of(LONG, consent="Dit duurt 5 minuten.")) == 1  # half as long again


def test_the_readme_documents_every_rule_and_every_way_out():
    readme = (ROOT / "questionnaires" / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Method rules")[1].split("\n## ")[0]
    assert len([line for line in section.splitlines() if line.startswith("| ") and "---" not in line]) == 1 + len(methodology.RULES)
    for value in WAY_OUT_VALUES:
        assert f"`{value}`" in section, value

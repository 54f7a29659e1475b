"""Version 2 of samenleven and vrije-tijd: the review's points, checked on the files themselves.

Each test names the defect of version 1 it guards against (docs: the content review of
version 1, shared/docs/reviews/questionnaires-v1.md), so a later edit that brings it back fails.
"""

import re

import pytest
import yaml

from survey_app.content.answers import check_page, visible_pages
from survey_app.content.coverage import measure_coverage
from survey_app.content.duration import consent_minutes, estimate
from survey_app.content.methodology import WAY_OUT_VALUES, has_way_out, method_problems
from survey_app.content.reader import read_package
from survey_app.content.types import DONT_KNOW
from survey_app.followup.reader import read_followup

from ..conftest import QUESTIONNAIRES

DEFINITIONS = {d.slug: d for d in read_package(QUESTIONNAIRES)[0]}
SLUGS = ["samenleven", "vrije-tijd"]
FREQUENCY = yaml.safe_load((QUESTIONNAIRES / "lists" / "frequentie.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("slug", SLUGS)
def test_each_mode_has_its_own_consent_with_the_estimated_minutes(slug):
    definition = DEFINITIONS[slug]
    for mode, key in (("self", "consent"), ("assisted", "consent_assisted")):
        name, text = definition.consent_for(mode)
        assert name == key
        assert "%(minuten)s" in text and not re.search(r"\d+\s*minu", text)  # computed, never typed
        assert "anoniem" not in text.lower()  # a staff member fills it in: not a promise to make
        assert "geen invloed" in text and "naam" in text
    assert "medewerker" in definition.consent_assisted
    assert method_problems(definition) == []


@pytest.mark.parametrize("slug", SLUGS)
def test_the_short_form_takes_at_most_five_minutes_and_keeps_the_full_forms_names(slug):
    definition = DEFINITIONS[slug]
    short = definition.form("kort")
    assert short.form_name == "kort"
    assert estimate(short).longest.minutes <= 5 < estimate(definition).longest.minutes
    assert consent_minutes(short) <= 5
    assert set(short.variables()) < set(definition.variables())
    assert {"leeftijdsgroep", "geslacht", "wijk", "talen_thuis"} <= set(short.variables())
    # every recommendation residents can judge keeps a question in the street form
    measured = {r for q in short.questions() for r in q.recommendations if q.type not in ("text", "long_text")}
    administrative = {"vrije-tijd": {"VT4"}}.get(slug, set())
    assert measured == set(definition.recommendations) - administrative


@pytest.mark.parametrize("slug", SLUGS)
def test_no_item_claims_the_stadsmonitor_without_saying_how_far_it_follows_it(slug):
    for question in DEFINITIONS[slug].questions():
        if "Stadsmonitor" in question.source:
            assert question.source_kind in ("adapted", "verbatim"), question.key
            assert "(aangepast)" not in question.source  # said once, in source_kind
            if question.source_kind == "verbatim":
                assert question.source_text, question.key


@pytest.mark.parametrize("slug", SLUGS)
def test_one_frequency_scale_and_one_reference_period(slug):
    definition = DEFINITIONS[slug]
    frequency = [q for q in definition.questions() if q.type == "single_choice" and q.options and q.options[0].value == "dagelijks"]
    assert frequency, "the shared frequency scale (lists/frequentie.yaml) is used"
    for question in frequency:
        assert {o.value: o.label for o in question.options} == FREQUENCY
    for question in definition.questions():
        assert not re.search(r"laatste (twee|drie|vijf) jaar", question.text), question.key
        assert "voorbije jaar" in question.text or "jaar" not in question.text or question.quasi_identifier, question.key


def test_samenleven_asks_nothing_leading_or_required_and_measures_the_central_question():
    definition = DEFINITIONS["samenleven"]
    assert [q.key for q in definition.questions() if q.required] == []
    zelf_inzet = definition.question("zelf_inzet")
    assert "nee" in [o.value for o in zelf_inzet.options]  # 'no' is an ordinary answer
    assert "zelf_doen" not in definition.variables() and "tevreden_buurt" not in definition.variables()
    assert [o.value for o in definition.question("buurt_tevreden").options] == [
        "zeer_ontevreden", "ontevreden", "neutraal", "tevreden", "zeer_tevreden"
    ]
    assert "buurt_veilig" not in definition.variables()
    # zelfredzaamheid (the central question) and C-mine/Thor involvement (SL4): missing in version 1
    assert "SL5" in definition.question("zelf_oplossen").recommendations
    assert "SL4" in definition.question("betrokken_project").recommendations
    assert has_way_out(definition.question("betrokken_project"))
    # buurt and wijk are both defined before they are used
    assert "Uw buurt zijn" in definition.intro and "Uw wijk is" in definition.intro


def test_vrije_tijd_asks_about_childrens_activities_only_of_people_with_children():
    definition = DEFINITIONS["vrije-tijd"]
    assert "gebruik_jeugd" not in definition.variables()
    with_children = [p.key for p in visible_pages(definition, {"kinderen_thuis": "ja"})]
    without = [p.key for p in visible_pages(definition, {"kinderen_thuis": "nee"})]
    assert "kinderen" in with_children and "kinderen" not in without
    # 'kinderen_thuis' comes first: the filter is asked before what it filters
    assert definition.pages[0].questions[0].key == "kinderen_thuis"


def test_vrije_tijd_satisfaction_is_worded_well_optional_and_has_a_way_out():
    definition = DEFINITIONS["vrije-tijd"]
    assert "tevreden_aanbod" not in definition.variables()
    question = definition.question("tevreden_vrije_tijd")
    assert not question.required
    assert any(str(o.value) in WAY_OUT_VALUES for o in question.options)
    assert "in uw vrije tijd aanbiedt" not in question.text and question.source_kind == "own"
    assert question.recommendations == ("VT1",)


def test_vrije_tijd_help_for_an_activity_follows_the_question_it_refers_to():
    definition = DEFINITIONS["vrije-tijd"]
    answers = {"kinderen_thuis": "ja", "zelf_georganiseerd": "ja"}
    keys = [q.key for page in visible_pages(definition, answers) for q in page.questions]
    assert keys.index("hulp_stad") == keys.index("zelf_georganiseerd") + 1  # version 1: two pages apart
    assert " of " not in definition.question("hulp_stad").text  # one thing at a time


def test_vrije_tijd_claims_vt4_nowhere_and_the_follow_up_says_the_city_tracks_it():
    definition = DEFINITIONS["vrije-tijd"]
    assert [q.key for q in definition.questions() if "VT4" in q.recommendations] == []
    followup, problems = read_followup(QUESTIONNAIRES, list(DEFINITIONS.values()))
    assert [str(p) for p in problems] == []
    plan = followup.plans["vrije-tijd"]
    coverage = measure_coverage(definition, administrative={rid: r.administrative for rid, r in plan.records.items()})
    statuses = {row.id: row.status for row in coverage.recommendations}
    assert statuses == {"VT1": "measured", "VT2": "measured", "VT3": "measured", "VT4": "administrative", "VT5": "measured"}


def test_the_information_overview_offers_dont_know_and_keeps_its_variable_names():
    definition = DEFINITIONS["vrije-tijd"]
    page = next(p for p in definition.pages if p.key == "info")
    values, errors = check_page(page, {}, {"info_ervaring_overzicht": [str(DONT_KNOW)], "info_ervaring_vinden": ["4"]})
    assert errors == {} and values == {"info_ervaring_overzicht": 8, "info_ervaring_vinden": 4}

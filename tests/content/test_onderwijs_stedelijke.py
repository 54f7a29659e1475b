"""Version 2 of onderwijs and stedelijke-dienstverlening: what the content review asked for,
checked on the files of the package (skip logic, consent per mode, the short form, coverage)."""

import pytest

from survey_app.content.answers import is_shown, visible_pages
from survey_app.content.coverage import ADMINISTRATIVE, UNMEASURED, measure_coverage
from survey_app.content.duration import consent_minutes, estimate
from survey_app.content.reader import read_package
from survey_app.content.types import DONT_KNOW, NOT_APPLICABLE
from survey_app.followup.reader import read_followup

from ..conftest import QUESTIONNAIRES

SLUGS = ("onderwijs", "stedelijke-dienstverlening")


@pytest.fixture(scope="module")
def package():
    definitions, problems = read_package(QUESTIONNAIRES)
    assert problems == []
    return {d.slug: d for d in definitions}


def shown_keys(definition, answers: dict) -> set[str]:
    """Return the keys of the questions a resident with these answers sees."""
    return {q.key for page in visible_pages(definition, answers) for q in page.questions if is_shown(q, answers)}


@pytest.mark.parametrize("slug", SLUGS)
def test_consent_per_mode_names_the_computed_minutes(package, slug):
    definition = package[slug]
    for text in (definition.consent, definition.consent_assisted):
        assert "%(minuten)s" in text
        assert "anoniem" not in text  # staff fill in assisted answers in person: no promise of anonymity
        assert "geen invloed" in text
    assert "medewerker" in definition.consent_assisted and "medewerker" not in definition.consent


@pytest.mark.parametrize("slug", SLUGS)
def test_the_short_form_takes_at_most_five_minutes_and_keeps_the_profile(package, slug):
    definition = package[slug]
    short = definition.form("kort")
    assert short.form_name == "kort"
    assert estimate(short).longest.minutes <= 5 < estimate(definition).longest.minutes
    assert consent_minutes(short) <= 5
    assert {"leeftijdsgroep", "geslacht", "wijk", "talen_thuis"} <= {q.key for q in short.questions()}
    # The same variable names as the full form, so both export under one header.
    assert set(short.variables()) < set(definition.variables())


@pytest.mark.parametrize("slug", SLUGS)
def test_every_recommendation_is_measured_or_followed_up_with_administrative_data(package, slug):
    followup, problems = read_followup(QUESTIONNAIRES, list(package.values()))
    assert problems == []
    notes = {rid: record.administrative for rid, record in followup.plans[slug].records.items()}
    coverage = measure_coverage(package[slug], administrative=notes)
    assert coverage.count(UNMEASURED) == 0
    administrative = [r.id for r in coverage.recommendations if r.status == ADMINISTRATIVE]
    assert administrative == {"onderwijs": ["OW5"], "stedelijke-dienstverlening": ["SD3"]}[slug]


@pytest.mark.parametrize("slug", SLUGS)
def test_every_question_says_how_close_it_is_to_its_source(package, slug):
    for question in package[slug].questions():
        assert question.source_kind in ("verbatim", "adapted", "own"), question.key
        if "Stadsmonitor" in question.source:
            # No item of these two is the Stadsmonitor's own: none may claim to compare.
            assert question.source_kind == "adapted", question.key


# onderwijs


@pytest.mark.parametrize(
    ("klas", "retrospective", "now"),
    [
        ("kleuter", False, True),
        ("lager_1_2", True, False),
        ("lager_3_4", True, False),
        ("lager_5_6", True, False),
        ("secundair", False, False),  # no recall of ten years and more
    ],
)
def test_reading_at_home_is_asked_about_a_child_in_pre_school_or_primary_school_only(package, klas, retrospective, now):
    definition = package["onderwijs"]
    keys = shown_keys(definition, {"schoolkinderen": ["lager", "secundair"], "jongste_klas": klas})
    assert ("voorlezen" in keys) is retrospective
    assert ("voorlezen_nu" in keys) is now
    assert ("kleuter_leeftijd" in keys) is (retrospective or now)


def test_onderwijs_asks_no_count_of_children_and_parents_questions_only_of_parents(package):
    definition = package["onderwijs"]
    assert "aantal_kinderen" not in definition.variables()
    no_children = shown_keys(definition, {"schoolkinderen": ["geen"]})
    assert not no_children & {"jongste_klas", "nederlands_thuis", "voorlezen", "school", "school_thuistaal", "na_school"}
    assert {"kansen_stad", "gemengd_mening", "taalles", "idee"} <= no_children


def test_what_the_school_says_about_a_home_language_is_asked_only_where_one_is_spoken(package):
    definition = package["onderwijs"]
    parent = {"schoolkinderen": ["lager"], "jongste_klas": "lager_3_4"}
    assert "school_thuistaal" not in shown_keys(definition, parent | {"nederlands_thuis": "altijd"})
    assert "school_thuistaal" in shown_keys(definition, parent | {"nederlands_thuis": "soms"})
    assert "weet_niet" in definition.question("school_thuistaal").answer_values


def test_onderwijs_items_residents_cannot_judge_are_gone_or_have_a_way_out(package):
    definition = package["onderwijs"]
    assert "school_kansen" not in definition.variables()  # 'the school gives all children the same chances'
    assert "school_info_kansen" in definition.variables()  # what the school tells the parent, which a parent knows
    assert "weet_niet" in definition.question("gemengd_mening").answer_values
    assert DONT_KNOW in definition.question("school").answer_values


# stedelijke-dienstverlening


@pytest.mark.parametrize(
    ("kanaal", "staff_member"),
    [("loket", True), ("afspraak", True), ("telefoon", True), ("mail", True), ("huisbezoek", True),
     ("e_loket", False), ("brief", False)],
)
def test_role_and_staff_items_only_for_channels_with_a_staff_member(package, kanaal, staff_member):
    definition = package["stedelijke-dienstverlening"]
    keys = shown_keys(definition, {"contact_gehad": "ja", "kanaal": kanaal})
    assert ("rol" in keys) is staff_member
    assert ("ervaring" in keys) is staff_member
    assert "resultaat" in keys and "tevreden_contact" in keys
    assert not definition.question("rol").required


def test_stedelijke_tags_claim_no_more_than_the_questions_measure(package):
    definition = package["stedelijke-dienstverlening"]
    closed = [q for q in definition.questions() if q.type not in ("text", "long_text")]
    assert not [q.key for q in closed if "SD3" in q.recommendations]  # the internal campaign: administrative data
    assert "SD1" not in definition.question("privacy").recommendations
    assert "SD3" not in definition.question("tevreden_contact").recommendations
    # E-mail and letter are two answers, with the same meaning in both channel questions.
    for key in ("kanaal", "kanaal_voorkeur"):
        labels = {o.value: o.label for o in definition.question(key).options}
        assert "brief" not in labels["mail"].lower() and "brief" in labels


def test_the_diverse_team_offers_dont_know(package):
    question = package["stedelijke-dienstverlening"].question("divers_team")
    assert DONT_KNOW in question.answer_values and NOT_APPLICABLE in question.answer_values

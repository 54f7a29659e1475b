"""Every follow-up file of the content package: complete, honest about what the city has not confirmed, and measuring sensibly."""

from pathlib import Path

import pytest

from survey_app.content.reader import read_package
from survey_app.export.variables import definition_variables
from survey_app.followup.reader import read_followup

ROOT = Path(__file__).resolve().parents[2]
QUESTIONNAIRES = ROOT / "questionnaires"
DEFINITIONS, PROBLEMS = read_package(QUESTIONNAIRES)
PACKAGE, FOLLOWUP_PROBLEMS = read_followup(QUESTIONNAIRES, DEFINITIONS)
SLUGS = sorted(d.slug for d in DEFINITIONS)
BY_SLUG = {d.slug: d for d in DEFINITIONS}
# Answers that say nothing about the question: they may never count in a share's denominator.
NON_ANSWERS = {8, 9, "weet_niet", "zeg_niet"}


def test_the_follow_up_files_read_without_problems():
    assert PROBLEMS == []
    assert [str(p) for p in FOLLOWUP_PROBLEMS] == []
    assert len(SLUGS) == 6


@pytest.mark.parametrize("slug", SLUGS)
def test_every_recommendation_of_each_denktafel_has_a_record(slug):
    plan = PACKAGE.plans[slug]
    assert list(plan.records) == list(BY_SLUG[slug].recommendations)  # all of them, in the Denktafel's order


@pytest.mark.parametrize("slug", SLUGS)
def test_each_record_is_followed_up_by_indicators_or_by_the_citys_own_data(slug):
    plan = PACKAGE.plans[slug]
    for rid, record in plan.records.items():
        assert bool(record.indicators) != bool(record.administrative), rid
        assert record.service and record.note, rid
    used = {key for record in plan.records.values() for key in record.indicators}
    assert used == set(plan.indicators), "an indicator no recommendation uses"


@pytest.mark.parametrize("slug", SLUGS)
def test_records_not_confirmed_by_the_city_claim_nothing_and_are_not_shown_to_residents(slug):
    plan = PACKAGE.plans[slug]
    assert plan.placeholder, "the city has confirmed nothing yet: the file must say placeholder: true"
    assert not plan.published, "unconfirmed records are not published"
    for rid, record in plan.records.items():
        assert record.status == "planned", rid
        assert record.actions == (), f"{rid}: an action the city did not report"
        assert len(record.history) == 1 and "bevestigt" in record.history[0].comment, rid
        assert record.note.startswith("De Denktafel vraagt") or slug == "stedelijke-dienstverlening", rid


def test_each_wave_has_its_own_title():
    titles = [wave.title for wave in PACKAGE.waves]
    assert len(set(titles)) == len(titles)  # charts name a wave by its title


@pytest.mark.parametrize("slug", SLUGS)
def test_each_denktafel_starts_at_the_baseline(slug):
    plan = PACKAGE.plans[slug]
    assert plan.baseline == PACKAGE.waves[0].key == "nulmeting_2026"


@pytest.mark.parametrize("slug", SLUGS)
def test_no_share_counts_dont_know_or_not_applicable_in_its_denominator(slug):
    plan = PACKAGE.plans[slug]
    variables = {v.name: v for v in definition_variables(BY_SLUG[slug], free_text=False)}
    for key, indicator in plan.indicators.items():
        values = set(variables[indicator.variable].values)
        if indicator.measure == "share":
            assert indicator.positive, key
            assert values & NON_ANSWERS <= set(indicator.excluded), f"{key}: {values & NON_ANSWERS - set(indicator.excluded)} must be excluded"
            assert not set(indicator.positive) & set(indicator.excluded), key
            assert set(indicator.positive) < values, f"{key}: every answer is positive"
        else:
            assert indicator.scale == (0.0, 10.0), key  # the means of this package are 0-10 marks


@pytest.mark.parametrize("slug", SLUGS)
def test_notes_for_residents_are_short_plain_sentences(slug):
    for rid, record in PACKAGE.plans[slug].records.items():
        sentences = [s for s in record.note.replace("?", ".").split(".") if s.strip()]
        assert len(sentences) <= 2, rid
        assert all(len(s.split()) <= 22 for s in sentences), f"{rid}: a sentence longer than 22 words"
        assert len(record.note) <= 220, rid

"""The minutes estimate: words read at a documented speed, answer time per type, every path."""

import textwrap

import pytest

from survey_app.content import duration
from survey_app.content.duration import (
    ANSWER_SECONDS,
    READING_WORDS_PER_MINUTE,
    consent_minutes,
    estimate,
    question_seconds,
    question_words,
)
from survey_app.content.reader import build_definition, read_package
from survey_app.content.types import QUESTION_TYPES
from survey_app.content.yamlfile import read_yaml

from ..conftest import QUESTIONNAIRES

HEAD = """\
slug: proef
version: 1
state: draft
title: Proef
table: Denktafel Proef
central_question: Hoe gaat het?
intro: Een twee drie vier.
consent: Vijf zes.
recommendations:
  PR1: Beter luisteren.
pages:
"""


def definition_of(pages: str):
    document, problems = read_yaml(HEAD + textwrap.dedent(pages), file="proef.yaml")
    assert problems == []
    definition, problems = build_definition(document, file="proef.yaml")
    assert problems == [], [str(p) for p in problems]
    return definition


BRANCHES = """\
  - key: een
    title: Start
    questions:
      - key: kanaal
        type: single_choice
        text: Hoe had u contact?
        required: true
        recommendations: [PR1]
        source: Denktafel Proef
        options:
          loket: Aan het loket
          telefoon: Aan de telefoon
          mail: Via e-mail
      - key: leeftijd
        type: number
        text: Hoe oud bent u?
        min: 16
        max: 110
        recommendations: []
        source: Denktafel Proef
  - key: loket
    title: Aan het loket
    show_if: kanaal == 'loket'
    questions:
      - key: wachten
        type: agreement
        text: Ik moest niet lang wachten.
        recommendations: [PR1]
        source: Denktafel Proef
      - key: privacy
        type: agreement
        text: Niemand luisterde mee.
        show_if: leeftijd >= 65
        recommendations: [PR1]
        source: Denktafel Proef
  - key: slot
    title: Tot slot
    questions:
      - key: opmerking
        type: long_text
        text: Wilt u nog iets kwijt?
        recommendations: []
        source: Denktafel Proef
"""


def test_every_branch_of_the_skip_logic_is_a_path_longest_first():
    found = estimate(definition_of(BRANCHES))
    assert found.complete
    assert [p.questions for p in found.paths] == [
        ("kanaal", "leeftijd", "wachten", "privacy", "opmerking"),
        ("kanaal", "leeftijd", "wachten", "opmerking"),
        ("kanaal", "leeftijd", "opmerking"),
    ]
    assert found.longest.shown_if == ("loket", "privacy")
    assert found.shortest.shown_if == ()
    assert found.longest.seconds > found.paths[1].seconds > found.shortest.seconds


def test_a_path_is_reading_time_plus_answer_time_plus_page_time():
    definition = definition_of(BRANCHES)
    shortest = estimate(definition).shortest
    # Opening 6 words; pages 'Start' and 'Tot slot' (1 + 2 words); kanaal: 4 + 3 + 3 + 2 words
    # and 4 s; leeftijd: 4 words and 6 s; opmerking: 5 words and 60 s.
    words = 6 + 1 + 2 + 12 + 4 + 5
    expected = 60 * words / READING_WORDS_PER_MINUTE + 4 + 6 + 60 + 2 * duration.SECONDS_PER_PAGE
    assert shortest.seconds == pytest.approx(expected)


def test_an_agreement_question_reads_its_scale_and_the_not_applicable_answer():
    definition = definition_of(BRANCHES)
    # 'Ik moest niet lang wachten.' 5 words; the scale 10 words; 'Niet van toepassing.' 3 words.
    assert question_words(definition.question("wachten")) == 5 + 10 + 3
    assert question_seconds(definition.question("wachten")) == pytest.approx(60 * 18 / READING_WORDS_PER_MINUTE + 4)


def test_a_matrix_takes_answer_time_per_item_and_a_multiple_choice_per_option():
    definition = definition_of("""\
      - key: een
        title: Een
        questions:
          - key: buurt
            type: matrix
            text: Wat vindt u?
            scale: agreement
            not_applicable: false
            items:
              veilig: Het is veilig.
              proper: Het is proper.
              rustig: Het is rustig.
            recommendations: []
            source: Denktafel Proef
          - key: sport
            type: multiple_choice
            text: Wat doet u?
            options:
              lopen: Lopen
              zwemmen: Zwemmen
            recommendations: []
            source: Denktafel Proef
    """)
    matrix, choice = definition.question("buurt"), definition.question("sport")
    assert question_seconds(matrix) == pytest.approx(60 * (3 + 9 + 10) / READING_WORDS_PER_MINUTE + 3 * 4)
    assert question_seconds(choice) == pytest.approx(60 * (3 + 2) / READING_WORDS_PER_MINUTE + 2 * 1.5)


def test_a_multiple_choice_filter_makes_a_path_per_option_it_names():
    definition = definition_of("""\
      - key: een
        title: Een
        questions:
          - key: kinderen
            type: multiple_choice
            text: Naar welke school gaan uw kinderen?
            options:
              kleuter: Kleuterschool
              lager: Lagere school
              geen: Geen kinderen
            exclusive: [geen]
            recommendations: []
            source: Denktafel Proef
      - key: twee
        title: Twee
        questions:
          - key: voorlezen
            type: agreement
            text: Ik lees voor.
            show_if: "'kleuter' in kinderen"
            recommendations: []
            source: Denktafel Proef
          - key: huiswerk
            type: agreement
            text: Ik help met huiswerk.
            show_if: "'lager' in kinderen"
            recommendations: []
            source: Denktafel Proef
    """)
    paths = {p.shown_if for p in estimate(definition).paths}
    assert paths == {("voorlezen", "huiswerk"), ("voorlezen",), ("huiswerk",), ()}


def test_a_year_filter_is_followed_on_both_sides_of_its_threshold():
    definition = definition_of("""\
      - key: een
        title: Een
        questions:
          - key: geboortejaar
            type: year
            text: In welk jaar bent u geboren?
            required: true
            recommendations: []
            source: Denktafel Proef
      - key: twee
        title: Twee
        show_if: geboortejaar <= year() - 65
        questions:
          - key: pensioen
            type: agreement
            text: Ik ben met pensioen.
            recommendations: []
            source: Denktafel Proef
    """)
    assert [p.shown_if for p in estimate(definition).paths] == [("twee",), ()]


def test_the_estimate_stops_at_its_limit_and_says_so(monkeypatch):
    monkeypatch.setattr(duration, "MAX_LEAVES", 2)
    found = estimate(definition_of(BRANCHES))
    assert not found.complete
    assert 1 <= len(found.paths) <= 2


def test_consent_minutes_are_the_longest_path_rounded_up():
    definition = definition_of(BRANCHES)
    longest = estimate(definition).longest.minutes
    assert consent_minutes(definition) == max(1, -(-longest // 1))
    assert consent_minutes(definition) >= longest


def test_every_question_type_has_an_answer_time():
    assert set(ANSWER_SECONDS) == set(QUESTION_TYPES)


def test_every_questionnaire_of_the_package_has_a_complete_estimate():
    definitions, problems = read_package(QUESTIONNAIRES)
    assert problems == []
    for definition in definitions:
        found = estimate(definition)
        assert found.complete, definition.slug
        assert 1 <= found.shortest.minutes <= found.longest.minutes <= 30, definition.slug
        # The longest path shows every question that some resident can see.
        seen = {key for path in found.paths for key in path.questions}
        assert seen == {q.key for q in definition.questions()}, definition.slug


def test_the_readme_documents_the_reading_speed_and_every_answer_time():
    readme = (QUESTIONNAIRES / "README.md").read_text(encoding="utf-8")
    assert f"**{READING_WORDS_PER_MINUTE} words per minute**" in readme
    assert f"- **Pages**: {duration.SECONDS_PER_PAGE} seconds each" in readme
    section = readme.split("## How long it takes")[1].split("\n## ")[0]
    rows = {line.split("|")[1]: line.split("|")[2].strip() for line in section.splitlines() if line.strip().startswith("| `")}
    for name, answer in ANSWER_SECONDS.items():
        row = next(v for k, v in rows.items() if f"`{name}`" in k)
        seconds = f"{answer.seconds:g}" + ("" if answer.per == "question" else f" per {answer.per}")
        assert row == seconds, name

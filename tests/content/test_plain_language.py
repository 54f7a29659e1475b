"""The plain-Dutch lint: counting, each rule, the six questionnaires, the documented thresholds."""

import re
import shutil
from pathlib import Path

import pytest

from survey_app.content.plain_language import (
    THRESHOLDS,
    Readability,
    count_syllables,
    lint_package,
    lint_text,
    load_word_lists,
    measure,
    split_sentences,
    words_of,
)

ROOT = Path(__file__).resolve().parents[2]
QUESTIONNAIRES = ROOT / "questionnaires"
WORDS = load_word_lists(extra_allowed=["Winterslag", "Bret-Gelieren"])


@pytest.mark.parametrize(
    "word, syllables",
    [("ook", 1), ("eten", 2), ("idee", 2), ("loket", 2), ("ongeveer", 3), ("vragenlijst", 3),
     ("medewerkers", 4), ("dienstverlening", 4), ("verantwoordelijkheid", 6), ("Genk", 1)],
)
def test_syllables_are_counted_with_the_dutch_dictionary(word, syllables):
    assert count_syllables(word) == syllables


def test_words_and_sentences():
    assert words_of("Via het e-loket of de website, 2 keer.") == ["Via", "het", "e-loket", "of", "de", "website", "2", "keer"]
    assert split_sentences("Dit is één. Is dit twee? Ja!") == ["Dit is één.", "Is dit twee?", "Ja!"]
    assert split_sentences("Aan het loket") == ["Aan het loket"]


def test_flesch_douma_follows_the_formula():
    score = Readability(words=10, sentences=2, syllables=15)
    assert score.reading_ease == pytest.approx(206.84 - 0.77 * 150 - 0.93 * 5)
    assert measure("Ik woon graag in Genk.").reading_ease == pytest.approx(206.84 - 0.77 * 100 - 0.93 * 5)


def messages(text):
    return [message for message, _ in lint_text(text, WORDS)]


def test_plain_text_passes():
    assert messages("Hoe had u het laatst contact met de stad? Kies één antwoord.") == []


def test_a_long_sentence_is_reported():
    sentence = " ".join(["woord"] * 21) + "."
    assert any("a sentence of 21 words" in m for m in messages(sentence))
    assert not any("sentence" in m for m in messages(" ".join(["woord"] * 20) + "."))


def test_hard_text_gets_a_low_reading_ease():
    text = (
        "Gelieve de geïnformatiseerde aanvraagformulieren betreffende uw huisvestingssituatie "
        "overeenkomstig de toepasselijke reglementering onverwijld te vervolledigen en te ondertekenen, "
        "teneinde de administratieve afhandeling te bespoedigen."
    )
    found = messages(text)
    assert any(m.startswith("reading ease") for m in found)
    assert any("long word 'huisvestingssituatie'" in m for m in found)
    assert any("official word 'betreffende'" in m for m in found)
    assert any("official word 'teneinde'" in m for m in found)


def test_long_words_allow_names_and_known_words():
    assert messages("Ik woon in Bret-Gelieren en doe activiteiten.") == []
    assert any("long word" in m for m in messages("Dat is de verantwoordelijkheid van de stad."))


@pytest.mark.parametrize("text, word", [("Kom bv. morgen.", "bv."), ("Dat is o.a. de bib.", "o.a."), ("Bel i.p.v. mailen.", "i.p.v.")])
def test_abbreviations_are_reported(text, word):
    assert f"abbreviation '{word}'" in messages(text)


def test_unknown_capitals_are_abbreviations_but_known_names_are_not():
    assert "abbreviation 'CBS'" in messages("Het CBS telt mee.")
    assert messages("Het OCMW helpt u.") == []


@pytest.mark.parametrize("word", ["participatie", "faciliteren", "interventie", "frontoffice", "indien"])
def test_jargon_is_reported_with_a_plainer_word(word):
    found = lint_text(f"Wij doen dat {word} nodig.", WORDS)
    assert any(m.startswith(f"official word '{word}'") and fix.startswith("say it plainly: ") for m, fix in found)


def test_the_six_questionnaires_are_plain_dutch():
    definitions, problems = lint_package(QUESTIONNAIRES)
    assert len(definitions) == 6
    assert [str(p) for p in problems] == []


def test_a_failing_text_is_reported_with_file_line_and_key(tmp_path):
    source = (QUESTIONNAIRES / "werk.yaml").read_text(encoding="utf-8")
    first_question = re.search(r"\n        text: (.+)\n", source)
    broken = source.replace(first_question.group(0), "\n        text: Indien u participeert, faciliteren wij dat o.a. via het loket?\n", 1)
    (tmp_path / "werk.yaml").write_text(broken, encoding="utf-8")
    for folder in ("lists", "modules"):
        (tmp_path / folder).mkdir()
        for path in (QUESTIONNAIRES / folder).glob("*.yaml"):
            (tmp_path / folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    _, problems = lint_package(tmp_path)
    line = source[: first_question.start()].count("\n") + 2
    assert {(p.file, p.line) for p in problems} == {("werk.yaml", line)}
    text = "\n".join(str(p) for p in problems)
    assert "official word 'indien'" in text and "'o.a.'" in text and "official word 'faciliteren'" in text


def test_every_threshold_is_documented():
    readme = (QUESTIONNAIRES / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Plain Dutch", 1)[1]
    assert "206.84 - 0.77 x syllables per 100 words - 0.93 x" in section
    for threshold in THRESHOLDS.values():
        assert f"{threshold.value:g}" in section, threshold.name


def test_lint_command_passes_on_the_package(runner):
    ok = runner.invoke(args=["questionnaires", "lint"])
    assert ok.exit_code == 0, ok.output
    assert ok.output.count("plain Dutch") == 6


def test_lint_command_prints_what_to_rewrite_and_fails(database_url, tmp_path):
    from ..conftest import make_app

    shutil.copytree(QUESTIONNAIRES, tmp_path / "q", ignore=shutil.ignore_patterns("*.md"))
    werk = tmp_path / "q" / "werk.yaml"
    source = werk.read_text(encoding="utf-8")
    first = re.search(r"\n        text: (.+)\n", source)
    werk.write_text(source.replace(first.group(0), "\n        text: Indien nodig faciliteren wij uw participatie.\n", 1), encoding="utf-8")
    runner = make_app(database_url, QUESTIONNAIRES_DIR=str(tmp_path / "q")).test_cli_runner()
    result = runner.invoke(args=["questionnaires", "lint", "werk.yaml"])
    assert result.exit_code == 1
    line = source[: first.start()].count("\n") + 2
    assert f"werk.yaml:{line}: " in result.output and "official word 'participatie'" in result.output

"""The questionnaire extractor: every string residents read, with its context and notes."""

import io
from pathlib import Path

import pytest
from babel.messages.extract import extract, extract_from_file

from survey_app.content.extract import (
    ExtractionError,
    extract_questionnaire,
    message_context,
    questionnaire_texts,
    read_questionnaire_texts,
)
from survey_app.content.reader import read_package

ROOT = Path(__file__).resolve().parents[2]
QUESTIONNAIRES = ROOT / "questionnaires"
FILES = sorted(p.name for p in QUESTIONNAIRES.glob("*.yaml"))


def extracted(path: Path, method="survey_questionnaire"):
    return list(extract_from_file(method, str(path)))


@pytest.mark.parametrize("name", FILES)
def test_the_entry_point_extracts_every_string_with_its_context(name):
    path = QUESTIONNAIRES / name
    definition, texts = read_questionnaire_texts(path)
    found = extracted(path)
    assert [(context, message) for _, message, _, context in found] == [
        (message_context(definition.slug, t.key), t.text) for t in texts
    ]
    contexts = [context for *_, context in found]
    assert len(contexts) == len(set(contexts)), "each context names one string"


def test_keys_follow_the_template_names():
    definitions, _ = read_package(QUESTIONNAIRES)
    keys = {t.key for d in definitions for t in questionnaire_texts(d)}
    assert {"title", "central_question", "intro", "consent"} <= keys
    kinds = {k.split(".", 1)[1].split(".")[0] for k in keys if "." in k and not k.startswith("page.")}
    assert kinds <= {"text", "help", "option", "item", "low_label", "high_label", "constraint_message"}
    assert {"text", "help", "option", "item", "constraint_message"} <= kinds
    assert any(k.startswith("page.") for k in keys)


def test_every_question_text_option_and_item_is_extracted():
    definitions, _ = read_package(QUESTIONNAIRES)
    for definition in definitions:
        keys = {t.key: t.text for t in questionnaire_texts(definition)}
        for page in definition.pages:
            assert keys[f"page.{page.key}"] == page.title
            for q in page.questions:
                assert keys[f"{q.key}.text"] == q.text
                for option in q.options:
                    assert keys[f"{q.key}.option.{option.value}"] == option.label
                for item in q.items:
                    assert keys[f"{q.key}.item.{item.value}"] == item.label


def test_recommendations_and_sources_are_not_extracted():
    definitions, _ = read_package(QUESTIONNAIRES)
    for definition in definitions:
        texts = {t.text for t in questionnaire_texts(definition)}
        for recommendation in definition.recommendations.values():
            assert recommendation not in texts
        for question in definition.questions():
            assert question.source not in texts


def test_translators_get_the_question_as_context_and_the_source():
    path = QUESTIONNAIRES / "stedelijke-dienstverlening.yaml"
    definition, texts = read_questionnaire_texts(path)
    by_key = {t.key: t for t in texts}
    question = definition.question("kanaal")
    option = by_key["kanaal.option.loket"]
    assert f'Question: "{question.text}"' in " ".join(option.comments)
    assert any(c.startswith("Source: ") and question.source in c for c in by_key["kanaal.text"].comments)
    assert option.line and option.line > by_key["kanaal.text"].line


def test_shared_lists_are_skipped_and_their_labels_come_with_each_questionnaire():
    assert extracted(QUESTIONNAIRES / "lists" / "wijken.yaml") == []
    definitions, _ = read_package(QUESTIONNAIRES)
    users = [d for d in definitions for q in d.questions() if any(o.label == "Winterslag" for o in q.options)]
    assert users
    _, texts = read_questionnaire_texts(QUESTIONNAIRES / users[0].file)
    winterslag = [t for t in texts if t.text == "Winterslag"]
    assert winterslag and "lists/wijken.yaml" in " ".join(winterslag[0].comments)
    assert winterslag[0].line


def test_a_questionnaire_with_mistakes_stops_the_extraction(tmp_path):
    (tmp_path / "kapot.yaml").write_text("slug: kapot\nversion: 1\npages: []\n", encoding="utf-8")
    with pytest.raises(ExtractionError) as raised:
        extracted(tmp_path / "kapot.yaml")
    assert "kapot.yaml" in str(raised.value)


def test_the_extractor_needs_a_file_on_disk():
    with pytest.raises(ExtractionError):
        list(extract(extract_questionnaire, io.BytesIO(b"slug: x\n")))


def test_babel_cfg_maps_the_questionnaires_to_the_extractor():
    text = (ROOT / "babel.cfg").read_text(encoding="utf-8")
    assert "[survey_questionnaire: questionnaires/**.yaml]" in text
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'survey_questionnaire = "survey_app.content.extract:extract_questionnaire"' in pyproject

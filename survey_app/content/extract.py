"""The translatable text of a questionnaire, and a Babel extractor that feeds it to gettext.

Every string a resident reads gets a stable message context "<slug>:<key>", with keys
like "title", "page.<page>", "<question>.text" and "<question>.option.<value>". The
templates ask for the same keys (survey_app.web.templating.questionnaire_text), so a
changed Dutch string under the same key becomes a fuzzy (stale) translation after
`translations update`, never a silently outdated one. Sources and the table's name are for
analysts and are not extracted. The recommendations are extracted with the follow-up files
(questionnaires/followup/, see survey_app.followup.texts), where residents read them.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .definition import Definition, Question
from .problems import Problem
from .reader import build_definition, read_lists, read_modules, resolve_includes
from .yamlfile import LineMapping, read_yaml

# What translators should know about a shared answer list, by list name.
LIST_NOTES = {"wijken": "Names of Genk's neighbourhoods keep their Dutch form."}

TYPE_NAMES = {
    "single_choice": "one answer from a list",
    "multiple_choice": "several answers from a list",
    "agreement": "a statement, answered from 'strongly disagree' to 'strongly agree'",
    "scale": "answered with a number from 0 to 10",
    "number": "answered with a whole number",
    "text": "answered with a short text",
    "long_text": "answered with a longer text",
    "year": "answered with a year",
    "date": "answered with a date",
    "matrix": "several statements on one scale",
}


@dataclass(frozen=True)
class QuestionnaireText:
    """One string a resident reads, with its key, line in the file and notes for translators."""

    key: str
    text: str
    line: int | None = None
    comments: tuple[str, ...] = ()


class ExtractionError(ValueError):
    """A questionnaire file cannot be read, so its strings cannot be extracted."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def message_context(slug: str, key: str) -> str:
    """Return the gettext context of a questionnaire string."""
    return f"{slug}:{key}"


def _line(mapping, key) -> int | None:
    return mapping.line_of(key) if isinstance(mapping, LineMapping) else None


def _quote(text: str) -> str:
    return " ".join(text.split())


def _question_texts(question: Question, raw) -> Iterator[QuestionnaireText]:
    key, asked = question.key, _quote(question.text)
    about = f'Question: "{asked}"'
    source = f"Source: {question.source}" if question.source else None
    yield QuestionnaireText(
        f"{key}.text",
        question.text,
        _line(raw, "text"),
        tuple(c for c in (f"Question ({TYPE_NAMES.get(question.type, question.type)}).", source) if c),
    )
    if question.help:
        yield QuestionnaireText(f"{key}.help", question.help, _line(raw, "help"), (f"Hint under the question. {about}",))
    shared = raw.get("options_from") if isinstance(raw, dict) else None
    raw_options = raw.get("options") if isinstance(raw, dict) else None
    for option in question.options:
        notes = [f"Answer option. {about}"]
        if shared:
            notes.append(f"From the shared list lists/{shared}.yaml. {LIST_NOTES.get(shared, '')}".rstrip())
            line = _line(raw, "options_from")
        else:
            line = _line(raw_options, option.value) if isinstance(raw_options, LineMapping) else _line(raw, "options")
        yield QuestionnaireText(f"{key}.option.{option.value}", option.label, line, tuple(notes))
    raw_items = raw.get("items") if isinstance(raw, dict) else None
    for item in question.items:
        line = _line(raw_items, item.value) if isinstance(raw_items, LineMapping) else _line(raw, "items")
        yield QuestionnaireText(
            f"{key}.item.{item.value}", item.label, line, (f"A statement the resident rates. {about}",)
        )
    if question.low_label:
        yield QuestionnaireText(
            f"{key}.low_label", question.low_label, _line(raw, "low_label"), (f"Words next to 0 on the 0-10 scale. {about}",)
        )
    if question.high_label:
        yield QuestionnaireText(
            f"{key}.high_label", question.high_label, _line(raw, "high_label"), (f"Words next to 10 on the 0-10 scale. {about}",)
        )
    if question.constraint_message:
        yield QuestionnaireText(
            f"{key}.constraint_message",
            question.constraint_message,
            _line(raw, "constraint_message"),
            (f"Shown when the answer is not accepted. {about}",),
        )


def questionnaire_texts(definition: Definition, document=None) -> Iterator[QuestionnaireText]:
    """Yield every string of a questionnaire that a resident reads, in the order of the file.

    document is the parsed file (LineMappings) the definition was built from; it only adds lines.
    """
    document = document if isinstance(document, dict) else {}
    table = definition.table or definition.slug
    yield QuestionnaireText("title", definition.title, _line(document, "title"), (f"Title of the questionnaire ({table}), on the start page.",))
    yield QuestionnaireText(
        "central_question",
        definition.central_question,
        _line(document, "central_question"),
        (f"The central question of the {table}, under the title on the start page.",),
    )
    yield QuestionnaireText("intro", definition.intro, _line(document, "intro"), ("Introduction, shown before the first question.",))
    yield QuestionnaireText(
        "consent",
        definition.consent,
        _line(document, "consent"),
        ("What happens with the answers (consent), for residents who answer on their own. Keep every fact exact; keep %(minuten)s as it is: the estimated minutes.",),
    )
    if definition.consent_assisted:
        yield QuestionnaireText(
            "consent_assisted",
            definition.consent_assisted,
            _line(document, "consent_assisted"),
            ("What happens with the answers, read out by a staff member who fills them in with the resident. Keep every fact exact.",),
        )
    raw_pages = document.get("pages") if isinstance(document.get("pages"), list) else []
    for index, page in enumerate(definition.pages):
        raw_page = raw_pages[index] if index < len(raw_pages) else {}
        yield QuestionnaireText(f"page.{page.key}", page.title, _line(raw_page, "title"), ("Title of a page of questions.",))
        raw_questions = raw_page.get("questions") if isinstance(raw_page, dict) else None
        raw_questions = raw_questions if isinstance(raw_questions, list) else []
        for position, question in enumerate(page.questions):
            raw = raw_questions[position] if position < len(raw_questions) else {}
            yield from _question_texts(question, raw)


def read_questionnaire_texts(path: Path) -> tuple[Definition | None, list[QuestionnaireText]]:
    """Return the definition and strings of a questionnaire file; (None, []) for other YAML files.

    Raises ExtractionError when the file is a questionnaire with mistakes.
    """
    path = Path(path)
    document, problems = read_yaml(path.read_text(encoding="utf-8"), file=path.name)
    if not isinstance(document, dict) or "pages" not in document or "slug" not in document:
        if problems and document is None:
            raise ExtractionError(problems)
        return None, []  # an option list or a module: its text comes with each questionnaire that uses it
    lists, list_problems = read_lists(path.parent)
    modules, module_problems = read_modules(path.parent)
    definition, found = build_definition(document, file=path.name, lists=lists, modules=modules)
    problems = problems + list_problems + module_problems + found
    if problems or definition is None:
        raise ExtractionError(problems)
    return definition, list(questionnaire_texts(definition, resolve_includes(document, modules)))


def extract_questionnaire(fileobj, keywords, comment_tags, options):
    """Babel extractor: yield (line, 'pgettext', (context, text), comments) for a questionnaire file."""
    name = getattr(fileobj, "name", None)
    if not name:
        raise ExtractionError([Problem("<questionnaire>", None, "the extractor needs a file on disk", "extract from the questionnaires folder")])
    path = Path(name)
    if path.parent.name == "followup":  # the follow-up content: recommendations, notes, indicators, waves
        from ..followup.texts import read_followup_texts  # followup builds on content: imported when needed

        slug, texts = read_followup_texts(path)
    else:
        definition, texts = read_questionnaire_texts(path)
        slug = definition.slug if definition else None
    if slug is None:
        return
    for text in texts:
        yield text.line or 1, "pgettext", (message_context(slug, text.key), text.text), list(text.comments)

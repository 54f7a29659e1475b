"""The translatable text of the follow-up content, fed to gettext by the questionnaires' Babel extractor.

Residents read a Denktafel's recommendations, the notes on what the city does with them and the
names of the indicators on the public page ("U zei, wij deden") and in the council report. They
go to the `questionnaires` domain with the same kind of context as the questionnaires' own text:

- `<slug>:recommendation.<id>`: the recommendation, from the questionnaire file;
- `<slug>:followup.<id>.note` and `<slug>:followup.<id>.reason`: from `followup/<slug>.yaml`;
- `<slug>:indicator.<key>`: an indicator's title;
- `followup:wave.<key>`: a wave's title, from `followup/waves.yaml` (shared by every Denktafel).

The templates ask for the same keys, so a changed Dutch text becomes a fuzzy translation after
`translations update`, never a silently outdated one. Services, actions, history and the notes
on administrative data stay Dutch: they are for the city's staff and the council.
"""

from collections.abc import Iterator
from pathlib import Path

from ..content.definition import Definition
from ..content.extract import ExtractionError, QuestionnaireText, message_context, read_questionnaire_texts
from ..content.problems import Problem
from ..content.yamlfile import read_yaml
from .reader import FOLDER, WAVES_FILE, FollowUpPackage, Plan, _Checker, read_plan, read_waves

WAVES_SLUG = "followup"  # the context prefix of texts shared by every Denktafel's follow-up


def wave_key(key: str) -> str:
    """Return the message key of a wave's title (context `followup:wave.<key>`)."""
    return f"wave.{key}"


def plan_texts(plan: Plan, definition: Definition) -> Iterator[QuestionnaireText]:
    """Yield every string of a Denktafel's follow-up that residents read, recommendation by recommendation."""
    table = definition.table or definition.slug
    used = []
    for rid, record in plan.records.items():
        yield QuestionnaireText(
            f"recommendation.{rid}",
            definition.recommendations[rid],
            record.line,
            (f"Recommendation {rid} of the {table}, as a heading on the follow-up page for residents and in the council report.",),
        )
        yield QuestionnaireText(
            f"followup.{rid}.note",
            record.note,
            record.line,
            (f"Short note for residents under recommendation {rid}: what the city does with it. Plain words.",),
        )
        if record.reason:
            yield QuestionnaireText(
                f"followup.{rid}.reason", record.reason, record.line, (f"Why the city does not carry out recommendation {rid}.",)
            )
        used += [key for key in record.indicators if key not in used]
    for key in used:
        indicator = plan.indicators[key]
        what = "the share of residents who answered so, shown after a percentage" if indicator.measure == "share" else "a mark, shown after the average"
        yield QuestionnaireText(
            f"indicator.{key}",
            indicator.title,
            indicator.line,
            (f"Name of an indicator: {what} (for example '64% ...'). Variable {indicator.variable}.",),
        )


def read_followup_texts(path: Path) -> tuple[str | None, list[QuestionnaireText]]:
    """Return the context prefix and the strings of a file in followup/ ((None, []) for the population file).

    Raises ExtractionError when the file or its questionnaire has mistakes.
    """
    path = Path(path)
    label = f"{FOLDER}/{path.name}"
    document, problems = read_yaml(path.read_text(encoding="utf-8"), file=label)
    if problems or not isinstance(document, dict):
        raise ExtractionError(problems or [Problem(label, None, "the file is not a list of 'key: value' lines", "see docs/followup.md")])
    check = _Checker(label)
    if path.name == WAVES_FILE:
        waves = read_waves(document, check)
        if check.problems:
            raise ExtractionError(check.problems)
        return WAVES_SLUG, [QuestionnaireText(wave_key(w.key), w.title, w.line, ("Name of a fieldwork period of the follow-up, in tables and charts.",)) for w in waves]
    if "recommendations" not in document:
        return None, []  # the population file: its labels are for analysts
    source = path.parent.parent / f"{document.get('slug')}.yaml"
    if not source.is_file():
        raise ExtractionError([Problem(label, None, f"there is no questionnaire file {source.name}", "use the slug of a questionnaire file")])
    definition, _ = read_questionnaire_texts(source)
    plan = read_plan(document, check, {definition.slug: definition}) if definition else None
    if check.problems or plan is None:
        raise ExtractionError(check.problems)
    return plan.slug, list(plan_texts(plan, definition))


def followup_sources(package: FollowUpPackage, definitions: list[Definition]) -> dict[str, tuple[list[tuple[str, str]], bool]]:
    """Return {part: ([(context, Dutch text), ...], published)} for `translations status`: a part per Denktafel, and the waves."""
    by_slug = {d.slug: d for d in definitions}
    parts = {}
    for slug, plan in sorted(package.plans.items()):
        if slug in by_slug:
            texts = plan_texts(plan, by_slug[slug])
            parts[f"{FOLDER}:{slug}"] = ([(message_context(slug, t.key), t.text) for t in texts], plan.published)
    if package.waves:
        waves = [(message_context(WAVES_SLUG, wave_key(w.key)), w.title) for w in package.waves]
        parts[f"{FOLDER}:waves"] = (waves, any(plan.published for plan in package.plans.values()))
    return parts

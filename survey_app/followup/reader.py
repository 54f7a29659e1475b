"""Read and check the follow-up content: questionnaires/followup/{waves,population,<slug>}.yaml.

Every mistake becomes a Problem naming the file, the line and the fix, as for the questionnaires.
The checks that need the questionnaires (does a variable exist, is an answer one of its answers)
read the definitions of the content package.
"""

import datetime
import difflib
from dataclasses import dataclass, field
from pathlib import Path

from ..content.definition import Definition
from ..content.problems import Problem
from ..content.types import OFF_SCALE
from ..content.yamlfile import LineMapping, read_yaml
from ..export.variables import Variable, definition_variables
from .indicators import DIRECTIONS, MEASURES, Indicator
from .population import Dimension, Population, Source
from .records import INITIAL_STATUSES, STATUSES, Action, Change, FollowUp
from .waves import Wave

FOLDER = "followup"
WAVES_FILE = "waves.yaml"
POPULATION_FILE = "population.yaml"
MARGIN_TOLERANCE = 0  # counts are whole people: margins must add up exactly
MEAN_TYPES = {"agreement": (1, 5), "scale": (0, 10)}


@dataclass(frozen=True)
class Plan:
    """The follow-up of one Denktafel: its indicators and a record per recommendation."""

    slug: str
    indicators: dict[str, Indicator]
    records: dict[str, FollowUp]
    file: str
    published: bool = False  # residents see a Denktafel's follow-up only once the city publishes it
    placeholder: bool = False  # records written from the Denktafel's text, not yet confirmed by the city
    baseline: str | None = None  # key of the wave of its first fieldwork; None: the first wave
    baseline_line: int | None = None

    def waves_from_baseline(self, waves: tuple[Wave, ...]) -> tuple[Wave, ...]:
        """Return the waves from this Denktafel's baseline on (all of them when it names none or an unknown one)."""
        keys = [wave.key for wave in waves]
        return waves[keys.index(self.baseline):] if self.baseline in keys else waves


@dataclass
class FollowUpPackage:
    waves: tuple[Wave, ...] = ()
    population: Population | None = None
    plans: dict[str, Plan] = field(default_factory=dict)


def _line(mapping, key=None):
    if isinstance(mapping, LineMapping):
        return mapping.line_of(key) if key is not None else mapping.line
    return None


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


class _Checker:
    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def problem(self, line, message, fix):
        self.problems.append(Problem(self.file, line, message, fix))

    def keys(self, mapping, allowed: dict[str, bool], what: str) -> bool:
        if not isinstance(mapping, dict):
            self.problem(None, f"{what} is not a list of 'key: value' lines", "write it as 'key: value' lines")
            return False
        for key in mapping:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), list(allowed), n=1)
                self.problem(_line(mapping, key), f"unknown key '{key}' in {what}", f"did you mean '{close[0]}'?" if close else "remove it")
        for key, needed in allowed.items():
            if needed and key not in mapping:
                self.problem(_line(mapping), f"{what} has no '{key}'", f"add '{key}:'")
        return True

    def text(self, mapping, key, what, *, required=True) -> str:
        value = mapping.get(key)
        if value is None:
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem(_line(mapping, key), f"'{key}' of {what} must be text", "write the text after the colon")
            return ""
        return value.strip()

    def day(self, mapping, key, what) -> datetime.date | None:
        if key not in mapping:
            return None
        value = _date(mapping[key])
        if value is None:
            self.problem(_line(mapping, key), f"'{key}' of {what} is not a date", "write it as YYYY-MM-DD")
        return value

    def listing(self, mapping, key, what) -> list:
        value = mapping.get(key, [])
        if not isinstance(value, list):
            self.problem(_line(mapping, key), f"'{key}' of {what} must be a list", "write it like [a, b]")
            return []
        return value


# --- waves ------------------------------------------------------------------------------------

def read_waves(document, check: _Checker) -> tuple[Wave, ...]:
    """Return the waves in date order; overlapping or empty periods are problems."""
    if not check.keys(document, {"waves": True}, "the waves file"):
        return ()
    raw = document.get("waves")
    if not isinstance(raw, list) or not raw:
        check.problem(_line(document, "waves"), "there are no waves", "add '- key:', 'title:', 'start:' and 'end:' for the baseline")
        return ()
    waves, seen = [], set()
    for entry in raw:
        if not check.keys(entry, {"key": True, "title": True, "start": True, "end": True}, "a wave"):
            continue
        key = str(entry.get("key", ""))
        what = f"wave '{key}'"
        if key in seen:
            check.problem(_line(entry, "key"), f"duplicate {what}", "give each wave its own key")
        seen.add(key)
        start, end = check.day(entry, "start", what), check.day(entry, "end", what)
        if start and end and start > end:
            check.problem(_line(entry, "start"), f"{what} starts after it ends", "swap 'start' and 'end'")
            continue
        if start and end:
            waves.append(Wave(key, check.text(entry, "title", what), start, end, _line(entry)))
    waves.sort(key=lambda w: w.start)
    for before, after in zip(waves, waves[1:]):
        if after.start <= before.end:
            check.problem(after.line, f"wave '{after.key}' starts before wave '{before.key}' ends", f"let it start after {before.end.isoformat()}")
    return tuple(waves)


# --- population -------------------------------------------------------------------------------

def _answers(variables: dict[str, list[Variable]], name: str) -> set | None:
    """Return the answer values a variable takes in any questionnaire (None: open number or unknown)."""
    found = variables.get(name)
    if not found:
        return None
    values = set()
    for variable in found:
        values |= set(variable.values)
    return values


def read_population(document, check: _Checker, variables: dict[str, list[Variable]]) -> Population | None:
    """Return the population table; margins that do not add up are problems."""
    allowed = {"source": True, "date": True, "placeholder": False, "total": False, "margins": False, "dimensions": True, "cells": True}
    if not check.keys(document, allowed, "the population file"):
        return None
    source = check.text(document, "source", "the population file")
    day = check.day(document, "date", "the population file")
    placeholder = document.get("placeholder", False)
    raw_dimensions = document.get("dimensions")
    if not isinstance(raw_dimensions, dict) or not raw_dimensions:
        check.problem(_line(document, "dimensions"), "the population has no dimensions", "add 'dimensions:' with age band, gender and district")
        return None
    dimensions = []
    for key, raw in raw_dimensions.items():
        dimension = _dimension(str(key), raw, check, variables)
        if dimension:
            dimensions.append(dimension)
    if len(dimensions) != len(raw_dimensions):
        return None
    cells = _cells(document.get("cells"), dimensions, check, _line(document, "cells"))
    if cells is None:
        return None
    population = Population(source, day, bool(placeholder), tuple(dimensions), cells)
    total = document.get("total")
    if total is not None and total != population.total:
        check.problem(_line(document, "total"), f"'total' is {total} but the cells add up to {population.total}", "correct the total or the cells")
    margins = document.get("margins") or {}
    for key, stated in margins.items() if isinstance(margins, dict) else ():
        if key not in raw_dimensions:
            check.problem(_line(margins, key), f"margin of unknown dimension '{key}'", "use a dimension of 'dimensions:'")
            continue
        computed = population.margin(key)
        for category, count in (stated or {}).items():
            if str(category) not in computed:
                check.problem(_line(stated, category), f"margin '{key}' names unknown category '{category}'", f"use one of: {', '.join(computed)}")
            elif count != computed[str(category)]:
                check.problem(
                    _line(stated, category),
                    f"the margin of '{key}' says {category}: {count}, but the cells add up to {computed[str(category)]}",
                    "correct the margin or the cells: both must come from the same source and date",
                )
    return population


def _dimension(key, raw, check: _Checker, variables) -> Dimension | None:
    what = f"dimension '{key}'"
    if not check.keys(raw, {"title": True, "categories": True, "from": True}, what):
        return None
    categories = raw.get("categories")
    if not isinstance(categories, dict) or not categories:
        check.problem(_line(raw, "categories"), f"{what} has no categories", "add 'categories:' as 'code: label' lines")
        return None
    names, labels, ages = [], [], {}
    for name, label in categories.items():
        names.append(str(name))
        if isinstance(label, dict):  # an age band: {title, from, to}
            labels.append(str(label.get("title", name)))
            low, high = label.get("from"), label.get("to")
            if not isinstance(low, int) or (high is not None and (not isinstance(high, int) or high < low)):
                check.problem(_line(label), f"age band '{name}' of {what} needs whole numbers 'from' and 'to' (to >= from)", "write like {title: 16 tot 24 jaar, from: 16, to: 24}")
                return None
            ages[str(name)] = (low, high)
        else:
            labels.append(str(label))
    sources = []
    raw_sources = raw.get("from")
    if not isinstance(raw_sources, dict) or not raw_sources:
        check.problem(_line(raw, "from"), f"{what} says nowhere where its category comes from", "add 'from:' with a variable and its answers")
        return None
    for variable, mapping in raw_sources.items():
        variable = str(variable)
        known = _answers(variables, variable)
        if variable not in variables:
            check.problem(_line(raw_sources, variable), f"{what} reads variable '{variable}', which no questionnaire asks", "use a variable name of a questionnaire (a question key, or key_item)")
            continue
        if mapping == "age":
            if not ages:
                check.problem(_line(raw_sources, variable), f"{what} reads an age from '{variable}' but its categories have no 'from' and 'to'", "give each category 'from' and 'to' ages")
            sources.append(Source(variable, "age"))
            continue
        if mapping is None:
            mapping = {}
        if not isinstance(mapping, dict):
            check.problem(_line(raw_sources, variable), f"the answers of '{variable}' in {what} must be 'answer: category' lines, {{}} or age", "see docs/followup.md")
            continue
        for answer, category in mapping.items():
            if known is not None and answer not in known and str(answer) not in {str(k) for k in known}:
                check.problem(_line(mapping, answer), f"'{answer}' is not an answer of '{variable}'", f"use one of: {', '.join(map(str, sorted(known, key=str)))}")
            if str(category) not in names:
                check.problem(_line(mapping, answer), f"category '{category}' is not a category of {what}", f"use one of: {', '.join(names)}")
        sources.append(Source(variable, {str(a): str(c) for a, c in mapping.items()}))
    return Dimension(key, check.text(raw, "title", what), tuple(names), tuple(labels), tuple(sources), ages)


def _cells(raw, dimensions: list[Dimension], check: _Checker, line) -> dict | None:
    """Return {combination: count} from nested mappings in dimension order; every combination is needed."""
    cells: dict[tuple, int] = {}
    ok = True

    def walk(node, depth, prefix):
        nonlocal ok
        dimension = dimensions[depth]
        if not isinstance(node, dict):
            check.problem(_line(node) or line, f"cells {'/'.join(prefix) or ''} must be '{dimension.key}: ...' lines", "see docs/followup.md")
            ok = False
            return
        for name in node:
            if str(name) not in dimension.categories:
                check.problem(_line(node, name), f"cell '{'/'.join(prefix + (str(name),))}': '{name}' is not a category of '{dimension.key}'", f"use one of: {', '.join(dimension.categories)}")
                ok = False
        for category in dimension.categories:
            path = prefix + (category,)
            if category not in node and category not in {str(k) for k in node}:
                check.problem(_line(node), f"cell '{'/'.join(path)}' is missing", f"add '{category}:' (write 0 when nobody lives there)")
                ok = False
                continue
            value = node.get(category)
            if depth + 1 < len(dimensions):
                walk(value, depth + 1, path)
            elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
                check.problem(_line(node, category), f"cell '{'/'.join(path)}' is {value!r}, not a count", "write a whole number of people, 0 or more")
                ok = False
            else:
                cells[path] = value

    walk(raw, 0, ())
    if ok and not sum(cells.values()):
        check.problem(line, "the population counts nobody", "fill in the counts")
        ok = False
    return cells if ok else None


# --- plans ------------------------------------------------------------------------------------

def _value_of(raw, variable: Variable):
    """Return raw as one of the variable's values (answers may be written as text or number)."""
    for value in variable.values:
        if str(value) == str(raw):
            return value
    return None


def read_indicator(key, raw, check: _Checker, variables: dict[str, Variable], definition: Definition) -> Indicator | None:
    what = f"indicator '{key}'"
    allowed = {"title": True, "variable": True, "measure": False, "positive": False, "excluded": False, "better": True, "target": False}
    if not check.keys(raw, allowed, what):
        return None
    name = str(raw.get("variable", ""))
    variable = variables.get(name)
    if variable is None:
        close = difflib.get_close_matches(name, list(variables), n=1)
        check.problem(_line(raw, "variable"), f"{what} names variable '{name}', which {definition.file} does not ask", f"did you mean '{close[0]}'?" if close else "use a question key, or key_item for a matrix")
        return None
    measure = raw.get("measure", "share")
    if measure not in MEASURES:
        check.problem(_line(raw, "measure"), f"unknown measure '{measure}' in {what}", "use 'share' or 'mean'")
        return None
    better = raw.get("better")
    if better not in DIRECTIONS:
        check.problem(_line(raw, "better"), f"'better' of {what} is '{better}'", "write 'better: higher' or 'better: lower'")
    answers = []
    for field_name in ("positive", "excluded"):
        values = []
        for answer in check.listing(raw, field_name, what):
            value = _value_of(answer, variable) if variable.kind == "code" else None
            if value is None:
                shown = ", ".join(map(str, variable.values)) if variable.values else "none: it is not a choice"
                check.problem(_line(raw, field_name), f"'{answer}' in '{field_name}' of {what} is not an answer of '{name}'", f"use answers of '{name}' ({shown})")
            else:
                values.append(value)
        answers.append(tuple(values))
    positive, excluded = answers
    question = definition.question(variable.key)
    if question.is_agreement:
        # 'Weet ik niet' and 'niet van toepassing' are no point on the scale: they always leave
        # the denominator (and a mean), as in the export's summary, whether the file says so or not.
        excluded += tuple(v for v in OFF_SCALE if v in variable.values and v not in positive + excluded)
    if measure == "share":
        if not positive and "positive" not in raw:
            check.problem(_line(raw), f"{what} is a share but has no 'positive' answers", "add 'positive:' with the answers that count, like [4, 5]")
        scale = (0.0, 100.0)
    else:
        if question.type in MEAN_TYPES:
            scale = MEAN_TYPES[question.type]
        elif question.type == "matrix" and question.scale == "agreement":
            scale = (1, 5)
        elif question.type == "number" and question.minimum is not None and question.maximum is not None:
            scale = (question.minimum, question.maximum)
        else:
            check.problem(_line(raw, "measure"), f"{what} is a mean but '{name}' is not on a scale", "use a 0-10 scale, an agreement question or a number with min and max, or measure a share")
            return None
        if positive:
            check.problem(_line(raw, "positive"), f"{what} is a mean and cannot have 'positive' answers", "remove 'positive:', or write 'measure: share'")
    target = raw.get("target")
    if target is not None:
        low, high = scale
        if isinstance(target, bool) or not isinstance(target, (int, float)) or not low <= target <= high:
            unit = "a percentage from 0 to 100" if measure == "share" else f"a value from {low} to {high}"
            check.problem(_line(raw, "target"), f"target {target!r} of {what} is out of range", f"write {unit}, or leave the target out")
            target = None
    return Indicator(
        key=str(key),
        title=check.text(raw, "title", what),
        variable=name,
        measure=measure,
        positive=positive,
        excluded=excluded,
        better=better if better in DIRECTIONS else "higher",
        target=float(target) if target is not None else None,
        scale=(float(scale[0]), float(scale[1])),
        line=_line(raw),
    )


def read_record(rid, raw, check: _Checker, indicators: dict[str, Indicator]) -> FollowUp | None:
    what = f"the follow-up of {rid}"
    allowed = {"status": True, "service": True, "note": True, "indicators": False, "administrative": False, "reason": False, "actions": False, "history": True}
    if not check.keys(raw, allowed, what):
        return None
    status = raw.get("status")
    if status not in STATUSES:
        check.problem(_line(raw, "status"), f"unknown status '{status}' in {what}", "use one of: " + ", ".join(STATUSES))
    reason = check.text(raw, "reason", what)
    if status == "not_taken" and not reason:
        check.problem(_line(raw, "status"), f"{rid} is not taken but gives no reason", "add 'reason:' in plain words")
    named = [str(i) for i in check.listing(raw, "indicators", what)]
    for name in named:
        if name not in indicators:
            check.problem(_line(raw, "indicators"), f"{what} names unknown indicator '{name}'", "define it under 'indicators:' or use one of: " + (", ".join(indicators) or "none"))
    administrative = check.text(raw, "administrative", what)
    if not named and not administrative:
        check.problem(_line(raw), f"{what} says neither which indicators follow it up nor that it is followed up by administrative data", "add 'indicators: [...]', or 'administrative:' with a note on the data the city uses")
    if named and administrative:
        check.problem(_line(raw, "administrative"), f"{what} has both indicators and 'administrative'", "keep one: administrative data means no survey figure is shown")
    actions = []
    for entry in check.listing(raw, "actions", what):
        if check.keys(entry, {"date": True, "text": True, "done": False}, f"an action of {rid}"):
            day = check.day(entry, "date", f"an action of {rid}")
            if day:
                actions.append(Action(day, check.text(entry, "text", f"an action of {rid}"), bool(entry.get("done", False))))
    history = []
    for entry in check.listing(raw, "history", what):
        if not check.keys(entry, {"date": True, "status": True, "by": True, "comment": False}, f"a change of {rid}"):
            continue
        day = check.day(entry, "date", f"a change of {rid}")
        to = entry.get("status")
        if to not in STATUSES:
            check.problem(_line(entry, "status"), f"unknown status '{to}' in the history of {rid}", "use one of: " + ", ".join(STATUSES))
            continue
        if not history and to not in INITIAL_STATUSES:
            check.problem(_line(entry, "status"), f"the history of {rid} starts with '{to}'", "start with " + " or ".join(INITIAL_STATUSES))
        elif history and to not in STATUSES[history[-1].status]:
            check.problem(_line(entry, "status"), f"{rid} cannot go from '{history[-1].status}' to '{to}'", "allowed next: " + ", ".join(STATUSES[history[-1].status]))
        if day and history and day < history[-1].date:
            check.problem(_line(entry, "date"), f"the history of {rid} goes back in time on {day.isoformat()}", "keep the changes in date order; add a new change instead of editing an old one")
        if day:
            history.append(Change(day, to, check.text(entry, "by", f"a change of {rid}"), check.text(entry, "comment", f"a change of {rid}", required=False)))
    if not history:
        check.problem(_line(raw, "history") or _line(raw), f"the history of {rid} is empty", "add the first change: date, status and who decided")
    elif status in STATUSES and history[-1].status != status:
        check.problem(_line(raw, "status"), f"{rid} has status '{status}' but its last change says '{history[-1].status}'", f"add a change to '{status}' at the end of 'history:'")
    return FollowUp(
        recommendation=str(rid),
        status=status if status in STATUSES else "planned",
        service=check.text(raw, "service", what),
        note=check.text(raw, "note", what),
        indicators=tuple(named),
        administrative=administrative,
        reason=reason,
        actions=tuple(sorted(actions, key=lambda a: a.date)),
        history=tuple(history),
        line=_line(raw),
    )


def read_plan(document, check: _Checker, definitions: dict[str, Definition]) -> Plan | None:
    allowed = {"slug": True, "published": False, "placeholder": False, "baseline": False, "indicators": False, "recommendations": True}
    if not check.keys(document, allowed, "the follow-up file"):
        return None
    slug = document.get("slug")
    definition = definitions.get(slug)
    if definition is None:
        check.problem(_line(document, "slug"), f"'{slug}' is not a questionnaire of the content package", "use the slug of a questionnaire file: " + ", ".join(sorted(definitions)))
        return None
    if Path(check.file).stem != slug:
        check.problem(_line(document, "slug"), f"slug '{slug}' differs from the file name", f"rename the file to {FOLDER}/{slug}.yaml")
    variables = {v.name: v for v in definition_variables(definition, free_text=False)}
    indicators = {}
    raw_indicators = document.get("indicators") or {}
    for key, raw in raw_indicators.items() if isinstance(raw_indicators, dict) else ():
        indicator = read_indicator(key, raw, check, variables, definition)
        if indicator:
            indicators[indicator.key] = indicator
    records = {}
    raw_records = document.get("recommendations") or {}
    if not isinstance(raw_records, dict):
        check.problem(_line(document, "recommendations"), "'recommendations' must be 'id: record' lines", "see docs/followup.md")
        raw_records = {}
    for rid, raw in raw_records.items():
        if rid not in definition.recommendations:
            check.problem(_line(raw_records, rid), f"'{rid}' is not a recommendation of {definition.file}", "use one of: " + ", ".join(definition.recommendations))
            continue
        record = read_record(rid, raw, check, indicators)
        if record:
            records[str(rid)] = record
    for rid in definition.recommendations:
        if rid not in raw_records:
            check.problem(_line(raw_records) or _line(document), f"recommendation {rid} has no follow-up record", f"add '{rid}:' with its status, service, note and history")
    flags = {}
    for key in ("published", "placeholder"):
        flags[key] = document.get(key, False)
        if not isinstance(flags[key], bool):
            check.problem(_line(document, key), f"'{key}' must be true or false", "write true or false")
    baseline = document.get("baseline")
    if baseline is not None and not isinstance(baseline, str):
        check.problem(_line(document, "baseline"), "'baseline' must be the key of a wave", "write the key of a wave of waves.yaml, like nulmeting_2026")
        baseline = None
    return Plan(
        slug,
        indicators,
        records,
        check.file,
        published=flags["published"] is True,
        placeholder=flags["placeholder"] is True,
        baseline=baseline,
        baseline_line=_line(document, "baseline"),
    )


def _baseline_problems(package: FollowUpPackage) -> list[Problem]:
    """Return a problem for each Denktafel whose baseline names no wave (read after all files: waves.yaml comes last)."""
    keys = [wave.key for wave in package.waves]
    return [
        Problem(plan.file, plan.baseline_line, f"baseline '{plan.baseline}' of '{slug}' is not a wave", "use the key of a wave of waves.yaml: " + ", ".join(keys))
        for slug, plan in sorted(package.plans.items())
        if plan.baseline is not None and keys and plan.baseline not in keys
    ]


def _read_file(path: Path, label: str):
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return None, [Problem(label, None, f"the file cannot be read ({error})", "save it as UTF-8 text")]
    return read_yaml(text, file=label)


def read_followup(directory: Path, definitions: list[Definition]) -> tuple[FollowUpPackage, list[Problem]]:
    """Return the follow-up package in directory/followup and every problem found in it."""
    folder = Path(directory) / FOLDER
    package, problems = FollowUpPackage(), []
    if not folder.is_dir():
        return package, problems  # a content package without follow-up yet
    by_slug = {d.slug: d for d in definitions}
    variables: dict[str, list[Variable]] = {}
    for definition in definitions:
        for variable in definition_variables(definition, free_text=False):
            variables.setdefault(variable.name, []).append(variable)
    for path in sorted(folder.glob("*.yaml")):
        label = f"{FOLDER}/{path.name}"
        document, found = _read_file(path, label)
        problems += found
        if document is None:
            continue
        check = _Checker(label)
        if path.name == WAVES_FILE:
            package.waves = read_waves(document, check)
        elif path.name == POPULATION_FILE:
            package.population = read_population(document, check, variables)
        else:
            plan = read_plan(document, check, by_slug)
            if plan:
                package.plans[plan.slug] = plan
        problems += check.problems
    problems += _baseline_problems(package)
    if not (folder / WAVES_FILE).exists():
        problems.append(Problem(FOLDER, None, "there is no waves file", f"add {FOLDER}/{WAVES_FILE} with the fieldwork periods"))
    if not (folder / POPULATION_FILE).exists():
        problems.append(Problem(FOLDER, None, "there is no population file", f"add {FOLDER}/{POPULATION_FILE} (see docs/followup.md)"))
    return package, problems


def empty_waves(package: FollowUpPackage, counts: dict[str, list[int]], *, today: datetime.date) -> list[Problem]:
    """Return a problem per ended wave, from the Denktafel's baseline on, in which a Denktafel with a follow-up has no response.

    counts: slug -> the number of responses per wave, in the order of package.waves.
    """
    problems = []
    for slug, plan in sorted(package.plans.items()):
        followed = set(plan.waves_from_baseline(package.waves))
        for wave, count in zip(package.waves, counts.get(slug, [0] * len(package.waves))):
            if wave in followed and wave.end < today and not count:
                problems.append(Problem(f"{FOLDER}/{WAVES_FILE}", wave.line, f"wave '{wave.key}' ended on {wave.end.isoformat()} with no response to '{slug}'", "correct the wave's dates, or load the responses of that period"))
    return problems


_CACHE: dict[str, tuple[tuple, FollowUpPackage, list[Problem]]] = {}


def content_signature(directory: Path) -> tuple:
    """Return what changes when any content file changes: names, sizes and modification times."""
    files = sorted(Path(directory).glob("*.yaml")) + sorted((Path(directory) / "lists").glob("*.yaml")) + sorted((Path(directory) / FOLDER).glob("*.yaml"))
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)


def load_followup(directory: Path, stored: list[tuple[tuple, Definition]] | None = None) -> tuple[FollowUpPackage, list[Problem]]:
    """Return the follow-up package of a content folder, read again only when a file changed.

    stored: the questionnaires as the database holds them ((id, hash) and definition, the version a
    plan follows last per slug): the pages check the follow-up against what residents answer and
    need not parse every questionnaire file again. Without it the files are read (the check command).
    """
    from ..content.reader import read_package

    key = (str(Path(directory).resolve()), tuple(k for k, _ in stored) if stored is not None else None)
    signature = content_signature(directory)
    kept = _CACHE.get(key)
    if kept is None or kept[0] != signature:
        if stored is None:
            definitions, problems = read_package(Path(directory))
        else:
            definitions, problems = [d for _, d in stored], []
        package, found = read_followup(Path(directory), definitions)
        kept = _CACHE[key] = (signature, package, problems + found)
    return kept[1], kept[2]


def load_waves(directory: Path) -> tuple[Wave, ...]:
    """Return the waves of followup/waves.yaml (none when the file is missing or has mistakes: `questionnaires check` names them)."""
    path = Path(directory) / FOLDER / WAVES_FILE
    if not path.exists():
        return ()
    document, problems = _read_file(path, f"{FOLDER}/{WAVES_FILE}")
    if document is None or problems:
        return ()
    check = _Checker(f"{FOLDER}/{WAVES_FILE}")
    waves = read_waves(document, check)
    return () if check.problems else waves

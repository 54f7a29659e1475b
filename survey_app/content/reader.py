"""Build a Definition from a questionnaire file, collecting every mistake as a Problem."""

import datetime
import difflib
import re
from pathlib import Path

from .definition import FULL_FORM, Definition, Option, Page, Question
from .expressions import ExpressionError, parse_expression
from .problems import Problem
from .skiplogic import skip_logic_problems
from .types import COMMON_KEYS, DEFAULT_MAX_LENGTH, QUESTION_TYPES, SOURCE_KINDS
from .yamlfile import LineMapping, read_yaml
from ..workflow import STATES

TOP_KEYS = {
    "slug": True,
    "version": True,
    "state": True,
    "title": True,
    "table": True,
    "central_question": True,
    "intro": True,
    "consent": True,
    "consent_assisted": False,
    "forms": False,
    "recommendations": True,
    "pages": True,
    "k_anonymity": False,
    "notes": False,
    "release_period": False,
}
PAGE_KEYS = {"key": True, "title": True, "questions": True, "show_if": False}
INCLUDE_KEYS = {"include": True}
MODULES = "modules"  # the folder of pages that several questionnaires include
GROUP_KEYS = {"label": True, "options": True}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEY = re.compile(r"^[a-z][a-z0-9_]{0,23}$")
VALUE = re.compile(r"^[a-z0-9][a-z0-9_]{0,31}$")
RECOMMENDATION_ID = re.compile(r"^[A-Z]{2}[0-9]+[a-z]?$")
MAX_VARIABLE = 32  # Stata's limit for variable names


def _line(mapping, key=None):
    if isinstance(mapping, LineMapping):
        return mapping.line_of(key) if key is not None else mapping.line
    return None


def _plain(value):
    """Return value with LineMappings turned into plain dicts (for JSON)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class _Builder:
    def __init__(self, file: str, lists: dict[str, dict], modules: dict[str, dict] | None = None):
        self.file = file
        self.lists = lists
        self.modules = modules or {}
        self.problems: list[Problem] = []

    def problem(self, line, message, fix):
        self.problems.append(Problem(self.file, line, message, fix))

    def check_keys(self, mapping, allowed: dict[str, bool] | set, what: str):
        """Report unknown and missing keys of a mapping."""
        required = [k for k, needed in allowed.items() if needed] if isinstance(allowed, dict) else []
        for key in mapping:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), [str(a) for a in allowed], n=1)
                hint = f"did you mean '{close[0]}'?" if close else "remove it"
                self.problem(_line(mapping, key), f"unknown key '{key}' in {what}", hint)
        for key in required:
            if key not in mapping:
                self.problem(_line(mapping), f"{what} has no '{key}'", f"add '{key}:'")

    def text(self, mapping, key, what, *, required=True) -> str:
        value = mapping.get(key)
        if value is None:
            return ""  # missing keys are reported by check_keys
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem(_line(mapping, key), f"'{key}' of {what} must be text", "write the text after the colon")
            return ""
        return value.strip()

    def release_period(self, document) -> str:
        value = document.get("release_period", "quarter")
        if value not in ("month", "quarter", "wave"):
            self.problem(_line(document, "release_period"), f"unknown release period '{value}'", "write 'release_period: quarter', 'month' or 'wave' (the waves of followup/waves.yaml)")
            return "quarter"
        return value

    def integer(self, mapping, key, what, *, low=None, high=None):
        value = mapping.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(_line(mapping, key), f"'{key}' of {what} must be a whole number", "write a number like 5")
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            self.problem(
                _line(mapping, key),
                f"'{key}' of {what} is {value}, outside {low} to {high}",
                f"choose a number from {low} to {high}",
            )
            return None
        return value

    def boolean(self, mapping, key, what, default):
        value = mapping.get(key, default)
        if not isinstance(value, bool):
            self.problem(_line(mapping, key), f"'{key}' of {what} must be true or false", "write true or false")
            return default
        return value

    def options(self, mapping, key, what) -> tuple[Option, ...]:
        if "options_from" in mapping:
            if "options" in mapping:
                self.problem(
                    _line(mapping, "options_from"),
                    f"{what} has both 'options' and 'options_from'",
                    "keep one of them",
                )
            name = mapping["options_from"]
            if name not in self.lists:
                known = ", ".join(sorted(self.lists)) or "none"
                self.problem(
                    _line(mapping, "options_from"),
                    f"unknown option list '{name}' in {what}",
                    f"use one of the lists in lists/ ({known}), or add lists/{name}.yaml",
                )
                return ()
            raw = self.lists[name]
        else:
            raw = mapping.get(key)
        if not isinstance(raw, dict) or not raw:
            self.problem(
                _line(mapping, key) or _line(mapping),
                f"{what} needs '{key}': a list of 'value: label' lines",
                f"add '{key}:' with one line per answer, like 'loket: Aan het loket'",
            )
            return ()
        result = []
        for value, label in raw.items():
            if isinstance(label, dict) and key == "options":
                result += self.option_group(raw, value, label, what)
                continue
            value_text = str(value)
            if not VALUE.match(value_text):
                self.problem(
                    _line(raw, value),
                    f"option value '{value}' in {what} is not a short code",
                    "use lowercase letters, digits and '_' (at most 32), like 'op_afspraak'",
                )
            if not isinstance(label, str) or not label.strip():
                self.problem(
                    _line(raw, value),
                    f"option '{value}' in {what} has no label",
                    f"write the label after '{value}:'",
                )
                continue
            result.append(Option(value_text, label.strip()))
        return tuple(result)

    def option_group(self, raw, value, group, what) -> list[Option]:
        """Return the options of a group (a district above its neighbourhoods), each knowing its group."""
        self.check_keys(group, GROUP_KEYS, f"group '{value}' of {what}")
        if not VALUE.match(str(value)):
            self.problem(_line(raw, value), f"group value '{value}' in {what} is not a short code", "use lowercase letters, digits and '_', like 'noord'")
        label = group.get("label")
        inner = group.get("options")
        if not isinstance(label, str) or not isinstance(inner, dict) or any(isinstance(v, dict) for v in inner.values()):
            self.problem(
                _line(raw, value),
                f"group '{value}' in {what} needs 'label:' and 'options:' with 'value: label' lines",
                "write 'label: Name of the group' and under 'options:' one line per answer",
            )
            return []
        options = self.options(group, "options", f"group '{value}' of {what}")
        return [Option(o.value, o.label, group=str(value), group_label=label.strip()) for o in options]

    def expression(self, mapping, key, what):
        source = mapping.get(key)
        if source is None:
            return None
        if not isinstance(source, str) or not source.strip():
            self.problem(_line(mapping, key), f"'{key}' of {what} must be an expression", "see 'Expressions' in README.md")
            return None
        try:
            return parse_expression(source)
        except ExpressionError as error:
            self.problem(_line(mapping, key), f"'{key}' of {what} cannot be read: {error.message}", "see 'Expressions' in README.md")
            return None

    def bound(self, mapping, key, qtype, what):
        value = mapping.get(key)
        if value is None:
            return None
        if qtype == "date":
            if isinstance(value, datetime.date):
                return value.isoformat()
            try:
                return datetime.date.fromisoformat(str(value)).isoformat()
            except ValueError:
                self.problem(_line(mapping, key), f"'{key}' of {what} is not a date", "write it as YYYY-MM-DD")
                return None
        return self.integer(mapping, key, what)

    def question(self, mapping, seen_keys: dict[str, int]) -> Question | None:
        if not isinstance(mapping, dict):
            self.problem(None, "a question is not a list of 'key: value' lines", "start each question with '- key:'")
            return None
        key = mapping.get("key")
        what = f"question '{key}'" if key else "a question"
        qtype = mapping.get("type")
        if qtype not in QUESTION_TYPES:
            close = difflib.get_close_matches(str(qtype), QUESTION_TYPES, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "use one of: " + ", ".join(QUESTION_TYPES)
            self.problem(_line(mapping, "type"), f"unknown question type '{qtype}' in {what}", hint)
            allowed = set(COMMON_KEYS) | {k for t in QUESTION_TYPES.values() for k in t.extra_keys}
            self.check_keys(mapping, dict.fromkeys(allowed, False), what)
            return None
        spec = QUESTION_TYPES[qtype]
        required_keys = {"key": True, "type": True, "text": True, "recommendations": True, "source": True}
        allowed = {k: required_keys.get(k, False) for k in COMMON_KEYS | spec.extra_keys}
        self.check_keys(mapping, allowed, what)
        if not isinstance(key, str) or not KEY.match(key):
            self.problem(
                _line(mapping, "key"),
                f"question key '{key}' is not valid",
                "use lowercase letters, digits and '_', start with a letter, at most 24 characters",
            )
            return None
        if key in seen_keys:
            self.problem(
                _line(mapping, "key"),
                f"duplicate question key '{key}' (first on line {seen_keys[key]})",
                "give each question a unique key",
            )
            return None
        seen_keys[key] = _line(mapping, "key")
        recommendations = mapping.get("recommendations", [])
        if not isinstance(recommendations, list):
            self.problem(_line(mapping, "recommendations"), f"'recommendations' of {what} must be a list", "write it like [SD1, SD2] or []")
            recommendations = []
        options = self.options(mapping, "options", what) if spec.has_options and not (
            qtype == "matrix" and mapping.get("scale") == "agreement"
        ) else ()
        items = ()
        if qtype == "matrix":
            items = self.options(mapping, "items", what)
            scale = mapping.get("scale")
            if scale not in (None, "agreement"):
                self.problem(_line(mapping, "scale"), f"unknown scale '{scale}' in {what}", "write 'scale: agreement' or give 'options'")
            if scale == "agreement" and "options" in mapping:
                self.problem(_line(mapping, "options"), f"{what} has both 'scale' and 'options'", "keep one of them")
            for item in items:
                name = f"{key}_{item.value}"
                if len(name) > MAX_VARIABLE:
                    self.problem(
                        _line(mapping, "items"),
                        f"variable '{name}' is longer than {MAX_VARIABLE} characters",
                        "use a shorter question key or item key",
                    )
                if name in seen_keys:
                    self.problem(_line(mapping, "items"), f"variable '{name}' is used twice", "rename the item or the other question")
                seen_keys[name] = _line(mapping, "items")
        minimum = self.bound(mapping, "min", qtype, what)
        maximum = self.bound(mapping, "max", qtype, what)
        if qtype == "year":
            minimum = 1900 if minimum is None else minimum
            maximum = datetime.date.today().year if maximum is None else maximum
        if minimum is not None and maximum is not None and minimum > maximum:
            self.problem(_line(mapping, "min"), f"'min' of {what} is larger than 'max'", "swap them")
        exclusive = mapping.get("exclusive", [])
        if not isinstance(exclusive, list):
            exclusive = [exclusive]
        option_values = {o.value for o in options}
        for value in exclusive:
            if str(value) not in option_values:
                self.problem(_line(mapping, "exclusive"), f"'exclusive' names '{value}', which is not an option of {what}", "name an option value")
        source_kind = mapping.get("source_kind")
        if source_kind is not None and source_kind not in SOURCE_KINDS:
            self.problem(
                _line(mapping, "source_kind"),
                f"unknown source_kind '{source_kind}' in {what}",
                "write verbatim (the source's words and scale), adapted (changed) or own (our own question)",
            )
            source_kind = None
        constraint = self.expression(mapping, "constraint", what)
        if constraint and not mapping.get("constraint_message"):
            self.problem(_line(mapping, "constraint"), f"{what} has a constraint but no 'constraint_message'", "add 'constraint_message:' in plain words")
        return Question(
            key=key,
            type=qtype,
            text=self.text(mapping, "text", what),
            line=_line(mapping, "key"),
            help=self.text(mapping, "help", what, required=False),
            required=self.boolean(mapping, "required", what, False),
            options=options,
            items=items,
            recommendations=tuple(str(r) for r in recommendations),
            source=self.text(mapping, "source", what),
            show_if=self.expression(mapping, "show_if", what),
            constraint=constraint,
            constraint_message=self.text(mapping, "constraint_message", what, required=False),
            quasi_identifier=self.boolean(mapping, "quasi_identifier", what, False),
            not_quasi_identifier=self.text(mapping, "not_quasi_identifier", what),
            minimum=minimum,
            maximum=maximum,
            max_length=self.integer(mapping, "max_length", what, low=1, high=10000)
            or DEFAULT_MAX_LENGTH.get(qtype),
            min_choices=self.integer(mapping, "min_choices", what, low=0, high=100),
            max_choices=self.integer(mapping, "max_choices", what, low=1, high=100),
            exclusive=tuple(str(v) for v in exclusive),
            not_applicable=self.boolean(mapping, "not_applicable", what, True),
            dont_know=self.dont_know(mapping, qtype, what),
            low_label=self.text(mapping, "low_label", what, required=False),
            high_label=self.text(mapping, "high_label", what, required=False),
            scale=mapping.get("scale"),
            source_kind=source_kind,
            source_text=self.text(mapping, "source_text", what, required=False),
            notes=self.text(mapping, "notes", what, required=False),
        )

    def dont_know(self, mapping, qtype, what) -> bool:
        """Return 'dont_know' of an agreement question or matrix; a choice list says it as an option."""
        dont_know = self.boolean(mapping, "dont_know", what, False)
        if dont_know and qtype == "matrix" and mapping.get("scale") != "agreement":
            self.problem(
                _line(mapping, "dont_know"),
                f"{what} has 'dont_know' but its items are not on the agreement scale",
                "add an option like 'weet_niet: Dat weet ik niet' to its options instead",
            )
            return False
        return dont_know

    def page(self, mapping, seen_pages, seen_keys) -> Page | None:
        if not isinstance(mapping, dict):
            self.problem(None, "a page is not a list of 'key: value' lines", "start each page with '- key:'")
            return None
        if "include" in mapping:
            return self.included_page(mapping, seen_pages, seen_keys)
        key = mapping.get("key")
        what = f"page '{key}'" if key else "a page"
        self.check_keys(mapping, PAGE_KEYS, what)
        if not isinstance(key, str) or not KEY.match(key):
            self.problem(_line(mapping, "key"), f"page key '{key}' is not valid", "use lowercase letters, digits and '_'")
        elif key in seen_pages:
            self.problem(_line(mapping, "key"), f"duplicate page key '{key}'", "give each page a unique key")
        seen_pages.add(key)
        raw_questions = mapping.get("questions")
        if not isinstance(raw_questions, list) or not raw_questions:
            self.problem(_line(mapping, "questions") or _line(mapping), f"{what} has no questions", "add 'questions:' with at least one question")
            raw_questions = []
        questions = [self.question(q, seen_keys) for q in raw_questions]
        return Page(
            key=str(key),
            title=self.text(mapping, "title", what),
            questions=tuple(q for q in questions if q is not None),
            line=_line(mapping),
            show_if=self.expression(mapping, "show_if", what),
        )

    def included_page(self, mapping, seen_pages, seen_keys) -> Page | None:
        """Build the page of a module in modules/; its mistakes name the module's file."""
        self.check_keys(mapping, INCLUDE_KEYS, "an included page")
        name = mapping.get("include")
        module = self.modules.get(name) if isinstance(name, str) else None
        if module is None:
            known = ", ".join(sorted(self.modules)) or "none"
            self.problem(
                _line(mapping, "include"),
                f"unknown module '{name}' in 'include'",
                f"use one of the modules in {MODULES}/ ({known}), or add {MODULES}/{name}.yaml",
            )
            return None
        if isinstance(module, dict) and "include" in module:
            self.problem(_line(module, "include"), f"module '{name}' includes another module", "copy its questions into the module instead")
            return None
        outer, self.file = self.file, f"{MODULES}/{name}.yaml"
        try:
            return self.page(module, seen_pages, seen_keys)
        finally:
            self.file = outer

    def forms(self, document, pages) -> dict[str, tuple[str, ...]]:
        """Return the shorter forms: name -> the question keys it keeps, each checked against the pages."""
        raw = document.get("forms")
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.problem(_line(document, "forms"), "'forms' must be a list of 'name: [question keys]' lines", "write it like 'kort: [kanaal, rol, leeftijdsgroep]'")
            return {}
        questions = {q.key: (page, q) for page in pages for q in page.questions}
        variables = {name: q.key for page in pages for q in page.questions for name in q.variables}
        result = {}
        for name, listed in raw.items():
            what = f"form '{name}'"
            if not isinstance(name, str) or not KEY.match(name) or name == FULL_FORM:
                self.problem(_line(raw, name), f"form name '{name}' is not valid", f"use lowercase letters, like 'kort' ('{FULL_FORM}' is every question)")
                continue
            if not isinstance(listed, list) or not listed:
                self.problem(_line(raw, name), f"{what} names no questions", f"write the question keys in brackets, like '{name}: [kanaal, rol]'")
                continue
            keys = [str(k) for k in listed]
            for key in keys:
                if key not in questions:
                    close = difflib.get_close_matches(key, list(questions), n=1)
                    hint = f"did you mean '{close[0]}'?" if close else "use the key of a question in this file"
                    self.problem(_line(raw, name), f"{what} names '{key}', which is not a question of this file", hint)
            kept = {k for k in keys if k in questions}
            for key in sorted(kept, key=list(questions).index):
                page, question = questions[key]
                expressions = [e for e in (page.show_if, question.show_if, question.constraint) if e]
                needed = {variables[n] for e in expressions for n in e.names if n in variables}
                for missing in sorted(needed - kept):
                    self.problem(
                        _line(raw, name),
                        f"{what} keeps '{key}', whose skip logic or constraint uses '{missing}', which the form leaves out",
                        f"add '{missing}' to {what}, or leave '{key}' out of it",
                    )
            result[name] = tuple(k for k in questions if k in kept)
        return result

    def definition(self, document) -> Definition | None:
        if not isinstance(document, dict):
            self.problem(1, "the file is not a list of 'key: value' lines", "start with 'slug:', 'version:' and the other keys in README.md")
            return None
        self.check_keys(document, TOP_KEYS, "the questionnaire")
        slug = document.get("slug")
        if not isinstance(slug, str) or not SLUG.match(slug):
            self.problem(_line(document, "slug"), f"slug '{slug}' is not valid", "use lowercase letters, digits and '-'")
        elif self.file.endswith(".yaml") and Path(self.file).stem != slug:
            self.problem(_line(document, "slug"), f"slug '{slug}' differs from the file name", f"rename the file to {slug}.yaml or change the slug")
        version = self.integer(document, "version", "the questionnaire", low=1, high=10**6)
        state = document.get("state")
        if state not in STATES:
            self.problem(_line(document, "state"), f"unknown state '{state}'", "use one of: " + ", ".join(STATES))
        recommendations = document.get("recommendations")
        if not isinstance(recommendations, dict):
            recommendations = {}
        for rid, text in recommendations.items():
            if not RECOMMENDATION_ID.match(str(rid)):
                self.problem(_line(recommendations, rid), f"recommendation id '{rid}' is not valid", "use two capital letters and a number, like SD1 or WE2a")
            if not isinstance(text, str) or not text.strip():
                self.problem(_line(recommendations, rid), f"recommendation '{rid}' has no text", "write its text after the colon")
        raw_pages = document.get("pages")
        if not isinstance(raw_pages, list) or not raw_pages:
            self.problem(_line(document, "pages"), "the questionnaire has no pages", "add 'pages:' with at least one page")
            raw_pages = []
        seen_pages: set[str] = set()
        seen_keys: dict[str, int] = {}
        pages = tuple(p for p in (self.page(raw, seen_pages, seen_keys) for raw in raw_pages) if p)
        for question in (q for p in pages for q in p.questions):
            for rid in question.recommendations:
                if rid not in recommendations:
                    self.problem(question.line, f"question '{question.key}' follows up '{rid}', which is not a recommendation of this file", "use an id from 'recommendations:'")
        self.problems += skip_logic_problems(pages, file=self.file)
        forms = self.forms(document, pages)
        if self.problems:
            return None
        return Definition(
            slug=slug,
            version=version,
            state=state,
            title=self.text(document, "title", "the questionnaire"),
            table=self.text(document, "table", "the questionnaire"),
            central_question=self.text(document, "central_question", "the questionnaire"),
            intro=self.text(document, "intro", "the questionnaire"),
            consent=self.text(document, "consent", "the questionnaire"),
            consent_assisted=self.text(document, "consent_assisted", "the questionnaire", required=False),
            forms=forms,
            recommendations={str(k): v.strip() for k, v in recommendations.items()},
            pages=pages,
            k_anonymity=self.integer(document, "k_anonymity", "the questionnaire", low=2, high=100) or 5,
            release_period=self.release_period(document),
            file=self.file,
            notes=self.text(document, "notes", "the questionnaire", required=False),
        )


def resolve_includes(document, modules: dict[str, dict]):
    """Return the document with each '- include: name' page replaced by the module's page.

    The module's mappings keep their own lines; unknown modules are left for the reader to report.
    """
    if not isinstance(document, dict) or not isinstance(document.get("pages"), list):
        return document
    pages = [
        modules[page["include"]]
        if isinstance(page, dict) and isinstance(page.get("include"), str) and page["include"] in modules
        else page
        for page in document["pages"]
    ]
    resolved = LineMapping(document)
    resolved.line, resolved.key_lines = getattr(document, "line", None), getattr(document, "key_lines", {})
    resolved["pages"] = pages
    return resolved


def normalise(document, lists: dict[str, dict], modules: dict[str, dict] | None = None) -> dict:
    """Return the document as plain data with modules and option lists resolved (what a version stores)."""
    plain = _plain(resolve_includes(document, modules or {}))
    for page in plain.get("pages", []):
        for question in page.get("questions", []):
            name = question.pop("options_from", None)
            if name is not None:
                question["options"] = {str(k): v for k, v in lists[name].items()}
    return plain


def build_definition(document, *, file: str, lists: dict[str, dict] | None = None, modules: dict[str, dict] | None = None):
    """Return (definition or None, problems) for a parsed questionnaire document."""
    builder = _Builder(file, lists or {}, modules)
    definition = builder.definition(document)
    if definition is None:
        return None, builder.problems
    stored = normalise(document, lists or {}, modules)
    return Definition(**{**definition.__dict__, "source_mapping": stored}), []


def read_lists(directory: Path) -> tuple[dict[str, dict], list[Problem]]:
    """Return the shared option lists in directory/lists, and problems reading them."""
    lists, problems = {}, []
    folder = directory / "lists"
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        document, found = read_yaml(path.read_text(encoding="utf-8"), file=f"lists/{path.name}")
        problems += found
        if not isinstance(document, dict) or not document:
            problems.append(Problem(f"lists/{path.name}", 1, "an option list must be 'value: label' lines", "write one line per answer, like 'centrum: Centrum'"))
            continue
        lists[path.stem] = document
    return lists, problems


def read_modules(directory: Path) -> tuple[dict[str, dict], list[Problem]]:
    """Return the pages in directory/modules that questionnaires include, and problems reading them."""
    modules, problems = {}, []
    folder = directory / MODULES
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        name = f"{MODULES}/{path.name}"
        document, found = read_yaml(path.read_text(encoding="utf-8"), file=name)
        problems += found
        if not isinstance(document, dict):
            problems.append(Problem(name, 1, "a module must be one page: 'key:', 'title:' and 'questions:'", "write the page as in a questionnaire's 'pages:', without the '-'"))
            continue
        modules[path.stem] = document
    return modules, problems


def read_questionnaire(path: Path, lists: dict[str, dict], modules: dict[str, dict] | None = None):
    """Return (definition or None, problems) for one questionnaire file."""
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        return None, [Problem(name, None, f"the file is not UTF-8 text ({error.reason})", "save it as UTF-8")]
    except OSError as error:
        return None, [Problem(name, None, f"the file cannot be read ({error.strerror})", "check that it exists and can be read")]
    document, problems = read_yaml(text, file=name)
    if document is None and problems:
        return None, problems
    definition, found = build_definition(document, file=name, lists=lists, modules=modules)
    problems = problems + found
    return (None if problems else definition), problems


def read_package(directory: Path, *, only: list[str] | None = None):
    """Return (definitions, problems) for every questionnaire file in directory."""
    directory = Path(directory)
    if not directory.is_dir():
        return [], [Problem(str(directory), None, "the questionnaire folder does not exist", "set QUESTIONNAIRES_DIR to the folder with the .yaml files")]
    lists, problems = read_lists(directory)
    modules, found = read_modules(directory)
    problems += found
    definitions = []
    paths = sorted(directory.glob("*.yaml"))
    if only:
        wanted = {Path(name).name for name in only}
        missing = wanted - {p.name for p in paths}
        problems += [Problem(name, None, "no such questionnaire file", f"use one of: {', '.join(p.name for p in paths)}") for name in sorted(missing)]
        paths = [p for p in paths if p.name in wanted]
    seen: dict[str, str] = {}
    for path in paths:
        definition, found = read_questionnaire(path, lists, modules)
        problems += found
        if definition:
            if definition.slug in seen:
                problems.append(Problem(path.name, 1, f"slug '{definition.slug}' is also used by {seen[definition.slug]}", "give each questionnaire its own slug"))
                continue
            seen[definition.slug] = path.name
            definitions.append(definition)
    return definitions, problems

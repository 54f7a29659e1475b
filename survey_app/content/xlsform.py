"""XLSForm (the spreadsheet format of KoboToolbox and ODK) out of and into our questionnaire format.

Export writes a workbook that other tools read as it stands: pages become field-list groups,
our expressions become XPath (`relevant`, `constraint`), every language gets its label column.
What XLSForm has no column for (recommendations, sources, the Denktafel's texts, the
expressions as we write them) goes into extra columns starting with `genk_` and into two extra
sheets, which other tools ignore. Import reads those first, so our own export comes back whole;
a workbook made elsewhere is read from its standard columns, XPath turned back into our
expressions where it can be. No Flask.
"""

import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import openpyxl
import yaml

from .definition import Definition, Question
from .expressions import ExpressionError, parse_expression
from .extract import message_context
from .problems import Problem
from .types import DONT_KNOW, NOT_APPLICABLE
from ..languages import LANGUAGES, SOURCE_LANGUAGE

# The agreement scale as the resident reads it (web/forms.py holds the translated labels).
AGREEMENT_LABELS = {1: "Helemaal oneens", 2: "Oneens", 3: "Niet eens, niet oneens", 4: "Eens",
                    5: "Helemaal eens", DONT_KNOW: "Weet ik niet", NOT_APPLICABLE: "Niet van toepassing"}
# By (dont_know, not_applicable): one list per variant of the scale.
AGREEMENT_LISTS = {(False, True): "agreement", (False, False): "agreement_no_na",
                   (True, True): "agreement_dk", (True, False): "agreement_dk_no_na"}

# Our type -> the XLSForm type (select types get the list name after a space).
XLSFORM_TYPES = {
    "single_choice": "select_one",
    "multiple_choice": "select_multiple",
    "agreement": "select_one",
    "scale": "range",
    "number": "integer",
    "year": "integer",
    "date": "date",
    "text": "text",
    "long_text": "text",
}
# An XLSForm type -> ours, for workbooks made elsewhere.
FROM_XLSFORM = {"select_one": "single_choice", "select_multiple": "multiple_choice", "integer": "number",
                "decimal": "number", "text": "text", "date": "date", "range": "scale"}
# Per-question keys of ours that XLSForm has no column for: column genk_<key>.
EXTRA_KEYS = ("type", "show_if", "constraint", "recommendations", "source", "source_kind", "source_text",
              "quasi_identifier", "not_quasi_identifier", "min", "max", "max_length", "min_choices", "max_choices",
              "exclusive", "not_applicable", "low_label", "high_label", "scale", "notes", "dont_know")
TOP_KEYS = ("slug", "version", "state", "title", "table", "central_question", "intro", "consent", "consent_assisted",
            "k_anonymity", "notes")
FORM_PREFIX = "forms."  # a shorter form in the genk_questionnaire sheet: forms.kort | the question keys it keeps
QUESTIONNAIRE_SHEET, RECOMMENDATION_SHEET = "genk_questionnaire", "genk_recommendations"


def language_column(code: str) -> str:
    """Return the XLSForm name of a language: 'Nederlands (nl)'."""
    return f"{LANGUAGES[code].name} ({code})"


# -- our expressions as XPath


def to_xpath(node, *, own: str | None = None) -> str:
    """Return an expression tree of ours as XPath 1.0 the way XLSForm writes it."""
    kind = node[0]
    if kind == "const":
        value = node[1]
        if value is None:
            return "''"
        if isinstance(value, bool):
            return "true()" if value else "false()"
        if isinstance(value, str):
            return "'" + value.replace("'", "’") + "'"
        return str(value)
    if kind == "name":
        return "." if node[1] == own else "${" + node[1] + "}"
    if kind in {"and_expr", "or_expr"}:
        joined = f" {'and' if kind == 'and_expr' else 'or'} ".join(to_xpath(part, own=own) for part in node[1:])
        return f"({joined})"
    if kind == "not_":
        return f"not({to_xpath(node[1], own=own)})"
    if kind in {"is_null", "not_null"}:
        return f"{to_xpath(node[1], own=own)} {'=' if kind == 'is_null' else '!='} ''"
    if kind == "call":
        name, arguments = node[1], node[2]
        if name == "year":
            return "number(format-date(today(), '%Y'))"
        inner = to_xpath(arguments[0], own=own)
        return f"count-selected({inner})" if name == "count" else f"string-length({inner}) > 0"
    if kind == "compare":
        operator = "=" if node[1] == "==" else node[1]
        return f"{to_xpath(node[2], own=own)} {operator} {to_xpath(node[3], own=own)}"
    if kind in {"in_", "not_in"}:
        item, collection = node[1], node[2]
        if collection[0] == "list":
            test = " or ".join(f"{to_xpath(item, own=own)} = {to_xpath(v, own=own)}" for v in collection[1:])
        else:
            test = f"selected({to_xpath(collection, own=own)}, {to_xpath(item, own=own)})"
        return f"({test})" if kind == "in_" else f"not({test})"
    if kind == "list":
        raise ValueError("a list only stands after 'in'")
    if kind == "neg":
        return f"-{to_xpath(node[1], own=own)}"
    text = to_xpath(node[1], own=own)  # arith
    for operator, operand in node[2]:
        text = f"{text} {'div' if operator == '/' else operator} {to_xpath(operand, own=own)}"
    return f"({text})"


_XPATH_RULES = (
    (re.compile(r"selected\(\s*\$\{(\w+)\}\s*,\s*('[^']*'|\"[^\"]*\")\s*\)"), r"(\2 in \1)"),
    (re.compile(r"count-selected\(\s*\$\{(\w+)\}\s*\)"), r"count(\1)"),
    (re.compile(r"string-length\(\s*\$\{(\w+)\}\s*\)\s*>\s*0"), r"answered(\1)"),
    (re.compile(r"\$\{(\w+)\}\s*!=\s*''"), r"answered(\1)"),
    (re.compile(r"\$\{(\w+)\}\s*=\s*''"), r"not answered(\1)"),
    (re.compile(r"number\(\s*format-date\(\s*today\(\)\s*,\s*'%Y'\s*\)\s*\)|format-date\(\s*today\(\)\s*,\s*'%Y'\s*\)"), "year()"),
    (re.compile(r"\$\{(\w+)\}"), r"\1"),
    (re.compile(r"(?<![<>!=])=(?!=)"), "=="),
    (re.compile(r"\bdiv\b"), "/"),
    (re.compile(r"\bnot\("), "not ("),
    (re.compile(r"\btrue\(\)"), "true"),
    (re.compile(r"\bfalse\(\)"), "false"),
)


def from_xpath(text: str, *, own: str) -> str:
    """Return XLSForm XPath as one of our expressions (checked by the reader afterwards)."""
    result = re.sub(r"(?<![\w$}])\.(?![\w\d])", own, text.strip())
    for pattern, replacement in _XPATH_RULES:
        result = pattern.sub(replacement, result)
    return result


# -- export


@dataclass
class _Sheet:
    rows: list[dict] = field(default_factory=list)

    def add(self, **row):
        self.rows.append({k: v for k, v in row.items() if v not in (None, "", [])})


def _joined(values) -> str:
    return " ".join(str(v) for v in values)


class _Exporter:
    def __init__(self, definition: Definition, translations: Mapping[str, Mapping]):
        self.definition = definition
        self.translations = translations
        self.survey, self.choices = _Sheet(), _Sheet()
        self.lists_done: set[str] = set()

    def labels(self, column: str, key: str, text: str) -> dict:
        """Return {column::Language (xx): text} for Dutch and each translated language."""
        if not text:
            return {}
        result = {f"{column}::{language_column(SOURCE_LANGUAGE)}": text}
        for code, catalog in self.translations.items():
            translated = catalog.get((message_context(self.definition.slug, key), text))
            if translated:
                result[f"{column}::{language_column(code)}"] = translated
        return result

    def choice_list(self, name: str, options: list[tuple]):
        """Add a list of (value, label, catalog key, option) to the choices sheet, once."""
        if name in self.lists_done:
            return
        self.lists_done.add(name)
        for value, label, key, option in options:
            labels = self.labels("label", key, label) if key else {f"label::{language_column(SOURCE_LANGUAGE)}": label}
            # The level above (a neighbourhood's district): a column a choice_filter can use too.
            group = getattr(option, "group", None)
            self.choices.add(list_name=name, name=str(value), genk_group=group,
                             genk_group_label=getattr(option, "group_label", None) if group else None, **labels)

    def list_for(self, question: Question) -> str:
        if question.is_agreement:
            name = AGREEMENT_LISTS[question.dont_know, question.not_applicable]
            self.choice_list(name, [(v, AGREEMENT_LABELS[v], None, None) for v in question.answer_values])
            return name
        self.choice_list(question.key, [(o.value, o.label, f"{question.key}.option.{o.value}", o) for o in question.options])
        return question.key

    def extras(self, question: Question, raw: Mapping) -> dict:
        extras = {"genk_type": question.type}
        for key in EXTRA_KEYS[1:]:
            value = raw.get(key)
            if value is None or value == []:
                continue
            if isinstance(value, list):
                value = _joined(value)
            elif isinstance(value, bool):
                value = "true" if value else "false"
            extras[f"genk_{key}"] = str(value) if not isinstance(value, (int, float)) else value
        return extras

    def bounds(self, question: Question) -> list[str]:
        tests = []
        if question.type in {"number", "year"}:
            tests += [f". >= {question.minimum}"] if question.minimum is not None else []
            tests += [f". <= {question.maximum}"] if question.maximum is not None else []
        if question.type == "date":
            tests += [f". >= date('{question.minimum}')"] if question.minimum else []
            tests += [f". <= date('{question.maximum}')"] if question.maximum else []
        if question.type == "multiple_choice":
            tests += [f"count-selected(.) >= {question.min_choices}"] if question.min_choices else []
            tests += [f"count-selected(.) <= {question.max_choices}"] if question.max_choices else []
        if question.type in {"text", "long_text"} and question.max_length:
            tests.append(f"string-length(.) <= {question.max_length}")
        if question.constraint is not None:
            tests.append(to_xpath(question.constraint.tree, own=question.key))
        return tests

    def question(self, question: Question, raw: Mapping):
        common = dict(
            name=question.key,
            required="yes" if question.required else None,
            relevant=to_xpath(question.show_if.tree) if question.show_if else None,
            constraint=" and ".join(self.bounds(question)) or None,
            **self.labels("hint", f"{question.key}.help", question.help),
            **self.labels("constraint_message", f"{question.key}.constraint_message", question.constraint_message),
            **self.extras(question, raw),
        )
        if question.type == "matrix":
            name = self.list_for(question)
            self.survey.add(type="begin group", appearance="field-list", **self.labels("label", f"{question.key}.text", question.text), **common)
            for item in question.items:
                self.survey.add(type=f"select_one {name}", name=f"{question.key}_{item.value}",
                                required="yes" if question.required else None,
                                **self.labels("label", f"{question.key}.item.{item.value}", item.label))
            self.survey.add(type="end group", name=question.key)
            return
        kind = XLSFORM_TYPES[question.type]
        if kind in {"select_one", "select_multiple"}:
            kind = f"{kind} {self.list_for(question)}"
        self.survey.add(
            type=kind,
            appearance="multiline" if question.type == "long_text" else None,
            parameters="start=0 end=10 step=1" if question.type == "scale" else None,
            **self.labels("label", f"{question.key}.text", question.text),
            **common,
        )

    def rows(self) -> dict[str, list[dict]]:
        raw_pages = self.definition.source_mapping.get("pages", [])
        for index, page in enumerate(self.definition.pages):
            raw_page = raw_pages[index] if index < len(raw_pages) else {}
            raw_questions = {q.get("key"): q for q in raw_page.get("questions", []) if isinstance(q, dict)}
            self.survey.add(
                type="begin group", name=page.key, appearance="field-list",
                relevant=to_xpath(page.show_if.tree) if page.show_if else None,
                genk_show_if=page.show_if.source if page.show_if else None,
                **self.labels("label", f"page.{page.key}", page.title),
            )
            for question in page.questions:
                self.question(question, raw_questions.get(question.key, {}))
            self.survey.add(type="end group", name=page.key)
        d = self.definition
        top = _Sheet()
        for key in TOP_KEYS:
            value = d.source_mapping.get(key, getattr(d, key, None))
            if value not in (None, ""):
                top.add(key=key, value=value if isinstance(value, int) else str(value))
        for name, keys in (getattr(d, "forms", None) or {}).items():
            top.add(key=f"{FORM_PREFIX}{name}", value=_joined(keys))
        recommendations = _Sheet()
        for rid, text in d.recommendations.items():
            recommendations.add(id=rid, text=text)
        settings = _Sheet()
        settings.add(form_title=d.title, form_id=d.slug, version=str(d.version), default_language=language_column(SOURCE_LANGUAGE))
        return {"survey": self.survey.rows, "choices": self.choices.rows, "settings": settings.rows,
                QUESTIONNAIRE_SHEET: top.rows, RECOMMENDATION_SHEET: recommendations.rows}


def export_xlsform(definition: Definition, *, translations: Mapping[str, Mapping] | None = None) -> bytes:
    """Return the questionnaire as an XLSForm workbook (.xlsx bytes).

    translations: {language: {(context, Dutch text): translation}}, as the questionnaire catalogs hold them.
    """
    return write_workbook(_Exporter(definition, translations or {}).rows())


def write_workbook(sheets: dict[str, list[dict]]) -> bytes:
    """Return an .xlsx with a sheet per name: a header of every column the rows use, then the rows."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        columns: list[str] = []
        for row in rows:
            columns += [c for c in row if c not in columns]
        sheet.append(columns)
        for row in rows:
            sheet.append([row.get(column) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# -- import


def _sheet_rows(workbook, name: str) -> list[tuple[int, dict]]:
    if name not in workbook.sheetnames:
        return []
    rows = workbook[name].iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    result = []
    for number, values in enumerate(rows, start=2):
        row = {h: v for h, v in zip(header, values) if h and v not in (None, "")}
        if row:
            result.append((number, row))
    return result


def _dutch(row: Mapping, column: str):
    """Return the Dutch text of a column: column::... (nl), else the plain column."""
    for name, value in row.items():
        if name.startswith(f"{column}::") and name.rstrip().endswith(f"({SOURCE_LANGUAGE})"):
            return str(value).strip()
    value = row.get(column)
    return str(value).strip() if value is not None else None


def _number(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    return value


class _Importer:
    def __init__(self, workbook, file: str):
        self.file = file
        self.problems: list[Problem] = []
        self.choices: dict[str, dict] = {}
        for number, row in _sheet_rows(workbook, "choices"):
            name = row.get("list_name")
            if name is None or row.get("name") is None:
                continue
            value, label = str(_number(row["name"])), _dutch(row, "label") or str(row["name"])
            options = self.choices.setdefault(str(name), {})
            group = row.get("genk_group")
            if group is None:
                options[value] = label
            else:  # options under the level above, as in lists/wijken.yaml
                entry = options.setdefault(str(group), {"label": str(row.get("genk_group_label") or group), "options": {}})
                entry["options"][value] = label
        self.survey = _sheet_rows(workbook, "survey")
        self.top = {str(row["key"]): _number(row.get("value")) for _, row in _sheet_rows(workbook, QUESTIONNAIRE_SHEET) if "key" in row}
        self.recommendations = {str(row["id"]): str(row.get("text", "")) for _, row in _sheet_rows(workbook, RECOMMENDATION_SHEET) if "id" in row}
        self.settings = dict(_sheet_rows(workbook, "settings")[0][1]) if _sheet_rows(workbook, "settings") else {}

    def problem(self, number, message, fix):
        self.problems.append(Problem(self.file, None, f"survey row {number}: {message}", fix))

    def expression(self, row, ours, xpath, own):
        if row.get(f"genk_{ours}"):
            return str(row[f"genk_{ours}"])
        if row.get(xpath):
            return from_xpath(str(row[xpath]), own=own)
        return None

    def question(self, number, row) -> dict | None:
        name = str(row.get("name", ""))
        xls_type, _, list_name = str(row.get("type", "")).strip().partition(" ")
        qtype = row.get("genk_type") or FROM_XLSFORM.get(xls_type)
        if qtype is None:
            self.problem(number, f"the XLSForm type '{row.get('type')}' of '{name}' has no question type of ours",
                         "leave it out, or make it one of: " + ", ".join(sorted(FROM_XLSFORM)))
            return None
        if qtype == "text" and row.get("appearance") == "multiline" and not row.get("genk_type"):
            qtype = "long_text"
        question = {"key": name, "type": qtype, "text": _dutch(row, "label") or ""}
        hint = _dutch(row, "hint")
        if hint:
            question["help"] = hint
        if str(row.get("required", "")).strip().lower() in {"yes", "true", "true()", "1"}:
            question["required"] = True
        if qtype in {"single_choice", "multiple_choice"}:
            question["options"] = dict(self.choices.get(list_name.strip(), {}))
        self.extras(question, row)
        show_if = self.expression(row, "show_if", "relevant", name)
        if show_if:
            question["show_if"] = show_if
        if row.get("genk_constraint"):
            question["constraint"] = str(row["genk_constraint"])
        elif row.get("constraint") and not row.get("genk_type"):
            question["constraint"] = from_xpath(str(row["constraint"]), own=name)
        message = _dutch(row, "constraint_message")
        if message:
            question["constraint_message"] = message
        question.setdefault("recommendations", [])
        question.setdefault("source", "XLSForm")
        return question

    def extras(self, question: dict, row: Mapping):
        for key in EXTRA_KEYS[3:]:
            value = row.get(f"genk_{key}")
            if value is None:
                continue
            if key in {"recommendations", "exclusive"}:
                question[key] = str(value).split()
            elif key in {"quasi_identifier", "not_applicable", "dont_know"}:
                question[key] = str(value).strip().lower() == "true"
            elif key in {"min", "max", "max_length", "min_choices", "max_choices"}:
                question[key] = _number(value)
            else:
                question[key] = str(value)

    def document(self) -> dict:
        pages: list[dict] = []
        page = None
        matrix, matrix_depth = None, 0
        depth = 0
        for number, row in self.survey:
            kind = str(row.get("type", "")).strip()
            if kind in {"begin group", "begin_group"}:
                depth += 1
                if row.get("genk_type") == "matrix":
                    matrix, matrix_depth = {"key": str(row.get("name")), "type": "matrix", "text": _dutch(row, "label") or ""}, depth
                    self.extras(matrix, row)
                    for key, xpath in (("show_if", "relevant"), ("constraint", "constraint")):
                        expression = self.expression(row, key, xpath, matrix["key"])
                        if expression:
                            matrix[key] = expression
                    message = _dutch(row, "constraint_message")
                    if message:
                        matrix["constraint_message"] = message
                    if str(row.get("required", "")).strip().lower() == "yes":
                        matrix["required"] = True
                    hint = _dutch(row, "hint")
                    if hint:
                        matrix["help"] = hint
                    matrix["items"] = {}
                    matrix.setdefault("recommendations", [])
                    matrix.setdefault("source", "XLSForm")
                elif depth == 1:
                    page = {"key": str(row.get("name")), "title": _dutch(row, "label") or str(row.get("name"))}
                    show_if = self.expression(row, "show_if", "relevant", page["key"])
                    if show_if:
                        page["show_if"] = show_if
                    page["questions"] = []
                    pages.append(page)
                continue
            if kind in {"end group", "end_group"}:
                depth -= 1
                if matrix is not None and depth < matrix_depth:
                    target = page if page is not None else self._loose(pages)
                    if matrix.get("scale") != "agreement" and "options" not in matrix:
                        matrix["options"] = {}
                    target["questions"].append(matrix)
                    matrix = None
                if depth == 0:
                    page = None
                continue
            if matrix is not None:
                item = str(row.get("name", "")).removeprefix(matrix["key"] + "_")
                matrix["items"][item] = _dutch(row, "label") or item
                list_name = str(row.get("type", "")).partition(" ")[2].strip()
                if matrix.get("scale") != "agreement" and "options" not in matrix and list_name in self.choices:
                    matrix["options"] = dict(self.choices[list_name])
                continue
            if kind in {"note", "calculate", "hidden", "start", "end", "today", "deviceid"}:
                if kind == "note":
                    self.problem(number, f"note '{row.get('name')}' is not a question", "put its text in a page title, a question's help or the intro")
                continue
            question = self.question(number, row)
            if question is not None:
                (page if page is not None else self._loose(pages))["questions"].append(question)
        title = self.top.get("title") or _dutch(self.settings, "form_title") or str(self.settings.get("form_id", ""))
        document = {
            "slug": self.top.get("slug") or str(self.settings.get("form_id", "")).replace("_", "-").lower(),
            "version": self.top.get("version") or _number(self.settings.get("version")) or 1,
            "state": self.top.get("state") or "draft",
            "title": title,
            "table": self.top.get("table") or title,
            "central_question": self.top.get("central_question") or "",
            "intro": self.top.get("intro") or "",
            "consent": self.top.get("consent") or "",
        }
        for key in ("consent_assisted", "k_anonymity", "notes"):
            if self.top.get(key) is not None:
                document[key] = self.top[key]
        forms = {key.removeprefix(FORM_PREFIX): str(value).split() for key, value in self.top.items() if key.startswith(FORM_PREFIX)}
        if forms:
            document["forms"] = forms
        document["recommendations"] = self.recommendations
        document["pages"] = pages
        return document

    def _loose(self, pages: list[dict]) -> dict:
        """Return the page for questions outside any group (made once, at the end so far)."""
        if not pages or pages[-1].get("key") != "vragen":
            pages.append({"key": "vragen", "title": "Vragen", "questions": []})
        return pages[-1]


def import_xlsform(data: bytes, *, file: str = "form.xlsx") -> tuple[dict, list[Problem]]:
    """Return (questionnaire document in our format, problems) for an XLSForm workbook."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is no workbook
        return {}, [Problem(file, None, f"this is not an .xlsx workbook ({type(error).__name__})", "save it from a spreadsheet program as .xlsx")]
    if "survey" not in workbook.sheetnames:
        return {}, [Problem(file, None, "the workbook has no 'survey' sheet", "an XLSForm needs the sheets 'survey' and 'choices'")]
    importer = _Importer(workbook, file)
    document = importer.document()
    return document, importer.problems


def document_yaml(document: Mapping) -> str:
    """Return a questionnaire document as YAML in the order and style of the content package."""

    class _Dumper(yaml.SafeDumper):
        pass

    def text(dumper, value):
        style = ">" if len(value) > 80 and "\n" not in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    _Dumper.add_representer(str, text)
    return yaml.dump(dict(document), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88)


def expression_problems(document: Mapping, file: str) -> Iterator[Problem]:
    """Yield a problem for each imported expression our language cannot read (the XPath was too far from ours)."""
    for page in document.get("pages", []):
        for holder in [page, *page.get("questions", [])]:
            for key in ("show_if", "constraint"):
                if holder.get(key):
                    try:
                        parse_expression(holder[key])
                    except ExpressionError as error:
                        yield Problem(file, None, f"'{key}' of '{holder.get('key')}' ({holder[key]}) cannot be read: {error.message}",
                                      "write it in our expression language (questionnaires/README.md)")

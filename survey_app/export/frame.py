"""Responses from the database as one columnar table, read in chunks with bounded memory.

A response's answers are stored twice: as one JSON document, and as one positional CSV line
(content/answer_line.py). A page of rows is read with a raw cursor (keyset pagination on the
primary key, so memory stays bounded on SQLite and PostgreSQL alike), its lines are joined
and parsed by Arrow's CSV reader against a schema built from the version's definition. A page
holding a response without a line (stored before lines existed) is read as newline-delimited
JSON instead, which gives the same table. Choices are kept as small integer codes, so a
million responses take tens of megabytes, not gigabytes.
"""

import io
from collections import Counter, deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.json as pj
from peewee import fn

from ..catalog import definition_of
from ..content.answer_line import OPTION_SEPARATOR, LineField, line_fields
from ..content.definition import Definition
from ..db import database, is_postgres
from ..models import Questionnaire, Response, User
from .errors import ExportError
from .labels import language_text
from .memory import release_memory
from .variables import FREE_TEXT_TYPES, Variable, check_names, merge_variables, meta_variables

CHUNK_SIZE = 5_000  # responses per page: about 3.5 MB of JSON, or 0.9 MB of lines
JSON_BLOCK_SIZE = 1 << 22  # bytes per block of Arrow's JSON reader (and of its CSV reader)
PAGE_WORKERS = 2  # pages converted at once, each on one thread (the machines have two cores)


def code_type(count: int) -> pa.DataType:
    """Return the smallest integer type for codes into count values: most columns take one byte a row."""
    return pa.int8() if count < 127 else pa.int16() if count < 32767 else pa.int32()

ARROW_TYPES = {"integer": pa.int32(), "text": pa.string(), "date": pa.date32()}


@dataclass
class Frame:
    """The responses of one questionnaire: variables and a table with one column per variable."""

    slug: str
    title: str
    definitions: list[Definition]
    variables: list[Variable]
    table: pa.Table
    unknown_values: Counter = field(default_factory=Counter)  # answers outside the codes, left empty
    # Per question variable, why each empty cell is empty (survey_app/export/missing.py); set by anonymisation.
    empty: dict = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return self.table.num_rows

    @property
    def versions(self) -> tuple[int, ...]:
        return tuple(d.version for d in self.definitions)

    @property
    def k_anonymity(self) -> int:
        """Return the strictest k of the versions exported."""
        return max(d.k_anonymity for d in self.definitions)

    def variable(self, name: str) -> Variable:
        """Return the variable called name (KeyError if absent)."""
        for variable in self.variables:
            if variable.name == name:
                return variable
        raise KeyError(name)

    def column(self, name: str) -> pa.ChunkedArray:
        """Return the column of a variable."""
        return self.table.column(name)

    def with_columns(self, changes: dict[str, tuple[Variable, pa.Array | pa.ChunkedArray]]) -> "Frame":
        """Return a frame with some variables (and their columns) replaced; a new name renames."""
        variables, arrays = [], []
        for variable, column in zip(self.variables, self.table.columns):
            if variable.name in changes:
                variable, column = changes[variable.name]
            variables.append(variable)
            arrays.append(column)
        table = pa.Table.from_arrays(arrays, names=[v.name for v in variables])
        return replace(self, variables=variables, table=table)


def select_versions(slug: str, versions: tuple[int, ...] | None = None) -> list[Questionnaire]:
    """Return the stored versions to export: those asked for, or every version that is not a draft."""
    rows = list(Questionnaire.select().where(Questionnaire.slug == slug).order_by(Questionnaire.version))
    if not rows:
        known = [r.slug for r in Questionnaire.select(Questionnaire.slug).distinct().order_by(Questionnaire.slug)]
        raise ExportError("unknown_questionnaire", slug=slug, known=", ".join(known) or "none")
    if versions:
        missing = sorted(set(versions) - {r.version for r in rows})
        if missing:
            raise ExportError(
                "unknown_versions",
                slug=slug,
                missing=", ".join(map(str, missing)),
                known=", ".join(str(r.version) for r in rows),
            )
        return [r for r in rows if r.version in versions]
    return [r for r in rows if r.state != "draft"] or rows


STORED_TYPES = {"list": pa.list_(pa.string()), "integer": pa.int64(), "text": pa.string()}


def answer_schema(definition: Definition, *, free_text: bool) -> pa.Schema:
    """Return the Arrow schema of a version's stored answers (free text only when asked for)."""
    return pa.schema(
        pa.field(f.name, STORED_TYPES[f.stores])
        for f in line_fields(definition)
        if free_text or f.question_type not in FREE_TEXT_TYPES
    )


def _codes(column: pa.Array, values: tuple) -> pa.Array:
    """Return the index of each value in values (null when empty or unknown), as int16."""
    if not values:
        return pa.nulls(len(column), code_type(0))
    value_set = pa.array(values, pa.int64() if isinstance(values[0], int) else pa.string())
    if column.type != value_set.type:
        column = column.cast(value_set.type)
    return pc.index_in(column, value_set=value_set).cast(code_type(len(values)))


def _option_columns(column: pa.Array, variables: list[Variable]) -> dict[str, pa.Array]:
    """Return a 0/1 column per option of a multiple choice (null when the question was not answered)."""
    n = len(column)
    answered = np.asarray(column.is_valid())
    flat = pc.list_flatten(column)
    parents = np.asarray(pc.list_parent_indices(column))
    options = pa.array([v.option for v in variables], pa.string())
    chosen = pc.index_in(flat, value_set=options).fill_null(-1).to_numpy(zero_copy_only=False)
    result = {}
    for position, variable in enumerate(variables):
        dummy = np.zeros(n, dtype=np.int8)
        dummy[parents[chosen == position]] = 1
        result[variable.name] = pa.array(dummy, mask=~answered)
    return result


def _parse_answers(data: bytes, rows: int, schema: pa.Schema) -> pa.Table:
    """Return the answers of a page (one JSON document per line) as a table with the version's schema."""
    options = pj.ParseOptions(explicit_schema=schema, unexpected_field_behavior="ignore")
    try:
        read_options = pj.ReadOptions(block_size=JSON_BLOCK_SIZE, use_threads=False)  # pages are parsed side by side
        table = pj.read_json(io.BytesIO(data), read_options=read_options, parse_options=options)
    except pa.ArrowInvalid:
        return _parse_leniently(data.split(b"\n"), schema)
    if table.num_rows != rows:  # a line that was not one document
        return _parse_leniently(data.split(b"\n"), schema)
    return table


_LINE_PARSE = pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False)


def _parse_lines(data: bytes, rows: int, fields: list[LineField], schema: pa.Schema) -> pa.Table | None:
    """Return the answers of a page (one CSV line per response) as a table with the version's schema.

    None when the lines do not fit the version's fields (then the page is read as JSON).
    """
    wanted = schema.names
    # Only an unquoted empty field is empty: a quoted one is an empty text or an empty choice list.
    convert = pacsv.ConvertOptions(
        column_types={f.name: pa.string() if f.stores == "list" else STORED_TYPES[f.stores] for f in fields},
        include_columns=wanted,
        null_values=[""],
        strings_can_be_null=True,
        quoted_strings_can_be_null=False,
    )
    read = pacsv.ReadOptions(column_names=[f.name for f in fields], use_threads=False, block_size=JSON_BLOCK_SIZE)
    # The closing line end matters: without it Arrow (26) takes an empty last field after `""` for quoted.
    try:
        table = pacsv.read_csv(io.BytesIO(data + b"\n"), read_options=read, parse_options=_LINE_PARSE, convert_options=convert)
    except pa.ArrowInvalid:
        return None
    if table.num_rows != rows:
        return None
    columns = [_options(table.column(f.name)) if pa.types.is_list(f.type) else table.column(f.name) for f in schema]
    return pa.Table.from_arrays(columns, schema=schema)


_NO_OPTIONS = pa.scalar([], pa.list_(pa.string()))


def _options(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Return the chosen options of a multiple choice from its field: "" is an answer with none chosen."""
    chosen = pc.split_pattern(column, OPTION_SEPARATOR)
    none_chosen = pc.equal(column, "")
    return pc.if_else(none_chosen, _NO_OPTIONS, chosen) if pc.any(none_chosen).as_py() else chosen


def _parse_leniently(texts: list[bytes], schema: pa.Schema) -> pa.Table:
    """Return the answers parsed one by one; a value of the wrong type becomes empty."""
    columns: dict[str, list] = {f.name: [] for f in schema}
    for text in texts:
        document = orjson.loads(text)
        for f in schema:
            value = document.get(f.name) if isinstance(document, dict) else None
            if pa.types.is_integer(f.type) and not (isinstance(value, int) and not isinstance(value, bool)):
                value = None
            elif pa.types.is_list(f.type):
                value = [str(v) for v in value] if isinstance(value, list) else None
            elif pa.types.is_string(f.type) and not isinstance(value, str):
                value = None
            columns[f.name].append(value)
    return pa.table(columns, schema=schema)


@dataclass
class _Page:
    """A page of responses as the database hands it over: their own columns as CSV, the answers as lines."""

    rows: int
    last: int
    meta: bytes  # id,language,mode,channel,form,date,staff[,uuid] per line
    answers: bytes  # the answers in the same order: CSV lines, or one JSON document per line
    lines: bool  # True: answers are the stored CSV lines; False: JSON documents
    documents: tuple  # SQL and parameters that select the page with its JSON documents, to read it again


META_COLUMNS = {
    "id": pa.int64(),
    "language": pa.string(),
    "mode": pa.string(),
    "channel": pa.string(),
    "form": pa.string(),
    "datum": pa.date32(),
    "staff": pa.int64(),
    "uuid": pa.string(),
}


def _page_sql(inner: str, *, identify: bool, answers: str) -> str:
    """Return SQL that folds a page of rows into two texts, so no Python object is made per row.

    answers is the column folded: answer_line or answers. Aggregates skip nulls, so the third
    value, the count of that column, tells whether every response of the page has one.
    """
    # A response stored before the form was kept has none: an empty field, never a missing one.
    if is_postgres():
        columns = ["id", "language", "mode", "channel", "coalesce(form, '')", "submitted_on"]
        meta = "concat_ws(',', " + ", ".join(columns) + ", coalesce(staff_id::text, '')" + (", uuid" if identify else "") + ")"
        # bandit's B608 (SQL built from strings) is a false alarm here and below: the SQL is made of the
        # column names above, the column named by the caller (answer_line or answers) and the caller's
        # page query, whose values travel as parameters. Nothing from outside becomes SQL.
        return (
            f"SELECT max(id), count(*), count({answers}), string_agg({meta}, E'\\n' ORDER BY id), "  # nosec B608
            f"string_agg({answers}, E'\\n' ORDER BY id) FROM ({inner}) AS page"
        )
    columns = ["id", "language", "mode", "channel", "ifnull(form, '')", "submitted_on"]
    meta = " || ',' || ".join(columns) + " || ',' || ifnull(staff_id, '')" + (" || ',' || uuid" if identify else "")
    # Both aggregates walk the rows of one pass in the same order, so line n of each is the same response.
    # As blobs, the texts reach Python as bytes, without decoding and encoding them.
    return (
        f"SELECT max(id), count(*), count({answers}), CAST(group_concat({meta}, char(10)) AS BLOB), "  # nosec B608
        f"CAST(group_concat({answers}, char(10)) AS BLOB) FROM ({inner}) AS page"
    )


def _pages(row: Questionnaire, *, date_from: date | None, date_to: date | None, chunk_size: int, identify: bool):
    """Yield the pages of one version, in id order, from a snapshot of its ids (keyset pagination)."""
    where = Response.questionnaire == row.id
    if date_from:
        where &= Response.submitted_on >= date_from
    if date_to:
        where &= Response.submitted_on <= date_to
    upper = Response.select(fn.MAX(Response.id)).where(where).scalar()
    if upper is None:
        return
    last = 0
    columns = (Response.id, Response.uuid, Response.language, Response.mode, Response.channel, Response.form,
               Response.submitted_on, Response.staff)

    def select(stored) -> tuple:  # a page selects one form of the answers: the other is not copied around
        page = where & (Response.id > last) & (Response.id <= upper)
        return Response.select(*columns, stored).where(page).order_by(Response.id).limit(chunk_size).sql()

    while True:
        inner, params = select(Response.answer_line)
        last_id, count, with_line, meta, lines = database.execute_sql(
            _page_sql(inner, identify=identify, answers="answer_line"), params
        ).fetchone()
        if not count:
            return
        documents = select(Response.answers)
        if with_line == count:
            yield _Page(count, last_id, _bytes(meta), _bytes(lines), True, documents)
        else:  # responses stored before lines existed
            yield _json_page(documents, identify=identify)
        last = last_id


def _json_page(query: tuple, *, identify: bool) -> _Page:
    """Return a page read with its answers as JSON documents, one per line."""
    inner, params = query
    last_id, count, _, meta, answers = database.execute_sql(_page_sql(inner, identify=identify, answers="answers"), params).fetchone()
    meta, answers = _bytes(meta), _bytes(answers)
    if answers.count(b"\n") != count - 1:  # a document stored with line breaks inside
        answers = _one_per_line(meta, identify=identify)
    return _Page(count, last_id, meta, answers, False, query)


def _bytes(text: str | bytes) -> bytes:
    return text if isinstance(text, bytes) else text.encode()


def _one_per_line(meta: bytes, *, identify: bool) -> bytes:
    """Return the answers of a page re-read one by one and written one document per line."""
    ids = _read_meta(meta, identify=identify).column("id").to_pylist()
    stored = dict(Response.select(Response.id, Response.answers).where(Response.id.in_(ids)).tuples())
    return b"\n".join(orjson.dumps(stored[i]) for i in ids)


def _read_meta(meta: bytes, *, identify: bool) -> pa.Table:
    names = [name for name in META_COLUMNS if identify or name != "uuid"]
    return pacsv.read_csv(
        io.BytesIO(meta),
        read_options=pacsv.ReadOptions(column_names=names, use_threads=False),
        convert_options=pacsv.ConvertOptions(column_types={n: META_COLUMNS[n] for n in names}, strings_can_be_null=False),
    )


def _dates(values) -> pa.Array:
    """Return dates (date objects or ISO text; anything else becomes empty) as an Arrow date32 array."""
    if isinstance(values, tuple) and values and isinstance(values[0], date):
        return pa.array(values, pa.date32())
    text = values if isinstance(values, pa.Array) else pa.array(values, pa.string())
    return pc.strptime(text, format="%Y-%m-%d", unit="s", error_is_null=True).cast(pa.date32())


def _empty(variable: Variable, n: int) -> pa.Array:
    return pa.nulls(n, code_type(len(variable.values)) if variable.kind == "code" else ARROW_TYPES[variable.kind])


@dataclass
class _Version:
    """What converting a page of one version needs: its schema and the merged variables."""

    index: int
    fields: list[LineField]
    schema: pa.Schema
    meta: dict[str, Variable]
    groups: dict[str, list[Variable]]
    pseudonyms: dict[int, str]
    identify: bool

    def convert(self, page: _Page) -> tuple[dict[str, pa.Array], pa.Array, Counter] | None:
        """Return (a column per variable, the languages, unknown values) of a page.

        Runs on a worker thread: Arrow parses and converts without the GIL while the next page is
        fetched. None when the page's lines do not fit the version (read it again as JSON).
        """
        n = page.rows
        if page.lines:
            parsed = _parse_lines(page.answers, n, self.fields, self.schema)
            if parsed is None:
                return None
        else:
            parsed = _parse_answers(page.answers, n, self.schema)
        meta = _read_meta(page.meta, identify=self.identify).combine_chunks()
        asked = set(self.schema.names)
        unknown: Counter = Counter()
        staff_ids = pa.array(list(self.pseudonyms), pa.int64())
        staff_names = pa.array(list(self.pseudonyms.values()), pa.string())
        columns = {
            "respondent": meta.column("uuid").combine_chunks() if self.identify else pa.nulls(n, pa.string()),
            "versie": pa.array(np.full(n, self.index, dtype=np.int16)).cast(code_type(len(self.meta["versie"].values))),
            "datum": meta.column("datum").combine_chunks(),
            "afnamewijze": _codes(meta.column("mode").combine_chunks(), self.meta["afnamewijze"].values),
            "afnamekanaal": _codes(meta.column("channel").combine_chunks(), self.meta["afnamekanaal"].values),
            "medewerker": staff_names.take(pc.index_in(meta.column("staff").combine_chunks(), value_set=staff_ids)),
            "vorm": _codes(meta.column("form").combine_chunks(), self.meta["vorm"].values),
        }
        for key, group in self.groups.items():
            if key not in asked and group[0].name not in asked:
                columns.update((variable.name, _empty(variable, n)) for variable in group)
            elif group[0].option is not None:
                columns.update(_option_columns(parsed.column(key).combine_chunks(), group))
            else:
                for variable in group:
                    column = parsed.column(variable.name).combine_chunks() if variable.name in asked else None
                    if column is None:
                        columns[variable.name] = _empty(variable, n)
                    elif variable.kind == "code":
                        codes = _codes(column, variable.values)
                        unknown[variable.name] += codes.null_count - column.null_count
                        columns[variable.name] = codes
                    elif variable.kind == "date":
                        columns[variable.name] = _dates(column)
                    else:
                        columns[variable.name] = column.cast(ARROW_TYPES[variable.kind])
        return columns, meta.column("language").combine_chunks(), unknown


def read_frame(
    rows: list[Questionnaire],
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    free_text: bool = False,
    identify: bool = False,
    chunk_size: int = CHUNK_SIZE,
) -> Frame:
    """Return the responses to the versions in rows as a Frame.

    free_text adds the open answers; identify keeps the stored response ids (raw exports).
    """
    definitions = [definition_of(r) for r in rows]
    versions = tuple(d.version for d in definitions)
    answers = merge_variables(definitions, free_text=free_text)
    forms = tuple(dict.fromkeys(name for d in definitions for name in d.form_names()))
    meta = {v.name: v for v in meta_variables(raw=identify, versions=versions, forms=forms)}
    variables = list(meta.values()) + answers
    check_names(variables)
    pseudonyms = dict(User.select(User.id, User.pseudonym).tuples())
    groups: dict[str, list[Variable]] = {}
    for variable in answers:
        groups.setdefault(variable.key, []).append(variable)
    pieces: dict[str, list] = {v.name: [] for v in variables}
    languages: list[pa.Array] = []
    unknown: Counter = Counter()

    def collect(waiting: deque) -> None:
        future, version, page = waiting.popleft()
        result = future.result()
        if result is None:
            result = version.convert(_json_page(page.documents, identify=identify))
        columns, language, found = result
        for name, array in columns.items():
            pieces[name].append(array)
        languages.append(language)
        unknown.update(found)

    # At most one page per worker waits, so memory stays bounded however many rows there are.
    with ThreadPoolExecutor(max_workers=PAGE_WORKERS, thread_name_prefix="export-page") as worker:
        waiting: deque = deque()
        for index, (row, definition) in enumerate(zip(rows, definitions)):
            schema = answer_schema(definition, free_text=free_text)
            version = _Version(index, line_fields(definition), schema, meta, groups, pseudonyms, identify)
            for page in _pages(row, date_from=date_from, date_to=date_to, chunk_size=chunk_size, identify=identify):
                waiting.append((worker.submit(version.convert, page), version, page))
                if len(waiting) > PAGE_WORKERS:
                    collect(waiting)
        while waiting:
            collect(waiting)
    language_codes = sorted({code for array in languages for code in pc.unique(array).to_pylist() if code})
    language_codes.sort(key=lambda code: (code != "nl", code))
    position = list(meta).index("antwoordtaal")
    variables[position] = replace(
        meta["antwoordtaal"], values=tuple(language_codes), labels=tuple(language_text(c) for c in language_codes)
    )
    pieces["antwoordtaal"] = [_codes(array, variables[position].values) for array in languages]
    columns = [pa.chunked_array(pieces[v.name], _empty(v, 0).type) for v in variables]
    table = pa.Table.from_arrays(columns, names=[v.name for v in variables])
    unknown = Counter({name: count for name, count in unknown.items() if count})
    release_memory()  # the pages are gone: give their memory back
    return Frame(rows[0].slug, definitions[-1].title, definitions, variables, table, unknown)

"""Disclosure control, always on for analysts: nothing in an export points to one resident.

- Response ids are replaced: in a release (release.py) by ids fixed per response, rows in
  id order, so two downloads are the same file; elsewhere by random ids in a random order.
- Quasi-identifiers (the questions a questionnaire marks, the period of the response, its
  language, mode and channel) are generalised step by step along a ladder per question type (birth year to
  age band, rare answers merged, numbers grouped), until at most MAX_SUPPRESSED_SHARE of the
  responses sit in a group smaller than k. Then values are suppressed locally, one
  quasi-identifier at a time, until every combination is shared by at least k responses;
  responses still alone after that are left out.
- Free text, when included, is scrubbed of personal data (see scrub.py).
The Disclosure report says what was done, so an analyst knows what the numbers mean.
"""

import re
import secrets
from collections import Counter
from datetime import date
from dataclasses import asdict, dataclass, field, replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .frame import Frame, code_type
from .labels import N_, Text, literal, word
from .memory import release_memory
from .missing import SUPPRESSED, empty_reasons
from .scrub import scrub_array
from .variables import FREE_TEXT_TYPES, Variable

MAX_SUPPRESSED_SHARE = 0.05
OTHER_TEXT = "_overig"  # a merged category; option values never start with "_"
OTHER_NUMBER = 99
DATE_PRECISIONS = {"month": ("%Y-%m", N_("Maand van het antwoord")), "week": ("%G-W%V", N_("ISO-week van het antwoord"))}
PERIOD_LABELS = {"month": N_("Maand van het antwoord"), "quarter": N_("Kwartaal van het antwoord")}

# Age at the time of answering, from a birth year: (lowest age, code, label) per band.
AGE_BANDS = {
    "age_10": (
        (0, "jonger_25", N_("Jonger dan 25 jaar")),
        (25, "van_25_34", N_("25 tot 34 jaar")),
        (35, "van_35_44", N_("35 tot 44 jaar")),
        (45, "van_45_54", N_("45 tot 54 jaar")),
        (55, "van_55_64", N_("55 tot 64 jaar")),
        (65, "van_65_74", N_("65 tot 74 jaar")),
        (75, "vanaf_75", N_("75 jaar of ouder")),
    ),
    "age_20": (
        (0, "jonger_35", N_("Jonger dan 35 jaar")),
        (35, "van_35_54", N_("35 tot 54 jaar")),
        (55, "vanaf_55", N_("55 jaar of ouder")),
    ),
}
NUMBER_BANDS = {"band_5": 5, "band_10": 10, "band_25": 25}

# The generalisation ladder of each kind of quasi-identifier, from fine to coarse, and what
# each step means. The first step is always applied (a birth year never leaves as it is).
LADDERS = {
    # The period of the response is a quasi-identifier too (a neighbour knows the day): it
    # starts at the precision asked for and may be coarsened further.
    "period_week": ("week", "month", "quarter"),
    "period_month": ("month", "quarter"),
    "choice": ("exact", "rare_merged"),
    # A choice from a grouped list (lists/wijken.yaml: neighbourhoods per district): a rare
    # neighbourhood first gives way to its district, then every neighbourhood does.
    "grouped": ("exact", "rare_to_group", "group"),
    "options": ("exact", "rare_hidden"),
    "birth_year": ("age_10", "age_20"),
    "number": ("exact", "band_5", "band_10", "band_25"),
    "date": ("month", "year"),
}
# A step released on a question's former ladder -> the step it starts from on its new one: a
# neighbourhood merged into 'Andere' before is shown no finer than its district now.
LATER_STEP = {("grouped", "rare_merged"): "group"}
STEPS = {
    "exact": N_("niet veranderd"),
    "rare_merged": N_("antwoorden van minder dan %(k)s mensen samengevoegd tot 'Andere (samengevoegd)'"),
    "rare_hidden": N_("opties die minder dan %(k)s mensen kozen, weggelaten"),
    "rare_to_group": N_("antwoorden van minder dan %(k)s mensen vervangen door het niveau erboven (een wijk door haar district)"),
    "group": N_("elk antwoord vervangen door het niveau erboven (een wijk door haar district)"),
    "age_10": N_("geboortejaar vervangen door leeftijdsgroep (10 jaar)"),
    "age_20": N_("geboortejaar vervangen door leeftijdsgroep (20 jaar)"),
    "band_5": N_("getal vervangen door groep van %(width)s"),
    "band_10": N_("getal vervangen door groep van %(width)s"),
    "band_25": N_("getal vervangen door groep van %(width)s"),
    "month": N_("datum vervangen door maand"),
    "year": N_("datum vervangen door jaar"),
    "week": N_("datum vervangen door ISO-week"),
    "quarter": N_("datum vervangen door kwartaal"),
}
PERIOD_VARIABLE = "datum"  # the response date: it leaves as the column "periode"
BIRTH = re.compile(r"geboort|geboren|birth")  # a year question about birth becomes an age band
LADDER_OF_TYPE = {"multiple_choice": "options", "year": "birth_year", "number": "number", "date": "date"}
SUPPRESSED_NOTE = N_("%(count)s waarde(n) weggelaten zodat elke combinatie minstens %(k)s keer voorkomt")
HIDDEN_OPTION_NOTE = N_("weggelaten: minder dan %(k)s mensen kozen deze optie")
OTHER_LABEL = N_("Andere (samengevoegd)")
BAND_LABEL = N_("%(low)s tot %(high)s")


@dataclass
class Generalised:
    """A quasi-identifier at one step of its ladder: a dense code per row (-1: empty) and its labels."""

    codes: np.ndarray
    values: tuple
    labels: tuple[Text, ...]
    changed: int  # values that differ from what the respondent answered
    hidden: tuple[str, ...] = ()  # option columns left out entirely


@dataclass
class QuasiIdentifier:
    """One quasi-identifier: its columns, the kind of ladder it climbs, and its exact values."""

    name: str
    variables: list[Variable]
    ladder: str
    exact: np.ndarray  # codes, numbers, ages, option bit masks or days
    missing: np.ndarray  # True where there is no answer

    def generalise(self, step: str, k: int) -> Generalised:
        """Return the quasi-identifier generalised to one step of its ladder."""
        variable = self.variables[0]
        if step == "exact" and self.ladder in ("choice", "grouped", "options"):
            return Generalised(np.where(self.missing, -1, self.exact), variable.values, variable.labels, 0)
        if step == "exact":
            return _dense(self.exact, lambda v: (int(v), literal(str(int(v)))), changed=0, missing=self.missing)
        if step == "rare_merged":
            return _merge_rare(self, k)
        if step in ("rare_to_group", "group"):
            return _to_groups(self, k, only_rare=step == "rare_to_group")
        if step == "rare_hidden":
            return _hide_rare_options(self, k)
        if step in AGE_BANDS:
            bands = AGE_BANDS[step]
            lows = np.array([low for low, _, _ in bands])
            band = np.searchsorted(lows, np.maximum(self.exact, 0), side="right") - 1
            codes = np.where(self.missing, -1, band)
            return Generalised(codes, tuple(c for _, c, _ in bands), tuple(word(t) for _, _, t in bands), int((~self.missing).sum()))
        if step in NUMBER_BANDS:
            width = NUMBER_BANDS[step]
            low = np.floor_divide(self.exact, width) * width
            return _dense(
                low,
                lambda v: (f"{int(v)}_{int(v) + width - 1}", word(BAND_LABEL, low=int(v), high=int(v) + width - 1)),
                changed=int((~self.missing).sum()),
                missing=self.missing,
            )
        if self.ladder.startswith("period_"):
            return _period_codes(self.exact, step, missing=self.missing)
        # dates: days since 1970, to month or year
        days = self.exact.astype("datetime64[D]")
        unit = "M" if step == "month" else "Y"
        coarse = days.astype(f"datetime64[{unit}]")
        text = np.datetime_as_string(coarse)
        codes, uniques = pd.factorize(np.where(self.missing, None, text), sort=True, use_na_sentinel=True)
        return Generalised(codes, tuple(uniques), tuple(literal(u) for u in uniques), int((~self.missing).sum()))


def period_of(day: np.datetime64 | date, step: str) -> str:
    """Return the period of a day as text: 2025-W11, 2025-03, 2025-Q1 or 2025."""
    day = pd.Timestamp(day).date()
    if step == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if step == "month":
        return f"{day.year}-{day.month:02d}"
    if step == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


def _period_codes(days: np.ndarray, step: str, *, missing: np.ndarray) -> Generalised:
    """Return the periods of days (since 1970) as dense codes, each distinct day formatted once."""
    distinct, inverse = np.unique(days, return_inverse=True)
    texts = np.array([period_of(np.datetime64(int(d), "D"), step) for d in distinct], dtype=object)
    values, codes_of_distinct = np.unique(texts, return_inverse=True) if len(texts) else (np.array([], dtype=object), np.zeros(0, dtype=np.int64))
    codes = np.where(missing, -1, codes_of_distinct[inverse] if len(distinct) else np.zeros(len(days), dtype=np.int64))
    changed = 0 if step in ("week", "month") else int((~missing).sum())
    return Generalised(codes, tuple(str(v) for v in values), tuple(literal(str(v)) for v in values), changed)


def _dense(values: np.ndarray, describe, *, changed: int, missing: np.ndarray) -> Generalised:
    """Return Generalised codes for arbitrary numbers: dense, sorted codes; describe(v) gives (code, label)."""
    present = np.unique(values[~missing])
    codes = np.where(missing, -1, np.searchsorted(present, values))
    described = [describe(v) for v in present]
    return Generalised(codes, tuple(c for c, _ in described), tuple(label for _, label in described), changed)


def _merge_rare(qi: QuasiIdentifier, k: int) -> Generalised:
    variable = qi.variables[0]
    codes = np.where(qi.missing, -1, qi.exact)
    counts = np.bincount(codes[codes >= 0], minlength=len(variable.values))
    rare = (counts > 0) & (counts < k)
    if not rare.any():
        return Generalised(codes, variable.values, variable.labels, 0)
    kept = np.flatnonzero(~rare)
    mapping = np.full(len(variable.values), len(kept))
    mapping[kept] = np.arange(len(kept))
    other = OTHER_NUMBER if all(isinstance(v, int) for v in variable.values) else OTHER_TEXT
    values = tuple(variable.values[i] for i in kept) + (other,)
    labels = tuple(variable.labels[i] for i in kept) + (word(OTHER_LABEL),)
    merged = np.where(codes >= 0, mapping[np.maximum(codes, 0)], -1)
    return Generalised(merged, values, labels, int(counts[rare].sum()))


def _to_groups(qi: QuasiIdentifier, k: int, *, only_rare: bool) -> Generalised:
    """Return a grouped choice with its values (only the rare ones, or all) replaced by their group.

    A group's code is '_' and the group's name (option values never start with '_', so a
    district never reads as a neighbourhood of the same name); a value without a group (from an
    older version's list) goes to 'Andere (samengevoegd)'.
    """
    variable = qi.variables[0]
    codes = np.where(qi.missing, -1, qi.exact)
    counts = np.bincount(codes[codes >= 0], minlength=len(variable.values))
    replaced = (counts > 0) & (counts < k) if only_rare else counts > 0
    values, labels, index = [], [], {}

    def code_of(value, label) -> int:
        if value not in index:
            index[value] = len(values)
            values.append(value)
            labels.append(label)
        return index[value]

    mapping = np.full(len(variable.values), -1)
    for i, value in enumerate(variable.values):
        if not replaced[i]:
            mapping[i] = code_of(value, variable.labels[i])
    for i, group in enumerate(variable.groups):
        if replaced[i]:
            mapping[i] = code_of("_" + group[0], group[1]) if group else code_of(OTHER_TEXT, word(OTHER_LABEL))
    generalised = np.where(codes >= 0, mapping[np.maximum(codes, 0)], -1)
    return Generalised(generalised, tuple(values), tuple(labels), int(counts[replaced].sum()))


def _hide_rare_options(qi: QuasiIdentifier, k: int) -> Generalised:
    bits = np.array([1 << i for i in range(len(qi.variables))], dtype=np.int64)
    answered = qi.exact[~qi.missing]
    counts = np.array([int(((answered & bit) != 0).sum()) for bit in bits])
    rare = (counts > 0) & (counts < k)
    keep_mask = int(bits[~rare].sum()) if len(bits) else 0
    masks = qi.exact & keep_mask
    generalised = _dense(masks, lambda v: (int(v), literal(str(int(v)))), changed=int(counts[rare].sum()), missing=qi.missing)
    generalised.hidden = tuple(v.name for v, r in zip(qi.variables, rare) if r)
    return generalised


def _groups(codes: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Return (the group of each row, the size of each group) for the combinations of codes."""
    n = len(codes[0])
    key = np.zeros(n, dtype=np.int64)
    span = 1
    for column in codes:
        width = int(column.max()) + 2
        if span * width >= 2**62:
            key = pd.factorize(key)[0]
            span = int(key.max()) + 1
        key *= width  # in place: a million rows make no more than one temporary array
        key += column
        key += 1
        span *= width
    dense, _ = pd.factorize(key)
    del key
    return dense, np.bincount(dense)


def class_sizes(codes: list[np.ndarray]) -> np.ndarray:
    """Return, per row, how many rows share its combination of codes."""
    n = len(codes[0]) if codes else 0
    if not n:
        return np.zeros(0, dtype=np.int64)
    dense, counts = _groups(codes)
    return counts.astype(np.int32)[dense] if len(counts) and counts.max() < 2**31 else counts[dense]


@dataclass
class Disclosure:
    """What the anonymisation did: the disclosure report of a package."""

    anonymised: bool
    k: int
    k_reached: int | None
    rows_read: int
    rows_exported: int
    rows_left_out: int
    date_precision: str
    free_text: bool
    period: str = ""  # the precision the period reached: week, month or quarter
    release: dict = field(default_factory=dict)  # the release and the ledger checks, for a release
    quasi_identifiers: list[dict] = field(default_factory=list)
    personal_data_removed: dict[str, int] = field(default_factory=dict)
    unknown_values: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def quasi_identifiers(frame: Frame, *, date_precision: str = "month") -> list[QuasiIdentifier]:
    """Return the quasi-identifiers of a frame, with the exact value of each row: the period first."""
    found: dict[str, QuasiIdentifier] = {}
    if PERIOD_VARIABLE in frame.table.column_names:
        column = frame.column(PERIOD_VARIABLE)
        found[PERIOD_VARIABLE] = QuasiIdentifier(
            "periode",
            [frame.variable(PERIOD_VARIABLE)],
            f"period_{date_precision}",
            column.cast(pa.int32()).fill_null(0).to_numpy(),
            np.asarray(column.is_null()),
        )
    years = pc.year(frame.column("datum")).to_numpy(zero_copy_only=False)
    for variable in frame.variables:
        if not variable.quasi_identifier or variable.question_type in FREE_TEXT_TYPES:
            continue
        column = frame.column(variable.name)
        missing = np.asarray(column.is_null())
        if variable.question_type == "multiple_choice":
            qi = found.get(variable.key)
            bit = np.where(missing, 0, column.fill_null(0).to_numpy().astype(np.int64)) << len(qi.variables if qi else [])
            if qi is None:
                found[variable.key] = QuasiIdentifier(variable.key, [variable], "options", bit, missing)
            else:
                qi.variables.append(variable)
                qi.exact = qi.exact | bit
                qi.missing = qi.missing & missing
            continue
        ladder = LADDER_OF_TYPE.get(variable.question_type, "grouped" if variable.groups else "choice")
        if ladder == "birth_year" and not BIRTH.search(variable.key):  # the year of an event: grouped like a number
            ladder = "number"
        if variable.kind == "date":
            exact = column.cast(pa.int32()).fill_null(0).to_numpy()
        else:
            exact = column.fill_null(0).to_numpy().astype(np.int32)
        if ladder == "birth_year":
            exact = years.astype(np.int32) - exact
        found[variable.name] = QuasiIdentifier(variable.name, [variable], ladder, exact, missing)
    return list(found.values())


def _score(generalised: list[Generalised], k: int) -> tuple[int, int]:
    """Return (rows in a group smaller than k, number of groups): lower is safer."""
    if not len(generalised[0].codes):
        return 0, 0
    dense, counts = _groups([g.codes for g in generalised])
    return int(counts[counts < k].sum()), len(counts)


def choose_steps(
    qis: list[QuasiIdentifier], k: int, *, share: float = MAX_SUPPRESSED_SHARE, start: list[int] | None = None
) -> list[int]:
    """Return a ladder step per quasi-identifier: climb, greedily, until few enough responses stand out.

    Each round takes the one step that leaves the fewest responses in a group smaller than k
    (then: the fewest groups); it stops when no step makes things safer.
    """
    steps = list(start) if start else [0] * len(qis)  # a release never gets finer than the ones before it
    cache: dict[tuple[int, int], Generalised] = {}

    def at(i: int, step: int, *, keep: bool = True) -> Generalised:
        if (i, step) in cache:
            return cache[(i, step)]
        generalised = qis[i].generalise(LADDERS[qis[i].ladder][step], k)
        generalised.codes = generalised.codes.astype(np.int32, copy=False)
        if keep:  # only the current steps are kept: trials are made again when needed (memory)
            cache.pop((i, step - 1), None)
            cache[(i, step)] = generalised
        return generalised

    n = len(qis[0].missing) if qis else 0
    score = None
    while qis:
        current = [at(i, s) for i, s in enumerate(steps)]
        if score is None:  # after the first round: the score of the step taken
            score = _score(current, k)
        if score[0] <= share * n:
            break
        best = None
        for i, qi in enumerate(qis):
            if steps[i] + 1 >= len(LADDERS[qi.ladder]):
                continue
            trial = _score(current[:i] + [at(i, steps[i] + 1, keep=False)] + current[i + 1 :], k)
            if best is None or trial < best[0]:
                best = (trial, i)
        if best is None or best[0] >= score:  # a coarser step that helps nobody only loses detail
            break
        steps[best[1]] += 1
        score = best[0]
    return steps


def suppress_locally(codes: list[np.ndarray], k: int, rows: int) -> tuple[list[np.ndarray], np.ndarray]:
    """Return (codes with values suppressed, rows still in a group smaller than k).

    Each round blanks, in the rows that stand out, the one quasi-identifier that leaves the
    fewest rows standing out (on a tie: the one with the most different values among them,
    the most telling); rows that stand out once everything is blank are left out.
    """
    codes, sizes = _suppress(codes, k, rows)
    return codes, sizes < k


def _suppress(codes: list[np.ndarray], k: int, rows: int) -> tuple[list[np.ndarray], np.ndarray]:
    """Return (codes with values suppressed, the size of each row's group): see suppress_locally."""
    codes = list(codes)  # a blanked column is a new array: the ones passed in are never changed
    if not codes:  # no quasi-identifier: all rows form one group
        return codes, np.full(rows, rows)
    sizes = class_sizes(codes)
    while True:
        small = sizes < k
        if not small.any():
            return codes, sizes
        best = None
        for i, column in enumerate(codes):
            if not (column[small] >= 0).any():
                continue
            trial = codes[:i] + [np.where(small, -1, column)] + codes[i + 1 :]
            trial_sizes = class_sizes(trial)
            score = (int((trial_sizes < k).sum()), -len(np.unique(column[small])))
            if best is None or score < best[0]:
                best = (score, i, trial_sizes)
            del trial, trial_sizes
        if best is None:
            return codes, sizes
        codes[best[1]] = np.where(small, -1, codes[best[1]])
        sizes = best[2]  # the groups after this round, already counted


def _periods(dates: pa.ChunkedArray, fmt: str) -> pa.Array:
    """Return each date as text in the given format; formatted once per distinct date, which is much cheaper."""
    dates = dates.combine_chunks()
    distinct = pc.unique(dates)
    return pc.strftime(distinct, format=fmt).take(pc.index_in(dates, value_set=distinct))


def _random_ids(n: int, rng: np.random.Generator) -> np.ndarray:
    """Return n distinct random ten-digit ids, sorted (so rows in a random order get ascending ids)."""
    drawn = np.unique(rng.integers(10**9, 10**10, size=n + n // 100 + 16, dtype=np.int64))
    while len(drawn) < n:  # a few draws collide; draw more until there are enough
        drawn = np.unique(np.concatenate([drawn, rng.integers(10**9, 10**10, size=n // 10 + 16, dtype=np.int64)]))
    surplus = rng.choice(len(drawn), size=len(drawn) - n, replace=False)  # a few, left out at random
    return np.delete(drawn, surplus)


@dataclass
class Constraints:
    """What earlier releases fix for a new one: stable ids, the coarsest steps, the values once suppressed."""

    ids: np.ndarray  # the release id of each row of the frame (int64)
    min_steps: dict[str, str] = field(default_factory=dict)  # quasi-identifier -> the coarsest step released so far
    suppressed: dict[str, np.ndarray] = field(default_factory=dict)  # quasi-identifier -> rows suppressed before
    # filled in by anonymise_frame: what a ledger keeps of the release
    steps: dict[str, str] = field(default_factory=dict)
    kept_ids: np.ndarray | None = None  # sorted
    kept_suppressed: dict[str, np.ndarray] = field(default_factory=dict)  # aligned with kept_ids


def anonymise_frame(
    frame: Frame, *, date_precision: str = "month", seed: int | None = None, constraints: Constraints | None = None
) -> tuple[Frame, Disclosure]:
    """Return the frame fit for analysts, and the disclosure report of what was changed.

    With constraints (a release), rows get the ids given and are sorted by them, no ladder
    step is finer than before and every value suppressed before stays suppressed; what was
    released is written back into the constraints. The frame passed in is consumed (its
    table is emptied) to keep memory low.
    """
    k = frame.k_anonymity
    reasons = empty_reasons(frame)
    rng = np.random.default_rng(secrets.randbits(128) if seed is None else seed)
    fmt, period_text = DATE_PRECISIONS[date_precision]
    qis = quasi_identifiers(frame, date_precision=date_precision)
    start = None
    if constraints is not None:
        start = [_step_index(qi, constraints.min_steps.get(qi.name)) for qi in qis]
    steps = choose_steps(qis, k, start=start)
    release_memory()  # the trials' working arrays
    generalised = [qi.generalise(LADDERS[qi.ladder][s], k) for qi, s in zip(qis, steps)]
    for g in generalised:
        g.codes = g.codes.astype(np.int32, copy=False)
    start_codes = [g.codes for g in generalised]
    if constraints is not None:  # suppression is monotone: once hidden, hidden in every later release
        for i, qi in enumerate(qis):
            earlier = constraints.suppressed.get(qi.name)
            if earlier is not None and earlier.any():
                start_codes[i] = np.where(earlier, -1, start_codes[i])
    suppressed_codes, sizes = _suppress(start_codes, k, frame.rows)
    left_out = sizes < k
    changes: dict[str, tuple[Variable, pa.Array]] = {}
    report_qis = []
    row_suppressed: dict[str, np.ndarray] = {}
    for qi, step, g, codes in zip(qis, steps, generalised, suppressed_codes):
        step_name = LADDERS[qi.ladder][step]
        suppressed = (codes == -1) & (g.codes >= 0) & ~left_out
        row_suppressed[qi.name] = suppressed
        for variable in qi.variables:
            if variable.name in reasons:
                hidden_column = variable.name in g.hidden
                reasons[variable.name][suppressed | hidden_column] = SUPPRESSED
        g.codes = None  # done with it: memory for the next
        report_qis.append(
            {
                "name": qi.name,
                "columns": [v.name for v in qi.variables],
                "generalisation": step_name,
                "values_generalised": g.changed,
                "values_suppressed": int(suppressed.sum()),
                "options_hidden": list(g.hidden),
            }
        )
        notes = [word(STEPS[step_name], k=k, width=NUMBER_BANDS.get(step_name, 0))] if step_name != "exact" else []
        if qi.ladder.startswith("period_") and step_name == date_precision:
            notes = []
        if suppressed.any():
            notes.append(word(SUPPRESSED_NOTE, count=int(suppressed.sum()), k=k))
        notes = tuple(notes)
        if qi.ladder == "options":
            for variable in qi.variables:
                column = frame.column(variable.name).combine_chunks()
                if variable.name in g.hidden:
                    hidden = (word(HIDDEN_OPTION_NOTE, k=k),)
                    changes[variable.name] = (replace(variable, notes=hidden), pa.nulls(frame.rows, column.type))
                    continue
                blank = pa.array(suppressed)
                changes[variable.name] = (replace(variable, notes=notes), pc.if_else(blank, pa.scalar(None, column.type), column))
            continue
        variable = qi.variables[0]
        if qi.ladder.startswith("period_"):  # the period stays text, like 2025-03; blank where suppressed
            text = pa.array(np.asarray(g.values + ("",), dtype=object)[codes], pa.string())
            text = pc.if_else(pa.array(codes < 0), pa.scalar(None, pa.string()), text)
            label = word(period_text) if step_name == date_precision else word(PERIOD_LABELS[step_name])
            changes[variable.name] = (Variable("periode", "text", "meta", label, quasi_identifier=True, notes=notes), text)
            continue
        if step_name == "exact" and qi.ladder == "number":  # the numbers stay numbers
            column = frame.column(variable.name).combine_chunks()
            array = pc.if_else(pa.array(suppressed), pa.scalar(None, column.type), column)
            changes[variable.name] = (replace(variable, notes=notes), array)
            continue
        array = pa.array(codes, mask=codes < 0).cast(code_type(len(g.values)))
        if step_name == "exact" and qi.ladder in ("choice", "grouped"):
            changes[variable.name] = (replace(variable, notes=notes), array)
        else:
            changes[variable.name] = (replace(variable, kind="code", values=g.values, labels=g.labels, notes=notes), array)
    # Dates: the response date becomes a period; date answers are coarsened the same way.
    for variable in frame.variables:
        if variable.kind != "date" or variable.name in changes:
            continue
        text = _periods(frame.column(variable.name), fmt)
        if variable.name == "datum":
            changes["datum"] = (Variable("periode", "text", "meta", word(period_text)), text)
        else:
            coarsened = word(STEPS["month"] if date_precision == "month" else N_("datum vervangen door ISO-week"))
            changes[variable.name] = (replace(variable, kind="text", notes=(coarsened,)), text)
    found: Counter = Counter()
    for variable in frame.variables:
        if variable.question_type in FREE_TEXT_TYPES and variable.name not in changes:
            scrubbed, counts = scrub_array(frame.column(variable.name))
            found.update(counts)
            scrubbed_note = word(N_("vrije tekst: persoonsgegevens vervangen door een woord tussen haken, zoals [e-mail]"))
            changes[variable.name] = (replace(variable, notes=(scrubbed_note,)), scrubbed)
    kept = np.flatnonzero(~left_out)
    if constraints is not None:
        constraints.steps = {qi.name: LADDERS[qi.ladder][step] for qi, step in zip(qis, steps)}
    # A group is left out whole, so the groups kept keep their sizes: the smallest is the k reached.
    k_reached = int(sizes[kept].min()) if len(kept) else None
    del sizes
    rows_read = frame.rows
    del qis, generalised, suppressed_codes  # the working arrays go before the shuffled copy is made
    release_memory()
    result = frame.with_columns(changes)
    # The frame is consumed: each column is freed as soon as its shuffled copy exists, so a
    # million responses never sit in memory twice.
    if constraints is None:
        order_array = rng.permutation(kept)
        new_ids = _random_ids(len(order_array), rng)
    else:  # a release: its own ids, and rows in the order of their ids, so every download is the same file
        order_array = kept[np.argsort(constraints.ids[kept], kind="stable")]
        new_ids = constraints.ids[order_array]
        constraints.kept_ids = new_ids
        constraints.kept_suppressed = {name: rows[order_array] for name, rows in row_suppressed.items()}
    del row_suppressed
    order = pa.array(order_array)
    names, columns = result.table.column_names, list(result.table.columns)
    frame.table = result.table = None
    for position, column in enumerate(columns):
        columns[position] = column.take(order)
    position = names.index("respondent")
    columns[position] = pa.array(new_ids)
    variables = list(result.variables)
    variables[position] = replace(variables[position], kind="integer")
    empty = {name: reason[order_array] for name, reason in reasons.items()}
    del reasons
    result = replace(result, table=pa.Table.from_arrays(columns, names=names), variables=variables, empty=empty)
    release_memory()
    disclosure = Disclosure(
        anonymised=True,
        k=k,
        k_reached=k_reached,
        rows_read=rows_read,
        rows_exported=len(order),
        rows_left_out=int(left_out.sum()),
        date_precision=date_precision,
        free_text=any(v.question_type in FREE_TEXT_TYPES for v in frame.variables),
        period=next((qi["generalisation"] for qi in report_qis if qi["name"] == "periode"), date_precision),
        quasi_identifiers=report_qis,
        personal_data_removed=dict(sorted(found.items())),
        unknown_values=dict(frame.unknown_values),
    )
    return result, disclosure


def _step_index(qi: QuasiIdentifier, step: str | None) -> int:
    """Return the index of a step on a quasi-identifier's ladder (0 for a new question).

    A step of the ladder a question climbed before (its list became grouped since the last
    release) counts as the step of LATER_STEP, so a release is never finer than the ones before it.
    """
    ladder = LADDERS[qi.ladder]
    step = LATER_STEP.get((qi.ladder, step), step)
    return ladder.index(step) if step in ladder else 0


def raw_disclosure(frame: Frame) -> Disclosure:
    """Return the report of a raw export: nothing anonymised."""
    return Disclosure(
        anonymised=False,
        k=frame.k_anonymity,
        k_reached=None,
        rows_read=frame.rows,
        rows_exported=frame.rows,
        rows_left_out=0,
        date_precision="day",
        free_text=any(v.question_type in FREE_TEXT_TYPES for v in frame.variables),
        unknown_values=dict(frame.unknown_values),
    )

"""Releases: anonymised data sets for fixed periods, recorded in a ledger and checked against it.

An analyst never gets an ad hoc slice of the responses, only a release: every response of a
questionnaire submitted up to the end of a closed period (a month or a quarter, per
questionnaire). A release is made once, recorded in the ledger (models.Release) and then
made again, to the byte, for every download: the same rows, in the order of their ids, with
the same ids (a keyed hash of the response, with a key per questionnaire).

A new release must not let anyone subtract an earlier one: against every release in the
ledger, the responses only in the new one, only in the old one, and in both must each be
none or at least k. No ladder step is finer than in an earlier release, and a value
suppressed in an earlier release stays suppressed (monotone suppression), so joining two
releases on their ids gives nothing that either alone does not. When the newest release
cannot be made safely, the newest safe one is given, and the report says why.
"""

import hashlib
import json
import secrets
import zlib
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from peewee import IntegrityError

from ..db import database
from ..models import Release, utcnow
from .anonymise import Constraints, Disclosure, anonymise_frame
from .errors import ExportError
from .frame import Frame, read_frame, select_versions
from .labels import N_, word

PERIODS = ("month", "quarter", "wave")  # wave: the fieldwork periods of the follow-up (followup/waves.yaml)
DEFAULT_PERIOD = "quarter"
RESPONDENT_TEXT = N_("Antwoord-id: vast in elke vrijgave van deze vragenlijst")


@dataclass
class Check:
    """One ledger check: the new release against an earlier one."""

    against: int
    only_new: int
    only_old: int
    common: int
    ok: bool

    def as_dict(self) -> dict:
        return {"against_release": self.against, "only_in_new": self.only_new, "only_in_earlier": self.only_old, "in_both": self.common, "result": "ok" if self.ok else "refused"}


@dataclass
class Made:
    """A release as given: its ledger entry, the anonymised frame and the report."""

    entry: Release
    frame: Frame
    disclosure: Disclosure
    notes: list[str] = field(default_factory=list)


def period_end(day: date, period: str) -> date:
    """Return the last day of the period (month or quarter) that holds day."""
    months = 1 if period == "month" else 3
    first_month = (day.month - 1) // months * months + 1
    year, month = (day.year, first_month + months) if first_month + months <= 12 else (day.year + 1, 1)
    return date(year, month, 1) - timedelta(days=1)


def period_label(day: date, period: str, waves: tuple = ()) -> str:
    """Return the name of the period that holds day: 2025-03, 2025-Q1, or the key of the wave that ends on day."""
    if period == "wave":  # the ledger keeps at most 16 characters
        return next((w.key for w in waves if w.end == day), day.isoformat())[:16]
    return f"{day.year}-{day.month:02d}" if period == "month" else f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def last_closed_end(today: date, period: str, waves: tuple = ()) -> date:
    """Return the last day of the newest period that ended before today (today's period is still open).

    For waves: the last day of the newest wave that has ended (date.min when none has: nothing to release).
    """
    if period == "wave":
        return max((w.end for w in waves if w.end < today), default=date.min)
    months = 1 if period == "month" else 3
    first_month = (today.month - 1) // months * months + 1
    return date(today.year, first_month, 1) - timedelta(days=1)


def release_ids(secret: str, uuids: list[str]) -> np.ndarray:
    """Return a twelve-digit id per response: a keyed hash (BLAKE2b) of its stored id, the same in every release."""
    key = bytes.fromhex(secret)
    ids = np.fromiter(
        (int.from_bytes(hashlib.blake2b(u.encode(), digest_size=8, key=key).digest(), "big") % (9 * 10**11) + 10**11 for u in uuids),
        dtype=np.int64,
        count=len(uuids),
    )
    if len(np.unique(ids)) < len(ids):  # a collision (about once in a million responses): rehash the later ones
        seen: set[int] = set()
        for position, (value, uuid) in enumerate(zip(ids.tolist(), uuids)):
            attempt = 0
            while value in seen:
                attempt += 1
                digest = hashlib.blake2b(f"{uuid}#{attempt}".encode(), digest_size=8, key=key).digest()
                value = int.from_bytes(digest, "big") % (9 * 10**11) + 10**11
            ids[position] = value
            seen.add(value)
    return ids


def _pack(array: np.ndarray) -> bytes:
    return zlib.compress(np.ascontiguousarray(array).tobytes(), 6)


def _unpack(blob, dtype) -> np.ndarray:
    return np.frombuffer(zlib.decompress(bytes(blob)), dtype=dtype)


def ledger_sets(entry: Release) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Return (the ids released, the ids suppressed per quasi-identifier) of a ledger entry."""
    names = list(json.loads(entry.steps))
    released = _unpack(entry.respondents, np.int64)
    masks = _unpack(entry.suppressed, np.uint64)
    suppressed = {name: released[(masks >> np.uint64(i)) & np.uint64(1) == 1] for i, name in enumerate(names)}
    return released, suppressed


def check_against(new: np.ndarray, old: np.ndarray, k: int, number: int) -> Check:
    """Return the check of a new release's ids against an earlier one's: each part none or at least k."""
    common = int(np.intersect1d(new, old, assume_unique=True).size)
    only_new, only_old = len(new) - common, len(old) - common
    ok = all(n == 0 or n >= k for n in (only_new, only_old, common))
    return Check(number, only_new, only_old, common, ok)


def _constraints(ids: np.ndarray, earlier: list[Release]) -> Constraints:
    """Return what the earlier releases fix for a frame whose rows have these ids."""
    constraints = Constraints(ids=ids)
    for entry in earlier:
        _, suppressed = ledger_sets(entry)
        for name, step in json.loads(entry.steps).items():
            constraints.min_steps[name] = _coarser(name, constraints.min_steps.get(name), step)
        for name, hidden in suppressed.items():
            rows = np.isin(ids, hidden)
            constraints.suppressed[name] = constraints.suppressed.get(name, np.zeros(len(ids), bool)) | rows
    return constraints


def _coarser(name: str, one: str | None, other: str) -> str:
    from .anonymise import LADDERS

    if one is None:
        return other
    for ladder in LADDERS.values():
        if one in ladder and other in ladder:
            return max(one, other, key=ladder.index)
    return other


def _read(slug: str, *, end: date, free_text: bool) -> tuple[Frame, list[str]]:
    rows = select_versions(slug)
    frame = read_frame(rows, date_to=end, free_text=free_text, identify=True)
    uuids = frame.column("respondent").to_pylist()
    return frame, uuids


def _anonymise(frame: Frame, ids: np.ndarray, earlier: list[Release], precision: str) -> tuple[Frame, Disclosure, Constraints]:
    constraints = _constraints(ids, earlier)
    variables = [replace(v, text=word(RESPONDENT_TEXT)) if v.name == "respondent" else v for v in frame.variables]
    frame = replace(frame, variables=variables)
    anonymised, disclosure = anonymise_frame(frame, date_precision=precision, constraints=constraints)
    return anonymised, disclosure, constraints


def newest_release(
    slug: str, *, today: date | None = None, free_text: bool = False, date_precision: str = "month", period: str | None = None, waves: tuple = ()
) -> Made:
    """Return the newest release that is safe to give: made now when a closed period allows it, else the last one.

    period "wave" releases whole waves (waves: the follow-up's fieldwork periods, in any order).
    Raises ExportError with the reason when there is none.
    """
    today = today or date.today()
    versions = select_versions(slug)
    period = period or DEFAULT_PERIOD
    earlier = list(Release.of(slug))
    precision = earlier[0].date_precision if earlier else date_precision
    end = last_closed_end(today, period, waves)
    notes: list[str] = []
    if earlier and earlier[-1].period_end >= end:
        return _remake(earlier[-1], earlier[:-1], free_text=free_text)
    secret = earlier[0].secret if earlier else secrets.token_hex(32)
    frame, uuids = _read(slug, end=end, free_text=free_text)
    k = frame.k_anonymity
    if frame.rows == 0 and not earlier:
        period_text = f" up to {end.isoformat()} (releases hold whole {period}s that have ended)" if end > date.min else " (releases hold whole waves, and no wave has ended yet)"
        raise ExportError("no_responses", slug=slug, versions=", ".join(str(v.version) for v in versions), period=period_text)
    ids = release_ids(secret, uuids)
    read_ids = np.sort(ids)
    frame_rows = frame.rows
    anonymised, disclosure, constraints = _anonymise(frame, ids, earlier, precision)
    released = constraints.kept_ids if constraints.kept_ids is not None else np.zeros(0, np.int64)
    checks = [check_against(released, ledger_sets(entry)[0], k, entry.number) for entry in earlier]
    if earlier and np.array_equal(released, ledger_sets(earlier[-1])[0]):
        notes.append(f"no new responses since release {earlier[-1].number}")
        return _remake(earlier[-1], earlier[:-1], free_text=free_text, notes=notes)
    failed = [c for c in checks if not c.ok]
    if len(released) < k or failed:
        reason = _reason(failed, k, len(released))
        if earlier:
            notes.append(f"a release up to {end.isoformat()} was not made: {reason}")
            return _remake(earlier[-1], earlier[:-1], free_text=free_text, notes=notes)
        if len(released) < k and not failed:
            raise ExportError("too_few_to_anonymise", rows=frame_rows, k=k)
        raise ExportError("release_refused", slug=slug, reason=reason)
    number = earlier[-1].number + 1 if earlier else 1
    disclosure.release = _release_report(number, end, period_label(end, period, waves), checks)
    names = list(constraints.steps)
    masks = np.zeros(len(released), np.uint64)
    for i, name in enumerate(names):
        masks |= constraints.kept_suppressed[name].astype(np.uint64) << np.uint64(i)
    try:
        with database.atomic():
            entry = Release.create(
                questionnaire=slug,
                number=number,
                created_at=utcnow().replace(microsecond=0),
                period_end=end,
                period=period_label(end, period, waves),
                date_precision=precision,
                versions=",".join(str(v.version) for v in versions),
                k=k,
                rows=len(released),
                secret=secret,
                steps=json.dumps(constraints.steps),
                respondents=_pack(released),
                suppressed=_pack(masks),
                responses_read=_pack(read_ids),
                report=json.dumps(disclosure.as_dict(), ensure_ascii=False, default=str),
            )
    except IntegrityError:  # another request made this release at the same moment: give that one
        return _remake(Release.get(questionnaire=slug, number=number), earlier, free_text=free_text, notes=notes)
    return Made(entry, anonymised, disclosure, notes)


def _remake(entry: Release, earlier: list[Release], *, free_text: bool, notes: list[str] | None = None) -> Made:
    """Return a release made again from the same responses, with the same constraints: the same rows and ids."""
    read_ids = _unpack(entry.responses_read, np.int64)
    frame, uuids = _read(entry.questionnaire, end=entry.period_end, free_text=free_text)
    ids = release_ids(entry.secret, uuids)
    present = np.isin(ids, read_ids)
    if int(present.sum()) != len(read_ids):
        raise ExportError("release_gone", number=entry.number, missing=len(read_ids) - int(present.sum()))
    if not present.all():  # responses that arrived late for a period already released wait for the next release
        mask = pa.array(present)
        frame = replace(frame, table=frame.table.filter(mask))
        ids = ids[present]
    anonymised, disclosure, constraints = _anonymise(frame, ids, earlier, entry.date_precision)
    checks = [check_against(constraints.kept_ids, ledger_sets(e)[0], entry.k, e.number) for e in earlier]
    disclosure.release = _release_report(entry.number, entry.period_end, entry.period, checks)
    return Made(entry, anonymised, disclosure, list(notes or []))


@dataclass
class ReleasedRows:
    """The responses a release holds, with their answers as given: for aggregate figures, never handed out.

    The follow-up computes its indicators from these rows (docs/followup.md): the same responses as
    the release analysts download, so a submission changes nothing until a release holds it, and
    a value the release suppressed counts as unknown. Values are not generalised (a birth year stays
    a year): the figures are shares and means over at least ten answers, not rows.
    """

    entry: Release | None  # None: no release yet, no rows
    frame: Frame
    suppressed: dict[str, np.ndarray]  # per quasi-identifier: True where the release suppressed the value


def latest_release(slug: str) -> Release | None:
    """Return the newest release in the ledger, without making one (None: there is none yet)."""
    return Release.of(slug).order_by(Release.number.desc()).first()


def latest_made(slug: str, *, free_text: bool = False) -> Made | None:
    """Return the newest release in the ledger made again (the same rows and ids), never a new one; None: none yet.

    For pages read with GET: only an explicit action (an export, the overview's button) makes a release.
    """
    entries = list(Release.of(slug))
    if not entries:
        return None
    return _remake(entries[-1], entries[:-1], free_text=free_text)


def released_rows(slug: str, entry: Release | None) -> ReleasedRows:
    """Return the responses of a ledger entry (exact answers, no ids); raises ExportError when some were deleted."""
    rows = select_versions(slug)
    if entry is None:
        return ReleasedRows(None, read_frame(rows, date_to=date.min), {})
    frame = read_frame(rows, date_to=entry.period_end, identify=True)
    ids = release_ids(entry.secret, frame.column("respondent").to_pylist())
    released, suppressed = ledger_sets(entry)
    keep = np.isin(ids, released)
    if int(keep.sum()) != len(released):
        raise ExportError("release_gone", number=entry.number, missing=len(released) - int(keep.sum()))
    table = frame.table.filter(pa.array(keep))
    # The stored response ids go no further than this function.
    table = table.set_column(table.column_names.index("respondent"), "respondent", pa.nulls(table.num_rows, pa.string()))
    ids = ids[keep]
    masks = {name: np.isin(ids, hidden) for name, hidden in suppressed.items() if len(hidden)}
    return ReleasedRows(entry, replace(frame, table=table), masks)


def _release_report(number: int, end: date, period_name: str, checks: list[Check]) -> dict:
    return {
        "number": number,
        "holds_responses_up_to": end.isoformat(),
        "last_period": period_name,
        "ledger_checks": [c.as_dict() for c in checks],
        "ledger_result": "ok" if all(c.ok for c in checks) else "refused",
    }


def _reason(failed: list[Check], k: int, rows: int) -> str:
    if rows < k:
        return f"only {rows} response(s) could be shared, and a release needs at least {k}"
    check = failed[0]
    parts = []
    if 0 < check.only_new < k:
        parts.append(f"only {check.only_new} response(s) are new since release {check.against}")
    if 0 < check.only_old < k:
        parts.append(f"{check.only_old} response(s) of release {check.against} would be missing")
    if 0 < check.common < k:
        parts.append(f"only {check.common} response(s) are shared with release {check.against}")
    return "; ".join(parts) + f": fewer than k = {k} would stand out"


def release_period(slug: str) -> str:
    """Return the period a questionnaire's releases follow: its newest version's `release_period`."""
    from ..catalog import definition_of

    rows = select_versions(slug)
    return getattr(definition_of(rows[-1]), "release_period", DEFAULT_PERIOD) or DEFAULT_PERIOD


def period_bounds(text: str) -> tuple[date, date] | None:
    """Return the first and last day of a period written as 2025-03, 2025-W11, 2025-Q1 or 2025 (None if blank)."""
    if not text:
        return None
    if "-W" in text:
        start = date.fromisocalendar(int(text[:4]), int(text[6:]), 1)
        return start, start + timedelta(days=6)
    if "-Q" in text:
        start = date(int(text[:4]), (int(text[6:]) - 1) * 3 + 1, 1)
        return start, period_end(start, "quarter")
    if len(text) == 4:
        return date(int(text), 1, 1), date(int(text), 12, 31)
    start = date(int(text[:4]), int(text[5:7]), 1)
    return start, period_end(start, "month")


def filter_release(frame: Frame, *, versions: tuple[int, ...] = (), date_from: date | None = None, date_to: date | None = None) -> Frame:
    """Return the rows of a release that an analyst's filters keep: versions, and periods that overlap the dates.

    Filters run on the release, never on the raw table: they can only give whole groups of it.
    """
    if not versions and not date_from and not date_to:
        return frame
    keep = np.ones(frame.rows, dtype=bool)
    if versions:
        variable = frame.variable("versie")
        wanted = [variable.values.index(v) for v in versions if v in variable.values]
        keep &= np.isin(frame.column("versie").fill_null(-1).to_numpy(zero_copy_only=False), wanted)
    if date_from or date_to:
        periods = frame.column("periode")
        distinct = pc.unique(periods).to_pylist()
        chosen = []
        for text in distinct:
            bounds = period_bounds(text or "")
            if bounds and (not date_from or bounds[1] >= date_from) and (not date_to or bounds[0] <= date_to):
                chosen.append(text)
        keep &= np.asarray(pc.is_in(periods, value_set=pa.array(chosen, pa.string())).fill_null(False))
    return replace(frame, table=frame.table.filter(pa.array(keep)), empty={name: reason[keep] for name, reason in frame.empty.items()})

"""The questionnaire versions in the database: loading the content package, reading a version."""

import hashlib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import orjson

from . import published
from .content.definition import Definition
from .content.problems import Problem
from .content.reader import build_definition, read_package
from .errors import ContentError, NotFound, TransitionError
from .models import Questionnaire, StateChange, database
from .workflow import INITIAL_STATE, transition


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    transitions: list[str] = field(default_factory=list)


def stored_mapping(definition: Definition) -> dict:
    """Return what a version stores: the normalised file without its state."""
    return {k: v for k, v in definition.source_mapping.items() if k != "state"}


def content_hash(mapping: dict) -> str:
    """Return a stable hash of a stored mapping."""
    return hashlib.sha256(orjson.dumps(mapping, option=orjson.OPT_SORT_KEYS)).hexdigest()


def load_package(directory: Path, *, actor: str = "content package") -> LoadReport:
    """Check every file, then store new versions and state changes in one transaction."""
    definitions, problems = read_package(directory)
    if problems:
        raise ContentError(problems)
    report = LoadReport()
    with database.atomic():
        for definition in definitions:
            _load_definition(definition, actor=actor, report=report)
    published.forget()  # again after the commit: a read while it ran saw the states before
    return report


def _load_definition(definition: Definition, *, actor: str, report: LoadReport) -> None:
    label = f"{definition.slug} v{definition.version}"
    mapping = stored_mapping(definition)
    digest = content_hash(mapping)
    row = Questionnaire.get_or_none(slug=definition.slug, version=definition.version)
    if row is None:
        row = Questionnaire.create(
            slug=definition.slug,
            version=definition.version,
            state=INITIAL_STATE,
            title=definition.title,
            definition=mapping,
            content_hash=digest,
        )
        StateChange.create(questionnaire=row, from_state=None, to_state=INITIAL_STATE, actor=actor, comment="loaded from " + definition.file)
        report.created.append(label)
    elif row.content_hash != digest:
        if row.state != "draft" or row.responses.exists():
            why = "is published" if row.state != "draft" else "has responses"
            raise ContentError(
                [
                    Problem(
                        definition.file,
                        None,
                        f"'version: {row.version}' of '{row.slug}' {why} and its text changed",
                        f"raise 'version' to {_next_version(row.slug)}; a published version never changes",
                    )
                ]
            )
        row.definition, row.content_hash, row.title = mapping, digest, definition.title
        row.save()
        report.updated.append(label)
    else:
        report.unchanged.append(label)
    if row.state != definition.state:
        try:
            transition(row, definition.state, actor=actor, comment="state in " + definition.file)
        except TransitionError as error:
            raise ContentError([Problem(definition.file, None, str(error), "change 'state' in the file")]) from error
        report.transitions.append(f"{label}: {definition.state}")
    if row.state == "published":
        older = Questionnaire.select().where(
            (Questionnaire.slug == row.slug) & (Questionnaire.state == "published") & (Questionnaire.version < row.version)
        )
        for old in older:
            transition(old, "closed", actor=actor, comment=f"superseded by version {row.version}")
            report.transitions.append(f"{old.slug} v{old.version}: closed")


def _next_version(slug: str) -> int:
    latest = Questionnaire.select().where(Questionnaire.slug == slug).order_by(Questionnaire.version.desc()).first()
    return (latest.version if latest else 0) + 1


@lru_cache(maxsize=256)
def _build(row_id: int, content_hash: str, label: str) -> Definition:
    # Keyed by the content hash: a draft edited in place gets a new hash, so never a stale copy.
    stored = Questionnaire.select(Questionnaire.definition).where(Questionnaire.id == row_id).scalar()
    mapping = orjson.loads(stored) if isinstance(stored, (str, bytes)) else stored
    definition, problems = build_definition(mapping | {"state": "draft"}, file=label)
    if problems:
        raise ContentError(problems)
    return definition


@lru_cache(maxsize=512)
def _definition_as(row_id: int, content_hash: str, label: str, state: str, form: str) -> Definition:
    # One object per version, state and form: pages and templates key their caches on it.
    return replace(_build(row_id, content_hash, label), state=state).form(form)


def definition_of(row: Questionnaire, *, form: str | None = None) -> Definition:
    """Return the Definition of a stored version in its state, as one of its forms (built once, kept).

    form names a shorter form ('' or None: the full questionnaire; an unknown name too).
    """
    return _definition_as(row.id, row.content_hash, f"{row.slug} v{row.version}", row.state, form or "")


def open_questionnaire(slug: str, *, form: str | None = None) -> tuple[Questionnaire, Definition]:
    """Return the published version of slug and its definition (as form), or raise NotFound."""
    row = published.current_version(slug)
    if row is None:
        raise NotFound(slug)
    return row, definition_of(row, form=form)

"""The figures of a release kept on disk: a follow-up page is quick even in a fresh server process.

Computing the figures of a release (reading 100,000 responses, raking three waves) takes seconds;
they change only with a new release, the follow-up content or this code. So they are written
once per (release, responses, content, code) as JSON: no pickle, a file read back must never run
code. A file that does not fit the content any more (a wave or indicator gone) is ignored and the
figures are computed again. Files are written whole (a temporary file renamed) and readable by
the server's user only: they hold figures of anonymised data, but small cells' figures are never
written because they are never computed.
"""

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .estimates import Breakdown, Cell, FollowUpFigures, IndicatorFigures, WaveFigure, WaveSample
from .intervals import Change, Estimate
from .reader import FollowUpPackage, Plan

FORMAT = 1
CODE = Path(__file__).resolve().parent  # a change to any module here computes the figures again


@dataclass(frozen=True)
class KeptWeights:
    """What the pages show of a wave's weights, read back from a file."""

    design_effect: float
    n_effective: float


def code_signature() -> str:
    """Return a hash of the follow-up modules, so figures made by other code are not read back."""
    digest = hashlib.sha256(str(FORMAT).encode())
    for path in sorted(CODE.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def file_name(*parts) -> str:
    """Return the file name for the figures of these parts (release, responses, content, code)."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:40] + ".json"


def _estimate(estimate: Estimate | None):
    return None if estimate is None else [estimate.value, estimate.low, estimate.high, estimate.n, estimate.n_effective, estimate.standard_error]


def _change(change: Change | None):
    return None if change is None else [change.difference, change.low, change.high, change.p_value, change.verdict]


def dumps(figures: FollowUpFigures) -> bytes:
    """Return the figures as JSON (waves and indicators by key: the content supplies the rest)."""
    document = {
        "slug": figures.slug,
        "placeholder_population": figures.placeholder_population,
        "outside_waves": figures.outside_waves,
        "versions": figures.versions,
        "samples": [
            {"wave": s.wave.key, "responses": s.responses, "unknown": s.unknown, "design_effect": s.weights.design_effect, "n_effective": s.weights.n_effective}
            for s in figures.samples
        ],
        "indicators": {
            key: {
                "waves": [
                    {
                        "wave": w.wave.key,
                        "n": w.n,
                        "unweighted": _estimate(w.unweighted),
                        "weighted": _estimate(w.weighted),
                        "design_effect": w.design_effect,
                        "change": _change(w.change),
                        "by_mode": {mode: _estimate(e) for mode, e in w.by_mode.items()},
                    }
                    for w in found.waves
                ],
                "breakdowns": [
                    {"dimension": b.dimension, "title": b.title, "wave": b.wave.key, "cells": [[c.category, c.label, c.n, c.value] for c in b.cells]}
                    for b in found.breakdowns
                ],
            }
            for key, found in figures.indicators.items()
        },
    }
    return json.dumps(document, ensure_ascii=False).encode()


def loads(data: bytes, plan: Plan, package: FollowUpPackage) -> FollowUpFigures | None:
    """Return the figures read back, or None when they do not fit the content."""
    document = json.loads(data)
    waves = {w.key: w for w in package.waves}
    if set(document["indicators"]) != set(plan.indicators) or any(s["wave"] not in waves for s in document["samples"]):
        return None

    def estimate(raw):
        return None if raw is None else Estimate(*raw)

    indicators = {}
    for key, raw in document["indicators"].items():
        figure_waves = []
        for w in raw["waves"]:
            figure = WaveFigure(waves[w["wave"]], w["n"], estimate(w["unweighted"]), estimate(w["weighted"]), w["design_effect"])
            figure.change = None if w["change"] is None else Change(*w["change"])
            figure.by_mode = {mode: estimate(e) for mode, e in w["by_mode"].items()}
            figure_waves.append(figure)
        breakdowns = [Breakdown(b["dimension"], b["title"], waves[b["wave"]], [Cell(*c) for c in b["cells"]]) for b in raw["breakdowns"]]
        indicators[key] = IndicatorFigures(plan.indicators[key], figure_waves, breakdowns)
    samples = [WaveSample(waves[s["wave"]], s["responses"], KeptWeights(s["design_effect"], s["n_effective"]), s["unknown"]) for s in document["samples"]]
    return FollowUpFigures(document["slug"], plan, samples, indicators, document["placeholder_population"], document["outside_waves"], document["versions"])


def read(folder: Path, name: str, plan: Plan, package: FollowUpPackage) -> FollowUpFigures | None:
    """Return the figures kept under name, or None (not kept, unreadable, or not fitting the content)."""
    try:
        return loads((folder / name).read_bytes(), plan, package)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write(folder: Path, name: str, figures: FollowUpFigures) -> None:
    """Keep the figures under name: written whole or not at all, readable by the owner only."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(dumps(figures))
        os.replace(temporary, folder / name)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

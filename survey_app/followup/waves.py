"""Fieldwork periods: a baseline, then each follow-up. A response belongs to the wave its date falls in."""

from dataclasses import dataclass
from datetime import date

import numpy as np


@dataclass(frozen=True)
class Wave:
    key: str
    title: str
    start: date
    end: date
    line: int | None = None

    def holds(self, day: date) -> bool:
        """Return True when day falls within the wave (both ends included)."""
        return self.start <= day <= self.end


def wave_codes(days: np.ndarray, waves: tuple[Wave, ...]) -> np.ndarray:
    """Return per response the index of its wave, or -1 outside every wave (days: datetime64[D])."""
    codes = np.full(len(days), -1, dtype=np.int8)
    for index, wave in enumerate(waves):
        inside = (days >= np.datetime64(wave.start, "D")) & (days <= np.datetime64(wave.end, "D"))
        codes[inside & (codes == -1)] = index
    return codes


def count_wave_responses(waves: tuple[Wave, ...], slugs) -> dict[str, list[int]]:
    """Return per questionnaire slug the number of stored responses in each wave (reads the database)."""
    from peewee import fn

    from ..models import Questionnaire, Response

    counts = {}
    for slug in slugs:
        per_wave = []
        for wave in waves:
            query = (
                Response.select(fn.COUNT(Response.id))
                .join(Questionnaire)
                .where((Questionnaire.slug == slug) & (Response.submitted_on >= wave.start) & (Response.submitted_on <= wave.end))
            )
            per_wave.append(query.scalar() or 0)
        counts[slug] = per_wave
    return counts

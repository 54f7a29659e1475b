"""Releases and the ledger: fixed periods, the same files on every download, no pair of releases isolating fewer than k."""

import datetime
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pycanon import anonymity

from survey_app.export.errors import ExportError
from survey_app.export.package import Actor, ExportOptions, export_questionnaire
from survey_app.export.release import check_against, last_closed_end, ledger_sets, newest_release, period_bounds
from survey_app.models import Release

from .conftest import add_response
from .test_anonymise import read_codes

ANALYST = Actor("analist", "analyst")


def export(tmp_path, today, **options):
    now = datetime.datetime.combine(today, datetime.time(12))
    return export_questionnaire("kort", ExportOptions(**options), purpose="t", actor=ANALYST, via="cli", destination=tmp_path, now=now)


def test_a_release_holds_whole_closed_periods_only(kort, tmp_path):
    for day in ("2025-01-10", "2025-02-11", "2025-03-12", "2025-04-02"):
        add_response(kort, {"wijk": "centrum"}, day=day)
    summary = export(tmp_path, datetime.date(2025, 4, 20))  # the second quarter is still open
    assert summary.disclosure.rows_exported == 3
    entry = Release.get(questionnaire="kort", number=1)
    assert entry.period == "2025-Q1" and entry.period_end == datetime.date(2025, 3, 31)
    assert last_closed_end(datetime.date(2025, 4, 1), "month") == datetime.date(2025, 3, 31)
    assert last_closed_end(datetime.date(2025, 3, 31), "quarter") == datetime.date(2024, 12, 31)


def test_one_more_response_does_not_make_a_new_release(kort, tmp_path):
    # the differencing attack of the issue: an export minus the one before it leaves one resident
    for _ in range(4):
        add_response(kort, {"wijk": "centrum"}, day="2025-02-10")
    first = export(tmp_path, datetime.date(2025, 4, 1))
    add_response(kort, {"wijk": "zwartberg"}, day="2025-05-10")  # k = 2 for kort: one is too few
    second = export(tmp_path, datetime.date(2025, 7, 1))
    assert Release.select().count() == 1
    assert second.disclosure.rows_exported == first.disclosure.rows_exported
    assert second.disclosure.release["notes"]  # says why no newer release was made
    assert (first.folder / "kort-codes.csv").read_bytes() == (second.folder / "kort-codes.csv").read_bytes()
    readme = (second.folder / "LEESMIJ.txt").read_text(encoding="utf-8")
    assert "controle tegen eerdere vrijgaven: geen: dit is de eerste vrijgave" in readme
    assert "opmerking: " in readme


def test_a_later_release_keeps_ids_and_checks_the_ledger(kort, tmp_path):
    for _ in range(4):
        add_response(kort, {"wijk": "centrum", "geboortejaar": 1980}, day="2025-02-10")
    first = export(tmp_path, datetime.date(2025, 4, 1))
    for _ in range(3):
        add_response(kort, {"wijk": "centrum", "geboortejaar": 1980}, day="2025-05-10")
    second = export(tmp_path, datetime.date(2025, 7, 1))
    assert Release.select().count() == 2
    old, new = read_codes(first), read_codes(second)
    assert set(old["respondent"]) < set(new["respondent"])
    assert len(set(new["respondent"]) - set(old["respondent"])) == 3
    [check] = second.disclosure.release["ledger_checks"]
    assert check == {"against_release": 1, "only_in_new": 3, "only_in_earlier": 0, "in_both": 4, "result": "ok"}
    report = json.loads((second.folder / "disclosure.json").read_text())
    assert report["release"]["ledger_result"] == "ok" and report["release"]["number"] == 2
    assert anonymity.k_anonymity(new, ["periode", "antwoordtaal", "afnamewijze", "afnamekanaal", "wijk", "geboortejaar"]) >= 2


def test_suppression_is_monotone(kort, tmp_path):
    for _ in range(3):
        add_response(kort, {"wijk": "centrum"}, day="2025-02-10")
    add_response(kort, {"wijk": "zwartberg"}, day="2025-02-11")  # alone: its wijk is hidden in release 1,
    add_response(kort, {}, day="2025-02-11")  # in one group with a response without a wijk
    first = export(tmp_path, datetime.date(2025, 4, 1))
    for _ in range(3):
        add_response(kort, {"wijk": "zwartberg"}, day="2025-02-12")  # late arrivals for the same quarter
    second = export(tmp_path, datetime.date(2025, 7, 1))
    old, new = read_codes(first), read_codes(second)
    hidden = set(old.loc[old["wijk"] == "", "respondent"])
    assert hidden
    assert set(new.loc[new["respondent"].isin(hidden), "wijk"]) == {""}  # still hidden, though three more live there now


def test_a_release_that_would_show_deleted_responses_is_refused_with_a_reason(kort, tmp_path):
    responses = [add_response(kort, {"wijk": "centrum"}, day="2025-02-10") for _ in range(4)]
    export(tmp_path, datetime.date(2025, 4, 1))
    responses[0].delete_instance()
    with pytest.raises(ExportError) as caught:
        export(tmp_path, datetime.date(2025, 4, 2))
    assert caught.value.code == "release_gone"
    assert "1 of its responses were deleted" in str(caught.value)


def test_filters_run_on_the_release(kort, tmp_path):
    for day in ("2025-01-10", "2025-01-11", "2025-02-10", "2025-02-11"):
        add_response(kort, {"wijk": "centrum"}, day=day)
    summary = export(tmp_path, datetime.date(2025, 4, 1), date_from=datetime.date(2025, 2, 1))
    data = read_codes(summary)
    assert all(period_bounds(p)[1] >= datetime.date(2025, 2, 1) for p in data["periode"])
    assert Release.get().rows == 4  # the release itself is whole


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(2, 6), st.lists(st.integers(0, 400), min_size=1, max_size=6), st.integers(0, 10**6))
def test_no_pair_of_releases_passing_the_checks_isolates_fewer_than_k(k, sizes, seed):
    rng = np.random.default_rng(seed)
    universe = rng.choice(10**9, size=sum(sizes) + 50, replace=False)
    # releases grow, and sometimes lose a few responses (deleted), as the ledger would see them
    accepted = []
    current = np.zeros(0, np.int64)
    for grow in sizes:
        candidate = np.union1d(current, universe[len(current) : len(current) + grow])
        if rng.random() < 0.3 and len(candidate):
            candidate = np.setdiff1d(candidate, rng.choice(candidate, size=rng.integers(1, 4)))
        checks = [check_against(candidate, old, k, n) for n, old in enumerate(accepted)]
        if len(candidate) >= k and all(c.ok for c in checks):
            accepted.append(candidate)
            current = candidate
    for a in accepted:
        for b in accepted:
            for part in (np.setdiff1d(a, b), np.intersect1d(a, b)):
                assert len(part) == 0 or len(part) >= k


def test_every_pair_in_a_real_ledger_passes(kort, tmp_path):
    days = ["2025-01-10"] * 3 + ["2025-04-10"] * 2 + ["2025-07-10"] * 1 + ["2025-10-10"] * 4
    for day in days:
        add_response(kort, {"wijk": "centrum"}, day=day)
    for today in ("2025-04-01", "2025-07-01", "2025-10-01", "2026-01-01"):
        export(tmp_path, datetime.date.fromisoformat(today))
    sets = [ledger_sets(entry)[0] for entry in Release.select()]
    assert len(sets) >= 2
    for a in sets:
        for b in sets:
            for part in (np.setdiff1d(a, b), np.intersect1d(a, b)):
                assert len(part) == 0 or len(part) >= 2


def test_a_release_can_hold_whole_follow_up_waves(kort, tmp_path):
    """release_period: wave: a release ends on the last day of the newest wave that has ended."""
    from survey_app.followup.waves import Wave

    waves = (Wave("nulmeting", "Nulmeting", datetime.date(2025, 2, 1), datetime.date(2025, 5, 15)), Wave("opvolging_2026", "Opvolging", datetime.date(2026, 2, 1), datetime.date(2026, 5, 15)))
    for day in ("2025-02-10", "2025-02-11", "2025-05-14", "2025-05-15", "2025-05-16", "2025-05-17", "2026-02-03", "2026-02-04"):
        add_response(kort, {"wijk": "centrum"}, day=day)  # two per month: k = 2 keeps every one
    with pytest.raises(ExportError) as refused:  # the baseline is still in the field
        newest_release("kort", today=datetime.date(2025, 4, 1), period="wave", waves=waves)
    assert "no wave has ended yet" in str(refused.value)
    assert Release.select().count() == 0
    made = newest_release("kort", today=datetime.date(2025, 9, 1), period="wave", waves=waves)
    assert (made.entry.period, made.entry.period_end, made.entry.rows) == ("nulmeting", datetime.date(2025, 5, 15), 4)
    # During the follow-up's fieldwork nothing newer is released, whatever month or quarter ended.
    assert newest_release("kort", today=datetime.date(2026, 4, 1), period="wave", waves=waves).entry.number == 1
    later = newest_release("kort", today=datetime.date(2026, 6, 1), period="wave", waves=waves)
    assert (later.entry.number, later.entry.period, later.entry.rows) == (2, "opvolging_2026", 8)
    assert last_closed_end(datetime.date(2026, 5, 15), "wave", waves) == datetime.date(2025, 5, 15)

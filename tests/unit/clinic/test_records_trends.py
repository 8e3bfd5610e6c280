"""The patient's own trend on a level (clinic.records.trends): sessions written through the store's API, read back on
SQLite and on a real PostgreSQL server; the results screen's guarded read gives None rather than an error."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from clinic.records.store import RecordsStore, open_store
from clinic.records.trend_types import Direction, LevelTrend, SessionPoint
from clinic.records.trends import read_level_trend, recent_level_trend
from clinic.records.types import TrialOutcome, TrialRecord
from tests.support import postgres
from tests.support.progress_records import LEVELS, PATIENT, fill_store

postgres_server = postgres.postgres_server  # fixtures, shared with the other records tests
records_db = postgres.records_db

ANNA = "P-ANNA01"
FIRST = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
S, M, K, U = TrialOutcome.SUCCESS, TrialOutcome.MISS, TrialOutcome.SKIPPED, TrialOutcome.UNFINISHED


def write_session(
    store: RecordsStore,
    patient: str,
    day: int,
    runs: list[tuple[str, list[tuple[TrialOutcome, int | None, float | None]]]],
) -> None:
    """One session ``day`` days after FIRST, with level runs of (level name, [(outcome, stars, sparc), ...])."""
    started = FIRST + timedelta(days=day)
    session = store.start_session(patient, started_at=started)
    for level, trials in runs:
        run = store.start_level_run(session.uuid, level, "reach", started_at=started)
        for index, (outcome, stars, sparc) in enumerate(trials):
            store.add_trial(run.uuid, TrialRecord(index=index, outcome=outcome, time_s=1.0, stars=stars, sparc=sparc))
    store.end_session(session.uuid, complete=True, ended_at=started + timedelta(minutes=10))


def test_the_trend_of_a_level_over_sessions_on_both_databases(records_db: postgres.RecordsDb) -> None:
    with open_store(data_dir=records_db.data_dir, db=records_db.url, environ={}, import_calibrations=False) as store:
        store.add_patient(ANNA)
        store.add_patient("P-OTHER1")
        write_session(store, ANNA, 0, [("reach", [(S, 2, -2.4), (M, 1, -2.8), (S, None, None)])])
        write_session(store, ANNA, 2, [("grasp", [(S, 3, -1.5)])])  # another level only: not a session of reach
        # Played twice in one session (Play again): one point; skipped and unfinished trials are not counted.
        write_session(
            store, ANNA, 4, [("reach", [(S, 3, -1.9), (K, None, None)]), ("reach", [(S, 2, -2.1), (U, 0, -3.5)])]
        )
        write_session(store, "P-OTHER1", 5, [("reach", [(M, 0, -4.0)])])  # another patient
        write_session(store, ANNA, 6, [("reach", [(S, 3, -1.6), (S, 3, -1.5), (M, 2, -1.7), (S, 3, -1.6)])])
        trend = read_level_trend(store, ANNA, "reach")
    assert [point.started_at for point in trend.points] == [FIRST, FIRST + timedelta(days=4), FIRST + timedelta(days=6)]
    assert [(point.trials, point.successes) for point in trend.points] == [(3, 2), (2, 2), (4, 3)]
    assert [point.success_rate for point in trend.points] == pytest.approx([2 / 3, 1.0, 0.75])
    assert [point.mean_stars for point in trend.points] == pytest.approx([1.5, 2.5, 2.75])
    assert [point.mean_sparc for point in trend.points] == pytest.approx([-2.6, -2.0, -1.6])
    # today's SPARC (-1.6) is above the earlier sessions' mean (-2.3) by more than the margin: steadier
    assert trend.comparable and trend.smoothness_direction() is Direction.BETTER
    assert trend.success_direction() is Direction.SAME  # 0.75 against a mean of 0.83: within one goal in ten


def test_only_the_most_recent_sessions_are_read(tmp_path: Path) -> None:
    with open_store(data_dir=tmp_path, environ={}, import_calibrations=False) as store:
        store.add_patient(ANNA)
        for day in range(6):
            write_session(store, ANNA, day, [("reach", [(S, 3, -1.5 - 0.1 * day)])])
        trend = read_level_trend(store, ANNA, "reach", sessions=4)
    assert [point.started_at for point in trend.points] == [FIRST + timedelta(days=day) for day in (2, 3, 4, 5)]
    # the last SPARC (-2.0) is below the earlier sessions' mean (-1.8) by more than the margin: less steady
    assert trend.smoothness_direction() is Direction.WORSE


def test_the_trend_agrees_with_the_stores_own_reads(tmp_path: Path) -> None:
    """On the report tests' filled records: each point equals what the store's sessions, runs and trials give."""
    fill_store(tmp_path, sessions=12)
    level = LEVELS[0][0]
    with open_store(data_dir=tmp_path, environ={}, import_calibrations=False) as store:
        trend = read_level_trend(store, PATIENT, level)
        expected: list[SessionPoint] = []
        for summary in store.sessions(PATIENT):
            trials = [
                trial
                for run in store.level_runs(summary.session.uuid)
                if run.level_name == level
                for trial in store.trials(run.uuid)
                if trial.outcome in (S, M)
            ]
            stars = [trial.stars for trial in trials if trial.stars is not None]
            sparcs = [trial.sparc for trial in trials if trial.sparc is not None]
            expected.append(
                SessionPoint(
                    session=summary.session.uuid,
                    started_at=summary.session.started_at,
                    trials=len(trials),
                    successes=sum(trial.outcome is S for trial in trials),
                    mean_stars=sum(stars) / len(stars) if stars else None,
                    mean_sparc=sum(sparcs) / len(sparcs) if sparcs else None,
                )
            )
    assert len(trend.points) == 10  # the last ten of twelve
    for point, wanted in zip(trend.points, expected[-10:], strict=True):
        assert (point.session, point.started_at, point.trials, point.successes, point.mean_stars) == (
            wanted.session,
            wanted.started_at,
            wanted.trials,
            wanted.successes,
            wanted.mean_stars,
        )
        assert point.mean_sparc == pytest.approx(wanted.mean_sparc)


def test_the_results_screens_read_gives_none_without_records_or_patient(tmp_path: Path) -> None:
    assert recent_level_trend(None, ANNA, "reach") is None
    with open_store(data_dir=tmp_path, environ={}, import_calibrations=False) as store:
        assert recent_level_trend(store, "P-NOBODY", "reach") is None
        store.add_patient(ANNA)
        empty = recent_level_trend(store, ANNA, "reach")
        assert empty == LevelTrend(ANNA, "reach", ())
        assert not empty.comparable and empty.smoothness_direction() is None and empty.success_direction() is None
        write_session(store, ANNA, 0, [("reach", [(S, 3, -1.5)])])
        one = recent_level_trend(store, ANNA, "reach")
        with pytest.raises(ValueError, match="at least 1"):
            read_level_trend(store, ANNA, "reach", sessions=0)
    assert one is not None and len(one.points) == 1 and not one.comparable

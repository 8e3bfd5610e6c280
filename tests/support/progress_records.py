"""A records store filled through its API with a patient's sessions, trials, breaks, injections, an assessment, a plan
and difficulty changes: the input of the report and export tests and of benchmarks/bench_reports.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from clinic.records.store import RecordsStore, open_store
from clinic.records.types import BreakRecord, DifficultyChangeRecord, PlanFormat, TrialOutcome, TrialRecord
from tracking.quality_types import BreakKind
from tracking.types import Effector

PATIENT = "P-REPORT1"
FIRST_SESSION = datetime(2026, 1, 5, 10, 0, tzinfo=timezone.utc)
INJECTIONS = (date(2025, 12, 29), date(2026, 1, 16))
LEVELS = (("reach-near", "reach"), ("head-turn", "head"))
TRIALS_PER_RUN = 6
DAYS_BETWEEN_SESSIONS = 3
PLAN_TEXT = 'levels = ["reach-near", "head-turn"]\nsessions_per_week = 3\n'
ASSESSMENT = {
    "format_version": 1,
    "kind": "motorplay-assessment",
    "level": "assessment",
    "steps": {
        "head_range": {"outcome": "success", "duration_s": 10.0, "measured": True, "turn_left_max_deg": 52.0,
                       "turn_right_max_deg": 38.5, "chin_up_max_deg": 30.0, "chin_down_max_deg": 41.0,
                       "tilt_left_max_deg": 22.0, "tilt_right_max_deg": 18.0, "samples": 300},
        "rest_posture": {"outcome": "success", "duration_s": 5.0, "measured": True, "median_yaw_deg": -12.5,
                         "median_pitch_deg": 4.0, "median_roll_deg": 6.0, "samples": 150},
    },
}


@dataclass(frozen=True)
class FilledStore:
    """What :func:`fill_store` wrote: the store's folder and the counts to compare with."""

    data_dir: Path
    sessions: int
    trials: int
    breaks: int


def _trial(session: int, run: int, index: int, ended_at: datetime) -> TrialRecord:
    """A trial whose values depend on its place, so that every row is different; the head level has no SPARC."""
    breaks = tuple(
        BreakRecord(t_s=0.4 + 0.3 * k, kind=list(BreakKind)[(session + k) % len(BreakKind)],
                    effector=Effector.HAND if run == 0 else None, severity=0.5 + 0.1 * k)
        for k in range((session + index) % 3)
    )
    return TrialRecord(
        index=index,
        outcome=TrialOutcome.SUCCESS if (session + index) % 4 else TrialOutcome.MISS,
        time_s=2.0 + 0.1 * index + 0.05 * session,
        start_s=3.0 * index,
        points=10 * index,
        params={"target_radius_px": 40 - session % 5},
        sparc=None if run == 1 else -2.2 + 0.02 * session + 0.01 * index,
        ldlj=None if run == 1 else -7.5 + 0.03 * session,
        measures={"peak_speed_norm_per_s": 0.8 + 0.01 * index},
        breaks=breaks,
        ended_at=ended_at,
    )


def fill_store(data_dir: Path, *, sessions: int = 8) -> FilledStore:
    """Write ``sessions`` sessions of two levels each (with trials, breaks and difficulty changes), two injections,
    an assessment and a plan for :data:`PATIENT` into the SQLite records in ``data_dir``."""
    trials = breaks = 0
    with open_store(data_dir=data_dir, environ={}, station="test-station", import_calibrations=False) as store:
        store.add_patient(PATIENT, "Report Test")
        for day in INJECTIONS:
            store.add_injection(PATIENT, day, note="cervical: SCM left, splenius right")
        store.add_assessment(PATIENT, ASSESSMENT, recorded_at=FIRST_SESSION - timedelta(hours=1))
        store.add_plan(PATIENT, PLAN_TEXT, plan_format=PlanFormat.TOML, author="therapist A",
                       created_at=FIRST_SESSION - timedelta(hours=2))
        for number in range(sessions):
            added = _session(store, number)
            trials += added[0]
            breaks += added[1]
    return FilledStore(data_dir, sessions, trials, breaks)


def _session(store: RecordsStore, number: int) -> tuple[int, int]:
    start = FIRST_SESSION + timedelta(days=DAYS_BETWEEN_SESSIONS * number)
    session = store.start_session(PATIENT, started_at=start)
    trials = breaks = 0
    for position, (level, family) in enumerate(LEVELS):
        run = store.start_level_run(session.uuid, level, family, started_at=start + timedelta(minutes=5 * position))
        for index in range(TRIALS_PER_RUN):
            trial = _trial(number, position, index, start + timedelta(minutes=5 * position, seconds=10 * (index + 1)))
            store.add_trial(run.uuid, trial)
            trials += 1
            breaks += len(trial.breaks)
        store.add_difficulty_change(DifficultyChangeRecord(
            level_run=run.uuid, from_value=number, to_value=number + 1,
            reason=f"success rate above the plan's goal in session {number + 1}",
            changed_at=start + timedelta(minutes=5 * position + 2),
        ))
    store.end_session(session.uuid, complete=number % 5 != 4, ended_at=start + timedelta(minutes=12))
    return trials, breaks

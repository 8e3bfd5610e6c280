"""A patient's progress read from the records: one point per level run, the assessments, injections, plan and changes.

Pure reading and arithmetic over :class:`clinic.records.store.RecordsStore`'s plain records; the plots
(:mod:`clinic.reports.progress_plots`), the report (:mod:`clinic.reports.progress_document`) and the exports
(:mod:`clinic.reports.export_csv`, :mod:`clinic.reports.export_fhir`) are built from what this returns.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from pathlib import Path
from uuid import UUID

from pydantic import JsonValue

from clinic.records.store import RecordsStore
from clinic.records.types import (
    AssessmentRecord,
    DifficultyChangeRecord,
    InjectionRecord,
    LevelRunRecord,
    PatientRecord,
    PlanRecord,
    SessionSummary,
    TrialOutcome,
    TrialRecord,
)
from levels.assessment.record import assessments_folder

SECONDS_PER_MINUTE = 60.0
# Keys of a difficulty value (when it is a JSON object rather than a number) that hold the level's difficulty.
DIFFICULTY_KEYS = ("difficulty", "level", "value")
# The assessment steps whose angles the report shows (levels.assessment.rules.Step), and their measures (degrees).
HEAD_RANGE_STEP = "head_range"
REST_POSTURE_STEP = "rest_posture"
HEAD_RANGE_KEYS = (
    "turn_left_max_deg", "turn_right_max_deg", "chin_up_max_deg", "chin_down_max_deg", "tilt_left_max_deg",
    "tilt_right_max_deg",
)
REST_POSTURE_KEYS = ("median_yaw_deg", "median_pitch_deg", "median_roll_deg")


@dataclass(frozen=True)
class LevelRunPoint:
    """One level run's measures: what the report plots and the exports write, per level over sessions.

    ``success_rate`` is successes over trials (0 to 1), ``sparc_median`` the median SPARC of the trials that have
    one (dimensionless, closer to 0 is smoother), ``breaks_per_min`` breaks over the trials' time on the level clock
    (minutes), ``difficulty`` the level's difficulty after the run's last recorded change (``None`` when no change
    was recorded), ``weeks_since_injection`` the session's place in the injection cycle.
    """

    session_number: int
    session: UUID
    level_run: UUID
    started_at: datetime
    level_name: str
    family: str
    trials: int
    successes: int
    breaks: int
    active_s: float
    success_rate: float | None
    sparc_median: float | None
    breaks_per_min: float | None
    difficulty: float | None
    weeks_since_injection: float | None


@dataclass(frozen=True)
class RunTrials:
    """A level run with its trials (each with its breaks), for the CSV export."""

    summary: SessionSummary
    run: LevelRunRecord
    trials: tuple[TrialRecord, ...]


@dataclass(frozen=True)
class AssessmentPoint:
    """One assessment's head angles (degrees): range of motion and resting posture; empty when not measured."""

    version: int
    recorded_at: datetime
    source: str
    head_range_deg: Mapping[str, float]
    rest_posture_deg: Mapping[str, float]


@dataclass(frozen=True)
class PatientProgress:
    """Everything the report and the exports show of one patient."""

    patient: PatientRecord
    since: date | None
    sessions: tuple[SessionSummary, ...]
    runs: tuple[RunTrials, ...]
    points: tuple[LevelRunPoint, ...]
    assessments: tuple[AssessmentPoint, ...]
    injections: tuple[InjectionRecord, ...]
    plan: PlanRecord | None
    difficulty_changes: tuple[DifficultyChangeRecord, ...]

    def levels(self) -> list[str]:
        """Return the names of the levels played, in the order first played."""
        return list(dict.fromkeys(point.level_name for point in self.points))


def numeric_difficulty(value: JsonValue) -> float | None:
    """Return a difficulty as a number: the value itself, or one of :data:`DIFFICULTY_KEYS` of an object."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, dict):
        for key in DIFFICULTY_KEYS:
            found = numeric_difficulty(value.get(key))
            if found is not None:
                return found
    return None


def _ratio(numerator: float, denominator: float) -> float | None:
    """Return ``numerator / denominator``; ``None`` when the denominator is not positive or the ratio not finite."""
    if denominator <= 0:
        return None
    ratio = numerator / denominator
    return ratio if math.isfinite(ratio) else None


def finite_median(values: Sequence[float]) -> float | None:
    """Return the median of finite ``values`` (``None`` without any); middle values too large to add are halved."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    low, high = ordered[middle - 1], ordered[middle]
    return (low + high) / 2 if math.isfinite(low + high) else low / 2 + high / 2


def level_run_point(
    summary: SessionSummary, run: LevelRunRecord, trials: Sequence[TrialRecord], difficulty: float | None
) -> LevelRunPoint:
    """Return the measures of one level run from its trials (see :class:`LevelRunPoint`)."""
    sparcs = [trial.sparc for trial in trials if trial.sparc is not None]
    successes = sum(1 for trial in trials if trial.outcome is TrialOutcome.SUCCESS)
    breaks = sum(len(trial.breaks) for trial in trials)
    active_s = sum(trial.time_s for trial in trials)
    return LevelRunPoint(
        session_number=summary.number,
        session=summary.session.uuid,
        level_run=run.uuid,
        started_at=run.started_at,
        level_name=run.level_name,
        family=run.family,
        trials=len(trials),
        successes=successes,
        breaks=breaks,
        active_s=active_s,
        success_rate=_ratio(successes, len(trials)),
        sparc_median=finite_median(sparcs),
        breaks_per_min=_ratio(breaks, active_s / SECONDS_PER_MINUTE),
        difficulty=difficulty,
        weeks_since_injection=summary.weeks_since_injection,
    )


def _angles(payload: Mapping[str, JsonValue], step: str, keys: Sequence[str]) -> dict[str, float]:
    steps = payload.get("steps")
    measures = steps.get(step) if isinstance(steps, dict) else None
    if not isinstance(measures, dict):
        return {}
    return {
        key: float(value)
        for key in keys
        if isinstance(value := measures.get(key), (int, float)) and not isinstance(value, bool)
    }


def assessment_point(
    version: int, recorded_at: datetime, payload: Mapping[str, JsonValue], source: str
) -> AssessmentPoint:
    """Return the head angles of one assessment payload (the assessment level's JSON, :mod:`levels.assessment`)."""
    return AssessmentPoint(
        version=version,
        recorded_at=recorded_at,
        source=source,
        head_range_deg=_angles(payload, HEAD_RANGE_STEP, HEAD_RANGE_KEYS),
        rest_posture_deg=_angles(payload, REST_POSTURE_STEP, REST_POSTURE_KEYS),
    )


def _from_store(records: Sequence[AssessmentRecord]) -> list[AssessmentPoint]:
    return [assessment_point(r.version, r.recorded_at, r.payload, "the records store") for r in records]


def _file_time(payload: Mapping[str, JsonValue], path: Path) -> datetime:
    taken = payload.get("taken_at")
    if isinstance(taken, str):
        try:
            moment = datetime.fromisoformat(taken)
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is not None:
            return moment.astimezone(timezone.utc)
    return datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)


def assessments_from_files(data_dir: Path, patient: str) -> list[AssessmentPoint]:
    """Return the assessments the assessment level wrote as JSON files, oldest first (files that are not one skipped).

    The files are ``<data dir>/patients/<patient>/assessments/*.json``
    (:func:`levels.assessment.record.save_assessment`).
    """
    try:
        folder = assessments_folder(data_dir, patient)
    except ValueError:
        return []
    found: list[tuple[datetime, Path, dict[str, JsonValue]]] = []
    for path in sorted(folder.glob("*.json")):
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            continue  # not an assessment file this report can read; the store is the record of truth
        if isinstance(payload, dict) and payload.get("kind") == "motorplay-assessment":
            found.append((_file_time(payload, path), path, payload))
    found.sort(key=lambda item: item[0])
    return [assessment_point(n, moment, payload, path.name) for n, (moment, path, payload) in enumerate(found, 1)]


def _since_moment(since: date | None) -> datetime | None:
    return None if since is None else datetime.combine(since, time(0), tzinfo=timezone.utc)


def _run_difficulties(changes: Sequence[DifficultyChangeRecord]) -> dict[UUID, float]:
    """Return the difficulty after each level run's last change with a numeric value (changes come oldest first)."""
    latest: dict[UUID, float] = {}
    for change in changes:
        value = numeric_difficulty(change.to_value)
        if value is not None:
            latest[change.level_run] = value
    return latest


def read_progress(store: RecordsStore, patient: str, *, since: date | None = None) -> PatientProgress:
    """Return the patient's progress from the records: sessions started on or after ``since`` (UTC day), all if None.

    Assessments come from the records; when the records hold none, from the assessment level's JSON files in the
    store's data folder.

    Raises
    ------
    clinic.records.errors.UnknownPatientError
        No such patient.
    """
    record = store.patient(patient)
    start = _since_moment(since)
    sessions = [s for s in store.sessions(patient) if start is None or s.session.started_at >= start]
    changes = [c for c in store.difficulty_changes(patient) if start is None or c.changed_at >= start]
    difficulties = _run_difficulties(changes)
    runs: list[RunTrials] = []
    points: list[LevelRunPoint] = []
    for summary in sessions:
        for run in store.level_runs(summary.session.uuid):
            trials = tuple(store.trials(run.uuid))
            runs.append(RunTrials(summary, run, trials))
            points.append(level_run_point(summary, run, trials, difficulties.get(run.uuid)))
    assessments = _from_store(store.assessments(patient)) or assessments_from_files(
        store.location.data_dir, patient
    )
    return PatientProgress(
        patient=record,
        since=since,
        sessions=tuple(sessions),
        runs=tuple(runs),
        points=tuple(points),
        assessments=tuple(a for a in assessments if start is None or a.recorded_at >= start),
        injections=tuple(store.injections(patient)),
        plan=store.plan(patient),
        difficulty_changes=tuple(changes),
    )

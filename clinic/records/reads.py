"""Queries of the records, each turning rows into plain records (:mod:`clinic.records.types`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TypeVar
from uuid import UUID

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session as OrmSession

from clinic.records import models, types
from clinic.records.cycles import weeks_since_injection
from clinic.records.errors import RecordValueError, UnknownPatientError
from clinic.records.rows import DIFFICULTY_CHANGE_FIELDS, LEVEL_RUN_FIELDS, SESSION_FIELDS, TRIAL_FIELDS, same_fields
from tracking.quality_types import BreakKind
from tracking.types import Effector

# The versioned tables: a patient's numbered history.
_Version = TypeVar("_Version", models.CalibrationVersion, models.AssessmentVersion, models.PlanVersion)


def patient_row(orm: OrmSession, code: str) -> models.Patient:
    """Return the patient ``code``; :class:`UnknownPatientError` when there is none."""
    row = orm.scalar(select(models.Patient).where(models.Patient.code == code))
    if row is None:
        raise UnknownPatientError(code)
    return row


def patient_record(row: models.Patient) -> types.PatientRecord:
    """Return the patient ``row`` as a record."""
    return types.PatientRecord(code=row.code, display_name=row.display_name, created_at=row.created_at)


def all_patients(orm: OrmSession) -> list[types.PatientRecord]:
    """Return every patient, by code."""
    rows = orm.scalars(select(models.Patient).order_by(models.Patient.code)).all()
    return [patient_record(row) for row in rows]


def injection_dates(orm: OrmSession, patient_id: int) -> list[date]:
    """Return the days of the patient's botulinum toxin injections (row id ``patient_id``), in no order."""
    return list(
        orm.scalars(select(models.Injection.injected_on).where(models.Injection.patient_id == patient_id)).all()
    )


def injections(orm: OrmSession, patient: models.Patient) -> list[types.InjectionRecord]:
    """Return the patient's injections, oldest first."""
    rows = orm.scalars(
        select(models.Injection).where(models.Injection.patient_id == patient.id).order_by(models.Injection.injected_on)
    ).all()
    return [types.InjectionRecord(patient=patient.code, injected_on=row.injected_on, note=row.note) for row in rows]


def session_record(row: models.Session, patient_code: str) -> types.SessionRecord:
    """Return the session ``row`` as a record of patient ``patient_code``."""
    return types.SessionRecord(patient=patient_code, **same_fields(row, SESSION_FIELDS))


def session_summaries(orm: OrmSession, patient: models.Patient) -> list[types.SessionSummary]:
    """Return the patient's sessions, oldest first, with their counts and weeks since the last injection."""
    trial_count = func.count(models.Trial.id)
    successes = func.coalesce(func.sum(case((models.Trial.outcome == types.TrialOutcome.SUCCESS.value, 1), else_=0)), 0)
    runs = func.count(func.distinct(models.LevelRun.id))
    statement = (
        select(models.Session, runs, trial_count, successes)
        .outerjoin(models.LevelRun, models.LevelRun.session_id == models.Session.id)
        .outerjoin(models.Trial, models.Trial.level_run_id == models.LevelRun.id)
        .where(models.Session.patient_id == patient.id)
        .group_by(models.Session.id)
        .order_by(models.Session.started_at, models.Session.id)
    )
    dates = injection_dates(orm, patient.id)
    return [
        types.SessionSummary(
            number=row.id,
            session=session_record(row, patient.code),
            level_runs=int(run_count),
            trials=int(trials),
            successes=int(success_count),
            weeks_since_injection=weeks_since_injection(dates, row.started_at),
        )
        for row, run_count, trials, success_count in orm.execute(statement).all()
    ]


def session_row(orm: OrmSession, uuid: UUID) -> models.Session:
    """Return the session ``uuid``; :class:`RecordValueError` when there is none."""
    row = orm.scalar(select(models.Session).where(models.Session.uuid == uuid))
    if row is None:
        raise RecordValueError(f"session {uuid} not found in the records")
    return row


def level_runs(orm: OrmSession, session: models.Session) -> list[types.LevelRunRecord]:
    """Return the session's level runs in the order they were played."""
    rows = orm.scalars(
        select(models.LevelRun).where(models.LevelRun.session_id == session.id).order_by(models.LevelRun.position)
    ).all()
    return [types.LevelRunRecord(session=session.uuid, **same_fields(row, LEVEL_RUN_FIELDS)) for row in rows]


def trials(orm: OrmSession, level_run: UUID) -> list[types.TrialRecord]:
    """Return the level run's trials in order, each with its breaks in time order."""
    run_id = orm.scalar(select(models.LevelRun.id).where(models.LevelRun.uuid == level_run))
    if run_id is None:
        raise RecordValueError(f"level run {level_run} not found in the records")
    rows = orm.scalars(
        select(models.Trial).where(models.Trial.level_run_id == run_id).order_by(models.Trial.trial_index)
    ).all()
    breaks: dict[int, list[types.BreakRecord]] = {row.id: [] for row in rows}
    events = orm.scalars(
        select(models.BreakEvent)
        .join(models.Trial, models.Trial.id == models.BreakEvent.trial_id)
        .where(models.Trial.level_run_id == run_id)
        .order_by(models.BreakEvent.trial_id, models.BreakEvent.t_s, models.BreakEvent.id)
    ).all()
    for event in events:
        breaks[event.trial_id].append(
            types.BreakRecord(
                t_s=event.t_s,
                kind=BreakKind(event.kind),
                effector=None if event.effector is None else Effector(event.effector),
                severity=event.severity,
            )
        )
    return [_trial_record(row, tuple(breaks[row.id])) for row in rows]


def _trial_record(row: models.Trial, breaks: tuple[types.BreakRecord, ...]) -> types.TrialRecord:
    return types.TrialRecord(
        index=row.trial_index, outcome=types.TrialOutcome(row.outcome), breaks=breaks, **same_fields(row, TRIAL_FIELDS)
    )


def _versions(orm: OrmSession, table: type[_Version], patient: models.Patient) -> Sequence[_Version]:
    """Return the patient's rows of the versioned ``table``, oldest version first."""
    return orm.scalars(select(table).where(table.patient_id == patient.id).order_by(table.version)).all()


def calibrations(orm: OrmSession, patient: models.Patient) -> list[types.CalibrationRecord]:
    """Return every version of the patient's calibration, oldest first."""
    rows = _versions(orm, models.CalibrationVersion, patient)
    return [
        types.CalibrationRecord(
            patient=patient.code, version=row.version, saved_at=row.saved_at, payload=row.payload, source=row.source
        )
        for row in rows
    ]


def assessments(orm: OrmSession, patient: models.Patient) -> list[types.AssessmentRecord]:
    """Return every version of the patient's assessment, oldest first."""
    rows = _versions(orm, models.AssessmentVersion, patient)
    return [
        types.AssessmentRecord(
            patient=patient.code, version=row.version, recorded_at=row.recorded_at, payload=row.payload
        )
        for row in rows
    ]


def plans(orm: OrmSession, patient: models.Patient) -> list[types.PlanRecord]:
    """Return every version of the patient's plan, oldest first."""
    rows = _versions(orm, models.PlanVersion, patient)
    return [
        types.PlanRecord(
            patient=patient.code,
            version=row.version,
            format=types.PlanFormat(row.format),
            text=row.text,
            author=row.author,
            created_at=row.created_at,
        )
        for row in rows
    ]


def difficulty_changes(orm: OrmSession, patient: models.Patient) -> list[types.DifficultyChangeRecord]:
    """Return the patient's difficulty changes over all sessions, oldest first."""
    statement = (
        select(models.DifficultyChange, models.LevelRun.uuid, models.Trial.uuid)
        .join(models.LevelRun, models.LevelRun.id == models.DifficultyChange.level_run_id)
        .join(models.Session, models.Session.id == models.LevelRun.session_id)
        .outerjoin(models.Trial, models.Trial.id == models.DifficultyChange.trial_id)
        .where(models.Session.patient_id == patient.id)
        .order_by(models.DifficultyChange.changed_at, models.DifficultyChange.id)
    )
    return [
        types.DifficultyChangeRecord(level_run=run_uuid, trial=trial_uuid, **same_fields(row, DIFFICULTY_CHANGE_FIELDS))
        for row, run_uuid, trial_uuid in orm.execute(statement).all()
    ]

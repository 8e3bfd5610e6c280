"""Queries of the records, each turning rows into plain records (:mod:`clinic.records.types`)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session as OrmSession

from clinic.records import models
from clinic.records.cycles import weeks_since_injection
from clinic.records.errors import RecordValueError, UnknownPatientError
from clinic.records.types import (
    AssessmentRecord,
    BreakRecord,
    CalibrationRecord,
    DifficultyChangeRecord,
    InjectionRecord,
    LevelRunRecord,
    PatientRecord,
    PlanFormat,
    PlanRecord,
    SessionRecord,
    SessionSummary,
    TrialOutcome,
    TrialRecord,
)
from tracking.quality_types import BreakKind
from tracking.types import Effector


def patient_row(orm: OrmSession, code: str) -> models.Patient:
    """The patient ``code``; :class:`UnknownPatientError` when there is none."""
    row = orm.scalar(select(models.Patient).where(models.Patient.code == code))
    if row is None:
        raise UnknownPatientError(code)
    return row


def patient_record(row: models.Patient) -> PatientRecord:
    return PatientRecord(code=row.code, display_name=row.display_name, created_at=row.created_at)


def all_patients(orm: OrmSession) -> list[PatientRecord]:
    rows = orm.scalars(select(models.Patient).order_by(models.Patient.code)).all()
    return [patient_record(row) for row in rows]


def injection_dates(orm: OrmSession, patient_id: int) -> list[date]:
    return list(
        orm.scalars(select(models.Injection.injected_on).where(models.Injection.patient_id == patient_id)).all()
    )


def injections(orm: OrmSession, patient: models.Patient) -> list[InjectionRecord]:
    rows = orm.scalars(
        select(models.Injection).where(models.Injection.patient_id == patient.id).order_by(models.Injection.injected_on)
    ).all()
    return [InjectionRecord(patient=patient.code, injected_on=row.injected_on, note=row.note) for row in rows]


def session_record(row: models.Session, patient_code: str) -> SessionRecord:
    return SessionRecord(
        uuid=row.uuid,
        patient=patient_code,
        started_at=row.started_at,
        station=row.station,
        ended_at=row.ended_at,
        complete=row.complete,
    )


def session_summaries(orm: OrmSession, patient: models.Patient) -> list[SessionSummary]:
    """The patient's sessions, oldest first, with their counts and weeks since the last injection."""
    trial_count = func.count(models.Trial.id)
    successes = func.coalesce(func.sum(case((models.Trial.outcome == TrialOutcome.SUCCESS.value, 1), else_=0)), 0)
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
        SessionSummary(
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
    row = orm.scalar(select(models.Session).where(models.Session.uuid == uuid))
    if row is None:
        raise RecordValueError(f"session {uuid} not found in the records")
    return row


def level_runs(orm: OrmSession, session: models.Session) -> list[LevelRunRecord]:
    rows = orm.scalars(
        select(models.LevelRun).where(models.LevelRun.session_id == session.id).order_by(models.LevelRun.position)
    ).all()
    return [
        LevelRunRecord(
            uuid=row.uuid,
            session=session.uuid,
            level_name=row.level_name,
            family=row.family,
            position=row.position,
            started_at=row.started_at,
        )
        for row in rows
    ]


def trials(orm: OrmSession, level_run: UUID) -> list[TrialRecord]:
    """The level run's trials in order, each with its breaks in time order."""
    run_id = orm.scalar(select(models.LevelRun.id).where(models.LevelRun.uuid == level_run))
    if run_id is None:
        raise RecordValueError(f"level run {level_run} not found in the records")
    rows = orm.scalars(
        select(models.Trial).where(models.Trial.level_run_id == run_id).order_by(models.Trial.trial_index)
    ).all()
    breaks: dict[int, list[BreakRecord]] = {row.id: [] for row in rows}
    events = orm.scalars(
        select(models.BreakEvent)
        .join(models.Trial, models.Trial.id == models.BreakEvent.trial_id)
        .where(models.Trial.level_run_id == run_id)
        .order_by(models.BreakEvent.trial_id, models.BreakEvent.t_s, models.BreakEvent.id)
    ).all()
    for event in events:
        breaks[event.trial_id].append(
            BreakRecord(
                t_s=event.t_s,
                kind=BreakKind(event.kind),
                effector=None if event.effector is None else Effector(event.effector),
                severity=event.severity,
            )
        )
    return [_trial_record(row, tuple(breaks[row.id])) for row in rows]


def _trial_record(row: models.Trial, breaks: tuple[BreakRecord, ...]) -> TrialRecord:
    return TrialRecord(
        index=row.trial_index,
        outcome=TrialOutcome(row.outcome),
        time_s=row.time_s,
        start_s=row.start_s,
        points=row.points,
        params=row.params,
        sparc=row.sparc,
        ldlj=row.ldlj,
        stars=row.stars,
        sensory_trick_s=row.sensory_trick_s,
        measures=row.measures,
        breaks=breaks,
        ended_at=row.ended_at,
        uuid=row.uuid,
    )


def calibrations(orm: OrmSession, patient: models.Patient) -> list[CalibrationRecord]:
    rows = orm.scalars(
        select(models.CalibrationVersion)
        .where(models.CalibrationVersion.patient_id == patient.id)
        .order_by(models.CalibrationVersion.version)
    ).all()
    return [
        CalibrationRecord(
            patient=patient.code, version=row.version, saved_at=row.saved_at, payload=row.payload, source=row.source
        )
        for row in rows
    ]


def assessments(orm: OrmSession, patient: models.Patient) -> list[AssessmentRecord]:
    rows = orm.scalars(
        select(models.AssessmentVersion)
        .where(models.AssessmentVersion.patient_id == patient.id)
        .order_by(models.AssessmentVersion.version)
    ).all()
    return [
        AssessmentRecord(patient=patient.code, version=row.version, recorded_at=row.recorded_at, payload=row.payload)
        for row in rows
    ]


def plans(orm: OrmSession, patient: models.Patient) -> list[PlanRecord]:
    rows = orm.scalars(
        select(models.PlanVersion)
        .where(models.PlanVersion.patient_id == patient.id)
        .order_by(models.PlanVersion.version)
    ).all()
    return [
        PlanRecord(
            patient=patient.code,
            version=row.version,
            format=PlanFormat(row.format),
            text=row.text,
            author=row.author,
            created_at=row.created_at,
        )
        for row in rows
    ]


def difficulty_changes(orm: OrmSession, patient: models.Patient) -> list[DifficultyChangeRecord]:
    """The patient's difficulty changes over all sessions, oldest first."""
    statement = (
        select(models.DifficultyChange, models.LevelRun.uuid, models.Trial.uuid)
        .join(models.LevelRun, models.LevelRun.id == models.DifficultyChange.level_run_id)
        .join(models.Session, models.Session.id == models.LevelRun.session_id)
        .outerjoin(models.Trial, models.Trial.id == models.DifficultyChange.trial_id)
        .where(models.Session.patient_id == patient.id)
        .order_by(models.DifficultyChange.changed_at, models.DifficultyChange.id)
    )
    return [
        DifficultyChangeRecord(
            level_run=run_uuid,
            trial=trial_uuid,
            from_value=row.from_value,
            to_value=row.to_value,
            reason=row.reason,
            changed_at=row.changed_at,
            uuid=row.uuid,
        )
        for row, run_uuid, trial_uuid in orm.execute(statement).all()
    ]

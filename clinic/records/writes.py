"""The writes made while a session runs, as plain values that can wait in the local queue, and how each is applied.

Each write is idempotent: applying it twice stores it once (it carries the client-made UUID of what it creates), so
a write retried from the queue after the database came back, or by two processes flushing one queue, is never
duplicated. Each is applied in its own transaction, committed at once.
"""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker

from clinic.records import models
from clinic.records.errors import RecordValueError
from clinic.records.rows import DIFFICULTY_CHANGE_FIELDS, LEVEL_RUN_FIELDS, SESSION_FIELDS, TRIAL_FIELDS, same_fields
from clinic.records.types import (
    DifficultyChangeRecord,
    LevelRunRecord,
    SessionRecord,
    TrialRecord,
    UtcDatetime,
    utc_now,
)


class WriteBase(BaseModel):
    """The base of every write: frozen, no unknown fields, numbers finite; ``kind`` names it in the queue file."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class StartSession(WriteBase):
    """Start a session: its record, and the id of the process that plays it (closed as abandoned once gone)."""

    kind: Literal["start_session"] = "start_session"
    session: SessionRecord
    process_id: int | None


class StartLevelRun(WriteBase):
    """Start a level run within a session started before."""

    kind: Literal["start_level_run"] = "start_level_run"
    level_run: LevelRunRecord


class AddTrial(WriteBase):
    """Add one finished trial, with its breaks, to a level run."""

    kind: Literal["add_trial"] = "add_trial"
    level_run: UUID
    trial: TrialRecord


class EndSession(WriteBase):
    """End a session at ``ended_at``: complete when the patient finished it."""

    kind: Literal["end_session"] = "end_session"
    session: UUID
    ended_at: UtcDatetime
    complete: bool


class AddDifficultyChange(WriteBase):
    """Record a change of difficulty and its reason."""

    kind: Literal["add_difficulty_change"] = "add_difficulty_change"
    change: DifficultyChangeRecord


Write = Annotated[
    StartSession | StartLevelRun | AddTrial | EndSession | AddDifficultyChange, Field(discriminator="kind")
]
WRITE_ADAPTER: TypeAdapter[Write] = TypeAdapter(Write)


def write_to_json(write: Write) -> str:
    """Return ``write`` as one line of JSON for the local queue."""
    return WRITE_ADAPTER.dump_json(write).decode("utf-8")


def write_from_json(text: str) -> Write:
    """Return the write that :func:`write_to_json` made ``text`` from (pydantic's ValidationError when it is not)."""
    return WRITE_ADAPTER.validate_json(text)


def apply_write(sessions: sessionmaker[OrmSession], write: Write) -> None:
    """Apply ``write`` in its own transaction and commit; a write already applied is left as it is.

    Raises
    ------
    RecordValueError
        What the write refers to is not there (an unknown level run), or it contradicts what is stored (a trial
        index already taken in its level run by another trial).
    sqlalchemy.exc.OperationalError
        The database cannot be reached (the caller queues the write).
    """
    try:
        with sessions.begin() as orm:
            _apply(orm, write)
    except IntegrityError as error:
        if _already_applied(sessions, write):
            return  # another process (or an earlier try whose answer was lost) stored it first
        raise RecordValueError(f"cannot store the {write.kind.replace('_', ' ')}: {error.orig}") from None


def _apply(orm: OrmSession, write: Write) -> None:
    if isinstance(write, StartSession):
        _start_session(orm, write)
    elif isinstance(write, StartLevelRun):
        _start_level_run(orm, write)
    elif isinstance(write, AddTrial):
        _add_trial(orm, write)
    elif isinstance(write, EndSession):
        _end_session(orm, write)
    else:
        _add_difficulty_change(orm, write)


def _already_applied(sessions: sessionmaker[OrmSession], write: Write) -> bool:
    with sessions.begin() as orm:
        if isinstance(write, StartSession):
            return _id_of(orm, models.Session, write.session.uuid) is not None
        if isinstance(write, StartLevelRun):
            return _id_of(orm, models.LevelRun, write.level_run.uuid) is not None
        if isinstance(write, AddTrial):
            return _id_of(orm, models.Trial, write.trial.uuid) is not None
        if isinstance(write, AddDifficultyChange):
            return _id_of(orm, models.DifficultyChange, write.change.uuid) is not None
        return False


def _id_of(
    orm: OrmSession,
    table: type[models.Session | models.LevelRun | models.Trial | models.DifficultyChange],
    uuid: UUID,
) -> int | None:
    return orm.scalar(select(table.id).where(table.uuid == uuid))


def _required_id(
    orm: OrmSession, table: type[models.Session | models.LevelRun | models.Trial], uuid: UUID, what: str
) -> int:
    found = _id_of(orm, table, uuid)
    if found is None:
        raise RecordValueError(f"{what} {uuid} not found in the records")
    return found


def ensure_patient_id(orm: OrmSession, code: str) -> int:
    """Return the row id of patient ``code``, added (without a display name) when missing."""
    found = orm.scalar(select(models.Patient.id).where(models.Patient.code == code))
    if found is not None:
        return found
    patient = models.Patient(code=code, display_name=None, created_at=utc_now())
    orm.add(patient)
    orm.flush()
    return patient.id


def _add_once(orm: OrmSession, row: models.Session | models.LevelRun | models.DifficultyChange) -> None:
    """Add ``row`` unless a row of its table with its UUID is stored already (the write is being retried)."""
    if _id_of(orm, type(row), row.uuid) is None:
        orm.add(row)


def _start_session(orm: OrmSession, write: StartSession) -> None:
    record = write.session
    # A session queued while the database was down may name a patient added meanwhile elsewhere, or never added
    # (it could not be checked): its trials are kept all the same, under a patient without a display name.
    owner = ensure_patient_id(orm, record.patient)
    _add_once(
        orm, models.Session(patient_id=owner, process_id=write.process_id, **same_fields(record, SESSION_FIELDS))
    )


def _start_level_run(orm: OrmSession, write: StartLevelRun) -> None:
    record = write.level_run
    session_id = _required_id(orm, models.Session, record.session, "session")
    _add_once(orm, models.LevelRun(session_id=session_id, **same_fields(record, LEVEL_RUN_FIELDS)))


def _add_trial(orm: OrmSession, write: AddTrial) -> None:
    # The game's hot path (one a trial, committed at once): plain Core inserts, and no look-up of the trial's UUID
    # first: a trial written before fails its unique UUID, which apply_write takes as "already applied".
    record = write.trial
    trial_id = orm.execute(
        insert(models.Trial)
        .values(
            level_run_id=_required_id(orm, models.LevelRun, write.level_run, "level run"),
            trial_index=record.index,
            outcome=record.outcome.value,
            **same_fields(record, TRIAL_FIELDS),
        )
        .returning(models.Trial.id)
    ).scalar_one()
    if record.breaks:
        orm.execute(
            insert(models.BreakEvent),
            [
                {
                    "trial_id": trial_id,
                    "t_s": event.t_s,
                    "kind": event.kind.value,
                    "effector": None if event.effector is None else event.effector.value,
                    "severity": event.severity,
                }
                for event in record.breaks
            ],
        )


def _end_session(orm: OrmSession, write: EndSession) -> None:
    row = orm.scalar(select(models.Session).where(models.Session.uuid == write.session))
    if row is None:
        raise RecordValueError(f"session {write.session} not found in the records")
    row.ended_at = write.ended_at
    row.complete = write.complete


def _add_difficulty_change(orm: OrmSession, write: AddDifficultyChange) -> None:
    record = write.change
    _add_once(
        orm,
        models.DifficultyChange(
            level_run_id=_required_id(orm, models.LevelRun, record.level_run, "level run"),
            trial_id=None if record.trial is None else _required_id(orm, models.Trial, record.trial, "trial"),
            **same_fields(record, DIFFICULTY_CHANGE_FIELDS),
        ),
    )

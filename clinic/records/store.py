"""The records store: one API over SQLite (the default, a file in the data folder) and PostgreSQL (a clinic server).

Open it with :func:`open_store` (migrations run, writes left in the local queue are flushed, sessions whose process
died are closed as incomplete, calibration files imported). While a session runs the game calls, in order::

    session = store.start_session("P-7F3A2C")
    run = store.start_level_run(session.uuid, "reach", "reach")
    store.add_trial(run.uuid, TrialRecord(index=0, outcome=TrialOutcome.SUCCESS, time_s=2.4, sparc=-1.6))  # per trial
    store.end_session(session.uuid, complete=True)

Each of these commits at once. When the database cannot be reached (the clinic server is down, also when the store
is opened) they do not fail: the write waits in the local queue (:mod:`clinic.records.queue`) and is written, once,
when the database answers again (tried again on the next write after :data:`RETRY_INTERVAL_S`, or by
:meth:`RecordsStore.flush_queue`). When it can be saved nowhere (a full or read-only disk) it is kept in memory, in
order, and saved by the next write that finds room; that write's caller hears of the problem
(:class:`~clinic.records.errors.RecordsWriteError`), the session goes on.

:meth:`RecordsStore.delete_patient` deletes everything stored about a patient (:mod:`clinic.records.deletion`).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import TypeVar
from uuid import UUID, uuid4

from pydantic import JsonValue
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker

from clinic.records import models, reads
from clinic.records.calibration_import import ImportReport, import_calibration_files
from clinic.records.cycles import weeks_since_injection
from clinic.records.deletion import PatientData, delete_patient, find_patient_data
from clinic.records.engine import create_records_engine, database_errors, empty_write_ahead_log
from clinic.records.errors import (
    DatabaseUnreachableError,
    DuplicatePatientError,
    RecordsError,
    RecordsWriteError,
    RecordValueError,
)
from clinic.records.location import StoreLocation, resolve_location
from clinic.records.migrate import upgrade
from clinic.records.queue import LocalQueue
from clinic.records.types import (
    AssessmentRecord,
    CalibrationRecord,
    DifficultyChangeRecord,
    InjectionRecord,
    LevelRunRecord,
    PatientRecord,
    PlanFormat,
    PlanRecord,
    SessionRecord,
    SessionSummary,
    TrialRecord,
    WriteOutcome,
    utc_now,
)
from clinic.records.values import (
    check_display_name,
    check_patient_code,
    check_plan_text,
    check_short_text,
    new_patient_code,
    process_is_running,
    this_station,
)
from clinic.records.writer import RETRY_INTERVAL_S, QueuedWriter
from clinic.records.writes import (
    AddDifficultyChange,
    AddTrial,
    EndSession,
    StartLevelRun,
    StartSession,
    Write,
)

_Record = TypeVar("_Record")

# Draws of a new patient ID before giving up (each meets a taken ID with odds below 1 in 1000 for 16k patients).
NEW_CODE_ATTEMPTS = 20
# Versioned tables: two writers adding a version at once both pick the same number; the loser tries again.
VERSION_ATTEMPTS = 5


class RecordsStore:
    """The records at ``location``. Thread-safe for the game's use (one writer thread); close it when done."""

    def __init__(
        self,
        location: StoreLocation,
        engine: Engine,
        *,
        station: str | None = None,
        clock: Callable[[], float] = time.monotonic,
        retry_interval_s: float = RETRY_INTERVAL_S,
        import_calibrations: bool = True,
    ) -> None:
        self.location = location
        self.station = check_short_text(station or this_station(), what="station name")
        self._engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        queue = LocalQueue(location.queue_file, location.queue_target)
        self._writer = QueuedWriter(location, self._sessions, queue, clock=clock, retry_interval_s=retry_interval_s)
        self._next_position: dict[UUID, int] = {}
        self._unsaved: list[Write] = []  # writes that could be saved nowhere yet (a full or read-only disk), in order
        self.last_import: ImportReport | None = None
        self._clock = clock
        self._retry_interval_s = retry_interval_s
        self._import_calibrations = import_calibrations
        self._opened = False  # migrated, queue flushed, abandoned sessions closed, calibration files imported
        self._open_retry_at = float("-inf")
        # Why the database could not be reached when the store was opened (None once it answered): the session's
        # writes wait in the local queue meanwhile.
        self.unreachable: DatabaseUnreachableError | None = None

    def close(self) -> None:
        """Save what is kept in memory if it can be saved now, close the local queue and the database connections."""
        if self._unsaved:
            # Each write kept in memory was reported by the write that failed (RecordsWriteError); a last try.
            with contextlib.suppress(RecordsError):
                self._write_unsaved()
        self._writer.queue.close()
        self._engine.dispose()

    def __enter__(self) -> RecordsStore:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[OrmSession]:
        """Return an ORM session in a transaction, committed when the block ends.

        Driver errors become messages naming the database. For the records package's own modules (the API hands out
        plain records).
        """
        self._ensure_open()
        with database_errors(self.location), self._sessions.begin() as orm:
            yield orm

    def _ensure_open(self) -> None:
        """Finish opening the database if an earlier try found it unreachable (tried once per retry interval).

        Raises
        ------
        DatabaseUnreachableError
            It still cannot be reached.
        """
        if self._opened:
            return
        if self.unreachable is not None and self._clock() < self._open_retry_at:
            raise DatabaseUnreachableError(str(self.unreachable))
        try:
            self._open_database()
        except DatabaseUnreachableError as error:
            self.unreachable = error
            self._open_retry_at = self._clock() + self._retry_interval_s
            raise

    def _open_database(self) -> None:
        """Migrate the database, write what waits in the local queue, close abandoned sessions, import calibrations."""
        with database_errors(self.location):
            upgrade(self._engine, where=f"{self.location.named_as} {self.location.describe()}")
        self._opened = True
        self.unreachable = None
        self._writer.flush()
        self.close_abandoned_sessions()
        if self._import_calibrations:
            self.last_import = import_calibration_files(self.transaction, self.location.data_dir)

    @property
    def offline_notice(self) -> str | None:
        """Words for the patient while the database is unreachable (``None`` when it answers)."""
        if self.unreachable is None:
            return None
        return (
            "The clinic's records cannot be reached just now. This session is kept safely on this computer and "
            "sent to them as soon as they answer."
        )

    # Patients ------------------------------------------------------------------------------------------------

    def add_patient(self, code: str | None = None, display_name: str | None = None) -> PatientRecord:
        """Add a patient with ``code`` (a new pseudonymous ID when ``None``) and an optional display name.

        Raises
        ------
        DuplicatePatientError
            ``code`` is taken. :class:`~clinic.errors.PatientNameError` when it is not a usable ID.
        """
        name = check_display_name(display_name)
        if code is not None:
            return self._insert_patient(check_patient_code(code), name)
        for _ in range(NEW_CODE_ATTEMPTS):
            try:
                return self._insert_patient(new_patient_code(), name)
            except DuplicatePatientError:
                continue
        raise RecordValueError(f"no free patient ID found in {NEW_CODE_ATTEMPTS} draws; give one with --id")

    def _insert_patient(self, code: str, display_name: str | None) -> PatientRecord:
        row = models.Patient(code=code, display_name=display_name, created_at=utc_now())
        try:
            with self.transaction() as orm:
                if orm.scalar(select(models.Patient.id).where(models.Patient.code == code)) is not None:
                    raise DuplicatePatientError(code)
                orm.add(row)
        except IntegrityError:
            raise DuplicatePatientError(code) from None
        return reads.patient_record(row)

    def patient(self, code: str) -> PatientRecord:
        """Return the patient ``code``; :class:`~clinic.records.errors.UnknownPatientError` when there is none."""
        with self.transaction() as orm:
            return reads.patient_record(reads.patient_row(orm, code))

    def patients(self) -> list[PatientRecord]:
        """Return every patient, by code."""
        with self.transaction() as orm:
            return reads.all_patients(orm)

    def patient_data(self, code: str) -> PatientData:
        """Return what is stored about patient ``code``: rows, queued writes, files in the data folder.

        Raises
        ------
        UnknownPatientError
            Nothing is stored about ``code``.
        """
        return find_patient_data(self.transaction, self._writer.queue, self.location.data_dir, code)

    def delete_patient(self, code: str) -> PatientData:
        """Delete everything stored about patient ``code`` (:mod:`clinic.records.deletion`); return what it was.

        Raises
        ------
        UnknownPatientError
            Nothing is stored about ``code``: nothing is deleted.
        """
        return delete_patient(
            self.transaction,
            self._writer.queue,
            self.location.data_dir,
            code,
            compact=lambda: empty_write_ahead_log(self._engine),
        )

    # Calibrations, assessments, plans: versioned ----------------------------------------------------------------

    def add_calibration(
        self, patient: str, payload: Mapping[str, JsonValue], *, saved_at: datetime | None = None, source: str = "game"
    ) -> CalibrationRecord:
        """Store a new version of the patient's calibration (the calibration file's content)."""
        values = {"saved_at": saved_at or utc_now(), "payload": dict(payload), "source": source}
        self._add_version(patient, models.CalibrationVersion, values)
        return self.calibrations(patient)[-1]

    def calibrations(self, patient: str) -> list[CalibrationRecord]:
        """Every version of the patient's calibration, oldest first."""
        return self._of_patient(patient, reads.calibrations)

    def add_assessment(
        self, patient: str, payload: Mapping[str, JsonValue], *, recorded_at: datetime | None = None
    ) -> AssessmentRecord:
        """Store a new version of the patient's assessment (range of motion, resting posture, ...)."""
        values = {"recorded_at": recorded_at or utc_now(), "payload": dict(payload)}
        self._add_version(patient, models.AssessmentVersion, values)
        return self.assessments(patient)[-1]

    def assessments(self, patient: str) -> list[AssessmentRecord]:
        """Return every version of the patient's assessment, oldest first."""
        return self._of_patient(patient, reads.assessments)

    def add_plan(
        self, patient: str, text: str, *, plan_format: PlanFormat, author: str, created_at: datetime | None = None
    ) -> PlanRecord:
        """Store a new version of the patient's plan: the TOML or JSON text as written, its author and time."""
        values = {
            "format": plan_format.value,
            "text": check_plan_text(text, plan_format),
            "author": check_short_text(author, what="plan author"),
            "created_at": created_at or utc_now(),
        }
        self._add_version(patient, models.PlanVersion, values)
        return self.plan_history(patient)[-1]

    def plan(self, patient: str) -> PlanRecord | None:
        """Return the patient's current plan (the newest version), ``None`` when there is none."""
        history = self.plan_history(patient)
        return history[-1] if history else None

    def plan_history(self, patient: str) -> list[PlanRecord]:
        """Return every version of the patient's plan, oldest first."""
        return self._of_patient(patient, reads.plans)

    def _of_patient(self, patient: str, read: Callable[[OrmSession, models.Patient], list[_Record]]) -> list[_Record]:
        """Return what ``read`` finds of ``patient`` (:class:`UnknownPatientError` when there is no such patient)."""
        with self.transaction() as orm:
            return read(orm, reads.patient_row(orm, patient))

    def _add_version(
        self,
        patient: str,
        table: type[models.CalibrationVersion | models.AssessmentVersion | models.PlanVersion],
        values: Mapping[str, object],
    ) -> None:
        """Add a row of ``table`` with ``values``: the patient's next version (1 for the first)."""
        for attempt in range(VERSION_ATTEMPTS):
            try:
                with self.transaction() as orm:
                    owner = reads.patient_row(orm, patient).id
                    latest = orm.scalar(select(func.max(table.version)).where(table.patient_id == owner))
                    orm.add(table(patient_id=owner, version=(latest or 0) + 1, **values))
                return
            except IntegrityError:
                if attempt == VERSION_ATTEMPTS - 1:
                    raise

    # Injections --------------------------------------------------------------------------------------------------

    def add_injection(self, patient: str, injected_on: date, note: str | None = None) -> InjectionRecord:
        """Record a botulinum toxin injection on ``injected_on``.

        Raises
        ------
        RecordValueError
            An injection on that date is already recorded for the patient.
        """
        record = InjectionRecord(patient=patient, injected_on=injected_on, note=note.strip() if note else None)
        taken_message = f"an injection on {injected_on.isoformat()} is already recorded for patient {patient!r}"
        try:
            with self.transaction() as orm:
                owner = reads.patient_row(orm, patient).id
                taken = select(models.Injection.id).where(
                    models.Injection.patient_id == owner, models.Injection.injected_on == injected_on
                )
                if orm.scalar(taken) is not None:
                    raise RecordValueError(taken_message)
                orm.add(models.Injection(patient_id=owner, injected_on=injected_on, note=record.note))
        except IntegrityError:
            raise RecordValueError(taken_message) from None
        return record

    def injections(self, patient: str) -> list[InjectionRecord]:
        """Return the patient's botulinum toxin injections, oldest first."""
        return self._of_patient(patient, reads.injections)

    def weeks_since_injection(self, patient: str, at: datetime) -> float | None:
        """Weeks from the patient's last injection on or before ``at`` (``None`` before the first)."""
        return weeks_since_injection((shot.injected_on for shot in self.injections(patient)), at)

    # Sessions: written as they happen, through the queue when the database is unreachable -----------------------

    def start_session(self, patient: str, *, started_at: datetime | None = None) -> SessionRecord:
        """Start a session of ``patient`` at this station (committed at once, or queued).

        Raises
        ------
        UnknownPatientError
            The patient is not in the records (checked when the database answers).
        """
        with contextlib.suppress(DatabaseUnreachableError):  # checked when the queued session is written
            self.patient(patient)
        record = SessionRecord(uuid=uuid4(), patient=patient, started_at=started_at or utc_now(), station=self.station)
        self._write_or_keep(StartSession(session=record, process_id=os.getpid()))
        return record

    def start_level_run(
        self, session: UUID, level_name: str, family: str, *, started_at: datetime | None = None
    ) -> LevelRunRecord:
        """Start a level within ``session`` (the next position after those this store started in it)."""
        position = self._next_position.get(session, 0)
        record = LevelRunRecord(
            uuid=uuid4(),
            session=session,
            level_name=level_name,
            family=family,
            position=position,
            started_at=started_at or utc_now(),
        )
        self._next_position[session] = position + 1
        self._write_or_keep(StartLevelRun(level_run=record))
        return record

    def add_trial(self, level_run: UUID, trial: TrialRecord) -> WriteOutcome:
        """Commit one finished trial (with its breaks) at once; queued locally when the database is unreachable.

        Writing the same trial again (same ``trial.uuid``) stores it once.
        """
        return self._write(AddTrial(level_run=level_run, trial=trial))

    def add_difficulty_change(self, change: DifficultyChangeRecord) -> WriteOutcome:
        """Record a change of difficulty and its reason (committed at once, or queued)."""
        return self._write(AddDifficultyChange(change=change))

    def end_session(self, session: UUID, *, complete: bool, ended_at: datetime | None = None) -> WriteOutcome:
        """End ``session``: complete when the patient finished it, incomplete when it stopped early."""
        return self._write(EndSession(session=session, ended_at=ended_at or utc_now(), complete=complete))

    def close_abandoned_sessions(self) -> int:
        """Close this station's sessions whose process is gone without ending them (killed, crashed).

        They end at their last trial (or their start) and are incomplete. Returns how many were closed.
        """
        closed = 0
        with self.transaction() as orm:
            open_sessions = orm.scalars(
                select(models.Session).where(models.Session.ended_at.is_(None), models.Session.station == self.station)
            ).all()
            for row in open_sessions:
                if row.process_id is not None and process_is_running(row.process_id):
                    continue
                last_trial = orm.scalar(
                    select(func.max(models.Trial.ended_at))
                    .join(models.LevelRun, models.LevelRun.id == models.Trial.level_run_id)
                    .where(models.LevelRun.session_id == row.id)
                )
                row.ended_at = last_trial or row.started_at
                row.complete = False
                closed += 1
        return closed

    def sessions(self, patient: str) -> list[SessionSummary]:
        """Return the patient's sessions, oldest first, each with its counts and its place in the injection cycle."""
        return self._of_patient(patient, reads.session_summaries)

    def session(self, session: UUID) -> SessionRecord:
        """Return the session ``session``; :class:`RecordValueError` when there is none."""
        with self.transaction() as orm:
            row = reads.session_row(orm, session)
            owner = orm.get_one(models.Patient, row.patient_id)
            return reads.session_record(row, owner.code)

    def level_runs(self, session: UUID) -> list[LevelRunRecord]:
        """Return the session's level runs in the order they were played."""
        with self.transaction() as orm:
            return reads.level_runs(orm, reads.session_row(orm, session))

    def trials(self, level_run: UUID) -> list[TrialRecord]:
        """Return the level run's trials in order, each with its breaks in time order."""
        with self.transaction() as orm:
            return reads.trials(orm, level_run)

    def difficulty_changes(self, patient: str) -> list[DifficultyChangeRecord]:
        """Return the patient's difficulty changes over all sessions, oldest first."""
        return self._of_patient(patient, reads.difficulty_changes)

    # The local queue -----------------------------------------------------------------------------------------------

    def queued_writes(self) -> int:
        """How many writes wait in the local queue for this database."""
        return self._writer.queue.count()

    def queue_failures(self) -> list[tuple[int, str]]:
        """Queued writes the database refused (kept in the queue file with the reason)."""
        return self._writer.queue.failures()

    def flush_queue(self) -> int:
        """Write what waits in the local queue now (whatever the retry interval).

        Returns how many were written. Stops, leaving the rest queued, when the database is still unreachable.
        """
        if not self._try_open():
            return 0
        return self._writer.flush()

    def _try_open(self) -> bool:
        """Return ``True`` when the database is open (opening it now if it was unreachable before and may be back)."""
        with contextlib.suppress(DatabaseUnreachableError):
            self._ensure_open()
        return self._opened

    @property
    def unsaved_writes(self) -> int:
        """How many writes could be saved neither in the database nor in the local queue (kept in memory)."""
        return len(self._unsaved)

    def _write(self, write: Write) -> WriteOutcome:
        """Write ``write`` after those kept in memory because they could be saved nowhere (a full or read-only disk).

        Raises
        ------
        RecordsWriteError
            Still nowhere to save them: ``write`` is kept in memory too, and tried again with the next write.
        """
        self._unsaved.append(write)
        return self._write_unsaved()

    def _write_or_keep(self, write: Write) -> None:
        """Write ``write``, or keep it in memory when it can be saved nowhere now.

        For the starts of sessions and level runs: the game needs their records to go on. A disk still full or
        read-only is reported by the next write (a trial's, the session's end), which tries them again first.
        """
        with contextlib.suppress(RecordsWriteError):
            self._write(write)

    def _write_unsaved(self) -> WriteOutcome:
        outcome = WriteOutcome.QUEUED
        while self._unsaved:
            try:
                outcome = self._write_one(self._unsaved[0])
            except RecordsWriteError as error:
                count = len(self._unsaved)
                raise RecordsWriteError(
                    f"{error}. The session goes on: {count} record{'s' if count != 1 else ''} of it "
                    f"{'are' if count != 1 else 'is'} kept in memory and saved as soon as there is room"
                ) from None
            except BaseException:
                self._unsaved.pop(0)  # refused by the database: trying it again would block the others
                raise
            self._unsaved.pop(0)
        return outcome

    def _write_one(self, write: Write) -> WriteOutcome:
        if not self._try_open():  # the database was never reached: the write waits with those before it
            self._writer.queue.push(write)
            return WriteOutcome.QUEUED
        return self._writer.write(write)


def open_store(
    *,
    data_dir: Path | None = None,
    db: str | None = None,
    environ: Mapping[str, str] | None = None,
    station: str | None = None,
    import_calibrations: bool = True,
    retry_interval_s: float = RETRY_INTERVAL_S,
    queue_if_unreachable: bool = True,
) -> RecordsStore:
    """Open the records named by ``--db`` / ``$MOTORPLAY_DB``, else the SQLite file in the data folder.

    The database is migrated to the newest schema, the local queue flushed, abandoned sessions closed and calibration
    files imported.

    A clinic server that cannot be reached (``queue_if_unreachable``, the default) still gives a store: its
    :attr:`~RecordsStore.unreachable` says why, the session's writes wait in the local queue, and the opening is
    finished (and the queue written) by the first write or read once the server answers, tried once per
    ``retry_interval_s``; reads meanwhile raise :class:`DatabaseUnreachableError`.

    Raises
    ------
    RecordsError
        The database cannot be reached (a server, with ``queue_if_unreachable`` false), is not a motorplay
        database, or its file or folder cannot be used: the message names it.
    """
    location = resolve_location(data_dir=data_dir, db=db, environ=environ)
    engine = create_records_engine(location)
    try:
        store = RecordsStore(
            location,
            engine,
            station=station,
            retry_interval_s=retry_interval_s,
            import_calibrations=import_calibrations,
        )
    except BaseException:
        engine.dispose()
        raise
    try:
        store._ensure_open()
    except DatabaseUnreachableError:
        if not queue_if_unreachable or location.database_file is not None:
            store.close()
            raise
    except BaseException:
        store.close()
        raise
    return store

"""Delete everything stored about a patient: the records' rows, the local queue's waiting writes and the data files.

What goes (``motorplay patients delete ID``):

- every row of the records that refers to the patient, in one transaction: sessions, level runs, trials, break
  events, difficulty changes, calibrations and their imports, assessments, plans (every version) and injections,
  and the patient's own row (:data:`DELETION_ORDER` names every table; a test checks that it names all of them);
- the writes for the patient that wait in the local queue (:mod:`clinic.records.queue`), for any database;
- the files motorplay wrote for the patient in the data folder: ``patients/<ID>/`` (calibration and its ``.bak``,
  assessments, any half-written temporary file) and the therapist PIN ``pins/<ID>.pin``.

SQLite keeps deleted content on its free pages and in its write-ahead log: the records' and the queue's files are
opened with ``secure_delete`` (deleted content overwritten with zeros, :mod:`clinic.records.engine`) and their logs
checkpointed and emptied afterwards, so that no trace of the patient is left in the data folder. A PostgreSQL
server reclaims deleted rows by its own vacuum; its files and backups are the clinic's to manage.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.sql.expression import ColumnElement

from clinic.calibration_store import validate_patient_name
from clinic.records import models
from clinic.records.calibration_import import PATIENTS_FOLDER
from clinic.records.errors import RecordsWriteError, UnknownPatientError
from clinic.records.queue import LocalQueue, PatientWrites
from tracking.atomic_files import describe_os_error, temporary_file_match

Transaction = Callable[[], AbstractContextManager[OrmSession]]

# The tables holding a patient's rows, children before their parents (foreign keys are checked on each delete).
# Every table of the records is named here: a test compares this with the models' metadata.
DELETION_ORDER: tuple[type[models.Base], ...] = (
    models.BreakEvent,
    models.DifficultyChange,
    models.Trial,
    models.LevelRun,
    models.Session,
    models.CalibrationImport,
    models.CalibrationVersion,
    models.AssessmentVersion,
    models.PlanVersion,
    models.Injection,
    models.Patient,
)


@dataclass(frozen=True)
class PatientData:
    """What is stored about a patient, found before deleting it (shown to the person who confirms).

    Attributes
    ----------
    patient
        The patient's ID.
    rows
        Rows of the patient in each table of the records (table name -> count; tables with none left out).
    files
        The files and folders motorplay wrote for the patient in the data folder.
    queued_writes
        Writes for the patient waiting in the local queue.
    """

    patient: str
    rows: Mapping[str, int]
    files: tuple[Path, ...]
    queued_writes: int

    @property
    def exists(self) -> bool:
        """Return ``True`` when anything at all is stored about the patient."""
        return bool(self.rows) or bool(self.files) or self.queued_writes > 0


def _conditions(orm: OrmSession, patient: str) -> dict[type[models.Base], ColumnElement[bool]]:
    """Return, for each table of :data:`DELETION_ORDER`, which of its rows belong to ``patient``."""
    owner = select(models.Patient.id).where(models.Patient.code == patient).scalar_subquery()
    sessions = select(models.Session.id).where(models.Session.patient_id == owner)
    runs = select(models.LevelRun.id).where(models.LevelRun.session_id.in_(sessions))
    trials = select(models.Trial.id).where(models.Trial.level_run_id.in_(runs))
    return {
        models.BreakEvent: models.BreakEvent.trial_id.in_(trials),
        models.DifficultyChange: models.DifficultyChange.level_run_id.in_(runs),
        models.Trial: models.Trial.level_run_id.in_(runs),
        models.LevelRun: models.LevelRun.session_id.in_(sessions),
        models.Session: models.Session.patient_id == owner,
        models.CalibrationImport: models.CalibrationImport.patient_id == owner,
        models.CalibrationVersion: models.CalibrationVersion.patient_id == owner,
        models.AssessmentVersion: models.AssessmentVersion.patient_id == owner,
        models.PlanVersion: models.PlanVersion.patient_id == owner,
        models.Injection: models.Injection.patient_id == owner,
        models.Patient: models.Patient.code == patient,
    }


def _row_counts(orm: OrmSession, patient: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table, condition in _conditions(orm, patient).items():
        count = orm.scalar(select(func.count()).select_from(table).where(condition)) or 0
        if count:
            counts[str(table.__tablename__)] = int(count)
    return counts


def _patient_writes(orm: OrmSession, patient: str) -> PatientWrites:
    """Return the patient's sessions and level runs in the records (queued writes may refer to them)."""
    conditions = _conditions(orm, patient)
    sessions = orm.scalars(select(models.Session.uuid).where(conditions[models.Session])).all()
    runs = orm.scalars(select(models.LevelRun.uuid).where(conditions[models.LevelRun])).all()
    return PatientWrites(patient=patient, sessions=frozenset(sessions), level_runs=frozenset(runs))


def patient_files(data_dir: Path, patient: str) -> tuple[Path, ...]:
    """Return the files and folders motorplay wrote for ``patient`` in ``data_dir`` (those that exist).

    ``patients/<ID>/`` (calibration, its backup, assessments) and the PIN file with any temporary file left beside
    it by a write that was cut short.
    """
    from clinic.plan import PIN_FOLDER, PIN_SUFFIX  # clinic.plan imports the store, which imports this module

    found: list[Path] = []
    folder = data_dir / PATIENTS_FOLDER / patient
    if os.path.lexists(folder):
        found.append(folder)
    pins = data_dir / PIN_FOLDER
    pin_name = f"{patient}{PIN_SUFFIX}"
    if pins.is_dir():
        for entry in sorted(pins.iterdir()):
            if entry.name == pin_name or temporary_file_match(entry.name, pin_name):
                found.append(entry)
    return tuple(found)


def find_patient_data(transaction: Transaction, queue: LocalQueue, data_dir: Path, patient: str) -> PatientData:
    """Return what is stored about ``patient`` in the records, the local queue and the data folder.

    Raises
    ------
    UnknownPatientError
        Nothing at all is stored about ``patient``.
    PatientNameError
        ``patient`` is not a usable patient ID.
    """
    validate_patient_name(patient)
    with transaction() as orm:
        rows = _row_counts(orm, patient)
        known = _patient_writes(orm, patient)
    data = PatientData(patient, rows, patient_files(data_dir, patient), queue.count_patient_writes(known))
    if not data.exists:
        raise UnknownPatientError(patient)
    return data


def delete_patient(
    transaction: Transaction, queue: LocalQueue, data_dir: Path, patient: str, *, compact: Callable[[], None]
) -> PatientData:
    """Delete everything stored about ``patient``; return what was deleted.

    The files go first (so that no other station re-imports a calibration file of a patient whose rows are gone),
    then the rows in one transaction, then the queued writes; ``compact`` then removes what the database keeps of
    deleted rows on this computer.

    Raises
    ------
    UnknownPatientError
        Nothing at all is stored about ``patient``: nothing is deleted.
    RecordsWriteError
        A file or folder could not be removed (naming it); the records are then left as they were.
    RecordsError
        The database cannot be reached: the files may be gone, the rows are all still there (run it again).
    """
    found = find_patient_data(transaction, queue, data_dir, patient)
    for path in found.files:
        _remove(path)
    with transaction() as orm:
        known = _patient_writes(orm, patient)
        for table, condition in _conditions(orm, patient).items():
            orm.execute(delete(table).where(condition))
    queue.remove_patient_writes(known)
    compact()
    return found


def _remove(path: Path) -> None:
    """Remove a file or a folder with everything in it."""
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    except OSError as error:
        raise RecordsWriteError(
            f"{error.filename or path}: cannot be deleted ({describe_os_error(error)}); nothing was deleted from "
            "the records, run the command again once it can be"
        ) from None


"""Import the calibration files (``<data dir>/patients/<patient>/calibration.json``) into the records, once each.

A file is imported as a new calibration version of the patient named by its folder (added to the records, without a
display name, when missing). What was imported is remembered by the SHA-256 of the file's bytes: the same file is
never imported twice (by this station or by another one sharing a clinic server), while a calibration saved again
since (new content) becomes the next version. A file that cannot be read is left alone and reported: the game names
it when it loads that calibration.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import timezone
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as OrmSession

from clinic.calibration_store import (
    CALIBRATION_FILE_NAME,
    MAX_CALIBRATION_BYTES,
    PATIENT_NAME_PATTERN,
    CalibrationFileModel,
)
from clinic.records import models
from clinic.records.types import utc_now
from clinic.records.writes import ensure_patient_id
from tracking.input_files import InputFileError, read_text_file
from tracking.json_input import loads_checked

PATIENTS_FOLDER = "patients"
# Two processes importing one patient's files at once may pick the same version number: the second looks again.
IMPORT_ATTEMPTS = 3
IMPORT_SOURCE = "imported calibration.json"

Transaction = Callable[[], AbstractContextManager[OrmSession]]


@dataclass
class ImportReport:
    """What an import did: files imported, files already imported before, files that could not be read."""

    imported: list[Path] = field(default_factory=list)
    already_imported: list[Path] = field(default_factory=list)
    unreadable: list[tuple[Path, str]] = field(default_factory=list)


def calibration_files(data_dir: Path) -> list[Path]:
    """Return the calibration files under ``data_dir``, in patient order (folders not named as patients left out)."""
    folder = data_dir / PATIENTS_FOLDER
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.glob(f"*/{CALIBRATION_FILE_NAME}")
        if PATIENT_NAME_PATTERN.fullmatch(path.parent.name) and path.is_file()
    )


def import_calibration_files(transaction: Transaction, data_dir: Path) -> ImportReport:
    """Import every calibration file under ``data_dir`` not imported yet.

    Each is imported in its own transaction of the records (:meth:`clinic.records.store.RecordsStore.transaction`).
    """
    report = ImportReport()
    for path in calibration_files(data_dir):
        try:
            text = read_text_file(path, expected="a motorplay calibration file (JSON)", max_bytes=MAX_CALIBRATION_BYTES)
            model = CalibrationFileModel.model_validate(loads_checked(text, source=str(path)))
        except InputFileError as error:
            report.unreadable.append((path, str(error)))
            continue
        except ValidationError as error:
            report.unreadable.append((path, f"{path}: not a calibration file ({error.errors()[0]['msg']})"))
            continue
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if _import_with_retry(transaction, path, model, digest):
            report.imported.append(path)
        else:
            report.already_imported.append(path)
    return report


def _import_with_retry(transaction: Transaction, path: Path, model: CalibrationFileModel, digest: str) -> bool:
    for _ in range(IMPORT_ATTEMPTS - 1):
        try:
            return _import_one(transaction, path, model, digest)
        except IntegrityError:
            continue  # another process imported a file of this patient at the same moment: look again
    return _import_one(transaction, path, model, digest)


def _import_one(transaction: Transaction, path: Path, model: CalibrationFileModel, digest: str) -> bool:
    """Import one file in one transaction; False when the same content was imported for the patient before."""
    patient = path.parent.name
    saved_at = model.saved_at if model.saved_at.tzinfo is not None else model.saved_at.replace(tzinfo=timezone.utc)
    with transaction() as orm:
        owner = ensure_patient_id(orm, patient)
        done = select(models.CalibrationImport.id).where(
            models.CalibrationImport.patient_id == owner, models.CalibrationImport.content_sha256 == digest
        )
        if orm.scalar(done) is not None:
            return False
        latest = orm.scalar(
            select(func.max(models.CalibrationVersion.version)).where(models.CalibrationVersion.patient_id == owner)
        )
        version = models.CalibrationVersion(
            patient_id=owner,
            version=(latest or 0) + 1,
            saved_at=saved_at,
            payload=model.model_dump(mode="json"),
            source=IMPORT_SOURCE,
        )
        orm.add(version)
        orm.flush()
        orm.add(
            models.CalibrationImport(
                patient_id=owner,
                content_sha256=digest,
                path=str(path),
                imported_at=utc_now(),
                calibration_version_id=version.id,
            )
        )
    return True

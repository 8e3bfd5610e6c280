"""The assessment as one saved record per patient: :class:`Assessment`, plain data built from the level's results.

Each step's result (:class:`levels.trial.TrialResult`) keeps its numbers in ``measures`` (units in the names);
:func:`assessment_from_results` gathers them into an :class:`Assessment`, whose :meth:`Assessment.as_dict` is the
JSON payload: the same for the JSON file written here and for ``clinic.records.RecordsStore.add_assessment`` (which
numbers its own versions). The game does not open a records store during play, so :func:`save_assessment` writes
the payload through :mod:`tracking.atomic_files` to ``<data dir>/patients/<patient>/assessments/<UTC time>.json``:
never overwritten, one file per assessment, ``assessment_version`` counting the patient's assessments from 1.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from levels.trial import Scalar, TrialResult
from tracking.atomic_files import create_private_folders, describe_os_error, write_text_atomic
from tracking.errors import OutputFileError

# The layout of the payload; a reader checks it before reading the rest.
ASSESSMENT_FORMAT_VERSION = 1
ASSESSMENTS_FOLDER = "assessments"
# A patient folder name the caller has validated (clinic.calibration_store.validate_patient_name); checked again
# here so that a name can never lead outside the patients folder.
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_STAMP_FORMAT = "%Y%m%dT%H%M%SZ"


@dataclass(frozen=True)
class StepRecord:
    """One step of the assessment: its name, outcome, time on the level clock (s) and measures."""

    step: str
    outcome: str
    duration_s: float
    measures: Mapping[str, Scalar]


@dataclass(frozen=True)
class Assessment:
    """One assessment of one patient: the level played, when (UTC) and every step's record, in order."""

    level: str
    taken_at: datetime
    steps: tuple[StepRecord, ...]

    def step(self, name: str) -> StepRecord | None:
        """Return the record of the step ``name`` (``"head_range"``, ...), or ``None`` when it was not reached."""
        return next((record for record in self.steps if record.step == name), None)

    def as_dict(self, *, assessment_version: int | None = None) -> dict[str, object]:
        """Return the JSON payload: format version, level, time, optional patient version, and the steps."""
        payload: dict[str, object] = {
            "format_version": ASSESSMENT_FORMAT_VERSION,
            "kind": "motorplay-assessment",
            "level": self.level,
            "taken_at": self.taken_at.astimezone(timezone.utc).isoformat(),
        }
        if assessment_version is not None:
            payload["assessment_version"] = assessment_version
        payload["steps"] = {
            record.step: {"outcome": record.outcome, "duration_s": record.duration_s, **dict(record.measures)}
            for record in self.steps
        }
        return payload


def assessment_from_results(level: str, results: Sequence[TrialResult], *, taken_at: datetime) -> Assessment:
    """Gather the assessment level's results (one per step, ``params["step"]`` naming it) into an Assessment."""
    steps = tuple(
        StepRecord(
            str(result.params.get("step", result.index)), result.outcome.value, result.duration_s, result.measures
        )
        for result in results
    )
    return Assessment(level=level, taken_at=taken_at, steps=steps)


def assessments_folder(data_dir: Path, patient: str) -> Path:
    """Return ``<data dir>/patients/<patient>/assessments``.

    Raises
    ------
    ValueError
        ``patient`` is not a plain folder name.
    """
    if not _SAFE_NAME.match(patient) or patient in {".", ".."}:
        raise ValueError(f"patient {patient!r}: expected letters, digits, '.', '_' or '-' (a folder name)")
    return data_dir / "patients" / patient / ASSESSMENTS_FOLDER


def save_assessment(data_dir: Path, patient: str, assessment: Assessment) -> Path:
    """Write ``assessment`` as a new JSON file of ``patient`` (atomically; never over an earlier one).

    Returns
    -------
    Path
        The file written; its ``assessment_version`` is one more than the patient's earlier assessment files.

    Raises
    ------
    tracking.errors.OutputFileError
        The file could not be written (naming it); nothing half-written is left.
    """
    folder = assessments_folder(data_dir, patient)
    try:
        create_private_folders(folder)
    except OSError as error:
        raise OutputFileError(f"assessment folder {folder}: cannot create it: {describe_os_error(error)}") from error
    version = len(list(folder.glob("*.json"))) + 1
    stamp = assessment.taken_at.astimezone(timezone.utc).strftime(_STAMP_FORMAT)
    path = folder / f"{stamp}.json"
    if path.exists():  # two assessments within one second: keep both
        path = folder / f"{stamp}-{version}.json"
    text = json.dumps(assessment.as_dict(assessment_version=version), indent=2, ensure_ascii=False) + "\n"
    return write_text_atomic(path, text)

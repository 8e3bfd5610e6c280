"""Per-patient calibration files: ``<data dir>/patients/<patient>/calibration.json``.

The data directory is ``--data-dir`` when given, else ``$MOTORPLAY_DATA_DIR``, else
``~/.local/share/motorplay``. Writes are atomic (a temporary file in the same folder, then :func:`os.replace`);
the previous file is kept as ``calibration.json.bak``. A file that cannot be read is never overwritten: the error
names it so that a person can look at it, move it away, or restore the ``.bak``.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from clinic.errors import CalibrationFileError, PatientNameError
from tracking.calibration import MIN_REACH_SPAN_NORM, Calibration, ReachRange
from tracking.frames import HeadAngles

DATA_DIR_ENV = "MOTORPLAY_DATA_DIR"
DEFAULT_DATA_DIR = Path("~/.local/share/motorplay")
CALIBRATION_FILE_NAME = "calibration.json"
BACKUP_SUFFIX = ".bak"
CALIBRATION_FORMAT_VERSION: Literal[1] = 1
# Letters, digits, '.', '_' and '-', starting with a letter or digit: safe as a folder name on every system.
PATIENT_NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
# A head angle beyond this is not a neutral posture anyone can hold comfortably.
MAX_NEUTRAL_ANGLE_DEG = 90.0


def default_data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``$MOTORPLAY_DATA_DIR`` when set, else ``~/.local/share/motorplay`` (expanded)."""
    env = os.environ if environ is None else environ
    value = env.get(DATA_DIR_ENV)
    return Path(value).expanduser() if value else DEFAULT_DATA_DIR.expanduser()


def validate_patient_name(name: str) -> str:
    """Return ``name`` when it is safe as a folder name; raise :class:`PatientNameError` otherwise."""
    if not PATIENT_NAME_PATTERN.fullmatch(name) or name.endswith("."):
        raise PatientNameError(
            f"Patient name {name!r} cannot be used: expected 1 to 64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit (for example 'anna' or 'patient-07')."
        )
    return name


class _ReachModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    x_min_norm: float = Field(ge=0.0, le=1.0)
    x_max_norm: float = Field(ge=0.0, le=1.0)
    y_min_norm: float = Field(ge=0.0, le=1.0)
    y_max_norm: float = Field(ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _spans(self) -> _ReachModel:
        for axis in ("x", "y"):
            low, high = getattr(self, f"{axis}_min_norm"), getattr(self, f"{axis}_max_norm")
            if high - low < MIN_REACH_SPAN_NORM:
                raise ValueError(
                    f"{axis}_max_norm - {axis}_min_norm must be at least {MIN_REACH_SPAN_NORM}, got {low}..{high}"
                )
        return self


class _HeadModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    yaw_deg: float = Field(ge=-MAX_NEUTRAL_ANGLE_DEG, le=MAX_NEUTRAL_ANGLE_DEG)
    pitch_deg: float = Field(ge=-MAX_NEUTRAL_ANGLE_DEG, le=MAX_NEUTRAL_ANGLE_DEG)
    roll_deg: float = Field(ge=-MAX_NEUTRAL_ANGLE_DEG, le=MAX_NEUTRAL_ANGLE_DEG)


class CalibrationFileModel(BaseModel):
    """The JSON file, version 1."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1]
    patient: str
    saved_at: datetime
    reach: _ReachModel
    head_neutral: _HeadModel | None = None

    def to_calibration(self) -> Calibration:
        head = self.head_neutral
        return Calibration(
            reach=ReachRange(**self.reach.model_dump()),
            head_neutral=None if head is None else HeadAngles(**head.model_dump()),
        )

    @classmethod
    def from_calibration(cls, patient: str, calibration: Calibration, saved_at: datetime) -> CalibrationFileModel:
        reach = calibration.reach
        head = calibration.head_neutral
        return cls(
            version=CALIBRATION_FORMAT_VERSION,
            patient=patient,
            saved_at=saved_at,
            reach=_ReachModel(
                x_min_norm=reach.x_min_norm,
                x_max_norm=reach.x_max_norm,
                y_min_norm=reach.y_min_norm,
                y_max_norm=reach.y_max_norm,
            ),
            head_neutral=None
            if head is None
            else _HeadModel(yaw_deg=head.yaw_deg, pitch_deg=head.pitch_deg, roll_deg=head.roll_deg),
        )


class CalibrationStore:
    """Reads and writes each patient's calibration under ``data_dir``."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir

    def path_for(self, patient: str) -> Path:
        return self.data_dir / "patients" / validate_patient_name(patient) / CALIBRATION_FILE_NAME

    def load(self, patient: str) -> Calibration | None:
        """The patient's calibration, or ``None`` when none was saved yet.

        Raises
        ------
        CalibrationFileError
            The file exists but cannot be read or breaks the format; the message names the file and the field.
        """
        path = self.path_for(patient)
        if not path.exists():
            return None
        return self._read(path).to_calibration()

    def save(self, patient: str, calibration: Calibration, *, now: datetime | None = None) -> Path:
        """Write the calibration atomically, keeping the previous file as ``.bak``; return the file's path.

        Raises :class:`CalibrationFileError`, without writing anything, when the existing file cannot be read.
        """
        path = self.path_for(patient)
        if path.exists():
            self._read(path)  # never replace a file we could not read: a person should look at it first
        saved_at = now or datetime.now(timezone.utc)
        model = CalibrationFileModel.from_calibration(patient, calibration, saved_at)
        text = json.dumps(model.model_dump(mode="json"), indent=2) + "\n"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor, temp_name = tempfile.mkstemp(prefix=".calibration-", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
                    stream.write(text)
                    stream.flush()
                    os.fsync(stream.fileno())
                if path.exists():
                    os.replace(path, path.with_name(path.name + BACKUP_SUFFIX))
                os.replace(temp_name, path)
            finally:
                if os.path.exists(temp_name):
                    os.unlink(temp_name)
        except OSError as error:
            raise CalibrationFileError(f"{path}: cannot save the calibration ({error})") from None
        return path

    def _read(self, path: Path) -> CalibrationFileModel:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CalibrationFileError(f"{path}: cannot read the calibration file ({error})") from None
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as error:
            raise CalibrationFileError(
                f"{path}: not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}. "
                f"Fix or move this file (a previous version may be in {path.name}{BACKUP_SUFFIX}), "
                "or calibrate again."
            ) from None
        try:
            return CalibrationFileModel.model_validate(raw)
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(str(part) for part in first["loc"]) or "(file)"
            raise CalibrationFileError(
                f"{path}, field '{field}': {first['msg']} (got {first.get('input')!r}). "
                f"Fix or move this file (a previous version may be in {path.name}{BACKUP_SUFFIX})."
            ) from None

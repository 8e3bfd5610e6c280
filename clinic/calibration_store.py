"""Per-patient calibration files: ``<data dir>/patients/<patient>/calibration.json``.

The data directory is ``--data-dir`` when given, else ``$MOTORPLAY_DATA_DIR``, else the user's data folder
(platformdirs: ``~/.local/share/motorplay`` on Linux), as for the records (:mod:`clinic.records`). Saving copies the
current file to ``calibration.json.bak`` (itself atomically) and then moves the new file over ``calibration.json``
in one rename (:mod:`tracking.atomic_files`: fsynced file and folder), so that a reader at any moment finds a
complete calibration and two writers never trip over each other. Folders created for patient data are private
(0700), files 0600. A file that cannot be read is never overwritten: the error names it so that a person can look at
it, move it away, or restore the ``.bak``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from clinic.errors import CalibrationFileError, PatientNameError
from tracking.atomic_files import create_private_folders, describe_os_error, write_bytes_atomic, write_text_atomic
from tracking.calibration import MIN_REACH_SPAN_NORM, Calibration, ReachRange
from tracking.errors import OutputFileError
from tracking.input_files import InputFileError, read_text_file
from tracking.json_input import loads_checked
from tracking.types import HeadAngles

DATA_DIR_ENV = "MOTORPLAY_DATA_DIR"
# The user's data folder for motorplay on this system (~/.local/share/motorplay on Linux, with $XDG_DATA_HOME).
DEFAULT_DATA_DIR = Path(platformdirs.user_data_dir("motorplay", appauthor=False))
CALIBRATION_FILE_NAME = "calibration.json"
BACKUP_SUFFIX = ".bak"
CALIBRATION_FORMAT_VERSION: Literal[1] = 1
# Letters, digits, '.', '_' and '-', starting with a letter or digit: safe as a folder name on every system.
PATIENT_NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
# A head angle beyond this is not a neutral posture anyone can hold comfortably.
MAX_NEUTRAL_ANGLE_DEG = 90.0
# A calibration file is about 300 bytes; a file over 1 MiB is not one and is not read into memory.
MAX_CALIBRATION_BYTES = 1024 * 1024
_EXPECTED = "a motorplay calibration file (JSON)"
# Strict types: "0.2" is not a number and true is not 1; NaN and infinity are not positions or angles.
_STRICT = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


def default_data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``$MOTORPLAY_DATA_DIR`` when set, else the user's data folder for motorplay (platformdirs)."""
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
    model_config = _STRICT

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
    model_config = _STRICT

    yaw_deg: float = Field(ge=-MAX_NEUTRAL_ANGLE_DEG, le=MAX_NEUTRAL_ANGLE_DEG)
    pitch_deg: float = Field(ge=-MAX_NEUTRAL_ANGLE_DEG, le=MAX_NEUTRAL_ANGLE_DEG)
    roll_deg: float = Field(ge=-MAX_NEUTRAL_ANGLE_DEG, le=MAX_NEUTRAL_ANGLE_DEG)


class CalibrationFileModel(BaseModel):
    """The JSON file, version 1."""

    model_config = _STRICT

    version: Literal[1]
    patient: str
    saved_at: datetime = Field(strict=False)  # an ISO 8601 string in the file; strict mode would refuse it
    reach: _ReachModel
    head_neutral: _HeadModel | None = None

    @field_validator("version", mode="before")
    @classmethod
    def _whole_number(cls, value: Any) -> Any:
        if type(value) is not int:  # Literal[1] alone lets 1.0 and true through (they equal 1)
            raise ValueError(f"expected the whole number {CALIBRATION_FORMAT_VERSION}")
        return value

    @field_validator("saved_at", mode="before")
    @classmethod
    def _iso_text(cls, value: Any) -> Any:
        if not isinstance(value, (str, datetime)):  # not a number of seconds: the format writes ISO 8601 text
            raise ValueError("expected an ISO 8601 date and time such as '2026-11-25T20:00:00Z'")
        return value

    def to_calibration(self) -> Calibration:
        """Return the calibration this file holds (reach range in normalised coordinates, head angles in degrees)."""
        head = self.head_neutral
        return Calibration(
            reach=ReachRange(**self.reach.model_dump()),
            head_neutral=None if head is None else HeadAngles(**head.model_dump()),
        )

    @classmethod
    def from_calibration(cls, patient: str, calibration: Calibration, saved_at: datetime) -> CalibrationFileModel:
        """Return the file content for ``patient``'s ``calibration``, saved at ``saved_at`` (timezone-aware)."""
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
        """Return the calibration file of ``patient`` (:class:`PatientNameError` when it is not a usable name)."""
        return self.data_dir / "patients" / validate_patient_name(patient) / CALIBRATION_FILE_NAME

    def load(self, patient: str) -> Calibration | None:
        """Return the patient's calibration, or ``None`` when none was saved yet.

        Raises
        ------
        CalibrationFileError
            The file exists but cannot be read or breaks the format; the message names the file and the field.
        """
        path = self.path_for(patient)
        if not os.path.lexists(path):
            return None
        return self._parse(path, self._read_text(path)).to_calibration()

    def save(self, patient: str, calibration: Calibration, *, now: datetime | None = None) -> Path:
        """Save the calibration, keeping the previous file as ``.bak``; return the file's path.

        The previous file is copied (not moved) to ``.bak``, then the new file replaces ``calibration.json`` in one
        atomic rename: ``calibration.json`` never disappears, so a concurrent :meth:`load` always finds a whole
        calibration, and concurrent saves never fail on each other's renames (the last one wins).

        Raises
        ------
        CalibrationFileError
            Without writing anything when the existing file cannot be read (a person should look at it first);
            naming the file and the reason when it cannot be saved (read-only folder, full disk).
        """
        path = self.path_for(patient)
        previous = None
        if os.path.lexists(path):
            previous = self._read_text(path)
            self._parse(path, previous)  # never replace a file we could not read
        saved_at = now or datetime.now(timezone.utc)
        model = CalibrationFileModel.from_calibration(patient, calibration, saved_at)
        text = json.dumps(model.model_dump(mode="json"), indent=2) + "\n"
        self._make_private_folders(path)
        try:
            if previous is not None:
                write_bytes_atomic(path.with_name(path.name + BACKUP_SUFFIX), previous.encode("utf-8"))
            write_text_atomic(path, text)
        except OutputFileError as error:
            raise CalibrationFileError(f"{path}: cannot save the calibration ({error})") from None
        return path

    def _make_private_folders(self, path: Path) -> None:
        """Create the missing folders above ``path`` with mode 0700."""
        try:
            create_private_folders(path.parent)
        except OSError as error:
            raise CalibrationFileError(
                f"{path}: cannot save the calibration (cannot create the folder {error.filename}: "
                f"{describe_os_error(error)})"
            ) from None

    def _read_text(self, path: Path) -> str:
        try:
            return read_text_file(path, expected=_EXPECTED, max_bytes=MAX_CALIBRATION_BYTES)
        except InputFileError as error:
            raise CalibrationFileError(
                f"{error}. Fix or move this file (a previous version may be in {path.name}{BACKUP_SUFFIX})."
            ) from None

    def _parse(self, path: Path, text: str) -> CalibrationFileModel:
        if not text.strip():  # JSON would call it "line 1: not valid JSON": a file emptied (disk full, a bad copy)
            what = "is empty" if not text else "holds only blank space"
            raise CalibrationFileError(
                f"{path}: {what}; expected {_EXPECTED}. Fix or move this file (a previous version may be in "
                f"{path.name}{BACKUP_SUFFIX}), or calibrate again."
            )
        try:
            raw = loads_checked(text, source=str(path))
        except InputFileError as error:
            raise CalibrationFileError(
                f"{error}. Fix or move this file (a previous version may be in {path.name}{BACKUP_SUFFIX}), "
                "or calibrate again."
            ) from None
        try:
            return CalibrationFileModel.model_validate(raw)
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(str(part) for part in first["loc"]) or "(file)"
            raise CalibrationFileError(
                f"{path}, field '{field}': {first['msg']} (got {_show(first.get('input'))}). "
                f"Fix or move this file (a previous version may be in {path.name}{BACKUP_SUFFIX})."
            ) from None


def _show(value: Any) -> str:
    """Return a value for a message, cut short (a wrong value can be a whole file long)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."

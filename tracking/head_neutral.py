"""The ``--neutral`` file: a neutral head posture in absolute degrees, as a small JSON object.

Documented form, units in the names::

    {"yaw_deg": 1.5, "pitch_deg": -2.0, "roll_deg": 0.0}

Files written before the names carried their unit, ``{"yaw": ..., "pitch": ..., "roll": ...}``, are still read;
a file that mixes the two spellings is refused, naming the field.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from tracking.errors import TrackingError
from tracking.input_files import InputFileError, read_text_file
from tracking.json_input import HugeNumber, loads_checked
from tracking.limits import MAX_ABS_ANGLE_DEG
from tracking.types import HeadAngles

FIELDS = ("yaw_deg", "pitch_deg", "roll_deg")
# The names before the unit was part of them (yaw, pitch, roll): read, no longer written or documented.
OLD_FIELDS = ("yaw", "pitch", "roll")
EXPECTED = '{"yaw_deg": degrees, "pitch_deg": degrees, "roll_deg": degrees}'
# A neutral file is about 60 bytes; anything this large is not one, and is not read into memory.
MAX_BYTES = 64 * 1024
# A value longer than this is cut short in a message (a wrong value can be a whole file long).
_SHOWN_CHARS = 60


class HeadNeutralFileError(TrackingError):
    """A ``--neutral`` file cannot be used.

    The message names the file as given, the line or field, and what was expected.
    """


def _as_written(value: Any) -> str:
    """Return a value in the file's own JSON spelling (``true``, ``"5"``), cut short."""
    text = repr(value) if isinstance(value, HugeNumber) else json.dumps(value)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 3] + "..."


def _fields_used(path: Path, raw: dict[str, Any]) -> tuple[str, ...]:
    """Return the spelling the file uses (:data:`FIELDS`, or :data:`OLD_FIELDS` when only old names appear)."""
    unknown = sorted(set(raw) - set(FIELDS) - set(OLD_FIELDS))
    if unknown:
        raise HeadNeutralFileError(f"{path}, field '{unknown[0]}': unknown field; expected {EXPECTED}")
    old = [field for field in OLD_FIELDS if field in raw]
    new = [field for field in FIELDS if field in raw]
    if old and new:
        raise HeadNeutralFileError(
            f"{path}, field '{old[0]}': an old name beside '{new[0]}'; expected {EXPECTED} (write '{old[0]}_deg')"
        )
    return OLD_FIELDS if old else FIELDS


def _degrees(path: Path, raw: dict[str, Any], field: str) -> float:
    if field not in raw:
        raise HeadNeutralFileError(f"{path}, field '{field}': missing; expected {EXPECTED}")
    value = raw[field]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise HeadNeutralFileError(f"{path}, field '{field}': expected a number of degrees, got {_as_written(value)}")
    if not (math.isfinite(value) and -MAX_ABS_ANGLE_DEG <= value <= MAX_ABS_ANGLE_DEG):
        raise HeadNeutralFileError(
            f"{path}, field '{field}': expected degrees from {-MAX_ABS_ANGLE_DEG:g} to {MAX_ABS_ANGLE_DEG:g}, "
            f"got {_as_written(value)}"
        )
    return float(value)


def read_head_neutral(path: Path) -> HeadAngles:
    """Read a neutral head posture file (see the module docstring for its form).

    Raises
    ------
    HeadNeutralFileError
        Naming the file as given and the line or field when the file is missing, a folder, device or named pipe
        (refused without waiting for a writer), larger than :data:`MAX_BYTES`, not UTF-8, not JSON (deep nesting
        and huge numbers included), not an object; or a field is missing, unknown, spelt both ways, or not a JSON
        number of degrees from -180 to 180 (``"5"`` and ``true`` are not).
    """
    what = f"a head neutral JSON file {EXPECTED}"
    try:
        text = read_text_file(path, expected=what, max_bytes=MAX_BYTES)
    except InputFileError as error:
        raise HeadNeutralFileError(str(error)) from None
    try:
        raw: Any = loads_checked(text, source=str(path))
    except InputFileError as error:
        raise HeadNeutralFileError(f"{error}; expected {what}") from None
    if not isinstance(raw, dict):
        raise HeadNeutralFileError(f"{path}: expected a JSON object {EXPECTED}, got {_as_written(raw)}")
    yaw, pitch, roll = (_degrees(path, raw, field) for field in _fields_used(path, raw))
    return HeadAngles(yaw_deg=yaw, pitch_deg=pitch, roll_deg=roll)

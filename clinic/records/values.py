"""Checks of the values a person gives the records (patient IDs, display names, plans), and the defaults.

A new pseudonymous patient ID, this station's name, whether the process that recorded a session still runs.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import sys
import unicodedata

from clinic.calibration_store import validate_patient_name
from clinic.records.errors import RecordValueError
from clinic.records.types import MAX_DISPLAY_NAME_CHARS, MAX_NAME_CHARS, MAX_PLAN_CHARS, PlanFormat

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

PATIENT_CODE_PREFIX = "P-"
# Three random bytes, six hex digits: 16.7 million IDs, so a clinic's few thousand patients rarely meet a taken one
# (the store draws again when it does). Pseudonymous: nothing in it comes from the person.
PATIENT_CODE_BYTES = 3


def new_patient_code() -> str:
    """Return a new pseudonymous patient ID such as ``P-7F3A2C``."""
    return PATIENT_CODE_PREFIX + secrets.token_hex(PATIENT_CODE_BYTES).upper()


def check_patient_code(code: str) -> str:
    """Return ``code`` when it can be a patient ID (also a folder name for the calibration files).

    Else :class:`~clinic.errors.PatientNameError` naming it.
    """
    return validate_patient_name(code)


def _has_control_characters(text: str) -> bool:
    return any(unicodedata.category(character) in ("Cc", "Cf", "Zl", "Zp") for character in text)


def check_display_name(name: str | None) -> str | None:
    """Return a display name: 1 to 200 printable characters (spaces at the ends dropped), or ``None``."""
    if name is None:
        return None
    stripped = name.strip()
    if not stripped or len(stripped) > MAX_DISPLAY_NAME_CHARS or _has_control_characters(stripped):
        raise RecordValueError(
            f"display name {name!r}: expected 1 to {MAX_DISPLAY_NAME_CHARS} printable characters"
        )
    return stripped


def check_short_text(value: str, *, what: str, limit: int = MAX_NAME_CHARS) -> str:
    """Return a one-line name (a station, an author, a level): 1 to ``limit`` printable characters."""
    stripped = value.strip()
    if not stripped or len(stripped) > limit or _has_control_characters(stripped):
        raise RecordValueError(f"{what} {value!r}: expected 1 to {limit} printable characters on one line")
    return stripped


def check_plan_text(text: str, plan_format: PlanFormat) -> str:
    """``text`` when it is a readable TOML or JSON document (a table or object) of at most 256 KiB."""
    if len(text) > MAX_PLAN_CHARS:
        raise RecordValueError(f"plan: {len(text)} characters, expected at most {MAX_PLAN_CHARS}")
    try:
        parsed = tomllib.loads(text) if plan_format is PlanFormat.TOML else json.loads(text)
    except (tomllib.TOMLDecodeError, ValueError, RecursionError) as error:
        raise RecordValueError(f"plan: not valid {plan_format.value.upper()} ({error})") from None
    if not isinstance(parsed, dict):
        raise RecordValueError(f"plan: expected a {plan_format.value.upper()} table of settings")
    return text


def this_station() -> str:
    """Return the default station name: this computer's host name."""
    return socket.gethostname() or "localhost"


def process_is_running(process_id: int) -> bool:
    """Return ``True`` when a process with this id runs on this computer (this one included)."""
    if process_id == os.getpid():
        return True
    if process_id <= 0:
        return False
    if sys.platform == "win32":  # os.kill would terminate it there
        return _windows_process_is_running(process_id)
    try:
        os.kill(process_id, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, owned by someone else
    return True


if sys.platform == "win32":  # pragma: no cover - Windows only

    def _windows_process_is_running(process_id: int) -> bool:
        import ctypes

        synchronize, wait_timeout = 0x00100000, 0x00000102
        kernel32 = ctypes.WinDLL("kernel32")
        handle = kernel32.OpenProcess(synchronize, False, process_id)
        if not handle:
            return False
        try:
            return bool(kernel32.WaitForSingleObject(handle, 0) == wait_timeout)
        finally:
            kernel32.CloseHandle(handle)

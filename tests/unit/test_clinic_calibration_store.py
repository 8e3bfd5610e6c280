"""Per-patient calibration files: round trip, atomic replace with .bak, bad files named and never overwritten."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from clinic.calibration_store import (
    DATA_DIR_ENV,
    CalibrationStore,
    default_data_dir,
    validate_patient_name,
)
from clinic.errors import CalibrationFileError, PatientNameError
from tracking.calibration import Calibration, ReachRange
from tracking.frames import HeadAngles

CALIBRATION = Calibration(ReachRange(0.2, 0.8, 0.25, 0.75), HeadAngles(2.5, -4.0, 1.0))


def test_round_trip(tmp_path: Path) -> None:
    store = CalibrationStore(tmp_path)
    assert store.load("anna") is None
    path = store.save("anna", CALIBRATION)
    assert path == tmp_path / "patients" / "anna" / "calibration.json"
    assert store.load("anna") == CALIBRATION
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw["version"] == 1 and raw["patient"] == "anna"
    assert raw["reach"]["x_min_norm"] == 0.2


def test_round_trip_without_head(tmp_path: Path) -> None:
    store = CalibrationStore(tmp_path)
    calibration = Calibration(ReachRange(0.1, 0.9, 0.1, 0.9))
    store.save("p1", calibration)
    assert store.load("p1") == calibration


def test_second_save_keeps_previous_as_bak(tmp_path: Path) -> None:
    store = CalibrationStore(tmp_path)
    first = store.save("anna", CALIBRATION, now=datetime(2026, 1, 1, tzinfo=timezone.utc))
    second_calibration = Calibration(ReachRange(0.3, 0.7, 0.3, 0.7))
    store.save("anna", second_calibration)
    backup = first.with_name("calibration.json.bak")
    assert json.loads(backup.read_text(encoding="utf-8"))["reach"]["x_min_norm"] == 0.2
    assert store.load("anna") == second_calibration
    assert sorted(p.name for p in first.parent.iterdir()) == ["calibration.json", "calibration.json.bak"]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda raw: raw["reach"].update(x_min_norm=1.5), "field 'reach.x_min_norm'"),
        (lambda raw: raw["reach"].update(x_max_norm=0.21), "x_max_norm - x_min_norm must be at least"),
        (lambda raw: raw.update(version=2), "field 'version'"),
        (lambda raw: raw.pop("reach"), "field 'reach'"),
        (lambda raw: raw.update(colour="blue"), "field 'colour'"),
        (lambda raw: raw["head_neutral"].update(yaw_deg="left"), "field 'head_neutral.yaw_deg'"),
    ],
)
def test_bad_file_rejected_naming_file_and_field(
    tmp_path: Path, mutate: Callable[[dict[str, Any]], object], expected: str
) -> None:
    store = CalibrationStore(tmp_path)
    path = store.save("anna", CALIBRATION)
    raw = json.loads(path.read_text(encoding="utf-8"))
    mutate(raw)
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(CalibrationFileError) as caught:
        store.load("anna")
    assert str(path) in str(caught.value)
    assert expected in str(caught.value)


def test_invalid_json_names_line_and_is_never_overwritten(tmp_path: Path) -> None:
    store = CalibrationStore(tmp_path)
    path = store.path_for("anna")
    path.parent.mkdir(parents=True)
    broken = '{\n  "version": 1,\n  "reach": {oops}\n}\n'
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(CalibrationFileError, match=r"calibration\.json: not valid JSON at line 3"):
        store.load("anna")
    with pytest.raises(CalibrationFileError):
        store.save("anna", CALIBRATION)
    assert path.read_text(encoding="utf-8") == broken
    assert not path.with_name("calibration.json.bak").exists()
    assert [p.name for p in path.parent.iterdir()] == ["calibration.json"]  # no temporary file left behind


@pytest.mark.parametrize("name", ["", "../x", "a/b", ".hidden", "x" * 65, "name with space", "trailing."])
def test_unsafe_patient_names_rejected(tmp_path: Path, name: str) -> None:
    with pytest.raises(PatientNameError, match="cannot be used"):
        validate_patient_name(name)
    with pytest.raises(PatientNameError):
        CalibrationStore(tmp_path).save(name, CALIBRATION)


@pytest.mark.parametrize("name", ["default", "anna", "patient-07", "P.Smith_2"])
def test_safe_patient_names_accepted(name: str) -> None:
    assert validate_patient_name(name) == name


def test_data_dir_from_environment(tmp_path: Path) -> None:
    assert default_data_dir({DATA_DIR_ENV: str(tmp_path)}) == tmp_path
    assert default_data_dir({}) == Path("~/.local/share/motorplay").expanduser()

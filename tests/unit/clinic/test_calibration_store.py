"""Per-patient calibration files: round trip, atomic replace with .bak, bad files named and never overwritten."""

from __future__ import annotations

import json
import os
import stat
import threading
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from clinic.calibration_store import (
    BACKUP_SUFFIX,
    DATA_DIR_ENV,
    CalibrationStore,
    default_data_dir,
    validate_patient_name,
)
from clinic.errors import CalibrationFileError, PatientNameError
from tests.support.mounts import fill, tmpfs
from tracking.calibration import Calibration, ReachRange
from tracking.types import HeadAngles

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
    with pytest.raises(CalibrationFileError, match=r"calibration\.json, line 3: not valid JSON"):
        store.load("anna")
    with pytest.raises(CalibrationFileError):
        store.save("anna", CALIBRATION)
    assert path.read_text(encoding="utf-8") == broken
    assert not path.with_name("calibration.json.bak").exists()
    assert [p.name for p in path.parent.iterdir()] == ["calibration.json"]  # no temporary file left behind


@pytest.mark.parametrize(("content", "what"), [("", "is empty"), ("\n \t\n", "holds only blank space")])
def test_an_empty_file_is_named_empty_and_is_never_overwritten(tmp_path: Path, content: str, what: str) -> None:
    store = CalibrationStore(tmp_path)
    path = store.path_for("anna")
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="utf-8")
    expected = f"{path}: {what}; expected a motorplay calibration file (JSON). Fix or move this file"
    for attempt in (lambda: store.load("anna"), lambda: store.save("anna", CALIBRATION)):
        with pytest.raises(CalibrationFileError) as caught:
            attempt()
        assert str(caught.value).startswith(expected), str(caught.value)
    assert path.read_text(encoding="utf-8") == content
    assert [p.name for p in path.parent.iterdir()] == ["calibration.json"]


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


HUGE = "9" * 5000  # more digits than Python's int-string limit
BIG = "1" + "0" * 400  # too large for a float
DEEP = "[" * 100_000 + "]" * 100_000


def _good_text() -> str:
    return json.dumps({"version": 1, "patient": "anna", "saved_at": "2026-11-25T20:00:00Z",
                       "reach": {"x_min_norm": 0.2, "x_max_norm": 0.8, "y_min_norm": 0.25, "y_max_norm": 0.75},
                       "head_neutral": {"yaw_deg": 2.5, "pitch_deg": -4.0, "roll_deg": 1.0}}, indent=2)


# (the file's text, words the message must hold: the field, or the line)
BAD_FILES = [
    (_good_text().replace('"x_min_norm": 0.2', '"x_min_norm": "0.2"'), ["field 'reach.x_min_norm'", "'0.2'"]),
    (_good_text().replace('"x_min_norm": 0.2', '"x_min_norm": true'), ["field 'reach.x_min_norm'", "True"]),
    (_good_text().replace('"x_min_norm": 0.2', f'"x_min_norm": {BIG}'), ["field 'reach.x_min_norm'", "401-digit"]),
    (_good_text().replace('"x_min_norm": 0.2', f'"x_min_norm": {HUGE}'), ["field 'reach.x_min_norm'", "5000-digit"]),
    (_good_text().replace('"yaw_deg": 2.5', '"yaw_deg": NaN'), ["field 'head_neutral.yaw_deg'", "nan"]),
    (_good_text().replace('"yaw_deg": 2.5', '"yaw_deg": 1e400'), ["field 'head_neutral.yaw_deg'", "inf"]),
    (_good_text().replace('"version": 1', '"version": 1.0'), ["field 'version'", "whole number 1"]),
    (_good_text().replace('"version": 1', '"version": true'), ["field 'version'", "whole number 1"]),
    (_good_text().replace('"version": 1', f'"version": {HUGE}'), ["field 'version'", "5000-digit"]),
    (_good_text().replace('"patient": "anna"', '"patient": 7'), ["field 'patient'", "7"]),
    (_good_text().replace('"2026-11-25T20:00:00Z"', "1764100800"), ["field 'saved_at'", "ISO 8601"]),
    (_good_text().replace('"2026-11-25T20:00:00Z"', '"yesterday"'), ["field 'saved_at'", "'yesterday'"]),
    (_good_text().replace('"head_neutral": {', f'"deep": {DEEP}, "head_neutral": {{'), ["line 11", "nested"]),
    (DEEP, ["line 1", "nested more than 100 levels"]),
    ("{}\n" * 2 + "\n", ["line 2", "not valid JSON"]),
]


@pytest.mark.parametrize(("text", "expected"), BAD_FILES)
def test_hostile_files_rejected_naming_file_and_field(tmp_path: Path, text: str, expected: list[str]) -> None:
    store = CalibrationStore(tmp_path)
    path = store.save("anna", CALIBRATION)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CalibrationFileError) as caught:
        store.load("anna")
    message = str(caught.value)
    assert message.startswith(str(path)) and all(words in message for words in expected), message


def test_not_utf8_folder_and_fifo_are_named_for_what_they_are(tmp_path: Path) -> None:
    store = CalibrationStore(tmp_path)
    path = store.save("anna", CALIBRATION)
    path.write_bytes(b"{\n" * 3 + b'"\xff"')
    with pytest.raises(CalibrationFileError, match=r"calibration\.json, line 4: byte 0xff .* not UTF-8"):
        store.load("anna")
    path.unlink()
    path.mkdir()
    with pytest.raises(CalibrationFileError, match=r"calibration\.json: is a folder"):
        store.load("anna")
    path.rmdir()
    if hasattr(os, "mkfifo"):
        os.mkfifo(path)
        with pytest.raises(CalibrationFileError, match=r"calibration\.json: is a named pipe"):
            store.load("anna")  # at once: opening a FIFO for reading would wait for a writer


def test_datetime_objects_and_iso_text_still_load(tmp_path: Path) -> None:
    store = CalibrationStore(tmp_path)
    store.save("anna", CALIBRATION, now=datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc))
    raw = json.loads(store.path_for("anna").read_text(encoding="utf-8"))
    assert raw["saved_at"] == "2026-01-02T03:04:05Z"
    assert store.load("anna") == CALIBRATION


# Enough rounds for the old save (rename to .bak, then rename the new file in) to show its gap many times
# (20,715 of 48,472 loads saw no calibration in a longer run), few enough to stay within seconds.
STRESS_SAVES = 300
STRESS_READERS = 3
# The saves take well under a second; a writer still running after this is stuck (a deadlock), not slow.
HANG_AFTER_S = 120.0


def test_loads_never_miss_the_file_while_it_is_saved_again_and_again(tmp_path: Path) -> None:
    store = CalibrationStore(tmp_path)
    store.save("anna", CALIBRATION)
    others = [CALIBRATION, Calibration(ReachRange(0.3, 0.7, 0.3, 0.7))]
    stop = threading.Event()
    seen: list[object] = []
    loads = [0] * STRESS_READERS

    def read(slot: int) -> None:
        while not stop.is_set():
            try:
                calibration = store.load("anna")
            except Exception as error:  # noqa: BLE001 - any failure is what this test looks for
                seen.append(error)
                return
            if calibration not in others:
                seen.append(calibration)
                return
            loads[slot] += 1

    readers = [threading.Thread(target=read, args=(slot,)) for slot in range(STRESS_READERS)]
    for reader in readers:
        reader.start()
    try:
        for index in range(STRESS_SAVES):
            store.save("anna", others[index % 2])
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    assert seen == [] and sum(loads) > 0, (seen[:3], loads)


def test_two_writers_at_once_never_fail(tmp_path: Path) -> None:
    store = CalibrationStore(tmp_path)
    failures: list[BaseException] = []

    def write(calibration: Calibration) -> None:
        for _ in range(STRESS_SAVES // 2):
            try:
                store.save("anna", calibration)
            except Exception as error:  # noqa: BLE001 - any failure is what this test looks for
                failures.append(error)
                return

    writers = [threading.Thread(target=write, args=(c,), daemon=True)
               for c in (CALIBRATION, Calibration(ReachRange(0, 1, 0, 1)))]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=HANG_AFTER_S)
    assert not any(writer.is_alive() for writer in writers), "two saves at once deadlocked"
    assert failures == []
    assert store.load("anna") in (CALIBRATION, Calibration(ReachRange(0, 1, 0, 1)))
    folder = store.path_for("anna").parent
    assert sorted(p.name for p in folder.iterdir()) == ["calibration.json", "calibration.json" + BACKUP_SUFFIX]


def test_patient_folders_are_private_and_files_0600(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    data_dir = tmp_path / "data"
    store = CalibrationStore(data_dir)
    path = store.save("anna", CALIBRATION)
    store.save("anna", CALIBRATION)
    for folder in (data_dir, data_dir / "patients", path.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    for file in (path, path.with_name(path.name + BACKUP_SUFFIX)):
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o755  # a folder that was there is left as it was


def test_a_file_in_place_of_a_folder_is_a_calibration_error(tmp_path: Path) -> None:
    (tmp_path / "patients").write_text("not a folder", encoding="utf-8")
    with pytest.raises(CalibrationFileError, match=r"calibration\.json: cannot save the calibration"):
        CalibrationStore(tmp_path).save("anna", CALIBRATION)


def test_read_only_and_full_disks_are_calibration_errors(tmp_path: Path) -> None:

    with tmpfs(tmp_path / "ro", read_only=True) as folder:
        with pytest.raises(CalibrationFileError) as caught:
            CalibrationStore(folder).save("anna", CALIBRATION)
        assert str(caught.value).startswith(str(folder / "patients" / "anna" / "calibration.json"))
        assert "Read-only file system" in str(caught.value)
    with tmpfs(tmp_path / "full", size_kib=64) as folder:
        store = CalibrationStore(folder)
        path = store.save("anna", CALIBRATION)
        fill(folder, leave_bytes=0)
        with pytest.raises(CalibrationFileError, match=r"calibration\.json: cannot save the calibration.*space"):
            store.save("anna", Calibration(ReachRange(0.3, 0.7, 0.3, 0.7)))
        (folder / "filler").unlink()
        assert store.load("anna") == CALIBRATION and path.exists()  # the previous calibration is kept

"""The ``motorplay play`` and ``motorplay calibrate`` commands, run in-process through ``game.cli.main``."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pygame
import pytest

from clinic.calibration_store import DATA_DIR_ENV, CalibrationStore
from game import tracking_input
from game.cli import main
from game.session import DEFAULT_WINDOW_PX
from tests.support.game_inputs import hand_at
from tests.support.mounts import tmpfs
from tracking import priority
from tracking.calibration import REACH_MARGIN_FRACTION, Calibration, ReachRange
from tracking.live import LiveTracker, open_live_tracker
from tracking.recording import RecordingWriter
from tracking.types import LandmarkFrame, SourceInfo


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Patient data in a temporary folder (never the tester's home), as MOTORPLAY_DATA_DIR."""
    directory = tmp_path / "data"
    monkeypatch.setenv(DATA_DIR_ENV, str(directory))
    return directory


def scene_names(directory: Path) -> list[str]:
    return [path.name.split("_", 1)[1].rsplit("_", 1)[0] for path in sorted(directory.glob("*.png"))]


def assert_viewable_pngs(directory: Path) -> None:
    for path in sorted(directory.glob("*.png")):
        image = pygame.image.load(str(path))
        assert image.get_size() == DEFAULT_WINDOW_PX, path


@pytest.mark.mediapipe
def test_play_reach_on_hand_video_headless(
    media_dir: Path, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's command: exits 0 after 10 s, leaves screenshots of the menu and the level, and prints a
    one-line summary."""
    CalibrationStore(data_dir).save("default", Calibration(ReachRange(0.1, 0.9, 0.1, 0.9)))
    shots = tmp_path / "shots"
    argv = [
        "play",
        "--level",
        "reach",
        "--source",
        str(media_dir / "hand_video.mp4"),
        "--headless",
        "--max-seconds",
        "10",
        "--screenshot-dir",
        str(shots),
    ]
    assert main(argv) == 0
    names = scene_names(shots)
    assert names[:2] == ["loading", "menu"] and "level" in names, names
    assert "calibration" not in names  # the saved calibration is reused
    assert len(names) >= 10  # one a second, plus one per scene change
    assert_viewable_pngs(shots)
    out = capsys.readouterr().out
    assert re.fullmatch(r"reach: \d of 8 targets hit, score \d+.*\(stopped after 10 s\)\n", out), out


def test_play_without_camera_says_so_and_exits_zero(data_dir: Path, tmp_path: Path) -> None:
    shots = tmp_path / "shots"
    assert main(["play", "--camera", "7", "--headless", "--max-seconds", "1.5", "--screenshot-dir", str(shots)]) == 0
    names = scene_names(shots)
    assert names[0] == "loading" and set(names[1:]) == {"no_camera"}, names
    assert_viewable_pngs(shots)


def test_play_with_mouse_headless(data_dir: Path, tmp_path: Path) -> None:
    shots = tmp_path / "shots"
    assert main(["play", "--input", "mouse", "--headless", "--max-seconds", "3", "--screenshot-dir", str(shots)]) == 0
    assert scene_names(shots)[0] == "menu" and "level" in scene_names(shots)


def write_calibration_recording(path: Path) -> dict[str, tuple[float, float]]:
    """A hand held at the left, right, top and bottom in turn, 3 s each: a calibration step (2 s) counts only while
    the hand is where it asks, and starts up to a second after the scripted hand moved."""
    extremes = {"left": (0.7, 0.5), "right": (0.3, 0.5), "up": (0.5, 0.25), "down": (0.5, 0.75)}
    rng = np.random.default_rng(8)
    with RecordingWriter(path, SourceInfo(30.0, 640, 360, "synthetic calibration")) as writer:
        for t_s in np.arange(0.0, 14.0, 1 / 30):
            step = min(int(t_s // 3.0), 3)
            x, y = list(extremes.values())[step]
            palm = (x + rng.normal(0, 0.002), y + rng.normal(0, 0.002))
            writer.write(LandmarkFrame(float(t_s), (hand_at(palm),)))
    return extremes


def test_calibrate_from_recording_saves_for_the_patient(data_dir: Path, tmp_path: Path) -> None:
    recording = tmp_path / "calibration.jsonl"
    write_calibration_recording(recording)
    argv = [
        "calibrate",
        "--source",
        str(recording),
        "--models",
        "hands",
        "--patient",
        "anna",
        "--headless",
        "--max-seconds",
        "14",
        "--screenshot-dir",
        str(tmp_path / "shots"),
    ]
    assert main(argv) == 0
    saved = CalibrationStore(data_dir).load("anna")
    assert saved is not None
    span_x, span_y = 0.4, 0.5
    # Each step's first frames still show the previous position (the steps and the recording are not in lock
    # step), so the robust extremes are checked to within 0.03.
    assert saved.reach.x_min_norm == pytest.approx(0.3 + REACH_MARGIN_FRACTION * span_x, abs=0.03)
    assert saved.reach.x_max_norm == pytest.approx(0.7 - REACH_MARGIN_FRACTION * span_x, abs=0.03)
    assert saved.reach.y_min_norm == pytest.approx(0.25 + REACH_MARGIN_FRACTION * span_y, abs=0.03)
    assert saved.reach.y_max_norm == pytest.approx(0.75 - REACH_MARGIN_FRACTION * span_y, abs=0.03)
    raw = json.loads(CalibrationStore(data_dir).path_for("anna").read_text(encoding="utf-8"))
    assert raw["patient"] == "anna" and raw["head_neutral"] is None
    assert "calibration" in scene_names(tmp_path / "shots")


def test_calibrate_not_finished_exits_one(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    recording = tmp_path / "calibration.jsonl"
    write_calibration_recording(recording)
    argv = ["calibrate", "--source", str(recording), "--models", "hands", "--headless", "--max-seconds", "1"]
    assert main(argv) == 1
    assert "nothing was saved" in capsys.readouterr().err
    assert not (data_dir / "patients").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["play", "--headless"], "--headless needs --max-seconds"),
        (["play", "--patient", "../x", "--input", "mouse"], "Patient name '../x' cannot be used"),
        (["play", "--level", "jump", "--input", "mouse"], "Unknown level 'jump'"),
        (["play", "--source", "missing.mp4", "--headless", "--max-seconds", "1"], "missing.mp4"),
        (["play", "--input", "mouse", "--source", "x.mp4"], "cannot be used together"),
        (["calibrate", "--models", "hands,eyes"], "unknown tracking model 'eyes'"),
        (["calibrate", "--models", "face"], "'hands' is needed"),
        (["play", "--headless", "--max-seconds", "inf"], "positive, finite number of seconds"),
        (["play", "--headless", "--max-seconds", "nan"], "positive, finite number of seconds"),
        (["play", "--headless", "--max-seconds", "-3"], "positive, finite number of seconds"),
        (["play", "--camera", "3000000000", "--headless", "--max-seconds", "1"], "whole number from 0 to 99"),
        (["calibrate", "--camera", "-1", "--headless", "--max-seconds", "1"], "whole number from 0 to 99"),
        (["play", "--camera", "100", "--headless", "--max-seconds", "1"], "whole number from 0 to 99"),
        (["play", "--camera", "two", "--headless", "--max-seconds", "1"], "whole number from 0 to 99"),
    ],
)
def test_bad_options_are_explained(
    argv: list[str], message: str, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert exit_status(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def exit_status(argv: list[str]) -> int:
    """The exit status of ``motorplay ARGV``, whether main returns it or argparse exits with it."""
    try:
        return main(argv)
    except SystemExit as exited:
        return int(exited.code or 0)


@pytest.mark.parametrize("command", ["play", "calibrate"])
def test_screenshot_dir_that_cannot_be_written_is_refused_at_start(
    command: str, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder", encoding="utf-8")
    proc_dir = Path("/proc/motorplay-shots")
    with tmpfs(tmp_path / "read-only", read_only=True) as read_only:
        for folder, reason in ((a_file, "is a file"), (proc_dir, "cannot write"), (read_only / "shots", "Read-only")):
            argv = [command, "--source", "x.jsonl", "--headless", "--max-seconds", "1", "--screenshot-dir", str(folder)]
            assert exit_status(argv) == 2, folder
            err = capsys.readouterr().err
            assert f"--screenshot-dir {folder}" in err and reason in err and "Traceback" not in err, err
    assert a_file.read_text(encoding="utf-8") == "not a folder"


def test_bad_calibration_file_is_named_and_kept(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = CalibrationStore(data_dir).path_for("default")
    path.parent.mkdir(parents=True)
    path.write_text('{"version": 1}', encoding="utf-8")
    assert main(["play", "--input", "mouse", "--headless", "--max-seconds", "1"]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "field" in err
    assert path.read_text(encoding="utf-8") == '{"version": 1}'


@pytest.mark.parametrize("command", ["play", "calibrate"])
def test_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    for option in ("--patient", "--source", "--camera", "--headless", "--max-seconds", "--screenshot-dir"):
        assert option in out


def test_bad_recording_is_named(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    recording = tmp_path / "broken.jsonl"
    recording.write_text('{"format": "something-else"}\n', encoding="utf-8")
    assert main(["play", "--source", str(recording), "--headless", "--max-seconds", "1"]) == 2
    err = capsys.readouterr().err
    assert "broken.jsonl, line 1" in err


@pytest.mark.mediapipe
@pytest.mark.skipif(not priority.supported(), reason="per-thread scheduling policies are Linux's")
def test_play_with_background_tracking_runs_mediapipe_in_the_background(
    media_dir: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--background-tracking`` reaches the tracker: MediaPipe's threads, just opened by the game, are SCHED_IDLE."""
    CalibrationStore(data_dir).save("default", Calibration(ReachRange(0.1, 0.9, 0.1, 0.9)))
    seen: list[dict[str, set[int]]] = []

    def opened_and_looked_at(*args: Any, **kwargs: Any) -> LiveTracker:
        tracker = open_live_tracker(*args, **kwargs)
        policies: dict[str, set[int]] = {}
        for thread_id in os.listdir("/proc/self/task"):
            try:
                name = Path(f"/proc/self/task/{thread_id}/comm").read_text().strip()
                if name.startswith("mediapipe"):
                    policies.setdefault(name, set()).add(os.sched_getscheduler(int(thread_id)))
            except (FileNotFoundError, ProcessLookupError):  # a thread that ended meanwhile
                continue
        seen.append(policies)
        return tracker

    monkeypatch.setattr(tracking_input, "open_live_tracker", opened_and_looked_at)
    argv = ["play", "--level", "reach", "--source", str(media_dir / "hand_video.mp4"), "--headless", "--max-seconds",
            "5", "--background-tracking"]  # fmt: skip
    assert main(argv) == 0
    [policies] = seen
    assert policies and {policy for found in policies.values() for policy in found} == {os.SCHED_IDLE}, policies
    assert os.sched_getscheduler(0) == os.SCHED_OTHER  # the game's own thread


@pytest.mark.mediapipe
@pytest.mark.skipif(not priority.supported(), reason="per-thread scheduling is Linux's")
def test_play_gives_its_loop_and_mediapipes_threads_short_time_slices(
    media_dir: Path, data_dir: Path, tmp_path: Path
) -> None:
    """The real command, in a process of its own: once MediaPipe runs, the game's main thread and every MediaPipe
    thread have the 0.1 ms slice (Linux 6.12 or later; an older kernel reports none, and nothing is asked of it)."""
    CalibrationStore(data_dir).save("default", Calibration(ReachRange(0.1, 0.9, 0.1, 0.9)))
    motorplay = Path(sys.executable).with_name("motorplay")
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", DATA_DIR_ENV: str(data_dir)}
    argv = [str(motorplay), "play", "--level", "reach", "--source", str(media_dir / "hand_video.mp4"), "--headless",
            "--max-seconds", "20"]  # fmt: skip
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        slices = _mediapipe_slices_once_running(process.pid, timeout_s=15.0)
        main_slice = priority.time_slice_ns(process.pid)  # a process's main thread has the process's id
    finally:
        process.kill()
        process.wait()
    assert slices, "MediaPipe's threads never appeared"
    if priority.time_slice_ns(threading.get_native_id()) is None:  # the kernel does not report slices
        assert main_slice is None and set(slices.values()) == {None}
    else:
        assert main_slice == priority.SHORT_SLICE_NS
        assert set(slices.values()) == {priority.SHORT_SLICE_NS}, slices


def _mediapipe_slices_once_running(pid: int, *, timeout_s: float) -> dict[str, int | None]:
    """The time slice of each thread of process ``pid`` named ``mediapipe...``, once there are some."""
    deadline_s = time.monotonic() + timeout_s
    while time.monotonic() < deadline_s:
        slices: dict[str, int | None] = {}
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                if (task / "comm").read_text().startswith("mediapipe"):
                    slices[task.name] = priority.time_slice_ns(int(task.name))
            except (FileNotFoundError, ProcessLookupError):  # a thread that ended meanwhile
                continue
        if slices:
            return slices
        time.sleep(0.1)
    return {}

"""What a person sees from ``motorplay``: no library log lines (unless --verbose), help and version, a progress bar
with its total from the start, inputs that are not videos refused at once, the effector chosen over the whole
video and said, messages naming the input as given, singular counts."""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.metadata
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from game.cli import COMMAND_MODULES, main
from tests.support.paths import HAND_TEMPLATE_PATH, REPO_ROOT
from tracking.quality_types import BreakKind
from tracking.recording import RecordingReader
from tracking.synthetic import SyntheticHand, load_hand_template, synthetic_hand

TEMPLATE_PATH = HAND_TEMPLATE_PATH
MOTORPLAY = REPO_ROOT / ".venv" / "bin" / "motorplay"
# What MediaPipe 0.10.21, TensorFlow Lite, absl and OpenCV print on their own when a model runs or a camera is missing.
LIBRARY_LOG_LINES = (
    "Feedback manager requires a model with a single signature inference",
    "Using NORM_RECT without IMAGE_DIMENSIONS",
    "Created TensorFlow Lite XNNPACK delegate",
    "All log messages before absl::InitializeLog()",
    "can't open camera by index",
    "[ WARN:",
)
LATE_HAND_FROM_FRAME = 12  # the derived video shows only a face for this many frames, then the hand video
FPS = 25.0


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def _motorplay(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    quiet = ("GLOG_minloglevel", "TF_CPP_MIN_LOG_LEVEL", "OPENCV_LOG_LEVEL")  # motorplay must set these itself
    env = {k: v for k, v in os.environ.items() if k not in quiet}
    return subprocess.run(
        [str(MOTORPLAY), *argv], cwd=cwd, capture_output=True, text=True, timeout=300, check=False, env=env
    )


def _library_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if any(marker in line for marker in LIBRARY_LOG_LINES)]


# --- library log lines ------------------------------------------------------------------------------------------


@pytest.mark.mediapipe
def test_track_and_analyze_print_no_library_log_lines(media_dir: Path, tmp_path: Path) -> None:
    video = str(media_dir / "hand_video.mp4")
    tracked = _motorplay("track", video, "--out", "x.jsonl", cwd=tmp_path)
    assert tracked.returncode == 0, tracked.stderr
    assert _library_lines(tracked.stderr) == [] and tracked.stderr == ""
    analyzed = _motorplay("analyze", video, "--json", "x.json", cwd=tmp_path)
    assert analyzed.returncode == 0, analyzed.stderr
    assert _library_lines(analyzed.stderr) == [] and analyzed.stderr == ""
    # --verbose shows them: the quiet runs above were quiet because of motorplay, not because nothing was logged.
    verbose = _motorplay("--verbose", "track", video, "--out", "y.jsonl", cwd=tmp_path)
    assert verbose.returncode == 0 and _library_lines(verbose.stderr) != []
    after = _motorplay("track", video, "--out", "z.jsonl", "--verbose", cwd=tmp_path)
    assert after.returncode == 0 and _library_lines(after.stderr) != []


def test_errors_still_reach_stderr_while_library_lines_are_hidden(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a video\n", encoding="utf-8")
    done = _motorplay("analyze", str(text), cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.startswith(f"motorplay analyze: error: {text}: is a text file")


def test_opencv_warnings_are_silenced_by_the_environment_set_before_cv2_loads(tmp_path: Path) -> None:
    probe = (
        "from game.native_logs import quiet_library_environment\n"
        "quiet_library_environment()\n"
        "import cv2\n"
        "cv2.VideoCapture(97)\n"  # no such camera: OpenCV warns on its own
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENCV_LOG_LEVEL"}
    quiet = subprocess.run([sys.executable, "-c", probe], cwd=REPO_ROOT, capture_output=True, text=True, env=env,
                           check=False, timeout=60)
    loud = subprocess.run([sys.executable, "-c", probe.replace("quiet_library_environment()\n", "")], cwd=REPO_ROOT,
                          capture_output=True, text=True, env=env, check=False, timeout=60)
    assert quiet.returncode == loud.returncode == 0, quiet.stderr + loud.stderr
    assert _library_lines(loud.stderr) != []  # the warning exists
    assert _library_lines(quiet.stderr) == [], quiet.stderr


def test_importing_the_cli_loads_neither_cv2_nor_mediapipe() -> None:
    probe = "import sys, game.cli; game.cli.build_parser(); print(sorted({m.split('.')[0] for m in sys.modules}))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO_ROOT, capture_output=True, text=True, check=True,
                          timeout=60)
    loaded = done.stdout
    assert "'cv2'" not in loaded and "'mediapipe'" not in loaded and "'matplotlib'" not in loaded


# --- help and version -------------------------------------------------------------------------------------------


def test_no_command_prints_the_help() -> None:
    code, out, err = _run()
    assert code == 2 and err == ""
    assert out.startswith("usage: motorplay") and all(name in out for name in COMMAND_MODULES)


def test_version() -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert out.getvalue().strip() == f"motorplay {importlib.metadata.version('motorplay')}"


@pytest.mark.parametrize("command", [None, *COMMAND_MODULES])
def test_help_texts_have_no_sphinx_markup(command: str | None) -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        main([command, "--help"] if command else ["--help"])
    text = out.getvalue()
    assert "usage: motorplay" in text
    for markup in ("``", ":mod:", ":class:", ":func:", ":data:", ":meth:"):
        assert markup not in text, f"{markup} in the help of {command}"


# --- progress ---------------------------------------------------------------------------------------------------


@pytest.mark.mediapipe
def test_the_progress_bar_knows_the_frame_count_from_the_start(
    media_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # rich draws its progress bar as on a terminal
    code, out, err = _run("analyze", str(media_dir / "hand_video.mp4"), "--effector", "hand")
    assert code == 0, err
    assert "/202" in out  # the bar was drawn with the video's frame count ...
    assert "/?" not in out  # ... and never without it


# --- inputs that are not videos ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "kind"), [("face_test.jpeg", "JPEG"), ("thumbs_up.png", "PNG")])
def test_a_still_image_is_not_a_video(media_dir: Path, name: str, kind: str) -> None:
    code, out, err = _run("analyze", str(media_dir / name))
    assert code == 2 and out == ""
    assert f"{media_dir / name}: is a still image ({kind}), not a video" in err


def test_a_text_file_is_refused_at_once(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("patient notes\n" * 5000, encoding="utf-8")  # FFmpeg decoded this as 1,216 frames
    started_s = time.perf_counter()
    code, out, err = _run("analyze", str(notes))
    assert code == 2 and out == ""
    assert f"{notes}: is a text file, not a video" in err and "must end in .jsonl" in err
    code, _, err = _run("track", str(notes), "--out", str(tmp_path / "n.jsonl"))
    assert code == 2 and "is a text file" in err and not (tmp_path / "n.jsonl").exists()
    assert time.perf_counter() - started_s < 60  # a bound for a hung decoder, not a measurement (takes ~10 ms)


# --- the effector is chosen over the whole video ----------------------------------------------------------------


@pytest.fixture(scope="module")
def late_hand_video(media_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A face alone for LATE_HAND_FROM_FRAME frames, then every frame of hand_video.mp4 (640x360, 25 fps)."""
    photo = cv2.imread(str(media_dir / "face_test.jpeg"))
    assert photo is not None
    face = cv2.resize(photo, (640, 426))[33:393]
    path = tmp_path_factory.mktemp("late_hand") / "late_hand.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), FPS, (640, 360))
    for _ in range(LATE_HAND_FROM_FRAME):
        writer.write(face)
    capture = cv2.VideoCapture(str(media_dir / "hand_video.mp4"))
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        writer.write(np.ascontiguousarray(frame))
    capture.release()
    writer.release()
    return path


@pytest.mark.mediapipe
def test_a_hand_that_enters_late_is_analyzed_and_the_choice_is_said(late_hand_video: Path, tmp_path: Path) -> None:
    out_json = tmp_path / "late.json"
    code, out, err = _run("analyze", str(late_hand_video), "--json", str(out_json))
    assert code == 0, err
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data["frames"] == LATE_HAND_FROM_FRAME + 202
    assert data["movements"] and {m["effector"] for m in data["movements"]} == {"hand"}
    assert data["tracked_frames"] <= 202  # the hand is not in the first frames
    assert f"analysing the hand: seen in {data['tracked_frames']} of {data['frames']} frames" in out


# --- names and counts -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def template() -> np.ndarray:
    return load_hand_template(TEMPLATE_PATH)[0]


def _recording(template: np.ndarray, path: Path, breaks: list[BreakKind | None], source: str) -> SyntheticHand:
    synthetic = synthetic_hand(template, seed=3, fps=FPS, breaks=breaks)
    renamed = dataclasses.replace(synthetic, info=dataclasses.replace(synthetic.info, name=source))
    renamed.write(path)
    return renamed


def test_messages_name_the_input_not_the_recordings_original_source(template: np.ndarray, tmp_path: Path) -> None:
    path = tmp_path / "renamed.jsonl"
    _recording(template, path, [None, BreakKind.ARREST], source="original_video.mp4")
    assert RecordingReader(path).info.name == "original_video.mp4"
    code, out, err = _run("analyze", str(path), "--json", str(tmp_path / "a.json"))
    assert code == 0, err
    assert out.startswith(f"{path}: ") and "original_video.mp4" not in out
    assert json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))["source"] == "original_video.mp4"
    code, _, err = _run("analyze", str(path), "--effector", "head")
    assert code == 2 and f"{path}: the input has no face landmarks" in err and "original_video.mp4" not in err
    code, out, err = _run("track", str(path), "--out", str(tmp_path / "again.jsonl"))
    assert code == 0 and out.startswith(f"{path}: ") and "original_video.mp4" not in out


def test_one_movement_and_one_break_are_singular(template: np.ndarray, tmp_path: Path) -> None:
    path = tmp_path / "one.jsonl"
    _recording(template, path, [BreakKind.ARREST], source="one")
    code, out, err = _run("analyze", str(path))
    assert code == 0, err
    assert "1 movement (hand)" in out and "1 break," in out
    assert "1 movements" not in out and "1 breaks" not in out

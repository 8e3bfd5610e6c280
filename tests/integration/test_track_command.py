"""``motorplay track``: real videos and recordings in, version-1 recordings with signals out; bad input rejected."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import re
from pathlib import Path

import cv2
import numpy as np
import pytest

from game.cli import main
from tracking.hand_signals import palm_centre_norm
from tracking.head_pose import head_angles_deg
from tracking.landmarker import Landmarker
from tracking.recording import RecordedFrame, RecordingReader
from tracking.types import GraspState, TrackingModel

pytestmark = pytest.mark.mediapipe

ROLL_TOLERANCE_DEG = 3.0
TILT_DEG = 10.0  # the face video turns the photograph by this much after its first second
FACE_VIDEO_FPS = 25.0
FACE_VIDEO_SIZE_PX = (480, 680)  # business_person.png halved, so that the face mesh runs quickly


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def _frames(path: Path) -> list[RecordedFrame]:
    return list(RecordingReader(path).frames())


@pytest.fixture(scope="module")
def tracked_hand_video(media_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("track") / "hand_video.jsonl"
    code, stdout, stderr = _run("track", str(media_dir / "hand_video.mp4"), "--out", str(out))
    assert code == 0, stderr
    return out, stdout


def test_track_writes_every_frame_with_landmarks_and_signals(tracked_hand_video: tuple[Path, str]) -> None:
    out, _ = tracked_hand_video
    reader = RecordingReader(out)
    assert (reader.info.fps, reader.info.width_px, reader.info.height_px) == (25.0, 640, 360)
    assert reader.info.name == "hand_video.mp4"
    frames = _frames(out)
    assert len(frames) == 202
    assert [f.frame.t_s for f in frames] == pytest.approx([i / 25.0 for i in range(202)])
    for recorded in frames:
        signals = recorded.signals
        hand = recorded.frame.primary_hand()
        assert signals is not None and recorded.frame.face is None and recorded.frame.pose is None
        assert signals.head is None  # default models: hands only
        if hand is None:
            assert signals.cursor_norm is None and signals.grasp is None
        else:
            assert hand.world_landmarks_m is not None
            assert signals.cursor_norm == pytest.approx(palm_centre_norm(hand), abs=2e-6)
            assert signals.grasp is not None and 0.0 <= signals.grasp <= 1.0
    states = [f.signals.grasp_state for f in frames[20:] if f.signals is not None]
    assert np.mean([state is GraspState.OPEN for state in states]) >= 0.8


def test_track_prints_a_one_line_summary_that_matches_the_file(tracked_hand_video: tuple[Path, str]) -> None:
    out, stdout = tracked_hand_video
    frames = _frames(out)
    assert len(stdout.strip().splitlines()) == 1
    match = re.search(r"(\d+) frames .* a hand in (\d+) ->", stdout)
    assert match is not None, stdout
    with_hand = sum(bool(f.frame.hands) for f in frames)
    assert tuple(int(group) for group in match.groups()) == (len(frames), with_hand)
    assert "face" not in stdout and "pose" not in stdout  # those models did not run: nothing to report about them
    assert str(out) in stdout


def test_tracking_a_recording_recomputes_the_same_signals(tracked_hand_video: tuple[Path, str], tmp_path: Path) -> None:
    first, _ = tracked_hand_video
    again = tmp_path / "again.jsonl"
    code, stdout, stderr = _run("track", str(first), "--out", str(again), "--models", "face")  # models ignored
    assert code == 0, stderr
    assert "202 frames" in stdout
    recomputed = [f.signals for f in _frames(again)]
    written = [f.signals for f in _frames(first)]
    assert len(recomputed) == len(written)
    for new, old in zip(recomputed, written, strict=True):
        assert new is not None and old is not None
        assert new.grasp_state is old.grasp_state and (new.cursor_norm is None) == (old.cursor_norm is None)
        if new.cursor_norm is not None and old.cursor_norm is not None and new.grasp is not None:
            # The recording keeps 6 decimals of each landmark: the recomputed values differ by that rounding.
            assert new.cursor_norm == pytest.approx(old.cursor_norm, abs=2e-6)
            assert new.grasp == pytest.approx(old.grasp, abs=1e-3)


def _face_video(media_dir: Path, path: Path) -> Path:
    """One second of business_person.png upright, then one second turned counter-clockwise by TILT_DEG."""
    photo = cv2.resize(cv2.imread(str(media_dir / "business_person.png")), FACE_VIDEO_SIZE_PX)
    width, height = FACE_VIDEO_SIZE_PX
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), TILT_DEG, 1.0)
    tilted = cv2.warpAffine(photo, turn, (width, height), borderMode=cv2.BORDER_REPLICATE)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), FACE_VIDEO_FPS, FACE_VIDEO_SIZE_PX)
    for index in range(50):
        writer.write(photo if index < FACE_VIDEO_FPS else tilted)
    writer.release()
    return path


@pytest.fixture(scope="module")
def face_video(media_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _face_video(media_dir, tmp_path_factory.mktemp("face") / "face.avi")


def _rolls(path: Path) -> list[float]:
    rolls = []
    for recorded in _frames(path):
        assert recorded.signals is not None and recorded.signals.head is not None
        rolls.append(recorded.signals.head.roll_deg)
    return rolls


def test_head_angles_are_relative_to_the_first_second_by_default(face_video: Path, tmp_path: Path) -> None:
    out = tmp_path / "face.jsonl"
    code, stdout, stderr = _run("track", str(face_video), "--out", str(out), "--models", "face,hands")
    assert code == 0, stderr
    assert "a face in 50" in stdout and "median of the first second" in stdout
    rolls = _rolls(out)
    assert rolls[:25] == pytest.approx([0.0] * 25, abs=1.0)
    # Turning the picture counter-clockwise on screen tilts the head to the patient's right: negative roll.
    assert rolls[25:] == pytest.approx([-TILT_DEG] * 25, abs=ROLL_TOLERANCE_DEG)


@pytest.mark.parametrize("names", [("yaw_deg", "pitch_deg", "roll_deg"), ("yaw", "pitch", "roll")])
def test_a_neutral_file_replaces_the_first_second(face_video: Path, tmp_path: Path, names: tuple[str, ...]) -> None:
    """The neutral taken from the tilted picture makes the upright second read +TILT_DEG and the rest 0; the file's
    names carry their unit (the names without it are still read)."""
    tilted_frame = None
    capture = cv2.VideoCapture(str(face_video))
    for _ in range(30):
        ok, tilted_frame = capture.read()
        assert ok
    capture.release()
    assert tilted_frame is not None
    with Landmarker(frozenset({TrackingModel.FACE}), static_images=True) as landmarker:
        face = landmarker.process(0.0, np.asarray(tilted_frame, dtype=np.uint8)).face
    assert face is not None
    neutral = head_angles_deg(face, *FACE_VIDEO_SIZE_PX)
    neutral_file = tmp_path / "neutral.json"
    neutral_file.write_text(
        json.dumps(dict(zip(names, dataclasses.astuple(neutral), strict=True))), encoding="utf-8"
    )
    out = tmp_path / "face.jsonl"
    code, stdout, stderr = _run(
        "track", str(face_video), "--out", str(out), "--models", "face", "--neutral", str(neutral_file)
    )
    assert code == 0, stderr
    assert "from --neutral" in stdout
    rolls = _rolls(out)
    assert rolls[:25] == pytest.approx([TILT_DEG] * 25, abs=ROLL_TOLERANCE_DEG)
    assert rolls[25:] == pytest.approx([0.0] * 25, abs=ROLL_TOLERANCE_DEG)


@pytest.mark.parametrize(
    ("content", "field", "problem"),
    [
        ('{"yaw": 1, "pitch": 2}', "roll", "missing"),
        ('{"yaw": "left", "pitch": 2, "roll": 3}', "yaw", "number of degrees"),
        ('{"yaw": 1, "pitch": true, "roll": 3}', "pitch", "number of degrees"),
        ('{"yaw": 1, "pitch": 2, "roll": 3, "tilt": 4}', "tilt", "unknown field"),
        ('{"yaw": 1, "pitch": 2, "roll": 400}', "roll", "from -180 to 180"),
    ],
)
def test_a_bad_neutral_file_is_rejected_naming_file_and_field(
    media_dir: Path, tmp_path: Path, content: str, field: str, problem: str
) -> None:
    neutral_file = tmp_path / "my_neutral.json"
    neutral_file.write_text(content, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code, _, stderr = _run(
        "track", str(media_dir / "hand_video.mp4"), "--out", str(out), "--neutral", str(neutral_file)
    )
    assert code == 2
    assert f"{neutral_file}, field '{field}'" in stderr and problem in stderr
    assert "Traceback" not in stderr
    assert not out.exists()


@pytest.mark.parametrize("content", ["[1, 2, 3]", "yaw=1", ""])
def test_a_neutral_file_that_is_not_a_json_object_is_rejected(media_dir: Path, tmp_path: Path, content: str) -> None:
    neutral_file = tmp_path / "n.json"
    neutral_file.write_text(content, encoding="utf-8")
    code, _, stderr = _run(
        "track", str(media_dir / "hand_video.mp4"), "--out", str(tmp_path / "o.jsonl"), "--neutral", str(neutral_file)
    )
    assert code == 2 and str(neutral_file) in stderr


def test_bad_paths_are_reported_without_traceback(media_dir: Path, tmp_path: Path) -> None:
    video = str(media_dir / "hand_video.mp4")
    cases = [
        (("track", str(tmp_path / "missing.mp4"), "--out", str(tmp_path / "o.jsonl")), "missing.mp4"),
        (("track", video, "--out", str(tmp_path / "o.csv")), "expected a .jsonl file name"),
        (("track", video, "--out", str(tmp_path / "no_such_dir" / "o.jsonl")), "does not exist"),
        (("track", str(tmp_path / "missing.jsonl"), "--out", str(tmp_path / "o.jsonl")), "missing.jsonl"),
        (("track", video, "--out", str(tmp_path / "o.jsonl"), "--neutral", str(tmp_path / "nope.json")), "nope.json"),
    ]
    for argv, expected in cases:
        code, _, stderr = _run(*argv)
        assert code == 2, argv
        assert expected in stderr and "Traceback" not in stderr, stderr


def test_a_bad_line_in_an_input_recording_is_reported_and_leaves_no_output(
    tracked_hand_video: tuple[Path, str], tmp_path: Path
) -> None:
    lines = tracked_hand_video[0].read_text(encoding="utf-8").splitlines(keepends=True)
    broken = tmp_path / "broken.jsonl"
    broken.write_text("".join(lines[:50]) + '{"t": 9.0, "hands": {}, "pose": null, "face": null}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code, _, stderr = _run("track", str(broken), "--out", str(out))
    assert code == 2
    assert f"{broken}, line 51, field 'hands'" in stderr and "Traceback" not in stderr
    assert not out.exists()


def test_unknown_models_are_reported_naming_the_model(media_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    code, _, err = _run("track", str(media_dir / "hand_video.mp4"), "--out", str(out), "--models", "hands,feet")
    assert code == 2
    assert "unknown tracking model 'feet'; expected some of: hands, pose, face" in err
    assert not out.exists()

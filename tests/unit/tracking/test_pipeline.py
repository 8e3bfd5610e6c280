"""The offline pipeline on synthetic recordings: every frame in order, and the first-second head neutral rule."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import REPO_ROOT
from tests.support.synthetic_landmarks import (
    FACE_IMAGE_SIZE_PX,
    bent_hand_points,
    hand_from_points,
    synthetic_face_norm,
)
from tracking.errors import RecordingFormatError, SourceError
from tracking.head_pose import head_angles_deg
from tracking.pipeline import NEUTRAL_WINDOW_S, open_tracked_file
from tracking.recording import RecordingWriter
from tracking.types import GraspState, HeadAngles, LandmarkFrame, SourceInfo

FPS = 25.0
# The recording stores landmarks with 6 decimals (tracking.recording): about 3e-5 degrees of head angle.
ANGLE_TOL_DEG = 1e-3
WIDTH_PX, HEIGHT_PX = FACE_IMAGE_SIZE_PX


def _write(path: Path, frames: list[LandmarkFrame]) -> Path:
    with RecordingWriter(path, SourceInfo(fps=FPS, width_px=WIDTH_PX, height_px=HEIGHT_PX, name="synthetic")) as writer:
        for frame in frames:
            writer.write(frame)
    return path


def _yaw_at(t_s: float, *, face_from_s: float = 0.0) -> float | None:
    if t_s < face_from_s:
        return None
    return 10.0 if t_s < face_from_s + NEUTRAL_WINDOW_S else 30.0


def _face_frames(count: int, *, face_from_s: float = 0.0) -> list[LandmarkFrame]:
    frames = []
    for index in range(count):
        t_s = index / FPS
        yaw = _yaw_at(t_s, face_from_s=face_from_s)
        face = None if yaw is None else synthetic_face_norm(HeadAngles(yaw, 0.0, 0.0))
        frames.append(LandmarkFrame(t_s=t_s, face=face))
    return frames


def _absolute(yaw_deg: float) -> HeadAngles:
    return head_angles_deg(synthetic_face_norm(HeadAngles(yaw_deg, 0, 0)), WIDTH_PX, HEIGHT_PX)


@pytest.mark.parametrize("face_from_s", [0.0, 0.4])
def test_head_is_relative_to_the_median_of_the_first_second_with_a_face(tmp_path: Path, face_from_s: float) -> None:
    path = _write(tmp_path / "faces.jsonl", _face_frames(60, face_from_s=face_from_s))
    with open_tracked_file(path) as tracked:
        assert tracked.frame_count_hint == 60
        samples = list(tracked.samples())
        neutral = tracked.head_neutral
    assert [s.frame.t_s for s in samples] == pytest.approx([i / FPS for i in range(60)])
    assert neutral is not None
    assert dataclasses.astuple(neutral) == pytest.approx(dataclasses.astuple(_absolute(10.0)), abs=ANGLE_TOL_DEG)
    for sample in samples:
        expected = _yaw_at(sample.frame.t_s, face_from_s=face_from_s)
        if expected is None:
            assert sample.signals.head is None
        else:
            assert sample.signals.head is not None
            assert dataclasses.astuple(sample.signals.head) == pytest.approx(
                (expected - 10.0, 0.0, 0.0), abs=ANGLE_TOL_DEG
            )


def test_a_given_neutral_is_used_as_is(tmp_path: Path) -> None:
    path = _write(tmp_path / "faces.jsonl", _face_frames(40))
    with open_tracked_file(path, head_neutral=_absolute(30.0)) as tracked:
        yaws = [s.signals.head.yaw_deg for s in tracked.samples() if s.signals.head is not None]
    assert yaws == pytest.approx([-20.0] * 25 + [0.0] * 15, abs=ANGLE_TOL_DEG)


def test_an_input_shorter_than_the_window_uses_what_there_is(tmp_path: Path) -> None:
    path = _write(tmp_path / "short.jsonl", _face_frames(10))
    with open_tracked_file(path) as tracked:
        samples = list(tracked.samples())
    assert len(samples) == 10
    assert all(s.signals.head is not None and abs(s.signals.head.yaw_deg) < ANGLE_TOL_DEG for s in samples)


def test_without_a_face_the_head_is_none_and_hand_signals_come_from_image_landmarks(tmp_path: Path) -> None:
    open_hand = hand_from_points(bent_hand_points(0.0), with_world=False)
    fist = hand_from_points(bent_hand_points(80.0), with_world=False)
    frames = [LandmarkFrame(t_s=i / FPS, hands=(open_hand if i < 5 else fist,)) for i in range(10)]
    with open_tracked_file(_write(tmp_path / "hands.jsonl", frames)) as tracked:
        samples = list(tracked.samples())
        assert tracked.head_neutral is None
    assert [s.signals.grasp_state for s in samples] == [GraspState.OPEN] * 5 + [GraspState.CLOSED] * 5
    assert all(s.signals.head is None and s.signals.cursor_norm is not None for s in samples)


def test_missing_files_name_the_path(tmp_path: Path) -> None:
    with pytest.raises(RecordingFormatError, match="nothing.jsonl"):
        open_tracked_file(tmp_path / "nothing.jsonl")
    with pytest.raises(SourceError, match="nothing.mp4"):
        open_tracked_file(tmp_path / "nothing.mp4")


def test_a_file_that_is_not_a_video_is_a_source_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.mp4"
    path.write_text("not a video", encoding="utf-8")
    with pytest.raises(SourceError, match="notes.mp4"):
        open_tracked_file(path)


def test_a_bad_frame_line_is_reported_with_its_line_number(tmp_path: Path) -> None:
    path = _write(tmp_path / "bad.jsonl", _face_frames(3))
    with path.open("a", encoding="utf-8") as stream:
        stream.write('{"t": 1.0, "hands": [], "pose": null}\n')
    with open_tracked_file(path) as tracked, pytest.raises(RecordingFormatError, match="line 5, field 'face'"):
        list(tracked.samples())


def test_a_recording_is_tracked_without_loading_mediapipe(tmp_path: Path) -> None:
    """Only opening a camera or a video loads MediaPipe (seconds, and memory): a recording's landmarks are replayed."""
    path = _write(tmp_path / "faces.jsonl", _face_frames(30))
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from tracking.pipeline import open_tracked_file\n"
        f"with open_tracked_file(Path({str(path)!r})) as tracked:\n"
        "    count = sum(1 for _ in tracked.samples())\n"
        "    print(count, tracked.models, 'mediapipe' in sys.modules, 'tracking.landmarker' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["30", "None", "False", "False"]

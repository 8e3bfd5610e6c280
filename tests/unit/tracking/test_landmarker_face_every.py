"""The face model on one frame in n (``face_every_n_frames``), on a real photo fed as the frames of a video."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from tracking.landmarker import MAX_FACE_EVERY_N_FRAMES, Landmarker
from tracking.live import settings_for_models
from tracking.types import TrackingModel

FACE = frozenset({TrackingModel.FACE})


class CountingSolution:
    """Wraps a MediaPipe solution and counts the images it is given."""

    def __init__(self, solution: Any) -> None:
        self.solution = solution
        self.calls = 0

    def process(self, rgb: Any) -> Any:
        self.calls += 1
        return self.solution.process(rgb)

    def close(self) -> None:
        self.solution.close()


def _faces(media_dir: Path, every_n: int, frames: int) -> tuple[list[Any], int]:
    image = cv2.imread(str(media_dir / "face_test.jpeg"), cv2.IMREAD_COLOR)
    with Landmarker(FACE, face_every_n_frames=every_n) as landmarker:
        counting = CountingSolution(landmarker._solutions[TrackingModel.FACE])
        landmarker._solutions[TrackingModel.FACE] = counting
        faces = [landmarker.process(index / 30.0, image).face for index in range(frames)]
    return faces, counting.calls


def test_every_frame_by_default_runs_the_face_model_on_each(media_dir: Path) -> None:
    faces, calls = _faces(media_dir, 1, 4)
    assert calls == 4
    assert all(face is not None and face.shape == (478, 3) for face in faces)
    assert faces[1] is not faces[0]  # a fresh result each frame


def test_alternate_frames_run_the_face_model_on_half_and_carry_the_last_face(media_dir: Path) -> None:
    faces, calls = _faces(media_dir, 2, 6)
    assert calls == 3  # frames 0, 2, 4
    assert all(face is not None for face in faces)
    for index in (1, 3, 5):
        assert faces[index] is faces[index - 1]  # the face found last, not another inference
    assert faces[2] is not faces[0]
    assert np.allclose(faces[0], faces[2], atol=0.02)  # the same still face found again


@pytest.mark.parametrize("every_n", [0, MAX_FACE_EVERY_N_FRAMES + 1])
def test_out_of_range_is_refused(every_n: int) -> None:
    with pytest.raises(ValueError, match="face_every_n_frames"):
        Landmarker(FACE, face_every_n_frames=every_n)


def test_hands_and_face_look_for_two_hands_and_halve_the_face() -> None:
    hands, face, pose = TrackingModel.HANDS, TrackingModel.FACE, TrackingModel.POSE
    assert settings_for_models(frozenset({hands})) == (1, 1)
    assert settings_for_models(frozenset({face, pose})) == (1, 1)
    assert settings_for_models(frozenset({hands, face})) == (2, 1)
    assert settings_for_models(frozenset({hands, face, pose})) == (2, 1)

"""The moving-hand generator itself: sub-pixel placement, determinism, a readable video, argument checks."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
import pytest

from tests.support.moving_hand import composite, hand_patch, render_moving_hand_video
from tracking.types import FloatArray

pytestmark = pytest.mark.mediapipe  # the hand is found in hand_image.jpg with MediaPipe


def _ink_centroid_px(frame: npt.NDArray[np.uint8], background: npt.NDArray[np.float32]) -> FloatArray:
    """Centroid of where the frame differs from the background (the pasted hand), in pixels."""
    weight = np.abs(frame.astype(np.float64) - background).sum(axis=2)
    ys, xs = np.indices(weight.shape)
    return np.array([(weight * xs).sum(), (weight * ys).sum()], dtype=np.float64) / float(weight.sum())


def test_the_patch_moves_by_exactly_the_requested_sub_pixel_shift(media_dir: Path) -> None:
    patch = hand_patch(media_dir)
    # On black, the frame is the premultiplied hand itself, linear in the bilinear interpolation weights, so its
    # centroid moves exactly with the placement (up to rounding to whole grey levels).
    background = np.zeros((360, 640, 3), dtype=np.float32)
    first = composite(background, patch, (300.0, 180.0))
    moved = composite(background, patch, (310.25, 172.5))
    shift_px = _ink_centroid_px(moved, background) - _ink_centroid_px(first, background)
    assert shift_px == pytest.approx((10.25, -7.5), abs=0.05)


def test_the_video_is_deterministic_and_opencv_reads_every_frame_back(media_dir: Path, tmp_path: Path) -> None:
    centres = np.column_stack([np.linspace(200, 440, 6), np.full(6, 180.0)])
    videos = [
        render_moving_hand_video(tmp_path / f"{name}.avi", centres, fps=30.0, media_dir=media_dir)
        for name in ("a", "b")
    ]
    decoded = []
    for video in videos:
        capture = cv2.VideoCapture(str(video))
        frames = []
        while True:
            ok, frame = capture.read()
            if not ok:
                break
            frames.append(frame)
        assert capture.get(cv2.CAP_PROP_FPS) == pytest.approx(30.0)
        capture.release()
        decoded.append(frames)
    assert len(decoded[0]) == 6 and decoded[0][0].shape == (360, 640, 3)
    assert all(np.array_equal(a, b) for a, b in zip(decoded[0], decoded[1], strict=True))


@pytest.mark.parametrize(
    ("centres", "fps", "name", "message"),
    [
        (np.zeros((0, 2)), 25.0, "v.avi", "centres_px"),
        (np.zeros((3, 3)), 25.0, "v.avi", "centres_px"),
        (np.array([[1.0, np.nan]]), 25.0, "v.avi", "centres_px"),
        (np.zeros((3, 2)), 0.0, "v.avi", "fps"),
        (np.zeros((3, 2)), 25.0, "v.mkv", "suffixes"),
    ],
)
def test_bad_arguments_are_rejected(
    media_dir: Path, tmp_path: Path, centres: FloatArray, fps: float, name: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        render_moving_hand_video(tmp_path / name, centres, fps=fps, media_dir=media_dir)

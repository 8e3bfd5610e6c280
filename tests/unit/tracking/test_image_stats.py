"""Image brightness and contrast for the camera set-up check, on the real photos in the shared media."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from tracking.image_stats import STATS_WIDTH_PX, image_stats

PHOTOS = ("face_test.jpeg", "business_person.png", "pose_image.jpg", "hand_image.jpg", "thumbs_up.png")


def read(media_dir: Path, name: str) -> np.ndarray:
    image = cv2.imread(str(media_dir / name), cv2.IMREAD_COLOR)
    assert image is not None, name
    return image


@pytest.mark.parametrize("name", PHOTOS)
def test_a_darkened_copy_reads_darker_and_flatter(media_dir: Path, name: str) -> None:
    image = read(media_dir, name)
    original = image_stats(image)
    dark = image_stats((image.astype(np.float64) * 0.3).astype(np.uint8))  # a dim room: 30 % of the light
    assert 0.0 < original.brightness < 1.0 and 0.0 < original.contrast <= 1.0
    assert dark.brightness == pytest.approx(original.brightness * 0.3, abs=0.01)
    assert dark.contrast == pytest.approx(original.contrast * 0.3, abs=0.01)


@pytest.mark.parametrize("name", PHOTOS)
def test_a_washed_out_copy_loses_contrast(media_dir: Path, name: str) -> None:
    image = read(media_dir, name)
    washed = (image.astype(np.float64) * 0.25 + 190).astype(np.uint8)  # glare: everything pale grey
    original, pale = image_stats(image), image_stats(washed)
    assert pale.brightness > original.brightness and pale.brightness > 0.7
    assert pale.contrast < original.contrast * 0.3


def test_flat_and_checkerboard_images_are_the_scale_ends() -> None:
    grey = np.full((360, 640, 3), 128, np.uint8)
    assert image_stats(grey).contrast == 0.0
    assert image_stats(grey).brightness == pytest.approx(128 / 255)
    halves = np.zeros((360, 640), np.uint8)
    halves[:, 320:] = 255  # half black, half white: the largest contrast there is
    stats = image_stats(halves)
    assert stats.brightness == pytest.approx(0.5, abs=0.01) and stats.contrast == pytest.approx(1.0, abs=0.02)


def test_the_statistic_is_taken_on_a_small_copy_and_an_empty_image_is_refused() -> None:
    tiny = np.full((2, 3, 3), 40, np.uint8)  # smaller than the copy: used as it is
    assert image_stats(tiny).brightness == pytest.approx(40 / 255)
    assert STATS_WIDTH_PX <= 64
    with pytest.raises(ValueError, match="non-empty"):
        image_stats(np.zeros((0, 0, 3), np.uint8))


@pytest.mark.mediapipe
def test_the_landmarker_stamps_each_frame_with_the_image_statistics(media_dir: Path) -> None:
    from tracking.landmarker import Landmarker
    from tracking.types import TrackingModel

    image = read(media_dir, "hand_image.jpg")
    with Landmarker(frozenset({TrackingModel.HANDS}), static_images=True) as landmarker:
        bright = landmarker.process(0.0, image)
        dark = landmarker.process(0.1, (image.astype(np.float64) * 0.3).astype(np.uint8))
    assert bright.image_brightness == pytest.approx(image_stats(image).brightness)
    assert bright.image_contrast is not None and dark.image_contrast is not None
    assert dark.image_brightness is not None and dark.image_brightness < bright.image_brightness * 0.5
    assert dark.image_contrast < bright.image_contrast

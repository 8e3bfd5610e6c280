"""The camera set-up check: distance from the palm's width, lighting from brightness and contrast, advice in plain
words; on the shared photos through MediaPipe (a close-up hand is too near, a full-body photo too far)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from levels.assessment.setup import (
    TOO_FAR_PALM_WIDTH_FRACTION,
    TOO_NEAR_PALM_WIDTH_FRACTION,
    SetupProblem,
    check_frame,
    distance_problem,
    lighting_problem,
)
from tests.support.assessment_inputs import FACE, sized_hand
from tracking.types import LandmarkFrame


def test_distance_from_the_palm_width() -> None:
    assert distance_problem(TOO_FAR_PALM_WIDTH_FRACTION - 0.001) is SetupProblem.TOO_FAR
    assert distance_problem(TOO_NEAR_PALM_WIDTH_FRACTION + 0.001) is SetupProblem.TOO_NEAR
    assert distance_problem(0.10) is None  # the hand video's median


def test_lighting_from_brightness_and_contrast() -> None:
    assert lighting_problem(0.1, 0.4) is SetupProblem.TOO_DARK
    assert lighting_problem(0.95, 0.4) is SetupProblem.TOO_BRIGHT
    assert lighting_problem(0.5, 0.05) is SetupProblem.LOW_CONTRAST
    assert lighting_problem(0.5, 0.4) is None
    assert lighting_problem(None, None) is None  # a recording: no image, nothing to say


def test_each_problem_says_what_to_do_in_plain_words() -> None:
    for problem in SetupProblem:
        advice = problem.advice
        assert advice.endswith(".") and not any(char.isdigit() for char in advice), problem


def test_a_frame_with_everything_right_and_one_with_nothing() -> None:
    good = LandmarkFrame(0.0, (sized_hand((0.5, 0.5), 0.1),), face=FACE, image_brightness=0.5, image_contrast=0.4)
    check = check_frame(good, face_model=True)
    assert check.ok and check.palm_width_frac == pytest.approx(0.1)
    empty = check_frame(LandmarkFrame(0.0), face_model=True)
    assert empty.problems == (SetupProblem.NO_HAND, SetupProblem.NO_FACE)
    assert check_frame(LandmarkFrame(0.0), face_model=False).face_seen is None  # the face not asked for


@pytest.mark.mediapipe
@pytest.mark.parametrize(
    ("photo", "expected"),
    [
        ("hand_image.jpg", {SetupProblem.TOO_NEAR, SetupProblem.NO_FACE}),  # a hand filling a third of the image
        ("pose_image.jpg", {SetupProblem.TOO_FAR, SetupProblem.NO_FACE}),  # a whole person, far away
        ("face_test.jpeg", set()),  # a person at a desk, hand up: right
    ],
)
def test_the_shared_photos(media_dir: Path, photo: str, expected: set[SetupProblem]) -> None:
    from tracking.landmarker import Landmarker
    from tracking.types import TrackingModel

    image = cv2.imread(str(media_dir / photo), cv2.IMREAD_COLOR)
    with Landmarker(frozenset({TrackingModel.HANDS, TrackingModel.FACE}), static_images=True) as landmarker:
        check = check_frame(landmarker.process(0.0, image), face_model=True)
        assert set(check.problems) == expected
        dim = check_frame(landmarker.process(0.1, (image.astype(np.float64) * 0.3).astype(np.uint8)), face_model=True)
    assert SetupProblem.TOO_DARK in dim.problems  # the same scene in a dim room

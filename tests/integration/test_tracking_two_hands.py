"""The hand count comes from the caller (the level), through live and offline tracking to MediaPipe; two hands and
the face together (what sensory-trick detection needs) work.

Ground truth: a video with two real hands, made from hand_video.mp4 (the part of each frame that holds the hand,
beside its mirror image): one hand in the left half of every frame, one in the right half.
"""

from __future__ import annotations

import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from tracking.landmarker import Landmarker
from tracking.live import SourceSpec, open_live_tracker
from tracking.pipeline import open_tracked_file
from tracking.types import LandmarkFrame, TrackingModel

pytestmark = pytest.mark.mediapipe

HANDS_AND_FACE = frozenset({TrackingModel.HANDS, TrackingModel.FACE})
FPS = 25.0
FRAMES = 25
# hand_video.mp4's hand stays within x = 165-344 px of its 640 px frames: this 320 px strip holds it whole.
HAND_STRIP_PX = (100, 420)
# MediaPipe may miss a hand in a frame or two; both are found in nearly every frame.
MIN_BOTH_FOUND_FRACTION = 0.9
STUCK_AFTER_S = 30.0  # a live worker that has not delivered by then is broken, not slow


@pytest.fixture(scope="module")
def two_hand_video(media_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("two_hands") / "two_hands.avi"
    capture = cv2.VideoCapture(str(media_dir / "hand_video.mp4"))
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), FPS, (640, 360))
    for _ in range(FRAMES):
        ok, frame = capture.read()
        assert ok
        strip = frame[:, HAND_STRIP_PX[0] : HAND_STRIP_PX[1]]
        writer.write(np.ascontiguousarray(np.hstack([strip, strip[:, ::-1]])))
    capture.release()
    writer.release()
    return path


def _one_hand_a_side(frame: LandmarkFrame) -> bool:
    centres_x = sorted(float(hand.landmarks_norm[:, 0].mean()) for hand in frame.hands)
    return len(centres_x) == 2 and centres_x[0] < 0.5 < centres_x[1]


def test_offline_tracking_follows_two_hands_only_when_asked(two_hand_video: Path) -> None:
    with open_tracked_file(two_hand_video, HANDS_AND_FACE, max_hands=2) as tracked:
        both = [sample.frame for sample in tracked.samples()]
    with open_tracked_file(two_hand_video, HANDS_AND_FACE) as tracked:  # the default: one hand
        one = [sample.frame for sample in tracked.samples()]
    assert len(both) == len(one) == FRAMES
    assert np.mean([_one_hand_a_side(frame) for frame in both]) >= MIN_BOTH_FOUND_FRACTION
    assert all(len(frame.hands) <= 1 for frame in one) and sum(len(frame.hands) for frame in one) > 0


def test_live_tracking_passes_the_hand_count_to_mediapipe(two_hand_video: Path) -> None:
    tracker = open_live_tracker(SourceSpec(path=two_hand_video), HANDS_AND_FACE, max_hands=2, clock=lambda: 0.0)
    try:
        deadline_s = time.monotonic() + STUCK_AFTER_S
        samples = tracker.poll()
        while not samples:  # the frozen clock lets exactly the first frame through
            assert time.monotonic() < deadline_s, "the live tracking worker did not deliver in time"
            time.sleep(0.001)
            samples = tracker.poll()
    finally:
        tracker.close()
    assert _one_hand_a_side(samples[0].frame)


def test_a_hands_and_face_landmarker_looking_for_two_hands_finds_hands_and_the_face(media_dir: Path) -> None:
    with Landmarker(HANDS_AND_FACE, static_images=True, max_hands=2) as landmarker:
        thumbs = landmarker.process(0.0, cv2.imread(str(media_dir / "hand_image.jpg")))
        person = landmarker.process(0.0, cv2.imread(str(media_dir / "business_person.png")))
    assert len(thumbs.hands) >= 1
    assert person.hands and person.face is not None and person.face.shape == (478, 3)

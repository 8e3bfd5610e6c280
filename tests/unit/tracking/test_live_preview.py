"""The live tracker hands the game its newest camera or video image, downscaled, with the landmarks found in it
(the patient's preview); a recording has no image, so no preview."""

from __future__ import annotations

import time
from pathlib import Path

import cv2
import numpy as np

from tests.support.synthetic_landmarks import bent_hand_points, hand_from_points
from tracking.live import PREVIEW_WIDTH_PX, SourceSpec, open_live_tracker
from tracking.recording import RecordingWriter
from tracking.types import LandmarkFrame, SourceInfo, TrackingModel

HANDS = frozenset({TrackingModel.HANDS})
STUCK_AFTER_S = 30.0  # MediaPipe loads and runs on 2 shared cores: generous, only a bound on a stuck worker


class SteppingClock:
    """Advances a little each time it is read, so the worker is never late and skips nothing."""

    def __init__(self, step_s: float) -> None:
        self.now_s, self.step_s = 0.0, step_s

    def __call__(self) -> float:
        self.now_s += self.step_s
        return self.now_s


def test_a_video_gives_its_newest_image_downscaled_with_its_hand(media_dir: Path) -> None:
    video = media_dir / "hand_video.mp4"
    tracker = open_live_tracker(SourceSpec(path=video), HANDS, clock=SteppingClock(0.01))
    try:
        deadline_s = time.monotonic() + STUCK_AFTER_S
        preview = None
        while time.monotonic() < deadline_s:
            tracker.poll()
            preview = tracker.latest_preview()
            if preview is not None and preview.frame.hands:
                break
            time.sleep(0.01)
        assert preview is not None and preview.frame.hands, "no preview with a hand from the video"
        height, width, channels = preview.rgb.shape
        assert (width, height, channels) == (PREVIEW_WIDTH_PX, 180, 3)  # 640x360 halved, aspect kept
        capture = cv2.VideoCapture(str(video))
        frames = []
        for _ in range(int(preview.frame.t_s * 25.0 + 0.5) + 1):
            ok, image = capture.read()
            assert ok
            frames.append(image)
        capture.release()
        expected = frames[-1][::2, ::2, ::-1]  # the frame of the preview's time, every 2nd pixel, BGR -> RGB
        assert np.array_equal(preview.rgb, expected)
    finally:
        tracker.close()


def test_a_recording_has_no_preview(tmp_path: Path) -> None:
    recording = tmp_path / "hand.jsonl"
    hand = hand_from_points(bent_hand_points(0.0), with_world=False)
    with RecordingWriter(recording, SourceInfo(fps=25.0, width_px=640, height_px=360, name="synthetic")) as writer:
        for index in range(10):
            writer.write(LandmarkFrame(t_s=index / 25.0, hands=(hand,)))
    tracker = open_live_tracker(SourceSpec(path=recording), HANDS, clock=SteppingClock(0.01))
    try:
        deadline_s = time.monotonic() + STUCK_AFTER_S
        samples = []
        while not samples and time.monotonic() < deadline_s:
            samples = tracker.poll()
            time.sleep(0.01)
        assert samples and tracker.latest_preview() is None
    finally:
        tracker.close()

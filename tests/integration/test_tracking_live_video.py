"""Live tracking of the real hand video through MediaPipe, paced on a fake clock (structure, not timing)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tracking import landmarker as landmarker_module
from tracking.live import THREAD_NAME_PREFIX, LiveTracker, SourceSpec, open_live_tracker
from tracking.sources import ImageBGR
from tracking.types import LandmarkFrame, TrackedSample, TrackingModel

pytestmark = pytest.mark.mediapipe

HANDS = frozenset({TrackingModel.HANDS})
FPS = 25.0  # hand_video.mp4
VIDEO_FRAMES = 202  # hand_video.mp4: 8.08 s
STUCK_AFTER_S = 20.0  # a worker that has not answered by then is broken, not slow


class FakeClock:
    def __init__(self) -> None:
        self.now_s = 50.0

    def __call__(self) -> float:
        return self.now_s


def _collect_until(tracker: LiveTracker, condition: Callable[[list[TrackedSample]], bool]) -> list[TrackedSample]:
    collected: list[TrackedSample] = []
    deadline = time.monotonic() + STUCK_AFTER_S
    while not condition(collected):
        assert time.monotonic() < deadline, "the live tracking worker did not deliver in time"
        collected.extend(tracker.poll())
        time.sleep(0.001)
    return collected


def test_the_video_plays_frame_by_frame_on_the_clock_then_skips_to_the_end(media_dir: Path) -> None:
    clock = FakeClock()
    tracker = open_live_tracker(SourceSpec(path=media_dir / "hand_video.mp4"), HANDS, clock=clock)
    try:
        assert (tracker.info.width_px, tracker.info.height_px, tracker.info.fps) == (640, 360, FPS)
        assert tracker.duration_s == pytest.approx(VIDEO_FRAMES / FPS)  # as the container declares it
        samples = _collect_until(tracker, bool)
        for index in range(1, 25):
            clock.now_s = 50.0 + index / FPS
            samples += _collect_until(tracker, bool)  # exactly this frame: the next is not due yet
        clock.now_s = 50.0 + 3600.0
        samples += _collect_until(tracker, lambda got: tracker.ended)
        samples += tracker.poll()
    finally:
        tracker.close()
    times = [s.frame.t_s for s in samples]
    # frames 25-200 dropped, not queued
    assert times == pytest.approx([i / FPS for i in range(25)] + [(VIDEO_FRAMES - 1) / FPS])
    assert all(s.signals.cursor_norm is not None for s in samples)
    assert tracker.error is None
    assert not [t for t in threading.enumerate() if t.name.startswith(THREAD_NAME_PREFIX)]


def test_poll_answers_while_mediapipe_is_busy(media_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    entered, release = threading.Event(), threading.Event()
    real_process = landmarker_module.Landmarker.process

    def gated_process(self: landmarker_module.Landmarker, t_s: float, image_bgr: ImageBGR) -> LandmarkFrame:
        entered.set()
        release.wait(STUCK_AFTER_S)
        return real_process(self, t_s, image_bgr)

    monkeypatch.setattr(landmarker_module.Landmarker, "process", gated_process)
    tracker = open_live_tracker(SourceSpec(path=media_dir / "hand_video.mp4"), HANDS, clock=FakeClock())
    try:
        assert entered.wait(STUCK_AFTER_S)
        assert tracker.poll() == []  # inference of frame 0 is held: poll does not wait for it
        release.set()
        (first,) = _collect_until(tracker, bool)
        assert first.frame.t_s == 0.0 and first.frame.hands
    finally:
        release.set()
        tracker.close()

"""Dropped samples (issue 9): a file played live loses no frame to MediaPipe's slow first inference.

The clock is fake and advanced by the test's stand-in for inference, so no assertion depends on the machine's speed.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests.support import live_workers
from tests.support.camera_faults import wait_until
from tests.support.live_workers import write_still_hand_recording
from tracking.live import MAX_CATCH_UP_S, SourceSpec, open_live_tracker
from tracking.sources import RecordingSource
from tracking.types import LandmarkFrame, TrackedSample, TrackingModel

FPS = 25.0
FRAMES = 50
HANDS = frozenset({TrackingModel.HANDS})
# MediaPipe's first inference on hand_video.mp4 took 293 ms (graph set-up; 20-30 ms after it): 7 frames at 25 fps,
# all but the last two of them more than MAX_CATCH_UP_S late when it ends.
FIRST_INFERENCE_S = 0.3
INFERENCE_S = 0.02  # then each inference takes half the frame interval: inference keeps up


class InferenceClock:
    """A clock that stands still except when an inference advances it, and a little at each reading (waiting)."""

    def __init__(self) -> None:
        self.now_s = 0.0
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            self.now_s += 0.2 / FPS  # a wait: each reading moves less than a frame, so the wait reaches each frame
            return self.now_s

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now_s += seconds


no_leftover_threads = live_workers.no_leftover_threads  # the fixture


def _write(path: Path) -> Path:
    return write_still_hand_recording(path, fps=FPS, frames=FRAMES)


@pytest.mark.usefixtures("no_leftover_threads")
def test_the_slow_first_inference_costs_no_frame(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert FIRST_INFERENCE_S > 2 / FPS + MAX_CATCH_UP_S  # without the fix, frames 1 to 5 would be skipped
    clock = InferenceClock()
    calls: list[float] = []
    original = RecordingSource.landmarks

    def timed(self: RecordingSource, t_s: float, frame: LandmarkFrame) -> LandmarkFrame:
        clock.advance(FIRST_INFERENCE_S if not calls else INFERENCE_S)
        calls.append(t_s)
        return original(self, t_s, frame)

    monkeypatch.setattr(RecordingSource, "landmarks", timed)
    tracker = open_live_tracker(SourceSpec(path=_write(tmp_path / "r.jsonl")), HANDS, clock=clock)
    samples: list[TrackedSample] = []
    try:
        wait_until(lambda: samples.extend(tracker.poll()) is None and tracker.ended, "the end of the file")
        samples += tracker.poll()
    finally:
        tracker.close()
    assert [round(s.frame.t_s * FPS) for s in samples] == list(range(FRAMES))  # every frame tracked, in order


@pytest.mark.usefixtures("no_leftover_threads")
def test_a_game_loop_can_wait_for_the_next_sample_instead_of_its_next_frame(tmp_path: Path) -> None:
    """wait_for_samples returns as soon as a sample is ready (not after its timeout), false when none is, and true
    once the file has ended (the game then sees the end at once)."""
    clock = InferenceClock()
    tracker = open_live_tracker(SourceSpec(path=_write(tmp_path / "r.jsonl")), HANDS, clock=clock, autostart=False)
    try:
        assert not tracker.wait_for_samples(0.05)  # not started: nothing comes
        tracker.start()
        assert tracker.wait_for_samples(30.0)  # returns when the first sample is ready, long before the timeout
        samples = tracker.poll()
        assert samples
        while not tracker.ended:
            if tracker.wait_for_samples(30.0):
                samples += tracker.poll()
        samples += tracker.poll()
        assert tracker.wait_for_samples(0.0)  # ended: a waiting loop does not sleep through the end
    finally:
        tracker.close()
    assert len(samples) == FRAMES

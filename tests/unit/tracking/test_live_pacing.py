"""Dropped samples (issue 9): a file played live loses no frame to MediaPipe's slow first inference.

The clock is fake and advanced by the test's stand-in for inference, so no assertion depends on the machine's speed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.camera_faults import wait_until
from tests.support.synthetic_landmarks import bent_hand_points, hand_from_points
from tracking.live import MAX_CATCH_UP_S, THREAD_NAME_PREFIX, SourceSpec, open_live_tracker
from tracking.recording import RecordingWriter
from tracking.sources import RecordingSource
from tracking.types import LandmarkFrame, SourceInfo, TrackedSample, TrackingModel

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


@pytest.fixture()
def no_leftover_threads() -> Iterator[None]:
    yield
    wait_until(
        lambda: not any(thread.name.startswith(THREAD_NAME_PREFIX) for thread in threading.enumerate()),
        "a live tracking worker was left running",
    )


def _write(path: Path) -> Path:
    hand = hand_from_points(bent_hand_points(0.0), with_world=False)
    with RecordingWriter(path, SourceInfo(fps=FPS, width_px=640, height_px=360, name="synthetic")) as writer:
        for index in range(FRAMES):
            writer.write(LandmarkFrame(t_s=index / FPS, hands=(hand,)))
    return path


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

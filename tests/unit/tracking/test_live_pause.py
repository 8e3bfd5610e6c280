"""A recording paused with the game: its clock stops, and it resumes where it was (a simulated clock; the worker is
a real thread, given every chance to run ahead while the pause lasts)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.live_workers import write_still_hand_recording
from tracking.live import THREAD_NAME_PREFIX, LiveTracker, SourceSpec, open_live_tracker
from tracking.types import TrackedSample, TrackingModel

FPS = 25.0
FRAMES = 20
PAUSE_S = 10.0  # far longer than the whole recording (0.8 s): without the pause it would end behind it
STUCK_AFTER_S = 10.0  # real seconds: a worker that has not answered by then is broken, not slow


class FakeClock:
    """A clock the test sets by hand."""

    def __init__(self) -> None:
        self.now_s = 100.0

    def __call__(self) -> float:
        return self.now_s


def _write(path: Path) -> Path:
    return write_still_hand_recording(path, fps=FPS, frames=FRAMES)


def _collect_until(tracker: LiveTracker, condition: Callable[[list[TrackedSample]], bool]) -> list[TrackedSample]:
    collected: list[TrackedSample] = []
    deadline = time.monotonic() + STUCK_AFTER_S
    while not condition(collected):
        if time.monotonic() > deadline:
            raise AssertionError("the live tracking worker did not get there in time")
        collected.extend(tracker.poll())
        time.sleep(0.001)
    return collected


@pytest.fixture
def no_leftover_threads() -> Iterator[None]:
    yield
    deadline = time.monotonic() + STUCK_AFTER_S
    while any(thread.name.startswith(THREAD_NAME_PREFIX) for thread in threading.enumerate()):
        assert time.monotonic() < deadline, "a live tracking worker was left running"
        time.sleep(0.001)


@pytest.mark.usefixtures("no_leftover_threads")
def test_a_paused_recording_resumes_where_it_was(tmp_path: Path) -> None:
    clock = FakeClock()
    tracker = open_live_tracker(
        SourceSpec(path=_write(tmp_path / "r.jsonl")), frozenset({TrackingModel.HANDS}), clock=clock
    )
    try:
        received = _collect_until(tracker, bool)  # frame 0, due at once
        for index in range(1, 6):
            clock.now_s = 100.0 + index / FPS
            received += _collect_until(tracker, bool)
        tracker.pause()
        clock.now_s += PAUSE_S
        time.sleep(0.05)  # give the worker every chance to play on; the pause must stop it
        assert tracker.poll() == [] and not tracker.ended
        tracker.resume()
        for _ in range(6, FRAMES):
            clock.now_s += 1 / FPS  # each frame due one frame after the last, as before the pause
            received += _collect_until(tracker, bool)
        assert [sample.frame.t_s for sample in received] == pytest.approx([i / FPS for i in range(FRAMES)])
    finally:
        tracker.close()


@pytest.mark.usefixtures("no_leftover_threads")
def test_resume_without_a_pause_changes_nothing(tmp_path: Path) -> None:
    clock = FakeClock()
    tracker = open_live_tracker(
        SourceSpec(path=_write(tmp_path / "r.jsonl")), frozenset({TrackingModel.HANDS}), clock=clock
    )
    try:
        tracker.resume()  # never paused: nothing to resume
        assert [s.frame.t_s for s in _collect_until(tracker, bool)] == [0.0]
        clock.now_s += 1 / FPS
        assert [s.frame.t_s for s in _collect_until(tracker, bool)] == pytest.approx([1 / FPS])
    finally:
        tracker.close()

"""A camera that stops delivering mid-session (unplugged) is reopened every second; tracking goes on when pictures
come again, and only a camera lost for CAMERA_GIVE_UP_S ends the source (issue 9, "Faults").

Clocks are fake: the reopening's pace is asserted on the tracker's own clock, never on real time (real time only
bounds how long to wait for a worker thread that is stuck).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from tests.support import live_workers
from tests.support.camera_faults import STUCK_AFTER_S, ScriptedLandmarkCamera, UnpluggableDevice, wait_until
from tracking import live
from tracking.landmarker import Landmarker
from tracking.live import CAMERA_GIVE_UP_S, CAMERA_RETRY_INTERVAL_S, LiveTracker, track_live
from tracking.sources import CameraSource, MediaPipeSource
from tracking.types import LandmarkFrame, TrackedSample, TrackingModel

HANDS = frozenset({TrackingModel.HANDS})
# Each reading of the stepping clock moves it this much: a lost camera's reader reads it once a loop, so the
# reopening attempts it makes are at most one step late.
STEP_S = 0.05
FAILED_REOPENINGS = 3  # the camera stays unplugged for this many attempts


class SteppingClock:
    """Advances by ``step_s`` each time it is read (only the lost camera's reader reads it)."""

    def __init__(self, step_s: float) -> None:
        self.step_s = step_s
        self.now_s = 0.0
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            self.now_s += self.step_s
            return self.now_s


class SetClock:
    """A clock the test sets by hand."""

    def __init__(self) -> None:
        self.now_s = 100.0

    def __call__(self) -> float:
        return self.now_s


no_leftover_threads = live_workers.no_leftover_threads  # the fixture


def _collect_hands(tracker: LiveTracker, count: int) -> list[TrackedSample]:
    """Poll until ``count`` samples with a hand have come (the real hand of hand_video.mp4)."""
    collected: list[TrackedSample] = []
    wait_until(
        lambda: collected.extend(tracker.poll()) is None and sum(bool(s.frame.hands) for s in collected) >= count,
        f"{count} tracked hands",
    )
    return collected


@pytest.mark.usefixtures("no_leftover_threads")
def test_an_unplugged_camera_is_reopened_every_second_and_tracking_goes_on(media_dir: Path) -> None:
    clock = SteppingClock(STEP_S)
    device = UnpluggableDevice(media_dir / "hand_video.mp4", clock)
    camera = CameraSource(0, open_capture=device.open)
    tracker = track_live(MediaPipeSource(camera, Landmarker(HANDS)), clock=clock)
    try:
        before = _collect_hands(tracker, 5)  # real frames, real MediaPipe: the hand is found
        assert not tracker.camera_lost
        device.unplug()
        wait_until(lambda: len(device.openings) >= 1 + FAILED_REOPENINGS, "reopening attempts while unplugged")
        assert tracker.camera_lost
        assert not tracker.ended and tracker.error is None  # a lost camera does not end the source
        assert tracker.latest_preview() is None  # the last picture is not shown as if it were live
        device.plug_in()
        wait_until(lambda: not tracker.camera_lost, "the camera back")
        tracker.poll()  # samples inferred before the loss that were not yet polled
        after = _collect_hands(tracker, 5)
        assert not tracker.ended and tracker.error is None
    finally:
        tracker.close()
        device.close()
    attempts = device.openings[1:]
    assert len(attempts) >= 1 + FAILED_REOPENINGS  # the failed ones, then the one that brought it back
    gaps_s = [later - earlier for earlier, later in zip(attempts, attempts[1:], strict=False)]
    # Once a second on the tracker's clock: never sooner, at most one clock step later.
    assert all(CAMERA_RETRY_INTERVAL_S <= gap_s <= CAMERA_RETRY_INTERVAL_S + 2 * STEP_S for gap_s in gaps_s), gaps_s
    assert device.failed_reads >= 1
    # Frames flow again after the loss, later than every frame before it
    assert min(s.frame.t_s for s in after) > max(s.frame.t_s for s in before)
    assert sum(bool(s.frame.hands) for s in after) >= 5


@pytest.mark.usefixtures("no_leftover_threads")
def test_a_camera_lost_for_the_give_up_time_ends_the_source() -> None:
    clock = SetClock()
    camera = ScriptedLandmarkCamera(clock)
    tracker = track_live(camera, clock=clock)  # type: ignore[arg-type]
    try:
        camera.deliver(LandmarkFrame(t_s=0.0))
        wait_until(lambda: bool(tracker.poll()), "the first frame")
        lost_at_s = clock.now_s
        camera.unplug()
        wait_until(lambda: tracker.camera_lost, "the camera reported lost")
        clock.now_s = lost_at_s + CAMERA_GIVE_UP_S - 0.5
        wait_until(lambda: len(camera.reopen_times) >= 1, "an attempt to reopen")
        assert not tracker.ended and tracker.error is None and tracker.camera_lost
        clock.now_s = lost_at_s + CAMERA_GIVE_UP_S
        wait_until(lambda: tracker.ended, "the source ended after the give-up time")
        assert tracker.error == live.CAMERA_STOPPED_MESSAGE
        assert not tracker.camera_lost  # ended, no longer waiting: the game goes to the results
    finally:
        tracker.close()
    assert camera.closed


@pytest.mark.usefixtures("no_leftover_threads")
def test_close_stops_a_tracker_waiting_for_its_camera() -> None:
    clock = SetClock()
    camera = ScriptedLandmarkCamera(clock)
    tracker = track_live(camera, clock=clock)  # type: ignore[arg-type]
    camera.unplug()
    wait_until(lambda: tracker.camera_lost, "the camera reported lost")
    started_s = time.monotonic()
    tracker.close()
    assert time.monotonic() - started_s < STUCK_AFTER_S
    assert camera.closed and not tracker.ended  # closed by the game, not ended by the camera

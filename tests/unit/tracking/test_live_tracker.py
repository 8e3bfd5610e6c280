"""Live tracking from landmark recordings, paced on a fake clock: structure, not timing.

No assertion here depends on how fast the machine is: clocks are fake, and real time is only a generous bound on
how long to wait for a worker thread before declaring it stuck.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from tests.support.synthetic_landmarks import bent_hand_points, hand_from_points
from tracking import live
from tracking.errors import RecordingFormatError, SourceError
from tracking.live import THREAD_NAME_PREFIX, LiveTracker, SourceSpec, open_live_tracker, track_live
from tracking.pipeline import open_tracked_file
from tracking.recording import RecordingWriter
from tracking.sources import ImageBGR, RecordingSource
from tracking.types import LandmarkFrame, SourceInfo, TrackedSample, TrackingModel

FPS = 25.0
HANDS = frozenset({TrackingModel.HANDS})
STUCK_AFTER_S = 10.0
# A stepping clock moves less than half a frame per reading: the worker reaches each frame's time without ever
# finding the next one due, so no frame is skipped however slow the machine (and each frame costs only a few
# readings, each a short real wait, so the tests stay quick).
STEP_S = 0.45 / FPS  # a worker that has not answered by then is broken, not slow


class FakeClock:
    """A clock the test sets by hand."""

    def __init__(self) -> None:
        self.now_s = 100.0

    def __call__(self) -> float:
        return self.now_s


class SteppingClock:
    """Advances by ``step_s`` each time it is read: the worker is never late, however slow the machine."""

    def __init__(self, step_s: float) -> None:
        self.step_s = step_s
        self.now_s = 0.0

    def __call__(self) -> float:
        self.now_s += self.step_s
        return self.now_s


def _write(path: Path, count: int, *, bad_line_after: int | None = None) -> Path:
    hand = hand_from_points(bent_hand_points(0.0), with_world=False)
    with RecordingWriter(path, SourceInfo(fps=FPS, width_px=640, height_px=360, name="synthetic")) as writer:
        for index in range(count):
            writer.write(LandmarkFrame(t_s=index / FPS, hands=(hand,)))
    if bad_line_after is not None:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        lines.insert(bad_line_after + 1, '{"t": "soon", "hands": [], "pose": null, "face": null}\n')
        path.write_text("".join(lines), encoding="utf-8")
    return path


def _wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + STUCK_AFTER_S
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the live tracking worker did not get there in time")
        time.sleep(0.001)


def _collect_until(tracker: LiveTracker, condition: Callable[[list[TrackedSample]], bool]) -> list[TrackedSample]:
    collected: list[TrackedSample] = []

    def done() -> bool:
        collected.extend(tracker.poll())
        return condition(collected)

    _wait_until(done)
    return collected


def _times(samples: list[TrackedSample]) -> list[float]:
    return [sample.frame.t_s for sample in samples]


def _live_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name.startswith(THREAD_NAME_PREFIX)]


@pytest.fixture
def no_leftover_threads() -> Iterator[None]:
    yield
    _wait_until(lambda: not _live_threads())


@pytest.mark.usefixtures("no_leftover_threads")
def test_a_recording_plays_at_its_own_timestamps(tmp_path: Path) -> None:
    clock = FakeClock()
    tracker = open_live_tracker(SourceSpec(path=_write(tmp_path / "r.jsonl", 20)), HANDS, clock=clock)
    try:
        assert tracker.info.fps == FPS and (tracker.info.width_px, tracker.info.height_px) == (640, 360)
        assert _times(_collect_until(tracker, bool)) == [0.0]  # the first frame is due at once
        time.sleep(0.05)  # give the worker every chance to run ahead; the frozen clock must stop it
        assert tracker.poll() == []
        assert not tracker.ended
        received: list[TrackedSample] = []
        for index in range(1, 20):
            clock.now_s = 100.0 + index / FPS
            received += _collect_until(tracker, bool)  # wait for this frame
        _wait_until(lambda: tracker.ended)
        assert _times(received) == pytest.approx([i / FPS for i in range(1, 20)])
        assert all(s.signals.cursor_norm is not None and s.signals.t_s == s.frame.t_s for s in received)
        assert tracker.error is None
    finally:
        tracker.close()


@pytest.mark.usefixtures("no_leftover_threads")
def test_late_frames_are_dropped_not_queued_newest_wins(tmp_path: Path) -> None:
    clock = FakeClock()
    tracker = open_live_tracker(SourceSpec(path=_write(tmp_path / "r.jsonl", 100)), HANDS, clock=clock)
    try:
        first = _collect_until(tracker, bool)
        clock.now_s = 100.0 + 2.0  # the consumer (or inference) stalled for two seconds
        # until the frame due now (the caught-up ones come one after another: a poll may see only the first)
        second = _collect_until(tracker, lambda got: any(s.frame.t_s >= 2.0 - 1e-9 for s in got))
        clock.now_s = 100.0 + 60.0  # far past the end
        _wait_until(lambda: tracker.ended)
        rest = tracker.poll()
    finally:
        tracker.close()
    assert _times(first) == [0.0]
    # Frames more than MAX_CATCH_UP_S late were skipped (1-47); the few within it are caught up, up to "now".
    caught_up = [i / FPS for i in range(1, 51) if 2.0 - i / FPS <= live.MAX_CATCH_UP_S + 1e-9]
    assert caught_up == pytest.approx([1.92, 1.96, 2.0])
    assert _times(second) == pytest.approx(caught_up)
    assert _times(rest) == pytest.approx([99 / FPS])  # only the last frame; nothing queued in between


@pytest.mark.usefixtures("no_leftover_threads")
def test_every_frame_is_processed_when_the_worker_keeps_up_and_timestamps_strictly_increase(tmp_path: Path) -> None:
    tracker = open_live_tracker(
        SourceSpec(path=_write(tmp_path / "r.jsonl", 60)), HANDS, clock=SteppingClock(step_s=STEP_S)
    )
    try:
        samples = _collect_until(tracker, lambda got: tracker.ended and len(got) >= 60)
    finally:
        tracker.close()
    times = _times(samples)
    assert times == pytest.approx([i / FPS for i in range(60)])
    assert all(later > earlier for earlier, later in zip(times, times[1:], strict=False))


def _timed_inference(
    monkeypatch: pytest.MonkeyPatch, clock: SteppingClock, inference_s: Callable[[float], float]
) -> list[tuple[float, float]]:
    """Make each recorded frame's "inference" take ``inference_s(t_s)`` on ``clock``; return (t_s, clock at entry)."""
    original = RecordingSource.landmarks
    entered: list[tuple[float, float]] = []

    def timed(self: RecordingSource, t_s: float, frame: LandmarkFrame) -> LandmarkFrame:
        entered.append((t_s, clock.now_s))
        clock.now_s += inference_s(t_s)
        return original(self, t_s, frame)

    monkeypatch.setattr(RecordingSource, "landmarks", timed)
    return entered


@pytest.mark.usefixtures("no_leftover_threads")
def test_one_slow_inference_is_caught_up_when_inference_keeps_up_on_average(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    count, spike_t_s = 30, 5 / FPS
    clock = SteppingClock(step_s=0.1 / FPS)
    # 8 ms a frame, but frame 5 takes 2.2 frames (88 ms, another program took the CPU): when frame 6 comes, frame 7
    # is already due. The skip-when-the-next-is-due rule alone dropped frame 6.
    _timed_inference(monkeypatch, clock, lambda t_s: 2.2 / FPS if t_s == pytest.approx(spike_t_s) else 0.2 / FPS)
    tracker = open_live_tracker(SourceSpec(path=_write(tmp_path / "r.jsonl", count)), HANDS, clock=clock)
    try:
        samples = _collect_until(tracker, lambda got: tracker.ended)
    finally:
        tracker.close()
    assert _times(samples) == pytest.approx([i / FPS for i in range(count)])  # none dropped


@pytest.mark.usefixtures("no_leftover_threads")
def test_inference_slower_than_the_frames_drops_them_and_stays_within_the_catch_up_lag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    count, step_s = 40, 0.1 / FPS
    clock = SteppingClock(step_s=step_s)
    entered = _timed_inference(monkeypatch, clock, lambda t_s: 1.5 / FPS)  # 60 ms a frame at 25 fps
    tracker = open_live_tracker(SourceSpec(path=_write(tmp_path / "r.jsonl", count)), HANDS, clock=clock)
    try:
        samples = _collect_until(tracker, lambda got: tracker.ended)
    finally:
        tracker.close()
    assert len(samples) < 0.8 * count  # about 1 in 1.5 frames: the newest wins, nothing queues
    first_t_s, first_entry_s = entered[0]
    started_s = first_entry_s + 1.5 / FPS + step_s  # the file's clock starts at the reading after frame 0
    lags_s = [(entry_s - started_s) - (t_s - first_t_s) for t_s, entry_s in entered[1:]]
    assert max(lags_s) <= live.MAX_CATCH_UP_S + 3 * step_s  # a frame is inferred late by at most the catch-up lag
    # once the mean says it cannot keep up: < 1 frame (but the file's last frame, tracked however late it is)
    assert max(lags_s[len(lags_s) // 2 : -1]) < 1 / FPS + 3 * step_s


@pytest.mark.usefixtures("no_leftover_threads")
def test_a_consumer_that_stops_polling_gets_only_the_newest_samples(tmp_path: Path) -> None:
    count, kept = 30, 12
    tracker = open_live_tracker(
        SourceSpec(path=_write(tmp_path / "r.jsonl", count)),
        HANDS,
        clock=SteppingClock(step_s=STEP_S),
        max_unpolled=kept,
    )
    try:
        _wait_until(lambda: tracker.ended)
        samples = tracker.poll()
        assert tracker.poll() == []
    finally:
        tracker.close()
    assert _times(samples) == pytest.approx([i / FPS for i in range(count - kept, count)])


@pytest.mark.usefixtures("no_leftover_threads")
def test_poll_does_not_wait_for_the_frame_being_processed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    entered, release = threading.Event(), threading.Event()
    original = RecordingSource.landmarks

    def slow_processing(self: RecordingSource, t_s: float, frame: LandmarkFrame) -> LandmarkFrame:
        entered.set()
        release.wait(STUCK_AFTER_S)
        return original(self, t_s, frame)

    monkeypatch.setattr(RecordingSource, "landmarks", slow_processing)
    tracker = open_live_tracker(SourceSpec(path=_write(tmp_path / "r.jsonl", 3)), HANDS, clock=FakeClock())
    try:
        assert entered.wait(STUCK_AFTER_S)
        assert tracker.poll() == []  # the worker is inside processing: poll answers without it
        assert not tracker.ended and tracker.error is None
        release.set()
        assert _times(_collect_until(tracker, bool)) == [0.0]
    finally:
        release.set()
        tracker.close()


@pytest.mark.usefixtures("no_leftover_threads")
def test_a_bad_line_mid_file_is_reported_not_swallowed(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = _write(tmp_path / "r.jsonl", 10, bad_line_after=4)
    tracker = open_live_tracker(SourceSpec(path=path), HANDS, clock=SteppingClock(step_s=STEP_S))
    try:
        _wait_until(lambda: tracker.ended)
        samples = tracker.poll()
    finally:
        tracker.close()
    assert _times(samples) == pytest.approx([i / FPS for i in range(4)])  # every frame before the bad line
    assert tracker.error is not None
    assert "r.jsonl, line 6, field 't'" in tracker.error
    # The person's error is handed over for the command to print (exit 2); it is not logged as a crash.
    assert isinstance(tracker.failure, RecordingFormatError) and tracker.failure.line_number == 6
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING or record.exc_info]


@pytest.mark.usefixtures("no_leftover_threads")
def test_a_paused_file_plays_nothing_until_started_then_from_its_first_frame(tmp_path: Path) -> None:
    clock = FakeClock()
    path = _write(tmp_path / "r.jsonl", 10, bad_line_after=0)  # a bad first frame: not even read before start()
    tracker = open_live_tracker(SourceSpec(path=path), HANDS, clock=clock, autostart=False)
    try:
        clock.now_s += 60.0  # the menu waits a minute: the file must not run out behind it
        time.sleep(0.05)  # give the worker every chance to read or play
        assert tracker.poll() == [] and not tracker.ended and tracker.error is None
        tracker.start()
        _wait_until(lambda: tracker.ended)
        assert tracker.error is not None and "r.jsonl, line 2" in tracker.error
    finally:
        tracker.close()
    good = open_live_tracker(SourceSpec(path=_write(tmp_path / "g.jsonl", 10)), HANDS, clock=clock, autostart=False)
    try:
        clock.now_s += 60.0
        time.sleep(0.05)
        assert good.poll() == []
        good.start()
        good.start()  # idempotent
        assert _times(_collect_until(good, bool)) == [0.0]  # from the first frame, due at start()
        clock.now_s += 1 / FPS
        assert _times(_collect_until(good, bool)) == pytest.approx([1 / FPS])
    finally:
        good.close()


@pytest.mark.usefixtures("no_leftover_threads")
def test_a_paused_file_closes_without_ever_starting(tmp_path: Path) -> None:
    tracker = open_live_tracker(SourceSpec(path=_write(tmp_path / "r.jsonl", 5)), HANDS, autostart=False)
    assert _live_threads()
    tracker.close()
    assert not _live_threads()


def test_close_does_not_wait_long_for_a_stuck_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    entered, release = threading.Event(), threading.Event()
    released: list[bool] = []

    def stuck(self: RecordingSource, t_s: float, frame: LandmarkFrame) -> LandmarkFrame:
        entered.set()
        release.wait(STUCK_AFTER_S)  # a hung driver or model: it will not return for a long while
        return frame

    monkeypatch.setattr(RecordingSource, "landmarks", stuck)
    tracker = open_live_tracker(SourceSpec(path=_write(tmp_path / "r.jsonl", 3)), HANDS, clock=FakeClock())
    monkeypatch.setattr(tracker, "_release", lambda: released.append(True))
    try:
        assert entered.wait(STUCK_AFTER_S)
        began_s = time.monotonic()
        tracker.close()
        waited_s = time.monotonic() - began_s
        # The bound is the documented JOIN_TIMEOUT_S (plus scheduling slack), not the 5 s it used to be.
        assert live.JOIN_TIMEOUT_S <= waited_s < live.JOIN_TIMEOUT_S + 1.0
        assert released == []  # MediaPipe is never closed under a worker that is still inside it
        assert "did not stop" in caplog.text
    finally:
        release.set()
    _wait_until(lambda: not _live_threads())


@pytest.mark.usefixtures("no_leftover_threads")
def test_a_crash_in_the_worker_becomes_an_error_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: RecordingSource, t_s: float, frame: LandmarkFrame) -> LandmarkFrame:
        raise RuntimeError("landmarker exploded")

    monkeypatch.setattr(RecordingSource, "landmarks", broken)
    tracker = open_live_tracker(SourceSpec(path=_write(tmp_path / "r.jsonl", 3)), HANDS, clock=FakeClock())
    try:
        _wait_until(lambda: tracker.ended)
    finally:
        tracker.close()
    assert tracker.error == "Tracking stopped: RuntimeError: landmarker exploded"


@pytest.mark.usefixtures("no_leftover_threads")
def test_close_stops_a_waiting_worker_and_is_idempotent(tmp_path: Path) -> None:
    tracker = open_live_tracker(SourceSpec(path=_write(tmp_path / "r.jsonl", 50)), HANDS, clock=FakeClock())
    _collect_until(tracker, bool)
    assert _live_threads()  # waiting for frame 1, which the frozen clock never makes due
    tracker.close()
    assert not _live_threads()
    assert not tracker.ended and tracker.error is None  # closed is not ended: nobody is told the file ended
    tracker.close()


def test_missing_sources_fail_at_once_with_the_path_or_camera(tmp_path: Path) -> None:
    with pytest.raises(RecordingFormatError, match="gone.jsonl"):
        open_live_tracker(SourceSpec(path=tmp_path / "gone.jsonl"), HANDS)
    with pytest.raises(SourceError, match="gone.mp4"):
        open_live_tracker(SourceSpec(path=tmp_path / "gone.mp4"), HANDS)
    with pytest.raises(SourceError, match="No camera found at index 97"):
        open_live_tracker(SourceSpec(camera_index=97), HANDS)
    with pytest.raises(SourceError, match="No tracking source"):
        open_live_tracker(SourceSpec(camera_index=None), HANDS)


class FakeCamera:
    """A camera source that delivers an image each time the test says so, and can be unplugged; its landmarks are
    found by ``inference``."""

    is_live = True
    frame_count_hint = None
    duration_s = None
    models = frozenset({TrackingModel.HANDS})

    def __init__(self, inference: Callable[[float, ImageBGR], LandmarkFrame]) -> None:
        self.info = SourceInfo(fps=30.0, width_px=4, height_px=3, name="fake camera")
        self._deliveries: queue.Queue[float | None] = queue.Queue()
        self._inference = inference
        self.reads = 0
        self.closed = False

    def deliver(self, t_s: float) -> None:
        self._deliveries.put(t_s)

    def unplug(self) -> None:
        self._deliveries.put(None)

    def read(self) -> tuple[float, ImageBGR] | None:
        t_s = self._deliveries.get(timeout=STUCK_AFTER_S)
        if t_s is None:
            return None
        self.reads += 1
        return t_s, np.zeros((3, 4, 3), np.uint8)

    def landmarks(self, t_s: float, raw: ImageBGR) -> LandmarkFrame:
        return self._inference(t_s, raw)

    def close(self) -> None:
        self.closed = True


@pytest.mark.usefixtures("no_leftover_threads")
def test_a_camera_always_processes_its_newest_image_and_ends_when_unplugged() -> None:
    entered, release = threading.Event(), threading.Event()

    def slow_inference(t_s: float, image: ImageBGR) -> LandmarkFrame:
        entered.set()
        release.wait(STUCK_AFTER_S)
        return LandmarkFrame(t_s=t_s)

    camera = FakeCamera(slow_inference)
    tracker = track_live(camera, max_unpolled=10, clock=FakeClock())  # a camera's pace is its own, not the clock's
    try:
        camera.deliver(0.0)
        assert entered.wait(STUCK_AFTER_S)  # inference of image 0 is running and held
        for index in range(1, 6):
            camera.deliver(index / 30)
        _wait_until(lambda: camera.reads == 6)  # the reader kept reading while inference was busy
        assert tracker.poll() == []
        release.set()
        samples = _collect_until(tracker, lambda got: len(got) >= 2)
        camera.unplug()
        _wait_until(lambda: tracker.ended)
        samples += tracker.poll()
        assert tracker.error == live.CAMERA_STOPPED_MESSAGE  # the game shows it: not the end of a video
    finally:
        release.set()
        tracker.close()
    assert _times(samples) == pytest.approx([0.0, 5 / 30])  # images 1-4 were replaced by newer ones, not queued
    assert camera.closed


@pytest.mark.usefixtures("no_leftover_threads")
def test_a_tracker_closed_mid_frame_has_not_ended(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Closing stops the worker; it must not then report "the file has ended" to a game that reads it later."""
    entered, release = threading.Event(), threading.Event()
    original = RecordingSource.landmarks

    def gated(self: RecordingSource, t_s: float, frame: LandmarkFrame) -> LandmarkFrame:
        entered.set()
        release.wait(STUCK_AFTER_S)
        return original(self, t_s, frame)

    monkeypatch.setattr(RecordingSource, "landmarks", gated)
    tracker = open_live_tracker(SourceSpec(path=_write(tmp_path / "r.jsonl", 5)), HANDS, clock=FakeClock())
    assert entered.wait(STUCK_AFTER_S)
    closer = threading.Thread(target=tracker.close)
    closer.start()
    _wait_until(tracker._stop.is_set)  # close() has asked the worker to stop; the frame in hand then finishes
    release.set()
    closer.join()
    assert not tracker.ended and tracker.error is None


@pytest.mark.usefixtures("no_leftover_threads")
def test_live_and_offline_tracking_read_the_same_source_alike(tmp_path: Path) -> None:
    """One source for both: the live tracker that keeps up gives every frame the offline pipeline gives, with the
    same landmarks and signals; only the pacing differs."""
    path = _write(tmp_path / "r.jsonl", 30)
    with open_tracked_file(path) as tracked:
        offline = list(tracked.samples())
    tracker = open_live_tracker(SourceSpec(path=path), HANDS, clock=SteppingClock(step_s=STEP_S))
    try:
        live_samples = _collect_until(tracker, lambda got: tracker.ended and len(got) >= 30)
    finally:
        tracker.close()
    assert _times(live_samples) == _times(offline)
    for online, recorded in zip(live_samples, offline, strict=True):
        assert online.signals == recorded.signals
        assert np.array_equal(online.frame.hands[0].landmarks_norm, recorded.frame.hands[0].landmarks_norm)

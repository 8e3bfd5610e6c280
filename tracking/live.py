"""Live tracking for the game: a worker thread runs the landmarker so that the game loop never waits.

The game polls; the newest frame wins when inference falls behind. A video file or a landmark recording plays at
its own timestamps, as a camera would deliver it; opened with ``autostart=False`` it waits for ``start()`` (the game
starts it when the level or the calibration begins, so that it does not run out behind the menu).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from tracking.errors import SourceError, UserFacingError
from tracking.recording import RecordingReader, is_recording_path
from tracking.signals import SignalExtractor
from tracking.sources import CameraSource, ImageBGR, ImageSource, VideoFileSource
from tracking.types import HeadAngles, LandmarkFrame, SourceInfo, TrackedSample, TrackingModel


@dataclass(frozen=True)
class SourceSpec:
    """Where live landmarks come from: a camera index, or a video file / ``.jsonl`` recording path."""

    camera_index: int | None = 0
    path: Path | None = None

    def describe(self) -> str:
        return str(self.path) if self.path is not None else f"camera {self.camera_index}"


class LiveTracker(Protocol):
    """What the game sees of live tracking."""

    info: SourceInfo

    @property
    def duration_s(self) -> float | None:
        """A video file's length as its container declares it; ``None`` for a camera, a recording, or unknown."""

    def start(self) -> None:
        """Start the source's clock: a file opened with ``autostart=False`` plays from its first frame from now
        on. A camera is live from opening. Idempotent."""

    def poll(self) -> list[TrackedSample]:
        """Every sample finished since the last poll, oldest first; never blocks."""

    @property
    def ended(self) -> bool:
        """True once a file source has played to its end, or a camera stopped delivering images."""

    @property
    def error(self) -> str | None:
        """A message for a person when the worker failed (camera unplugged, bad file), else ``None``."""

    @property
    def failure(self) -> UserFacingError | None:
        """The error a person caused (a malformed frame further on in a recording), to report when the game
        ends; ``None`` for an unplugged camera, an unexpected failure (logged) or no failure."""

    def close(self) -> None:
        """Stop the worker and release the source."""


# ---------------------------------------------------------------------------------------------------------------
# Implementation: worker threads behind the LiveTracker protocol.
#
# A video or a recording is paced to its own timestamps on ``clock``: a frame is processed when its time has come
# and skipped (decoded, never inferred) when the next frame's time has already come, so inference that falls
# behind drops frames instead of queueing them. A camera has a reader thread that keeps only the newest image and
# an inference thread that always takes that newest image.

# How long a worker waits at most before it looks at the clock and the stop flag again. Short enough that a test's
# fake clock is followed at once, long enough to cost nothing (a wait is not a busy loop).
WAIT_SLICE_S = 0.005
# Samples kept for a consumer that stops polling (a paused game): about 4 s at 30 fps. Older ones are dropped,
# newest kept, so memory stays bounded and a resumed game does not replay stale movement.
MAX_UNPOLLED_SAMPLES = 120
# How long close() waits in all for the workers to finish the frame they are on (MediaPipe cannot be interrupted).
# One inference takes 16-60 ms (README benchmarks) and a camera delivers an image every 33 ms: a worker that has not
# stopped after a second is stuck (a hung camera driver), and the game must not wait for it to quit.
JOIN_TIMEOUT_S = 1.0

THREAD_NAME_PREFIX = "motorplay-live-"
# What the game shows when a camera stops delivering mid-session (unplugged, or taken by another program).
CAMERA_STOPPED_MESSAGE = (
    "Tracking stopped: the camera stopped delivering images (was it unplugged?). "
    "Plug it in and start again, or play with the mouse."
)

_log = logging.getLogger(__name__)


# Turns one source item (a BGR image, or a recorded frame) taken at t_s into a landmark frame.
_Processor = Callable[[float, Any], LandmarkFrame]


class _ThreadedTracker:
    """The parts every live tracker shares: the output buffer, the end and error flags, the threads."""

    def __init__(
        self,
        info: SourceInfo,
        extractor: SignalExtractor,
        release: Callable[[], None],
        *,
        max_unpolled: int,
        duration_s: float | None = None,
    ) -> None:
        self.info = info
        self.duration_s = duration_s
        self._extractor = extractor
        self._release = release
        self._lock = threading.Lock()
        self._ready: deque[TrackedSample] = deque(maxlen=max_unpolled)
        self._ended = False
        self._error: str | None = None
        self._failure: UserFacingError | None = None
        self._stop = threading.Event()
        self._started = threading.Event()  # set by start(), and by close() to wake a worker that never started
        self._threads: list[threading.Thread] = []
        self._closed = False
        self._last_t_s = -math.inf

    def _start(self, *targets: Callable[[], None]) -> None:
        for target in targets:
            thread = threading.Thread(
                target=self._guarded(target), name=f"{THREAD_NAME_PREFIX}{target.__name__}", daemon=True
            )
            self._threads.append(thread)
            thread.start()

    def _guarded(self, target: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                target()
            except UserFacingError as error:  # a bad file: the game shows the message and the command reports it
                _log.debug("live tracking stopped: %s", error)
                self._fail(error)
            except Exception as error:  # a worker must never die silently: report it to the game, and log it
                _log.exception("live tracking worker failed")
                self._fail(error)

        return run

    def _fail(self, error: Exception) -> None:
        message = str(error) if isinstance(error, UserFacingError) else f"{type(error).__name__}: {error}"
        with self._lock:
            if self._error is None:
                self._error = f"Tracking stopped: {message}"
                if isinstance(error, UserFacingError):
                    self._failure = error
            self._ended = True
        self._stop.set()

    def start(self) -> None:
        """Start a paused source (idempotent)."""
        self._started.set()

    def _publish(self, frame: LandmarkFrame) -> None:
        if frame.t_s <= self._last_t_s:
            return  # timestamps strictly increase, whatever the source's clock does
        self._last_t_s = frame.t_s
        sample = TrackedSample(frame, self._extractor.update(frame))
        with self._lock:
            self._ready.append(sample)

    def _finish(self) -> None:
        """The source has delivered its last frame. A worker stopped by close() has not reached an end: the game
        must not tell the player that the video ended when it only stopped listening."""
        if self._stop.is_set():
            return
        with self._lock:
            self._ended = True

    def poll(self) -> list[TrackedSample]:
        """Every sample finished since the last poll, oldest first (at most ``MAX_UNPOLLED_SAMPLES``)."""
        with self._lock:
            samples = list(self._ready)
            self._ready.clear()
        return samples

    @property
    def ended(self) -> bool:
        """True at the end of a file, when a camera stopped delivering, or after an error."""
        with self._lock:
            return self._ended

    @property
    def error(self) -> str | None:
        """A message for a person when a worker failed, else ``None``."""
        with self._lock:
            return self._error

    @property
    def failure(self) -> UserFacingError | None:
        """The person's error that stopped the worker (a malformed recording line), else ``None``."""
        with self._lock:
            return self._failure

    def close(self) -> None:
        """Stop the workers, wait for them (at most :data:`JOIN_TIMEOUT_S` in all), and release the source and
        MediaPipe (idempotent)."""
        if self._closed:
            return
        self._closed = True
        self._stop.set()
        self._started.set()
        deadline_s = time.monotonic() + JOIN_TIMEOUT_S
        for thread in self._threads:
            thread.join(timeout=max(0.0, deadline_s - time.monotonic()))
        if any(thread.is_alive() for thread in self._threads):
            # Closing MediaPipe under a worker that is still inside it could crash the game: leave the source and
            # the models to the (daemon) thread and the end of the process instead.
            _log.warning("a live tracking worker did not stop within %s s; its source is left open", JOIN_TIMEOUT_S)
            return
        self._release()

    def __enter__(self) -> _ThreadedTracker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _PacedFileTracker(_ThreadedTracker):
    """Plays a video (through MediaPipe) or a recording (landmarks as recorded) at its own timestamps."""

    def __init__(
        self,
        info: SourceInfo,
        extractor: SignalExtractor,
        release: Callable[[], None],
        *,
        items: Iterator[tuple[float, Any]],
        process: _Processor,
        clock: Callable[[], float],
        max_unpolled: int,
        duration_s: float | None = None,
    ) -> None:
        super().__init__(info, extractor, release, max_unpolled=max_unpolled, duration_s=duration_s)
        self._items = items
        self._process = process
        self._clock = clock
        self._start(self._play)

    def _wait_until(self, due_s: float) -> bool:
        """Wait until ``clock() >= due_s``; False when asked to stop first."""
        while not self._stop.is_set():
            remaining_s = due_s - self._clock()
            if remaining_s <= 0:
                return True
            self._stop.wait(min(remaining_s, WAIT_SLICE_S))
        return False

    def _play(self) -> None:
        self._started.wait()  # nothing is read before start(): a bad first line is reported when play begins
        if self._stop.is_set():
            return
        start_s: float | None = None  # clock time at which the file's first frame is due
        first_t_s = 0.0
        current = next(self._items, None)
        failure: Exception | None = None
        while current is not None and not self._stop.is_set():
            try:
                following = next(self._items, None)
            except Exception as error:  # a bad frame further on: still show this one, then report the error
                following, failure = None, error
            t_s, item = current
            if start_s is None:
                start_s, first_t_s = self._clock(), t_s
            if not self._wait_until(start_s + t_s - first_t_s):
                return
            next_due_s = None if following is None else start_s + following[0] - first_t_s
            if next_due_s is None or self._clock() < next_due_s:
                self._publish(self._process(t_s, item))
            # else: the next frame is already due, so this one is late: skip it (newest wins)
            if failure is not None:
                raise failure
            current = following
        self._finish()


class _CameraTracker(_ThreadedTracker):
    """A reader thread keeps the newest camera image; an inference thread always processes that newest image."""

    def __init__(
        self,
        info: SourceInfo,
        extractor: SignalExtractor,
        release: Callable[[], None],
        *,
        source: ImageSource,
        process: _Processor,
        max_unpolled: int,
    ) -> None:
        super().__init__(info, extractor, release, max_unpolled=max_unpolled)
        self._source = source
        self._process = process
        self._newest: tuple[float, ImageBGR] | None = None
        self._camera_done = False
        self._slot = threading.Condition()
        self._started.set()  # a camera is live from opening (the menu follows the hand)
        self._start(self._read_camera, self._infer)

    def _read_camera(self) -> None:
        try:
            while not self._stop.is_set():
                item = self._source.read()
                with self._slot:
                    if item is None:
                        self._report_camera_stopped()
                        return
                    self._newest = item  # an image not yet taken is replaced: the newest wins
                    self._slot.notify()
        finally:
            with self._slot:
                self._camera_done = True
                self._slot.notify()

    def _report_camera_stopped(self) -> None:
        """A camera that stops delivering (unplugged, taken by another program) is a fault a person must hear of."""
        with self._lock:
            if self._error is None:
                self._error = CAMERA_STOPPED_MESSAGE

    def _infer(self) -> None:
        while not self._stop.is_set():
            with self._slot:
                while self._newest is None and not self._camera_done and not self._stop.is_set():
                    self._slot.wait(WAIT_SLICE_S)
                item, self._newest = self._newest, None
                camera_done = self._camera_done
            if item is not None:
                self._publish(self._process(*item))
            elif camera_done:
                break
        self._finish()


def _video_items(source: ImageSource) -> Iterator[tuple[float, Any]]:
    while (item := source.read()) is not None:
        yield item


def _recording_items(reader: RecordingReader) -> Iterator[tuple[float, Any]]:
    for recorded in reader.frames():
        yield recorded.frame.t_s, recorded.frame


def _recorded_frame(t_s: float, frame: LandmarkFrame) -> LandmarkFrame:
    return frame


def open_live_tracker(
    spec: SourceSpec,
    models: frozenset[TrackingModel],
    *,
    head_neutral: HeadAngles | None = None,
    clock: Callable[[], float] = time.monotonic,
    max_unpolled: int = MAX_UNPOLLED_SAMPLES,
    autostart: bool = True,
) -> LiveTracker:
    """Start live tracking from a camera, a video file or a ``.jsonl`` landmark recording.

    Parameters
    ----------
    spec
        The camera index or the file path (``spec.path`` wins when both are set).
    models
        The MediaPipe models to run (ignored for a recording, whose landmarks are replayed as recorded).
    head_neutral
        The patient's calibrated neutral head posture; head angles are absolute when ``None``.
    clock
        Seconds, monotonic: paces a file to its own timestamps (tests pass a fake clock).
    max_unpolled
        How many finished samples are kept for a consumer that does not poll; older ones are dropped.
    autostart
        ``False``: a file waits for :meth:`LiveTracker.start` before it reads or plays anything (the game starts
        it when the level or the calibration begins, not while the menu waits). A camera always starts at once.

    Raises
    ------
    SourceError
        At once, when the camera or the file cannot be opened (the message says what to do).
    RecordingFormatError
        At once, when a recording's header is malformed; a bad frame line later sets :attr:`LiveTracker.error`.
    """
    if spec.path is None and spec.camera_index is None:
        raise SourceError("No tracking source given: expected a camera index or a file path.")
    if max_unpolled < 1:
        raise ValueError(f"max_unpolled: expected at least 1 sample, got {max_unpolled}")
    tracker = _open(spec, models, head_neutral=head_neutral, clock=clock, max_unpolled=max_unpolled)
    if autostart:
        tracker.start()
    return tracker


def _open(
    spec: SourceSpec,
    models: frozenset[TrackingModel],
    *,
    head_neutral: HeadAngles | None,
    clock: Callable[[], float],
    max_unpolled: int,
) -> _ThreadedTracker:
    if spec.path is not None and is_recording_path(spec.path):
        reader = RecordingReader(spec.path)
        extractor = _extractor(reader.info, head_neutral)
        return _PacedFileTracker(
            reader.info,
            extractor,
            lambda: None,
            items=_recording_items(reader),
            process=_recorded_frame,
            clock=clock,
            max_unpolled=max_unpolled,
        )

    from tracking.landmarker import Landmarker  # imported here: mediapipe takes a second to import

    source: ImageSource
    duration_s: float | None = None
    if spec.path is not None:
        video = VideoFileSource(spec.path)
        frames = video.frame_count_hint()
        duration_s = frames / video.info.fps if frames > 0 else None
        source = video
    else:
        assert spec.camera_index is not None  # checked above
        source = CameraSource(spec.camera_index)
    try:
        landmarker = Landmarker(models)
    except BaseException:
        source.close()
        raise

    def release() -> None:
        landmarker.close()
        source.close()

    extractor = _extractor(source.info, head_neutral)
    if spec.path is not None:
        return _PacedFileTracker(
            source.info,
            extractor,
            release,
            items=_video_items(source),
            process=landmarker.process,
            clock=clock,
            max_unpolled=max_unpolled,
            duration_s=duration_s,
        )
    return _CameraTracker(
        source.info, extractor, release, source=source, process=landmarker.process, max_unpolled=max_unpolled
    )


def _extractor(info: SourceInfo, head_neutral: HeadAngles | None) -> SignalExtractor:
    return SignalExtractor(width_px=info.width_px, height_px=info.height_px, head_neutral=head_neutral)

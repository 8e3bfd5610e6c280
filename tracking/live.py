"""Live tracking for the game: worker threads run the landmarker so that the game loop never waits.

The game polls. A :class:`~tracking.sources.LandmarkSource` is paced by its kind: a video file or a landmark
recording plays at its own timestamps, as a camera would deliver it (a frame whose successor is already due is
skipped, so inference that falls behind drops frames instead of queueing them, unless inference keeps up on average
and the frame is at most ``MAX_CATCH_UP_S`` late: one slow inference is caught up, not a lost sample; the file's
clock starts when its first frame is tracked, after MediaPipe's slow first inference); a camera's newest image
always wins. Opened with ``autostart=False``, a file waits for ``start()`` (the game starts it when
the level or the calibration begins, so that it does not run out behind the menu).

A camera that stops delivering images (unplugged, taken by another program) does not end the source: the tracker
says so (:attr:`LiveTracker.camera_lost`), reopens the camera every :data:`CAMERA_RETRY_INTERVAL_S` and goes on when
images come again. Only after :data:`CAMERA_GIVE_UP_S` without one does it end, as a file does at its end.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from tracking.closing import ClosesOnExit
from tracking.errors import UserFacingError
from tracking.priority import call_in_background_thread, lower_this_thread
from tracking.signals import SignalExtractor
from tracking.sources import DEFAULT_MAX_HANDS, LandmarkSource, Reopenable, SourceSpec, open_landmark_source
from tracking.types import HeadAngles, LandmarkFrame, SourceInfo, TrackedSample, TrackingModel

__all__ = [
    "CAMERA_GIVE_UP_S",
    "CAMERA_RETRY_INTERVAL_S",
    "CAMERA_STOPPED_MESSAGE",
    "JOIN_TIMEOUT_S",
    "INFERENCE_MEAN_WEIGHT",
    "MAX_CATCH_UP_S",
    "MAX_UNPOLLED_SAMPLES",
    "THREAD_NAME_PREFIX",
    "WAIT_SLICE_S",
    "PREVIEW_WIDTH_PX",
    "LiveTracker",
    "Preview",
    "SourceSpec",
    "open_live_tracker",
    "settings_for_models",
    "track_live",
]


# The camera preview the game shows during calibration and set-up is about this wide: small, and cheap to make (every
# n-th pixel of the image, no filtering).
PREVIEW_WIDTH_PX = 320


@dataclass(frozen=True)
class Preview:
    """The newest image a camera or video delivered, downscaled, as RGB (h, w, 3), with the landmarks found in it.

    For the patient's live preview only: never stored.
    """

    rgb: npt.NDArray[np.uint8]
    frame: LandmarkFrame


def downscaled_rgb(image_bgr: npt.NDArray[np.uint8], width_px: int = PREVIEW_WIDTH_PX) -> npt.NDArray[np.uint8]:
    """Return every n-th pixel of a BGR image as RGB, about ``width_px`` wide.

    n is chosen so the result is never narrower than ``width_px`` nor wider than twice that.
    """
    step = max(1, image_bgr.shape[1] // width_px)
    return np.ascontiguousarray(image_bgr[::step, ::step, ::-1])


class LiveTracker(Protocol):
    """What the game sees of live tracking."""

    info: SourceInfo

    @property
    def duration_s(self) -> float | None:
        """A video file's length as its container declares it; ``None`` for a camera, a recording, or unknown."""

    def start(self) -> None:
        """Start the source's clock.

        A file opened with ``autostart=False`` plays from its first frame from now on. A camera is live from opening.
        Idempotent.
        """

    def poll(self) -> list[TrackedSample]:
        """Every sample finished since the last poll, oldest first; never blocks."""

    def wait_for_samples(self, timeout_s: float) -> bool:
        """Wait at most ``timeout_s`` until a sample is ready to poll (or the source ended); return whether one is.

        For a game loop that waits for its next frame: it can poll as soon as a sample is ready instead of at the next
        frame (up to a frame interval later).
        """

    def pause(self) -> None:
        """Stop a file's clock (the player paused the game): it resumes where it was. A camera stays live."""

    def resume(self) -> None:
        """Restart a file's clock stopped by :meth:`pause`; nothing for a camera."""

    @property
    def ended(self) -> bool:
        """True once a file source has played to its end, or a camera delivered nothing for ``CAMERA_GIVE_UP_S``."""

    @property
    def camera_lost(self) -> bool:
        """True while a camera delivers no images and is being reopened (every ``CAMERA_RETRY_INTERVAL_S``).

        Never for a file. The game pauses with a message meanwhile: no samples come, so the level's effector is not
        seen and its clock stops.
        """

    @property
    def error(self) -> str | None:
        """A message for a person when the worker failed (a camera given up, a bad file), else ``None``."""

    @property
    def failure(self) -> UserFacingError | None:
        """The error a person caused (a malformed frame further on in a recording), to report when the game ends.

        ``None`` for an unplugged camera, an unexpected failure (logged) or no failure.
        """

    def close(self) -> None:
        """Stop the worker and release the source."""

    def latest_preview(self) -> Preview | None:
        """Return the newest image, downscaled, with its landmarks; ``None`` before the first, or for a recording."""


# ---------------------------------------------------------------------------------------------------------------
# Implementation: worker threads behind the LiveTracker protocol.
#
# A video or a recording is paced to its own timestamps on ``clock``: a frame is processed when its time has come
# and skipped (read, never inferred) when the next frame's time has already come, so inference that falls behind
# drops frames instead of queueing them. A camera has a reader thread that keeps only the newest image and an
# inference thread that always takes that newest image.

# A file's frame whose successor is already due is still tracked, not skipped, when inference keeps up on average
# (its running mean is below the frame interval) and the frame is at most this late: an occasional slow inference
# (another program took the CPU for a moment) is then caught up on the next frames instead of costing a sample. On
# 2 cores with other programs running, hands-only inference was 27 ms at the median but 75 ms at p95 against a 40 ms
# frame interval, and the skip-when-the-next-is-due rule alone tracked 88.8% of the frames of a 25 fps video
# (benchmarks/bench_startup_latency.py). 0.1 s is 2.5 frames at 25 fps, 3 at 30: the longest lag a cursor shows
# while catching up. When inference cannot keep up, the newest frame wins as before (latency stays bounded).
MAX_CATCH_UP_S = 0.1
# Weight of the newest inference time in the running mean that says whether inference keeps up: about the last
# 10 frames, so that one slow frame does not tip it but a lasting slow-down (more models, a busy machine) does.
INFERENCE_MEAN_WEIGHT = 0.1

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

# With hands and face together (the sensory trick, hand_on_face): either hand may touch the face, so look for two.
# The face model still runs on every frame: on alternate frames (Landmarker's face_every_n_frames) the head angles
# repeat every other frame, a staircase that the head analysis reads as jerky movement (SPARC, jerks), and the gain
# measured was small (the face is ~6 of ~28 ms; benchmarks/bench_model_sets.py).
HANDS_AND_FACE_MAX_HANDS = 2
HANDS_AND_FACE_FACE_EVERY_N_FRAMES = 1

THREAD_NAME_PREFIX = "motorplay-live-"
# A camera that stops delivering (unplugged, taken by another program) is opened again this often (issue 9: "the
# camera is reopened every second"): soon after it is plugged back in, and rarely enough to cost nothing (an
# attempt on a missing device fails in milliseconds).
CAMERA_RETRY_INTERVAL_S = 1.0
# After this long without an image the camera is given up and the source ends as before (the game goes to the
# results, which keep every finished trial): a patient who has left, or a broken camera, does not keep a session
# open for ever. 10 minutes is far longer than fetching a cable or closing another program takes.
CAMERA_GIVE_UP_S = 600.0
# What the game shows when a camera has delivered nothing for CAMERA_GIVE_UP_S (unplugged, or taken by another
# program) and tracking ends.
CAMERA_STOPPED_MESSAGE = (
    "Tracking stopped: the camera stopped delivering images (was it unplugged?). "
    "Plug it in and start again, or play with the mouse."
)

_log = logging.getLogger(__name__)


class _ThreadedTracker(ClosesOnExit):
    """The parts every live tracker shares: the source, the output buffer, the end and error flags, the threads."""

    def __init__(
        self, source: LandmarkSource[Any], extractor: SignalExtractor, *, max_unpolled: int, background: bool = False
    ) -> None:
        self.info = source.info
        self._background = background  # the workers put themselves in the background (tracking.priority)
        self.duration_s = source.duration_s
        self._source = source
        self._extractor = extractor
        self._lock = threading.Lock()
        self._ready: deque[TrackedSample] = deque(maxlen=max_unpolled)
        self._ready_event = threading.Event()  # set while samples wait to be polled (and once the source ended)
        self._ended = False
        self._error: str | None = None
        self._failure: UserFacingError | None = None
        self._stop = threading.Event()
        self._started = threading.Event()  # set by start(), and by close() to wake a worker that never started
        self._threads: list[threading.Thread] = []
        self._closed = False
        self._last_t_s = -math.inf
        self._preview: Preview | None = None
        self._lost_since_s: float | None = None  # clock time a camera stopped delivering, while it is lost

    def _start(self, *targets: Callable[[], None]) -> None:
        for target in targets:
            thread = threading.Thread(
                target=self._guarded(target), name=f"{THREAD_NAME_PREFIX}{target.__name__}", daemon=True
            )
            self._threads.append(thread)
            thread.start()

    def _guarded(self, target: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            if self._background:
                lower_this_thread()  # the game's render loop first (tracking.priority)
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
            self._ready_event.set()  # a waiting game loop wakes to see the end
        self._stop.set()

    def start(self) -> None:
        """Start a paused source (idempotent)."""
        self._started.set()

    @property
    def camera_lost(self) -> bool:
        """True while a camera delivers no images and is being reopened (never for a file)."""
        with self._lock:
            return self._lost_since_s is not None

    def pause(self) -> None:
        """Do nothing: a camera stays live while the game pauses (a file's tracker overrides this)."""

    def resume(self) -> None:
        """Do nothing: see :meth:`pause`."""

    def _publish(self, t_s: float, raw: Any) -> None:
        """Find the landmarks of one raw item and hand the sample to the consumer."""
        frame = self._source.landmarks(t_s, raw)
        if frame.t_s <= self._last_t_s:
            return  # timestamps strictly increase, whatever the source's clock does
        self._last_t_s = frame.t_s
        sample = TrackedSample(frame, self._extractor.update(frame))
        preview = None
        if isinstance(raw, np.ndarray) and raw.ndim == 3 and raw.shape[2] == 3:  # an image (not a recorded frame)
            preview = Preview(downscaled_rgb(raw), frame)
        with self._lock:
            self._ready.append(sample)
            self._ready_event.set()
            if preview is not None and self._lost_since_s is None:  # not an image from before a camera was lost
                self._preview = preview

    def latest_preview(self) -> Preview | None:
        """Return the newest image, downscaled, with its landmarks; ``None`` before the first, or for a recording."""
        with self._lock:
            return self._preview

    def _finish(self) -> None:
        """Mark the end: the source has delivered its last frame.

        A worker stopped by close() has not reached an end: the game must not tell the player that the video ended when
        it only stopped listening.
        """
        if self._stop.is_set():
            return
        with self._lock:
            self._ended = True
            self._ready_event.set()  # a waiting game loop wakes to see the end

    def poll(self) -> list[TrackedSample]:
        """Every sample finished since the last poll, oldest first (at most ``MAX_UNPOLLED_SAMPLES``)."""
        with self._lock:
            samples = list(self._ready)
            self._ready.clear()
            if not self._ended:
                self._ready_event.clear()
        return samples

    def wait_for_samples(self, timeout_s: float) -> bool:
        """Wait at most ``timeout_s`` until a sample is ready to poll (or the source ended); return whether one is."""
        return self._ready_event.wait(max(0.0, timeout_s))

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

    def _release(self) -> None:
        self._source.close()

    def close(self) -> None:
        """Stop the workers and release the source and MediaPipe (idempotent).

        Waits for the workers at most :data:`JOIN_TIMEOUT_S` in all.
        """
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


class _PacedFileTracker(_ThreadedTracker):
    """Plays a file (a video through MediaPipe, a recording as recorded) at its own timestamps on ``clock``."""

    def __init__(
        self,
        source: LandmarkSource[Any],
        extractor: SignalExtractor,
        *,
        clock: Callable[[], float],
        max_unpolled: int,
        background: bool = False,
    ) -> None:
        super().__init__(source, extractor, max_unpolled=max_unpolled, background=background)
        self._clock = clock
        self._paused_at_s: float | None = None  # clock time the player paused at, while paused
        self._paused_total_s = 0.0  # clock time spent paused so far: the file's frames are due that much later
        # Running mean of one frame's inference (and signals), on ``clock``; ``None`` until the first is measured
        # (then it starts from that cost, not from 0, so a lasting slow-down is seen within a few frames).
        self._mean_inference_s: float | None = None
        self._start(self._play)

    def pause(self) -> None:
        """Stop the file's clock: no frame is due until :meth:`resume` (idempotent)."""
        with self._lock:
            if self._paused_at_s is None:
                self._paused_at_s = self._clock()

    def resume(self) -> None:
        """Restart the file's clock where it stopped: every later frame is due as much later as the pause lasted."""
        with self._lock:
            if self._paused_at_s is not None:
                self._paused_total_s += self._clock() - self._paused_at_s
                self._paused_at_s = None

    def _paused_s(self) -> float | None:
        """Clock time spent paused so far, or ``None`` while paused."""
        with self._lock:
            return None if self._paused_at_s is not None else self._paused_total_s

    def _catches_up(self, now_s: float, due_s: float, next_due_s: float) -> bool:
        """Whether to track now (clock ``now_s``) the frame due at ``due_s`` (else it is skipped: the next wins).

        Yes while the next frame is not yet due; also when it is but inference keeps up on average and this frame is
        at most :data:`MAX_CATCH_UP_S` late (an occasional slow inference is caught up instead of dropping a frame).
        """
        if now_s < next_due_s:
            return True
        keeps_up = self._mean_inference_s is None or self._mean_inference_s < next_due_s - due_s
        return keeps_up and now_s - due_s <= MAX_CATCH_UP_S

    def _wait_until(self, due_s: float) -> float | None:
        """Wait until ``clock() >= due_s`` plus the time paused (no time passes while paused).

        Return the clock's first reading, or ``None`` when asked to stop first.
        """
        first_s: float | None = None
        while not self._stop.is_set():
            now_s = self._clock()
            first_s = now_s if first_s is None else first_s
            paused_s = self._paused_s()
            if paused_s is None:
                self._stop.wait(WAIT_SLICE_S)
                continue
            if due_s + paused_s - now_s <= 0:
                return first_s
            self._stop.wait(min(due_s + paused_s - now_s, WAIT_SLICE_S))
        return None

    def _play(self) -> None:
        self._started.wait()  # nothing is read before start(): a bad first line is reported when play begins
        if self._stop.is_set():
            return
        start_s: float | None = None  # clock time at which the file's first frame is due
        first_t_s = 0.0
        inferred_at_s: float | None = None  # clock when the last frame tracked began (None: the last was skipped)
        current = self._source.read()
        failure: Exception | None = None
        while current is not None and not self._stop.is_set():
            try:
                following = self._source.read()
            except Exception as error:  # a bad frame further on: still show this one, then report the error
                following, failure = None, error
            t_s, raw = current
            first = start_s is None
            if start_s is None:
                start_s, first_t_s = self._clock(), t_s
            due_s = start_s + t_s - first_t_s
            waited_from_s = self._wait_until(due_s)
            if waited_from_s is None:
                return
            if inferred_at_s is not None:  # the clock's first reading since: the last frame's cost (and a read)
                cost_s = waited_from_s - inferred_at_s
                mean_s = cost_s if self._mean_inference_s is None else self._mean_inference_s
                self._mean_inference_s = mean_s + INFERENCE_MEAN_WEIGHT * (cost_s - mean_s)
            now_s = self._clock()
            with self._lock:
                shifted_s = start_s + self._paused_total_s  # the file's start, later by the time paused so far
            due_s = shifted_s + t_s - first_t_s
            next_due_s = None if following is None else shifted_s + following[0] - first_t_s
            inferred_at_s = None
            if next_due_s is None or self._catches_up(now_s, due_s, next_due_s):
                inferred_at_s = now_s
                self._publish(t_s, raw)
                if first:
                    # MediaPipe's first inference sets its graphs up (about 0.3 s against 20-30 ms after it, on
                    # hand_video.mp4): the file's clock starts when it is done, so that the frames due meanwhile
                    # (7 at 25 fps, 2.5% of an 8 s video) are not skipped, and its cost is not in the running mean.
                    inferred_at_s = self._clock()
                    with self._lock:
                        start_s = inferred_at_s - self._paused_total_s
            # else: the next frame is due and this one cannot be caught up: skip it (newest wins)
            if failure is not None:
                raise failure
            current = following
        self._finish()


class _CameraTracker(_ThreadedTracker):
    """A reader thread keeps the newest camera image; an inference thread always processes that newest image.

    A camera that stops delivering is reopened every :data:`CAMERA_RETRY_INTERVAL_S` of ``clock`` (the source must
    be :class:`~tracking.sources.Reopenable`; one that is not ends at once) and given up after
    :data:`CAMERA_GIVE_UP_S`.
    """

    def __init__(
        self,
        source: LandmarkSource[Any],
        extractor: SignalExtractor,
        *,
        clock: Callable[[], float],
        max_unpolled: int,
        background: bool = False,
    ) -> None:
        super().__init__(source, extractor, max_unpolled=max_unpolled, background=background)
        self._clock = clock
        self._newest: tuple[float, Any] | None = None
        self._camera_done = False
        self._slot = threading.Condition()
        self._started.set()  # a camera is live from opening (the menu follows the hand)
        self._start(self._read_camera, self._infer)

    def _read_camera(self) -> None:
        try:
            while not self._stop.is_set():
                item = self._source.read()
                if item is None:
                    if self._wait_for_camera():
                        continue
                    return
                with self._slot:
                    self._newest = item  # an image not yet taken is replaced: the newest wins
                    self._slot.notify()
        finally:
            with self._slot:
                self._camera_done = True
                self._slot.notify()

    def _wait_for_camera(self) -> bool:
        """Reopen a camera that stopped delivering, every :data:`CAMERA_RETRY_INTERVAL_S`, until it delivers again.

        Return ``True`` once it does; ``False`` when asked to stop, when the source cannot be reopened, or after
        :data:`CAMERA_GIVE_UP_S` (then the camera is reported stopped, and the source ends).
        """
        source = self._source
        lost_s = self._clock()
        with self._lock:
            self._lost_since_s = lost_s
            self._preview = None  # the last image is not shown as if it were live
        _log.info("the camera stopped delivering images; reopening it every %s s", CAMERA_RETRY_INTERVAL_S)
        next_try_s = lost_s + CAMERA_RETRY_INTERVAL_S
        while isinstance(source, Reopenable) and not self._stop.is_set():
            now_s = self._clock()
            if now_s - lost_s >= CAMERA_GIVE_UP_S:
                break
            if now_s >= next_try_s:
                next_try_s = now_s + CAMERA_RETRY_INTERVAL_S  # from this attempt's start, however long it takes
                if source.reopen():
                    _log.info("the camera delivers images again")
                    with self._lock:
                        self._lost_since_s = None
                    return True
            self._stop.wait(min(WAIT_SLICE_S, max(next_try_s - now_s, 0.0)))
        if not self._stop.is_set():
            self._report_camera_stopped()
        return False

    def _report_camera_stopped(self) -> None:
        """Report a camera given up (unplugged, taken by another program): a person must hear of it."""
        with self._lock:
            self._lost_since_s = None
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
                self._publish(*item)
            elif camera_done:
                break
        self._finish()


def settings_for_models(models: frozenset[TrackingModel]) -> tuple[int, int]:
    """Return ``(max_hands, face_every_n_frames)`` for a level's models.

    Levels that run hands and face look for two hands (``hand_on_face`` may use either); any other set looks for one
    hand. Every model runs on every frame (:data:`HANDS_AND_FACE_FACE_EVERY_N_FRAMES` says why).
    """
    if {TrackingModel.HANDS, TrackingModel.FACE} <= models:
        return HANDS_AND_FACE_MAX_HANDS, HANDS_AND_FACE_FACE_EVERY_N_FRAMES
    return DEFAULT_MAX_HANDS, 1


def track_live(
    source: LandmarkSource[Any],
    *,
    head_neutral: HeadAngles | None = None,
    clock: Callable[[], float] = time.monotonic,
    max_unpolled: int = MAX_UNPOLLED_SAMPLES,
    autostart: bool = True,
    background: bool = False,
) -> LiveTracker:
    """Track an open source in worker threads, paced by its kind; the tracker closes the source.

    A file (:attr:`LandmarkSource.is_live` false) plays at its own timestamps on ``clock``; a camera's newest
    image always wins, and a camera that stops delivering is reopened every :data:`CAMERA_RETRY_INTERVAL_S` of
    ``clock``. The parameters are those of :func:`open_live_tracker`.
    """
    if max_unpolled < 1:
        source.close()
        raise ValueError(f"max_unpolled: expected at least 1 sample, got {max_unpolled}")
    extractor = SignalExtractor(
        width_px=source.info.width_px, height_px=source.info.height_px, head_neutral=head_neutral
    )
    tracker: _ThreadedTracker
    if source.is_live:
        tracker = _CameraTracker(source, extractor, clock=clock, max_unpolled=max_unpolled, background=background)
    else:
        tracker = _PacedFileTracker(source, extractor, clock=clock, max_unpolled=max_unpolled, background=background)
    if autostart:
        tracker.start()
    return tracker


def open_live_tracker(
    spec: SourceSpec,
    models: frozenset[TrackingModel],
    *,
    head_neutral: HeadAngles | None = None,
    clock: Callable[[], float] = time.monotonic,
    max_unpolled: int = MAX_UNPOLLED_SAMPLES,
    autostart: bool = True,
    max_hands: int = DEFAULT_MAX_HANDS,
    face_every_n_frames: int = 1,
    background: bool = False,
) -> LiveTracker:
    """Start live tracking from a camera, a video file or a ``.jsonl`` landmark recording.

    Parameters
    ----------
    spec
        The camera index or the file path (``spec.path`` wins when both are set).
    models
        The MediaPipe models to run (the level's; ignored for a recording, whose landmarks are replayed as
        recorded).
    head_neutral
        The patient's calibrated neutral head posture; head angles are absolute when ``None``.
    clock
        Seconds, monotonic: paces a file to its own timestamps, and a lost camera's reopening (tests pass a fake
        clock).
    max_unpolled
        How many finished samples are kept for a consumer that does not poll; older ones are dropped.
    autostart
        ``False``: a file waits for :meth:`LiveTracker.start` before it reads or plays anything (the game starts
        it when the level or the calibration begins, not while the menu waits). A camera always starts at once.
    max_hands
        How many hands MediaPipe looks for: 1 (the default) or 2 (the game asks for two in the levels that run hands
        and face, for the sensory trick).
    face_every_n_frames
        Run the face model on one image in ``n`` (1: every image); the images between carry the last face found
        (:class:`~tracking.landmarker.Landmarker`). The game uses 2 when hands and face run together, so that they
        keep up with 30 fps on two cores (``benchmarks/bench_model_sets.py``).
    background
        Run every tracking thread, MediaPipe's and FFmpeg's included, in the background (:mod:`tracking.priority`):
        the game's frames never wait for a core behind tracking, but tracking starves while other programs keep the
        cores busy. Default: normal priority.

    Raises
    ------
    SourceError
        At once, when the camera or the file cannot be opened (the message says what to do).
    RecordingFormatError
        At once, when a recording's header is malformed; a bad frame line later sets :attr:`LiveTracker.error`.
    ValueError
        ``max_unpolled`` below 1, or ``models``, ``max_hands`` or ``face_every_n_frames`` out of range (a
        programming error).
    """
    def open_source() -> LandmarkSource[Any]:
        return open_landmark_source(spec, models, max_hands=max_hands, face_every_n_frames=face_every_n_frames)

    # In the background: opened in a thread of background priority, whose policy the threads MediaPipe and FFmpeg
    # start inherit (tracking.priority).
    source = call_in_background_thread(open_source, name=f"{THREAD_NAME_PREFIX}open") if background else open_source()
    return track_live(
        source, head_neutral=head_neutral, clock=clock, max_unpolled=max_unpolled, autostart=autostart,
        background=background,
    )  # fmt: skip

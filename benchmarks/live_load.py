"""Shared by the live benchmarks: a 30 fps 640x360 source with a hand and a face, and a level played headless while
live tracking runs in its worker thread (the real App, LevelScene and TrackingInput), with timings of every sample.

The source: every frame of ``../shared/media/hand_video.mp4`` (25 fps, one hand) re-timed to 30 fps (the same frames,
written at 30 fps: the hand moves 1.2x faster), with the head and shoulders of ``business_person.png`` pasted on the
right half, so that the face and pose models have a person to track; played forwards then backwards until it is long
enough, so that one tracker (one model load) runs for the whole measurement.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import pygame  # noqa: E402

from clinic.calibration_store import CalibrationStore  # noqa: E402
from game.app import App, FrameTimes  # noqa: E402
from game.frame_clock import RealFrameClock  # noqa: E402
from game.input_source import InputSource  # noqa: E402
from game.mouse_input import MouseInput  # noqa: E402
from game.scenes.base import GameContext  # noqa: E402
from game.scenes.level import LevelScene  # noqa: E402
from game.session import DEFAULT_WINDOW_PX  # noqa: E402
from game.theme import Theme  # noqa: E402
from game.tracking_input import TrackingInput  # noqa: E402
from levels.loader import load_level  # noqa: E402
from tracking.calibration import ReachRange  # noqa: E402
from tracking.live import THREAD_NAME_PREFIX, LiveTracker, track_live  # noqa: E402
from tracking.priority import call_in_background_thread  # noqa: E402
from tracking.sources import open_landmark_source  # noqa: E402
from tracking.types import Effector, LandmarkFrame, TrackedSample, TrackingModel  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
MEDIA = REPO.parent / "shared" / "media"
HAND_VIDEO = MEDIA / "hand_video.mp4"
FACE_IMAGE = MEDIA / "business_person.png"
SOURCE_FPS = 30.0
SOURCE_SIZE_PX = (640, 360)
# The head and shoulders of business_person.png: its top 900 of 1358 rows, pasted 300 px high on the right half.
_FACE_ROWS = 900
_FACE_HEIGHT_PX = 300
FRAME_BUDGET_MS = 1000.0 / 60.0


def make_source_video(out: Path, *, seconds: float, with_face: bool = True, fps: float = SOURCE_FPS) -> Path:
    """Write the 640x360 benchmark video (see the module docstring) to ``out``, at least ``seconds`` long.

    ``fps`` 25 keeps hand_video.mp4's own timing (only made longer); ``with_face`` False leaves its frames as they are.
    """
    capture = cv2.VideoCapture(str(HAND_VIDEO))
    frames: list[np.ndarray[Any, Any]] = []
    while True:
        ok, image = capture.read()
        if not ok:
            break
        frames.append(cv2.resize(image, SOURCE_SIZE_PX))
    capture.release()
    if with_face:
        person = cv2.imread(str(FACE_IMAGE))[:_FACE_ROWS]
        width_px = round(person.shape[1] * _FACE_HEIGHT_PX / person.shape[0])
        person = cv2.resize(person, (width_px, _FACE_HEIGHT_PX), interpolation=cv2.INTER_AREA)
        x0, y0 = SOURCE_SIZE_PX[0] - width_px - 10, SOURCE_SIZE_PX[1] - _FACE_HEIGHT_PX
        for image in frames:
            image[y0:, x0 : x0 + width_px] = person
    needed = int(seconds * fps) + 1
    order = frames + frames[::-1]
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), fps, SOURCE_SIZE_PX)
    for index in range(needed):
        writer.write(order[index % len(order)])
    writer.release()
    return out


# The scripted mouse: a Lissajous path over the window (periods in seconds, incommensurate so that it covers the
# screen and passes over every target sooner or later), a click every CLICK_PERIOD_S held for CLICK_HOLD_S.
_PATH_PERIODS_S = (5.3, 3.7)
CLICK_PERIOD_S = 1.5
CLICK_HOLD_S = 0.4


class ScriptedMouse(MouseInput):
    """The mouse input, fed a scripted path and clicks (as pygame events) instead of a person's hand."""

    def __init__(self, screen_size_px: tuple[int, int]) -> None:
        super().__init__(screen_size_px)
        self._size_px = screen_size_px
        self._pressed = False

    def poll(self, pygame_events: list[pygame.event.Event], now_s: float) -> list[Any]:
        width_px, height_px = self._size_px
        x_norm = 0.5 + 0.42 * np.sin(2 * np.pi * now_s / _PATH_PERIODS_S[0])
        y_norm = 0.5 + 0.4 * np.sin(2 * np.pi * now_s / _PATH_PERIODS_S[1])
        scripted = [pygame.event.Event(pygame.MOUSEMOTION, pos=(int(x_norm * width_px), int(y_norm * height_px)))]
        pressed = (now_s % CLICK_PERIOD_S) < CLICK_HOLD_S
        if pressed != self._pressed:
            self._pressed = pressed
            kind = pygame.MOUSEBUTTONDOWN if pressed else pygame.MOUSEBUTTONUP
            scripted.append(pygame.event.Event(kind, button=pygame.BUTTON_LEFT, pos=scripted[0].pos))
        return super().poll(list(pygame_events) + scripted, now_s)


@dataclass
class SampleTimes:
    """When each frame was inferred and when the game polled its sample, on the game's clock (seconds)."""

    inference_start_s: dict[float, float] = field(default_factory=dict)
    inference_end_s: dict[float, float] = field(default_factory=dict)
    polled_s: dict[float, float] = field(default_factory=dict)
    # When the file's clock started: the tracker's first clock reading after its first frame was inferred (it starts
    # the file there, once that frame's sample is published).
    clock_start_s: float | None = None
    frames_read: int = 0
    first_read_s: float | None = None


class TimedSource:
    """A landmark source that records when each frame is read and inferred (the LandmarkSource protocol)."""

    def __init__(self, source: Any, clock: Callable[[], float], times: SampleTimes) -> None:
        self._source = source
        self._clock = clock
        self._times = times
        self.info = source.info
        self.frame_count_hint = source.frame_count_hint
        self.duration_s = source.duration_s
        self.is_live = source.is_live
        self.models = source.models

    def read(self) -> tuple[float, Any] | None:
        item = self._source.read()
        if item is not None:
            self._times.frames_read += 1
            if self._times.first_read_s is None:
                self._times.first_read_s = self._clock()
        return item

    def landmarks(self, t_s: float, raw: Any) -> LandmarkFrame:
        self._times.inference_start_s[t_s] = self._clock()
        frame: LandmarkFrame = self._source.landmarks(t_s, raw)
        self._times.inference_end_s[t_s] = self._clock()
        return frame

    def close(self) -> None:
        self._source.close()


class PollTimedTracker:
    """A live tracker whose polls are timed: when the game's loop receives each sample."""

    def __init__(self, tracker: LiveTracker, clock: Callable[[], float], times: SampleTimes) -> None:
        self._tracker = tracker
        self._clock = clock
        self._times = times
        self.info = tracker.info

    @property
    def duration_s(self) -> float | None:
        return None

    def start(self) -> None:
        self._tracker.start()

    def wait_for_samples(self, timeout_s: float) -> bool:
        return self._tracker.wait_for_samples(timeout_s)  # the game loop wakes when a sample is ready, as in play

    def poll(self) -> list[TrackedSample]:
        samples = self._tracker.poll()
        now_s = self._clock()
        for sample in samples:
            self._times.polled_s[sample.frame.t_s] = now_s
        return samples

    @property
    def ended(self) -> bool:
        return self._tracker.ended

    @property
    def error(self) -> str | None:
        return self._tracker.error

    @property
    def failure(self) -> Any:
        return self._tracker.failure

    def close(self) -> None:
        self._tracker.close()


class IntervalClock(RealFrameClock):
    """The real 60 fps clock, also recording each frame interval (ms), the pacing sleep included."""

    def __init__(self) -> None:
        super().__init__()
        self.intervals_ms: list[float] = []

    def tick(self) -> float:
        dt_s = super().tick()
        self.intervals_ms.append(dt_s * 1000.0)
        return dt_s


@dataclass(frozen=True)
class LevelRun:
    """What one headless run of a level measured."""

    update_render_ms: list[float]
    intervals_ms: list[float]
    times: SampleTimes | None  # None without tracking
    scenes: list[str]  # the scenes shown, in order (a level that ends goes on to its results)


def open_timed_tracker(
    video: Path,
    models: frozenset[TrackingModel],
    clock: Callable[[], float],
    *,
    max_hands: int = 1,
    face_every_n_frames: int = 1,
    background: bool = False,
) -> tuple[PollTimedTracker, SampleTimes]:
    """Open the live tracker on ``video`` (models loaded now, not started), with every sample timed.

    Opened as :func:`tracking.live.open_live_tracker` opens it for the game; with ``background``, in a background
    thread, whose priority MediaPipe's and FFmpeg's threads inherit (:mod:`tracking.priority`).
    """
    times = SampleTimes()

    def open_source() -> Any:
        return open_landmark_source(video, models, max_hands=max_hands, face_every_n_frames=face_every_n_frames)

    source = call_in_background_thread(open_source, name="bench-open") if background else open_source()

    def tracker_clock() -> float:
        """``clock``, noting the worker's first reading after the first inference: the file's clock start."""
        now_s = clock()
        if (
            times.clock_start_s is None and times.inference_end_s
            and threading.current_thread().name.startswith(THREAD_NAME_PREFIX)
        ):
            times.clock_start_s = now_s
        return now_s

    tracker = track_live(
        TimedSource(source, clock, times), clock=tracker_clock, autostart=False, background=background
    )
    return PollTimedTracker(tracker, clock, times), times


def play_level(
    level_name: str,
    seconds: float,
    *,
    video: Path | None = None,
    models: frozenset[TrackingModel] | None = None,
    max_hands: int = 1,
    face_every_n_frames: int = 1,
    background: bool = False,
) -> LevelRun:
    """Play ``level_name`` headless for ``seconds`` of wall time, with live tracking of ``video`` (in the background:
    :mod:`tracking.priority`) or the scripted mouse (:class:`ScriptedMouse`)."""
    pygame.init()
    try:
        surface = pygame.display.set_mode(DEFAULT_WINDOW_PX)
        clock = IntervalClock()
        level = load_level(level_name)
        times: SampleTimes | None = None
        source: InputSource
        if video is None:
            source = ScriptedMouse(DEFAULT_WINDOW_PX)
        else:
            run_models = frozenset(level.models) if models is None else models
            tracker, times = open_timed_tracker(
                video, run_models, clock.now_s, max_hands=max_hands, face_every_n_frames=face_every_n_frames,
                background=background,
            )
            required = {Effector.HAND} | ({Effector.HEAD} if TrackingModel.FACE in run_models else set())
            source = TrackingInput(tracker, reach=ReachRange(0.1, 0.9, 0.1, 0.9), required=frozenset(required))
            tracker.start()
        with tempfile.TemporaryDirectory() as data_dir:
            context = GameContext(
                screen_size_px=DEFAULT_WINDOW_PX,
                theme=Theme.for_height(DEFAULT_WINDOW_PX[1]),
                level=level,
                patient="bench",
                store=CalibrationStore(Path(data_dir)),
                input_source=source,
                models=frozenset(level.models),
                source_info=None,
            )
            frame_times = FrameTimes()
            play_until_s = clock.now_s() + seconds  # the models' loading does not count
            app = App(surface, context, LevelScene(context), clock, max_seconds=play_until_s, frame_times=frame_times)
            try:
                app.run()
            finally:
                source.close()
        # The first frame includes set-up.
        return LevelRun(frame_times.update_render_ms[1:], clock.intervals_ms[1:], times, list(app.scene_history))
    finally:
        pygame.quit()


def tracked_rate(times: SampleTimes, fps: float) -> tuple[float, float, int, int]:
    """(tracked samples a second of played source, fraction of the frames due that were tracked, tracked, due).

    The frames due are those from the first tracked frame to the last (the source plays at its own rate, so the
    span is also the wall time the tracker ran).
    """
    tracked = sorted(times.inference_end_s)
    if len(tracked) < 2:
        return 0.0, 0.0, len(tracked), len(tracked)
    due = round((tracked[-1] - tracked[0]) * fps) + 1
    return len(tracked) / (due / fps), len(tracked) / due, len(tracked), due


def percentiles(values: list[float], points: tuple[int, ...] = (50, 95, 99)) -> list[float]:
    """The ``points`` percentiles of ``values`` (NaN when empty)."""
    if not values:
        return [float("nan")] * len(points)
    return [float(v) for v in np.percentile(values, points)]


def now_s() -> float:
    """The monotonic clock the game uses (shared by every process on Linux: CLOCK_MONOTONIC)."""
    return time.monotonic()

"""Live tracking as input: tracked samples become the same events as the mouse produces.

The cursor is the palm centre mapped from the calibrated reach range to the screen, mirrored, then smoothed with
a One Euro filter for display only (analysis keeps the raw samples, passed on as :class:`TrackedFrame`). Each
effector the session needs (the hand; the head when the face model runs) is declared lost after
:data:`TRACKING_GRACE_S` without it, and found again on the next sample with it; :attr:`TrackingInput.seen` says
which are seen now.

:class:`TrackingOpener` (re)opens the session's camera or file; :func:`source_end` tells every scene whether the
source has ended (a file played to its end, a camera given up, a bad line in a recording), so that none waits
for a hand that cannot come. :func:`camera_waiting` says while a camera delivers no pictures and is being reopened
(the game pauses with that message; finished trials stay, and the level goes on when pictures come again).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import pygame

from game.input_source import InputKind, InputSource, key_commands
from game.texts import CAMERA_WAITING_MESSAGE
from levels.events import (
    CursorMoved,
    GraspChanged,
    HeadPose,
    InputEvent,
    SourceEnded,
    TrackedFrame,
    TrackingFound,
    TrackingLost,
)
from tracking.calibration import ReachRange
from tracking.errors import UserFacingError
from tracking.live import LiveTracker, SourceSpec, open_live_tracker, settings_for_models
from tracking.one_euro import OneEuroFilter2D, OneEuroParams
from tracking.types import Effector, GraspState, HeadAngles, TrackedSample, TrackingModel

# A hand missed for a few frames (motion blur, a fast turn) must not pause the game: 0.3 s is about 8 frames at
# 25-30 fps, short enough that a real loss is shown at once.
TRACKING_GRACE_S = 0.3
# Cursor smoothing in screen units: min cutoff 1 Hz removes the landmark jitter at rest; beta 0.7 keeps the lag
# small in a reach (Casiez et al. 2012 recommend tuning beta upward until lag is unnoticeable).
CURSOR_FILTER = OneEuroParams(min_cutoff_hz=1.0, beta=0.7)


@dataclass(frozen=True)
class SourceEnd:
    """Why the tracking source stopped, for a person; ``error`` is their error (a malformed recording line), which
    the command reports with exit status 2 when the game ends."""

    message: str
    error: UserFacingError | None = None


class TrackingInput:
    """Polls a :class:`~tracking.live.LiveTracker` and translates its samples into input events."""

    kind = InputKind.CAMERA

    def __init__(
        self,
        tracker: LiveTracker,
        *,
        reach: ReachRange,
        required: frozenset[Effector] = frozenset({Effector.HAND}),
        grace_s: float = TRACKING_GRACE_S,
        filter_params: OneEuroParams = CURSOR_FILTER,
        paused: bool = False,
        name: str | None = None,
    ) -> None:
        self.tracker = tracker
        self.name = tracker.info.name if name is None else name  # the file as the person named it
        self._paused = paused  # a file opened paused: start() starts it
        self._reach = reach
        self._required = required
        self._grace_s = grace_s
        self._filter = OneEuroFilter2D(filter_params)
        self._last_seen_s: dict[Effector, float] = {}
        self._seen: dict[Effector, bool] = dict.fromkeys(required, False)
        self._last_grasp: GraspState | None = None
        self._ended_reported = False

    @property
    def seen(self) -> frozenset[Effector]:
        """The required effectors seen now (each lost after :data:`TRACKING_GRACE_S` without it)."""
        return frozenset(effector for effector, seen in self._seen.items() if seen)

    def set_reach(self, reach: ReachRange) -> None:
        self._reach = reach
        self._filter.reset()

    def start(self) -> None:
        """Start a file that was opened paused (the level or calibration begins); a camera runs from opening."""
        if self._paused:
            self._paused = False
            self.tracker.start()

    @property
    def started(self) -> bool:
        return not self._paused

    def hold(self, held: bool) -> None:
        """Pause (``held``) or resume the source with the game: a file's clock stops and it resumes where it was."""
        if held:
            self.tracker.pause()
        else:
            self.tracker.resume()

    def wait_for_samples(self, timeout_s: float) -> bool:
        """Wait at most ``timeout_s`` until the tracker has a sample to poll; return whether it has.

        For the game loop's wait between frames: polling as soon as a sample is ready, not at the next frame, takes
        up to a frame interval (16.7 ms at 60 fps) off the latency from a camera frame to the game.
        """
        wait = getattr(self.tracker, "wait_for_samples", None)
        if wait is None:  # a stand-in tracker in tests, which cannot say: as if none came in time
            time.sleep(max(0.0, timeout_s))
            return False
        return bool(wait(timeout_s))

    @property
    def camera_waiting(self) -> str | None:
        """While the camera delivers no pictures and is being reopened, the message that says so; else ``None``."""
        # Stand-ins for the tracker in tests may lack camera_lost: they never lose a camera.
        lost = getattr(self.tracker, "camera_lost", False)
        return CAMERA_WAITING_MESSAGE if lost is True else None

    @property
    def end(self) -> SourceEnd | None:
        """``None`` while the source delivers; once it has ended or failed, what happened."""
        if not self.tracker.ended and self.tracker.error is None:
            return None
        message = self.tracker.error
        if message is None:
            message = f"{self.name} has played to its end."
        return SourceEnd(message, self.tracker.failure)

    def poll(self, pygame_events: list[pygame.event.Event], now_s: float) -> list[InputEvent]:
        events = key_commands(pygame_events, now_s)
        for sample in self.tracker.poll():
            events.extend(self._translate(sample, now_s))
        for effector in self._required:
            last_s = self._last_seen_s.get(effector)
            if self._seen[effector] and (last_s is None or now_s - last_s > self._grace_s):
                self._seen[effector] = False
                if effector is Effector.HAND:
                    self._filter.reset()
                events.append(TrackingLost(now_s, effector))
        end = self.end
        if not self._ended_reported and end is not None:
            self._ended_reported = True
            events.append(SourceEnded(now_s, end.message))
        return events

    def _mark_seen(self, effector: Effector, now_s: float, events: list[InputEvent]) -> None:
        self._last_seen_s[effector] = now_s
        if effector in self._seen and not self._seen[effector]:
            self._seen[effector] = True
            events.append(TrackingFound(now_s, effector))

    def _translate(self, sample: TrackedSample, now_s: float) -> list[InputEvent]:
        signals = sample.signals
        events: list[InputEvent] = [TrackedFrame(now_s, sample)]
        if signals.cursor_norm is not None:
            self._mark_seen(Effector.HAND, now_s, events)
            screen = self._reach.to_screen_norm(signals.cursor_norm, mirror=True)
            x_norm, y_norm = self._filter(signals.t_s, screen)
            events.append(CursorMoved(now_s, x_norm, y_norm))
        if signals.grasp_state is not None and signals.grasp_state is not self._last_grasp:
            self._last_grasp = signals.grasp_state
            events.append(GraspChanged(now_s, signals.grasp_state))
        if signals.head is not None:
            self._mark_seen(Effector.HEAD, now_s, events)
            events.append(HeadPose(now_s, signals.head))
        return events

    def close(self) -> None:
        self.tracker.close()


def source_end(source: InputSource) -> SourceEnd | None:
    """Whether ``source`` has ended: only tracking ends (the mouse and the keys never do)."""
    return source.end if isinstance(source, TrackingInput) else None


def camera_waiting(source: InputSource) -> str | None:
    """While ``source``'s camera delivers no pictures and is being reopened, a message for the player; else ``None``.

    ``None`` for the mouse, a file, or a camera that delivers. The game shows it instead of "Hand not seen": the
    level already waits (no samples come, so its effector is not seen and its clock stops).
    """
    return source.camera_waiting if isinstance(source, TrackingInput) else None


def hold_source(source: InputSource, held: bool) -> None:
    """Pause (``held``) or resume a file source with the player's pause; a camera stays live, the mouse has none."""
    if isinstance(source, TrackingInput):
        source.hold(held)


def start_source(source: InputSource) -> None:
    """Start a paused file source; nothing to do for a camera or the mouse."""
    if isinstance(source, TrackingInput):
        source.start()


@dataclass(frozen=True)
class TrackingOpener:
    """How the session opens (and reopens) its tracking source: a camera, a video file or a landmark recording.

    A file opens paused and starts when the level or the calibration begins; opening again plays it from its
    first frame ("play again" after it ended). ``clock`` paces a file (the game's clock).
    """

    spec: SourceSpec
    models: frozenset[TrackingModel]
    clock: Callable[[], float]
    required: frozenset[Effector]
    background: bool = False  # the tracking threads in the background (tracking.priority; --background-tracking)

    @property
    def is_file(self) -> bool:
        return self.spec.path is not None

    def open(self, *, reach: ReachRange, head_neutral: HeadAngles | None) -> TrackingInput:
        """Open the source (slow: MediaPipe loads). Raises :class:`~tracking.errors.SourceError` (or a recording's
        format error) with a message for a person."""
        max_hands, face_every_n = settings_for_models(self.models)  # hands+face: two hands
        tracker = open_live_tracker(
            self.spec, self.models, head_neutral=head_neutral, clock=self.clock, autostart=not self.is_file,
            max_hands=max_hands, face_every_n_frames=face_every_n, background=self.background,
        )
        return TrackingInput(
            tracker, reach=reach, required=self.required, paused=self.is_file, name=self.spec.describe()
        )

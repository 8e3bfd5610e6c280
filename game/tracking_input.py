"""Live tracking as input: tracked samples become the same events as the mouse produces.

The cursor is the palm centre mapped from the calibrated reach range to the screen, mirrored, then smoothed with
a One Euro filter for display only (analysis keeps the raw samples, passed on as :class:`TrackedFrame`). The hand
is declared lost after :data:`TRACKING_GRACE_S` without a hand, and found again on the next sample with one.
"""

from __future__ import annotations

import pygame

from game.input_events import (
    CursorMoved,
    GraspChanged,
    HeadPose,
    InputEvent,
    SourceEnded,
    TrackedFrame,
    TrackingFound,
    TrackingLost,
)
from game.input_source import InputKind, key_commands
from tracking.calibration import ReachRange
from tracking.frames import GraspState
from tracking.live import LiveTracker, TrackedSample
from tracking.one_euro import OneEuroFilter2D, OneEuroParams
from tracking.quality_types import Effector

# A hand missed for a few frames (motion blur, a fast turn) must not pause the game: 0.3 s is about 8 frames at
# 25-30 fps, short enough that a real loss is shown at once.
TRACKING_GRACE_S = 0.3
# Cursor smoothing in screen units: min cutoff 1 Hz removes the landmark jitter at rest; beta 0.7 keeps the lag
# small in a reach (Casiez et al. 2012 recommend tuning beta upward until lag is unnoticeable).
CURSOR_FILTER = OneEuroParams(min_cutoff_hz=1.0, beta=0.7)


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
    ) -> None:
        self.tracker = tracker
        self._reach = reach
        self._required = required
        self._grace_s = grace_s
        self._filter = OneEuroFilter2D(filter_params)
        self._last_seen_s: dict[Effector, float] = {}
        self._seen: dict[Effector, bool] = dict.fromkeys(required, False)
        self._last_grasp: GraspState | None = None
        self._ended_reported = False

    @property
    def hand_seen(self) -> bool:
        return self._seen.get(Effector.HAND, False)

    def set_reach(self, reach: ReachRange) -> None:
        self._reach = reach
        self._filter.reset()

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
        if not self._ended_reported and (self.tracker.ended or self.tracker.error is not None):
            self._ended_reported = True
            events.append(SourceEnded(now_s, self.tracker.error))
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

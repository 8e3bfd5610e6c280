"""The trace level's rules, pure and deterministic: ``step(state, events, dt_s) -> state``.

A guide moves at a set speed along a path (a line out and back, a circle, a figure-8); the patient follows it with
the cursor. One trial is one lap. Slow, continuous, low-resistance movement trains strength and motor control
without the sudden starts a reach needs. The guide waits at the start of the path during the rest between laps,
and it stands still whenever the level clock stops (:class:`levels.trial.TrialClock`: the hand not seen, or a
pause), so a lost hand never leaves the patient behind.

Measured per lap (in :attr:`TrialResult.measures`, for the therapist): the RMS distance from the cursor to the guide
(``tracking_error_rms_norm``, screen heights, over the time a cursor was there) and the fraction of the lap's time
the cursor was on the drawn path (``on_path_fraction``). Points grow with the fraction on the path; there is no
bonus for speed (the guide sets the pace).

Screen positions are 0..1 of the width (x) and height (y); lengths and widths are in screen heights, so a circle
stays round on any window shape.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
import numpy.typing as npt

from levels.common_rules import LevelStepper, PhasedState, end_trial, params_from_level
from levels.common_rules import screen_distance_norm as screen_distance_norm
from levels.events import CursorMoved, InputEvent
from levels.screen import ScreenShape
from levels.trace.schema import TraceLevel, TracePathName
from levels.trial import LevelProgress, Outcome
from tracking.types import Effector

FloatArray = npt.NDArray[np.float64]

# What the trace level moves: the hand's palm centre drives the cursor; the clock stops while it is not seen.
EFFECTOR = Effector.HAND
# Points for a lap followed wholly on the path; a lap scores this times the fraction of its time on the path.
LAP_POINTS = 100
# A lap counts as followed (a hit) when the cursor was on the path for at least half of it: a patient who lagged
# or drifted for the other half still kept with the movement's shape.
FOLLOWED_FRACTION = 0.5
# Space kept between the path's edge and the play area's edge (screen heights): the guide and the cursor around it
# stay wholly on screen.
PATH_MARGIN_NORM = 0.06
# How much of the free half-width a line spans and of the free radius a circle or figure-8 uses: large movements,
# yet inside the calibrated comfortable range (which fills the screen) with room to spare.
PATH_EXTENT_FRACTION = 0.85
# A figure-8's height over its width: two round loops side by side.
FIGURE8_HEIGHT_RATIO = 0.5
# Points sampled along each path: the polyline is within 0.1 % of the true curve at these sizes.
PATH_SAMPLES = 721


class Phase(enum.Enum):
    """Where the level is: resting between laps (the guide waits at the start) or tracing a lap."""

    RESTING = "resting"
    TRACING = "tracing"


@dataclass(frozen=True)
class TracePath:
    """A path as a polyline of screen points (0..1 of width and height) and its arc length in screen heights.

    ``points_norm`` starts where a lap starts; the guide at distance ``s`` along the path is found by interpolating
    on the cumulative arc length, so it moves at a constant speed whatever the curve.
    """

    points_norm: tuple[tuple[float, float], ...]
    screen_aspect: float

    @cached_property
    def _points_h(self) -> FloatArray:
        """The points in screen heights (x scaled by the aspect), one row each."""
        points: FloatArray = np.asarray(self.points_norm, dtype=np.float64) * np.array([self.screen_aspect, 1.0])
        return points

    @cached_property
    def _cumulative_norm(self) -> FloatArray:
        steps = np.hypot(*np.diff(self._points_h, axis=0).T)
        return np.concatenate(([0.0], np.cumsum(steps)))

    @property
    def length_norm(self) -> float:
        """The length of one lap, screen heights."""
        return float(self._cumulative_norm[-1])

    def at(self, distance_norm: float) -> tuple[float, float]:
        """Return the screen point ``distance_norm`` screen heights along the path (clipped to the lap)."""
        s = min(max(distance_norm, 0.0), self.length_norm)
        x = float(np.interp(s, self._cumulative_norm, self._points_h[:, 0])) / self.screen_aspect
        y = float(np.interp(s, self._cumulative_norm, self._points_h[:, 1]))
        return x, y

    def distance_to(self, point_norm: tuple[float, float]) -> float:
        """Return the shortest distance from a screen point to the path, screen heights."""
        p = np.array([point_norm[0] * self.screen_aspect, point_norm[1]])
        a, b = self._points_h[:-1], self._points_h[1:]
        ab = b - a
        lengths_sq = np.maximum(np.einsum("ij,ij->i", ab, ab), 1e-18)
        t = np.clip(np.einsum("ij,ij->i", p - a, ab) / lengths_sq, 0.0, 1.0)
        nearest = a + t[:, None] * ab
        return float(np.min(np.hypot(*(nearest - p).T)))


def path_shape(name: TracePathName, width_norm: float, screen: ScreenShape) -> TracePath:
    """Return the path ``name`` centred in the play area below the reserved top, wholly on screen.

    A line runs from the left to the right and back (a lap ends where it started); a circle goes once round,
    clockwise from its leftmost point (first up); a figure-8 starts at its crossing, goes up and right round the
    right loop, then round the left one.
    """
    aspect, top = screen.aspect, screen.top_reserved_norm
    centre_x, centre_y = aspect / 2.0, (top + 1.0) / 2.0
    margin = width_norm / 2.0 + PATH_MARGIN_NORM
    free_x = max(aspect / 2.0 - margin, 0.05)
    free_y = max((1.0 - top) / 2.0 - margin, 0.05)
    phi = np.linspace(0.0, 2.0 * math.pi, PATH_SAMPLES)
    if name == "line":
        half = free_x * PATH_EXTENT_FRACTION
        out_and_back = 1.0 - np.abs(phi / math.pi - 1.0)  # 0 at the left end, 1 at the right end, 0 again
        x_h = centre_x - half + 2.0 * half * out_and_back
        y_h = np.full_like(phi, centre_y)
    elif name == "circle":
        radius = min(free_x, free_y) * PATH_EXTENT_FRACTION
        x_h = centre_x - radius * np.cos(phi)
        y_h = centre_y - radius * np.sin(phi)
    else:
        half_width = min(free_x, free_y / FIGURE8_HEIGHT_RATIO) * PATH_EXTENT_FRACTION
        half_height = half_width * FIGURE8_HEIGHT_RATIO
        x_h = centre_x + half_width * np.sin(phi)
        y_h = centre_y - half_height * np.sin(2.0 * phi)
    points = tuple((float(x) / aspect, float(y)) for x, y in zip(x_h, y_h, strict=True))
    return TracePath(points_norm=points, screen_aspect=aspect)


@dataclass(frozen=True)
class TraceParams:
    """Tuning of one play of the level (from the level file) and its path on the play area's shape."""

    trials: int
    path_name: TracePathName
    speed_norm_per_s: float
    path_width_norm: float
    inter_trial_pause_s: float
    path: TracePath = field(compare=False)  # worked out from the other fields and the screen

    @property
    def screen_aspect(self) -> float:
        """The play area's width over its height."""
        return self.path.screen_aspect

    @property
    def lap_s(self) -> float:
        """How long the guide takes for one lap, seconds of level time."""
        return self.path.length_norm / self.speed_norm_per_s


def trace_params(level: TraceLevel, screen: ScreenShape) -> TraceParams:
    """Return the rules' parameters for ``level`` on a play area of ``screen``'s shape."""
    return params_from_level(
        TraceParams, level, path_name=level.path, path=path_shape(level.path, level.path_width_norm, screen)
    )


@dataclass(frozen=True)
class TraceState(PhasedState[TraceParams]):
    """The level between two steps: the phase, the guide's time on its lap, the cursor and the lap's sums."""

    phase: Phase = Phase.RESTING
    cursor: tuple[float, float] | None = None
    on_path: bool = False  # the cursor is on the path now (while tracing): the guide glows
    lap_on_path_s: float = 0.0  # time of this lap with the cursor on the path
    lap_tracked_s: float = 0.0  # time of this lap with a cursor on screen
    lap_squared_error_s: float = 0.0  # integral of the squared cursor-guide distance over the lap, height^2 * s

    @property
    def guide(self) -> tuple[float, float]:
        """Where the guide is: at the start while resting, then moving along the path at the level's speed."""
        if self.phase is Phase.RESTING:
            return self.params.path.at(0.0)
        return self.params.path.at(self.phase_elapsed_s * self.params.speed_norm_per_s)

    @property
    def lap_fraction(self) -> float:
        """How much of the lap the guide has gone (0 while resting)."""
        if self.phase is Phase.RESTING:
            return 0.0
        return min(self.phase_elapsed_s / self.params.lap_s, 1.0)


def start(level: TraceLevel, screen: ScreenShape, seen: frozenset[Effector]) -> TraceState:
    """Return ``level`` on ``screen`` before its first lap: the family's entry point (:mod:`levels.families`).

    ``seen``: the effectors seen now (none for a camera before the hand appears; the mouse is always seen).
    """
    params = trace_params(level, screen)
    return TraceState(params=params, progress=LevelProgress.start(params.trials, EFFECTOR, seen=seen))


def lap_measures(state: TraceState) -> dict[str, float]:
    """Return the lap's measures so far.

    The RMS cursor-guide distance (screen heights; only when a cursor was there) and the fraction of the lap's time
    on the path.
    """
    measures: dict[str, float] = {
        "on_path_fraction": state.lap_on_path_s / state.phase_elapsed_s if state.phase_elapsed_s > 0 else 0.0,
    }
    if state.lap_tracked_s > 0:
        measures["tracking_error_rms_norm"] = math.sqrt(state.lap_squared_error_s / state.lap_tracked_s)
    return measures


def _apply_events(state: TraceState, events: Iterable[InputEvent]) -> TraceState:
    """Apply the events: the cursor, the clock (seen, pause) and the source's end."""
    progress, cursor = state.progress, state.cursor
    for event in events:
        if isinstance(event, CursorMoved):
            cursor = (event.x_norm, event.y_norm)
        progress = progress.take(event)
    return replace(state, progress=progress, cursor=cursor)


def _end_lap(state: TraceState, *, unfinished: bool = False) -> TraceState:
    measures = lap_measures(state)
    on_path_fraction = measures["on_path_fraction"]
    if unfinished:
        outcome = Outcome.UNFINISHED
    else:
        outcome = Outcome.HIT if on_path_fraction >= FOLLOWED_FRACTION else Outcome.MISSED
    params = state.params
    return end_trial(
        state,
        outcome,
        trial_s=state.phase_elapsed_s,
        points=0 if unfinished else round(LAP_POINTS * on_path_fraction),
        params={
            "path": params.path_name,
            "speed_norm_per_s": params.speed_norm_per_s,
            "path_width_norm": params.path_width_norm,
            "lap_length_norm": params.path.length_norm,
        },
        measures=measures,
        phase=Phase.RESTING,
        on_path=False,
        lap_on_path_s=0.0,
        lap_tracked_s=0.0,
        lap_squared_error_s=0.0,
    )


def _trace(state: TraceState, dt_s: float) -> TraceState:
    """Add ``dt_s`` seconds of the lap (the guide already where it is at the end of them) to the lap's sums."""
    if state.cursor is None:
        return replace(state, on_path=False)
    params = state.params
    error = screen_distance_norm(state.cursor, state.guide, params.screen_aspect)
    on_path = params.path.distance_to(state.cursor) <= params.path_width_norm / 2.0
    return replace(
        state,
        on_path=on_path,
        lap_on_path_s=state.lap_on_path_s + (dt_s if on_path else 0.0),
        lap_tracked_s=state.lap_tracked_s + dt_s,
        lap_squared_error_s=state.lap_squared_error_s + error * error * dt_s,
    )


def _advance(state: TraceState, dt_s: float) -> TraceState:
    """Return the state after ``dt_s`` seconds of running clock: the lap starts after the rest, or goes on."""
    if state.phase is Phase.RESTING:
        if state.phase_elapsed_s >= state.params.inter_trial_pause_s:
            return replace(state, phase=Phase.TRACING, phase_elapsed_s=0.0)
        return state
    state = _trace(state, dt_s)
    if state.phase_elapsed_s >= state.params.lap_s:
        return _end_lap(state)
    return state


# The family's step (:mod:`levels.families`): ``step(state, events, dt_s)`` advances the level by ``dt_s`` seconds
# of game time after applying ``events``.
step: LevelStepper[TraceState] = LevelStepper(
    _apply_events,
    _advance,
    lambda state, outcome: _end_lap(state, unfinished=outcome is Outcome.UNFINISHED),
    frozenset({Phase.TRACING}),
    while_frozen=lambda state: replace(state, on_path=False),  # the guide waits where it is
)

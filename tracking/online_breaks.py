"""Breaks found while they happen, sample by sample, for live biofeedback: a gentle mark within half a second.

The offline analysis (:mod:`tracking.breaks`) sees a whole movement, from rest to rest, and filters it forwards and
backwards; live, only the past is known. :class:`OnlineBreakDetector` follows the effector with causal one-pole
low-passes and finds, as soon as it can tell:

- an **arrest**: the speed falls under ``stop_fraction`` of the movement's peak for ``stop_hold_s``. With a target,
  a stop short of it (farther than ``near_target_fraction`` of the trial's distance) is marked at once; without
  one, a stop cannot be told from the end of the movement until the effector sets off again (speed back over
  ``restart_fraction`` of the peak within ``rest_s``), and is marked then;
- a **reversal**: the progress along the movement's direction (towards the target when there is one, else towards
  the farthest point so far) falls back by ``reversal_fraction`` of the trial's distance (or of the amplitude so
  far). With a target that is turning away from it, marked at once; without one, when the movement goes on again
  by as much (out and back again is a gesture, not a reversal);
- a **jerk**: the raw position leaves its slower trend sideways (across the direction to the target) by more than
  ``jerk_min_fraction`` of the trial's distance. Without a target the direction is the trend's own last step,
  which turns with the spasm: live, sideways jerks are then rarely caught (the offline analysis still counts them).

It also gives a live **steadiness** (0 to 1): one minus the RMS of that sideways wobble over ``steadiness_window_s``
relative to the jerk threshold; 1 while still. The same thresholds as the offline analysis where they exist
(:class:`~tracking.quality_types.QualityParams`); the delay from a break to its mark is measured on the synthetic
reaches by ``tests/support/online_marks.py`` (with a target: median about 0.05 s, at most 0.25 s; without one,
about 0.2-0.3 s, at most 0.45 s) and checked in ``tests/unit/tracking/test_online_breaks.py``.

Pure: numpy only, a few microseconds a sample. Training feedback, not a diagnosis.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tracking.quality_types import Break, BreakKind
from tracking.types import Effector, FloatArray


@dataclass(frozen=True)
class OnlineParams:
    """Thresholds of the live detector, with their basis."""

    # Causal one-pole low-pass of the position: the offline analysis's 6 Hz (QualityParams.lowpass_cutoff_hz,
    # Winter 2009) at the cost of ~27 ms of lag.
    smoothing_hz: float = 6.0
    # The sideways jerk's trend: slower, so that a spasm of 0.08-0.2 s stands out of it (the offline along-path
    # trend is 3.5 Hz, QualityParams.along_jerk_trend_hz; design choice, checked on the synthetic reaches).
    jerk_trend_hz: float = 3.0
    # A stop: speed under this share of the movement's peak (QualityParams.arrest_valley_fraction) for stop_hold_s
    # (design choice: shorter than the shortest synthetic arrest, 0.12 s; three frames at 25-30 fps).
    stop_fraction: float = 0.10
    stop_hold_s: float = 0.08
    # Without a target, an arrest is told from the movement's end when the speed climbs back over this share of the
    # peak (design choice: over the flank rule of the offline arrest, QualityParams.arrest_flank_fraction is 0.3).
    restart_fraction: float = 0.25
    # A stop this long is rest: the movement is over (QualityParams.rest_min_s).
    rest_s: float = 0.5
    # Reversal and homing-in, as in tracking.task_breaks.TaskParams.
    reversal_fraction: float = 0.10
    near_target_fraction: float = 0.30
    # A sideways jerk: at least this share of the trial's distance (tracking.task_breaks.TaskParams.min_jerk_fraction
    # less the part of a 0.08-0.2 s spasm that the causal trend follows; checked on the synthetic reaches).
    jerk_min_fraction: float = 0.025
    # Marks of one break come once: none within this time of the last (over QualityParams.merge_s).
    refractory_s: float = 0.4
    steadiness_window_s: float = 1.0


def _pole(cutoff_hz: float, dt_s: float) -> float:
    """Return the one-pole low-pass coefficient for ``cutoff_hz`` at a step of ``dt_s``."""
    return 1.0 - math.exp(-2.0 * math.pi * cutoff_hz * dt_s)


def _finite_point(point: Sequence[float] | None) -> FloatArray | None:
    """Return ``point`` as an array, or ``None`` when it is missing or not finite (then nothing is judged by it)."""
    if point is None:
        return None
    array = np.asarray(point, dtype=np.float64)
    return array if bool(np.all(np.isfinite(array))) else None


class OnlineBreakDetector:
    """Live breaks and steadiness of one trial's effector, fed one sample at a time (:meth:`push`).

    Parameters
    ----------
    effector
        What moves (the breaks name it).
    least_amplitude
        The least movement that counts, in the effector's units (``QualityParams.min_hand_amplitude_norm`` times
        the image width for the hand, ``min_head_amplitude_deg`` for the head).
    start, target
        Where the trial began and where it asks the effector to go (effector units); without ``target`` the
        detector judges each movement against its own direction.
    """

    def __init__(
        self,
        effector: Effector,
        *,
        least_amplitude: float,
        start: Sequence[float] | None = None,
        target: Sequence[float] | None = None,
        params: OnlineParams | None = None,
    ) -> None:
        self.effector = effector
        self.params = params or OnlineParams()
        self.least_amplitude = least_amplitude
        self._target = _finite_point(target)
        self._start = _finite_point(start)
        self._last_t: float | None = None
        self._smooth: FloatArray | None = None
        self._trend: FloatArray | None = None
        self._speed = 0.0
        self._origin: FloatArray | None = None
        self._moving = False
        self._peak = 0.0
        self._stop_since: float | None = None
        self._stop_marked = False
        self._far = 0.0
        self._far_t = 0.0
        self._trough: float | None = None
        self._far_point: FloatArray | None = None
        self._turn_point: FloatArray | None = None
        self._last_mark_t = -math.inf
        self._wobble: deque[tuple[float, float]] = deque()

    # --- the trial's scale -------------------------------------------------------------------------------------

    def _distance(self) -> float | None:
        if self._target is None or self._origin is None:
            return None
        start = self._start if self._start is not None else self._origin
        distance = float(np.linalg.norm(self._target - start))
        return distance if distance > self.least_amplitude else None

    def _scale(self) -> float:
        """Return the length breaks are measured against: the trial's distance, else the amplitude so far."""
        distance = self._distance()
        return distance if distance is not None else max(self._far, self.least_amplitude)

    def _near_target(self, position: FloatArray) -> bool:
        distance = self._distance()
        if distance is None or self._target is None:
            return False
        return float(np.linalg.norm(self._target - position)) <= self.params.near_target_fraction * distance

    def _direction(self, position: FloatArray) -> FloatArray | None:
        assert self._origin is not None
        if self._distance() is not None and self._target is not None:
            towards = self._target - (self._start if self._start is not None else self._origin)
        else:
            if self._far_point is None or np.linalg.norm(position - self._origin) > np.linalg.norm(
                self._far_point - self._origin
            ):
                self._far_point = position.copy()
            towards = self._far_point - self._origin
        length = float(np.linalg.norm(towards))
        return towards / length if length > 0 else None

    # --- one sample --------------------------------------------------------------------------------------------

    def push(self, t_s: float, position: Sequence[float] | FloatArray | None) -> list[Break]:
        """Take the sample at ``t_s`` (``None``: not tracked) and return the breaks it reveals (usually none)."""
        if position is None or not math.isfinite(t_s):
            return []
        raw = np.asarray(position, dtype=np.float64)
        if not np.all(np.isfinite(raw)):
            return []
        if self._smooth is None or self._trend is None or self._last_t is None or t_s <= self._last_t:
            self._smooth, self._trend, self._last_t, self._origin = raw.copy(), raw.copy(), t_s, raw.copy()
            return []
        dt_s = t_s - self._last_t
        self._last_t = t_s
        previous = self._smooth
        self._smooth = previous + _pole(self.params.smoothing_hz, dt_s) * (raw - previous)
        previous_trend = self._trend
        self._trend = previous_trend + _pole(self.params.jerk_trend_hz, dt_s) * (raw - previous_trend)
        self._speed = float(np.linalg.norm(self._smooth - previous)) / dt_s
        found = self._follow_movement(t_s, self._smooth)
        found += self._jerk(t_s, raw, self._trend_step(previous_trend))
        kept = [event for event in found if event.t_s - self._last_mark_t >= self.params.refractory_s]
        if kept:
            self._last_mark_t = max(event.t_s for event in kept)
        return kept[:1]

    def _follow_movement(self, t_s: float, position: FloatArray) -> list[Break]:
        assert self._origin is not None
        if not self._moving:
            if float(np.linalg.norm(position - self._origin)) >= self.least_amplitude:
                self._moving, self._peak, self._far, self._trough = True, self._speed, 0.0, None
                self._stop_since, self._far_point = None, None
            else:
                self._origin = self._origin + 0.05 * (position - self._origin)  # follows a slow drift at rest
                return []
        self._peak = max(self._peak, self._speed)
        return self._arrest(t_s, position) + self._reversal(t_s, position)

    def _arrest(self, t_s: float, position: FloatArray) -> list[Break]:
        params = self.params
        if self._speed < params.stop_fraction * self._peak:
            if self._stop_since is None:
                self._stop_since, self._stop_marked = t_s, False
            held_s = t_s - self._stop_since
            if held_s >= params.rest_s:  # rest: the movement is over
                self._moving, self._origin, self._stop_since = False, position.copy(), None
                return []
            short = self._distance() is not None and not self._near_target(position)
            if short and held_s >= params.stop_hold_s and not self._stop_marked:
                self._stop_marked = True
                return [Break(self._stop_since, BreakKind.ARREST, self.effector, 1.0)]
            return []
        if self._stop_since is not None and self._speed >= params.restart_fraction * self._peak:
            stopped_at, held_s = self._stop_since, t_s - self._stop_since
            self._stop_since = None
            short = self._distance() is None or not self._near_target(position)
            told = short and not self._stop_marked and held_s >= params.stop_hold_s
            if told:
                return [Break(stopped_at + held_s / 2, BreakKind.ARREST, self.effector, 1.0)]
        return []

    def _reversal(self, t_s: float, position: FloatArray) -> list[Break]:
        assert self._origin is not None
        direction = self._direction(position)
        if direction is None:
            return []
        progress = float((position - self._origin) @ direction)
        if progress > self._far:
            self._far, self._far_t, self._trough, self._turn_point = progress, t_s, None, position.copy()
            return []
        least = self.params.reversal_fraction * self._scale()
        if self._far - progress < least or self._far < self.least_amplitude:
            if self._trough is not None:
                self._trough = min(self._trough, progress)
            return []
        with_target = self._distance() is not None
        if with_target:
            turned_at = self._far_t
            self._far = progress  # marked: the next reversal must first go on again
            if self._turn_point is not None and self._near_target(self._turn_point):
                return []  # turning while homing in near the target is a correction
            return [Break(turned_at, BreakKind.REVERSAL, self.effector, least / self._scale())]
        self._trough = progress if self._trough is None else min(self._trough, progress)
        if progress - self._trough >= least:  # on again by as much: a reversal
            turned_at, self._far = self._far_t, progress
            self._trough = None
            return [Break(turned_at, BreakKind.REVERSAL, self.effector, least / self._scale())]
        return []

    def _trend_step(self, previous_trend: FloatArray) -> FloatArray:
        """Return the direction the movement is meant to go: towards the target, else the trend's last step."""
        if self._distance() is not None and self._target is not None:
            return self._target - (self._start if self._start is not None else previous_trend)
        assert self._trend is not None
        return self._trend - previous_trend

    def _jerk(self, t_s: float, raw: FloatArray, step: FloatArray) -> list[Break]:
        assert self._trend is not None
        offset = raw - self._trend
        length = float(np.linalg.norm(step))
        if length > 0:
            along = step / length
            offset = offset - (offset @ along) * along
        sideways = float(np.linalg.norm(offset))
        self._wobble.append((t_s, sideways))
        while self._wobble and self._wobble[0][0] < t_s - self.params.steadiness_window_s:
            self._wobble.popleft()
        if not self._moving:
            return []
        if sideways >= self._jerk_threshold():
            return [Break(t_s, BreakKind.JERK, self.effector, sideways / self._scale())]
        return []

    def _jerk_threshold(self) -> float:
        return max(self.params.jerk_min_fraction * self._scale(), 0.5 * self.least_amplitude)

    @property
    def steadiness(self) -> float:
        """Return how steady the effector is now, 0 (wobbling like a spasm) to 1 (steady or still)."""
        if not self._wobble:
            return 1.0
        rms = math.sqrt(sum(value * value for _, value in self._wobble) / len(self._wobble))
        return float(min(max(1.0 - rms / self._jerk_threshold(), 0.0), 1.0))

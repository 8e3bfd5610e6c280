"""Breaks judged against the task: a level's trial defines the intended movement, from a start to a target.

The free analysis (:mod:`tracking.breaks`) knows no task: it measures each movement against its own direction
(from its start to its farthest point) and its own peak speed. In a level the trial says where the movement
should go, and :func:`judge_against_task` keeps only the breaks that work against it:

- a **reversal** counts only when the effector turns back *away from the target*: its distance to the target grows
  by at least ``reversal_fraction`` of the trial's distance within ``reversal_window_s`` of the turn;
- an **arrest** counts only when the effector *stops* (speed under ``stop_fraction`` of the trial's peak speed)
  short of the target; a slow-down while the path turns a corner is not a stop (speed falls with curvature in
  every healthy movement: the two-thirds power law, Lacquaniti, Terzuolo & Viviani 1983, Acta Psychol 54:115-130);
- a **jerk** counts only when its displacement is at least ``min_jerk_fraction`` of the trial's distance;
- no arrest, jerk or reversal counts inside a movement whose amplitude is under ``min_movement_fraction`` of the
  trial's distance (a fidget); no arrest or reversal within ``near_target_fraction`` of the trial's distance from
  the target: the slowing, stopping and turning of corrective sub-movements while homing in are normal (Meyer et
  al. 1988, Psychol Rev 95:340-370; Elliott, Helsen & Chua 2001, Psychol Bull 127:342-357: the primary
  sub-movement covers most of the distance, corrections follow near the target); a sideways spasm there is no
  correction and is judged by its size;
- posture breaks and tremor do not depend on the path and are kept as they are.

Positions are in the effector's units (image pixels for the hand, degrees for the head); ``start`` and ``target``
in the same units. Pure: numpy only. Training feedback, not a diagnosis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from tracking.filtering import to_uniform_grid, tracked_segments
from tracking.quality_types import Break, BreakKind, QualityParams, QualityResult
from tracking.types import FloatArray

# The kinds judged against the path; the others (posture, tremor) are kept as the free analysis found them.
PATH_KINDS = frozenset({BreakKind.ARREST, BreakKind.JERK, BreakKind.REVERSAL})
# Below this trial distance (effector units) the task has no direction: the free definitions apply.
_MIN_TRIAL_DISTANCE = 1e-6


@dataclass(frozen=True)
class TaskParams:
    """Thresholds of the task-aware judgement, as fractions of the trial's distance (start to target).

    All are design choices grounded as noted, checked on the synthetic reaches of :mod:`tracking.synthetic`
    (every injected break still counts, tests/unit/tracking/test_task_breaks.py) and on the healthy natural gesture
    of the shared hand video (2 breaks free, none against its task).
    """

    # Corrections while homing in: the primary sub-movement of an aimed movement covers most of the distance and
    # corrective sub-movements follow in the last part (Meyer et al. 1988; Elliott et al. 2001); 30% of the
    # distance is generous for a patient whose first sub-movement falls short.
    near_target_fraction: float = 0.30
    # A stop: the speed falls under this share of the trial's peak speed (the free analysis's own valley rule,
    # QualityParams.arrest_valley_fraction, without its "half of the flanking peak" dip rule).
    stop_fraction: float = 0.10
    # Half-width (s) of the window around an arrest's time in which the speed must fall that low.
    stop_window_s: float = 0.12
    # Turning away: the distance to the target grows by at least this share of the trial's distance (the free
    # analysis's QualityParams.reversal_fraction, measured against the target instead of the movement's own path).
    reversal_fraction: float = 0.10
    reversal_window_s: float = 1.0
    # A jerk smaller than this share of the trial's distance does not matter to the task (the free analysis's
    # QualityParams.jerk_min_amplitude_fraction of 3.5% is relative to the movement itself).
    min_jerk_fraction: float = 0.05
    # A movement whose amplitude is under this share of the trial's distance is a fidget, not part of the task.
    min_movement_fraction: float = 0.20


@dataclass(frozen=True)
class _Path:
    """The filtered track on its uniform grid (NaN where untracked) and its speed."""

    t_s: FloatArray
    positions: FloatArray
    speed: FloatArray

    def index_at(self, t_s: float) -> int:
        return int(np.clip(np.searchsorted(self.t_s, t_s), 0, self.t_s.size - 1))

    def window(self, low_s: float, high_s: float) -> slice:
        return slice(self.index_at(low_s), self.index_at(high_s) + 1)


def _filtered_path(t_s: FloatArray, positions: FloatArray, params: QualityParams) -> _Path:
    track = to_uniform_grid(t_s, positions)
    segments = tracked_segments(track, max_gap_frames=params.max_gap_frames, cutoff_hz=params.lowpass_cutoff_hz)
    dims = positions.shape[1]
    filtered = np.full((track.t_s.size, dims), np.nan)
    speed = np.full(track.t_s.size, np.nan)
    for segment in segments:
        filtered[segment.start : segment.stop] = segment.positions
        speed[segment.start : segment.stop] = segment.speed
    return _Path(track.t_s, filtered, speed)


def _distance(path: _Path, part: slice, target: FloatArray) -> FloatArray:
    return np.asarray(np.linalg.norm(path.positions[part] - target, axis=1), dtype=np.float64)


def _nanmax(values: FloatArray) -> float:
    finite = values[np.isfinite(values)]
    return float(finite.max()) if finite.size else float("nan")


def _nanmin(values: FloatArray) -> float:
    finite = values[np.isfinite(values)]
    return float(finite.min()) if finite.size else float("nan")


def _movement_amplitude(result: QualityResult, path: _Path, t_s: float) -> float:
    """Return the amplitude (farthest distance from its start) of the movement holding ``t_s``, or NaN."""
    for movement in result.movements:
        if movement.start_s <= t_s <= movement.end_s:
            part = path.positions[path.window(movement.start_s, movement.end_s)]
            part = part[np.all(np.isfinite(part), axis=1)]
            if part.size:
                return float(np.linalg.norm(part - part[0], axis=1).max())
    return float("nan")


def _counts(event: Break, result: QualityResult, path: _Path, target: FloatArray, distance: float,
            peak_speed: float, params: TaskParams) -> bool:
    """Whether a path break works against the task (see the module docstring)."""
    at = path.index_at(event.t_s)
    here = _distance(path, slice(at, at + 1), target)[0]
    homing = event.kind is not BreakKind.JERK  # a spasm near the target is no correction: judged by its size
    if homing and np.isfinite(here) and here <= params.near_target_fraction * distance:
        return False
    amplitude = _movement_amplitude(result, path, event.t_s)
    if np.isfinite(amplitude) and amplitude < params.min_movement_fraction * distance:
        return False
    if event.kind is BreakKind.ARREST:
        slowest = _nanmin(path.speed[path.window(event.t_s - params.stop_window_s, event.t_s + params.stop_window_s)])
        return bool(slowest < params.stop_fraction * peak_speed)
    if event.kind is BreakKind.REVERSAL:
        ahead = _distance(path, path.window(event.t_s, event.t_s + params.reversal_window_s), target)
        return bool(_nanmax(ahead) - here >= params.reversal_fraction * distance)
    # a jerk: its severity is its displacement as a fraction of its movement's amplitude
    displacement = event.severity * amplitude if np.isfinite(amplitude) else 0.0
    return bool(displacement >= params.min_jerk_fraction * distance)


def judge_against_task(
    result: QualityResult,
    t_s: FloatArray,
    positions: FloatArray,
    *,
    start: Sequence[float] | FloatArray,
    target: Sequence[float] | FloatArray,
    params: TaskParams | None = None,
    quality: QualityParams | None = None,
) -> QualityResult:
    """Keep only the breaks of ``result`` that work against the movement from ``start`` to ``target``.

    Parameters
    ----------
    result
        The free analysis of the trial (:func:`tracking.analysis.analyze_track` or ``assess_trial``).
    t_s, positions
        The trial's sample times (s) and positions (N, D) in the effector's units, NaN rows where untracked: the
        same input the analysis had.
    start, target
        Where the effector was when the trial began and where the trial asked it to go (effector units).
    params, quality
        Task thresholds (:class:`TaskParams`) and the analysis's filtering settings (:class:`QualityParams`).

    Returns
    -------
    QualityResult
        The same movements (with their smoothness) and breaks, less those that do not work against the task.
        A trial whose start is its target, or whose start or target is not a number (no direction), keeps the
        free definitions.
    """
    settings = params or TaskParams()
    goal = np.asarray(target, dtype=np.float64)
    origin = np.asarray(start, dtype=np.float64)
    if not (np.all(np.isfinite(goal)) and np.all(np.isfinite(origin))):  # no direction to judge against
        return result
    distance = float(np.linalg.norm(goal - origin))
    if distance < _MIN_TRIAL_DISTANCE or not any(event.kind in PATH_KINDS for event in result.breaks):
        return result
    path = _filtered_path(np.asarray(t_s, dtype=np.float64), np.asarray(positions, dtype=np.float64),
                          quality or QualityParams())
    peak_speed = max((movement.peak_speed_units_per_s for movement in result.movements), default=0.0)
    kept = tuple(
        event for event in result.breaks
        if event.kind not in PATH_KINDS or _counts(event, result, path, goal, distance, peak_speed, settings)
    )
    movements = tuple(
        replace(movement, breaks=tuple(event for event in movement.breaks if event in kept))
        for movement in result.movements
    )
    return QualityResult(result.effector, movements, kept)

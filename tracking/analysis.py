"""Movement quality of one effector's track: movements, smoothness and dystonic breaks (the pure analysis core).

numpy and scipy only: no file, no video, no MediaPipe. Live, the game calls :func:`assess_trial` at each trial's
end (a 10 s trial takes a few milliseconds); offline, :mod:`tracking.analysis_input` reads a file and calls
:func:`analyze_track`. Times are seconds from the start of the input, as the source stamps them. The measures are
training feedback, not clinical scores.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from tracking.breaks import (
    MovementSamples,
    along_path_residual,
    jerk_threshold,
    merge_close,
    movement_breaks,
    off_path_residual,
    segment_breaks,
)
from tracking.filtering import Segment, to_uniform_grid, tracked_segments
from tracking.hand_signals import palm_centre_norm
from tracking.limits import MAX_ABS_ANGLE_DEG, MAX_ABS_COORD_NORM, MAX_FPS
from tracking.quality_types import Break, MovementQuality, QualityParams, QualityResult
from tracking.segmentation import resting_jitter_speed, segment_movements
from tracking.smoothness import ldlj, sparc, velocity_peaks
from tracking.types import Effector, FloatArray, TrackedSample

__all__ = ["EffectorTracks", "SpeedTrace", "analyze_track", "assess_trial", "effector_track", "effector_tracks"]


@dataclass(frozen=True)
class SpeedTrace:
    """The filtered speed of ``effector`` on the input's uniform grid, for plots.

    In the effector's :attr:`~Effector.unit` per second; NaN where it was not tracked.
    """

    t_s: FloatArray
    speed_units_per_s: FloatArray
    effector: Effector

    @property
    def unit(self) -> str:
        """The speed's unit: ``"px/s"`` or ``"deg/s"``."""
        return f"{self.effector.unit}/s"


@dataclass(frozen=True)
class EffectorTracks:
    """Both effectors of one input, sample by sample, NaN where untracked.

    ``t_s`` (N,) seconds; ``hand_px`` (N, 2): the palm centre (mean of MediaPipe hand landmarks 0, 5, 9, 13, 17) in
    image pixels; ``head_deg`` (N, 3): yaw, pitch and roll in degrees from the samples' signals.
    """

    t_s: FloatArray
    hand_px: FloatArray
    head_deg: FloatArray

    def positions(self, effector: Effector) -> FloatArray:
        """Return the effector's positions: ``hand_px`` or ``head_deg``."""
        return self.hand_px if effector is Effector.HAND else self.head_deg

    def tracked_frames(self, effector: Effector) -> int:
        """Return the number of samples in which ``effector`` was tracked."""
        return int(np.all(np.isfinite(self.positions(effector)), axis=1).sum())


def _plausible(values: tuple[float, ...], limit: float, scale: tuple[float, ...]) -> tuple[float, ...]:
    """``values`` times ``scale``, or NaN (untracked) when one is not a number or beyond ``limit``.

    The limits are those a recording may hold (:mod:`tracking.limits`): beyond them a value is no tracked body, and
    1e308 would overflow the analysis's arithmetic into infinities.
    """
    if all(abs(value) <= limit for value in values):
        return tuple(value * factor for value, factor in zip(values, scale, strict=True))
    return (math.nan,) * len(values)


def effector_tracks(samples: Iterable[TrackedSample], *, width_px: int, height_px: int) -> EffectorTracks:
    """Return the hand's and the head's positions in every sample (``width_px`` x ``height_px``: the image size).

    A palm centre beyond :data:`~tracking.limits.MAX_ABS_COORD_NORM` or a head angle beyond
    :data:`~tracking.limits.MAX_ABS_ANGLE_DEG` counts as untracked (NaN), as a value that is not a number does.
    """
    times: list[float] = []
    hand_rows: list[tuple[float, ...]] = []
    head_rows: list[tuple[float, ...]] = []
    for sample in samples:
        times.append(sample.frame.t_s)
        hand = sample.frame.primary_hand()
        palm = (math.nan, math.nan) if hand is None else palm_centre_norm(hand)
        hand_rows.append(_plausible(palm, MAX_ABS_COORD_NORM, (width_px, height_px)))
        head = sample.signals.head
        angles = (math.nan,) * 3 if head is None else (head.yaw_deg, head.pitch_deg, head.roll_deg)
        head_rows.append(_plausible(angles, MAX_ABS_ANGLE_DEG, (1.0, 1.0, 1.0)))
    return EffectorTracks(
        t_s=np.asarray(times, dtype=np.float64),
        hand_px=np.asarray(hand_rows, dtype=np.float64).reshape(-1, 2),
        head_deg=np.asarray(head_rows, dtype=np.float64).reshape(-1, 3),
    )


def effector_track(
    samples: Iterable[TrackedSample], *, effector: Effector, width_px: int, height_px: int
) -> tuple[FloatArray, FloatArray]:
    """Return times (s) and one effector's positions (:class:`EffectorTracks`), NaN where it was not tracked."""
    tracks = effector_tracks(samples, width_px=width_px, height_px=height_px)
    return tracks.t_s, tracks.positions(effector)


def _measure(movement: MovementSamples, breaks: tuple[Break, ...]) -> MovementQuality:
    steps = np.linalg.norm(np.diff(movement.positions, axis=0), axis=1)
    speed = movement.speed
    return MovementQuality(
        effector=movement.effector,
        start_s=float(movement.t_s[0]),
        end_s=float(movement.t_s[-1]),
        peak_speed_units_per_s=float(speed.max()),
        path_length_units=float(steps.sum()),
        sparc=sparc(speed, movement.fs_hz),
        ldlj=ldlj(speed, movement.fs_hz),
        velocity_peaks=velocity_peaks(speed),
        breaks=breaks,
    )


def _movements_of(
    segments: Sequence[Segment], grid_t_s: FloatArray, fs_hz: float, *, effector: Effector, params: QualityParams
) -> list[MovementSamples]:
    jitter = resting_jitter_speed([s.speed for s in segments], fs_hz, params=params)
    movements = []
    for segment in segments:
        for span in segment_movements(segment.speed, fs_hz, jitter_speed=jitter, params=params):
            part = slice(span.start, span.stop)
            movements.append(
                MovementSamples(
                    t_s=grid_t_s[segment.start : segment.stop][part],
                    positions=segment.positions[part],
                    raw_positions=segment.raw_positions[part],
                    speed=segment.speed[part],
                    fs_hz=fs_hz,
                    effector=effector,
                )
            )
    return movements


def analyze_track(
    t_s: FloatArray,
    positions: FloatArray,
    *,
    effector: Effector,
    params: QualityParams | None = None,
    width_px: int,
    fs_hz: float | None = None,
    head_target_deg: Sequence[float] | FloatArray | None = None,
) -> tuple[QualityResult, SpeedTrace]:
    """Movements, smoothness and breaks of one effector's track.

    Parameters
    ----------
    t_s, positions
        Sample times (s) and positions: (N, 2) pixels for the hand, (N, 3) degrees for the head; NaN rows where
        the effector was not tracked.
    width_px
        Image width: hand thresholds given as fractions of it (minimum amplitude, tremor floor) become pixels.
    fs_hz
        Grid rate; default 1 / median interval of ``t_s`` (repeated times left out).
    head_target_deg
        Target posture (yaw, pitch, roll) for posture breaks; ``None``: no posture breaks.

    Raises
    ------
    ValueError
        Sample times that are not numbers, go backwards, are all the same, or whose median step is under
        1 / ``MAX_FPS`` (:mod:`tracking.limits`): no camera delivers them.
    """
    settings = params or QualityParams()
    track = to_uniform_grid(t_s, positions, fs_hz=fs_hz)
    if track.fs_hz > MAX_FPS:  # the low-pass filter cannot even be designed at 10^12 Hz
        raise ValueError(f"samples {1 / track.fs_hz:.3g} s apart; expected at most {MAX_FPS:g} frames a second")
    trace_speed = np.full(track.t_s.size, np.nan)
    if track.t_s.size < 2:
        return QualityResult(effector, (), ()), SpeedTrace(track.t_s, trace_speed, effector)
    segments = tracked_segments(track, max_gap_frames=settings.max_gap_frames, cutoff_hz=settings.lowpass_cutoff_hz)
    for segment in segments:
        trace_speed[segment.start : segment.stop] = segment.speed
    least_amplitude = (
        settings.min_hand_amplitude_norm * width_px if effector is Effector.HAND else settings.min_head_amplitude_deg
    )
    movements = [
        m for m in _movements_of(segments, track.t_s, track.fs_hz, effector=effector, params=settings)
        if m.direction()[1] >= least_amplitude
    ]
    residuals = [off_path_residual(m, params=settings) for m in movements]
    threshold = jerk_threshold(residuals, params=settings)
    along = [along_path_residual(m, params=settings) for m in movements]
    along_threshold = jerk_threshold(along, params=settings)
    per_movement = [
        movement_breaks(movement, residual, jerk_threshold=threshold, params=settings, along_residual=forward,
                        along_threshold=along_threshold)
        for movement, residual, forward in zip(movements, residuals, along, strict=True)
    ]
    target = None if head_target_deg is None else np.asarray(head_target_deg, dtype=np.float64)
    if effector is Effector.HAND:
        min_tremor_rms = settings.tremor_min_hand_rms_norm * width_px
    else:
        min_tremor_rms = settings.tremor_min_head_rms_deg
    others = segment_breaks(
        segments, grid_t_s=track.t_s, fs_hz=track.fs_hz, effector=effector, params=settings,
        head_target_deg=target, min_tremor_rms=min_tremor_rms,
    )
    all_breaks = merge_close([b for events in per_movement for b in events] + others, params=settings)
    qualities = []
    for movement in movements:
        inside = tuple(b for b in all_breaks if movement.t_s[0] <= b.t_s <= movement.t_s[-1])
        qualities.append(_measure(movement, inside))
    result = QualityResult(effector, tuple(qualities), tuple(all_breaks))
    return result, SpeedTrace(track.t_s, trace_speed, effector)


def assess_trial(
    samples: Sequence[TrackedSample],
    *,
    effector: Effector,
    width_px: int,
    height_px: int,
    params: QualityParams | None = None,
    head_target_deg: Sequence[float] = (0.0, 0.0, 0.0),
) -> QualityResult:
    """Movement quality of one trial, for the game at the trial's end (live).

    Parameters
    ----------
    samples
        The trial's tracked samples in order (every frame, tracked or not).
    effector
        HAND: palm centre in pixels of a ``width_px`` x ``height_px`` image; HEAD: the signals' head angles.
    head_target_deg
        The trial's target head posture (yaw, pitch, roll) relative to the calibrated neutral.
    """
    t_s, positions = effector_track(samples, effector=effector, width_px=width_px, height_px=height_px)
    target = head_target_deg if effector is Effector.HEAD else None
    result, _ = analyze_track(
        t_s, positions, effector=effector, params=params, width_px=width_px, head_target_deg=target
    )
    return result

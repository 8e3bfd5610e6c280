"""From tracked positions to analysable kinematics: uniform time grid, short gaps filled, zero-phase low-pass, speed.

Pure numpy/scipy. Analysis always starts from the raw (unsmoothed) landmarks; the One Euro filter is for display.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.signal import butter, sosfiltfilt

from tracking.frames import FloatArray

# Winter DA (2009), Biomechanics and Motor Control of Human Movement, 4th ed., ch. 3: arm and hand movement
# has nearly all its power below ~6 Hz, so a 6 Hz low-pass removes tracking jitter without distorting reaches.
LOWPASS_CUTOFF_HZ = 6.0
# A 2nd-order Butterworth run forwards and backwards (filtfilt): zero phase, effectively 4th order (Winter 2009).
LOWPASS_ORDER = 2
# Tracking gaps up to this many frames are interpolated (linear); longer ones end the movement (the rule:
# a 3-frame gap at 25-30 fps is 0.1-0.12 s, shorter than any arrest we must find).
MAX_GAP_FRAMES = 3
# Fewer samples than this cannot be filtered meaningfully (filtfilt needs a padding of a few samples).
MIN_SEGMENT_SAMPLES = 4


@dataclass(frozen=True)
class Track:
    """An effector sampled on a uniform grid: ``t_s`` (N,), ``positions`` (N, D) with NaN where untracked."""

    t_s: FloatArray
    positions: FloatArray
    fs_hz: float


@dataclass(frozen=True)
class Segment:
    """A run of tracked (or gap-filled) samples ``[start, stop)`` of a :class:`Track`, filtered, with its speed."""

    start: int
    stop: int
    positions: FloatArray  # low-pass filtered, (n, D)
    raw_positions: FloatArray  # gap-filled but unfiltered, (n, D)
    speed: FloatArray  # (n,), units of the positions per second


def to_uniform_grid(t_s: npt.ArrayLike, values: npt.ArrayLike, *, fs_hz: float | None = None) -> Track:
    """Place samples stamped ``t_s`` on a uniform grid at ``fs_hz`` (default: 1 / median frame interval).

    Missing grid points (dropped frames) and NaN rows stay NaN, to be filled or split by :func:`tracked_segments`.
    """
    times = np.asarray(t_s, dtype=np.float64)
    points = np.asarray(values, dtype=np.float64)
    if points.ndim == 1:
        points = points[:, None]
    if times.ndim != 1 or points.shape[0] != times.size:
        raise ValueError(f"expected one time per sample, got {times.size} times for {points.shape[0]} samples")
    if times.size < 2:
        return Track(t_s=times, positions=points, fs_hz=float(fs_hz or 1.0))
    if np.any(np.diff(times) < 0):
        raise ValueError("sample times must not decrease")
    rate = float(fs_hz) if fs_hz is not None else 1.0 / float(np.median(np.diff(times)))
    if not np.isfinite(rate) or rate <= 0:
        raise ValueError(f"cannot infer a frame rate from the sample times (got {rate} Hz)")
    index = np.rint((times - times[0]) * rate).astype(np.int64)
    grid = np.full((int(index[-1]) + 1, points.shape[1]), np.nan)
    grid[index] = points
    return Track(t_s=times[0] + np.arange(grid.shape[0]) / rate, positions=grid, fs_hz=rate)


def lowpass(positions: FloatArray, fs_hz: float, *, cutoff_hz: float = LOWPASS_CUTOFF_HZ) -> FloatArray:
    """Zero-phase Butterworth low-pass (``scipy.signal.sosfiltfilt``) along axis 0.

    The cut-off is clipped below Nyquist; short inputs use the longest padding they allow.
    """
    nyquist_hz = fs_hz / 2.0
    cutoff = min(cutoff_hz, 0.9 * nyquist_hz)
    sos = butter(LOWPASS_ORDER, cutoff, btype="low", fs=fs_hz, output="sos")
    default_pad = 3 * (2 * len(sos) + 1)
    padlen = min(default_pad, positions.shape[0] - 1)
    return np.asarray(sosfiltfilt(sos, positions, axis=0, padlen=padlen), dtype=np.float64)


def speed_of(positions: FloatArray, fs_hz: float) -> FloatArray:
    """Speed (norm of the central-difference velocity), in position units per second."""
    velocity = np.gradient(positions, 1.0 / fs_hz, axis=0)
    return np.asarray(np.linalg.norm(velocity, axis=1), dtype=np.float64)


def _runs(valid: npt.NDArray[np.bool_], max_gap: int) -> list[tuple[int, int]]:
    """``[start, stop)`` runs of valid samples, bridging invalid gaps of at most ``max_gap`` samples."""
    idx = np.flatnonzero(valid)
    if idx.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(idx) > max_gap + 1)
    starts = np.concatenate(([idx[0]], idx[breaks + 1]))
    stops = np.concatenate((idx[breaks], [idx[-1]])) + 1
    return [(int(a), int(b)) for a, b in zip(starts, stops, strict=True)]


def tracked_segments(
    track: Track, *, max_gap_frames: int = MAX_GAP_FRAMES, cutoff_hz: float = LOWPASS_CUTOFF_HZ
) -> list[Segment]:
    """Split a track at gaps longer than ``max_gap_frames``, fill shorter gaps linearly, low-pass and take speed."""
    valid = np.all(np.isfinite(track.positions), axis=1)
    segments = []
    for start, stop in _runs(valid, max_gap_frames):
        if stop - start < MIN_SEGMENT_SAMPLES:
            continue
        raw = track.positions[start:stop].copy()
        ok = valid[start:stop]
        if not np.all(ok):
            where = np.arange(stop - start)
            for axis in range(raw.shape[1]):
                raw[~ok, axis] = np.interp(where[~ok], where[ok], raw[ok, axis])
        smooth = lowpass(raw, track.fs_hz, cutoff_hz=cutoff_hz)
        segments.append(Segment(start, stop, smooth, raw, speed_of(smooth, track.fs_hz)))
    return segments

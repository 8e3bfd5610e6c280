"""From tracked positions to analysable kinematics: uniform time grid, short gaps filled, zero-phase low-pass, speed.

Pure numpy/scipy. Analysis always starts from the raw (unsmoothed) landmarks; the One Euro filter is for display.

Long time gaps (no samples at all for more than :data:`SPLIT_GAP_FRAMES` frames) are not laid out on the grid: the
track is split there into pieces, each on its own uniform grid, so that memory grows with the samples, never with
the time they span (a 10^9 s gap in a recording used to ask for 3 x 10^10 rows). Such a gap ends a segment anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tracking.quality_types import QualityParams
from tracking.runs import true_runs
from tracking.types import FloatArray

_DEFAULTS = QualityParams()

# Every zero-phase filter of the analysis is a 2nd-order Butterworth run forwards and backwards (filtfilt): zero
# phase, effectively 4th order (Winter DA (2009), Biomechanics and Motor Control of Human Movement, 4th ed., ch. 3).
BUTTERWORTH_ORDER = 2
# Upper cut-offs are clipped to this share of the sampling rate (0.9 x Nyquist): a Butterworth cannot be designed at
# Nyquist, and a low frame rate (a 10 fps recording) must still be filterable.
MAX_CUTOFF_SHARE_OF_FS = 0.45
# Time gaps longer than this many frames split the track into pieces instead of being filled with NaN rows: far
# above any gap that is interpolated (QualityParams.max_gap_frames), so segments and movements are the same, and the
# grid has at most SPLIT_GAP_FRAMES + 1 rows a sample whatever the timestamps (100 frames: 3-4 s at 25-30 fps).
SPLIT_GAP_FRAMES = 100
# Fewer samples than this cannot be filtered meaningfully (filtfilt needs a padding of a few samples).
MIN_SEGMENT_SAMPLES = 4


@dataclass(frozen=True)
class Track:
    """An effector sampled on a uniform grid: ``t_s`` (N,), ``positions`` (N, D) with NaN where untracked.

    ``piece_starts``: the rows where a new piece begins after a time gap longer than :data:`SPLIT_GAP_FRAMES`
    (empty for an input without one). Within a piece the grid is uniform at ``fs_hz``; between pieces ``t_s`` jumps
    over the gap, after one NaN row that keeps a plot from drawing a line across it.
    """

    t_s: FloatArray
    positions: FloatArray
    fs_hz: float
    piece_starts: tuple[int, ...] = ()


@dataclass(frozen=True)
class Segment:
    """A run of tracked (or gap-filled) samples ``[start, stop)`` of a :class:`Track`, filtered, with its speed."""

    start: int
    stop: int
    positions: FloatArray  # low-pass filtered, (n, D)
    raw_positions: FloatArray  # gap-filled but unfiltered, (n, D)
    speed: FloatArray  # (n,), units of the positions per second


def _median_rate_hz(steps_s: FloatArray) -> float:
    """Return 1 / the median time step between samples, leaving out repeated times (a frame delivered twice).

    Raises ``ValueError`` when every sample has the same time.
    """
    moving = steps_s[steps_s > 0]
    if moving.size == 0:
        raise ValueError("cannot infer a frame rate: every sample has the same time")
    return 1.0 / float(np.median(moving))


def to_uniform_grid(t_s: npt.ArrayLike, values: npt.ArrayLike, *, fs_hz: float | None = None) -> Track:
    """Place samples stamped ``t_s`` on a uniform grid at ``fs_hz`` (default: 1 / median frame interval > 0).

    Missing grid points (dropped frames) and NaN rows stay NaN, to be filled or split by :func:`tracked_segments`;
    samples at the same time (or rounding to the same grid point) share it, the last one kept.
    Gaps longer than :data:`SPLIT_GAP_FRAMES` frames start a new piece (see :class:`Track`): the grid never has
    more than ``SPLIT_GAP_FRAMES + 1`` rows a sample.
    """
    times = np.asarray(t_s, dtype=np.float64)
    points = np.asarray(values, dtype=np.float64)
    if points.ndim == 1:
        points = points[:, None]
    if times.ndim != 1 or points.shape[0] != times.size:
        raise ValueError(f"expected one time per sample, got {times.size} times for {points.shape[0]} samples")
    if not np.all(np.isfinite(times)):
        raise ValueError("sample times must be finite numbers of seconds")
    if times.size < 2:
        return Track(t_s=times, positions=points, fs_hz=float(fs_hz or 1.0))
    steps_s = np.diff(times)
    if np.any(steps_s < 0):
        raise ValueError("sample times must not decrease")
    rate = float(fs_hz) if fs_hz is not None else _median_rate_hz(steps_s)
    if not np.isfinite(rate) or rate <= 0:
        raise ValueError(f"cannot infer a frame rate from the sample times (got {rate} Hz)")
    with np.errstate(over="ignore"):  # a step of 1e300 s at 1000 Hz is infinitely many frames: a split
        splits = np.flatnonzero(~(np.rint(steps_s * rate) <= SPLIT_GAP_FRAMES + 1)) + 1
    first_sample = np.concatenate(([0], splits))  # of each piece
    piece = np.zeros(times.size, dtype=np.int64)
    piece[splits] = 1
    piece = np.cumsum(piece)  # the piece of each sample
    piece_start_s = times[first_sample]
    index = np.rint((times - piece_start_s[piece]) * rate).astype(np.int64)  # row within its piece
    last_sample = np.concatenate((splits, [times.size])) - 1
    rows = index[last_sample] + 1  # rows of each piece, plus one NaN row after every piece but the last
    offsets = np.concatenate(([0], np.cumsum(rows + 1)[:-1]))
    total = int(offsets[-1] + rows[-1])
    grid = np.full((total, points.shape[1]), np.nan)
    grid[offsets[piece] + index] = points
    row_piece = np.repeat(np.arange(rows.size), rows + 1)[:total]
    grid_t_s = piece_start_s[row_piece] + (np.arange(total) - offsets[row_piece]) / rate
    return Track(t_s=grid_t_s, positions=grid, fs_hz=rate, piece_starts=tuple(int(o) for o in offsets[1:]))


def zero_phase(
    values: FloatArray,
    fs_hz: float,
    *,
    cutoff_hz: float | None = None,
    band_hz: tuple[float, float] | None = None,
    order: int = BUTTERWORTH_ORDER,
) -> FloatArray:
    """Zero-phase Butterworth filter (``scipy.signal.sosfiltfilt``) along axis 0: the one used by the analysis.

    Parameters
    ----------
    values
        Samples at ``fs_hz`` along axis 0, (n,) or (n, D), in any unit.
    fs_hz
        Sampling rate.
    cutoff_hz
        A low-pass at this frequency; or
    band_hz
        a band-pass from ``band_hz[0]`` to ``band_hz[1]``. Exactly one of the two. The upper frequency is clipped to
        :data:`MAX_CUTOFF_SHARE_OF_FS` of ``fs_hz``.
    order
        Butterworth order of each pass (the filter runs forwards and backwards: twice that in effect).

    Returns
    -------
    FloatArray
        The filtered values, same shape. The padding at each end is scipy's default for this filter
        (``3 * (2 * sections + 1)`` samples) or, for a shorter input, the longest it allows (``n - 1``).
    """
    from scipy.signal import butter, sosfiltfilt  # here, not at import: scipy takes ~1.5 s to load
    top_hz = MAX_CUTOFF_SHARE_OF_FS * fs_hz
    if cutoff_hz is not None and band_hz is None:
        sos = butter(order, min(cutoff_hz, top_hz), btype="low", fs=fs_hz, output="sos")
    elif band_hz is not None and cutoff_hz is None:
        sos = butter(order, (band_hz[0], min(band_hz[1], top_hz)), btype="bandpass", fs=fs_hz, output="sos")
    else:
        raise ValueError(f"zero_phase: expected one of cutoff_hz, band_hz; got {cutoff_hz=}, {band_hz=}")
    padlen = min(3 * (2 * len(sos) + 1), values.shape[0] - 1)
    return np.asarray(sosfiltfilt(sos, values, axis=0, padlen=padlen), dtype=np.float64)


def speed_of(positions: FloatArray, fs_hz: float) -> FloatArray:
    """Speed (norm of the central-difference velocity), in position units per second."""
    velocity = np.gradient(positions, 1.0 / fs_hz, axis=0)
    return np.asarray(np.linalg.norm(velocity, axis=1), dtype=np.float64)


def tracked_segments(
    track: Track,
    *,
    max_gap_frames: int = _DEFAULTS.max_gap_frames,
    cutoff_hz: float = _DEFAULTS.lowpass_cutoff_hz,
) -> list[Segment]:
    """Split a track at gaps longer than ``max_gap_frames``, and filter and differentiate each piece.

    Within a piece, shorter gaps are filled linearly, positions low-passed at ``cutoff_hz`` and speed taken.
    ``max_gap_frames`` must be below :data:`SPLIT_GAP_FRAMES` (longer gaps are not on the grid to be filled).
    Defaults: :class:`~tracking.quality_types.QualityParams`.
    """
    if not 0 <= max_gap_frames < SPLIT_GAP_FRAMES:
        raise ValueError(f"max_gap_frames: expected 0 to {SPLIT_GAP_FRAMES - 1} frames, got {max_gap_frames}")
    valid = np.all(np.isfinite(track.positions), axis=1)
    segments = []
    for run in true_runs(valid, bridge=max_gap_frames, restart_at=track.piece_starts):
        start, stop = run.start, run.stop
        if stop - start < MIN_SEGMENT_SAMPLES:
            continue
        raw = track.positions[start:stop].copy()
        ok = valid[start:stop]
        if not np.all(ok):
            where = np.arange(stop - start)
            for axis in range(raw.shape[1]):
                raw[~ok, axis] = np.interp(where[~ok], where[ok], raw[ok, axis])
        smooth = zero_phase(raw, track.fs_hz, cutoff_hz=cutoff_hz)
        segments.append(Segment(start, stop, smooth, raw, speed_of(smooth, track.fs_hz)))
    return segments

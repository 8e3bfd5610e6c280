"""Dystonic breaks: operational detectors for arrests, jerks (spasms), reversals, posture breaks and tremor.

Each detector works on one movement's (or one tracked segment's) samples and returns :class:`Break` events with
times in seconds from the start of the input. Definitions, defaults and sources: :class:`QualityParams` and
``docs/movement-quality.md``. These are training feedback, not a diagnosis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from tracking.filtering import MAX_CUTOFF_SHARE_OF_FS, Segment, zero_phase
from tracking.quality_types import Break, BreakKind, QualityParams
from tracking.runs import true_runs
from tracking.types import Effector, FloatArray

# When breaks of different kinds fall within ``merge_s``, the most specific one is kept: a posture break is a
# sustained state that a quick head movement starts (and may look like a jerk); a reversal or a jerk also makes
# the speed dip (which alone would read as an arrest).
KIND_PRIORITY = (BreakKind.POSTURE, BreakKind.REVERSAL, BreakKind.JERK, BreakKind.TREMOR, BreakKind.ARREST)
# Below this amplitude (in position units) a movement has no direction to measure reversals or off-path jerks.
_MIN_AMPLITUDE = 1e-9
# A tracked segment shorter than this (frames) is too short for the band-pass filter and a 1 s tremor.
MIN_TREMOR_SAMPLES = 12
# A movement shorter than this (frames) is too short to low-pass its progress for along-path jerks.
MIN_ALONG_SAMPLES = 8


@dataclass(frozen=True)
class MovementSamples:
    """One movement: times (s), filtered and raw positions (n, D), filtered speed (units/s)."""

    t_s: FloatArray
    positions: FloatArray
    raw_positions: FloatArray
    speed: FloatArray
    fs_hz: float
    effector: Effector

    def direction(self) -> tuple[FloatArray, float]:
        """Return the unit vector from the start to the farthest point reached, and that distance (the amplitude)."""
        offsets = self.positions - self.positions[0]
        distances = np.linalg.norm(offsets, axis=1)
        far = int(np.argmax(distances))
        amplitude = float(distances[far])
        if amplitude < _MIN_AMPLITUDE:
            return np.zeros(self.positions.shape[1]), 0.0
        return offsets[far] / amplitude, amplitude


def find_arrests(movement: MovementSamples, *, params: QualityParams) -> list[Break]:
    """Find arrests: speed valleys between two substantial speed peaks.

    A valley counts when it falls below ``arrest_valley_fraction`` of the movement's peak, or below
    ``arrest_deep_valley_ratio`` of the lower flanking peak.

    Severity: depth of the valley, ``1 - valley / lower flanking peak`` (0 to 1).
    """
    from scipy.signal import find_peaks  # here, not at import: scipy takes about 1.5 s to load (the game's start)
    speed = movement.speed
    peak = float(speed.max())
    maxima, _ = find_peaks(speed, height=params.arrest_flank_fraction * peak)
    found = []
    for left, right in zip(maxima[:-1], maxima[1:], strict=True):
        valley_at = left + int(np.argmin(speed[left : right + 1]))
        valley = float(speed[valley_at])
        flank = float(min(speed[left], speed[right]))
        if valley < params.arrest_valley_fraction * peak or valley < params.arrest_deep_valley_ratio * flank:
            severity = 1.0 - valley / flank
            found.append(Break(float(movement.t_s[valley_at]), BreakKind.ARREST, movement.effector, severity))
    return found


def off_path_residual(movement: MovementSamples, *, params: QualityParams) -> FloatArray:
    """Distance (position units) of the raw off-path displacement from its running median.

    The off-path displacement is the component of the raw position orthogonal to the movement's direction; its
    running median over ``jerk_median_window_s`` follows the path's natural curvature and removes bursts shorter
    than half the window, which are what remains.
    """
    from scipy.ndimage import median_filter  # here, not at import: scipy takes about 1.5 s to load (the game's start)
    direction, amplitude = movement.direction()
    offsets = movement.raw_positions - movement.raw_positions[0]
    if amplitude > 0:
        offsets = offsets - np.outer(offsets @ direction, direction)
    window = max(3, int(round(params.jerk_median_window_s * movement.fs_hz)) | 1)
    trend = median_filter(offsets, size=(window, 1), mode="nearest")
    return np.asarray(np.linalg.norm(offsets - trend, axis=1), dtype=np.float64)


def along_path_residual(movement: MovementSamples, *, params: QualityParams) -> FloatArray:
    """Return the raw progress along the movement's direction minus its zero-phase low-pass.

    The low-pass is at ``along_jerk_trend_hz``; the residual is in position units, signed: positive ahead of the trend.

    Not a running median as off the path: a reach's progress rises monotonically, and so does a reach with a
    forward jolt that never goes back, and the running median of a monotonic signal is the signal itself. The
    low-pass follows the reach's schedule (a minimum-jerk reach of 0.7-1.3 s has its power below ~3 Hz) and
    leaves out a jolt of 0.08-0.2 s out and back (5-12 Hz), which is what remains.
    """
    direction, amplitude = movement.direction()
    if amplitude <= 0 or movement.t_s.size < MIN_ALONG_SAMPLES:
        return np.zeros(movement.t_s.size)
    progress = (movement.raw_positions - movement.raw_positions[0]) @ direction
    trend = zero_phase(progress, movement.fs_hz, cutoff_hz=params.along_jerk_trend_hz)
    return np.asarray(progress - trend, dtype=np.float64)


def find_along_jerks(
    movement: MovementSamples, residual: FloatArray, *, threshold: float, params: QualityParams
) -> list[Break]:
    """Jolts ahead or back along the path.

    Bursts of the along-path residual's magnitude above ``threshold`` and ``along_jerk_min_amplitude_fraction`` of the
    amplitude, shorter than ``jerk_max_s`` at half height (:func:`find_jerks`), that are not the corners of a hold.

    An arrest's stop and restart also leave the low-pass trend for a moment; but the effector then stays still
    (speed under ``arrest_valley_fraction`` of the peak) for at least ``along_jerk_hold_s``, which a jolt's
    brief turn does not. Bursts within ``merge_s`` of such a hold belong to the arrest.
    """
    bursts = find_jerks(
        movement, np.abs(residual), threshold=threshold, params=params,
        min_amplitude_fraction=params.along_jerk_min_amplitude_fraction,
    )
    held = _held_spans(movement, params=params)
    # at the movement's ends the trend has no samples beyond to follow: a start or stop from or to rest at speed
    # (a step of the velocity) looks like a burst there
    edge_s = params.along_jerk_edge_s
    inner = (float(movement.t_s[0]) + edge_s, float(movement.t_s[-1]) - edge_s)
    return [
        event for event in bursts
        if inner[0] <= event.t_s <= inner[1] and not any(low <= event.t_s <= high for low, high in held)
    ]


def _held_spans(movement: MovementSamples, *, params: QualityParams) -> list[tuple[float, float]]:
    """Return the spans (s) inside the movement where it holds still.

    A hold: the speed stays under ``arrest_valley_fraction`` of its peak for at least ``along_jerk_hold_s``; each span
    is widened by ``merge_s`` on each side.
    """
    still = movement.speed < params.arrest_valley_fraction * float(movement.speed.max())
    spans = []
    for run in true_runs(still):
        inside = run.start > 0 and run.stop < still.size  # not the rest at either end of the movement
        if inside and (run.stop - run.start) / movement.fs_hz >= params.along_jerk_hold_s:
            spans.append((float(movement.t_s[run.start]) - params.merge_s,
                          float(movement.t_s[run.stop - 1]) + params.merge_s))
    return spans


def jerk_threshold(residuals: list[FloatArray], *, params: QualityParams) -> float:
    """Return the jerk threshold: ``median + jerk_mad_k * MAD`` of a residual's magnitude.

    The residual (off-path or along-path, position units) is pooled over the input's movements.
    """
    pooled = np.abs(np.concatenate(residuals)) if residuals else np.zeros(1)
    median = float(np.median(pooled))
    return median + params.jerk_mad_k * float(np.median(np.abs(pooled - median)))


def find_jerks(
    movement: MovementSamples,
    residual: FloatArray,
    *,
    threshold: float,
    params: QualityParams,
    min_amplitude_fraction: float | None = None,
) -> list[Break]:
    """Find jerks: short bursts of a jerk residual (off-path or along-path).

    A burst counts above ``threshold`` and ``min_amplitude_fraction`` (default ``jerk_min_amplitude_fraction``) of the
    amplitude (and, for the head, ``jerk_min_head_deg``), when shorter than ``jerk_max_s`` at half its height.

    Severity: the burst's peak displacement as a fraction of the movement's amplitude.
    """
    from scipy.signal import find_peaks  # here, not at import: scipy takes about 1.5 s to load (the game's start)
    _, amplitude = movement.direction()
    if amplitude <= 0:
        return []
    fraction = params.jerk_min_amplitude_fraction if min_amplitude_fraction is None else min_amplitude_fraction
    floor = max(threshold, fraction * amplitude)
    if movement.effector is Effector.HEAD:
        floor = max(floor, params.jerk_min_head_deg)
    peaks, props = find_peaks(residual, height=floor, width=0, rel_height=0.5)
    found = []
    for at, width in zip(peaks, props["widths"], strict=True):
        if width / movement.fs_hz <= params.jerk_max_s:
            severity = float(residual[at]) / amplitude
            found.append(Break(float(movement.t_s[at]), BreakKind.JERK, movement.effector, severity))
    return found


def find_reversals(movement: MovementSamples, *, params: QualityParams) -> list[tuple[Break, float]]:
    """Find reversals: going back against the movement direction, then on again.

    Both ways by at least ``reversal_fraction`` of the amplitude.

    Returns each reversal with the time (s) when the effector is back where it turned (or the movement's end):
    speed valleys before then belong to the reversal, not to arrests. Severity: the distance gone back as a
    fraction of the amplitude.
    """
    from scipy.signal import find_peaks  # here, not at import: scipy takes about 1.5 s to load (the game's start)
    direction, amplitude = movement.direction()
    if amplitude <= 0:
        return []
    progress = (movement.positions - movement.positions[0]) @ direction
    least = params.reversal_fraction * amplitude
    peaks, _ = find_peaks(progress, prominence=least)
    found = []
    for at in peaks:
        after = progress[at:]
        regained = _first_above(after, progress[at]) or after.size - 1
        trough_at = int(np.argmin(after[: regained + 1]))
        back = float(progress[at] - after[trough_at])
        resumed = float(after[trough_at:].max() - after[trough_at])
        if back >= least and resumed >= least:
            event = Break(float(movement.t_s[at]), BreakKind.REVERSAL, movement.effector, back / amplitude)
            found.append((event, float(movement.t_s[at + regained])))
    return found


def _first_above(values: FloatArray, level: float) -> int | None:
    above = np.flatnonzero(values[1:] > level)
    return int(above[0]) + 1 if above.size else None


def find_posture_breaks(
    t_s: FloatArray, angles_deg: FloatArray, target_deg: FloatArray, *, effector: Effector, params: QualityParams
) -> list[Break]:
    """Find posture breaks: the head away from its target posture.

    A break starts when the head is more than ``posture_enter_deg`` (degrees) from the target for ``posture_min_s``
    and ends below ``posture_exit_deg`` (hysteresis). Works on filtered angles of one tracked segment.

    Severity: the largest deviation over the entry threshold (>= 1).
    """
    deviation = np.linalg.norm(angles_deg - target_deg, axis=1)
    found = []
    inside_from: int | None = None
    for i, value in enumerate(deviation):
        if inside_from is None and value > params.posture_enter_deg:
            inside_from = i
        elif inside_from is not None and (value < params.posture_exit_deg or i == deviation.size - 1):
            if t_s[i] - t_s[inside_from] >= params.posture_min_s:
                severity = float(deviation[inside_from : i + 1].max()) / params.posture_enter_deg
                found.append(Break(float(t_s[inside_from]), BreakKind.POSTURE, effector, severity))
            inside_from = None
    return found


@dataclass(frozen=True)
class BandSignal:
    """Raw positions band-passed to the tremor band (n, D), and their running RMS amplitude (n,)."""

    banded: FloatArray
    amplitude: FloatArray


def band_signal(
    raw_positions: FloatArray, fs_hz: float, *, band_hz: tuple[float, float], window_s: float
) -> BandSignal:
    """Return the band signal of the raw positions and its running RMS (position units).

    The band-pass is :func:`tracking.filtering.zero_phase`; the RMS of the band signal's norm runs over ``window_s``.
    """
    banded = zero_phase(raw_positions, fs_hz, band_hz=band_hz)
    power = np.sum(banded**2, axis=1)
    window = max(2, int(round(window_s * fs_hz)))
    if power.size < window:
        return BandSignal(banded, np.sqrt(np.full(power.size, power.mean())))
    means = sliding_window_view(power, window).mean(axis=1)
    pad_left = (window - 1) // 2
    padded = np.pad(means, (pad_left, power.size - means.size - pad_left), mode="edge")
    return BandSignal(banded, np.asarray(np.sqrt(padded), dtype=np.float64))


def _strong_half_waves(banded: FloatArray, level: float, *, regularity: float) -> int:
    """Return the half-waves of the band signal that are part of a tremor.

    Half-waves run between zero crossings along the signal's main axis; one counts when its peak exceeds ``level``
    and ``regularity`` times the largest one.
    """
    centred = banded - banded.mean(axis=0)
    _, _, axes = np.linalg.svd(centred, full_matrices=False)
    along = centred @ axes[0]
    cuts = np.flatnonzero(np.diff(np.signbit(along))) + 1
    peaks = [float(lobe.max()) for lobe in np.split(np.abs(along), cuts) if lobe.size]
    # A tremor's half-waves are alike; a fast movement's band signal has a few big ones among small ones.
    floor = max(level, regularity * max(peaks, default=0.0))
    return sum(1 for peak in peaks if peak > floor)


def find_tremor(
    t_s: FloatArray,
    band: BandSignal,
    *,
    band_hz: tuple[float, float],
    resting_level: float,
    min_rms: float,
    effector: Effector,
    params: QualityParams,
) -> list[Break]:
    """Sustained oscillation.

    Running band RMS above ``tremor_over_jitter`` times the resting level for at least ``tremor_min_s``, made of at
    least ``2 * low band edge * tremor_min_s`` half-waves (and at least six: three cycles) whose peaks exceed that level
    and half the largest one. A single fast movement also has power in the band, but in a few uneven half-waves, not a
    sustained oscillation. ``min_rms`` (position units) is an absolute floor of the level, for jitter-free input.

    Severity: the largest band RMS over the resting level (or the floor over ``tremor_over_jitter``).
    """
    level = max(params.tremor_over_jitter * resting_level, min_rms)
    if level <= 0:
        return []
    above = band.amplitude > level
    # a sustained oscillation at the band's lowest frequency makes this many strong half-waves in tremor_min_s,
    # and at least three full cycles (a quick movement out and back rings for two)
    least_half_waves = max(int(np.ceil(2 * band_hz[0] * params.tremor_min_s)), params.tremor_min_half_waves)
    found = []
    for run in true_runs(above):
        start, stop = run.start, run.stop
        if t_s[stop - 1] - t_s[start] < params.tremor_min_s:
            continue
        if _strong_half_waves(band.banded[start:stop], level, regularity=params.tremor_regularity) < least_half_waves:
            continue
        severity = float(band.amplitude[start:stop].max()) / (level / params.tremor_over_jitter)
        found.append(Break(float(t_s[start]), BreakKind.TREMOR, effector, severity))
    return found


def movement_breaks(
    movement: MovementSamples,
    residual: FloatArray,
    *,
    jerk_threshold: float,
    params: QualityParams,
    along_residual: FloatArray | None = None,
    along_threshold: float = 0.0,
) -> list[Break]:
    """Find the breaks of one movement: arrests, jerks and reversals.

    Jerks are off-path, and along-path when ``along_residual`` is given; events closer than ``merge_s`` are not merged
    yet.
    """
    reversals = find_reversals(movement, params=params)
    jerks = find_jerks(movement, residual, threshold=jerk_threshold, params=params)
    # a reversal slows to a stop twice: those valleys are the reversal, not arrests; and its going back and on
    # again leaves the progress's trend: that is the reversal, not an along-path jerk
    claimed = [(event.t_s - params.merge_s, back_s + params.merge_s) for event, back_s in reversals]
    if along_residual is not None:
        along = find_along_jerks(movement, along_residual, threshold=along_threshold, params=params)
        jerks += [event for event in along if not any(low <= event.t_s <= high for low, high in claimed)]
    arrests = [
        event
        for event in find_arrests(movement, params=params)
        if not any(low <= event.t_s <= high for low, high in claimed)
    ]
    return arrests + jerks + [event for event, _ in reversals]


def segment_breaks(
    segments: Sequence[Segment],
    *,
    grid_t_s: FloatArray,
    fs_hz: float,
    effector: Effector,
    params: QualityParams,
    head_target_deg: FloatArray | None,
    min_tremor_rms: float,
) -> list[Break]:
    """Find the breaks that need no movement: posture (head) and tremor, on each tracked segment.

    Parameters
    ----------
    segments
        The tracked segments of one input (:func:`tracking.filtering.tracked_segments`).
    grid_t_s, fs_hz
        Times (s) of the uniform grid the segments index, and its rate.
    head_target_deg
        Target posture (yaw, pitch, roll) of the head; ``None``: no posture breaks.
    min_tremor_rms
        Least band RMS of a tremor (position units: px for the hand, deg for the head), for jitter-free input.
    """
    band_hz = params.tremor_head_band_hz if effector is Effector.HEAD else params.tremor_hand_band_hz
    # below about 2.2 x the band's low edge (6.7 fps for the hand) the frame rate cannot show a tremor at all
    visible = band_hz[0] < MAX_CUTOFF_SHARE_OF_FS * fs_hz
    usable = [s for s in segments if s.stop - s.start >= MIN_TREMOR_SAMPLES] if visible else []
    bands = [band_signal(s.raw_positions, fs_hz, band_hz=band_hz, window_s=params.tremor_window_s) for s in usable]
    found: list[Break] = []
    if bands:
        resting = float(np.percentile(np.concatenate([b.amplitude for b in bands]), params.tremor_rest_percentile))
        for segment, band in zip(usable, bands, strict=True):
            times = grid_t_s[segment.start : segment.stop]
            found += find_tremor(
                times, band, band_hz=band_hz, resting_level=resting, min_rms=min_tremor_rms, effector=effector,
                params=params,
            )
    if effector is Effector.HEAD and head_target_deg is not None:
        for segment in segments:
            times = grid_t_s[segment.start : segment.stop]
            found += find_posture_breaks(times, segment.positions, head_target_deg, effector=effector, params=params)
    return found


def merge_close(breaks: list[Break], *, params: QualityParams) -> list[Break]:
    """Events closer than ``merge_s`` count once: each cluster keeps its most specific kind (KIND_PRIORITY)."""
    ordered = sorted(breaks, key=lambda b: b.t_s)
    clusters: list[list[Break]] = []
    for event in ordered:
        if clusters and event.t_s - clusters[-1][-1].t_s < params.merge_s:
            clusters[-1].append(event)
        else:
            clusters.append([event])
    return [min(cluster, key=lambda b: (KIND_PRIORITY.index(b.kind), -b.severity)) for cluster in clusters]

"""Movements from rest to rest in a filtered speed profile.

Rest is speed below ``rest_speed_fraction`` (5%) of the movement's own peak speed, raised to just above the
tracking jitter measured at rest on the same input when that is higher, for at least ``rest_min_s`` (0.5 s).
Shorter pauses stay inside the movement: they are arrests (:mod:`tracking.breaks`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

from tracking.quality_types import QualityParams
from tracking.runs import Span, true_runs
from tracking.types import FloatArray


def resting_jitter_speed(speeds: Sequence[FloatArray], fs_hz: float, *, params: QualityParams) -> float:
    """Speed of the tracking jitter at rest: a high percentile of speed in the still windows of the input.

    Parameters
    ----------
    speeds
        Filtered speed profiles of every tracked segment of one input (units per second).
    fs_hz
        Sampling frequency.

    Returns
    -------
    float
        The ``jitter_percentile`` speed in every window of ``jitter_window_s``; of those, the value that only
        ``jitter_rest_share_percent`` of the windows are below (the input is assumed to rest at least that
        share of the time; otherwise its stillest moments stand in for rest). 0 when the input is too short for
        one window: then only the 5% rule applies.
    """
    window = max(2, int(round(params.jitter_window_s * fs_hz)))
    levels = [
        np.percentile(sliding_window_view(speed, window), params.jitter_percentile, axis=1)
        for speed in speeds
        if speed.size >= window
    ]
    if not levels:
        return 0.0
    return float(np.percentile(np.concatenate(levels), params.jitter_rest_share_percent))


def _movement_like(mask: npt.NDArray[np.bool_], speed: FloatArray, least_peak: float) -> npt.NDArray[np.bool_]:
    """``mask`` without the runs whose speed never reaches ``least_peak``: jitter bumps are part of rest."""
    kept = mask.copy()
    for run in true_runs(mask):
        if float(speed[run.start : run.stop].max()) < least_peak:
            kept[run.start : run.stop] = False
    return kept


def _to_local_minima(speed: FloatArray, start: int, stop: int) -> tuple[int, int]:
    """Widen ``[start, stop)`` outwards while the speed keeps falling.

    A movement's onset and end are the speed minima where it leaves and reaches rest, not the threshold crossings (which
    cut its smooth tails).
    """
    while start > 0 and speed[start - 1] < speed[start]:
        start -= 1
    stop -= 1
    while stop + 1 < speed.size and speed[stop + 1] < speed[stop]:
        stop += 1
    return start, stop + 1


def segment_movements(
    speed: FloatArray, fs_hz: float, *, jitter_speed: float, params: QualityParams
) -> list[Span]:
    """Movements in one continuous, filtered speed profile.

    Parameters
    ----------
    speed
        Filtered speed (units per second) of one tracked segment.
    fs_hz
        Sampling frequency.
    jitter_speed
        Resting jitter speed of the same input (:func:`resting_jitter_speed`).

    Returns
    -------
    list[Span]
        Each movement from the last rest sample before it to the first rest sample after it (clipped to the
        segment), in order.
    """
    floor = params.jitter_margin * jitter_speed
    # a pause shorter than a rest stays inside the movement (an arrest)
    pause = max(1, int(round(params.rest_min_s * fs_hz))) - 1
    min_samples = max(2, int(round(params.min_movement_s * fs_hz)))
    movements: list[Span] = []
    least_peak = params.min_peak_over_jitter * jitter_speed
    for candidate in true_runs(_movement_like(speed > floor, speed, least_peak), bridge=pause):
        part = speed[candidate.start : candidate.stop]
        threshold = max(params.rest_speed_fraction * float(part.max()), floor)
        for run in true_runs(_movement_like(part > threshold, part, least_peak), bridge=pause):
            if run.stop - run.start < min_samples:
                continue
            start, stop = _to_local_minima(speed, candidate.start + run.start, candidate.start + run.stop)
            movements.append(Span(start, stop))
    return movements

"""Breathing rate from the vertical motion of the face or of the shoulders, pure numpy.

The upper body rises a little on each inhale, and the head with it. The trace is either the height of the face's
rigid midline (Face Mesh landmarks from the forehead to the nose tip, :func:`face_height_norm`: the face model a
breathe level runs anyway for its clock and stillness) or that of the shoulders (MediaPipe Pose landmarks 11 and
12, :func:`shoulder_height_norm`: the pose model, which costs more than the hands and face together).
:func:`estimate_breathing_rate_per_min` resamples the trace to a uniform grid, removes the linear trend (posture
settling), and takes the strongest frequency in the breathing band from a Hann-windowed, zero-padded spectrum,
refined by parabolic interpolation. It returns ``None`` when the peak does not stand out of the band (no clear
rhythm) or the span is too short.

Validated only on synthetic traces (a known rate, an asymmetric inhale/exhale shape, breath-to-breath rate
variation, jitter and drift: ``tests/unit/levels/breathe/test_rate.py``; for the face, the real face mesh of
``business_person.png`` moved up and down by such a trace, through the whole level), never on real breathing video,
which this project does not have. Limits: the shoulders move a few millimetres in quiet breathing, close to the
pose model's jitter at 1-2 m; the head follows the trunk's rise only in part, and nods and turns of its own add
motion, so a real camera may give no estimate (``None``) or, with slow swaying, nodding or talking, the rate of
that motion instead; at least :data:`MIN_SPAN_S` of data are needed, and resolution is about
``60 / span`` breaths a minute before interpolation. Training feedback for the therapist, not a clinical measure.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tracking.types import FloatArray, LandmarkFrame

# MediaPipe Pose: 11 left shoulder, 12 right shoulder; column 3 is visibility.
LEFT_SHOULDER, RIGHT_SHOULDER = 11, 12
# Face Mesh's midline from the forehead to the nose tip (10 top of the forehead, 151, 9, 8 between the brows, 168,
# 6 the nose bridge, 197, 195, 5, 4 the nose tip): rigid with the skull, unlike the lips and jaw that move in
# talking and swallowing; their mean height averages the landmarks' own jitter down.
FACE_MIDLINE = (10, 151, 9, 8, 168, 6, 197, 195, 5, 4)
# A shoulder counts when the pose model gives it at least this visibility (MediaPipe's own drawing threshold).
MIN_VISIBILITY = 0.5
# Breathing band, breaths a minute: slow paced breathing goes down to about 4, quiet adult breathing is 12-20 and
# the paced levels ask 3-20; 30 leaves room above without reaching talking or sway rates.
BAND_PER_MIN = (3.0, 30.0)
# At least two breaths at the slowest paced rate of the catalogue (6 a minute) before estimating.
MIN_SPAN_S = 20.0
# Uniform resampling rate: far above the band (0.5 Hz), below any camera's frame rate.
RESAMPLE_HZ = 10.0
# A trace that moves less than this (RMS about its trend, image heights) did not move: a millionth of the image
# height is far below any landmark's resolution, and the spectrum of a flat line is rounding noise, not a rhythm.
MIN_MOTION_NORM = 1e-6
# Spectrum length after zero padding (interpolates the spectrum; resolution still comes from the span).
FFT_POINTS = 8192
# The peak must be this many times the band's mean power: white noise's highest of ~15 independent band bins in
# a 30 s window is about 3 times the mean, so 6 leaves few false rhythms (measured in the tests on noise alone).
PEAK_TO_MEAN_MIN = 6.0


def shoulder_height_norm(frame: LandmarkFrame) -> float | None:
    """Return the mean image height (0 top, 1 bottom) of both shoulders, or ``None`` when either is not seen."""
    pose = frame.pose
    if pose is None or pose.shape[0] <= RIGHT_SHOULDER:
        return None
    shoulders = pose[[LEFT_SHOULDER, RIGHT_SHOULDER]]
    if shoulders.shape[1] > 3 and float(np.min(shoulders[:, 3])) < MIN_VISIBILITY:
        return None
    return float(np.mean(shoulders[:, 1]))


def face_height_norm(frame: LandmarkFrame) -> float | None:
    """Return the mean image height (0 top, 1 bottom) of the face's rigid midline, or ``None`` without a face."""
    face = frame.face
    if face is None or face.shape[0] <= max(FACE_MIDLINE):
        return None
    return float(np.mean(face[list(FACE_MIDLINE), 1]))


def estimate_breathing_rate_per_min(
    times_s: Sequence[float] | FloatArray, heights_norm: Sequence[float] | FloatArray
) -> float | None:
    """Estimate the breathing rate (breaths a minute) from heights sampled at ``times_s`` (increasing).

    Parameters
    ----------
    times_s
        Sample times, seconds, increasing (gaps are interpolated over).
    heights_norm
        The face's (or the shoulders') mean height at each time, image heights (any constant offset).

    Returns
    -------
    float or None
        The rate within :data:`BAND_PER_MIN`, or ``None`` when the span is shorter than :data:`MIN_SPAN_S`, the
        trace did not move (:data:`MIN_MOTION_NORM`) or no frequency stands :data:`PEAK_TO_MEAN_MIN` times above
        the band's mean power.
    """
    times = np.asarray(times_s, dtype=np.float64)
    heights = np.asarray(heights_norm, dtype=np.float64)
    if times.shape != heights.shape or times.size < 2 or times[-1] - times[0] < MIN_SPAN_S:
        return None
    grid = np.arange(times[0], times[-1], 1.0 / RESAMPLE_HZ)
    signal = np.interp(grid, times, heights)
    signal = signal - np.polyval(np.polyfit(grid - grid[0], signal, 1), grid - grid[0])
    if float(np.sqrt(np.mean(signal**2))) < MIN_MOTION_NORM:
        return None
    spectrum = np.fft.rfft(signal * np.hanning(signal.size), n=max(FFT_POINTS, signal.size))
    power = np.asarray(np.abs(spectrum) ** 2, dtype=np.float64)
    freqs_per_min = np.fft.rfftfreq(max(FFT_POINTS, signal.size), d=1.0 / RESAMPLE_HZ) * 60.0
    band = np.flatnonzero((freqs_per_min >= BAND_PER_MIN[0]) & (freqs_per_min <= BAND_PER_MIN[1]))
    band_power = power[band]
    mean_power = float(np.mean(band_power))
    peak = int(band[np.argmax(band_power)])
    if mean_power <= 0.0 or power[peak] < PEAK_TO_MEAN_MIN * mean_power:
        return None
    return float(freqs_per_min[peak] + _parabolic_offset(power, peak) * (freqs_per_min[1] - freqs_per_min[0]))


def _parabolic_offset(power: FloatArray, peak: int) -> float:
    """Return the peak's position between bins, -0.5..0.5, from a parabola through it and its neighbours."""
    if peak == 0 or peak >= power.size - 1:
        return 0.0
    left, centre, right = (float(value) for value in power[peak - 1 : peak + 2])
    denominator = left - 2.0 * centre + right
    return 0.0 if denominator == 0.0 else 0.5 * (left - right) / denominator

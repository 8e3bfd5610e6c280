"""Synthetic breathing for the breathe level's tests: shoulders rising and falling at a known rate (an asymmetric
inhale and exhale, breath-to-breath variation of the period, landmark jitter and a slow drift), as tracked frames
with a head and a palm, so the rate estimate and the stillness measures can be checked against what was put in."""

from __future__ import annotations

import numpy as np

from levels.breathe.rate import LEFT_SHOULDER, RIGHT_SHOULDER
from tracking.types import FloatArray, HeadAngles, LandmarkFrame, Signals, TrackedSample


def shoulder_trace(
    rate_per_min: float,
    *,
    seed: int,
    span_s: float = 40.0,
    fps: float = 30.0,
    amplitude_norm: float = 0.004,
    jitter_norm: float = 0.002,
    period_variation: float = 0.1,
    inhale_fraction: float = 0.4,
    drift_norm_per_s: float = 0.0002,
) -> tuple[FloatArray, FloatArray]:
    """Times and shoulder heights (image heights; up on inhale) breathing at ``rate_per_min`` on average.

    Each breath's period is the mean period times a uniform factor in ``1 +- period_variation``; the shape eases
    up for ``inhale_fraction`` of it and down for the rest; Gaussian jitter of ``jitter_norm`` (SD) and a linear
    drift are added.
    """
    rng = np.random.default_rng(seed)
    times = np.arange(0.0, span_s, 1.0 / fps)
    mean_period_s = 60.0 / rate_per_min
    phase = np.empty_like(times)
    start_s = 0.0
    period_s = mean_period_s * (1.0 + period_variation * rng.uniform(-1.0, 1.0))
    for index, t_s in enumerate(times):
        while t_s - start_s >= period_s:
            start_s += period_s
            period_s = mean_period_s * (1.0 + period_variation * rng.uniform(-1.0, 1.0))
        phase[index] = (t_s - start_s) / period_s
    shape = np.where(
        phase < inhale_fraction,
        (1.0 - np.cos(np.pi * phase / inhale_fraction)) / 2.0,
        (1.0 + np.cos(np.pi * (phase - inhale_fraction) / (1.0 - inhale_fraction))) / 2.0,
    )
    heights = 0.6 - amplitude_norm * shape + jitter_norm * rng.standard_normal(times.size) + drift_norm_per_s * times
    return times, heights


def pose_with_shoulders(height_norm: float, *, visibility: float = 0.99) -> FloatArray:
    """A (33, 4) pose whose shoulders (landmarks 11 and 12) are at ``height_norm``; the rest at the image centre."""
    pose = np.full((33, 4), 0.5)
    pose[:, 3] = visibility
    pose[LEFT_SHOULDER, :2] = (0.62, height_norm)
    pose[RIGHT_SHOULDER, :2] = (0.38, height_norm)
    return pose


def face_raised(face: FloatArray, rise_norm: float) -> FloatArray:
    """``face`` (a Face Mesh, normalised image coordinates) moved ``rise_norm`` image heights up (down when < 0)."""
    moved = face.copy()
    moved[:, 1] -= rise_norm
    return moved


def breathing_sample(
    t_s: float,
    *,
    shoulders_norm: float | None = None,
    head: HeadAngles | None = None,
    palm_norm: tuple[float, float] | None = None,
    face: FloatArray | None = None,
) -> TrackedSample:
    """A tracked frame at ``t_s`` with the shoulders, the head angles, the palm centre and the face mesh given (each
    optional)."""
    pose = None if shoulders_norm is None else pose_with_shoulders(shoulders_norm)
    return TrackedSample(LandmarkFrame(t_s, pose=pose, face=face), Signals(t_s, cursor_norm=palm_norm, head=head))

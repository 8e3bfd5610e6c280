"""A patient's calibration.

The comfortable reach range of the hand and the neutral head posture, and the arithmetic that measures them (pure: numpy
only).

Stored per patient by :mod:`clinic`; measured by the game's calibration scene with :func:`reach_range_from_palms`
and :func:`neutral_head`; used by the signals.

The reach range is the robust extent of the palm centre while the patient visits the far left, right, top and
bottom of where reaching is comfortable: percentiles ignore the odd tracking glitch that a plain min/max would
keep. A small margin keeps the edges of the screen reachable without straining.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tracking.types import FloatArray, HeadAngles

# A reach range narrower than this (normalised image units) cannot be mapped to the screen meaningfully:
# 5% of the image is about 3 cm at arm's length from a laptop webcam.
MIN_REACH_SPAN_NORM = 0.05
# Robust extremes: the 5th and 95th percentiles (each direction is held for a quarter of the reach step, so the
# extremes are well inside those tails).
LOW_PERCENTILE = 5.0
HIGH_PERCENTILE = 95.0
# Shrink the range by this fraction of its span on each side, so the screen edge is reached just inside the
# comfortable extreme rather than at it.
REACH_MARGIN_FRACTION = 0.05
# A range narrower than this is widened around its centre: below about 15% of the image (some 9 cm at arm's length
# from a laptop webcam) the cursor would be too sensitive to control calmly. At least MIN_REACH_SPAN_NORM (tested),
# so that a widened range is always a valid ReachRange.
MIN_USABLE_SPAN_NORM = 0.15
# Fewer palm samples than this (about 1 s at 25 fps) cannot give robust percentiles.
MIN_REACH_SAMPLES = 25


@dataclass(frozen=True)
class ReachRange:
    """The part of the camera image the patient's palm centre comfortably covers (normalised image units)."""

    x_min_norm: float
    x_max_norm: float
    y_min_norm: float
    y_max_norm: float

    def __post_init__(self) -> None:
        for name in ("x", "y"):
            low = getattr(self, f"{name}_min_norm")
            high = getattr(self, f"{name}_max_norm")
            if not (0.0 <= low < high <= 1.0) or high - low < MIN_REACH_SPAN_NORM:
                raise ValueError(
                    f"reach range {name}: expected 0 <= {name}_min_norm < {name}_max_norm <= 1 and a span of at "
                    f"least {MIN_REACH_SPAN_NORM}, got {low}..{high}"
                )

    @classmethod
    def whole_image(cls) -> ReachRange:
        """Return the default before calibration: the whole image."""
        return cls(0.0, 1.0, 0.0, 1.0)

    def to_screen_norm(self, palm_norm: tuple[float, float], *, mirror: bool) -> tuple[float, float]:
        """Map a palm centre in image coordinates to screen coordinates 0..1 (clipped to the screen).

        ``mirror`` flips x so that the screen behaves like a mirror: the patient moves a hand to their right and
        the cursor moves right, as with every webcam preview.
        """
        x = (palm_norm[0] - self.x_min_norm) / (self.x_max_norm - self.x_min_norm)
        y = (palm_norm[1] - self.y_min_norm) / (self.y_max_norm - self.y_min_norm)
        x = min(max(x, 0.0), 1.0)
        y = min(max(y, 0.0), 1.0)
        return (1.0 - x if mirror else x, y)


@dataclass(frozen=True)
class Calibration:
    """One patient's calibration. ``head_neutral`` is ``None`` until the head has been calibrated."""

    reach: ReachRange
    head_neutral: HeadAngles | None = None


@dataclass(frozen=True)
class ReachCalibrationResult:
    """The reach range and whether an axis had to be widened to :data:`MIN_USABLE_SPAN_NORM`."""

    reach: ReachRange
    widened: bool


def _axis_range(values: FloatArray, *, margin_fraction: float, min_span_norm: float) -> tuple[float, float, bool]:
    low, high = np.percentile(values, [LOW_PERCENTILE, HIGH_PERCENTILE])
    span = float(high - low)
    low, high = float(low + margin_fraction * span), float(high - margin_fraction * span)
    widened = high - low < min_span_norm
    if widened:
        centre = min(max((low + high) / 2.0, min_span_norm / 2.0), 1.0 - min_span_norm / 2.0)
        low, high = centre - min_span_norm / 2.0, centre + min_span_norm / 2.0
    return max(low, 0.0), min(high, 1.0), widened


def reach_range_from_palms(
    palms_norm: Sequence[tuple[float, float]],
    *,
    margin_fraction: float = REACH_MARGIN_FRACTION,
    min_span_norm: float = MIN_USABLE_SPAN_NORM,
) -> ReachCalibrationResult:
    """Return the comfortable reach range from palm centres in normalised image coordinates.

    On each axis, the robust extremes (:data:`LOW_PERCENTILE`, :data:`HIGH_PERCENTILE`) less a margin, widened to
    ``min_span_norm`` if need be.

    Parameters
    ----------
    palms_norm
        Palm centres (x, y), 0..1 of the image, collected while the patient visits the edges of comfortable reach.
    margin_fraction
        Fraction of each axis's robust span removed on each side (0 to 0.25).
    min_span_norm
        Narrowest range kept on each axis; a narrower one is widened around its centre.

    Returns
    -------
    ReachCalibrationResult
        The range, and whether an axis was widened.

    Raises
    ------
    ValueError
        Fewer than :data:`MIN_REACH_SAMPLES` positions, or arguments out of range.
    """
    if len(palms_norm) < MIN_REACH_SAMPLES:
        raise ValueError(f"expected at least {MIN_REACH_SAMPLES} palm positions, got {len(palms_norm)}")
    if not 0.0 <= margin_fraction <= 0.25:
        raise ValueError(f"margin_fraction: expected 0 to 0.25, got {margin_fraction}")
    if not MIN_REACH_SPAN_NORM <= min_span_norm <= 1.0:
        raise ValueError(f"min_span_norm: expected {MIN_REACH_SPAN_NORM} to 1, got {min_span_norm}")
    points = np.asarray(palms_norm, dtype=np.float64)
    x_low, x_high, x_widened = _axis_range(points[:, 0], margin_fraction=margin_fraction, min_span_norm=min_span_norm)
    y_low, y_high, y_widened = _axis_range(points[:, 1], margin_fraction=margin_fraction, min_span_norm=min_span_norm)
    return ReachCalibrationResult(ReachRange(x_low, x_high, y_low, y_high), widened=x_widened or y_widened)


def neutral_head(angles: Sequence[HeadAngles]) -> HeadAngles:
    """Return the neutral head posture: the per-angle median (robust to a brief glance away). Degrees.

    Raises
    ------
    ValueError
        When ``angles`` is empty.
    """
    if not angles:
        raise ValueError("expected at least one head pose, got none")
    values = np.asarray([(a.yaw_deg, a.pitch_deg, a.roll_deg) for a in angles], dtype=np.float64)
    yaw, pitch, roll = np.median(values, axis=0)
    return HeadAngles(yaw_deg=float(yaw), pitch_deg=float(pitch), roll_deg=float(roll))

"""A patient's calibration, as pure data: the comfortable reach range of the hand and the neutral head posture.

Stored per patient by :mod:`clinic`; measured by the game's calibration scene; used by the signals.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracking.types import HeadAngles

# A reach range narrower than this (normalised image units) cannot be mapped to the screen meaningfully:
# 5% of the image is about 3 cm at arm's length from a laptop webcam.
MIN_REACH_SPAN_NORM = 0.05


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
        """The default before calibration: the whole image."""
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

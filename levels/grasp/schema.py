"""The grasp and release level file (``kind = "grasp"``), on top of :class:`levels.schema.LevelFile`.

Lengths ending in ``_norm`` are fractions of the screen height. The aperture thresholds are on the hand's grasp
aperture (:func:`tracking.hand_signals.grasp_aperture`: 0 a closed fist, 1 an open flat hand).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from levels.common_schema import InterTrialPause, PlacementSeed, Trials
from levels.schema import LevelFile

# The smallest gap between the close and open thresholds. Measured on ../shared/media/hand_video.mp4 (202 frames,
# MediaPipe hands): the aperture changes from one frame to the next by 0.034 at the 95th percentile and 0.088 at
# most, so a gap of 0.1 keeps one frame's change from both closing and opening the hand.
MIN_APERTURE_HYSTERESIS = 0.1


class GraspLevel(LevelFile):
    """One grasp and release level, as written in its TOML file."""

    kind: Literal["grasp"] = Field(description="the grasp and release family")
    trials: Trials = Field(description="balls to carry in one play of the level")
    object_radius_norm: float = Field(ge=0.03, le=0.2, description="the ball's radius, fraction of screen height")
    goal_radius_norm: float = Field(
        default=0.12, ge=0.05, le=0.3, description="the goal's radius, fraction of screen height"
    )
    carry_distance_norm: float = Field(
        ge=0.15, le=1.2, description="from the ball to the goal, screen heights (shortened where the screen is narrow)"
    )
    grip_hold_time_s: float = Field(
        ge=0.1, le=3.0, description="seconds the hand stays closed on the ball before the ball lifts"
    )
    close_below_aperture: float = Field(
        default=0.35, ge=0.05, le=0.85, description="the hand counts as closed when its aperture falls below this"
    )
    open_above_aperture: float = Field(
        default=0.55, ge=0.15, le=0.95, description="the hand counts as open again when its aperture rises above this"
    )
    trial_timeout_s: float = Field(
        default=60.0, ge=10.0, le=300.0, description="a ball not delivered by then waits for another day (missed)"
    )
    inter_trial_pause_s: InterTrialPause = Field(default=1.5, description="rest between a delivery and the next ball")
    seed: PlacementSeed = Field(description="seeds the ball and goal positions")

    @field_validator("open_above_aperture")
    @classmethod
    def _hysteresis(cls, open_above: float, info: ValidationInfo) -> float:
        """Check that opening needs a wider hand than closing, by at least :data:`MIN_APERTURE_HYSTERESIS`."""
        close_below = info.data.get("close_below_aperture")
        if isinstance(close_below, float) and open_above - close_below < MIN_APERTURE_HYSTERESIS - 1e-9:
            raise ValueError(
                f"expected at least {MIN_APERTURE_HYSTERESIS} above close_below_aperture ({close_below}), so that "
                "tracking jitter cannot open the hand"
            )
        return open_above

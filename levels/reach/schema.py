"""The reach level file: targets to reach and hold (``kind = "reach"``), on top of :class:`levels.schema.LevelFile`."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from levels.common_schema import DwellTime, InterTrialPause, PlacementSeed, TargetRadius, TargetTimeout, Trials
from levels.schema import LevelFile

# Where a level's targets may appear, as the patient sees the screen (a mirror: "left" is the patient's left side):
# the whole play area, or one half of it, to train the workspace of the affected side.
ReachRegion = Literal["whole", "left", "right", "upper", "lower"]


class ReachLevel(LevelFile):
    """One reach level, as written in its TOML file."""

    kind: Literal["reach"] = Field(description="the reach family")
    trials: Trials = Field(description="targets in one play of the level")
    target_radius_norm: TargetRadius = Field(description="target radius, fraction of screen height")
    dwell_time_s: DwellTime = Field(description="time the cursor must stay on a target to hit it")
    trial_timeout_s: TargetTimeout = Field(description="a target not hit within this time is missed")
    inter_trial_pause_s: InterTrialPause = Field(default=1.0, description="rest between a target's end and the next")
    min_target_distance_norm: float = Field(
        default=0.3, ge=0.0, le=0.8, description="each target at least this far from the previous one"
    )
    max_target_distance_norm: float | None = Field(
        default=None,
        ge=0.1,
        le=2.0,
        description="each target at most this far from the previous one (screen heights); no limit when left out",
    )
    region: ReachRegion = Field(
        default="whole",
        description="where targets appear, as the patient sees the screen: whole, left, right, upper or lower",
    )
    seed: PlacementSeed = Field(description="seeds the target positions: the same level, the same targets")

    @field_validator("max_target_distance_norm")
    @classmethod
    def _not_below_the_minimum(cls, maximum: float | None, info: ValidationInfo) -> float | None:
        minimum = info.data.get("min_target_distance_norm")
        if maximum is not None and minimum is not None and maximum < minimum:
            raise ValueError(f"expected at least min_target_distance_norm ({minimum})")
        return maximum

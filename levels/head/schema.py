"""The head control level file (``kind = "head"``), on top of :class:`levels.schema.LevelFile`."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from levels.common_schema import DwellTime, InterTrialPause, PlacementSeed, TargetTimeout, Trials
from levels.schema import LevelFile


class HeadLevel(LevelFile):
    """One head control level, as written in its TOML file."""

    kind: Literal["head"] = Field(description="the head control family")
    trials: Trials = Field(description="targets in one play of the level")
    range_fraction: float = Field(
        ge=0.1, le=1.0, description="how far targets go, as a fraction of the patient's range of motion"
    )
    bias_yaw: float = Field(
        default=0.0,
        ge=-0.9,
        le=0.9,
        description="shift of the targets in yaw: + towards the patient's left, - towards the right (share of range)",
    )
    bias_pitch: float = Field(
        default=0.0, ge=-0.9, le=0.9, description="shift of the targets in pitch: + chin up, - chin down"
    )
    target_radius_norm: float = Field(ge=0.03, le=0.3, description="target radius, fraction of screen height")
    dwell_time_s: DwellTime = Field(description="time the head cursor must stay on a target to hit it")
    trial_timeout_s: TargetTimeout = Field(description="a target not hit within this time is missed")
    inter_trial_pause_s: InterTrialPause = Field(default=1.5, description="rest between targets")
    seed: PlacementSeed = Field(description="seeds the target positions: the same level, the same targets")

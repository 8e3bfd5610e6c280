"""The head control level file (``kind = "head"``), on top of :class:`levels.schema.LevelFile`."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from levels.schema import LevelFile


class HeadLevel(LevelFile):
    """One head control level, as written in its TOML file."""

    kind: Literal["head"] = Field(description="the head control family")
    trials: int = Field(ge=1, le=100, description="targets in one play of the level")
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
    dwell_time_s: float = Field(ge=0.1, le=5.0, description="time the head cursor must stay on a target to hit it")
    trial_timeout_s: float = Field(ge=2.0, le=120.0, description="a target not hit within this time is missed")
    inter_trial_pause_s: float = Field(default=1.5, ge=0.0, le=10.0, description="rest between targets")
    seed: int = Field(ge=0, le=2**32 - 1, description="seeds the target positions: the same level, the same targets")

"""The reach level file: targets to reach and hold (``kind = "reach"``), on top of :class:`levels.schema.LevelFile`."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from levels.schema import LevelFile


class ReachLevel(LevelFile):
    """One reach level, as written in its TOML file."""

    kind: Literal["reach"] = Field(description="the reach family")
    trials: int = Field(ge=1, le=100, description="targets in one play of the level")
    target_radius_norm: float = Field(ge=0.02, le=0.3, description="target radius, fraction of screen height")
    dwell_time_s: float = Field(ge=0.1, le=5.0, description="time the cursor must stay on a target to hit it")
    trial_timeout_s: float = Field(ge=2.0, le=120.0, description="a target not hit within this time is missed")
    inter_trial_pause_s: float = Field(
        default=1.0, ge=0.0, le=10.0, description="rest between a target's end and the next target"
    )
    min_target_distance_norm: float = Field(
        default=0.3, ge=0.0, le=0.8, description="each target at least this far from the previous one"
    )
    seed: int = Field(ge=0, le=2**32 - 1, description="seeds the target positions: the same level, the same targets")

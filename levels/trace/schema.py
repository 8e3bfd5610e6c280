"""The trace level file: follow a moving guide along a path (``kind = "trace"``), on top of :class:`LevelFile`."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from levels.common_schema import InterTrialPause
from levels.schema import LevelFile

# The shapes a guide can follow: out and back along a horizontal line, once round a circle, once round a figure-8.
TracePathName = Literal["line", "circle", "figure8"]


class TraceLevel(LevelFile):
    """One trace level (controlled, slow movement), as written in its TOML file."""

    kind: Literal["trace"] = Field(description="the trace family")
    trials: int = Field(ge=1, le=20, description="laps of the path in one play of the level")
    path: TracePathName = Field(description="the shape the guide follows: line, circle or figure8")
    speed_norm_per_s: float = Field(
        ge=0.02, le=0.5, description="the guide's speed along the path, screen heights a second"
    )
    path_width_norm: float = Field(
        ge=0.03, le=0.3, description="the width of the path drawn (and counted as on it), fraction of screen height"
    )
    inter_trial_pause_s: InterTrialPause = Field(
        default=2.0, description="rest between laps, with the guide waiting at the start"
    )

"""The level file schema (TOML, one file per level in :mod:`levels.catalogue`).

Every field carries its unit in its name and its valid range; unknown fields are rejected so that a typo never
silently falls back to a default. Screen-normalised lengths (``_norm``) are fractions of the screen height, so a
round target stays round on any window shape.
"""

from __future__ import annotations

import enum

from pydantic import BaseModel, ConfigDict, Field

from tracking.frames import TrackingModel

# A level name is also a file name: lower-case letters, digits, '-' and '_' only.
LEVEL_NAME_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"


class LevelKind(enum.Enum):
    """The game rules a level uses."""

    REACH = "reach"


class LevelFile(BaseModel):
    """One level, as written in its TOML file."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)

    name: str = Field(pattern=LEVEL_NAME_PATTERN, description="the file's name without .toml")
    title: str = Field(min_length=1, max_length=80, description="shown to the patient")
    description: str = Field(default="", max_length=400, description="one or two sentences for the menu")
    kind: LevelKind
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
    models: tuple[TrackingModel, ...] = Field(min_length=1, description="MediaPipe models the level needs")
    seed: int = Field(ge=0, le=2**32 - 1, description="seeds the target positions: the same level, the same targets")

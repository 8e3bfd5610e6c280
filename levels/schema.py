"""The level file schema (TOML, one file per level in :mod:`levels.catalogue`).

Every field carries its unit in its name and its valid range; unknown fields are rejected so that a typo never
silently falls back to a default. Types are strict: ``trials = "8"`` or ``trials = 8.0`` is refused rather than
converted, so what the file says is what the game uses. Screen-normalised lengths (``_norm``) are fractions of the
screen height, so a round target stays round on any window shape. Text shown to the patient holds no control
characters (pygame cannot draw a NUL, and the others show as boxes).
"""

from __future__ import annotations

import enum
import unicodedata
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, Strict, field_validator

from tracking.types import TrackingModel

# A level name is also a file name: lower-case letters, digits, '-' and '_' only.
LEVEL_NAME_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"


def first_control_character(text: str) -> str | None:
    """A description of the first control character in ``text`` (Unicode category Cc: NUL, tab, newline, escape,
    DEL, the C1 controls), or ``None`` when there is none."""
    for position, char in enumerate(text, start=1):
        if unicodedata.category(char) == "Cc":
            return f"U+{ord(char):04X} at character {position}"
    return None


class LevelKind(enum.Enum):
    """The game rules a level uses."""

    REACH = "reach"


class LevelFile(BaseModel):
    """One level, as written in its TOML file."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False, strict=True, allow_inf_nan=False)

    name: str = Field(pattern=LEVEL_NAME_PATTERN, description="the file's name without .toml")
    title: str = Field(min_length=1, max_length=80, description="shown to the patient")
    description: str = Field(default="", max_length=400, description="one or two sentences for the menu")
    kind: LevelKind = Field(strict=False)  # given as its text value; strict mode would want an enum instance
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
    models: tuple[Annotated[TrackingModel, Strict(False)], ...] = Field(
        min_length=1, strict=False, description="MediaPipe models the level needs"  # a TOML array of texts
    )
    seed: int = Field(ge=0, le=2**32 - 1, description="seeds the target positions: the same level, the same targets")

    @field_validator("title", "description")
    @classmethod
    def _printable(cls, text: str) -> str:
        found = first_control_character(text)
        if found is not None:
            raise ValueError(f"contains the control character {found}; expected text that can be shown")
        return text

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        """The fields a level file may have, in the schema's order."""
        return tuple(cls.model_fields)

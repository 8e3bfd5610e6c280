"""The breathe level file: a paced breathing guide with stillness biofeedback (``kind = "breathe"``).

A trial is one breath cycle of ``60 / breaths_per_min`` seconds; the level holds as many whole cycles as fit in
``duration_s`` (at least one). ``breathing_rate_from`` says where the breathing rate is read: the face (the default:
the face model runs anyway) or the shoulders (the pose model).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from levels.schema import LevelFile
from tracking.types import TrackingModel


class BreatheLevel(LevelFile):
    """One breathe level, as written in its TOML file."""

    kind: Literal["breathe"] = Field(description="the breathe family")
    breaths_per_min: float = Field(ge=3.0, le=20.0, description="the guide's pace, breaths a minute")
    duration_s: float = Field(ge=20.0, le=1200.0, description="length of the level, seconds (whole breaths)")
    inhale_fraction: float = Field(
        default=0.4, ge=0.3, le=0.6, description="part of each breath spent breathing in (the rest breathing out)"
    )
    lead_in_s: float = Field(default=3.0, ge=0.0, le=30.0, description="quiet time before the first breath")
    breathing_rate_from: Literal["face", "shoulders"] = Field(
        default="face",
        description="where the breathing rate is read: the face's rise and fall (the face model) or the shoulders' "
        '(needs "pose" in models, the heaviest model)',
    )

    @field_validator("breathing_rate_from")
    @classmethod
    def _model_runs(cls, source: str, info: ValidationInfo) -> str:
        models = info.data.get("models")
        if source == "shoulders" and models is not None and TrackingModel.POSE not in models:
            raise ValueError('"shoulders" needs the pose model: add "pose" to models, or read it from the "face"')
        return source

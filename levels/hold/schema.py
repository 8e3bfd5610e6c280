"""The hold level file: hold a posture within a tolerance (``kind = "hold"``), on top of :class:`LevelFile`.

The effector is a field of the level: a head hold asks for head angles (degrees, relative to the patient's
calibrated neutral, signs as in the README's "Signals and sign conventions": yaw positive turns the head to the
patient's left, pitch positive is chin up, roll positive tilts towards the left shoulder); a hand hold asks for a
screen point (0..1 of the width and height) and a tolerance in screen heights. A field of the other effector's
target is refused, so that a hand hold never silently ignores a head angle it was given.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from levels.schema import LevelFile

HEAD_FIELDS = ("target_yaw_deg", "target_pitch_deg", "target_roll_deg", "tolerance_deg")
HAND_FIELDS = ("target_x_norm", "target_y_norm", "tolerance_norm")


class HoldLevel(LevelFile):
    """One hold level, as written in its TOML file."""

    kind: Literal["hold"] = Field(description="the hold family")
    effector: Literal["head", "hand"] = Field(default="head", description="what holds the posture")
    repetitions: int = Field(ge=1, le=30, description="holds in one play of the level")
    hold_time_s: float = Field(ge=1.0, le=120.0, description="time each hold lasts once the target is reached")
    trial_timeout_s: float = Field(
        default=30.0, ge=5.0, le=300.0, description="a target not reached within this time is missed"
    )
    inter_trial_pause_s: float = Field(
        default=3.0, ge=0.0, le=30.0, description="rest between holds (back to a comfortable posture)"
    )
    target_yaw_deg: float = Field(default=0.0, ge=-45.0, le=45.0, description="head target: turn, + to the left")
    target_pitch_deg: float = Field(default=0.0, ge=-30.0, le=30.0, description="head target: + chin up")
    target_roll_deg: float = Field(default=0.0, ge=-30.0, le=30.0, description="head target: + tilt to the left")
    tolerance_deg: float = Field(default=5.0, ge=1.0, le=20.0, description="head: largest angle off the target")
    target_x_norm: float = Field(default=0.5, ge=0.05, le=0.95, description="hand target, fraction of the width")
    target_y_norm: float = Field(default=0.55, ge=0.15, le=0.95, description="hand target, fraction of the height")
    tolerance_norm: float = Field(
        default=0.08, ge=0.02, le=0.3, description="hand: largest distance off the target, screen heights"
    )

    @model_validator(mode="after")
    def _one_effectors_target(self) -> HoldLevel:
        other = HAND_FIELDS if self.effector == "head" else HEAD_FIELDS
        given = [name for name in other if name in self.model_fields_set]
        if given:
            raise ValueError(
                f"{', '.join(given)}: not a field of a {self.effector} hold (effector = {self.effector!r}); "
                f"expected only {', '.join(HEAD_FIELDS if self.effector == 'head' else HAND_FIELDS)}"
            )
        return self

"""The head control level file (``kind = "head"``), on top of :class:`levels.schema.LevelFile`.

A head level's ``goal`` is ``"targets"`` (steer onto a circle and hold it: ``target_radius_norm``, ``dwell_time_s``,
``trial_timeout_s``) or ``"gates"`` (steer through a short path of gates, each the way its arrow points:
``gates_per_trial``, ``gate_width_norm``, ``gate_time_s``). The fields of the goal are required, the other
goal's are refused, each error naming its field. ``range_left_deg`` ... ``range_down_deg`` are the patient's own
range of motion (filled in from the latest assessment by :func:`levels.head.personal.personalised`).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator

from levels.common_schema import DwellTime, InterTrialPause, PlacementSeed, TargetTimeout, Trials
from levels.schema import LevelFile

# The fields each goal needs (and the other goal refuses).
TARGET_FIELDS = ("target_radius_norm", "dwell_time_s", "trial_timeout_s")
GATE_FIELDS = ("gates_per_trial", "gate_width_norm", "gate_time_s")
GOAL_FIELDS = {"targets": TARGET_FIELDS, "gates": GATE_FIELDS}
# Gates in one trial: one is a single gate on the way out; more than six on a path that spans at most half the
# screen would stand closer together than the head cursor's own size.
GatesPerTrial = Annotated[int, Field(ge=1, le=6)]
# The opening between a gate's posts, screen heights: 0.05 is a narrow slot (about two cursors), 0.5 half the screen.
GateWidth = Annotated[float, Field(ge=0.05, le=0.5)]
# Time to pass each gate before it slips by, seconds: 1.5 s is a brisk turn, 30 s an unhurried one.
GateTime = Annotated[float, Field(ge=1.5, le=30.0)]
# The patient's comfortable range of motion one way, degrees from neutral: 5 deg is a very stiff neck, 90 deg a full
# turn (Youdas et al. 1992 measured up to ~80 deg of rotation in healthy adults).
RangeOfMotionDeg = Annotated[float, Field(ge=5.0, le=90.0)]


class HeadLevel(LevelFile):
    """One head control level, as written in its TOML file."""

    kind: Literal["head"] = Field(description="the head control family")
    goal: Literal["targets", "gates"] = Field(
        default="targets",
        description="targets: steer onto a circle and hold it; gates: steer through gates the way their arrows point",
    )
    trials: Trials = Field(description="targets (or paths of gates) in one play of the level")
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
    target_radius_norm: float | None = Field(
        default=None,
        ge=0.03,
        le=0.3,
        validate_default=True,
        description="goal targets: target radius, fraction of screen height",
    )
    dwell_time_s: DwellTime | None = Field(
        default=None, validate_default=True, description="goal targets: time the head cursor must stay on a target"
    )
    trial_timeout_s: TargetTimeout | None = Field(
        default=None, validate_default=True, description="goal targets: a target not hit within this time is missed"
    )
    gates_per_trial: GatesPerTrial | None = Field(
        default=None, validate_default=True, description="goal gates: gates on each path, from neutral outwards"
    )
    gate_width_norm: GateWidth | None = Field(
        default=None,
        validate_default=True,
        description="goal gates: the opening between a gate's two posts, fraction of screen height",
    )
    gate_time_s: GateTime | None = Field(
        default=None, validate_default=True, description="goal gates: seconds to pass each gate before it slips by"
    )
    range_left_deg: RangeOfMotionDeg | None = Field(
        default=None, description="the patient's range turning left, degrees (from the assessment; default 40)"
    )
    range_right_deg: RangeOfMotionDeg | None = Field(
        default=None, description="the patient's range turning right, degrees (from the assessment; default 40)"
    )
    range_up_deg: RangeOfMotionDeg | None = Field(
        default=None, description="the patient's range raising the chin, degrees (from the assessment; default 25)"
    )
    range_down_deg: RangeOfMotionDeg | None = Field(
        default=None, description="the patient's range lowering the chin, degrees (from the assessment; default 25)"
    )
    inter_trial_pause_s: InterTrialPause = Field(default=1.5, description="rest between targets")
    seed: PlacementSeed = Field(description="seeds the target positions: the same level, the same targets")

    @field_validator(*TARGET_FIELDS, *GATE_FIELDS)
    @classmethod
    def _goal_fields(cls, value: float | None, info: ValidationInfo) -> float | None:
        goal = info.data.get("goal")
        if goal not in GOAL_FIELDS:  # the goal itself is invalid: its own error is the one shown
            return value
        needed = info.field_name in GOAL_FIELDS[goal]
        if needed and value is None:
            raise ValueError(f'needed when goal = "{goal}" (missing)')
        if not needed and value is not None:
            raise ValueError(f'only for goal = "{_other(goal)}"; this level\'s goal is "{goal}"')
        return value


def _other(goal: str) -> str:
    return next(name for name in GOAL_FIELDS if name != goal)

"""The assessment level file (``kind = "assessment"``): how long each step lasts, on top of :class:`LevelFile`."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from levels.common_schema import DwellTime, TargetRadius
from levels.schema import LevelFile


class AssessmentLevel(LevelFile):
    """One assessment, as written in its TOML file: the duration of each step (``*_s``).

    A step's progress bar fills only while its condition holds (the camera set-up is right, the hand or the head
    is seen, the hand is still); the step ends when the bar is full, or after ``step_timeout_s`` with what it
    measured so far.
    """

    kind: Literal["assessment"] = Field(description="the assessment family")
    setup_check_s: float = Field(ge=0.5, le=30.0, description="time the camera set-up must stay right")
    reach_range_s: float = Field(ge=2.0, le=60.0, description="time the hand is seen exploring its comfortable reach")
    head_range_s: float = Field(ge=2.0, le=60.0, description="time the head is seen turning, nodding and tilting")
    rest_posture_s: float = Field(ge=2.0, le=60.0, description="time the head is seen resting, for its posture")
    rest_hand_s: float = Field(ge=2.0, le=60.0, description="time the hand is held still, for jitter and tremor")
    reach_dwell_s: DwellTime = Field(description="time on a target of the five reaches to reach it")
    target_radius_norm: TargetRadius = Field(
        default=0.09, description="radius of the five reaches' targets, fraction of screen height"
    )
    summary_s: float = Field(ge=1.0, le=60.0, description="time the summary is shown before the results")
    step_timeout_s: float = Field(
        ge=10.0, le=600.0, description="a step not done by then ends with what it measured (game time, pauses excluded)"
    )

"""Assessments of a patient's head range of motion, written as the game saves them, from ground-truth angles."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np

from levels.assessment.measures import head_range_measures
from levels.assessment.record import assessment_from_results, save_assessment
from levels.trial import Outcome, TrialResult
from tracking.types import HeadAngles


def head_sweep(left_deg: float, right_deg: float, up_deg: float, down_deg: float) -> list[HeadAngles]:
    """Ground-truth head angles of a patient turning as far as comfortable each way and back (30 fps, 12 s)."""
    t = np.linspace(0.0, 1.0, 90)
    turn = np.concatenate([left_deg * np.sin(np.pi * t), -right_deg * np.sin(np.pi * t)])
    nod = np.concatenate([up_deg * np.sin(np.pi * t), -down_deg * np.sin(np.pi * t)])
    return [HeadAngles(float(y), 0.0, 0.0) for y in turn] + [HeadAngles(0.0, float(p), 0.0) for p in nod]


def save_head_assessment(
    data_dir: Path,
    patient: str,
    angles: list[HeadAngles],
    taken_at: datetime,
    *,
    index: int = 0,
    end_s: float = 12.0,
) -> Path:
    """Save an assessment of ``patient`` whose head range step (trial ``index``, ending at ``end_s``) measured
    ``angles`` (its file, as the game saves it)."""
    result = TrialResult(
        index=index,
        outcome=Outcome.HIT,
        start_s=0.0,
        end_s=end_s,
        params={"step": "head_range"},
        measures=head_range_measures(angles),
    )
    return save_assessment(data_dir, patient, assessment_from_results("assessment", [result], taken_at=taken_at))

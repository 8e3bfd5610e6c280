"""The patient's own range of motion in a head level: from the latest assessment to the level's concrete extents.

The assessment's head range step (:func:`levels.assessment.measures.head_range_measures`) measures how far the head
turns and nods each way, as far as comfortable, in degrees from the calibrated neutral posture
(:func:`tracking.calibration.neutral_head`). :func:`personalised` writes that range into a head level's
``range_left_deg`` ... ``range_down_deg``, so that its targets and gates go ``range_fraction`` of the patient's own
range each way (:func:`levels.head.rules.target_extents`) rather than of the default. It is pure; :func:`for_patient`
reads the patient's latest assessment file and applies it, for the game to call before a level starts.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from levels.assessment.record import assessments_folder
from levels.head.schema import HeadLevel
from levels.schema import LevelFile
from tracking.types import HeadAngles

LevelT = TypeVar("LevelT", bound=LevelFile)

HEAD_RANGE_STEP = "head_range"
# The assessment's measures of the head range step, each way (levels/assessment/measures.py).
RANGE_MEASURES = ("turn_left_max_deg", "turn_right_max_deg", "chin_up_max_deg", "chin_down_max_deg")
# A way the patient moved less than this is given this much (the level file's smallest range, levels/head/schema.py):
# the head still has to move for a target, a little; a few degrees are within a webcam head pose's own error.
LEAST_RANGE_DEG = 5.0
# And at most a full turn (the schema's largest).
MOST_RANGE_DEG = 90.0


@dataclass(frozen=True)
class HeadRange:
    """How far the head went each way from neutral, degrees (>= 0): left and right turn, chin up and down."""

    left_deg: float
    right_deg: float
    up_deg: float
    down_deg: float


def head_range_from_measures(measures: Mapping[str, object]) -> HeadRange | None:
    """Return the range of the head range step's ``measures``, or ``None`` when it was not measured."""
    if measures.get("measured") is not True:
        return None
    values = [measures.get(name) for name in RANGE_MEASURES]
    numbers = [float(value) for value in values if isinstance(value, (int, float)) and not isinstance(value, bool)]
    if len(numbers) != len(RANGE_MEASURES):
        return None
    return HeadRange(*numbers)


def head_range_from_assessment(payload: Mapping[str, object]) -> HeadRange | None:
    """Return the head range of an assessment's JSON payload (``Assessment.as_dict``), or ``None`` without one."""
    steps = payload.get("steps")
    step = steps.get(HEAD_RANGE_STEP) if isinstance(steps, Mapping) else None
    return head_range_from_measures(step) if isinstance(step, Mapping) else None


def latest_head_range(data_dir: Path, patient: str) -> HeadRange | None:
    """Return the head range of ``patient``'s newest assessment file that measured one, or ``None``.

    The files are ``<data dir>/patients/<patient>/assessments/<UTC time>.json``
    (:func:`levels.assessment.record.save_assessment`), newest last by name; a file that cannot be read as an
    assessment is passed over (the records store is the record of truth; this only tunes a level).
    """
    try:
        folder = assessments_folder(data_dir, patient)
    except ValueError:
        return None
    for path in sorted(folder.glob("*.json"), reverse=True):
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            continue
        if isinstance(payload, dict) and payload.get("kind") == "motorplay-assessment":
            found = head_range_from_assessment(payload)
            if found is not None:
                return found
    return None


def _way(degrees: float) -> float:
    return min(max(degrees, LEAST_RANGE_DEG), MOST_RANGE_DEG)


def personalised(level: LevelT, head_range: HeadRange | None, neutral: HeadAngles | None = None) -> LevelT:
    """Return ``level`` with the patient's range of motion: a head level's ``range_left_deg`` ... ``range_down_deg``.

    Parameters
    ----------
    level
        Any level; only a head level changes (its targets then go ``range_fraction`` of this range each way).
    head_range
        The patient's range, degrees each way from the neutral posture it was measured from; ``None``: unknown
        (the level is returned unchanged and plays with the default range).
    neutral
        The neutral posture the game plays with, relative to the one the range was measured from (degrees;
        ``None`` or zero when the patient has not been calibrated again since): a neutral turned 5 deg to the left
        leaves 5 deg less to the left and gives 5 deg more to the right.

    Each way is kept within 5-90 degrees (:data:`LEAST_RANGE_DEG`, :data:`MOST_RANGE_DEG`).
    """
    if not isinstance(level, HeadLevel) or head_range is None:
        return level
    shift = neutral or HeadAngles(0.0, 0.0, 0.0)
    data = level.model_dump()
    data.update(
        range_left_deg=_way(head_range.left_deg - shift.yaw_deg),
        range_right_deg=_way(head_range.right_deg + shift.yaw_deg),
        range_up_deg=_way(head_range.up_deg - shift.pitch_deg),
        range_down_deg=_way(head_range.down_deg + shift.pitch_deg),
    )
    updated: LevelT = type(level).model_validate(data, strict=False)
    return updated


def for_patient(level: LevelT, data_dir: Path, patient: str) -> LevelT:
    """Return ``level`` with ``patient``'s latest assessed range (unchanged without one, or for another family)."""
    if not isinstance(level, HeadLevel):
        return level
    return personalised(level, latest_head_range(data_dir, patient))

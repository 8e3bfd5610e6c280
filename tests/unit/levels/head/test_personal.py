"""The patient's own range of motion in head levels: measured by the assessment's head range step from ground-truth
head angles, saved as an assessment file, read back, and turned into the level's concrete extents."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from levels.head import rules as head_rules
from levels.head.personal import (
    HeadRange,
    for_patient,
    head_range_from_measures,
    latest_head_range,
    personalised,
)
from levels.head.schema import HeadLevel
from levels.loader import load_level
from levels.screen import ScreenShape
from tests.support.head_assessments import head_sweep, save_head_assessment
from tracking.types import HeadAngles

SCREEN = ScreenShape(16 / 9, 0.08)
TAKEN = datetime(2026, 11, 20, 9, 30, tzinfo=timezone.utc)


def save_head_range(data_dir: Path, angles: list[HeadAngles], taken_at: datetime) -> None:
    save_head_assessment(data_dir, "anna", angles, taken_at, index=2, end_s=8.0)


def head_level(name: str = "head") -> HeadLevel:
    level = load_level(name)
    assert isinstance(level, HeadLevel)
    return level


def yaw_extremes(level: HeadLevel, trials: int = 200) -> tuple[float, float]:
    params = head_rules.head_params(level.model_copy(update={"trials": trials}), SCREEN)
    yaws = [target.yaw_deg for target in head_rules.all_targets(params)]
    return min(yaws), max(yaws)


def test_a_patient_with_30_left_and_50_right_gets_targets_within_those_fractions(tmp_path: Path) -> None:
    save_head_range(tmp_path, head_sweep(30.0, 50.0, 20.0, 15.0), TAKEN)
    measured = latest_head_range(tmp_path, "anna")
    assert measured == HeadRange(
        pytest.approx(30.0, abs=0.1),
        pytest.approx(50.0, abs=0.1),
        pytest.approx(20.0, abs=0.1),
        pytest.approx(15.0, abs=0.1),
    )
    level = head_level()
    mine = personalised(level, measured)
    assert (mine.range_left_deg, mine.range_right_deg) == (pytest.approx(30.0, abs=0.1), pytest.approx(50.0, abs=0.1))
    fraction = level.range_fraction
    most_right, most_left = yaw_extremes(mine)
    # Left: within the fraction of her 30 deg, and reaching close to it (her own range, not the default 40).
    assert most_left <= fraction * 30.0 + 1e-6 and most_left > 0.85 * fraction * 30.0
    # Right: her 50 deg is beyond the screen's 40 deg span, so the screen's span bounds it.
    assert -fraction * head_rules.YAW_ROM_DEG - 1e-6 <= most_right < -0.85 * fraction * head_rules.YAW_ROM_DEG
    params = head_rules.head_params(mine, SCREEN)
    for target in head_rules.all_targets(params):
        assert -fraction * 15.0 - 1e-6 <= target.pitch_deg <= fraction * 20.0 + 1e-6
    default_right, default_left = yaw_extremes(level)
    assert default_left > fraction * 30.0  # without her range, targets went further left than she can


def test_a_smaller_range_on_both_sides_bounds_gates_too(tmp_path: Path) -> None:
    save_head_range(tmp_path, head_sweep(20.0, 35.0, 15.0, 10.0), TAKEN)
    level = for_patient(head_level("head-gates"), tmp_path, "anna")
    assert level.range_left_deg == pytest.approx(20.0, abs=0.1) and level.range_right_deg == pytest.approx(
        35.0, abs=0.1
    )
    params = head_rules.head_params(level, SCREEN)
    for index in range(60):
        last = head_rules.target_for_trial(params, index)
        assert -level.range_fraction * 35.0 - 1e-6 <= last.yaw_deg <= level.range_fraction * 20.0 + 1e-6
        assert head_rules.gates_for_trial(params, index)[-1].centre == pytest.approx(head_rules.head_to_screen(last))


def test_the_latest_measured_assessment_counts_and_the_neutral_shifts_the_range(tmp_path: Path) -> None:
    save_head_range(tmp_path, head_sweep(30.0, 50.0, 20.0, 15.0), TAKEN)
    save_head_range(tmp_path, head_sweep(35.0, 45.0, 20.0, 15.0), TAKEN + timedelta(days=3))
    save_head_range(tmp_path, [], TAKEN + timedelta(days=5))  # the head was not seen: passed over
    assert latest_head_range(tmp_path, "anna") == HeadRange(
        pytest.approx(35.0, abs=0.1),
        pytest.approx(45.0, abs=0.1),
        pytest.approx(20.0, abs=0.1),
        pytest.approx(15.0, abs=0.1),
    )
    shifted = personalised(head_level(), HeadRange(30.0, 50.0, 20.0, 15.0), HeadAngles(5.0, -3.0, 0.0))
    assert (shifted.range_left_deg, shifted.range_right_deg) == (25.0, 55.0)
    assert (shifted.range_up_deg, shifted.range_down_deg) == (23.0, 12.0)
    stiff = personalised(head_level(), HeadRange(2.0, 120.0, 0.0, 10.0))
    assert (stiff.range_left_deg, stiff.range_right_deg, stiff.range_up_deg) == (5.0, 90.0, 5.0)


def test_no_assessment_or_another_family_leaves_the_level_as_it_is(tmp_path: Path) -> None:
    level = head_level()
    assert latest_head_range(tmp_path, "anna") is None
    assert for_patient(level, tmp_path, "anna") == level
    assert latest_head_range(tmp_path, "../x") is None
    reach = load_level("reach")
    assert personalised(reach, HeadRange(30.0, 50.0, 20.0, 15.0)) is reach
    assert head_range_from_measures({"measured": False, "note": "the head was not seen"}) is None
    assert head_rules.head_params(level, SCREEN).extents == head_rules.target_extents(level)

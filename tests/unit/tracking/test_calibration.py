"""Calibration arithmetic (tracking.calibration): robust reach extremes with a margin, widening of tiny ranges, the
neutral head."""

from __future__ import annotations

import numpy as np
import pytest

from tracking.calibration import (
    HIGH_PERCENTILE,
    LOW_PERCENTILE,
    MIN_REACH_SAMPLES,
    MIN_REACH_SPAN_NORM,
    MIN_USABLE_SPAN_NORM,
    ReachRange,
    neutral_head,
    reach_range_from_palms,
)
from tracking.types import HeadAngles


def _visits(
    rng: np.random.Generator, extremes: list[tuple[float, float]], per_pose: int = 50
) -> list[tuple[float, float]]:
    """``per_pose`` jittered palm positions held at each extreme."""
    points = []
    for x, y in extremes:
        points += [(x + rng.normal(0.0, 0.004), y + rng.normal(0.0, 0.004)) for _ in range(per_pose)]
    return points


def test_range_spans_the_visited_extremes_minus_margin() -> None:
    rng = np.random.default_rng(3)
    points = _visits(rng, [(0.2, 0.5), (0.8, 0.5), (0.5, 0.25), (0.5, 0.75)])  # left, right, up, down
    points += [(0.99, 0.01), (0.01, 0.99)]  # two tracking glitches: ignored by the percentiles
    result = reach_range_from_palms(points, margin_fraction=0.05)
    reach = result.reach
    assert not result.widened
    # Robust extremes are within the jitter of the held positions, then 5% of the span comes off each side.
    assert reach.x_min_norm == pytest.approx(0.2 + 0.03, abs=0.01)
    assert reach.x_max_norm == pytest.approx(0.8 - 0.03, abs=0.01)
    assert reach.y_min_norm == pytest.approx(0.25 + 0.025, abs=0.01)
    assert reach.y_max_norm == pytest.approx(0.75 - 0.025, abs=0.01)
    xs = np.array(points)[:, 0]
    low, high = np.percentile(xs, [LOW_PERCENTILE, HIGH_PERCENTILE])
    assert reach.x_min_norm == pytest.approx(low + 0.05 * (high - low))


def test_small_movements_are_widened_to_a_usable_range() -> None:
    rng = np.random.default_rng(4)
    points = _visits(rng, [(0.95, 0.5)], per_pose=100)
    result = reach_range_from_palms(points)
    assert result.widened
    assert result.reach.x_max_norm - result.reach.x_min_norm == pytest.approx(MIN_USABLE_SPAN_NORM)
    assert result.reach.x_max_norm <= 1.0  # widened inside the image, not past its edge
    assert result.reach.y_min_norm < 0.5 < result.reach.y_max_norm


def test_too_few_positions_rejected() -> None:
    with pytest.raises(ValueError, match=f"at least {MIN_REACH_SAMPLES} palm positions, got 3"):
        reach_range_from_palms([(0.1, 0.1), (0.9, 0.9), (0.5, 0.5)])


def test_bad_arguments_rejected() -> None:
    points = [(0.1 + 0.8 * i / 40, 0.5) for i in range(40)]
    with pytest.raises(ValueError, match="margin_fraction"):
        reach_range_from_palms(points, margin_fraction=0.5)
    with pytest.raises(ValueError, match="min_span_norm"):
        reach_range_from_palms(points, min_span_norm=0.01)


def test_neutral_head_is_the_median() -> None:
    angles = [HeadAngles(2.0, -3.0, 1.0)] * 9 + [HeadAngles(40.0, 30.0, -20.0)]  # one glance away
    assert neutral_head(angles) == HeadAngles(2.0, -3.0, 1.0)
    with pytest.raises(ValueError, match="at least one head pose"):
        neutral_head([])


def test_the_usable_span_is_a_valid_reach_range() -> None:
    """A range widened to the usable span must be accepted by ReachRange, anywhere in the image."""
    assert MIN_USABLE_SPAN_NORM >= MIN_REACH_SPAN_NORM
    for corner in ((0.0, 0.0), (1.0, 1.0), (0.5, 0.5)):
        result = reach_range_from_palms([corner] * MIN_REACH_SAMPLES)
        assert result.widened and isinstance(result.reach, ReachRange)
        assert result.reach.x_max_norm - result.reach.x_min_norm == pytest.approx(MIN_USABLE_SPAN_NORM)

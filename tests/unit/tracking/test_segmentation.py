"""Segmentation rules: rest is >= 0.5 s below 5% of the peak (or above the jitter); gaps <= 3 frames are filled."""

from __future__ import annotations

import numpy as np
import pytest

from tracking.analysis import analyze_track
from tracking.filtering import to_uniform_grid, tracked_segments
from tracking.quality_types import BreakKind, QualityParams
from tracking.segmentation import resting_jitter_speed, segment_movements
from tracking.synthetic import minimum_jerk
from tracking.types import Effector

pytestmark = pytest.mark.filterwarnings("error")  # numeric warnings are bugs here

FPS = 30.0


def reach_with_pause(pause_s: float, *, length_px: float = 200.0, duration_s: float = 0.9) -> np.ndarray:
    """x(t): rest 1 s, half a minimum-jerk reach, a complete stop for ``pause_s``, the other half, rest 1 s."""
    half = minimum_jerk(np.arange(0, duration_s, 1 / FPS) / duration_s)
    first, second = half[half <= 0.5], half[half > 0.5]
    x = np.concatenate([np.zeros(int(FPS)), first, np.full(int(round(pause_s * FPS)), first[-1]), second,
                        np.ones(int(FPS))])
    return np.column_stack([100 + length_px * x, np.full(x.size, 180.0)])


def analyse(positions: np.ndarray):  # type: ignore[no-untyped-def]
    t_s = np.arange(len(positions)) / FPS
    return analyze_track(t_s, positions, effector=Effector.HAND, width_px=640)[0]


@pytest.mark.parametrize("pause_s", [0.0, 0.2, 0.4])
def test_short_pause_stays_inside_one_movement(pause_s: float) -> None:
    result = analyse(reach_with_pause(pause_s))
    assert len(result.movements) == 1
    arrests = [b for b in result.breaks if b.kind is BreakKind.ARREST]
    assert len(arrests) == (1 if pause_s >= 0.2 else 0)


def test_pause_of_rest_length_splits_the_movement() -> None:
    result = analyse(reach_with_pause(0.8))
    assert len(result.movements) == 2
    assert result.breaks == ()


def test_gaps_of_three_frames_are_filled_longer_ones_end_the_movement() -> None:
    positions = reach_with_pause(0.0)
    middle = len(positions) // 2
    three = positions.copy()
    three[middle : middle + 3] = np.nan
    assert len(analyse(three).movements) == 1
    five = positions.copy()
    five[middle : middle + 5] = np.nan
    cut = analyse(five).movements
    assert len(cut) == 2  # the gap ends the movement; what follows is another
    assert cut[0].end_s < middle / FPS and cut[1].start_s >= (middle + 5) / FPS - 1e-9


def test_jitter_raises_the_rest_threshold() -> None:
    rng = np.random.default_rng(0)
    still = 320 + np.cumsum(rng.normal(0, 0.6, (300, 2)), axis=0) * 0.2 + rng.normal(0, 1.5, (300, 2))
    assert analyse(still).movements == ()  # a still hand with jitter makes no movement
    track = to_uniform_grid(np.arange(300) / FPS, still)
    segments = tracked_segments(track)
    params = QualityParams()
    jitter = resting_jitter_speed([s.speed for s in segments], FPS, params=params)
    assert jitter > 0
    assert segment_movements(segments[0].speed, FPS, jitter_speed=jitter, params=params) == []
    # without the jitter floor, 5% of the jitter's own peak would cut it into "movements"
    assert segment_movements(segments[0].speed, FPS, jitter_speed=0.0, params=params) != []


@pytest.mark.parametrize("rest_s", [0.25, 0.5])
def test_trial_with_little_rest_is_still_one_movement(rest_s: float) -> None:
    # a live trial cut close around the reach: little or no rest to measure the jitter on
    keep = int(FPS) - int(round(rest_s * FPS))
    positions = reach_with_pause(0.0)[keep:-keep]
    assert len(analyse(positions).movements) == 1


def test_dropped_frames_land_on_the_grid() -> None:
    t_s = np.array([0.0, 1 / FPS, 3 / FPS, 4 / FPS])
    track = to_uniform_grid(t_s, np.arange(8.0).reshape(4, 2))
    assert track.positions.shape == (5, 2)
    assert np.isnan(track.positions[2]).all() and track.fs_hz == pytest.approx(FPS)
    with pytest.raises(ValueError, match="must not decrease"):
        to_uniform_grid(np.array([0.0, 0.1, 0.05]), np.zeros((3, 2)))

"""The breathing rate from the shoulders, on synthetic shoulder traces of a known rate (no real breathing video
exists here): accuracy across rates, what breathing motion it needs against the jitter, and no rate from noise."""

from __future__ import annotations

import numpy as np
import pytest

from levels.breathe.rate import MIN_SPAN_S, estimate_breathing_rate_per_min, face_height_norm, shoulder_height_norm
from tests.support.breathing import face_raised, pose_with_shoulders, shoulder_trace
from tests.support.head_recordings import real_face
from tracking.types import LandmarkFrame

SEEDS = range(20)


@pytest.mark.parametrize("rate_per_min", [4.0, 6.0, 10.0, 15.0, 20.0, 25.0])
def test_the_rate_is_found_within_one_breath_a_minute(rate_per_min: float) -> None:
    """40 s of breathing 4 image-thousandths deep, 2 thousandths of jitter (SD), +-10% from breath to breath."""
    errors = []
    for seed in SEEDS:
        times, heights = shoulder_trace(rate_per_min, seed=seed)
        estimate = estimate_breathing_rate_per_min(times, heights)
        assert estimate is not None, seed
        errors.append(abs(estimate - rate_per_min))
    assert max(errors) < 1.0, errors


def test_breathing_smaller_than_the_jitter_gives_no_rate_rather_than_a_wrong_one() -> None:
    found = []
    for seed in SEEDS:
        times, heights = shoulder_trace(6.0, seed=seed, amplitude_norm=0.001)  # half the jitter's SD
        estimate = estimate_breathing_rate_per_min(times, heights)
        if estimate is not None:
            found.append(estimate)
    assert len(found) <= 6  # mostly no estimate (4 of 20 when measured)...
    assert all(abs(estimate - 6.0) < 2.0 for estimate in found)  # ...and the few found are near


def test_noise_alone_seldom_gives_a_rate() -> None:
    false_rates = 0
    for seed in range(200):
        rng = np.random.default_rng(1000 + seed)
        times = np.arange(0.0, 40.0, 1.0 / 30.0)
        false_rates += estimate_breathing_rate_per_min(times, 0.6 + 0.002 * rng.standard_normal(times.size)) is not None
    assert false_rates <= 4  # 1 of 200 when measured


def test_too_short_a_span_gives_no_rate() -> None:
    times, heights = shoulder_trace(12.0, seed=1, span_s=MIN_SPAN_S - 1.0)
    assert estimate_breathing_rate_per_min(times, heights) is None
    assert estimate_breathing_rate_per_min([], []) is None


def test_a_trace_that_does_not_move_gives_no_rate() -> None:
    for start_s in (0.0, 12.5, 100.0):  # the level's clock: a still trace once gave a rate of rounding noise
        times = start_s + np.arange(0.0, 40.0, 1.0 / 30.0)
        assert estimate_breathing_rate_per_min(times, np.full(times.size, 0.6)) is None, start_s


def test_the_shoulders_height_needs_both_shoulders_seen() -> None:
    assert shoulder_height_norm(LandmarkFrame(0.0, pose=pose_with_shoulders(0.61))) == pytest.approx(0.61)
    assert shoulder_height_norm(LandmarkFrame(0.0, pose=pose_with_shoulders(0.61, visibility=0.2))) is None
    assert shoulder_height_norm(LandmarkFrame(0.0)) is None


def test_the_face_height_is_its_rigid_midline_and_follows_the_face_up_and_down() -> None:
    face = real_face().face
    height = face_height_norm(LandmarkFrame(0.0, face=face))
    assert height is not None and 0.0 < height < 1.0
    assert face_height_norm(LandmarkFrame(0.0, face=face_raised(face, 0.004))) == pytest.approx(height - 0.004)
    mouth_open = face.copy()
    mouth_open[[13, 14, 17, 152], 1] += 0.02  # lips and chin move in talking: not part of the midline read
    assert face_height_norm(LandmarkFrame(0.0, face=mouth_open)) == pytest.approx(height)
    assert face_height_norm(LandmarkFrame(0.0)) is None

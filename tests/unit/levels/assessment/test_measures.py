"""What the assessment's steps measure, on real hand landmarks moved as scripted: the still hand's jitter and
tremor, the reach range from palm centres, the head's range and resting posture in TWSTRS bands, the reaches."""

from __future__ import annotations

import math

import numpy as np
import pytest

from levels.assessment import measures
from levels.events import TrackedFrame
from tests.support.assessment_inputs import FPS, camera_frame
from tracking.types import HeadAngles, TrackedSample


def samples(palms: list[tuple[float, float]]) -> list[TrackedSample]:
    found = []
    for index, palm in enumerate(palms):
        frame = camera_frame(index / FPS, palm)[0]
        assert isinstance(frame, TrackedFrame)
        found.append(frame.sample)
    return found


def resting_palms(seconds: float, *, tremor: tuple[float, float] | None, seed: int = 3) -> list[tuple[float, float]]:
    """A hand resting at (0.5, 0.5) with 0.0005 of landmark jitter, shaking at 5 Hz by 0.008 within ``tremor``."""
    rng = np.random.default_rng(seed)
    palms = []
    for index in range(round(seconds * FPS)):
        t_s = index / FPS
        shake = 0.008 * math.sin(2 * math.pi * 5.0 * t_s) if tremor and tremor[0] <= t_s < tremor[1] else 0.0
        noise = rng.normal(0.0, 0.0005, 2)
        palms.append((0.5 + shake + float(noise[0]), 0.5 + float(noise[1])))
    return palms


def test_a_resting_tremor_is_found_and_a_quiet_hand_has_none() -> None:
    shaking = measures.rest_hand_measures(samples(resting_palms(10.0, tremor=(5.0, 8.0))))
    quiet = measures.rest_hand_measures(samples(resting_palms(10.0, tremor=None)))
    assert shaking["measured"] is True and quiet["measured"] is True
    assert shaking["tremor_count"] == 1 and float(shaking["tremor_max_severity"]) > 1.0
    assert quiet["tremor_count"] == 0
    assert float(quiet["rest_jitter_rms_norm"]) == pytest.approx(0.0005 * math.sqrt(2), rel=0.3)
    assert float(shaking["rest_jitter_rms_norm"]) > 3 * float(quiet["rest_jitter_rms_norm"])


def test_the_still_hand_is_not_measured_without_frames_or_with_too_few() -> None:
    assert measures.rest_hand_measures([])["note"] == measures.MOUSE_NOTE
    few = measures.rest_hand_measures(samples(resting_palms(0.2, tremor=None)))
    assert few["measured"] is False and "6 frames" in str(few["note"])


def test_the_reach_range_of_palm_centres() -> None:
    palms = [(0.3 + 0.4 * (i % 50) / 49, 0.2 + 0.5 * (i // 50) / 3) for i in range(200)]
    found = measures.reach_range_measures(measures.palms_of(samples(palms)), from_camera=True)
    assert found["positions_of"] == "image"
    # the robust extremes (5th-95th percentile) less a 5 % margin, as calibration does
    assert 0.32 < float(found["reach_x_min_norm"]) < 0.36 and 0.64 < float(found["reach_x_max_norm"]) < 0.68
    assert float(found["reach_y_min_norm"]) == pytest.approx(0.2 + 0.05 * 0.5, abs=0.01)
    assert measures.reach_range_measures([(0.5, 0.5)] * 3, from_camera=False)["measured"] is False


def test_the_head_range_takes_the_farthest_angle_each_way() -> None:
    angles = [HeadAngles(40.0, 0, 0), HeadAngles(-35.0, 12.0, 3.0), HeadAngles(5.0, -20.0, -18.0)]
    found = measures.head_range_measures(angles)
    assert (found["turn_left_max_deg"], found["turn_right_max_deg"]) == (40.0, 35.0)
    assert (found["chin_up_max_deg"], found["chin_down_max_deg"]) == (12.0, 20.0)
    assert (found["tilt_left_max_deg"], found["tilt_right_max_deg"]) == (3.0, 18.0)
    one_way = measures.head_range_measures([HeadAngles(10.0, 5.0, 2.0)])
    assert one_way["turn_right_max_deg"] == 0.0  # never turned right: 0, not a negative number
    assert measures.head_range_measures([])["measured"] is False


@pytest.mark.parametrize(
    ("turn_deg", "band"),
    [(0.0, "0-22.5"), (22.5, "0-22.5"), (22.6, "22.5-45"), (-50.0, "45-67.5"), (80.0, "67.5-90"), (120.0, "67.5-90")],
)
def test_the_turn_bands_are_twstrs_rotation_quarters(turn_deg: float, band: str) -> None:
    assert f"band {band} deg" in measures.band_words(turn_deg, measures.ROTATION_BANDS_DEG)


@pytest.mark.parametrize(("tilt_deg", "band"), [(3.0, "0-15"), (-15.0, "0-15"), (20.0, "15-35"), (40.0, "over 35")])
def test_the_tilt_bands_are_twstrs_laterocollis_bands(tilt_deg: float, band: str) -> None:
    assert f"band {band} deg" in measures.band_words(tilt_deg, measures.TILT_BANDS_DEG)


def test_the_resting_posture_is_the_median_so_a_glance_away_does_not_count() -> None:
    angles = [HeadAngles(-30.0, 2.0, 20.0)] * 40 + [HeadAngles(10.0, 0.0, 0.0)] * 10  # a glance back to the screen
    found = measures.rest_posture_measures(angles)
    assert found["turn_deg"] == 30.0 and found["turn_side"] == "right" and "22.5-45" in str(found["turn_band"])
    assert found["tilt_deg"] == 20.0 and found["tilt_side"] == "left" and "15-35" in str(found["tilt_band"])
    assert "Consky and Lang 1994" in str(found["bands_source"])
    assert measures.rest_posture_measures(angles[:5])["measured"] is False


def test_each_reach_is_analysed_for_smoothness_and_breaks() -> None:
    def reach(start: tuple[float, float], end: tuple[float, float]) -> list[tuple[float, float]]:
        rest = [start] * 15
        moving = []
        for index in range(31):  # a one-second minimum-jerk reach
            u = index / 30
            s = 10 * u**3 - 15 * u**4 + 6 * u**5
            moving.append((start[0] + s * (end[0] - start[0]), start[1] + s * (end[1] - start[1])))
        return rest + moving + [end] * 15

    points = [(0.5, 0.5), (0.2, 0.5), (0.8, 0.5), (0.5, 0.2), (0.5, 0.8), (0.2, 0.2)]
    reaches = [samples(reach(a, b)) for a, b in zip(points, points[1:], strict=False)]
    found = measures.reach_measures(reaches, targets=5)
    assert found["measured"] is True and found["reaches_done"] == 5
    for number in range(1, 6):
        assert -2.0 < float(found[f"reach_{number}_sparc"]) < -1.0  # a smooth reach: SPARC near -1.4
    assert found["break_count"] == 0 and found["breaks_per_reach"] == 0.0
    mouse = measures.reach_measures([(), ()], targets=5)
    assert mouse["measured"] is False and mouse["note"] == measures.MOUSE_NOTE

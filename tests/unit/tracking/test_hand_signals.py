"""Hand signals on synthetic hands of known geometry: palm centre, finger flexion, aperture, hysteresis."""

from __future__ import annotations

import numpy as np
import pytest

from tests.support.synthetic_landmarks import bent_hand_points, hand_from_points
from tracking.hand_signals import (
    CLOSE_BELOW,
    FIST_FLEXION_DEG,
    OPEN_ABOVE,
    OPEN_FLEXION_DEG,
    GraspHysteresis,
    finger_flexion_deg,
    grasp_aperture,
    palm_centre_norm,
)
from tracking.types import GraspState


def test_palm_centre_is_the_mean_of_wrist_and_finger_mcps() -> None:
    image = np.zeros((21, 3))
    image[[0, 5, 9, 13, 17], :2] = [(0.5, 0.9), (0.4, 0.6), (0.45, 0.55), (0.5, 0.56), (0.55, 0.6)]
    image[[8, 12, 4], :2] = 0.01  # fingertips and thumb must not move the cursor
    hand = hand_from_points(bent_hand_points(0.0), image_points_norm=image)
    assert palm_centre_norm(hand) == pytest.approx((0.48, 0.642))


@pytest.mark.parametrize("bend_deg", [0.0, 10.0, 30.0, 60.0, 85.0])
def test_finger_flexion_is_the_sum_of_the_three_joint_bends(bend_deg: float) -> None:
    flexion = finger_flexion_deg(bent_hand_points(bend_deg))
    np.testing.assert_allclose(flexion, 3 * bend_deg, atol=1e-6)


def test_flexion_does_not_depend_on_hand_position_or_size() -> None:
    points = bent_hand_points(40.0)
    np.testing.assert_allclose(finger_flexion_deg(points * 2.5 + (1.0, -2.0, 3.0)), finger_flexion_deg(points))


def test_aperture_is_one_for_an_open_hand_zero_for_a_fist_and_linear_between() -> None:
    def aperture_at(flexion_deg: float) -> float:
        return grasp_aperture(hand_from_points(bent_hand_points(flexion_deg / 3)))

    assert aperture_at(0.0) == 1.0
    assert aperture_at(OPEN_FLEXION_DEG) == pytest.approx(1.0)
    assert aperture_at(FIST_FLEXION_DEG) == pytest.approx(0.0, abs=1e-9)
    assert aperture_at(260.0) == 0.0
    middle = (OPEN_FLEXION_DEG + FIST_FLEXION_DEG) / 2
    assert aperture_at(middle) == pytest.approx(0.5)
    flexions = np.linspace(0, 260, 27)
    apertures = [aperture_at(f) for f in flexions]
    assert all(b <= a for a, b in zip(apertures, apertures[1:], strict=False))


def test_image_landmark_fallback_undoes_the_aspect_ratio() -> None:
    """Without world landmarks, a hand squeezed into normalised image units reads as the same hand."""
    width_px, height_px = 640, 360
    world = bent_hand_points(35.0)
    # The hand in pixels (1 m = 1500 px), then normalised: x and z by width, y by height.
    pixels = world * 1500.0 + (300.0, 250.0, 0.0)
    image = pixels / (width_px, height_px, width_px)
    expected = grasp_aperture(hand_from_points(world))
    fallback = grasp_aperture(
        hand_from_points(world, image_points_norm=image, with_world=False), width_over_height=width_px / height_px
    )
    assert fallback == pytest.approx(expected, abs=1e-9)
    wrong_aspect = grasp_aperture(
        hand_from_points(world, image_points_norm=image, with_world=False), width_over_height=1
    )
    assert abs(wrong_aspect - expected) > 0.01


def test_image_landmark_fallback_needs_the_aspect_ratio() -> None:
    hand = hand_from_points(bent_hand_points(20.0), with_world=False)
    with pytest.raises(ValueError, match="width_over_height"):
        grasp_aperture(hand)


def test_hysteresis_changes_state_only_beyond_the_far_threshold() -> None:
    grasp = GraspHysteresis()
    assert grasp.state is None
    between = (CLOSE_BELOW + OPEN_ABOVE) / 2
    sequence = [0.9, between, CLOSE_BELOW + 0.01, CLOSE_BELOW - 0.01, between, OPEN_ABOVE - 0.01, OPEN_ABOVE + 0.01]
    states = [grasp.update(a) for a in sequence]
    o, c = GraspState.OPEN, GraspState.CLOSED
    assert states == [o, o, o, c, c, c, o]


def test_hysteresis_does_not_chatter_on_noise_inside_the_band() -> None:
    rng = np.random.default_rng(3)
    grasp = GraspHysteresis()
    grasp.update(0.0)
    noisy = np.clip(rng.normal((CLOSE_BELOW + OPEN_ABOVE) / 2, 0.03, 500), CLOSE_BELOW + 1e-6, OPEN_ABOVE - 1e-6)
    assert {grasp.update(float(a)) for a in noisy} == {GraspState.CLOSED}


def test_hysteresis_first_value_and_reset_decide_by_the_middle_of_the_band() -> None:
    grasp = GraspHysteresis()
    assert grasp.update(0.44) is GraspState.CLOSED
    grasp.reset()
    assert grasp.state is None
    assert grasp.update(0.46) is GraspState.OPEN


@pytest.mark.parametrize(("close_below", "open_above"), [(0.6, 0.4), (0.5, 0.5), (-0.1, 0.5), (0.3, 1.2)])
def test_hysteresis_rejects_inconsistent_thresholds(close_below: float, open_above: float) -> None:
    with pytest.raises(ValueError, match="close_below < open_above"):
        GraspHysteresis(close_below=close_below, open_above=open_above)

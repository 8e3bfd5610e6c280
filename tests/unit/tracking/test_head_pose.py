"""Head pose on synthetic faces rotated rigidly in 3D by known angles, and the sign conventions as felt."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from tests.support.synthetic_landmarks import FACE_CENTRE_PX, FACE_IMAGE_SIZE_PX, synthetic_face_norm, turn_face_norm
from tracking.head_pose import angles_from_matrix, head_angles_deg, relative_to, rotation_matrix
from tracking.types import FloatArray, HeadAngles

WIDTH_PX, HEIGHT_PX = FACE_IMAGE_SIZE_PX
NOSE_TIP, RIGHT_EYE_OUTER, LEFT_EYE_OUTER = 1, 33, 263
NEUTRAL = HeadAngles(0.0, 0.0, 0.0)


def _as_tuple(angles: HeadAngles) -> tuple[float, float, float]:
    return angles.yaw_deg, angles.pitch_deg, angles.roll_deg


def _relative_head(angles: HeadAngles, *, count: int = 478) -> HeadAngles:
    neutral = head_angles_deg(synthetic_face_norm(NEUTRAL, count=count), WIDTH_PX, HEIGHT_PX)
    turned = head_angles_deg(synthetic_face_norm(angles, count=count), WIDTH_PX, HEIGHT_PX)
    return relative_to(turned, neutral)


def _pixels(face_norm: FloatArray) -> FloatArray:
    return face_norm[:, :2] * (WIDTH_PX, HEIGHT_PX)


# The conventions, checked on where the face's features go in the camera image (not through our own maths).


def test_positive_yaw_turns_the_nose_to_the_patients_left_which_is_image_right() -> None:
    ahead, turned = _pixels(synthetic_face_norm(NEUTRAL)), _pixels(synthetic_face_norm(HeadAngles(25, 0, 0)))
    assert turned[NOSE_TIP, 0] > ahead[NOSE_TIP, 0] + 10
    assert _relative_head(HeadAngles(25, 0, 0)).yaw_deg == pytest.approx(25.0)


def test_positive_pitch_is_chin_up_the_nose_moves_up_in_the_image() -> None:
    ahead, raised = _pixels(synthetic_face_norm(NEUTRAL)), _pixels(synthetic_face_norm(HeadAngles(0, 20, 0)))
    assert raised[NOSE_TIP, 1] < ahead[NOSE_TIP, 1] - 5
    assert raised[152, 1] < ahead[152, 1]  # the chin goes up too (it rotates about the head centre)
    assert _relative_head(HeadAngles(0, 20, 0)).pitch_deg == pytest.approx(20.0)


def test_positive_roll_tilts_to_the_patients_left_shoulder_the_left_eye_goes_down() -> None:
    tilted = _pixels(synthetic_face_norm(HeadAngles(0, 0, 15)))
    # The patient's left eye is on the image's right; tilting to the left shoulder lowers it (y grows downwards).
    assert tilted[LEFT_EYE_OUTER, 1] > tilted[RIGHT_EYE_OUTER, 1] + 10
    assert _relative_head(HeadAngles(0, 0, 15)).roll_deg == pytest.approx(15.0)


@pytest.mark.parametrize(
    "angles",
    [
        HeadAngles(30, 0, 0),
        HeadAngles(-40, 0, 0),
        HeadAngles(0, -25, 0),
        HeadAngles(0, 0, -20),
        HeadAngles(20, 15, -10),
        HeadAngles(-35, -20, 25),
        HeadAngles(10, 40, 5),
    ],
)
@pytest.mark.parametrize("count", [468, 478])
def test_known_3d_rotations_are_recovered_relative_to_neutral(angles: HeadAngles, count: int) -> None:
    assert _as_tuple(_relative_head(angles, count=count)) == pytest.approx(_as_tuple(angles), abs=1e-6)


def test_relative_to_a_turned_neutral_measures_the_turn_from_that_posture() -> None:
    """A patient whose neutral is turned 15 deg left who turns 20 deg further reads yaw 20, pitch and roll 0."""
    neutral_posture = HeadAngles(15, 10, 0)
    further = angles_from_matrix(rotation_matrix(HeadAngles(20, 0, 0)) @ rotation_matrix(neutral_posture))
    neutral = head_angles_deg(synthetic_face_norm(neutral_posture), WIDTH_PX, HEIGHT_PX)
    current = head_angles_deg(synthetic_face_norm(further), WIDTH_PX, HEIGHT_PX)
    assert _as_tuple(relative_to(current, neutral)) == pytest.approx((20.0, 0.0, 0.0), abs=1e-6)


def test_rotation_matrix_matches_scipy_intrinsic_yaw_pitch_roll() -> None:
    """Independent check of the Euler convention: scipy's intrinsic Y-X-Z with the documented sign flips."""
    rng = np.random.default_rng(7)
    for yaw, pitch, roll in rng.uniform((-80, -80, -170), (80, 80, 170), size=(50, 3)):
        expected = Rotation.from_euler("YXZ", [-yaw, -pitch, roll], degrees=True).as_matrix()
        np.testing.assert_allclose(rotation_matrix(HeadAngles(yaw, pitch, roll)), expected, atol=1e-12)
        assert _as_tuple(angles_from_matrix(expected)) == pytest.approx((yaw, pitch, roll), abs=1e-9)


def test_relative_to_itself_is_zero() -> None:
    angles = HeadAngles(12.0, -7.0, 3.0)
    assert _as_tuple(relative_to(angles, angles)) == pytest.approx((0.0, 0.0, 0.0), abs=1e-9)


def test_image_size_matters_for_the_angles() -> None:
    face = synthetic_face_norm(HeadAngles(0, 0, 10))
    neutral = head_angles_deg(synthetic_face_norm(NEUTRAL), WIDTH_PX, HEIGHT_PX)
    right = relative_to(head_angles_deg(face, WIDTH_PX, HEIGHT_PX), neutral)
    squashed = relative_to(head_angles_deg(face, WIDTH_PX, WIDTH_PX), neutral)
    assert right.roll_deg == pytest.approx(10.0)
    assert abs(squashed.roll_deg - 10.0) > 1.0


def test_bad_landmark_arrays_and_sizes_are_rejected() -> None:
    with pytest.raises(ValueError, match="expected shape"):
        head_angles_deg(np.zeros((21, 3)), WIDTH_PX, HEIGHT_PX)
    with pytest.raises(ValueError, match="positive pixels"):
        head_angles_deg(synthetic_face_norm(NEUTRAL), 0, HEIGHT_PX)


def test_a_face_mesh_turned_by_known_angles_reads_those_angles() -> None:
    """turn_face_norm (used on a real face mesh in the MediaPipe tests) turns a face as synthetic_face_norm does."""
    ahead = synthetic_face_norm(NEUTRAL)
    angles = HeadAngles(-20, 10, 5)
    about_head = turn_face_norm(ahead, angles, width_px=WIDTH_PX, height_px=HEIGHT_PX, centre_px=FACE_CENTRE_PX)
    np.testing.assert_allclose(about_head, synthetic_face_norm(angles), atol=1e-12)
    about_centroid = turn_face_norm(ahead, angles, width_px=WIDTH_PX, height_px=HEIGHT_PX)
    np.testing.assert_allclose(about_centroid.mean(axis=0), ahead.mean(axis=0), atol=1e-12)
    neutral = head_angles_deg(ahead, WIDTH_PX, HEIGHT_PX)
    turned = relative_to(head_angles_deg(about_centroid, WIDTH_PX, HEIGHT_PX), neutral)
    assert _as_tuple(turned) == pytest.approx(_as_tuple(angles), abs=1e-6)
    # in pixels, not in normalised units: a roll of 90 degrees turns the eye line upright in a 640x480 image
    rolled = _pixels(turn_face_norm(ahead, HeadAngles(0, 0, 90), width_px=WIDTH_PX, height_px=HEIGHT_PX))
    eye_line = rolled[LEFT_EYE_OUTER] - rolled[RIGHT_EYE_OUTER]
    assert abs(eye_line[0]) == pytest.approx(0.0, abs=1e-9) and abs(eye_line[1]) == pytest.approx(90.0)

"""Head yaw, pitch and roll in degrees from MediaPipe Face Mesh landmarks (pure numpy).

Sign conventions, as the patient feels them (the image is the camera's, not mirrored):

- **yaw** positive = the head turns to the patient's LEFT (the nose moves towards the right edge of the camera
  image); negative = turns to the patient's right.
- **pitch** positive = chin UP (looking up); negative = chin down (looking down).
- **roll** positive = the head tilts towards the patient's LEFT shoulder (the left ear goes down; on the camera
  image the face turns clockwise); negative = towards the right shoulder.

Angles are Tait-Bryan angles of the head's rotation in the camera frame, applied in the order roll, then pitch,
then yaw: ``R = Yaw(yaw) @ Pitch(pitch) @ Roll(roll)`` with the camera axes x right, y down, z away from the camera.
A turn of the head about the vertical axis therefore changes yaw only, whatever the pitch.

Method (geometric, no face model to fit): MediaPipe's 3D face landmarks are scaled to pixels (x by the image
width, y by the height, z by the width as MediaPipe's z is in units of width), then three axes of the face are
built: "left" from the patient's right to left (outer eye corners, inner eye corners, cheek contour and mouth
corners, summed), "down" from the forehead to the chin, made orthogonal to "left", and "back" as their cross
product. That orthonormal frame is the head's rotation matrix, whose angles are returned. The absolute angles
depend on the face's shape (a forehead-chin line is not exactly vertical), so the game and ``motorplay track``
report angles relative to a neutral posture (:func:`relative_to`), which cancels that offset.
"""

from __future__ import annotations

import math

import numpy as np

from tracking.types import FACE_LANDMARK_COUNTS, FloatArray, HeadAngles

# MediaPipe Face Mesh indices (canonical face model, mediapipe/modules/face_geometry/data): pairs from the
# patient's right side (image left) to the patient's left side (image right).
LEFTWARD_PAIRS = (
    (33, 263),  # outer eye corners
    (133, 362),  # inner eye corners
    (234, 454),  # face contour at the cheekbones
    (61, 291),  # mouth corners
)
FOREHEAD = 10
CHIN = 152

# Shorter face axes than this (pixels, summed over the landmark pairs) give no orientation: a degenerate mesh.
MIN_AXIS_LENGTH_PX = 1e-6

def _axis_rotation(axis: int, angle_rad: float) -> FloatArray:
    """Right-handed rotation by ``angle_rad`` about camera axis 0 (x), 1 (y) or 2 (z)."""
    c, s = math.cos(angle_rad), math.sin(angle_rad)
    i, j = [(1, 2), (2, 0), (0, 1)][axis]
    matrix = np.eye(3)
    matrix[i, i], matrix[i, j], matrix[j, i], matrix[j, j] = c, -s, s, c
    return matrix


def rotation_matrix(angles: HeadAngles) -> FloatArray:
    """Return the head rotation (3x3, camera axes x right, y down, z away) for ``angles`` (module conventions)."""
    # A right-handed rotation about +y (down) turns the nose (-z) towards -x, i.e. to the patient's right, and
    # one about +x turns it towards +y (chin down): both are negated to match the conventions. About +z (into
    # the scene) x turns towards y: the patient's left eye goes down, a tilt to the left shoulder, as is.
    yaw = _axis_rotation(1, -math.radians(angles.yaw_deg))
    pitch = _axis_rotation(0, -math.radians(angles.pitch_deg))
    roll = _axis_rotation(2, math.radians(angles.roll_deg))
    return yaw @ pitch @ roll


def angles_from_matrix(rotation: FloatArray) -> HeadAngles:
    """Inverse of :func:`rotation_matrix` (pitch within +-90 degrees)."""
    forward = -rotation[:, 2]  # where the nose points: the rotated -z axis
    yaw_rad = math.atan2(forward[0], -forward[2])
    pitch_rad = math.atan2(-forward[1], math.hypot(forward[0], forward[2]))
    # Undo yaw and pitch; what is left is the roll about the nose axis.
    remaining = (_axis_rotation(1, -yaw_rad) @ _axis_rotation(0, -pitch_rad)).T @ rotation
    roll_rad = math.atan2(remaining[1, 0], remaining[0, 0])
    return HeadAngles(yaw_deg=math.degrees(yaw_rad), pitch_deg=math.degrees(pitch_rad), roll_deg=math.degrees(roll_rad))


def face_rotation_matrix(face_landmarks_norm: FloatArray, width_px: int, height_px: int) -> FloatArray:
    """Return the head's orthonormal frame (columns: left, down, back) in camera axes, from Face Mesh landmarks."""
    if face_landmarks_norm.ndim != 2 or face_landmarks_norm.shape[0] not in FACE_LANDMARK_COUNTS:
        raise ValueError(f"face landmarks: expected shape (468 or 478, 3), got {face_landmarks_norm.shape}")
    if width_px <= 0 or height_px <= 0:
        raise ValueError(f"image size: expected positive pixels, got {width_px}x{height_px}")
    points_px = face_landmarks_norm[:, :3] * np.array([width_px, height_px, width_px], dtype=np.float64)
    right_side, left_side = (list(side) for side in zip(*LEFTWARD_PAIRS, strict=True))
    leftward = (points_px[left_side] - points_px[right_side]).sum(axis=0)
    downward = points_px[CHIN] - points_px[FOREHEAD]
    leftward_length = float(np.linalg.norm(leftward))
    if not math.isfinite(leftward_length) or leftward_length < MIN_AXIS_LENGTH_PX:
        return np.full((3, 3), np.nan)  # no face width: a mesh with no orientation (callers test for NaN)
    left = leftward / leftward_length
    down = downward - (downward @ left) * left
    down_length = float(np.linalg.norm(down))
    if not math.isfinite(down_length) or down_length < MIN_AXIS_LENGTH_PX:
        return np.full((3, 3), np.nan)  # no face height across the width: no orientation either
    down /= down_length
    back = np.cross(left, down)
    return np.column_stack([left, down, back])


def head_angles_deg(face_landmarks_norm: FloatArray, width_px: int, height_px: int) -> HeadAngles:
    """Absolute head angles in degrees (see the module docstring for the conventions and method).

    Parameters
    ----------
    face_landmarks_norm
        (468 or 478, 3) MediaPipe Face Mesh landmarks in normalised image coordinates.
    width_px, height_px
        Size of the image the landmarks were found in: the normalised coordinates are anisotropic without it.

    Returns
    -------
    HeadAngles
        Absolute angles; about zero for a face looking straight at the camera, but with a few degrees of offset
        that depend on the face. Use :func:`relative_to` with a neutral posture for control signals. NaN angles
        for a mesh with no orientation (every point on one spot or one line).
    """
    return angles_from_matrix(face_rotation_matrix(face_landmarks_norm, width_px, height_px))


def relative_to(angles: HeadAngles, neutral: HeadAngles) -> HeadAngles:
    """Return the head angles relative to a neutral posture: the rotation that takes the neutral head to this one.

    Computed on rotation matrices (``R @ R_neutral.T``), not by subtracting angles, so that, for example, a
    neutral posture with the head slightly bowed does not leak a turn of the head into pitch.
    """
    return angles_from_matrix(rotation_matrix(angles) @ rotation_matrix(neutral).T)

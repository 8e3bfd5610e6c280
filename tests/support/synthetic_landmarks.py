"""Synthetic hand and face landmarks with known geometry: ground truth for the pure signal functions (tests only).

A hand whose four long fingers are each bent by a known angle at MCP, PIP and DIP; a face whose landmarks used by
:mod:`tracking.head_pose` sit where a face has them, rotated rigidly in 3D by known angles and projected to
MediaPipe's normalised coordinates (x / width, y / height, z / width); any face mesh (a real one too) turned the
same way.

Where the other synthetic inputs are: seeded recordings of a real hand's reaches with injected breaks, and of head
angles with posture excursions, are product code in :mod:`tracking.synthetic` (the benchmarks and the docs' figures
use them); videos of a real hand moved along a known path are in :mod:`tests.support.moving_hand`.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial.transform import Rotation

from tracking.hand_signals import FINGER_CHAINS, WRIST
from tracking.head_pose import rotation_matrix
from tracking.types import FloatArray, Handedness, HandLandmarks, HeadAngles

BONE_LENGTH_M = 0.03
MCP_POSITIONS_M = ((-0.03, -0.09, 0.0), (-0.01, -0.095, 0.0), (0.01, -0.09, 0.0), (0.03, -0.08, 0.0))


def bent_hand_points(joint_bend_deg: float, *, origin: tuple[float, float, float] = (0.0, 0.0, 0.0)) -> FloatArray:
    """(21, 3) hand points in metres; each long finger bends by ``joint_bend_deg`` at MCP, PIP and DIP.

    The palm lies in the x-y plane (fingers towards -y) and fingers flex towards +z, so each finger's flexion
    (sum of its three bend angles) is exactly ``3 * joint_bend_deg``.
    """
    points = np.zeros((21, 3))
    points[1:5] = [(-0.04, -0.02, 0.0), (-0.06, -0.04, 0.0), (-0.07, -0.06, 0.0), (-0.08, -0.08, 0.0)]  # thumb
    for chain, mcp in zip(FINGER_CHAINS, MCP_POSITIONS_M, strict=True):
        points[chain[0]] = mcp
        direction = np.asarray(mcp) / np.linalg.norm(mcp)  # along wrist -> MCP
        axis = np.cross(direction, (0.0, 0.0, 1.0))
        bend = Rotation.from_rotvec(-np.radians(joint_bend_deg) * axis / np.linalg.norm(axis))
        for previous, joint in zip(chain[:-1], chain[1:], strict=True):
            direction = bend.apply(direction)
            points[joint] = points[previous] + BONE_LENGTH_M * direction
    points[WRIST] = 0.0
    return np.asarray(points + np.asarray(origin), dtype=np.float64)


def hand_from_points(
    world_m: FloatArray, *, image_points_norm: FloatArray | None = None, score: float = 0.9, with_world: bool = True
) -> HandLandmarks:
    """A :class:`HandLandmarks` with the given world points (image points default to a shifted copy)."""
    image = world_m + 0.5 if image_points_norm is None else image_points_norm
    return HandLandmarks(
        side=Handedness.RIGHT,
        score=score,
        landmarks_norm=image,
        world_landmarks_m=world_m if with_world else None,
    )


# Face points in a head frame, pixels: x towards the person's left, y down, z away from the camera. Numbers are
# typical proportions of a face about 160 px wide; the forehead-chin line leans back a little as in real faces.
FACE_POINTS_PX = {
    33: (-45.0, -20.0, 10.0),  # outer eye corners
    263: (45.0, -20.0, 10.0),
    133: (-15.0, -20.0, 5.0),  # inner eye corners
    362: (15.0, -20.0, 5.0),
    234: (-78.0, 0.0, 45.0),  # cheek contour
    454: (78.0, 0.0, 45.0),
    61: (-25.0, 50.0, 12.0),  # mouth corners
    291: (25.0, 50.0, 12.0),
    10: (0.0, -95.0, 25.0),  # forehead
    152: (0.0, 95.0, 10.0),  # chin
    1: (0.0, 10.0, -35.0),  # nose tip
}
FACE_CENTRE_PX = np.array([320.0, 240.0, 0.0])
FACE_IMAGE_SIZE_PX = (640, 480)


def synthetic_face_norm(angles: HeadAngles, *, count: int = 478, seed: int = 0) -> FloatArray:
    """(count, 3) face landmarks in normalised coordinates of a 640x480 image, the head turned by ``angles``.

    Landmarks that head_pose does not use are seeded random points inside the face, rotated with it.
    """
    rng = np.random.default_rng(seed)
    head_px = rng.uniform((-70, -90, -20), (70, 90, 40), size=(count, 3))
    for index, point in FACE_POINTS_PX.items():
        head_px[index] = point
    width, height = FACE_IMAGE_SIZE_PX
    ahead_norm = (head_px + FACE_CENTRE_PX) / np.array([width, height, width])
    return turn_face_norm(ahead_norm, angles, width_px=width, height_px=height, centre_px=FACE_CENTRE_PX)


def turn_face_norm(
    face_norm: FloatArray,
    angles: HeadAngles,
    *,
    width_px: int,
    height_px: int,
    centre_px: FloatArray | None = None,
) -> FloatArray:
    """Face landmarks (normalised: x / width, y / height, z / width) turned rigidly in 3D by ``angles``.

    The rotation is :func:`tracking.head_pose.rotation_matrix` about ``centre_px`` (pixels; default: the
    landmarks' centroid), done in pixels so that the image's aspect ratio does not shear the face.
    """
    scale = np.array([width_px, height_px, width_px], dtype=np.float64)
    points_px = np.asarray(face_norm, dtype=np.float64) * scale
    centre = points_px.mean(axis=0) if centre_px is None else np.asarray(centre_px, dtype=np.float64)
    turned_px = (points_px - centre) @ rotation_matrix(angles).T + centre
    return np.asarray(turned_px / scale, dtype=np.float64)

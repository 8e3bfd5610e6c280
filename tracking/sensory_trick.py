"""Sensory trick (geste antagoniste) detection: is a hand touching or covering the lower face? Pure numpy.

Many people with cervical dystonia find that a light touch on the chin, cheek or jaw eases the pull for a while (the
"geste antagoniste"). The game records when it is used, per frame, as ``signals.hand_on_face``: ``True`` when any
landmark of any detected hand (up to two) lies inside the lower-face region, or within a small margin of it;
``False`` when the face is tracked and no hand is there; ``None`` when the face is not tracked (nothing to judge).

The lower-face region is the polygon of MediaPipe Face Mesh's face-oval contour from the right cheekbone, down the
jaw, round the chin and up to the left cheekbone (closed across the cheekbones): the cheeks, the jaw and the chin.
Points are compared in pixel-proportional units (x scaled by the image's width / height), and the margin is a
fraction of the face's width, so the test does not depend on the image's shape or the face's distance.

Only the image plane is used: a hand held in front of the face but not touching it counts as covering it, which a
single camera cannot tell apart from touching. Design choice: touching and covering both count, as both are the
gesture the patient makes.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from tracking.types import FACE_LANDMARK_COUNTS, FloatArray, HandLandmarks, LandmarkFrame

BoolArray = npt.NDArray[np.bool_]

# MediaPipe Face Mesh face-oval indices (mediapipe/python/solutions/face_mesh_connections.py FACEMESH_FACE_OVAL),
# the lower half in order: the right cheekbone (234, image left), down the jaw, the chin (152), up to the left
# cheekbone (454). Closed across the cheekbones, this is the chin, jaw and cheeks.
LOWER_FACE_CONTOUR = (
    234, 93, 132, 58, 172, 136, 150, 149, 176, 148, 152, 377, 400, 378, 379, 365, 397, 288, 361, 323, 454,
)  # fmt: skip
# The face's width for scaling the margin: between the cheekbone contour points.
FACE_WIDTH_POINTS = (234, 454)
# How far outside the lower-face outline a hand landmark still counts as touching, as a fraction of the face's
# width (~14 cm, so 0.2 is ~3 cm). MediaPipe's hand landmarks sit on the bones' axis, about half a finger's thickness
# inside the skin, and the face-oval contour runs slightly inside the silhouette; on real hands pasted onto the
# cheek or jaw (tests/integration/test_sensory_trick_media.py) the nearest landmarks lay 0.14-0.19 face widths
# outside the outline. The hard negative (business_person.png: fingers below the chin, holding glasses) lies
# 0.64 face widths out.
TOUCH_MARGIN_FACE_WIDTHS = 0.2
# How many of one hand's 21 landmarks must be on the face: two, so that a single jittering landmark at the edge
# of the margin does not flicker the signal, while a light touch of two fingertips (or a fingertip and its next
# joint) still counts.
MIN_LANDMARKS_ON_FACE = 2


def _scaled(points_norm: FloatArray, width_over_height: float) -> FloatArray:
    """Return the x, y of ``points_norm`` in units of the image height (x scaled by the aspect): distances are true."""
    return np.column_stack((points_norm[:, 0] * width_over_height, points_norm[:, 1]))


def _inside_polygon(points: FloatArray, polygon: FloatArray) -> BoolArray:
    """Return whether each point lies inside ``polygon`` (even-odd rule, vectorised ray casting)."""
    x, y = points[:, 0:1], points[:, 1:2]
    x1, y1 = polygon[:, 0], polygon[:, 1]
    x2, y2 = np.roll(x1, -1), np.roll(y1, -1)
    crosses = (y1 > y) != (y2 > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        x_at_y = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
    inside: BoolArray = (np.count_nonzero(crosses & (x < x_at_y), axis=1) % 2) == 1
    return inside


def _distance_to_polygon(points: FloatArray, polygon: FloatArray) -> FloatArray:
    """Return the distance from each point to the nearest edge of ``polygon`` (same units as the points)."""
    start = polygon[None, :, :]
    edge = np.roll(polygon, -1, axis=0)[None, :, :] - start
    offset = points[:, None, :] - start
    length_sq = np.maximum(np.sum(edge * edge, axis=2), 1e-12)
    along = np.clip(np.sum(offset * edge, axis=2) / length_sq, 0.0, 1.0)
    nearest = start + along[:, :, None] * edge
    distances: FloatArray = np.min(np.linalg.norm(points[:, None, :] - nearest, axis=2), axis=1)
    return distances


def lower_face_polygon(face_norm: FloatArray, width_over_height: float) -> FloatArray:
    """Return the lower-face outline (:data:`LOWER_FACE_CONTOUR`) in image-height units, (N, 2)."""
    return _scaled(face_norm[list(LOWER_FACE_CONTOUR)], width_over_height)


def face_width(face_norm: FloatArray, width_over_height: float) -> float:
    """Return the face's width between the cheekbone contour points, in image-height units."""
    left, right = _scaled(face_norm[list(FACE_WIDTH_POINTS)], width_over_height)
    return float(np.linalg.norm(right - left))


def hand_face_distances(hand: HandLandmarks, face_norm: FloatArray, width_over_height: float) -> FloatArray:
    """Return how far each of the hand's landmarks is outside the lower face, in face widths (0 inside it)."""
    polygon = lower_face_polygon(face_norm, width_over_height)
    points = _scaled(hand.landmarks_norm, width_over_height)
    outside = _distance_to_polygon(points, polygon) / max(face_width(face_norm, width_over_height), 1e-9)
    distances: FloatArray = np.where(_inside_polygon(points, polygon), 0.0, outside)
    return distances


def hand_touches_face(hand: HandLandmarks, face_norm: FloatArray, width_over_height: float) -> bool:
    """Return whether ``hand`` touches or covers the lower face: enough landmarks inside it or within the margin."""
    distances = hand_face_distances(hand, face_norm, width_over_height)
    return int(np.count_nonzero(distances <= TOUCH_MARGIN_FACE_WIDTHS)) >= MIN_LANDMARKS_ON_FACE


def hand_on_face(frame: LandmarkFrame, *, width_px: int, height_px: int) -> bool | None:
    """Return the ``hand_on_face`` signal of one frame: ``None`` without a face, else whether a hand touches it.

    Parameters
    ----------
    frame
        The landmarks of one image (face and hands; a frame without hands is ``False`` when the face is seen).
    width_px, height_px
        The image's size: the landmarks are normalised to it, and true distances need its aspect.
    """
    if frame.face is None or frame.face.shape[0] not in FACE_LANDMARK_COUNTS:
        return None
    width_over_height = width_px / height_px
    return any(hand_touches_face(hand, frame.face, width_over_height) for hand in frame.hands)

"""The core data of tracking: landmark frames, signals, effectors and tracked samples. Frozen, typed, numpy below.

Landmarks are in MediaPipe's units.

Coordinates are MediaPipe's normalised image coordinates: x from the left edge (0) to the right edge (1) of the
image as the camera delivers it (not mirrored), y from the top (0) to the bottom (1), z relative depth in roughly
the scale of x (smaller is nearer the camera).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

HAND_LANDMARK_COUNT = 21
POSE_LANDMARK_COUNT = 33
FACE_LANDMARK_COUNTS = (468, 478)  # 478 with the refined iris points


class Handedness(enum.Enum):
    """MediaPipe's handedness label for a hand, as the model reports it."""

    LEFT = "Left"
    RIGHT = "Right"


class TrackingModel(enum.Enum):
    """The MediaPipe models a level can ask for."""

    HANDS = "hands"
    POSE = "pose"
    FACE = "face"


@dataclass(frozen=True)
class HandLandmarks:
    """One detected hand.

    ``landmarks_norm`` is (21, 3) in normalised image coordinates. ``world_landmarks_m`` is MediaPipe's (21, 3)
    metric hand-centred 3D estimate when the model produced it (live tracking), ``None`` when replayed from a
    recording that does not carry it.
    """

    side: Handedness
    score: float
    landmarks_norm: FloatArray
    world_landmarks_m: FloatArray | None = None


@dataclass(frozen=True)
class LandmarkFrame:
    """Everything the landmarker found in one image, stamped with the source's time in seconds.

    ``pose`` is (33, 4): x, y, z, visibility. ``face`` is (468 or 478, 3). ``None`` means the model did not
    run or found nothing; an empty ``hands`` tuple means no hand was seen.

    ``image_brightness`` and ``image_contrast`` (0..1, :mod:`tracking.image_stats`) describe the camera image
    for the set-up check; ``None`` when there was no image (a replayed recording).
    """

    t_s: float
    hands: tuple[HandLandmarks, ...] = ()
    pose: FloatArray | None = None
    face: FloatArray | None = None
    image_brightness: float | None = None
    image_contrast: float | None = None

    def primary_hand(self) -> HandLandmarks | None:
        """Return the most confident hand, or ``None`` when no hand was seen."""
        if not self.hands:
            return None
        return max(self.hands, key=lambda hand: hand.score)


@dataclass(frozen=True)
class SourceInfo:
    """What a source says about itself: frame rate, image size in pixels and a name for reports."""

    fps: float
    width_px: int
    height_px: int
    name: str


class GraspState(enum.Enum):
    """Whether the hand is open or closed, decided with hysteresis from the grasp aperture."""

    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class HeadAngles:
    """Head orientation in degrees relative to a calibrated neutral posture.

    The sign conventions are defined, and tested, in :mod:`tracking.head_pose` and documented in the README.
    """

    yaw_deg: float
    pitch_deg: float
    roll_deg: float


@dataclass(frozen=True)
class Signals:
    """Control signals derived from one :class:`LandmarkFrame` (raw: no display smoothing).

    ``cursor_norm`` is the palm centre in normalised image coordinates; ``grasp`` is the aperture from 0 (closed
    fist) to 1 (open flat hand). Each is ``None`` when its effector was not seen. ``hand_on_face`` says whether a
    hand touches or covers the lower face (a sensory trick, :mod:`tracking.sensory_trick`); ``None`` when the face
    was not seen.
    """

    t_s: float
    cursor_norm: tuple[float, float] | None = None
    grasp: float | None = None
    grasp_state: GraspState | None = None
    head: HeadAngles | None = None
    hand_on_face: bool | None = None


class Effector(enum.Enum):
    """What moves: the hand (palm centre, pixels) or the head (yaw, pitch, roll, degrees)."""

    HAND = "hand"
    HEAD = "head"

    @property
    def unit(self) -> str:
        """The unit of the effector's positions: ``"px"`` (image pixels) for the hand, ``"deg"`` for the head."""
        return "px" if self is Effector.HAND else "deg"


@dataclass(frozen=True)
class TrackedSample:
    """One tracked frame with its raw signals."""

    frame: LandmarkFrame
    signals: Signals

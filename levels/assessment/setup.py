"""The camera set-up check of the assessment: face and hand in frame, distance and lighting.

Each problem comes with what to do about it in plain words.

Distance comes from the hand's size in the image: the palm's width (index to little-finger knuckle, MediaPipe hand
landmarks 5 and 17) as a fraction of the image width. An adult's knuckle span is about 7 cm, and a typical webcam
(about 65 degrees across) sees a strip 1.27 times as wide as it is far away, so the palm spans about
0.055 / distance_m of the image: 0.14 at 40 cm, 0.055 at 1 m. Measured on the shared media: the close-up hand photo
0.35, the thumbs-up close-up 0.22, the person at a desk 0.13, the hand video 0.10 (median), the full-body pose
photo 0.03. Lighting comes from the image's brightness and contrast (:mod:`tracking.image_stats`); a recording has
no image, so its lighting is not checked.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

from tracking.types import HandLandmarks, LandmarkFrame

# The knuckles whose distance is the palm's width: index finger MCP and little finger MCP (MediaPipe hand model).
INDEX_KNUCKLE = 5
LITTLE_KNUCKLE = 17
# Narrower than this (farther than about 1.4 m): the hand is a few dozen pixels of a 640 px image, its landmarks
# jitter by a large part of a movement, and the comfortable reach range covers a small part of the image.
TOO_FAR_PALM_WIDTH_FRACTION = 0.04
# Wider than this (nearer than about 30 cm): a comfortable reach takes the hand out of the image.
TOO_NEAR_PALM_WIDTH_FRACTION = 0.20
# Mean grey level below this (0..1): a dim room; MediaPipe loses the hand and the face first in the dark.
TOO_DARK_BRIGHTNESS = 0.20
# Mean grey level above this: glare or a window behind the camera's view washes the image out.
TOO_BRIGHT_BRIGHTNESS = 0.85
# Contrast (twice the grey standard deviation) below this: a flat, hazy image (a light behind the patient, a dirty
# lens); the shared media read 0.19 (the hand video) to 0.73.
LOW_CONTRAST = 0.10


class SetupProblem(enum.Enum):
    """Something to put right before the assessment; :attr:`advice` says what to do, in plain words."""

    NO_HAND = "no_hand"
    NO_FACE = "no_face"
    TOO_FAR = "too_far"
    TOO_NEAR = "too_near"
    TOO_DARK = "too_dark"
    TOO_BRIGHT = "too_bright"
    LOW_CONTRAST = "low_contrast"

    @property
    def advice(self) -> str:
        """What to do about it, for the patient."""
        return _ADVICE[self]


_ADVICE = {
    SetupProblem.NO_HAND: "Hold one hand up in front of the camera, fingers open.",
    SetupProblem.NO_FACE: "Face the screen so the camera can see your whole face.",
    SetupProblem.TOO_FAR: "Come a little closer to the camera.",
    SetupProblem.TOO_NEAR: "Move back a little from the camera.",
    SetupProblem.TOO_DARK: "The room is a bit dark. Turn on a light in front of you.",
    SetupProblem.TOO_BRIGHT: "The picture is too bright. Turn away from a window or dim a bright light.",
    SetupProblem.LOW_CONTRAST: "The picture looks hazy. Avoid a bright light behind you, or wipe the camera lens.",
}


@dataclass(frozen=True)
class SetupCheck:
    """What the camera sees in one frame, and the problems found, most important first.

    The hand, the face (``None`` when the face model is not running), the palm's width in image widths and the
    image's brightness and contrast (``None`` when not measured).
    """

    hand_seen: bool
    face_seen: bool | None
    palm_width_frac: float | None
    brightness: float | None
    contrast: float | None
    problems: tuple[SetupProblem, ...]

    @property
    def ok(self) -> bool:
        """True when nothing needs putting right."""
        return not self.problems


def palm_width_fraction(hand: HandLandmarks) -> float:
    """Return the palm's width (index to little-finger knuckle) in image widths (normalised image units)."""
    index_x, index_y = hand.landmarks_norm[INDEX_KNUCKLE, :2]
    little_x, little_y = hand.landmarks_norm[LITTLE_KNUCKLE, :2]
    return math.hypot(float(index_x - little_x), float(index_y - little_y))


def distance_problem(palm_width_frac: float) -> SetupProblem | None:
    """Return :attr:`SetupProblem.TOO_FAR` or ``TOO_NEAR`` for a palm of this width, or ``None`` when it is right."""
    if palm_width_frac < TOO_FAR_PALM_WIDTH_FRACTION:
        return SetupProblem.TOO_FAR
    if palm_width_frac > TOO_NEAR_PALM_WIDTH_FRACTION:
        return SetupProblem.TOO_NEAR
    return None


def lighting_problem(brightness: float | None, contrast: float | None) -> SetupProblem | None:
    """Return the lighting problem of an image of this brightness and contrast, or ``None`` (also when unknown)."""
    if brightness is not None and brightness < TOO_DARK_BRIGHTNESS:
        return SetupProblem.TOO_DARK
    if brightness is not None and brightness > TOO_BRIGHT_BRIGHTNESS:
        return SetupProblem.TOO_BRIGHT
    if contrast is not None and contrast < LOW_CONTRAST:
        return SetupProblem.LOW_CONTRAST
    return None


def check_frame(frame: LandmarkFrame, *, face_model: bool) -> SetupCheck:
    """Check one tracked frame; ``face_model``: whether the face model runs (else the face is not checked)."""
    hand = frame.primary_hand()
    face_seen = frame.face is not None if face_model else None
    palm_width = None if hand is None else palm_width_fraction(hand)
    found = [
        SetupProblem.NO_HAND if hand is None else None,
        SetupProblem.NO_FACE if face_seen is False else None,
        None if palm_width is None else distance_problem(palm_width),
        lighting_problem(frame.image_brightness, frame.image_contrast),
    ]
    return SetupCheck(
        hand_seen=hand is not None,
        face_seen=face_seen,
        palm_width_frac=palm_width,
        brightness=frame.image_brightness,
        contrast=frame.image_contrast,
        problems=tuple(problem for problem in found if problem is not None),
    )

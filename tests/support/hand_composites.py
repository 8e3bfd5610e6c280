"""Composite images for the sensory-trick tests: a real hand (the alpha-matted ``thumbs_up.png``) pasted onto a
real face photograph at a chosen place, size and orientation.

The hand is cut out along its own alpha channel, so the composite has a real hand's edges and skin; MediaPipe then
has to find both the hand and the face in it, as it would in a camera image.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

ImageBGR = npt.NDArray[np.uint8]
HAND_SPRITE = "thumbs_up.png"  # 1920x1280 RGBA: a right hand giving a thumbs up, on a transparent background
# Alpha above this is the hand (the matte's soft edge below it is left out of the crop).
ALPHA_HAND = 128


@dataclass(frozen=True)
class HandPlacement:
    """Where the pasted hand goes: its knuckles' centre at (``x_norm``, ``y_norm``) of the base image, the hand
    ``height_norm`` of the base image's height tall, mirrored (a left hand) and turned by ``angle_deg``."""

    x_norm: float
    y_norm: float
    height_norm: float
    mirrored: bool = False
    angle_deg: float = 0.0


# The hand and wrist without most of the forearm: the left 60% and the top 80% of the matte's bounding box.
_HAND_PART = (0.6, 0.8)
# Where the fist's middle (the anchor placed at the placement point) is in the cropped sprite, as fractions of its
# width and height.
_ANCHOR_IN_SPRITE = (0.3, 0.55)


def hand_sprite(media_dir: Path) -> npt.NDArray[np.uint8]:
    """The hand and wrist, BGRA, cropped from the matte (:data:`_HAND_PART`)."""
    image = np.asarray(cv2.imread(str(media_dir / HAND_SPRITE), cv2.IMREAD_UNCHANGED), dtype=np.uint8)
    assert image.ndim == 3 and image.shape[2] == 4, HAND_SPRITE
    ys, xs = np.nonzero(image[:, :, 3] > ALPHA_HAND)
    whole = image[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    cropped: npt.NDArray[np.uint8] = whole[
        : round(whole.shape[0] * _HAND_PART[1]), : round(whole.shape[1] * _HAND_PART[0])
    ]
    return cropped


def composite(base: ImageBGR, sprite: npt.NDArray[np.uint8], placement: HandPlacement) -> ImageBGR:
    """``base`` with the hand ``sprite`` alpha-blended at ``placement`` (parts outside the image are cut off)."""
    height_px, width_px = base.shape[:2]
    scale = placement.height_norm * height_px / sprite.shape[0]
    hand = cv2.resize(sprite, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    anchor = np.array([_ANCHOR_IN_SPRITE[0] * hand.shape[1], _ANCHOR_IN_SPRITE[1] * hand.shape[0]])
    if placement.mirrored:
        hand = hand[:, ::-1].copy()
        anchor[0] = hand.shape[1] - anchor[0]
    if placement.angle_deg:
        rotation = cv2.getRotationMatrix2D((float(anchor[0]), float(anchor[1])), placement.angle_deg, 1.0)
        hand = cv2.warpAffine(hand, rotation, (hand.shape[1], hand.shape[0]), flags=cv2.INTER_LINEAR)
    left = round(placement.x_norm * width_px - anchor[0])
    top = round(placement.y_norm * height_px - anchor[1])
    out = base.copy()
    x0, y0 = max(left, 0), max(top, 0)
    x1, y1 = min(left + hand.shape[1], width_px), min(top + hand.shape[0], height_px)
    if x1 <= x0 or y1 <= y0:
        return out
    patch = hand[y0 - top : y1 - top, x0 - left : x1 - left]
    alpha = patch[:, :, 3:4].astype(np.float64) / 255.0
    blended = alpha * patch[:, :, :3] + (1.0 - alpha) * out[y0:y1, x0:x1]
    out[y0:y1, x0:x1] = np.round(blended).astype(np.uint8)
    return out

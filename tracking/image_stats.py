"""Cheap per-frame image statistics for the camera set-up check: brightness and contrast, 0..1.

Computed on a small grey copy of the image (:data:`STATS_WIDTH_PX` wide, area-averaged), so one frame costs well
under a millisecond beside tens of milliseconds of MediaPipe inference.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

# Width of the grey copy the statistics are computed on: enough to see a dark room or a washed-out image,
# small enough to cost nothing (64 x 36 pixels for a 16:9 camera).
STATS_WIDTH_PX = 64
# Grey levels run 0..255; the statistics are fractions of that.
GREY_LEVELS = 255.0
# The standard deviation of grey levels in 0..1 is at most 0.5 (half black, half white); contrast doubles it so
# that it also runs 0..1.
CONTRAST_SCALE = 2.0


@dataclass(frozen=True)
class ImageStats:
    """The brightness and contrast of one image.

    ``brightness``: mean grey level, 0 (black) to 1 (white); ``contrast``: twice the grey levels' standard
    deviation, 0 (one flat grey) to 1 (half black, half white).
    """

    brightness: float
    contrast: float


def image_stats(image_bgr: npt.NDArray[np.uint8]) -> ImageStats:
    """Measure the brightness and contrast of a BGR image (uint8, H x W x 3) or a grey one (H x W).

    Raises
    ------
    ValueError
        The image is empty.
    """
    if image_bgr.size == 0:
        raise ValueError("image_stats: expected a non-empty image")
    height_px, width_px = image_bgr.shape[:2]
    small_height_px = max(1, round(height_px * STATS_WIDTH_PX / width_px))
    small = cv2.resize(image_bgr, (min(STATS_WIDTH_PX, width_px), small_height_px), interpolation=cv2.INTER_AREA)
    grey = small if small.ndim == 2 else cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    levels = grey.astype(np.float64) / GREY_LEVELS
    return ImageStats(brightness=float(levels.mean()), contrast=min(1.0, CONTRAST_SCALE * float(levels.std())))

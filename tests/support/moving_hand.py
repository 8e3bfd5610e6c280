"""A real hand moved along a known path: ground truth for tracking accuracy, smoothness and break detection.

The hand in front in ``hand_image.jpg`` (a thumbs-up) is found once with MediaPipe in static-image mode, cut out
with a feathered mask around its landmarks and pasted, with sub-pixel placement, on a plain textured background.
Everything is deterministic: the same centres give the same video, byte for byte, on one machine.

Example
-------
>>> t_s = np.arange(100) / 25.0
>>> centres_px = np.column_stack([320 + 150 * np.sin(t_s), np.full_like(t_s, 180)])
>>> render_moving_hand_video(tmp / "hand.avi", centres_px, fps=25.0, media_dir=media_dir)  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

from tracking.hand_signals import palm_centre_norm
from tracking.landmarker import Landmarker
from tracking.types import TrackingModel

HAND_IMAGE_NAME = "hand_image.jpg"
# The pasted hand is this fraction of its size in hand_image.jpg (where it is ~290 px tall): about 145 px tall,
# which leaves room to move in a 640x360 frame and is still well above MediaPipe's palm-detector minimum.
DEFAULT_HAND_SCALE = 0.5
# Margin around the landmarks' convex hull kept in the mask, as a fraction of the hand's bounding-box diagonal:
# the landmarks are joint centres, the skin extends beyond them.
MASK_MARGIN_FRAC = 0.10
# Feathering (Gaussian sigma) of the mask edge, as a fraction of the diagonal: no hard edge for the detector.
MASK_FEATHER_FRAC = 0.03
BACKGROUND_BGR = (150, 128, 104)  # a muted blue-grey wall, far from skin tones
BACKGROUND_TEXTURE_AMPLITUDE = 12.0  # grey levels of the seeded low-frequency texture
# Codecs that OpenCV 4.11 in this environment writes and reads back (checked): MJPG is nearly lossless at its
# default quality, mp4v is smaller.
FOURCC_BY_SUFFIX = {".avi": "MJPG", ".mp4": "mp4v"}


@dataclass(frozen=True)
class HandPatch:
    """A cut-out hand: colour, alpha mask 0..1, and where its palm centre lies relative to the patch centre.

    ``palm_offset_px`` is (dx, dy) from the patch centre to the palm centre (mean of MediaPipe landmarks 0, 5,
    9, 13, 17) as measured on the source photograph, in pixels of the scaled patch.
    """

    image_bgr: npt.NDArray[np.uint8]
    alpha: npt.NDArray[np.float32]
    palm_offset_px: tuple[float, float]

    @property
    def size_px(self) -> tuple[int, int]:
        """(width, height) of the patch."""
        return int(self.image_bgr.shape[1]), int(self.image_bgr.shape[0])


def hand_patch(media_dir: Path, *, scale: float = DEFAULT_HAND_SCALE) -> HandPatch:
    """Cut the most confident hand of ``hand_image.jpg`` out of the photograph, scaled by ``scale``."""
    path = media_dir / HAND_IMAGE_NAME
    read = cv2.imread(str(path))
    if read is None:
        raise FileNotFoundError(f"cannot read {path}")
    photo = np.asarray(read, dtype=np.uint8)
    with Landmarker(frozenset({TrackingModel.HANDS}), static_images=True) as landmarker:
        hand = landmarker.process(0.0, photo).primary_hand()
    if hand is None:
        raise RuntimeError(f"MediaPipe found no hand in {path}")
    height, width = photo.shape[:2]
    points_px = hand.landmarks_norm[:, :2] * (width, height)
    low, high = points_px.min(axis=0), points_px.max(axis=0)
    diagonal_px = float(np.hypot(*(high - low)))
    margin_px = MASK_MARGIN_FRAC * diagonal_px
    feather_px = MASK_FEATHER_FRAC * diagonal_px
    pad_px = margin_px + 3 * feather_px  # the feathered edge fades out inside the crop
    x0, y0 = np.floor(np.maximum(low - pad_px, 0)).astype(int)
    x1, y1 = np.ceil(np.minimum(high + pad_px, (width - 1, height - 1))).astype(int)

    hull = cv2.convexHull(np.round(points_px).astype(np.int32))
    hull_mask = cv2.fillConvexPoly(np.zeros((height, width), np.uint8), hull, (255,))
    kernel_px = 2 * int(round(margin_px)) + 1
    mask = cv2.dilate(hull_mask, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (kernel_px, kernel_px)))
    alpha = cv2.GaussianBlur(np.asarray(mask, np.float32) / 255.0, (0, 0), feather_px)

    crop = photo[y0 : y1 + 1, x0 : x1 + 1]
    crop_alpha = alpha[y0 : y1 + 1, x0 : x1 + 1]
    size = (max(1, round(crop.shape[1] * scale)), max(1, round(crop.shape[0] * scale)))
    image = np.asarray(cv2.resize(crop, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)
    scaled_alpha = np.clip(cv2.resize(crop_alpha, size, interpolation=cv2.INTER_AREA), 0.0, 1.0)

    palm_x_norm, palm_y_norm = palm_centre_norm(hand)
    # Pixel centres: a pixel index i covers [i, i+1), so the centre of a crop of n pixels is at n / 2 and a
    # point at photo coordinate p lands at (p - x0) * scale in the scaled crop.
    palm_in_crop_px = ((palm_x_norm * width - x0) * scale, (palm_y_norm * height - y0) * scale)
    offset_px = (palm_in_crop_px[0] - size[0] / 2, palm_in_crop_px[1] - size[1] / 2)
    return HandPatch(image_bgr=image, alpha=scaled_alpha.astype(np.float32), palm_offset_px=offset_px)


def textured_background(size_px: tuple[int, int], *, seed: int = 0) -> npt.NDArray[np.float32]:
    """A plain wall with a faint, seeded, low-frequency texture (float BGR, 0..255)."""
    width, height = size_px
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal((height, width)).astype(np.float32)
    texture = np.asarray(cv2.GaussianBlur(noise, (0, 0), 0.02 * width), dtype=np.float32)
    texture *= BACKGROUND_TEXTURE_AMPLITUDE / max(float(np.abs(texture).max()), 1e-6)
    background = np.empty((height, width, 3), np.float32)
    background[:] = BACKGROUND_BGR
    return np.clip(background + texture[:, :, None], 0, 255)


def composite(
    background: npt.NDArray[np.float32], patch: HandPatch, centre_px: tuple[float, float]
) -> npt.NDArray[np.uint8]:
    """Paste ``patch`` with its centre at ``centre_px`` (sub-pixel, bilinear) over ``background``."""
    height, width = background.shape[:2]
    patch_w, patch_h = patch.size_px
    # Pixel-centre convention as in hand_patch: the patch centre is at (w/2, h/2) in continuous coordinates,
    # and cv2's pixel i has its centre at i, so continuous coordinate c is cv2 coordinate c - 0.5 in both images.
    shift = np.array([[1, 0, centre_px[0] - patch_w / 2], [0, 1, centre_px[1] - patch_h / 2]], np.float32)
    premultiplied = patch.image_bgr.astype(np.float32) * patch.alpha[:, :, None]
    warped = cv2.warpAffine(premultiplied, shift, (width, height), flags=cv2.INTER_LINEAR)
    alpha = cv2.warpAffine(patch.alpha, shift, (width, height), flags=cv2.INTER_LINEAR)
    frame = background * (1.0 - alpha[:, :, None]) + warped
    return np.asarray(np.clip(np.round(frame), 0, 255), dtype=np.uint8)


def render_moving_hand_video(
    out_path: Path,
    centres_px: npt.ArrayLike,
    *,
    fps: float,
    size_px: tuple[int, int] = (640, 360),
    media_dir: Path,
    scale: float = DEFAULT_HAND_SCALE,
    seed: int = 0,
) -> Path:
    """Write a video of the real hand whose patch centre is at ``centres_px[i]`` in frame ``i``.

    Parameters
    ----------
    out_path
        ``.avi`` (MJPG, near lossless) or ``.mp4`` (mp4v).
    centres_px
        (N, 2) patch centres in pixels, x to the right, y down; sub-pixel values are honoured.
    fps
        Frame rate written in the container (frame ``i`` is at ``i / fps`` seconds).
    size_px
        (width, height) of the video.
    media_dir
        The folder with ``hand_image.jpg``.
    scale, seed
        Size of the hand relative to the photograph; seed of the background texture.

    Returns
    -------
    Path
        ``out_path``. The palm centre of frame ``i`` is at ``centres_px[i] + hand_patch(...).palm_offset_px``.
    """
    centres = np.asarray(centres_px, dtype=np.float64)
    if centres.ndim != 2 or centres.shape[1] != 2 or len(centres) == 0 or not np.all(np.isfinite(centres)):
        raise ValueError(f"centres_px: expected a finite (N, 2) array with N >= 1, got shape {centres.shape}")
    if not fps > 0:
        raise ValueError(f"fps: expected a positive frame rate, got {fps}")
    fourcc = FOURCC_BY_SUFFIX.get(out_path.suffix.lower())
    if fourcc is None:
        raise ValueError(f"{out_path}: expected one of the suffixes {sorted(FOURCC_BY_SUFFIX)}")
    patch = hand_patch(media_dir, scale=scale)
    background = textured_background(size_px, seed=seed)
    writer = cv2.VideoWriter(str(out_path), cv2.VideoWriter.fourcc(*fourcc), fps, size_px)
    if not writer.isOpened():
        raise RuntimeError(f"OpenCV cannot write {fourcc} video to {out_path}")
    try:
        for centre in centres:
            writer.write(composite(background, patch, (float(centre[0]), float(centre[1]))))
    finally:
        writer.release()
    return out_path

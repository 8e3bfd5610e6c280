"""Image sources behind one interface: a camera or a video file, each giving (time, BGR image) pairs.

Times come from the source: a video file's frame index over its frame rate, a camera's capture clock. A landmark
recording is not an image source: :mod:`tracking.recording` reads it, and :func:`tracking.live` replays it through
the same landmark-frame interface.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Protocol, cast

import cv2
import numpy as np
import numpy.typing as npt

from tracking.errors import SourceError
from tracking.frames import SourceInfo

ImageBGR = npt.NDArray[np.uint8]


class ImageSource(Protocol):
    """A camera or a video file."""

    info: SourceInfo

    def read(self) -> tuple[float, ImageBGR] | None:
        """The next (time in seconds from the start, BGR image), or ``None`` when the source has ended."""

    def close(self) -> None:
        """Release the device or file."""


class VideoFileSource:
    """Every frame of a video file, in order, none dropped; time = frame index / frame rate."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise SourceError(f"Video file not found: {self.path}")
        self._capture = cv2.VideoCapture(str(self.path))
        ok, first = self._capture.read() if self._capture.isOpened() else (False, None)
        if not ok or first is None:
            self._capture.release()
            raise SourceError(f"{self.path}: cannot decode a video frame (is it a video file OpenCV can read?)")
        fps = float(self._capture.get(cv2.CAP_PROP_FPS))
        if not np.isfinite(fps) or fps <= 0:
            raise SourceError(f"{self.path}: the video reports no frame rate (got {fps})")
        height, width = first.shape[:2]
        self.info = SourceInfo(fps=fps, width_px=int(width), height_px=int(height), name=self.path.name)
        self._pending: ImageBGR | None = cast(ImageBGR, first)
        self._index = 0

    def read(self) -> tuple[float, ImageBGR] | None:
        if self._pending is not None:
            image, self._pending = self._pending, None
        else:
            ok, decoded = self._capture.read()
            if not ok or decoded is None:
                return None
            image = cast(ImageBGR, decoded)
        t_s = self._index / self.info.fps
        self._index += 1
        return t_s, image

    def frame_count_hint(self) -> int:
        """The frame count the container declares (for progress bars; the real count may differ)."""
        return int(self._capture.get(cv2.CAP_PROP_FRAME_COUNT))

    def close(self) -> None:
        self._capture.release()


class CameraSource:
    """A webcam (``cv2.VideoCapture(index)``); time is the capture clock in seconds since opening."""

    def __init__(self, index: int, *, width_px: int = 640, height_px: int = 360, fps: float = 30.0) -> None:
        self._capture = cv2.VideoCapture(index)
        if not self._capture.isOpened():
            self._capture.release()
            raise SourceError(f"No camera found at index {index}. Check that a webcam is plugged in, or use "
                              "--input mouse, or --source FILE to play from a video or a recording.")
        self._capture.set(cv2.CAP_PROP_FRAME_WIDTH, width_px)
        self._capture.set(cv2.CAP_PROP_FRAME_HEIGHT, height_px)
        self._capture.set(cv2.CAP_PROP_FPS, fps)
        ok, first = self._capture.read()
        if not ok or first is None:
            self._capture.release()
            raise SourceError(f"The camera at index {index} opened but delivered no image.")
        self._start_s = time.monotonic()
        height, width = first.shape[:2]
        reported_fps = float(self._capture.get(cv2.CAP_PROP_FPS)) or fps
        self.info = SourceInfo(fps=reported_fps, width_px=int(width), height_px=int(height), name=f"camera {index}")

    def read(self) -> tuple[float, ImageBGR] | None:
        ok, image = self._capture.read()
        if not ok or image is None:
            return None  # unplugged or failed: the caller reports tracking lost / source ended
        return time.monotonic() - self._start_s, cast(ImageBGR, image)

    def close(self) -> None:
        self._capture.release()

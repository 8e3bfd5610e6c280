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

from tracking.atomic_files import describe_os_error
from tracking.errors import SourceError
from tracking.input_files import InputFileError, open_regular_file
from tracking.limits import MAX_CAMERA_INDEX, MAX_FPS, MIN_FPS
from tracking.types import SourceInfo

ImageBGR = npt.NDArray[np.uint8]

_EXPECTED = "a video file (.mp4, .avi, .mov, .mkv...) or a .jsonl landmark recording"
# Enough of the start of a file to tell an image or a text file from a video container.
_SNIFF_BYTES = 4096
# First bytes of the still-image formats OpenCV and FFmpeg also open as one-frame "videos" (GIF is left out: an
# animated GIF is a video to FFmpeg).
_IMAGE_MAGIC = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"\x00\x00\x00\x0cjP  ", "JPEG 2000"),
    (b"\x76\x2f\x31\x01", "OpenEXR"),
)
# The image file names cv2.imread reads (OpenCV's imgcodecs): never videos.
_IMAGE_SUFFIXES = frozenset(
    {".bmp", ".dib", ".jpeg", ".jpg", ".jpe", ".jp2", ".png", ".webp", ".avif", ".pbm", ".pgm", ".ppm", ".pxm",
     ".pnm", ".pfm", ".sr", ".ras", ".tiff", ".tif", ".exr", ".hdr", ".pic"}
)


class ImageSource(Protocol):
    """A camera or a video file."""

    info: SourceInfo

    def read(self) -> tuple[float, ImageBGR] | None:
        """The next (time in seconds from the start, BGR image), or ``None`` when the source has ended."""

    def close(self) -> None:
        """Release the device or file."""


def _check_video_file(path: str | Path) -> None:
    """Refuse, before OpenCV sees it, what is not a video file: a missing path, a folder, a device or named pipe
    (whose opening would block), an empty file, a still image or a text file. Raises :class:`SourceError`."""
    name = str(path)
    try:
        with open_regular_file(path, expected=_EXPECTED) as stream:
            start = stream.read(_SNIFF_BYTES)
    except InputFileError as error:
        raise SourceError(str(error)) from None
    except OSError as error:
        raise SourceError(f"{name}: cannot be read ({describe_os_error(error)}); expected {_EXPECTED}") from None
    if not start:
        raise SourceError(f"{name}: is empty; expected {_EXPECTED}")
    image_format = next((fmt for magic, fmt in _IMAGE_MAGIC if start.startswith(magic)), None)
    if image_format is None and Path(name).suffix.lower() in _IMAGE_SUFFIXES:
        image_format = Path(name).suffix.lower().lstrip(".").upper()
    if image_format is not None:
        raise SourceError(f"{name}: is a still image ({image_format}), not a video; expected {_EXPECTED}")
    if _looks_like_text(start):
        raise SourceError(f"{name}: is a text file, not a video; expected {_EXPECTED}")


def _looks_like_text(start: bytes) -> bool:
    """Every video container begins with binary bytes (a box size, a magic number); text is UTF-8 without controls
    other than tab, line feed, carriage return and form feed."""
    try:
        text = start.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(start) - 3:
            return False
        text = start[: error.start].decode("utf-8")  # a character cut by the sniffing window
    return all(char.isprintable() or char in "\t\n\r\f" for char in text)


class VideoFileSource:
    """Every frame of a video file, in order, none dropped; time = frame index / frame rate.

    Raises :class:`SourceError` naming the path as given when it is not a readable video: missing, a folder,
    device or pipe, empty, a still image (by its first bytes or name, or a single decodable frame), a text file,
    undecodable, or with a frame rate outside 1..1000 fps.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        name = str(path)
        _check_video_file(path)
        self._capture = cv2.VideoCapture(str(self.path))
        try:
            self._pending = self._first_frames(name)
            fps = float(self._capture.get(cv2.CAP_PROP_FPS))
            if not MIN_FPS <= fps <= MAX_FPS:  # also NaN
                raise SourceError(
                    f"{name}: the video reports a frame rate of {fps:g} fps; expected {MIN_FPS:g} to {MAX_FPS:g}"
                )
        except BaseException:
            self._capture.release()
            raise
        height, width = self._pending[0].shape[:2]
        self.info = SourceInfo(fps=fps, width_px=int(width), height_px=int(height), name=self.path.name)
        self._index = 0

    def _first_frames(self, name: str) -> list[ImageBGR]:
        """The first two frames: a file OpenCV decodes to one frame only is a still image, not a video."""
        frames: list[ImageBGR] = []
        while self._capture.isOpened() and len(frames) < 2:
            ok, image = self._capture.read()
            if not ok or image is None:
                break
            frames.append(cast(ImageBGR, image))
        if not frames:
            raise SourceError(f"{name}: cannot decode a video frame (is it a video file OpenCV can read?)")
        if len(frames) == 1:
            raise SourceError(f"{name}: has a single frame: a still image, not a video; expected {_EXPECTED}")
        return frames

    def read(self) -> tuple[float, ImageBGR] | None:
        if self._pending:
            image = self._pending.pop(0)
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
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index <= MAX_CAMERA_INDEX:
            raise SourceError(
                f"Camera index {index!r} cannot be used: expected a whole number from 0 to {MAX_CAMERA_INDEX} "
                "(0 is the first camera)."
            )
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

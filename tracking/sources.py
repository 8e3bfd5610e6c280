"""Where landmarks come from: a camera, a video file or a landmark recording, behind one interface.

:func:`open_landmark_source` is the one place that tells them apart. Every :class:`LandmarkSource` gives
(time, raw item) pairs from :meth:`~LandmarkSource.read`, which is cheap (an image decoded, a recording line
parsed), and turns a raw item into a :class:`~tracking.types.LandmarkFrame` with :meth:`~LandmarkSource.landmarks`
(MediaPipe for an image, the recorded frame itself for a recording): a recording replays through the same
interface as a camera. Times come from the source: a video file's frame index over its frame rate, a camera's
capture clock, a recording's timestamps.

How fast a source is read is its consumer's policy, not another kind of source: :mod:`tracking.pipeline` reads every
frame as fast as it can; :mod:`tracking.live` plays a file at its own timestamps (late frames skipped, never
inferred) and always takes a camera's newest image.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast, runtime_checkable

import cv2
import numpy as np
import numpy.typing as npt

from tracking.atomic_files import describe_os_error
from tracking.closing import ClosesOnExit
from tracking.errors import SourceError
from tracking.input_files import InputFileError, check_regular_file, open_regular_file
from tracking.limits import MAX_CAMERA_INDEX, MAX_FPS, MIN_FPS
from tracking.recording import RecordedFrame, RecordingFileError, RecordingReader, is_recording_path
from tracking.types import LandmarkFrame, SourceInfo, TrackingModel

if TYPE_CHECKING:
    from tracking.landmarker import Landmarker

ImageBGR = npt.NDArray[np.uint8]
RawT = TypeVar("RawT")

# The models run when a caller names none: the hand, which every level so far follows.
DEFAULT_MODELS: frozenset[TrackingModel] = frozenset({TrackingModel.HANDS})
# One hand unless the caller asks for two (no level does yet): asking MediaPipe for two while only one is in view
# makes it run palm detection on every frame to look for the second, which doubles the cost (measured on
# hand_video.mp4, 2 cores: 16-17 ms a frame for one hand, 32-36 ms for two).
DEFAULT_MAX_HANDS = 1

_EXPECTED = "a video file (.mp4, .avi, .mov, .mkv...) or a .jsonl landmark recording"
_EXPECTED_RECORDING = "a .jsonl landmark recording"
# Enough of the start of a file to tell an image or a text file from a video container.
_SNIFF_BYTES = 4096
# First bytes of the still-image formats OpenCV and FFmpeg also open as one-frame "videos" (GIF is left out: an
# animated GIF is a video to FFmpeg, and a one-frame GIF is refused as a single frame).
_IMAGE_MAGIC = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"\x00\x00\x00\x0cjP  ", "JPEG 2000"),
    (b"\x76\x2f\x31\x01", "OpenEXR"),
)
# The image file names cv2.imread reads (OpenCV's imgcodecs), and phone photos (HEIC/HEIF): never videos.
_IMAGE_SUFFIXES = frozenset(
    {".bmp", ".dib", ".jpeg", ".jpg", ".jpe", ".jp2", ".png", ".webp", ".avif", ".pbm", ".pgm", ".ppm", ".pxm",
     ".pnm", ".pfm", ".sr", ".ras", ".tiff", ".tif", ".exr", ".hdr", ".pic", ".heic", ".heif"}
)
# The image asked of a camera (it may deliver another): the size of hand_video.mp4, on which one-hand inference
# takes 16-17 ms a frame on two cores (above), so that it keeps up with 30 fps.
CAMERA_WIDTH_PX = 640
CAMERA_HEIGHT_PX = 360
CAMERA_FPS = 30.0
# A video whose decoding stops before this fraction of the frames its container declares is refused as cut short
# (a failed copy or download: the first half of hand_video.mp4 decodes 86 of its 202 frames). Not every frame is
# required because some containers' counts are estimates (duration times frame rate, e.g. a Matroska file without
# an index), which may overshoot by a few frames.
MIN_DECODED_FRACTION = 0.9
# ...and at least this many frames must be missing as well (0.4 s at 25 fps): a short video whose estimated count is
# off by a frame or two is not refused for it.
MIN_MISSING_FRAMES = 10


@dataclass(frozen=True)
class SourceSpec:
    """Where live landmarks come from: a camera index, or a video file / ``.jsonl`` recording path."""

    camera_index: int | None = 0
    path: Path | None = None

    def describe(self) -> str:
        """Return the source for a message: the path as given, or ``camera N``."""
        return str(self.path) if self.path is not None else f"camera {self.camera_index}"


# --- images: a camera or a video file ---------------------------------------------------------------------------


class ImageSource(Protocol):
    """A camera or a video file: (time in seconds, BGR image) pairs."""

    info: SourceInfo
    frame_count_hint: int | None
    is_live: bool

    def read(self) -> tuple[float, ImageBGR] | None:
        """Return the next (time in seconds from the start, BGR image), or ``None`` when the source has ended."""

    def close(self) -> None:
        """Release the device or file."""


def check_video_file(path: str | Path) -> None:
    """Refuse, before OpenCV sees it, what is not a video file.

    A missing path, a folder, a device or named pipe (whose opening would block), an empty file, a still image or a text
    file.

    Raises
    ------
    SourceError
        Naming the path as given, what it is instead and what was expected.
    """
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
    image_format = _image_format(Path(name), start)
    if image_format is not None:
        raise SourceError(f"{name}: is a still image ({image_format}), not a video; expected {_EXPECTED}")
    if _looks_like_text(start):
        raise SourceError(
            f"{name}: is a text file, not a video; expected {_EXPECTED} (a recording's name must end in .jsonl)"
        )


def _image_format(path: Path, start: bytes) -> str | None:
    """Return the still-image format ``start`` (a file's first bytes) or the file name says, else ``None``."""
    image_format = next((fmt for magic, fmt in _IMAGE_MAGIC if start.startswith(magic)), None)
    if image_format is None and start.startswith(b"RIFF") and start[8:12] == b"WEBP":
        image_format = "WebP"
    if image_format is None and path.suffix.lower() in _IMAGE_SUFFIXES:
        image_format = path.suffix.lower().lstrip(".").upper()
    return image_format


def _looks_like_text(start: bytes) -> bool:
    """Return ``True`` when ``start`` (a file's first bytes) is text, so the file cannot be a video.

    Every video container begins with binary bytes (a box size, a magic number), except raw YUV4MPEG2 whose header
    line is text; text is UTF-8 without controls other than tab, line feed, carriage return and form feed.
    """
    if start.startswith(b"YUV4MPEG2"):
        return False
    try:
        text = start.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(start) - 3:
            return False
        text = start[: error.start].decode("utf-8")  # a character cut by the sniffing window
    return all(char.isprintable() or char in "\t\n\r\f" for char in text)


class VideoFileSource(ClosesOnExit):
    """Every frame of a video file, in order, none dropped; time = frame index / frame rate.

    Raises :class:`SourceError` naming the path as given when it is not a readable video: missing, a folder,
    device or pipe, empty, a still image (by its first bytes or name, or a single decodable frame), a text file,
    undecodable, or with a frame rate outside 1..1000 fps; and from :meth:`read` when decoding stops well before the
    frame count the container declares (a file cut short: see :data:`MIN_DECODED_FRACTION`).

    Attributes
    ----------
    frame_count_hint
        The frame count the container declares (for progress bars; the real count may differ), ``None`` when it
        declares none.
    """

    is_live = False

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._name = name = str(path)
        check_video_file(path)
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
        count = int(self._capture.get(cv2.CAP_PROP_FRAME_COUNT))
        self.frame_count_hint: int | None = count if count > 0 else None
        self._index = 0

    def _first_frames(self, name: str) -> list[ImageBGR]:
        """Return the first two frames: a file OpenCV decodes to one frame only is a still image, not a video."""
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
        """Return the next frame and its time (frame index / frame rate), or ``None`` at the end of the file.

        Raises
        ------
        SourceError
            The file ends well before the frame count its container declares (cut short).
        """
        if self._pending:
            image = self._pending.pop(0)
        else:
            ok, decoded = self._capture.read()
            if not ok or decoded is None:
                self._check_complete()
                return None
            image = cast(ImageBGR, decoded)
        t_s = self._index / self.info.fps
        self._index += 1
        return t_s, image

    def _check_complete(self) -> None:
        """Refuse a video whose decoding stopped well before the frame count its container declares.

        Raises
        ------
        SourceError
            ``NAME: ends after N of M frames; expected a complete video (the file may be cut short)``.
        """
        expected = self.frame_count_hint
        if expected is None:
            return
        missing = expected - self._index
        if self._index < MIN_DECODED_FRACTION * expected and missing >= MIN_MISSING_FRAMES:
            raise SourceError(
                f"{self._name}: ends after {self._index} of {expected} frames; expected a complete video "
                "(the file may be cut short)"
            )

    def close(self) -> None:
        """Release the video file."""
        self._capture.release()


class VideoCapture(Protocol):
    """What :class:`CameraSource` uses of ``cv2.VideoCapture`` (tests stand in a capture that fails and recovers)."""

    def isOpened(self) -> bool:  # noqa: N802 (OpenCV's name)
        """Return whether the device is open."""

    def read(self) -> tuple[bool, Any]:
        """Return ``(ok, image)``: the next image, or ``ok`` false when none came."""

    def set(self, prop_id: int, value: float) -> bool:
        """Ask for a capture property (size, frame rate); the device may ignore it."""

    def get(self, prop_id: int) -> float:
        """Return a capture property."""

    def release(self) -> None:
        """Release the device."""


def open_camera_capture(index: int) -> VideoCapture:
    """Open camera ``index`` with OpenCV (the default of :class:`CameraSource`'s ``open_capture``)."""
    return cast(VideoCapture, cv2.VideoCapture(index))


@runtime_checkable
class Reopenable(Protocol):
    """A live source that can open its device again after it stopped delivering (a camera unplugged and back)."""

    def reopen(self) -> bool:
        """Release the device and open it again; return whether it delivers an image now."""


class CameraSource(ClosesOnExit):
    """A webcam (``cv2.VideoCapture(index)``); time is the capture clock in seconds since opening.

    A camera that stops delivering (unplugged) reads ``None``; :meth:`reopen` opens it again (the live tracker tries
    every second) and its times go on from where they were.
    """

    is_live = True
    frame_count_hint: int | None = None

    def __init__(
        self,
        index: int,
        *,
        width_px: int = CAMERA_WIDTH_PX,
        height_px: int = CAMERA_HEIGHT_PX,
        fps: float = CAMERA_FPS,
        open_capture: Callable[[int], VideoCapture] = open_camera_capture,
    ) -> None:
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index <= MAX_CAMERA_INDEX:
            raise SourceError(
                f"Camera index {index!r} cannot be used: expected a whole number from 0 to {MAX_CAMERA_INDEX} "
                "(0 is the first camera)."
            )
        self._index = index
        self._asked = (width_px, height_px, fps)
        self._open_capture = open_capture
        opened = self._open()
        if opened is None:
            raise SourceError(f"No camera found at index {index}. Check that a webcam is plugged in, or use "
                              "--input mouse, or --source FILE to play from a video or a recording.")
        self._capture, first = opened
        if first is None:
            self._capture.release()
            raise SourceError(f"The camera at index {index} opened but delivered no image.")
        self._pending: ImageBGR | None = None  # an image read by reopen(), delivered by the next read()
        self._start_s = time.monotonic()
        height, width = first.shape[:2]
        reported_fps = float(self._capture.get(cv2.CAP_PROP_FPS)) or fps
        self.info = SourceInfo(fps=reported_fps, width_px=int(width), height_px=int(height), name=f"camera {index}")

    def _open(self) -> tuple[VideoCapture, ImageBGR | None] | None:
        """Open the device, ask for the size and rate, and read one image; ``None`` when it does not open."""
        capture = self._open_capture(self._index)
        if not capture.isOpened():
            capture.release()
            return None
        width_px, height_px, fps = self._asked
        capture.set(cv2.CAP_PROP_FRAME_WIDTH, width_px)
        capture.set(cv2.CAP_PROP_FRAME_HEIGHT, height_px)
        capture.set(cv2.CAP_PROP_FPS, fps)
        ok, first = capture.read()
        return capture, (cast(ImageBGR, first) if ok and first is not None else None)

    def read(self) -> tuple[float, ImageBGR] | None:
        """Return the next image and its capture time, or ``None`` when the camera stopped delivering (unplugged)."""
        image, self._pending = self._pending, None
        if image is None:
            ok, decoded = self._capture.read()
            if not ok or decoded is None:
                return None  # unplugged or failed: the live tracker reopens it (see reopen)
            image = cast(ImageBGR, decoded)
        return time.monotonic() - self._start_s, image

    def reopen(self) -> bool:
        """Release the camera and open it again; return whether it delivered an image (the next :meth:`read`'s).

        On failure the camera stays released and :meth:`read` keeps returning ``None`` until a reopen succeeds.
        """
        self._capture.release()
        opened = self._open()
        if opened is None:
            return False
        capture, first = opened
        self._capture = capture
        if first is None:
            return False
        self._pending = first
        return True

    def close(self) -> None:
        """Release the camera for other programs."""
        self._capture.release()


# --- landmarks: images through MediaPipe, or a recording replayed ------------------------------------------------


class LandmarkSource(Protocol[RawT]):
    """Landmark frames from a camera, a video file or a recording (opened by :func:`open_landmark_source`).

    ``read`` is cheap and ``landmarks`` does the work, so that a consumer that falls behind can skip raw items
    without paying for their landmarks. Not thread-safe as a whole: ``read`` and ``landmarks`` may run in two
    threads (a camera's reader and its inference), each in one.
    """

    @property
    def info(self) -> SourceInfo:
        """Frame rate, image size and a name for reports."""

    @property
    def frame_count_hint(self) -> int | None:
        """The number of frames the file declares (a video container's count may be off by a few).

        ``None`` for a camera or when unknown.
        """

    @property
    def duration_s(self) -> float | None:
        """A video file's length as its container declares it; ``None`` for a camera, a recording, or unknown."""

    @property
    def is_live(self) -> bool:
        """True for a camera (its images come whether or not they are read), False for a file."""

    @property
    def models(self) -> frozenset[TrackingModel] | None:
        """The MediaPipe models run on each image; ``None`` for a recording, whose landmarks are as recorded."""

    def read(self) -> tuple[float, RawT] | None:
        """Return the next (time in seconds, raw item), or ``None`` at the end.

        Raises
        ------
        RecordingFormatError
            A recording's next line is malformed (the message names the file, line and field).
        """

    def landmarks(self, t_s: float, raw: RawT) -> LandmarkFrame:
        """Return the landmark frame of a raw item from :meth:`read`, stamped ``t_s``."""

    def close(self) -> None:
        """Release the device or file and MediaPipe (idempotent)."""


class MediaPipeSource(ClosesOnExit):
    """Images from a camera or a video file, whose landmarks MediaPipe finds when asked (:meth:`landmarks`)."""

    def __init__(self, images: ImageSource, landmarker: Landmarker) -> None:
        self._images = images
        self._landmarker = landmarker
        self.info = images.info
        self.frame_count_hint = images.frame_count_hint
        self.is_live = images.is_live
        self.models: frozenset[TrackingModel] | None = landmarker.models
        count = images.frame_count_hint
        self.duration_s: float | None = None if images.is_live or count is None else count / images.info.fps

    def read(self) -> tuple[float, ImageBGR] | None:
        """Return the next image and its time, or ``None`` at the end of the file or when the camera stopped."""
        return self._images.read()

    def reopen(self) -> bool:
        """Open a camera again after it stopped delivering (see :meth:`CameraSource.reopen`); a file cannot be."""
        return isinstance(self._images, Reopenable) and self._images.reopen()

    def landmarks(self, t_s: float, raw: ImageBGR) -> LandmarkFrame:
        """Return the landmarks MediaPipe finds in one image, stamped ``t_s`` (seconds)."""
        return self._landmarker.process(t_s, raw)

    def close(self) -> None:
        """Close MediaPipe and the image source."""
        self._landmarker.close()
        self._images.close()


class RecordingSource(ClosesOnExit):
    """The frames of a ``.jsonl`` landmark recording, as recorded (no MediaPipe); every line is checked when read.

    The header is read on opening (a malformed one raises at once); the file is open only while frames are read.
    """

    is_live = False
    duration_s: float | None = None
    models: frozenset[TrackingModel] | None = None

    def __init__(self, path: str | Path) -> None:
        self._path = path
        self._reader = RecordingReader(path)
        self.info = self._reader.info
        self._frames: Iterator[RecordedFrame] | None = None
        self._count: int | None = None

    @property
    def frame_count_hint(self) -> int | None:
        """The number of frame lines (counted once, when first asked: a live replay never needs it)."""
        if self._count is None:
            # Opened again without blocking (open_regular_file): the path could have been swapped for a named pipe.
            with open_regular_file(self._path, expected=_EXPECTED_RECORDING) as stream:
                lines = sum(1 for line in stream if line.strip())
            self._count = max(lines - 1, 0)
        return self._count

    def read(self) -> tuple[float, LandmarkFrame] | None:
        """Return the next frame line, parsed and checked, or ``None`` at the end of the file."""
        if self._frames is None:
            self._frames = self._reader.frames()
        recorded = next(self._frames, None)
        return None if recorded is None else (recorded.frame.t_s, recorded.frame)

    def landmarks(self, t_s: float, raw: LandmarkFrame) -> LandmarkFrame:
        """Return the recorded frame itself."""
        return raw

    def close(self) -> None:
        """Close the file if frames are being read (idempotent)."""
        frames, self._frames = self._frames, None
        if frames is not None and hasattr(frames, "close"):
            frames.close()


def check_input_file(path: str | Path) -> None:
    """Refuse at once, before a decoder or MediaPipe loads, a file that cannot be a landmark source.

    A ``.jsonl`` recording must be a regular file (its lines are checked as they are read); any other file must
    look like a video (:func:`check_video_file`).

    Raises
    ------
    RecordingFileError
        The recording is missing, a folder, a device or a named pipe.
    SourceError
        The video is missing, a folder, a device or pipe, empty, a still image or a text file.
    """
    if is_recording_path(path):
        try:
            check_regular_file(path, expected=_EXPECTED_RECORDING)
        except InputFileError as error:
            raise RecordingFileError(str(path), error.problem) from None
    else:
        check_video_file(path)


def open_landmark_source(
    spec: SourceSpec | str | Path,
    models: frozenset[TrackingModel],
    *,
    max_hands: int = DEFAULT_MAX_HANDS,
    face_every_n_frames: int = 1,
) -> LandmarkSource[Any]:
    """Open a camera, a video file or a ``.jsonl`` landmark recording: the one place that tells them apart.

    Parameters
    ----------
    spec
        A file path, or a :class:`SourceSpec` (its ``path`` wins over its ``camera_index``).
    models
        The MediaPipe models to run on a camera's or a video's images (the level's); a recording's landmarks are
        replayed as recorded, without MediaPipe, whatever ``models`` says.
    max_hands
        How many hands MediaPipe looks for: 1 (the default) or 2 (the game's levels that run hands and face). More
        than are in view costs time on every frame.
    face_every_n_frames
        Run the face model on one image in ``n`` (see :class:`~tracking.landmarker.Landmarker`); 1: every image.

    Raises
    ------
    SourceError
        No source given; the camera or the video cannot be opened (the message names it and says what to do).
    RecordingFormatError
        The recording is missing or its header is malformed (path, line and field named).
    ValueError
        ``models`` is empty, ``max_hands`` is not 1 or 2, or ``face_every_n_frames`` is out of range (a programming
        error, not a person's).
    """
    path = Path(spec) if isinstance(spec, (str, Path)) else spec.path
    camera_index = None if isinstance(spec, (str, Path)) else spec.camera_index
    if path is not None and is_recording_path(path):
        return RecordingSource(path)
    if path is None and camera_index is None:
        raise SourceError("No tracking source given: expected a camera index or a file path.")
    from tracking.landmarker import Landmarker  # imported here: mediapipe takes a second to import

    images: ImageSource = VideoFileSource(path) if path is not None else CameraSource(cast(int, camera_index))
    try:
        landmarker = Landmarker(models, max_hands=max_hands, face_every_n_frames=face_every_n_frames)
    except BaseException:
        images.close()
        raise
    return MediaPipeSource(images, landmarker)

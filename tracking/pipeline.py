"""Offline tracking of a whole file: every frame, in order, none dropped, as fast as the machine allows.

Used by ``motorplay track`` and ``motorplay analyze``. A video goes through
:class:`~tracking.sources.VideoFileSource` and the :class:`~tracking.landmarker.Landmarker`; a ``.jsonl``
landmark recording is replayed without MediaPipe, its landmarks re-used and its signals recomputed (so that the
head-neutral rule below applies to it too).

Head neutral: given, or else the median of the raw head angles over the first second of the input in which a face
is seen (:data:`NEUTRAL_WINDOW_S` from the first frame with a face). Those frames are held back until the second
is complete, then every sample is emitted relative to that neutral.

One stage, on purpose: decoding a 640x360 frame costs about 0.6 ms against about 16-30 ms of hand inference on
two cores, so decoding in a second thread could save at most 2-4% and would compete with MediaPipe's own threads.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Protocol

from tracking.calibration import neutral_head
from tracking.head_pose import relative_to
from tracking.input_files import open_regular_file
from tracking.landmarker import DEFAULT_MODELS, Landmarker
from tracking.recording import RecordingReader, is_recording_path
from tracking.signals import SignalExtractor
from tracking.sources import VideoFileSource
from tracking.types import HeadAngles, LandmarkFrame, SourceInfo, TrackedSample, TrackingModel

# The neutral head posture is measured over this much of the input when no calibration is given: long enough for
# a median to ignore a blink or a landmark glitch, short enough that the patient is still settling in.
NEUTRAL_WINDOW_S = 1.0


class _FrameSource(Protocol):
    info: SourceInfo
    frame_count_hint: int | None

    def frames(self) -> Iterator[LandmarkFrame]: ...

    def close(self) -> None: ...


class _VideoFrames:
    """Every frame of a video through MediaPipe."""

    def __init__(self, path: Path, models: frozenset[TrackingModel]) -> None:
        self._source = VideoFileSource(path)
        self.info = self._source.info
        count = self._source.frame_count_hint()
        self.frame_count_hint: int | None = count if count > 0 else None
        try:
            self._landmarker = Landmarker(models)
        except BaseException:
            self._source.close()
            raise

    def frames(self) -> Iterator[LandmarkFrame]:
        while (item := self._source.read()) is not None:
            yield self._landmarker.process(*item)

    def close(self) -> None:
        self._landmarker.close()
        self._source.close()


class _RecordingFrames:
    """The landmark frames of a recording, without MediaPipe."""

    def __init__(self, path: Path) -> None:
        self._reader = RecordingReader(path)
        self.info = self._reader.info
        # The header was readable, so the file is a regular file; counting lines is cheap. Opened again without
        # blocking (open_regular_file): the path could have been swapped for a named pipe since.
        with open_regular_file(path, expected="a .jsonl landmark recording") as stream:
            lines = sum(1 for line in stream if line.strip())
        self.frame_count_hint: int | None = max(lines - 1, 0)

    def frames(self) -> Iterator[LandmarkFrame]:
        for recorded in self._reader.frames():
            yield recorded.frame

    def close(self) -> None:
        """Nothing to release: the reader opens the file only while iterating."""


def _relative(sample: TrackedSample, neutral: HeadAngles | None) -> TrackedSample:
    head = sample.signals.head
    if head is None or neutral is None:
        return sample
    return dataclasses.replace(sample, signals=dataclasses.replace(sample.signals, head=relative_to(head, neutral)))


class TrackedFile:
    """A video or recording being tracked; use as a context manager and iterate :meth:`samples` once.

    Attributes
    ----------
    info
        Frame rate, image size and name of the input.
    frame_count_hint
        The number of frames the file declares (a video container's count may be off by a few), or ``None``.
    head_neutral
        The neutral head posture in use: the one given, or, once measured, the first-second median (absolute
        angles); ``None`` before it is known or when no face was seen.
    """

    def __init__(self, source: _FrameSource, head_neutral: HeadAngles | None) -> None:
        self._source = source
        self.info = source.info
        self.frame_count_hint = source.frame_count_hint
        self.head_neutral = head_neutral
        self._measure_neutral = head_neutral is None
        self._extractor = SignalExtractor(
            width_px=self.info.width_px, height_px=self.info.height_px, head_neutral=head_neutral
        )

    def samples(self) -> Iterator[TrackedSample]:
        """Every frame in order with its signals (head relative to the neutral; see the module docstring)."""
        raw = (TrackedSample(frame, self._extractor.update(frame)) for frame in self._source.frames())
        if not self._measure_neutral:
            yield from raw
            return
        held: list[TrackedSample] = []
        first_face_t_s: float | None = None
        for sample in raw:
            if self.head_neutral is not None:
                yield _relative(sample, self.head_neutral)
                continue
            if first_face_t_s is None:
                if sample.signals.head is None:
                    yield sample  # no face yet: nothing to make relative, nothing to hold back
                    continue
                first_face_t_s = sample.frame.t_s
            if sample.frame.t_s - first_face_t_s < NEUTRAL_WINDOW_S:
                held.append(sample)
                continue
            yield from self._release(held)
            held = []
            yield _relative(sample, self.head_neutral)
        yield from self._release(held)  # inputs shorter than the window: the neutral is what there is

    def _release(self, held: list[TrackedSample]) -> Iterator[TrackedSample]:
        if self.head_neutral is None:
            heads = [sample.signals.head for sample in held if sample.signals.head is not None]
            self.head_neutral = neutral_head(heads) if heads else None
        for sample in held:
            yield _relative(sample, self.head_neutral)

    def close(self) -> None:
        """Release the file and MediaPipe."""
        self._source.close()

    def __enter__(self) -> TrackedFile:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def open_tracked_file(
    path: Path, models: frozenset[TrackingModel] | None = None, *, head_neutral: HeadAngles | None = None
) -> TrackedFile:
    """Open a video (tracked with ``models``, default hands) or a ``.jsonl`` recording (``models`` ignored).

    Raises
    ------
    SourceError
        The video is missing or cannot be decoded (the message names the path).
    RecordingFormatError
        The recording is missing or malformed (the message names the path, line and field).
    """
    path = Path(path)
    source: _FrameSource = (
        _RecordingFrames(path) if is_recording_path(path) else _VideoFrames(path, models or DEFAULT_MODELS)
    )
    return TrackedFile(source, head_neutral)

"""Offline tracking of a whole file: every frame, in order, none dropped, as fast as the machine allows.

Used by ``motorplay track`` and ``motorplay analyze``. The file is a :class:`~tracking.sources.LandmarkSource`
(:func:`~tracking.sources.open_landmark_source`): a video goes through MediaPipe; a ``.jsonl`` landmark recording
is replayed without it, its landmarks re-used and its signals recomputed (so that the head-neutral rule below
applies to it too). Reading every frame at once is this module's pacing; :mod:`tracking.live` paces the same
sources to their timestamps.

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
from typing import Any

from tracking.calibration import neutral_head
from tracking.closing import ClosesOnExit
from tracking.head_pose import relative_to
from tracking.signals import SignalExtractor
from tracking.sources import DEFAULT_MAX_HANDS, DEFAULT_MODELS, LandmarkSource, open_landmark_source
from tracking.types import HeadAngles, LandmarkFrame, SourceInfo, TrackedSample, TrackingModel

# The neutral head posture is measured over this much of the input when no calibration is given: long enough for
# a median to ignore a blink or a landmark glitch, short enough that the patient is still settling in.
NEUTRAL_WINDOW_S = 1.0


def _relative(sample: TrackedSample, neutral: HeadAngles | None) -> TrackedSample:
    head = sample.signals.head
    if head is None or neutral is None:
        return sample
    return dataclasses.replace(sample, signals=dataclasses.replace(sample.signals, head=relative_to(head, neutral)))


def _every_frame(source: LandmarkSource[Any]) -> Iterator[LandmarkFrame]:
    """Every frame of ``source`` in order, each through its landmarks (none skipped)."""
    while (item := source.read()) is not None:
        yield source.landmarks(*item)


class TrackedFile(ClosesOnExit):
    """A video or recording being tracked; use as a context manager and iterate :meth:`samples` once.

    Attributes
    ----------
    info
        Frame rate, image size and name of the input.
    head_neutral
        The neutral head posture in use: the one given, or, once measured, the first-second median (absolute
        angles); ``None`` before it is known or when no face was seen.
    """

    def __init__(self, source: LandmarkSource[Any], head_neutral: HeadAngles | None) -> None:
        self._source = source
        self.info: SourceInfo = source.info
        self.head_neutral = head_neutral
        self._measure_neutral = head_neutral is None
        self._extractor = SignalExtractor(
            width_px=self.info.width_px, height_px=self.info.height_px, head_neutral=head_neutral
        )

    @property
    def frame_count_hint(self) -> int | None:
        """The number of frames the file declares (a video container's count may be off by a few), or ``None``."""
        return self._source.frame_count_hint

    @property
    def models(self) -> frozenset[TrackingModel] | None:
        """The MediaPipe models run on the file's images; ``None`` for a recording (landmarks as recorded)."""
        return self._source.models

    def samples(self) -> Iterator[TrackedSample]:
        """Every frame in order with its signals (head relative to the neutral; see the module docstring)."""
        raw = (TrackedSample(frame, self._extractor.update(frame)) for frame in _every_frame(self._source))
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


def open_tracked_file(
    path: Path,
    models: frozenset[TrackingModel] | None = None,
    *,
    head_neutral: HeadAngles | None = None,
    max_hands: int = DEFAULT_MAX_HANDS,
) -> TrackedFile:
    """Open a video or a ``.jsonl`` recording as a landmark source.

    A video is tracked with ``models`` (default: hands), looking for ``max_hands`` hands; a recording ignores both.

    Raises
    ------
    SourceError
        The video is missing or cannot be decoded (the message names the path).
    RecordingFormatError
        The recording is missing or malformed (the message names the path, line and field).
    """
    source = open_landmark_source(Path(path), models or DEFAULT_MODELS, max_hands=max_hands)
    return TrackedFile(source, head_neutral)

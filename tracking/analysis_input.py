"""Offline analysis of a whole input: read a video or a landmark recording, choose the effector, analyse it.

The reading is here; the analysis is :func:`tracking.analysis.analyze_track`; the result is an
:class:`tracking.analysis_report.AnalysisReport`, whose JSON ``motorplay analyze`` writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from tracking.analysis import analyze_track, effector_tracks
from tracking.analysis_report import AnalysisReport
from tracking.errors import TrackingError
from tracking.quality_types import QualityParams
from tracking.types import Effector, FloatArray, SourceInfo, TrackedSample, TrackingModel

if TYPE_CHECKING:
    from tracking.pipeline import TrackedFile

__all__ = ["analyze_file", "analyze_samples", "choose_effector", "open_for_analysis"]

# Offline, a head input has no calibrated neutral: posture breaks are measured against its mean posture over its
# first tracked second (design choice: an input starts at rest, facing the camera).
HEAD_REFERENCE_S = 1.0
# Without --effector, the hand is analysed when it is seen for at least this long (in frames at the input's rate),
# else the head when a face is: half a second is the shortest rest that ends a movement (QualityParams), so a hand
# seen for less cannot make one movement; a false hand detection on a few frames of a face video does not win.
HAND_CHOICE_MIN_S = 0.5


def _head_reference(t_s: FloatArray, angles: FloatArray) -> FloatArray:
    valid = np.all(np.isfinite(angles), axis=1)
    first = valid & (t_s <= t_s[valid][0] + HEAD_REFERENCE_S) if valid.any() else valid
    return np.asarray(angles[first].mean(axis=0) if first.any() else np.zeros(3), dtype=np.float64)


def _check_times(t_s: FloatArray, name: str) -> None:
    """Refuse sample times that are not numbers or that go backwards: the analysis lays them out on a time grid.

    A recording's reader refuses them line by line; this names the frame for any other source (a video container
    whose timestamps are broken).
    """
    bad = np.flatnonzero(~np.isfinite(t_s))
    if bad.size:
        raise TrackingError(f"{name}: frame {bad[0] + 1} has no valid time ({t_s[bad[0]]} s); expected seconds")
    back = np.flatnonzero(np.diff(t_s) < 0)
    if back.size:
        at = int(back[0]) + 1
        raise TrackingError(
            f"{name}: frame {at + 1} is at {t_s[at]:g} s, before the frame before it ({t_s[at - 1]:g} s); "
            "expected times that never decrease"
        )


def choose_effector(hand_frames: int, head_frames: int, fs_hz: float) -> Effector | None:
    """Return the effector to analyse when none is given.

    The hand when it is seen in at least :data:`HAND_CHOICE_MIN_S` of frames, else the head when a face is seen, else
    the hand when it is seen at all; ``None`` when neither.
    """
    if hand_frames >= HAND_CHOICE_MIN_S * fs_hz or (hand_frames and not head_frames):
        return Effector.HAND
    return Effector.HEAD if head_frames else None


def _counted(samples: Iterable[TrackedSample], on_sample: Callable[[], None] | None) -> Iterator[TrackedSample]:
    """Yield ``samples``, calling ``on_sample`` once each has been used."""
    for sample in samples:
        yield sample
        if on_sample is not None:
            on_sample()


def analyze_samples(
    samples: Iterable[TrackedSample],
    *,
    info: SourceInfo,
    effector: Effector | None = None,
    params: QualityParams | None = None,
    on_sample: Callable[[], None] | None = None,
    name: str | None = None,
) -> AnalysisReport:
    """Offline analysis of every sample of an input.

    ``effector`` ``None``: chosen over all the samples by :func:`choose_effector`. Head posture breaks are measured
    against the first second. ``name``: the input as the person named it, for messages (default ``info.name``).
    """
    name = info.name if name is None else name
    tracks = effector_tracks(_counted(samples, on_sample), width_px=info.width_px, height_px=info.height_px)
    t_s, heads = tracks.t_s, tracks.head_deg
    hand_count, head_count = tracks.tracked_frames(Effector.HAND), tracks.tracked_frames(Effector.HEAD)
    if t_s.size == 1:
        raise TrackingError(f"{name}: has a single frame (a still image?); movement needs a video or a recording")
    _check_times(t_s, name)
    chosen = effector or choose_effector(hand_count, head_count, info.fps)
    if chosen is None:
        raise TrackingError(f"{name}: no hand and no face was tracked in any of its {t_s.size} frames")
    if chosen is Effector.HAND and hand_count == 0:
        raise TrackingError(f"{name}: the input has no hand landmarks (use --effector head for a face)")
    if chosen is Effector.HEAD and head_count == 0:
        raise TrackingError(f"{name}: the input has no face landmarks (no head angles); use --effector hand")
    positions = tracks.positions(chosen)
    target = _head_reference(t_s, heads) if chosen is Effector.HEAD else None
    result, trace = analyze_track(
        t_s, positions, effector=chosen, params=params, width_px=info.width_px, fs_hz=info.fps,
        head_target_deg=target,
    )
    return AnalysisReport(
        info.name, info.fps, int(t_s.size), tracks.tracked_frames(chosen), result, trace,
        input_name=name, hand_frames=hand_count, head_frames=head_count, effector_given=effector is not None,
    )


def _video_models(effector: Effector | None) -> frozenset[TrackingModel]:
    """Return the models a video needs.

    The requested effector's only, or, without one, hands and face on every frame, so that the choice is made over the
    whole video (a hand that enters late is not missed).
    """
    hands, face = frozenset({TrackingModel.HANDS}), frozenset({TrackingModel.FACE})
    if effector is not None:
        return hands if effector is Effector.HAND else face
    return hands | face


def open_for_analysis(path: str | Path, *, effector: Effector | None = None) -> TrackedFile:
    """Open a video or a ``.jsonl`` recording for :func:`analyze_samples`.

    A video runs the models :func:`analyze_file` runs for ``effector``. A caller that shows progress iterates the
    samples itself.

    Raises
    ------
    SourceError, RecordingFormatError
        As :func:`tracking.pipeline.open_tracked_file` (the messages name ``path`` as given).
    """
    # imported here: the pipeline loads OpenCV, which analysing samples already read does not need
    from tracking.pipeline import open_tracked_file

    return open_tracked_file(Path(path), _video_models(effector))


def analyze_file(
    path: str | Path, *, effector: Effector | None = None, params: QualityParams | None = None
) -> AnalysisReport:
    """Analyse a video (MediaPipe runs on every frame) or a ``.jsonl`` landmark recording.

    For a video without ``effector``, both the hand and the face models run on every frame and
    :func:`choose_effector` decides over the whole video. Messages name ``path`` as given.
    """
    with open_for_analysis(path, effector=effector) as tracked:
        return analyze_samples(tracked.samples(), info=tracked.info, effector=effector, params=params, name=str(path))

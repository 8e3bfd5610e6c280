"""Movement quality of a trial (live) or a whole input (offline): movements, smoothness and dystonic breaks.

Live: :func:`assess_trial` at each trial's end (a 10 s trial takes a few milliseconds). Offline:
:func:`analyze_samples` and :func:`analyze_file`, whose :class:`AnalysisReport` serialises to the JSON of
``motorplay analyze``. Times are seconds from the start of the input, as the source stamps them.
The measures are training feedback, not clinical scores.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tracking.breaks import (
    MovementSamples,
    along_path_residual,
    jerk_threshold,
    merge_close,
    movement_breaks,
    off_path_residual,
    segment_breaks,
)
from tracking.errors import TrackingError
from tracking.filtering import Segment, to_uniform_grid, tracked_segments
from tracking.frames import FloatArray, SourceInfo, TrackingModel
from tracking.hand_signals import palm_centre_norm
from tracking.live import TrackedSample
from tracking.quality_types import Break, Effector, MovementQuality, QualityParams, QualityResult
from tracking.segmentation import resting_jitter_speed, segment_movements
from tracking.smoothness import ldlj, sparc, velocity_peaks

__all__ = [
    "AnalysisReport",
    "QualityParams",
    "SpeedTrace",
    "analyze_file",
    "analyze_samples",
    "analyze_track",
    "assess_trial",
    "effector_track",
]

# "For a head recording held at neutral, posture breaks are measured against the first second" (the issue).
HEAD_REFERENCE_S = 1.0
# Without --effector, the hand is analysed when it is seen for at least this long (in frames at the input's rate),
# else the head when a face is: half a second is the shortest rest that ends a movement (QualityParams), so a hand
# seen for less cannot make one movement; a false hand detection on a few frames of a face video does not win.
HAND_CHOICE_MIN_S = 0.5


@dataclass(frozen=True)
class SpeedTrace:
    """The filtered speed on the input's uniform grid (NaN where untracked), for plots."""

    t_s: FloatArray
    speed: FloatArray
    unit: str


@dataclass(frozen=True)
class AnalysisReport:
    """An offline analysis: what was read, and the movement quality found in it.

    Attributes
    ----------
    source
        The input's own name: a video's file name, or the ``source`` of a recording's header (the JSON field).
    input_name
        The input as the person named it (a path), for printed lines and messages.
    tracked_frames
        Frames in which the analysed effector was tracked; ``hand_frames`` and ``head_frames`` count each effector,
        and ``effector_given`` says whether the effector was asked for or chosen from them.
    """

    source: str
    fps: float
    frames: int
    tracked_frames: int
    result: QualityResult
    trace: SpeedTrace = field(repr=False)
    input_name: str = ""
    hand_frames: int = 0
    head_frames: int = 0
    effector_given: bool = False

    @property
    def duration_s(self) -> float:
        return self.frames / self.fps if self.fps > 0 else 0.0

    def to_json(self) -> dict[str, Any]:
        """The documented JSON of ``motorplay analyze --json`` (seconds; no NaN: null instead)."""
        minutes = self.duration_s / 60.0
        return {
            "source": self.source,
            "fps": _num(self.fps, 3),
            "frames": self.frames,
            "tracked_frames": self.tracked_frames,
            "movements": [_movement_json(m) for m in self.result.movements],
            "breaks": [_break_json(b) for b in self.result.breaks],
            "summary": {
                "movements": len(self.result.movements),
                "mean_sparc": _num(self.result.mean_sparc, 4),
                "breaks_per_minute": _num(len(self.result.breaks) / minutes if minutes > 0 else None, 2),
            },
        }


def _num(value: float | None, digits: int) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), digits)


def _break_json(event: Break) -> dict[str, Any]:
    return {"t": _num(event.t_s, 3), "kind": event.kind.value, "effector": event.effector.value,
            "severity": _num(event.severity, 3)}


def _movement_json(movement: MovementQuality) -> dict[str, Any]:
    return {
        "effector": movement.effector.value,
        "start": _num(movement.start_s, 3),
        "end": _num(movement.end_s, 3),
        "duration": _num(movement.duration_s, 3),
        "peak_speed": _num(movement.peak_speed, 2),
        "path_length": _num(movement.path_length, 2),
        "sparc": _num(movement.sparc, 4),
        "ldlj": _num(movement.ldlj, 4),
        "velocity_peaks": movement.velocity_peaks,
        "breaks": [_break_json(b) for b in movement.breaks],
    }


def effector_track(
    samples: Iterable[TrackedSample], *, effector: Effector, width_px: int, height_px: int
) -> tuple[FloatArray, FloatArray]:
    """Times (s) and effector positions, NaN where the effector was not tracked.

    Hand: the palm centre (mean of MediaPipe landmarks 0, 5, 9, 13, 17) in pixels. Head: yaw, pitch, roll in
    degrees from the samples' signals.
    """
    times: list[float] = []
    rows: list[tuple[float, ...]] = []
    missing = (math.nan,) * (2 if effector is Effector.HAND else 3)
    for sample in samples:
        times.append(sample.frame.t_s)
        if effector is Effector.HAND:
            hand = sample.frame.primary_hand()
            if hand is None:
                rows.append(missing)
            else:
                x_norm, y_norm = palm_centre_norm(hand)
                rows.append((x_norm * width_px, y_norm * height_px))
        else:
            head = sample.signals.head
            rows.append(missing if head is None else (head.yaw_deg, head.pitch_deg, head.roll_deg))
    return np.asarray(times, dtype=np.float64), np.asarray(rows, dtype=np.float64).reshape(-1, len(missing))


def _measure(movement: MovementSamples, breaks: tuple[Break, ...]) -> MovementQuality:
    steps = np.linalg.norm(np.diff(movement.positions, axis=0), axis=1)
    speed = movement.speed
    return MovementQuality(
        effector=movement.effector,
        start_s=float(movement.t_s[0]),
        end_s=float(movement.t_s[-1]),
        peak_speed=float(speed.max()),
        path_length=float(steps.sum()),
        sparc=sparc(speed, movement.fs_hz),
        ldlj=ldlj(speed, movement.fs_hz),
        velocity_peaks=velocity_peaks(speed, movement.fs_hz),
        breaks=breaks,
    )


def _movements_of(
    segments: Sequence[Segment], t_s: FloatArray, fs_hz: float, effector: Effector, params: QualityParams
) -> list[MovementSamples]:
    jitter = resting_jitter_speed([s.speed for s in segments], fs_hz, params=params)
    movements = []
    for segment in segments:
        for span in segment_movements(segment.speed, fs_hz, jitter_speed=jitter, params=params):
            part = slice(span.start, span.stop)
            movements.append(
                MovementSamples(
                    t_s=t_s[segment.start : segment.stop][part],
                    positions=segment.positions[part],
                    raw_positions=segment.raw_positions[part],
                    speed=segment.speed[part],
                    fs_hz=fs_hz,
                    effector=effector,
                )
            )
    return movements


def analyze_track(
    t_s: FloatArray,
    positions: FloatArray,
    *,
    effector: Effector,
    params: QualityParams | None = None,
    width_px: int,
    fs_hz: float | None = None,
    head_target_deg: Sequence[float] | FloatArray | None = None,
) -> tuple[QualityResult, SpeedTrace]:
    """Movements, smoothness and breaks of one effector's track.

    Parameters
    ----------
    t_s, positions
        Sample times (s) and positions: (N, 2) pixels for the hand, (N, 3) degrees for the head; NaN rows where
        the effector was not tracked.
    width_px
        Image width: hand thresholds given as fractions of it (minimum amplitude, tremor floor) become pixels.
    fs_hz
        Grid rate; default 1 / median interval of ``t_s``.
    head_target_deg
        Target posture (yaw, pitch, roll) for posture breaks; ``None``: no posture breaks.
    """
    settings = params or QualityParams()
    track = to_uniform_grid(t_s, positions, fs_hz=fs_hz)
    unit = "px/s" if effector is Effector.HAND else "deg/s"
    trace_speed = np.full(track.t_s.size, np.nan)
    if track.t_s.size < 2:
        return QualityResult(effector, (), ()), SpeedTrace(track.t_s, trace_speed, unit)
    segments = tracked_segments(track, max_gap_frames=settings.max_gap_frames, cutoff_hz=settings.lowpass_cutoff_hz)
    for segment in segments:
        trace_speed[segment.start : segment.stop] = segment.speed
    least_amplitude = (
        settings.min_hand_amplitude_norm * width_px if effector is Effector.HAND else settings.min_head_amplitude_deg
    )
    movements = [
        m for m in _movements_of(segments, track.t_s, track.fs_hz, effector, settings)
        if m.direction()[1] >= least_amplitude
    ]
    residuals = [off_path_residual(m, params=settings) for m in movements]
    threshold = jerk_threshold(residuals, params=settings)
    along = [along_path_residual(m, params=settings) for m in movements]
    along_threshold = jerk_threshold(along, params=settings)
    per_movement = [
        movement_breaks(movement, residual, jerk_threshold=threshold, params=settings, along_residual=forward,
                        along_threshold=along_threshold)
        for movement, residual, forward in zip(movements, residuals, along, strict=True)
    ]
    target = None if head_target_deg is None else np.asarray(head_target_deg, dtype=np.float64)
    if effector is Effector.HAND:
        least_rms = settings.tremor_min_hand_rms_norm * width_px
    else:
        least_rms = settings.tremor_min_head_rms_deg
    others = segment_breaks(segments, track.t_s, track.fs_hz, effector, settings, target, least_rms)
    all_breaks = merge_close([b for events in per_movement for b in events] + others, params=settings)
    qualities = []
    for movement in movements:
        inside = tuple(b for b in all_breaks if movement.t_s[0] <= b.t_s <= movement.t_s[-1])
        qualities.append(_measure(movement, inside))
    result = QualityResult(effector, tuple(qualities), tuple(all_breaks))
    return result, SpeedTrace(track.t_s, trace_speed, unit)


def assess_trial(
    samples: Sequence[TrackedSample],
    *,
    effector: Effector,
    width_px: int,
    height_px: int,
    params: QualityParams | None = None,
    head_target_deg: Sequence[float] = (0.0, 0.0, 0.0),
) -> QualityResult:
    """Movement quality of one trial, for the game at the trial's end (live).

    Parameters
    ----------
    samples
        The trial's tracked samples in order (every frame, tracked or not).
    effector
        HAND: palm centre in pixels of a ``width_px`` x ``height_px`` image; HEAD: the signals' head angles.
    head_target_deg
        The trial's target head posture (yaw, pitch, roll) relative to the calibrated neutral.
    """
    t_s, positions = effector_track(samples, effector=effector, width_px=width_px, height_px=height_px)
    target = head_target_deg if effector is Effector.HEAD else None
    result, _ = analyze_track(
        t_s, positions, effector=effector, params=params, width_px=width_px, head_target_deg=target
    )
    return result


def _head_reference(t_s: FloatArray, angles: FloatArray) -> FloatArray:
    valid = np.all(np.isfinite(angles), axis=1)
    first = valid & (t_s <= t_s[valid][0] + HEAD_REFERENCE_S) if valid.any() else valid
    return np.asarray(angles[first].mean(axis=0) if first.any() else np.zeros(3), dtype=np.float64)


def choose_effector(hand_frames: int, head_frames: int, fps: float) -> Effector | None:
    """The effector to analyse when none is given: the hand when it is seen in at least :data:`HAND_CHOICE_MIN_S`
    of frames, else the head when a face is seen, else the hand when it is seen at all; ``None`` when neither."""
    if hand_frames >= HAND_CHOICE_MIN_S * fps or (hand_frames and not head_frames):
        return Effector.HAND
    return Effector.HEAD if head_frames else None


def analyze_samples(
    samples: Iterable[TrackedSample],
    *,
    info: SourceInfo,
    effector: Effector | None = None,
    params: QualityParams | None = None,
    on_sample: Callable[[], None] | None = None,
    name: str | None = None,
) -> AnalysisReport:
    """Offline analysis of every sample of an input. ``effector`` ``None``: chosen over all the samples by
    :func:`choose_effector`. Head posture breaks are measured against the first second. ``name``: the input as
    the person named it, for messages (default ``info.name``)."""
    name = info.name if name is None else name
    t_list: list[float] = []
    hand_rows: list[tuple[float, float]] = []
    head_rows: list[tuple[float, float, float]] = []
    for sample in samples:
        t_list.append(sample.frame.t_s)
        hand = sample.frame.primary_hand()
        if hand is None:
            hand_rows.append((math.nan, math.nan))
        else:
            x_norm, y_norm = palm_centre_norm(hand)
            hand_rows.append((x_norm * info.width_px, y_norm * info.height_px))
        head = sample.signals.head
        head_rows.append((math.nan,) * 3 if head is None else (head.yaw_deg, head.pitch_deg, head.roll_deg))
        if on_sample is not None:
            on_sample()
    t_s = np.asarray(t_list, dtype=np.float64)
    hands = np.asarray(hand_rows, dtype=np.float64).reshape(-1, 2)
    heads = np.asarray(head_rows, dtype=np.float64).reshape(-1, 3)
    hand_count = int(np.all(np.isfinite(hands), axis=1).sum())
    head_count = int(np.all(np.isfinite(heads), axis=1).sum())
    if t_s.size == 1:
        raise TrackingError(f"{name}: has a single frame (a still image?); movement needs a video or a recording")
    chosen = effector or choose_effector(hand_count, head_count, info.fps)
    if chosen is None:
        raise TrackingError(f"{name}: no hand and no face was tracked in any of its {t_s.size} frames")
    if chosen is Effector.HAND and hand_count == 0:
        raise TrackingError(f"{name}: the input has no hand landmarks (use --effector head for a face)")
    if chosen is Effector.HEAD and head_count == 0:
        raise TrackingError(f"{name}: the input has no face landmarks (no head angles); use --effector hand")
    positions = hands if chosen is Effector.HAND else heads
    target = _head_reference(t_s, heads) if chosen is Effector.HEAD else None
    result, trace = analyze_track(
        t_s, positions, effector=chosen, params=params, width_px=info.width_px, fs_hz=info.fps,
        head_target_deg=target,
    )
    tracked = hand_count if chosen is Effector.HAND else head_count
    return AnalysisReport(
        info.name, info.fps, int(t_s.size), tracked, result, trace,
        input_name=name, hand_frames=hand_count, head_frames=head_count, effector_given=effector is not None,
    )


def _video_models(effector: Effector | None) -> frozenset[TrackingModel]:
    """The models a video needs: the requested effector's only, or, without one, hands and face on every frame,
    so that the choice is made over the whole video (a hand that enters late is not missed)."""
    hands, face = frozenset({TrackingModel.HANDS}), frozenset({TrackingModel.FACE})
    if effector is not None:
        return hands if effector is Effector.HAND else face
    return hands | face


def analyze_file(
    path: str | Path,
    *,
    effector: Effector | None = None,
    params: QualityParams | None = None,
    on_progress: Callable[[int, int | None], None] | None = None,
) -> AnalysisReport:
    """Analyse a video (MediaPipe runs on every frame) or a ``.jsonl`` landmark recording.

    For a video without ``effector``, both the hand and the face models run on every frame and
    :func:`choose_effector` decides over the whole video.

    ``on_progress(done, total_hint)`` is called once when the input is open (``done`` 0), then after each frame;
    ``total_hint`` is the frame count the file declares, or ``None``. Messages name ``path`` as given.
    """
    from tracking.pipeline import open_tracked_file
    from tracking.recording import is_recording_path

    models = None if is_recording_path(path) else _video_models(effector)
    with open_tracked_file(Path(path), models) as tracked:
        total = tracked.frame_count_hint
        done = 0
        if on_progress is not None:
            on_progress(done, total)

        def tick() -> None:
            nonlocal done
            done += 1
            if on_progress is not None:
                on_progress(done, total)

        return analyze_samples(
            tracked.samples(), info=tracked.info, effector=effector, params=params, on_sample=tick, name=str(path)
        )

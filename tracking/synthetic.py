"""Seeded synthetic recordings with known ground truth, for tests, benchmarks and demonstrations.

Hand: a real hand's 21 landmarks (a template measured once with MediaPipe, passed in) moved along minimum-jerk
reaches (Flash & Hogan 1985) of varied length, duration and natural curvature, with MediaPipe-like jitter
(correlated from frame to frame) and injected breaks: arrests, jerks (off the path, or along it as a seeded
option) and reversals.

Head: head angles held at neutral with natural sway, with posture excursions away from it.

Everything is deterministic for a given seed. No mediapipe here: the template is data.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from tracking.hand_signals import PALM_LANDMARKS, palm_centre_norm
from tracking.quality_types import BreakKind
from tracking.recording import RecordingWriter
from tracking.types import Handedness, HandLandmarks, HeadAngles, LandmarkFrame, Signals, SourceInfo, TrackedSample

if TYPE_CHECKING:
    from tracking.types import FloatArray

# Design choices for every range below: they make recordings on which the break detector's thresholds were set and
# checked (docs/movement-quality.md, "Validation"); none is a measurement of patients.
# Whole-hand jitter of a still hand at 640x360, correlated from frame to frame as MediaPipe's is (it tracks from the
# previous frame's landmarks); per-landmark noise on top is smaller.
JITTER_PX = 1.5
# AR(1) coefficient per frame: with it, the filtered jitter speed of a still hand is about 5% of a typical reach's
# peak speed, the level at which jitter alone would trip a plain 5%-of-peak rest rule (the segmentation raises its
# rest threshold above the measured jitter for that reason).
JITTER_CORRELATION = 0.9
LANDMARK_NOISE_PX = 0.4
# Reaches of 15-30 cm seen by a webcam at arm's length (about 9 px/cm at 640x360) in 0.7-1.3 s, so that peak speeds
# are 200-700 px/s and the jitter speed stays near 5% of the slowest peak; curvature as a sideways bow of up to 12%
# of the length (natural paths are slightly curved).
REACH_LENGTH_PX = (140.0, 260.0)
REACH_DURATION_S = (0.7, 1.3)
CURVATURE_FRACTION = 0.12
REST_S = (1.0, 1.5)
EDGE_MARGIN_PX = 70.0
# Injected breaks: arrests of 0.12-0.4 s, sideways or along-path jerks of 7-15% of the reach over 0.08-0.2 s,
# reversals of 15-25% of the reach over 0.35-0.6 s.
ARREST_S = (0.12, 0.4)
JERK_FRACTION = (0.07, 0.15)
JERK_S = (0.08, 0.2)
REVERSAL_FRACTION = (0.15, 0.25)
REVERSAL_S = (0.35, 0.6)
HOLD_RAMP_S = 0.04  # the hand decelerates into an arrest and out of it over this time
FINE_HZ = 1000.0  # reaches are built on a fine grid, then sampled at the frame times
# Head: natural sway of a few degrees at 0.1-0.4 Hz with 0.3 degrees of jitter; posture excursions of 14-22 degrees
# held for 0.6-1.2 s, well beyond the 10 degree posture threshold (QualityParams.posture_enter_deg).
SWAY_DEG = 1.5
SWAY_HZ = (0.1, 0.4)
HEAD_JITTER_DEG = 0.3
EXCURSION_DEG = (14.0, 22.0)
EXCURSION_HOLD_S = (0.6, 1.2)
EXCURSION_RAMP_S = 0.25


@dataclass(frozen=True)
class InjectedBreak:
    """Ground truth of one injected break: when (s from the start of the recording) and what."""

    t_s: float
    kind: BreakKind
    along_path: bool = False  # a jerk along the movement direction (forward or back), not across it


@dataclass(frozen=True)
class ReachTruth:
    """Ground truth of one reach: from rest to rest, its palm-centre end points and its injected break, if any."""

    start_s: float
    end_s: float
    start_px: tuple[float, float]
    end_px: tuple[float, float]
    injected: InjectedBreak | None


@dataclass(frozen=True)
class SyntheticHand:
    """A synthetic hand recording: frames, the noiseless palm path (pixels) and the ground truth."""

    info: SourceInfo
    frames: tuple[LandmarkFrame, ...]
    path_px: FloatArray
    reaches: tuple[ReachTruth, ...]

    @property
    def injected(self) -> list[InjectedBreak]:
        """The breaks injected into the reaches (ground truth), in time order."""
        return [reach.injected for reach in self.reaches if reach.injected is not None]

    def samples(self) -> list[TrackedSample]:
        """Return the frames as tracked samples (signals carry the palm centre as cursor)."""
        out = []
        for frame in self.frames:
            hand = frame.primary_hand()
            cursor = None if hand is None else palm_centre_norm(hand)
            out.append(TrackedSample(frame, Signals(t_s=frame.t_s, cursor_norm=cursor)))
        return out

    def write(self, path: Path) -> Path:
        """Write a landmark recording (format v1) of the frames."""
        with RecordingWriter(path, self.info) as writer:
            for frame in self.frames:
                writer.write(frame)
        return path


@dataclass(frozen=True)
class SyntheticHead:
    """Head angles (degrees, relative to neutral) with posture excursions as ground truth."""

    info: SourceInfo
    t_s: FloatArray
    angles_deg: FloatArray  # (N, 3): yaw, pitch, roll
    excursions: tuple[InjectedBreak, ...]

    def samples(self) -> list[TrackedSample]:
        """Return the angles as tracked samples with head signals only (no landmarks)."""
        return [
            TrackedSample(
                LandmarkFrame(t_s=float(t)),
                Signals(t_s=float(t), head=HeadAngles(float(a[0]), float(a[1]), float(a[2]))),
            )
            for t, a in zip(self.t_s, self.angles_deg, strict=True)
        ]

    def write(self, path: Path) -> Path:
        """Write a landmark recording carrying the head angles as signals (no face landmarks)."""
        with RecordingWriter(path, self.info) as writer:
            for sample in self.samples():
                writer.write(sample.frame, sample.signals)
        return path


def load_hand_template(path: Path) -> tuple[FloatArray, tuple[int, int]]:
    """Read a hand template file such as ``tests/fixtures/hand_landmarks_open.json``.

    The file is ``{"width", "height", "landmarks": [[x, y, z] x 21]}`` in normalised coordinates; return the (21, 3)
    landmarks and the image size in pixels.
    """
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        landmarks = np.asarray(raw["landmarks"], dtype=np.float64)
        size = (int(raw["width"]), int(raw["height"]))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ValueError(f"{path}: not a hand template file ({error})") from None
    if landmarks.shape != (21, 3) or not np.all(np.isfinite(landmarks)):
        raise ValueError(f"{path}: expected 21 landmarks of 3 finite numbers, got shape {landmarks.shape}")
    return landmarks, size


def minimum_jerk(u: FloatArray) -> FloatArray:
    """Normalised minimum-jerk position, 0 to 1 for u from 0 to 1 (Flash & Hogan 1985)."""
    u = np.clip(u, 0.0, 1.0)
    return np.asarray(10 * u**3 - 15 * u**4 + 6 * u**5, dtype=np.float64)


def _hold_rate(t_s: FloatArray, start_s: float, hold_s: float) -> FloatArray:
    """1 - a window that is 1 during the hold with cosine ramps of HOLD_RAMP_S on each side."""
    w = np.zeros_like(t_s)
    inside = (t_s >= start_s) & (t_s <= start_s + hold_s)
    w[inside] = 1.0
    up = (t_s > start_s - HOLD_RAMP_S) & (t_s < start_s)
    w[up] = 0.5 * (1 - np.cos(np.pi * (t_s[up] - start_s + HOLD_RAMP_S) / HOLD_RAMP_S))
    down = (t_s > start_s + hold_s) & (t_s < start_s + hold_s + HOLD_RAMP_S)
    w[down] = 0.5 * (1 + np.cos(np.pi * (t_s[down] - start_s - hold_s) / HOLD_RAMP_S))
    return 1.0 - w


def _bump(t_s: FloatArray, start_s: float, length_s: float) -> FloatArray:
    """sin^2 out-and-back bump from 0 to 1 and back over [start, start + length]."""
    phase = np.clip((t_s - start_s) / length_s, 0.0, 1.0)
    return np.asarray(np.sin(np.pi * phase) ** 2, dtype=np.float64)


def _reach_path(
    rng: np.random.Generator,
    start: FloatArray,
    end: FloatArray,
    duration_s: float,
    kind: BreakKind | None,
    along_jerk_share: float,
) -> tuple[FloatArray, FloatArray, InjectedBreak | None]:
    """Fine-grid (time from reach start, positions) of one reach and its injected break (reach-relative time)."""
    chord = end - start
    length = float(np.linalg.norm(chord))
    along = chord / length
    across = np.array([-along[1], along[0]])
    bow = rng.uniform(-CURVATURE_FRACTION, CURVATURE_FRACTION) * length
    extra_s, hold_at_s, hold_s, truth_s, along_path = 0.0, 0.0, 0.0, 0.0, False
    if kind is BreakKind.ARREST:
        hold_s = rng.uniform(*ARREST_S)
        hold_at_s = rng.uniform(0.3, 0.6) * duration_s
        truth_s = hold_at_s + hold_s / 2
    elif kind is BreakKind.REVERSAL:
        hold_s = rng.uniform(*REVERSAL_S)
        hold_at_s = rng.uniform(0.35, 0.6) * duration_s
        truth_s = hold_at_s
    if hold_s:
        extra_s = hold_s + HOLD_RAMP_S
    t = np.arange(0.0, duration_s + extra_s, 1.0 / FINE_HZ)
    tau = np.cumsum(_hold_rate(t, hold_at_s, hold_s)) / FINE_HZ if hold_s else t
    progress = minimum_jerk(tau / duration_s)
    positions = start + np.outer(progress, chord) + np.outer(bow * np.sin(np.pi * progress), across)
    if kind is BreakKind.REVERSAL:
        back = rng.uniform(*REVERSAL_FRACTION) * length
        positions -= np.outer(back * _bump(t, hold_at_s, hold_s), along)
    elif kind is BreakKind.JERK:
        jerk_s = rng.uniform(*JERK_S)
        jerk_at_s = rng.uniform(0.2, 0.8) * duration_s - jerk_s / 2
        side = rng.choice([-1.0, 1.0])
        size = rng.uniform(*JERK_FRACTION) * length
        # drawn only when asked for, so that recordings without along-path jerks stay those of earlier versions
        along_path = along_jerk_share > 0 and bool(rng.uniform() < along_jerk_share)
        # along the path, side +1 shoots the hand ahead of its schedule and -1 jerks it back, out and back
        positions += np.outer(side * size * _bump(t, jerk_at_s, jerk_s), along if along_path else across)
        truth_s = jerk_at_s + jerk_s / 2
    injected = None if kind is None else InjectedBreak(truth_s, kind, along_path)
    return t, positions, injected


def _pick_target(rng: np.random.Generator, start: FloatArray, size: tuple[int, int]) -> FloatArray:
    low = np.array([EDGE_MARGIN_PX, EDGE_MARGIN_PX])
    high = np.array([size[0] - EDGE_MARGIN_PX, size[1] - EDGE_MARGIN_PX])
    for _ in range(1000):
        length = rng.uniform(*REACH_LENGTH_PX)
        angle = rng.uniform(0, 2 * math.pi)
        target = start + length * np.array([math.cos(angle), math.sin(angle)])
        if np.all(target >= low) and np.all(target <= high):
            return target
    raise ValueError(f"cannot fit a reach of {REACH_LENGTH_PX} px in an image of {size} px")


def _ar1(rng: np.random.Generator, n: int, dims: int, sigma: float, rho: float) -> FloatArray:
    noise = np.empty((n, dims))
    noise[0] = rng.normal(0, sigma, dims)
    innovation = sigma * math.sqrt(1 - rho**2)
    for i in range(1, n):
        noise[i] = rho * noise[i - 1] + rng.normal(0, innovation, dims)
    return noise


def synthetic_hand(
    template_norm: FloatArray,
    *,
    seed: int,
    fps: float,
    breaks: Sequence[BreakKind | None],
    size_px: tuple[int, int] = (640, 360),
    template_size_px: tuple[int, int] = (640, 360),
    jitter_px: float = JITTER_PX,
    along_jerk_share: float = 0.0,
) -> SyntheticHand:
    """Return a recording of ``len(breaks)`` reaches separated by rest; reach ``i`` carries ``breaks[i]`` (or is clean).

    Parameters
    ----------
    template_norm
        (21, 3) landmarks of a real hand in normalised coordinates of an image of ``template_size_px``.
    seed, fps
        Random seed; frame rate (frames at ``i / fps`` s).
    breaks
        One entry per reach: the kind of break to inject (ARREST, JERK or REVERSAL), or ``None`` for clean.
    jitter_px
        Standard deviation of the correlated whole-hand jitter.
    along_jerk_share
        Probability (0 to 1) that an injected jerk is along the path (the hand shoots ahead of its schedule or is
        jerked back, out and back) rather than sideways. With 0 (default) no draw is made for it, so the
        recordings of a seed are those of earlier versions.
    """
    if not 0.0 <= along_jerk_share <= 1.0:
        raise ValueError(f"along_jerk_share must be between 0 and 1, got {along_jerk_share}")
    rng = np.random.default_rng(seed)
    template_px = np.asarray(template_norm, dtype=np.float64)[:, :2] * template_size_px
    template_px = template_px - template_px[list(PALM_LANDMARKS)].mean(axis=0)
    depth = np.asarray(template_norm, dtype=np.float64)[:, 2]
    centre = np.array([size_px[0] / 2, size_px[1] / 2]) + rng.uniform(-60, 60, 2)
    pieces_t, pieces_p, reaches = [np.array([0.0])], [centre[None, :]], []
    now_s = rng.uniform(*REST_S)
    for kind in breaks:
        target = _pick_target(rng, centre, size_px)
        local_t, local_p, injected = _reach_path(rng, centre, target, rng.uniform(*REACH_DURATION_S), kind,
                                               along_jerk_share)
        pieces_t.append(now_s + local_t)
        pieces_p.append(local_p)
        end_s = now_s + float(local_t[-1])
        truth = None if injected is None else InjectedBreak(now_s + injected.t_s, injected.kind, injected.along_path)
        reaches.append(ReachTruth(now_s, end_s, (float(centre[0]), float(centre[1])), (float(target[0]),
                                  float(target[1])), truth))
        centre = target
        now_s = end_s + rng.uniform(*REST_S)
        pieces_t.append(np.array([now_s]))
        pieces_p.append(centre[None, :])
    fine_t, fine_p = np.concatenate(pieces_t), np.concatenate(pieces_p)
    frame_t = np.arange(0.0, now_s, 1.0 / fps)
    path = np.column_stack([np.interp(frame_t, fine_t, fine_p[:, axis]) for axis in range(2)])
    shake = _ar1(rng, frame_t.size, 2, jitter_px, JITTER_CORRELATION)
    frames = []
    for i, t in enumerate(frame_t):
        points = template_px + path[i] + shake[i] + rng.normal(0, LANDMARK_NOISE_PX, template_px.shape)
        landmarks = np.column_stack([points / size_px, depth])
        hand = HandLandmarks(side=Handedness.LEFT, score=0.97, landmarks_norm=landmarks)
        frames.append(LandmarkFrame(t_s=float(t), hands=(hand,)))
    info = SourceInfo(fps=fps, width_px=size_px[0], height_px=size_px[1], name=f"synthetic-hand-seed{seed}")
    return SyntheticHand(info, tuple(frames), path, tuple(reaches))


def synthetic_head(*, seed: int, fps: float, excursions: int, neutral_s: float = 3.0) -> SyntheticHead:
    """Return a head held at neutral with natural sway and ``excursions`` posture excursions.

    Each excursion is 14-22 degrees on a random axis and side, held for 0.6-1.2 s, and followed by at least
    ``neutral_s`` seconds of neutral.

    The ground-truth time of an excursion is when its ramp reaches halfway.
    """
    rng = np.random.default_rng(seed)
    plan = []
    now_s = neutral_s
    for _ in range(excursions):
        hold_s = rng.uniform(*EXCURSION_HOLD_S)
        plan.append((now_s, hold_s, int(rng.integers(3)), rng.choice([-1.0, 1.0]) * rng.uniform(*EXCURSION_DEG)))
        now_s += 2 * EXCURSION_RAMP_S + hold_s + neutral_s + rng.uniform(0, 1.0)
    t = np.arange(0.0, max(now_s, neutral_s * 2), 1.0 / fps)
    angles = np.zeros((t.size, 3))
    for axis in range(3):
        for _ in range(3):
            hz = rng.uniform(*SWAY_HZ)
            angles[:, axis] += SWAY_DEG / 2 * np.sin(2 * np.pi * hz * t + rng.uniform(0, 2 * np.pi))
    angles += _ar1(rng, t.size, 3, HEAD_JITTER_DEG, JITTER_CORRELATION)
    truth = []
    for start_s, hold_s, axis, peak_deg in plan:
        rise = minimum_jerk((t - start_s) / EXCURSION_RAMP_S)
        fall = minimum_jerk((t - start_s - EXCURSION_RAMP_S - hold_s) / EXCURSION_RAMP_S)
        angles[:, axis] += peak_deg * (rise - fall)
        truth.append(InjectedBreak(start_s + EXCURSION_RAMP_S / 2, BreakKind.POSTURE))
    info = SourceInfo(fps=fps, width_px=640, height_px=360, name=f"synthetic-head-seed{seed}")
    return SyntheticHead(info, t, angles, tuple(truth))

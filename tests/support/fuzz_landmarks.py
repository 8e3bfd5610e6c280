"""Hypothesis strategies for hostile landmark input: NaN, infinities, huge and out-of-range values, missing hands
and faces, repeated, backward and huge time steps (the fuzz tests of the landmark path).

A drawn :class:`FuzzedTrack` is a short, printable plan (frame count, rate, image size, a seeded motion and a list
of corruptions); :meth:`FuzzedTrack.samples` builds the :class:`~tracking.types.TrackedSample` sequence from it, the
same every time, so that a failing example that hypothesis prints can be rebuilt exactly. Under the corruptions the
hand makes minimum-jerk reaches between random targets and the head turns between random postures, so that the
analysis finds movements, smoothness and breaks to measure, not only rest.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from hypothesis import strategies as st

from tests.support.synthetic_landmarks import synthetic_face_norm
from tracking.hand_signals import palm_centre_norm
from tracking.types import (
    HAND_LANDMARK_COUNT,
    FloatArray,
    Handedness,
    HandLandmarks,
    HeadAngles,
    LandmarkFrame,
    Signals,
    SourceInfo,
    TrackedSample,
)

# Values that break arithmetic: non-finite, the largest and smallest floats, out of the 0..1 image, signed zero.
SPECIAL_FLOATS = (
    math.nan, math.inf, -math.inf, 1e308, -1e308, 1.7976931348623157e308, 5e-324, -5e-324, 1e-300, 0.0, -0.0,
    -0.5, 1.5, -10.0, 10.0, 1e6, -1e6,
)
special_floats = st.sampled_from(SPECIAL_FLOATS) | st.floats(allow_nan=True, allow_infinity=True)
TIME_EVENTS = ("repeat", "back", "gap", "tiny", "nan", "inf")
VALUE_TARGETS = ("hand", "hand_point", "hand_from", "head", "score")
MISSING_WHAT = ("hand", "face", "both")
FACE_KINDS = ("turned", "point", "flat")
# Reaches between random targets, and motions that are degenerate for a speed profile: none at all, one constant
# velocity, jumps back and forth every few frames, a single jump.
MOTION_KINDS = ("reaches", "still", "linear", "square", "step")
# A palm-sized hand around its centre (normalised units): the shape does not matter to the analysis, only the
# palm centre (landmarks 0, 5, 9, 13, 17) does.
_HAND_SHAPE_NORM = np.random.default_rng(7).uniform(-0.05, 0.05, size=(HAND_LANDMARK_COUNT, 3))
_REACH_S = 0.8
_REST_S = 0.7


@dataclass(frozen=True)
class FuzzedTrack:
    """A plan of hostile samples: printable, rebuilt exactly by :meth:`samples`.

    ``time_events``: (frame, kind, size in seconds) with kind in :data:`TIME_EVENTS`; ``value_events``: (frame,
    what, value) with what in :data:`VALUE_TARGETS` (every hand point of the frame, one point, every hand point from
    the frame on, one head angle, the hand's score); ``missing``: (first frame, frames, what) with what in
    :data:`MISSING_WHAT`; ``faces`` (frame, kind, value): face meshes in :meth:`recording_text` only (kind in
    :data:`FACE_KINDS`: a face turned by the frame's head angles, one with a point set to ``value``, or every point at
    ``value``, a mesh without any orientation); ``motion_kind`` one of :data:`MOTION_KINDS`.
    """

    frames: int
    fps: float
    width_px: int
    height_px: int
    start_s: float
    seed: int
    jitter_norm: float
    time_events: tuple[tuple[int, str, float], ...] = ()
    value_events: tuple[tuple[int, str, float], ...] = ()
    missing: tuple[tuple[int, int, str], ...] = ()
    two_hands: bool = False
    faces: tuple[tuple[int, str, float], ...] = ()
    motion_kind: str = "reaches"

    @property
    def info(self) -> SourceInfo:
        """The source's description: rate, image size, name."""
        return SourceInfo(fps=self.fps, width_px=self.width_px, height_px=self.height_px, name="fuzz.jsonl")

    def times_s(self) -> FloatArray:
        """Each frame's time stamp: steps of 1 / fps, changed at the time events."""
        steps = np.full(self.frames, 1.0 / self.fps)
        if self.frames:
            steps[0] = self.start_s
        for frame, kind, size in self.time_events:
            if frame >= self.frames:
                continue
            steps[frame] = {
                "repeat": 0.0, "back": -abs(size), "gap": abs(size), "tiny": 1e-9, "nan": math.nan, "inf": math.inf,
            }[kind]
        with np.errstate(invalid="ignore", over="ignore"):
            return np.asarray(np.cumsum(steps), dtype=np.float64)

    def motion(self) -> tuple[FloatArray, FloatArray]:
        """The clean palm centre (frames, 2), normalised, and head angles (frames, 3), degrees, by frame number."""
        rng = np.random.default_rng(self.seed)
        t_s = np.arange(self.frames) / self.fps
        cycle_s = _REACH_S + _REST_S
        count = int(t_s[-1] // cycle_s) + 2 if self.frames else 1
        targets = rng.uniform(0.2, 0.8, size=(count + 1, 2))
        postures = rng.uniform(-25.0, 25.0, size=(count + 1, 3))
        which = (t_s // cycle_s).astype(int)
        u = np.clip((t_s - which * cycle_s) / _REACH_S, 0.0, 1.0)
        shape = (10 * u**3 - 15 * u**4 + 6 * u**5)[:, None]  # minimum jerk
        palm = targets[which] + (targets[which + 1] - targets[which]) * shape
        head = postures[which] + (postures[which + 1] - postures[which]) * shape
        frame = np.arange(self.frames)[:, None]
        if self.motion_kind == "still":
            palm, head = np.full_like(palm, 0.5), np.zeros_like(head)
        elif self.motion_kind == "linear":
            palm, head = 0.2 + frame * np.array([0.003, 0.001]), frame * np.array([0.1, 0.05, 0.0])
        elif self.motion_kind == "square":
            palm, head = 0.3 + 0.3 * (frame // 5 % 2) + 0 * palm, 20.0 * (frame // 5 % 2) + 0 * head
        elif self.motion_kind == "step":
            after = frame >= self.frames // 2
            palm, head = 0.3 + 0.3 * after + 0 * palm, 20.0 * after + 0 * head
        palm = palm + rng.normal(0.0, self.jitter_norm, size=palm.shape)
        head = head + rng.normal(0.0, self.jitter_norm * 100, size=head.shape)
        return palm, head

    def _missing(self, what: str) -> np.ndarray[Any, np.dtype[np.bool_]]:
        gone = np.zeros(self.frames, dtype=bool)
        for first, length, kind in self.missing:
            if kind in (what, "both"):
                gone[first : first + length] = True
        return gone

    def landmark_rows(self) -> list[tuple[float, FloatArray | None, float, HeadAngles | None]]:
        """Each frame's time, hand landmarks (21, 3) or ``None``, hand score, head angles or ``None``."""
        times = self.times_s()
        palm, head = self.motion()
        hands = palm[:, None, :] + _HAND_SHAPE_NORM[None, :, :2]
        points = np.concatenate((hands, np.broadcast_to(_HAND_SHAPE_NORM[:, 2], hands.shape[:2])[..., None]), axis=2)
        scores = np.full(self.frames, 0.9)
        for frame, what, value in self.value_events:
            if frame >= self.frames:
                continue
            if what == "hand":
                points[frame] = value
            elif what == "hand_from":
                points[frame:] = value
            elif what == "hand_point":
                points[frame, frame % HAND_LANDMARK_COUNT, frame % 2] = value
            elif what == "head":
                head[frame, frame % 3] = value
            else:
                scores[frame] = value
        no_hand, no_face = self._missing("hand"), self._missing("face")
        return [
            (
                float(times[i]),
                None if no_hand[i] else points[i],
                float(scores[i]),
                None if no_face[i] else HeadAngles(*(float(v) for v in head[i])),
            )
            for i in range(self.frames)
        ]

    def samples(self) -> list[TrackedSample]:
        """The tracked samples: the hand's landmarks, its palm centre as the cursor, the head angles as signals."""
        samples = []
        for t_s, points, score, head in self.landmark_rows():
            hands: tuple[HandLandmarks, ...] = ()
            if points is not None:
                hands = (HandLandmarks(Handedness.RIGHT, score, points.copy()),)
                if self.two_hands:
                    hands += (HandLandmarks(Handedness.LEFT, 0.5, 1.0 - points),)
            frame = LandmarkFrame(t_s=t_s, hands=hands)
            cursor = None if not hands else palm_centre_norm(frame.primary_hand() or hands[0])
            samples.append(TrackedSample(frame, Signals(t_s=t_s, cursor_norm=cursor, head=head)))
        return samples

    def first_refused_line(self) -> int | None:
        """The first line of :meth:`recording_text` that the documented format refuses (1-based), or ``None``."""
        previous: float | None = None
        faces = self.face_meshes()
        for line, (t_s, points, score, head) in enumerate(self.landmark_rows(), start=2):
            if not 0.0 <= t_s <= 1e7 or (previous is not None and t_s < previous):
                return line
            previous = t_s
            if points is not None and (not 0.0 <= score <= 1.0 or not np.all(np.abs(points) <= 10.0)):
                return line
            if points is not None and self.two_hands and not np.all(np.abs(1.0 - points) <= 10.0):
                return line
            if head is not None and not all(abs(v) <= 180.0 for v in (head.yaw_deg, head.pitch_deg, head.roll_deg)):
                return line
            face = faces.get(line - 2)
            if face is not None and not np.all(np.abs(face) <= 10.0):
                return line
        return None

    def face_meshes(self) -> dict[int, FloatArray]:
        """The face meshes of :meth:`recording_text` by frame (468 points): see ``faces``."""
        rows = self.landmark_rows()
        meshes = {}
        for frame, kind, value in self.faces:
            if frame >= self.frames:
                continue
            head = rows[frame][3] or HeadAngles(0.0, 0.0, 0.0)
            turned = head if all(abs(v) <= 90.0 for v in (head.yaw_deg, head.pitch_deg, head.roll_deg)) else None
            mesh = synthetic_face_norm(turned or HeadAngles(0.0, 0.0, 0.0), count=468, seed=frame)
            if kind == "point":
                mesh[frame % mesh.shape[0], frame % 3] = value
            elif kind == "flat":
                mesh[:] = value
            meshes[frame] = mesh
        return meshes

    def recording_text(self) -> str:
        """The plan as a version-1 ``.jsonl`` recording (NaN and infinities written as Python's json writes them)."""
        header = {"format": "motorplay-landmarks", "version": 1, "fps": self.fps, "width": self.width_px,
                  "height": self.height_px, "source": "fuzz"}
        lines = [json.dumps(header)]
        faces = self.face_meshes()
        for frame, (t_s, points, score, head) in enumerate(self.landmark_rows()):
            hands = []
            if points is not None:
                hands.append({"side": "Right", "score": score, "landmarks": points.tolist()})
                if self.two_hands:
                    hands.append({"side": "Left", "score": 0.5, "landmarks": (1.0 - points).tolist()})
            signals = {
                "cursor": None, "grasp": None, "grasp_state": None,
                "head": None if head is None else {"yaw": head.yaw_deg, "pitch": head.pitch_deg, "roll": head.roll_deg},
            }
            face = faces[frame].tolist() if frame in faces else None
            lines.append(json.dumps({"t": t_s, "hands": hands, "pose": None, "face": face, "signals": signals}))
        return "\n".join(lines) + "\n"


@st.composite
def fuzzed_tracks(draw: st.DrawFn, *, max_frames: int = 240, max_events: int = 8) -> FuzzedTrack:
    """Draw a :class:`FuzzedTrack`: up to ``max_frames`` frames and ``max_events`` corruptions of each sort."""
    frames = draw(st.integers(0, 12) | st.integers(max_frames // 4, max_frames))
    last = max(frames - 1, 0)
    frame = st.integers(0, last)
    # times that are not numbers or go backwards are refused outright: in one track in four, so that the others
    # reach the analysis
    kinds = TIME_EVENTS if draw(st.integers(0, 3)) == 0 else ("repeat", "gap", "tiny")
    time_event = st.tuples(frame, st.sampled_from(kinds),
                           st.sampled_from((1e-6, 0.04, 1.0, 3.0, 1e3, 1e6, 1e7, 1e9)) | st.floats(0.0, 1e9))
    value_event = st.tuples(frame, st.sampled_from(VALUE_TARGETS), special_floats)
    missing = st.tuples(frame, st.integers(1, 30) | st.integers(1, max(frames, 1)), st.sampled_from(MISSING_WHAT))
    return FuzzedTrack(
        frames=frames,
        fps=draw(st.sampled_from((25.0, 30.0, 60.0, 1.0, 1000.0)) | st.floats(1.0, 1000.0)),
        width_px=draw(st.sampled_from((640, 1, 65_536)) | st.integers(1, 65_536)),
        height_px=draw(st.sampled_from((360, 1, 65_536)) | st.integers(1, 65_536)),
        start_s=draw(st.sampled_from((0.0, 1e7)) | st.floats(0.0, 1e7)),
        seed=draw(st.integers(0, 2**16)),
        jitter_norm=draw(st.sampled_from((0.0, 0.001, 0.01, 0.2))),
        time_events=tuple(draw(st.lists(time_event, max_size=max_events))),
        value_events=tuple(draw(st.lists(value_event, max_size=max_events))),
        missing=tuple(draw(st.lists(missing, max_size=max_events))),
        two_hands=draw(st.booleans()),
        motion_kind=draw(st.sampled_from(MOTION_KINDS)),
        faces=tuple(draw(st.lists(st.tuples(frame, st.sampled_from(FACE_KINDS), special_floats), max_size=max_events))),
    )


def non_finite_paths(value: Any, path: str = "") -> list[str]:
    """Return where in a nested structure (dataclasses, mappings, sequences, numpy values) a float is NaN or
    infinite: an empty list when every float is finite (``None`` is fine)."""
    if isinstance(value, bool) or value is None or isinstance(value, str | int):
        return []
    if isinstance(value, float | np.floating):
        return [] if math.isfinite(float(value)) else [f"{path}={value!r}"]
    if isinstance(value, np.ndarray):
        return [] if np.all(np.isfinite(value)) else [f"{path}: array with non-finite values"]
    if isinstance(value, dict):
        return [bad for key, item in value.items() for bad in non_finite_paths(item, f"{path}.{key}")]
    if isinstance(value, list | tuple):
        return [bad for index, item in enumerate(value) for bad in non_finite_paths(item, f"{path}[{index}]")]
    if hasattr(value, "__dataclass_fields__"):
        return [bad for name in value.__dataclass_fields__
                for bad in non_finite_paths(getattr(value, name), f"{path}.{name}")]
    if hasattr(value, "model_dump"):  # a pydantic record
        return non_finite_paths(value.model_dump(), path)
    return []

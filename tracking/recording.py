"""Landmark recording format, version 1: JSON Lines, UTF-8 (documented in the README).

The first line is a header::

    {"format": "motorplay-landmarks", "version": 1, "fps": float, "width": int, "height": int, "source": str}

Each further line is one frame::

    {"t": s, "hands": [{"side": "Left"|"Right", "score": float, "landmarks": [[x, y, z] x 21],
                        "world_landmarks": [[x, y, z] x 21] (optional, metres)}],
     "pose": null | [[x, y, z, visibility] x 33], "face": null | [[x, y, z] x 468 or 478],
     "signals": {...} (optional, written by ``motorplay track``)}

A reader rejects anything else with a :class:`RecordingFormatError` naming the line and the field.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np

from tracking.errors import RecordingFormatError
from tracking.frames import (
    FACE_LANDMARK_COUNTS,
    HAND_LANDMARK_COUNT,
    POSE_LANDMARK_COUNT,
    FloatArray,
    GraspState,
    Handedness,
    HandLandmarks,
    HeadAngles,
    LandmarkFrame,
    Signals,
    SourceInfo,
)

FORMAT_NAME = "motorplay-landmarks"
FORMAT_VERSION = 1
RECORDING_SUFFIX = ".jsonl"

_HEADER_FIELDS = {"format", "version", "fps", "width", "height", "source"}
_FRAME_FIELDS = {"t", "hands", "pose", "face", "signals"}
_REQUIRED_FRAME_FIELDS = {"t", "hands", "pose", "face"}
_HAND_FIELDS = {"side", "score", "landmarks", "world_landmarks"}
_SIGNAL_FIELDS = {"cursor", "grasp", "grasp_state", "head"}
_HEAD_FIELDS = {"yaw", "pitch", "roll"}


@dataclass(frozen=True)
class RecordedFrame:
    """One frame line: the landmarks and, when ``motorplay track`` wrote them, the signals."""

    frame: LandmarkFrame
    signals: Signals | None


def is_recording_path(path: str | Path) -> bool:
    """True when the file name says it is a landmark recording (``.jsonl``)."""
    return str(path).lower().endswith(RECORDING_SUFFIX)


class _LineChecker:
    """Checks one parsed JSON line and raises errors that name the file, line and field."""

    def __init__(self, path: str, line_number: int) -> None:
        self.path = path
        self.line_number = line_number

    def fail(self, field: str, problem: str) -> RecordingFormatError:
        return RecordingFormatError(self.path, self.line_number, field, problem)

    def object_fields(self, value: Any, field: str, allowed: set[str], required: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(field, f"expected a JSON object, got {type(value).__name__}")
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise self.fail(f"{field}.{unknown[0]}" if field else unknown[0], "unknown field")
        missing = sorted(required - set(value))
        if missing:
            raise self.fail(f"{field}.{missing[0]}" if field else missing[0], "missing")
        return value

    def number(self, value: Any, field: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise self.fail(field, f"expected a finite number, got {value!r}")
        return float(value)

    def points(self, value: Any, field: str, counts: tuple[int, ...], width: int) -> FloatArray:
        if not isinstance(value, list) or len(value) not in counts:
            got = f"{len(value)} items" if isinstance(value, list) else type(value).__name__
            expected = " or ".join(str(count) for count in counts)
            raise self.fail(field, f"expected a list of {expected} points, got {got}")
        try:
            array = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError) as error:
            raise self.fail(field, f"expected [{width} numbers] per point ({error})") from None
        if array.shape != (len(value), width):
            raise self.fail(field, f"expected {width} numbers per point, got array of shape {array.shape}")
        if not np.all(np.isfinite(array)):
            raise self.fail(field, "contains a value that is not a finite number")
        return array


def _parse_header(checker: _LineChecker, raw: Any) -> SourceInfo:
    header = checker.object_fields(raw, "", _HEADER_FIELDS, _HEADER_FIELDS)
    if header["format"] != FORMAT_NAME:
        raise checker.fail("format", f"expected {FORMAT_NAME!r}, got {header['format']!r}")
    if header["version"] != FORMAT_VERSION or isinstance(header["version"], bool):
        raise checker.fail("version", f"expected {FORMAT_VERSION}, got {header['version']!r}")
    fps = checker.number(header["fps"], "fps")
    if fps <= 0:
        raise checker.fail("fps", f"expected a positive frame rate, got {fps}")
    sizes = []
    for field in ("width", "height"):
        value = header[field]
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise checker.fail(field, f"expected a positive whole number of pixels, got {value!r}")
        sizes.append(value)
    if not isinstance(header["source"], str):
        raise checker.fail("source", f"expected a string, got {header['source']!r}")
    return SourceInfo(fps=fps, width_px=sizes[0], height_px=sizes[1], name=header["source"])


def _parse_hand(checker: _LineChecker, raw: Any, field: str) -> HandLandmarks:
    hand = checker.object_fields(raw, field, _HAND_FIELDS, {"side", "score", "landmarks"})
    try:
        side = Handedness(hand["side"])
    except ValueError:
        raise checker.fail(f"{field}.side", f"expected 'Left' or 'Right', got {hand['side']!r}") from None
    score = checker.number(hand["score"], f"{field}.score")
    if not 0.0 <= score <= 1.0:
        raise checker.fail(f"{field}.score", f"expected a number from 0 to 1, got {score}")
    landmarks = checker.points(hand["landmarks"], f"{field}.landmarks", (HAND_LANDMARK_COUNT,), 3)
    world = None
    if hand.get("world_landmarks") is not None:
        world = checker.points(hand["world_landmarks"], f"{field}.world_landmarks", (HAND_LANDMARK_COUNT,), 3)
    return HandLandmarks(side=side, score=score, landmarks_norm=landmarks, world_landmarks_m=world)


def _parse_signals(checker: _LineChecker, raw: Any, t_s: float) -> Signals:
    signals = checker.object_fields(raw, "signals", _SIGNAL_FIELDS, _SIGNAL_FIELDS)
    cursor = None
    if signals["cursor"] is not None:
        value = signals["cursor"]
        if not isinstance(value, list) or len(value) != 2:
            raise checker.fail("signals.cursor", f"expected null or [x, y], got {value!r}")
        cursor = (checker.number(value[0], "signals.cursor"), checker.number(value[1], "signals.cursor"))
    grasp = None if signals["grasp"] is None else checker.number(signals["grasp"], "signals.grasp")
    state = None
    if signals["grasp_state"] is not None:
        try:
            state = GraspState(signals["grasp_state"])
        except ValueError:
            raise checker.fail(
                "signals.grasp_state", f"expected 'open', 'closed' or null, got {signals['grasp_state']!r}"
            ) from None
    head = None
    if signals["head"] is not None:
        angles = checker.object_fields(signals["head"], "signals.head", _HEAD_FIELDS, _HEAD_FIELDS)
        head = HeadAngles(
            yaw_deg=checker.number(angles["yaw"], "signals.head.yaw"),
            pitch_deg=checker.number(angles["pitch"], "signals.head.pitch"),
            roll_deg=checker.number(angles["roll"], "signals.head.roll"),
        )
    return Signals(t_s=t_s, cursor_norm=cursor, grasp=grasp, grasp_state=state, head=head)


def _parse_frame(checker: _LineChecker, raw: Any, previous_t_s: float | None) -> RecordedFrame:
    line = checker.object_fields(raw, "", _FRAME_FIELDS, _REQUIRED_FRAME_FIELDS)
    t_s = checker.number(line["t"], "t")
    if t_s < 0 or (previous_t_s is not None and t_s < previous_t_s):
        raise checker.fail("t", f"expected seconds from the start, not decreasing; got {t_s}")
    if not isinstance(line["hands"], list):
        raise checker.fail("hands", f"expected a list of hands, got {type(line['hands']).__name__}")
    hands = tuple(_parse_hand(checker, hand, f"hands[{index}]") for index, hand in enumerate(line["hands"]))
    pose = None if line["pose"] is None else checker.points(line["pose"], "pose", (POSE_LANDMARK_COUNT,), 4)
    face = None if line["face"] is None else checker.points(line["face"], "face", FACE_LANDMARK_COUNTS, 3)
    signals = None if line.get("signals") is None else _parse_signals(checker, line["signals"], t_s)
    return RecordedFrame(LandmarkFrame(t_s=t_s, hands=hands, pose=pose, face=face), signals)


class RecordingReader:
    """Reads a version-1 landmark recording, checking every line.

    The header is read on opening (``info``); frames are read lazily by iterating ``frames()``.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            with self.path.open(encoding="utf-8") as stream:
                first = stream.readline()
        except OSError as error:
            raise RecordingFormatError(str(self.path), 1, "header", f"cannot read the file: {error}") from None
        except UnicodeDecodeError:
            raise RecordingFormatError(str(self.path), 1, "header", "the file is not UTF-8 text") from None
        self.info = _parse_header(_LineChecker(str(self.path), 1), self._loads(first, 1))

    def _loads(self, text: str, line_number: int) -> Any:
        if not text.strip():
            what = "header" if line_number == 1 else "frame"
            raise RecordingFormatError(str(self.path), line_number, what, "empty line, expected a JSON object")
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise RecordingFormatError(str(self.path), line_number, "(line)", f"not valid JSON: {error}") from None

    def frames(self) -> Iterator[RecordedFrame]:
        """Every frame line in order; raises :class:`RecordingFormatError` at the first bad line."""
        previous_t_s: float | None = None
        try:
            with self.path.open(encoding="utf-8") as stream:
                stream.readline()
                for line_number, text in enumerate(stream, start=2):
                    if not text.strip() and not stream.read(1):
                        return  # a single trailing newline at the end of the file is fine
                    recorded = _parse_frame(
                        _LineChecker(str(self.path), line_number), self._loads(text, line_number), previous_t_s
                    )
                    previous_t_s = recorded.frame.t_s
                    yield recorded
        except UnicodeDecodeError:
            raise RecordingFormatError(str(self.path), 0, "(file)", "the file is not UTF-8 text") from None


def _points_json(points: FloatArray, digits: int) -> list[list[float]]:
    return [[round(float(value), digits) for value in point] for point in points]


def frame_to_json(frame: LandmarkFrame, signals: Signals | None = None, *, digits: int = 6) -> dict[str, Any]:
    """The JSON object of one frame line (``digits`` decimals keep files small; 1e-6 of a frame is sub-pixel)."""
    line: dict[str, Any] = {
        "t": round(frame.t_s, 6),
        "hands": [
            {
                "side": hand.side.value,
                "score": round(hand.score, 4),
                "landmarks": _points_json(hand.landmarks_norm, digits),
                **(
                    {"world_landmarks": _points_json(hand.world_landmarks_m, digits)}
                    if hand.world_landmarks_m is not None
                    else {}
                ),
            }
            for hand in frame.hands
        ],
        "pose": None if frame.pose is None else _points_json(frame.pose, digits),
        "face": None if frame.face is None else _points_json(frame.face, digits),
    }
    if signals is not None:
        line["signals"] = signals_to_json(signals)
    return line


def signals_to_json(signals: Signals) -> dict[str, Any]:
    """The ``signals`` object of a frame line, as ``motorplay track`` writes it."""
    head = signals.head
    return {
        "cursor": None if signals.cursor_norm is None else [round(v, 6) for v in signals.cursor_norm],
        "grasp": None if signals.grasp is None else round(signals.grasp, 4),
        "grasp_state": None if signals.grasp_state is None else signals.grasp_state.value,
        "head": None
        if head is None
        else {
            "yaw": round(head.yaw_deg, 3),
            "pitch": round(head.pitch_deg, 3),
            "roll": round(head.roll_deg, 3),
        },
    }


class RecordingWriter:
    """Writes a version-1 recording. Use as a context manager; each frame is one line, flushed as written
    so that a crash loses at most the frame being written."""

    def __init__(self, path: str | Path, info: SourceInfo) -> None:
        self.path = Path(path)
        self._stream: IO[str] = self.path.open("w", encoding="utf-8", newline="\n", buffering=1)
        header = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "fps": float(info.fps),
            "width": int(info.width_px),
            "height": int(info.height_px),
            "source": info.name,
        }
        self._write(header)

    def _write(self, obj: dict[str, Any]) -> None:
        self._stream.write(json.dumps(obj, separators=(",", ":")) + "\n")

    def write(self, frame: LandmarkFrame, signals: Signals | None = None) -> None:
        self._write(frame_to_json(frame, signals))

    def close(self) -> None:
        self._stream.close()

    def __enter__(self) -> RecordingWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

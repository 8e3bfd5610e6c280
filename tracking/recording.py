"""Landmark recording format, version 1: JSON Lines, UTF-8 (documented in the README).

The first line is a header::

    {"format": "motorplay-landmarks", "version": 1, "fps": float, "width": int, "height": int, "source": str}

Each further line is one frame::

    {"t": s, "hands": [{"side": "Left"|"Right", "score": float, "landmarks": [[x, y, z] x 21],
                        "world_landmarks": [[x, y, z] x 21] (optional, metres)}],
     "pose": null | [[x, y, z, visibility] x 33], "face": null | [[x, y, z] x 468 or 478],
     "signals": {...} (optional, written by ``motorplay track``; its "hand_on_face": true, false or null is
                  optional too, older files lack it)}

A reader rejects anything else with a :class:`RecordingFormatError` naming the line and the field.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from tracking.atomic_files import AtomicFile, CommitsOnCleanExit, describe_os_error
from tracking.errors import RecordingFormatError
from tracking.input_files import InputFileError, decode_utf8, open_regular_file
from tracking.json_input import loads_checked
from tracking.limits import (
    MAX_ABS_ANGLE_DEG,
    MAX_ABS_COORD_NORM,
    MAX_ABS_WORLD_M,
    MAX_FPS,
    MAX_IMAGE_SIDE_PX,
    MAX_LINE_BYTES,
    MAX_TIME_S,
    MIN_FPS,
)
from tracking.types import (
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
_SIGNAL_FIELDS = {"cursor", "grasp", "grasp_state", "head", "hand_on_face"}
_REQUIRED_SIGNAL_FIELDS = {"cursor", "grasp", "grasp_state", "head"}  # hand_on_face: optional in older files
_HEAD_FIELDS = {"yaw", "pitch", "roll"}
_EXPECTED = "a .jsonl landmark recording"


@dataclass(frozen=True)
class RecordedFrame:
    """One frame line: the landmarks and, when ``motorplay track`` wrote them, the signals."""

    frame: LandmarkFrame
    signals: Signals | None


def is_recording_path(path: str | Path) -> bool:
    """Return ``True`` when the file name says it is a landmark recording (``.jsonl``)."""
    return str(path).lower().endswith(RECORDING_SUFFIX)


class RecordingFileError(RecordingFormatError):
    """The recording as a whole cannot be read: missing, a folder, a device or pipe, empty, unreadable.

    The message is ``"<path as given>: <what it is>"``; ``line_number`` is 1 and ``field`` is ``"(file)"``.
    """

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(path, 1, "(file)", problem)
        self.args = (f"{path}: {problem}",)


def _show(value: Any) -> str:
    """Return a value for a message, cut short: a wrong value can be a whole line long."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# The exact types json gives numbers; a bool is an int subclass and must not pass as one.
_JSON_NUMBER_TYPES = frozenset({int, float})


def _is_number(value: Any) -> bool:
    """JSON numbers only: ``true`` and ``"0.5"`` are not numbers, even though numpy would convert them."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


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

    def number(self, value: Any, field: str, *, low: float, high: float) -> float:
        """Return a JSON number from ``low`` to ``high`` (never a bool or a string; huge integers out of range)."""
        number = float(value) if _is_number(value) else math.nan  # loads_checked keeps integers below 1e300
        if not low <= number <= high:
            raise self.fail(field, f"expected a number from {low:g} to {high:g}, got {_show(value)}")
        return number

    def points(self, value: Any, field: str, counts: tuple[int, ...], width: int, *, limit: float) -> FloatArray:
        """Return a list of ``counts`` points of ``width`` JSON numbers, each within ``-limit..limit``."""
        if not isinstance(value, list) or len(value) not in counts:
            got = f"{len(value)} items" if isinstance(value, list) else type(value).__name__
            expected = " or ".join(str(count) for count in counts)
            raise self.fail(field, f"expected a list of {expected} points, got {got}")
        try:  # the fast path: numpy converts, one C-level pass over the types refuses "0.5" and true
            array = np.asarray(value, dtype=np.float64)
            plain = array.shape == (len(value), width) and _JSON_NUMBER_TYPES.issuperset(
                map(type, itertools.chain.from_iterable(value))
            )
        except (TypeError, ValueError):
            plain = False
        if not plain:
            self._explain_points(value, field, width)
            array = np.asarray(value, dtype=np.float64)  # only out-of-range integers (HugeNumber) get here
        outside = ~(np.abs(array) <= limit)  # also NaN and infinity
        if outside.any():
            index, axis = (int(i) for i in np.argwhere(outside)[0])
            raise self.fail(
                field,
                f"point {index}, value {axis}: expected a number from {-limit:g} to {limit:g}, "
                f"got {_show(value[index][axis])}",
            )
        return array

    def _explain_points(self, value: list[Any], field: str, width: int) -> None:
        """Raise for the first point that is not a list of ``width`` JSON numbers."""
        for index, point in enumerate(value):
            if not isinstance(point, list) or len(point) != width:
                raise self.fail(field, f"point {index}: expected [{width} numbers], got {_show(point)}")
            for axis, item in enumerate(point):
                if not _is_number(item):
                    raise self.fail(field, f"point {index}, value {axis}: expected a number, got {_show(item)}")


def _parse_header(checker: _LineChecker, raw: Any) -> SourceInfo:
    header = checker.object_fields(raw, "", _HEADER_FIELDS, _HEADER_FIELDS)
    if header["format"] != FORMAT_NAME:
        raise checker.fail("format", f"expected {FORMAT_NAME!r}, got {_show(header['format'])}")
    if type(header["version"]) is not int or header["version"] != FORMAT_VERSION:  # not 1.0, not true
        raise checker.fail("version", f"expected the whole number {FORMAT_VERSION}, got {_show(header['version'])}")
    fps = checker.number(header["fps"], "fps", low=MIN_FPS, high=MAX_FPS)
    sizes = []
    for field in ("width", "height"):
        value = header[field]
        if type(value) is not int or not 1 <= value <= MAX_IMAGE_SIDE_PX:
            raise checker.fail(
                field, f"expected a whole number of pixels from 1 to {MAX_IMAGE_SIDE_PX}, got {_show(value)}"
            )
        sizes.append(value)
    if not isinstance(header["source"], str):
        raise checker.fail("source", f"expected a string, got {_show(header['source'])}")
    return SourceInfo(fps=fps, width_px=sizes[0], height_px=sizes[1], name=header["source"])


def _parse_hand(checker: _LineChecker, raw: Any, field: str) -> HandLandmarks:
    hand = checker.object_fields(raw, field, _HAND_FIELDS, {"side", "score", "landmarks"})
    try:
        side = Handedness(hand["side"])
    except (ValueError, TypeError):
        raise checker.fail(f"{field}.side", f"expected 'Left' or 'Right', got {_show(hand['side'])}") from None
    score = checker.number(hand["score"], f"{field}.score", low=0.0, high=1.0)
    landmarks = checker.points(
        hand["landmarks"], f"{field}.landmarks", (HAND_LANDMARK_COUNT,), 3, limit=MAX_ABS_COORD_NORM
    )
    world = None
    if hand.get("world_landmarks") is not None:
        world = checker.points(
            hand["world_landmarks"], f"{field}.world_landmarks", (HAND_LANDMARK_COUNT,), 3, limit=MAX_ABS_WORLD_M
        )
    return HandLandmarks(side=side, score=score, landmarks_norm=landmarks, world_landmarks_m=world)


def _parse_signals(checker: _LineChecker, raw: Any, t_s: float) -> Signals:
    signals = checker.object_fields(raw, "signals", _SIGNAL_FIELDS, _REQUIRED_SIGNAL_FIELDS)
    cursor = None
    if signals["cursor"] is not None:
        value = signals["cursor"]
        if not isinstance(value, list) or len(value) != 2:
            raise checker.fail("signals.cursor", f"expected null or [x, y], got {_show(value)}")
        x_norm, y_norm = (
            checker.number(v, "signals.cursor", low=-MAX_ABS_COORD_NORM, high=MAX_ABS_COORD_NORM) for v in value
        )
        cursor = (x_norm, y_norm)
    grasp = None if signals["grasp"] is None else checker.number(signals["grasp"], "signals.grasp", low=0, high=1)
    state = None
    if signals["grasp_state"] is not None:
        try:
            state = GraspState(signals["grasp_state"])
        except (ValueError, TypeError):
            raise checker.fail(
                "signals.grasp_state", f"expected 'open', 'closed' or null, got {_show(signals['grasp_state'])}"
            ) from None
    head = None
    if signals["head"] is not None:
        angles = checker.object_fields(signals["head"], "signals.head", _HEAD_FIELDS, _HEAD_FIELDS)
        yaw, pitch, roll = (
            checker.number(angles[name], f"signals.head.{name}", low=-MAX_ABS_ANGLE_DEG, high=MAX_ABS_ANGLE_DEG)
            for name in ("yaw", "pitch", "roll")
        )
        head = HeadAngles(yaw_deg=yaw, pitch_deg=pitch, roll_deg=roll)
    on_face = signals.get("hand_on_face")
    if on_face is not None and not isinstance(on_face, bool):
        raise checker.fail("signals.hand_on_face", f"expected true, false or null, got {_show(on_face)}")
    return Signals(t_s=t_s, cursor_norm=cursor, grasp=grasp, grasp_state=state, head=head, hand_on_face=on_face)


def _parse_frame(checker: _LineChecker, raw: Any, previous_t_s: float | None) -> RecordedFrame:
    line = checker.object_fields(raw, "", _FRAME_FIELDS, _REQUIRED_FRAME_FIELDS)
    t_s = checker.number(line["t"], "t", low=0.0, high=MAX_TIME_S)
    if previous_t_s is not None and t_s < previous_t_s:
        raise checker.fail("t", f"expected seconds from the start, not decreasing; got {t_s} after {previous_t_s}")
    if not isinstance(line["hands"], list):
        raise checker.fail("hands", f"expected a list of hands, got {type(line['hands']).__name__}")
    hands = tuple(_parse_hand(checker, hand, f"hands[{index}]") for index, hand in enumerate(line["hands"]))
    pose = None
    if line["pose"] is not None:
        pose = checker.points(line["pose"], "pose", (POSE_LANDMARK_COUNT,), 4, limit=MAX_ABS_COORD_NORM)
    face = None
    if line["face"] is not None:
        face = checker.points(line["face"], "face", FACE_LANDMARK_COUNTS, 3, limit=MAX_ABS_COORD_NORM)
    signals = None if line.get("signals") is None else _parse_signals(checker, line["signals"], t_s)
    return RecordedFrame(LandmarkFrame(t_s=t_s, hands=hands, pose=pose, face=face), signals)


class RecordingReader:
    """Reads a version-1 landmark recording, checking every line.

    The header is read on opening (``info``); frames are read lazily by iterating ``frames()``. Every error names
    the path exactly as it was given (``name``), never the header's ``source``.

    Raises
    ------
    RecordingFileError
        The path is missing, a folder, a device or named pipe (refused without blocking), or empty.
    RecordingFormatError
        A line breaks the format (line and field named), is not UTF-8 (its real line), or is absurdly long.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.name = str(path)
        with self._open() as stream:
            first = self._read_line(stream, 1)
        if not first:
            raise RecordingFileError(self.name, f"is empty; expected {_EXPECTED}")
        self.info = _parse_header(_LineChecker(self.name, 1), self._loads(first, 1))

    def _open(self) -> BinaryIO:
        try:
            return open_regular_file(self.path, expected=_EXPECTED)
        except InputFileError as error:
            raise RecordingFileError(self.name, error.problem) from None

    def _read_line(self, stream: BinaryIO, line_number: int) -> bytes:
        try:
            data = stream.readline(MAX_LINE_BYTES + 1)
        except OSError as error:
            raise RecordingFileError(self.name, f"cannot be read ({describe_os_error(error)})") from None
        if len(data) > MAX_LINE_BYTES:
            raise RecordingFormatError(
                self.name, line_number, "(line)", f"longer than {MAX_LINE_BYTES} bytes: not a landmark recording"
            )
        return data

    def _loads(self, data: bytes, line_number: int) -> Any:
        try:
            text = decode_utf8(data, path=self.name, first_line=line_number)
        except InputFileError as error:
            raise RecordingFormatError(self.name, line_number, "(line)", error.problem) from None
        if not text.strip():
            what = "header" if line_number == 1 else "frame"
            raise RecordingFormatError(self.name, line_number, what, "empty line, expected a JSON object")
        try:
            return loads_checked(text, source=self.name, first_line=line_number)
        except InputFileError as error:
            raise RecordingFormatError(self.name, line_number, "(line)", error.problem) from None

    def frames(self) -> Iterator[RecordedFrame]:
        """Every frame line in order; raises :class:`RecordingFormatError` at the first bad line."""
        previous_t_s: float | None = None
        with self._open() as stream:
            self._read_line(stream, 1)
            for line_number in itertools.count(2):
                data = self._read_line(stream, line_number)
                if not data or (not data.strip() and not stream.read(1)):
                    return  # the end; a single empty line at the end of the file is fine
                recorded = _parse_frame(
                    _LineChecker(self.name, line_number), self._loads(data, line_number), previous_t_s
                )
                previous_t_s = recorded.frame.t_s
                yield recorded


def _points_json(points: FloatArray, digits: int) -> list[list[float]]:
    return [[round(float(value), digits) for value in point] for point in points]


def frame_to_json(frame: LandmarkFrame, signals: Signals | None = None, *, digits: int = 6) -> dict[str, Any]:
    """Return the JSON object of one frame line (``digits`` decimals keep files small; 1e-6 of a frame is subpixel)."""
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
    """Return the ``signals`` object of a frame line, as ``motorplay track`` writes it."""
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
        "hand_on_face": signals.hand_on_face,
    }


class RecordingWriter(CommitsOnCleanExit):
    """Writes a version-1 recording, complete or not at all.

    The lines go to a temporary file beside ``path`` (:class:`~tracking.atomic_files.AtomicFile`) that replaces ``path``
    only when the recording is closed. A crash, SIGKILL, Ctrl-C or full disk leaves no recording that looks complete,
    and keeps the previous file.

    Use as a context manager: a clean exit commits, an exception discards. Without one, call :meth:`close`
    (commit) or :meth:`discard`.

    Raises
    ------
    OutputFileError
        ``path`` cannot be written (missing or read-only folder, full disk); the message names it.
    """

    def __init__(self, path: str | Path, info: SourceInfo) -> None:
        self.path = Path(path)
        self._output = AtomicFile(self.path)
        header = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "fps": float(info.fps),
            "width": int(info.width_px),
            "height": int(info.height_px),
            "source": info.name,
        }
        self._write(header)

    @property
    def temp_path(self) -> Path:
        """Where the lines are written until :meth:`close` renames the file into place."""
        return self._output.temp_path

    def _write(self, obj: dict[str, Any]) -> None:
        self._output.write(json.dumps(obj, separators=(",", ":")) + "\n")

    def write(self, frame: LandmarkFrame, signals: Signals | None = None) -> None:
        """Write one frame line (with the frame's ``signals`` when given), in time order."""
        self._write(frame_to_json(frame, signals))

    def commit(self) -> Path:
        """Finish the recording: flush it and rename it over ``path``."""
        return self._output.commit()

    def close(self) -> None:
        """Finish the recording (:meth:`commit`)."""
        self.commit()

    def discard(self) -> None:
        """Abandon the recording: remove the temporary file, leave ``path`` as it was."""
        self._output.discard()

"""The landmark recording format: round trip, and every kind of bad line rejected with its line and field."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import numpy as np
import pytest

from tracking.errors import RecordingFormatError
from tracking.limits import MAX_LINE_BYTES
from tracking.recording import RecordingFileError, RecordingReader, RecordingWriter
from tracking.types import (
    GraspState,
    Handedness,
    HandLandmarks,
    HeadAngles,
    LandmarkFrame,
    Signals,
    SourceInfo,
)

INFO = SourceInfo(fps=25.0, width_px=640, height_px=360, name="unit")


def _hand(rng: np.random.Generator) -> HandLandmarks:
    return HandLandmarks(Handedness.RIGHT, 0.97, rng.random((21, 3)), rng.random((21, 3)) * 0.1)


def test_round_trip_keeps_landmarks_and_signals(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    path = tmp_path / "r.jsonl"
    frames = [
        LandmarkFrame(0.0, (_hand(rng),), rng.random((33, 4)), rng.random((478, 3))),
        LandmarkFrame(0.04, (), None, None),
    ]
    signals = Signals(0.0, (0.5, 0.25), 0.8, GraspState.OPEN, HeadAngles(1.5, -2.0, 3.25))
    with RecordingWriter(path, INFO) as writer:
        writer.write(frames[0], signals)
        writer.write(frames[1])
    reader = RecordingReader(path)
    assert reader.info == INFO
    got = list(reader.frames())
    assert len(got) == 2
    np.testing.assert_allclose(got[0].frame.hands[0].landmarks_norm, frames[0].hands[0].landmarks_norm, atol=1e-6)
    np.testing.assert_allclose(got[0].frame.face, frames[0].face, atol=1e-6)
    assert got[0].signals == signals
    assert got[1].frame.hands == () and got[1].frame.pose is None and got[1].signals is None


def _write_lines(path: Path, lines: list[object]) -> Path:
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    return path


HEADER = {"format": "motorplay-landmarks", "version": 1, "fps": 25.0, "width": 640, "height": 360, "source": "x"}
GOOD_HAND = {"side": "Right", "score": 0.9, "landmarks": [[0.1, 0.2, 0.0]] * 21}


@pytest.mark.parametrize(
    ("header", "frame", "line", "field"),
    [
        ({**HEADER, "format": "other"}, None, 1, "format"),
        ({**HEADER, "version": 2}, None, 1, "version"),
        ({**HEADER, "fps": -1}, None, 1, "fps"),
        ({**HEADER, "width": 12.5}, None, 1, "width"),
        ({k: v for k, v in HEADER.items() if k != "source"}, None, 1, "source"),
        (HEADER, {"t": 0, "hands": [], "pose": None}, 2, "face"),
        (HEADER, {"t": "soon", "hands": [], "pose": None, "face": None}, 2, "t"),
        (HEADER, {"t": 0, "hands": {}, "pose": None, "face": None}, 2, "hands"),
        (HEADER, {"t": 0, "hands": [{**GOOD_HAND, "side": "Middle"}], "pose": None, "face": None}, 2, "hands[0].side"),
        (HEADER, {"t": 0, "hands": [{**GOOD_HAND, "landmarks": [[0, 0, 0]] * 20}], "pose": None, "face": None}, 2,
         "hands[0].landmarks"),
        (HEADER, {"t": 0, "hands": [], "pose": [[0, 0, 0]] * 33, "face": None}, 2, "pose"),
        (HEADER, {"t": 0, "hands": [], "pose": None, "face": [[0, 0, 0]] * 400}, 2, "face"),
        (HEADER, {"t": 0, "hands": [], "pose": None, "face": None, "extra": 1}, 2, "extra"),
        (HEADER, {"t": 0, "hands": [], "pose": None, "face": None, "signals": {"cursor": [1]}}, 2, "signals.grasp"),
    ],
)
def test_bad_lines_name_line_and_field(tmp_path: Path, header: object, frame: object, line: int, field: str) -> None:
    path = _write_lines(tmp_path / "bad.jsonl", [header] + ([frame] if frame is not None else []))
    with pytest.raises(RecordingFormatError) as caught:
        list(RecordingReader(path).frames())
    assert caught.value.line_number == line
    assert caught.value.field == field
    assert str(path) in str(caught.value)


def test_time_going_backwards_is_rejected(tmp_path: Path) -> None:
    frames = [{"t": t, "hands": [], "pose": None, "face": None} for t in (0.0, 0.04, 0.02)]
    path = _write_lines(tmp_path / "back.jsonl", [HEADER, *frames])
    with pytest.raises(RecordingFormatError, match="line 4, field 't'"):
        list(RecordingReader(path).frames())


def test_not_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl"
    path.write_text(json.dumps(HEADER) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(RecordingFormatError, match="line 2"):
        list(RecordingReader(path).frames())


def _frame(**changes: object) -> dict[str, object]:
    return {"t": 0.0, "hands": [], "pose": None, "face": None, **changes}


def _hand_json(**changes: object) -> dict[str, object]:
    return {**GOOD_HAND, **changes}


def _points(count: int, width: int, at: int, value: object) -> list[list[object]]:
    points: list[list[object]] = [[0.5] * width for _ in range(count)]
    points[at][1] = value
    return points


HUGE = "9" * 5000  # more digits than Python's int-string limit (4300)
BIG = "1" + "0" * 400  # an integer too large for a float
SIGNALS = {"cursor": None, "grasp": None, "grasp_state": None, "head": None}

# (header, frame line as JSON text or None, line, field, words in the message)
BAD_INPUTS = [
    (json.dumps({**HEADER, "fps": 1e308}), None, 1, "fps", "from 1 to 1000"),
    (json.dumps({**HEADER, "fps": 0.5}), None, 1, "fps", "from 1 to 1000"),
    (json.dumps(HEADER).replace('"fps": 25.0', f'"fps": {HUGE}'), None, 1, "fps", "5000-digit number"),
    (json.dumps(HEADER).replace('"fps": 25.0', f'"fps": {BIG}'), None, 1, "fps", "401-digit number"),
    (json.dumps({**HEADER, "fps": True}), None, 1, "fps", "got True"),
    (json.dumps({**HEADER, "fps": "25"}), None, 1, "fps", "got '25'"),
    (json.dumps({**HEADER, "version": 1.0}), None, 1, "version", "whole number 1"),
    (json.dumps({**HEADER, "version": True}), None, 1, "version", "got True"),
    (json.dumps({**HEADER, "width": 10**9}), None, 1, "width", "from 1 to 65536"),
    (json.dumps({**HEADER, "height": True}), None, 1, "height", "got True"),
    (json.dumps(HEADER), json.dumps(_frame()).replace('"t": 0.0', f'"t": {BIG}'), 2, "t", "401-digit number"),
    (json.dumps(HEADER), json.dumps(_frame()).replace('"t": 0.0', f'"t": {HUGE}'), 2, "t", "5000-digit number"),
    (json.dumps(HEADER), json.dumps(_frame(t=1e300)), 2, "t", "from 0 to 1e+07"),
    (json.dumps(HEADER), json.dumps(_frame(t=-1)), 2, "t", "from 0 to 1e+07"),
    (json.dumps(HEADER), json.dumps(_frame(t=True)), 2, "t", "got True"),
    (json.dumps(HEADER), json.dumps(_frame(hands=[_hand_json(landmarks=_points(21, 3, 4, "0.5"))])), 2,
     "hands[0].landmarks", "point 4, value 1: expected a number, got '0.5'"),
    (json.dumps(HEADER), json.dumps(_frame(hands=[_hand_json(landmarks=_points(21, 3, 4, True))])), 2,
     "hands[0].landmarks", "point 4, value 1: expected a number, got True"),
    (json.dumps(HEADER), json.dumps(_frame(hands=[_hand_json(landmarks=_points(21, 3, 7, 1e308))])), 2,
     "hands[0].landmarks", "point 7, value 1: expected a number from -10 to 10, got 1e+308"),
    (json.dumps(HEADER), json.dumps(_frame(hands=[_hand_json(landmarks=_points(21, 3, 7, None))])), 2,
     "hands[0].landmarks", "point 7, value 1: expected a number, got None"),
    (json.dumps(HEADER), json.dumps(_frame(hands=[_hand_json(landmarks=_points(21, 3, 7, 0))]))
     .replace("[0.5, 0, 0.5]", f"[0.5, {HUGE}, 0.5]"), 2, "hands[0].landmarks", "5000-digit number"),
    (json.dumps(HEADER), json.dumps(_frame(hands=[_hand_json(landmarks=[[0.1, 0.2]] * 21)])), 2,
     "hands[0].landmarks", "point 0: expected [3 numbers]"),
    (json.dumps(HEADER), json.dumps(_frame(hands=[_hand_json(world_landmarks=_points(21, 3, 0, -11.0))])), 2,
     "hands[0].world_landmarks", "from -10 to 10"),
    (json.dumps(HEADER), json.dumps(_frame(hands=[_hand_json(score=True)])), 2, "hands[0].score", "got True"),
    (json.dumps(HEADER), json.dumps(_frame(hands=[_hand_json(side=["Left"])])), 2, "hands[0].side", "'Left' or"),
    (json.dumps(HEADER), json.dumps(_frame(pose=_points(33, 4, 32, "x"))), 2, "pose", "point 32, value 1"),
    (json.dumps(HEADER), json.dumps(_frame(face=_points(478, 3, 477, 1e12))), 2, "face", "point 477, value 1"),
    (json.dumps(HEADER), json.dumps(_frame(signals={**SIGNALS, "cursor": ["0.5", 0.5]})), 2, "signals.cursor",
     "got '0.5'"),
    (json.dumps(HEADER), json.dumps(_frame(signals={**SIGNALS, "grasp": 7.0})), 2, "signals.grasp", "from 0 to 1"),
    (json.dumps(HEADER), json.dumps(_frame(signals={**SIGNALS, "grasp_state": {}})), 2, "signals.grasp_state",
     "'open', 'closed' or null"),
    (json.dumps(HEADER), json.dumps(_frame(signals={**SIGNALS, "head": {"yaw": 1e300, "pitch": 0, "roll": 0}})), 2,
     "signals.head.yaw", "from -180 to 180"),
    (json.dumps(HEADER), "[" * 100_000 + "]" * 100_000, 2, "(line)", "nested more than 100 levels"),
    ("[" * 100_000 + "]" * 100_000, None, 1, "(line)", "nested more than 100 levels"),
]


@pytest.mark.parametrize(("header", "frame", "line", "field", "words"), BAD_INPUTS)
def test_hostile_values_are_rejected_naming_file_line_and_field(
    tmp_path: Path, header: str, frame: str | None, line: int, field: str, words: str
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(header + "\n" + (frame + "\n" if frame is not None else ""), encoding="utf-8")
    with pytest.raises(RecordingFormatError) as caught:
        list(RecordingReader(path).frames())
    assert (caught.value.line_number, caught.value.field) == (line, field)
    message = str(caught.value)
    assert message.startswith(f"{path}, line {line}, field '{field}': ") and words in message, message


def test_large_but_plausible_values_are_accepted(tmp_path: Path) -> None:
    hand = _hand_json(landmarks=[[-9.5, 9.5, 0.0]] * 21)
    lines = [{**HEADER, "fps": 1000, "width": 7680, "height": 4320}, _frame(t=0), _frame(t=9e6, hands=[hand])]
    frames = list(RecordingReader(_write_lines(tmp_path / "ok.jsonl", lines)).frames())
    assert frames[1].frame.t_s == 9e6 and frames[1].frame.hands[0].landmarks_norm[0, 0] == -9.5


def test_not_utf8_is_reported_at_its_real_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    good = json.dumps(_frame()).encode()
    path.write_bytes(json.dumps(HEADER).encode() + b"\n" + (good + b"\n") * 50 + b'{"t": "\xe9"}\n' + good + b"\n")
    with pytest.raises(RecordingFormatError) as caught:
        list(RecordingReader(path).frames())
    assert caught.value.line_number == 52 and "not UTF-8" in str(caught.value) and str(path) in str(caught.value)


def test_errors_name_the_path_as_given_not_the_header_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write_lines(tmp_path / "given.jsonl", [{**HEADER, "source": "other.mp4"}, _frame(t="x")])
    monkeypatch.chdir(tmp_path)
    with pytest.raises(RecordingFormatError) as caught:
        list(RecordingReader("./given.jsonl").frames())
    assert str(caught.value).startswith("./given.jsonl, line 2, field 't'") and "other.mp4" not in str(caught.value)


def test_folder_device_empty_and_missing_files_are_named_for_what_they_are(tmp_path: Path) -> None:
    folder = tmp_path / "folder.jsonl"
    folder.mkdir()
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    cases = {folder: "is a folder", Path(os.devnull): "is a device", empty: "is empty",
             tmp_path / "none.jsonl": "no such file"}
    for path, words in cases.items():
        with pytest.raises(RecordingFileError) as caught:
            RecordingReader(path)
        assert str(caught.value) == f"{path}: {caught.value.problem}" and words in caught.value.problem


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []
    worker = threading.Thread(target=lambda: _catch(outcome, fifo), daemon=True)
    worker.start()
    worker.join(timeout=10.0)
    if worker.is_alive():
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))  # release the blocked reader before failing
        pytest.fail("opening a FIFO recording blocked")
    assert isinstance(outcome[0], RecordingFileError) and "named pipe" in str(outcome[0])


def _catch(outcome: list[BaseException], path: Path) -> None:
    try:
        RecordingReader(path)
    except RecordingFormatError as error:
        outcome.append(error)


def test_overlong_line_is_not_read_into_memory(tmp_path: Path) -> None:
    path = tmp_path / "binary.jsonl"
    with path.open("wb") as stream:
        stream.write(json.dumps(HEADER).encode() + b"\n")
        stream.write(b"x" * (MAX_LINE_BYTES + 10))
    with pytest.raises(RecordingFormatError, match=r"line 2, field '\(line\)': longer than"):
        list(RecordingReader(path).frames())

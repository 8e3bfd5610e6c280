"""The landmark recording format: round trip, and every kind of bad line rejected with its line and field."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tracking.errors import RecordingFormatError
from tracking.frames import (
    GraspState,
    Handedness,
    HandLandmarks,
    HeadAngles,
    LandmarkFrame,
    Signals,
    SourceInfo,
)
from tracking.recording import RecordingReader, RecordingWriter

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

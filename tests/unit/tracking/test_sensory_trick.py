"""``hand_on_face``: a real hand's landmarks against a real face mesh (MediaPipe's, from business_person.png: her
hand holds glasses below her chin without touching it), moved onto and off the lower face."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tracking import sensory_trick
from tracking.errors import RecordingFormatError
from tracking.recording import RecordingReader, RecordingWriter
from tracking.signals import SignalExtractor
from tracking.types import FloatArray, Handedness, HandLandmarks, LandmarkFrame, Signals, SourceInfo

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "face_and_hand_landmarks.json"


@pytest.fixture(scope="module")
def photo() -> dict[str, object]:
    data: dict[str, object] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return data


def arrays(photo: dict[str, object]) -> tuple[FloatArray, FloatArray, int, int]:
    face = np.asarray(photo["face"], dtype=np.float64)
    hand = np.asarray(photo["hand"], dtype=np.float64)
    return face, hand, int(photo["width"]), int(photo["height"])  # type: ignore[call-overload]


def hand_of(landmarks: FloatArray) -> HandLandmarks:
    return HandLandmarks(Handedness.RIGHT, 0.9, landmarks)


def moved_so_nearest_is(face: FloatArray, hand: FloatArray, aspect: float, outside_face_widths: float) -> FloatArray:
    """The hand moved straight towards the chin until its second-nearest landmark is that far outside the face."""
    chin = face[152, :2]
    low, high = 0.0, 1.0  # fraction of the way from where the hand is to the chin
    for _ in range(60):
        middle = (low + high) / 2
        moved = hand.copy()
        moved[:, :2] += middle * (chin - hand[:, :2].mean(axis=0))
        second = np.sort(sensory_trick.hand_face_distances(hand_of(moved), face, aspect))[1]
        low, high = (middle, high) if second > outside_face_widths else (low, middle)
    moved = hand.copy()
    moved[:, :2] += high * (chin - hand[:, :2].mean(axis=0))
    return moved


def test_the_hand_near_the_chin_of_the_photo_is_not_on_the_face(photo: dict[str, object]) -> None:
    face, hand, width, height = arrays(photo)
    frame = LandmarkFrame(0.0, (hand_of(hand),), face=face)
    assert sensory_trick.hand_on_face(frame, width_px=width, height_px=height) is False
    nearest = np.sort(sensory_trick.hand_face_distances(hand_of(hand), face, width / height))
    assert nearest[1] > 2 * sensory_trick.TOUCH_MARGIN_FACE_WIDTHS  # a clear negative, as the constant says


def test_the_same_hand_on_the_cheek_or_chin_is_on_the_face(photo: dict[str, object]) -> None:
    face, hand, width, height = arrays(photo)
    aspect = width / height
    cheek = face[234, :2] * 0.6 + face[61, :2] * 0.4  # between the right cheekbone and the mouth corner
    on_cheek = hand.copy()
    on_cheek[:, :2] += cheek - hand[8, :2]  # the index fingertip on the cheek
    assert sensory_trick.hand_on_face(
        LandmarkFrame(0.0, (hand_of(on_cheek),), face=face), width_px=width, height_px=height
    )
    touching = moved_so_nearest_is(face, hand, aspect, sensory_trick.TOUCH_MARGIN_FACE_WIDTHS * 0.9)
    apart = moved_so_nearest_is(face, hand, aspect, sensory_trick.TOUCH_MARGIN_FACE_WIDTHS * 1.2)
    assert sensory_trick.hand_touches_face(hand_of(touching), face, aspect)
    assert not sensory_trick.hand_touches_face(hand_of(apart), face, aspect)


def test_either_of_two_hands_counts_and_no_face_is_unknown(photo: dict[str, object]) -> None:
    face, hand, width, height = arrays(photo)
    on_chin = hand.copy()
    on_chin[:, :2] += face[152, :2] - hand[12, :2]
    assert sensory_trick.hand_on_face(LandmarkFrame(0.0, (), face=face), width_px=width, height_px=height) is False
    both = LandmarkFrame(0.0, (hand_of(hand), hand_of(on_chin)), face=face)
    assert sensory_trick.hand_on_face(both, width_px=width, height_px=height) is True
    assert sensory_trick.hand_on_face(LandmarkFrame(0.0, (hand_of(on_chin),)), width_px=width, height_px=height) is None


def test_the_margin_scales_with_the_face(photo: dict[str, object]) -> None:
    """The same scene at half the size (a face further away) gives the same answer."""
    face, hand, width, height = arrays(photo)
    aspect = width / height
    touching = moved_so_nearest_is(face, hand, aspect, sensory_trick.TOUCH_MARGIN_FACE_WIDTHS * 0.9)
    centre = np.array([0.5, 0.5, 0.0])
    assert sensory_trick.hand_touches_face(
        hand_of((touching - centre) * 0.5 + centre), (face - centre) * 0.5 + centre, aspect
    )


def test_signals_carry_it_and_recordings_keep_it(photo: dict[str, object], tmp_path: Path) -> None:
    face, hand, width, height = arrays(photo)
    extractor = SignalExtractor(width_px=width, height_px=height, head_neutral=None)
    on_chin = hand.copy()
    on_chin[:, :2] += face[152, :2] - hand[12, :2]
    frames = [
        LandmarkFrame(0.0, (hand_of(hand),), face=face),
        LandmarkFrame(0.1, (hand_of(on_chin),), face=face),
        LandmarkFrame(0.2, (hand_of(on_chin),)),
    ]
    signals = [extractor.update(frame) for frame in frames]
    assert [s.hand_on_face for s in signals] == [False, True, None]
    path = tmp_path / "trick.jsonl"
    with RecordingWriter(path, SourceInfo(30.0, width, height, "photo")) as writer:
        for frame, signal in zip(frames, signals, strict=True):
            writer.write(frame, signal)
    read = [recorded.signals for recorded in RecordingReader(path).frames()]
    assert [s.hand_on_face if s is not None else "missing" for s in read] == [False, True, None]


def test_older_recordings_without_the_field_still_read(tmp_path: Path) -> None:
    path = tmp_path / "old.jsonl"
    header = '{"format": "motorplay-landmarks", "version": 1, "fps": 30.0, "width": 64, "height": 48, "source": "x"}'
    line = '{"t": 0.0, "hands": [], "pose": null, "face": null, "signals": {"cursor": null, "grasp": null, '
    line += '"grasp_state": null, "head": null}}'
    path.write_text(header + "\n" + line + "\n", encoding="utf-8")
    (recorded,) = RecordingReader(path).frames()
    assert recorded.signals == Signals(0.0)
    bad = line.replace('"head": null}', '"head": null, "hand_on_face": "yes"}')
    path.write_text(header + "\n" + bad + "\n", encoding="utf-8")
    with pytest.raises(RecordingFormatError, match="signals.hand_on_face"):
        list(RecordingReader(path).frames())


def test_track_writes_it_and_counts_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``motorplay track`` re-deriving a recording's signals writes ``hand_on_face`` and says how often it held."""
    from game.cli import main
    from tests.support.head_recordings import real_face, write_head_recording
    from tracking.types import HeadAngles

    person = real_face()
    still = [(0.0, HeadAngles(0.0, 0.0, 0.0)), (1.0, HeadAngles(0.0, 0.0, 0.0))]
    source = write_head_recording(tmp_path / "in.jsonl", person, still, fps=10.0, hand_on_chin=[(0.5, 1.0)], tail_s=0.5)
    out = tmp_path / "out.jsonl"
    assert main(["track", str(source), "--out", str(out)]) == 0
    flags = [recorded.signals.hand_on_face for recorded in RecordingReader(out).frames() if recorded.signals]
    assert flags == [False] * 5 + [True] * 5 + [False] * 5
    assert "a face in 15, a hand on the face in 5" in capsys.readouterr().out

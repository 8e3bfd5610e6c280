"""The synthetic recordings: deterministic, a real hand's shape, the jitter and the ground truth they claim."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from tests.support.paths import HAND_TEMPLATE_PATH, REPO_ROOT
from tracking.hand_signals import palm_centre_norm
from tracking.quality_types import BreakKind
from tracking.recording import RecordingReader
from tracking.synthetic import (
    JITTER_CORRELATION,
    JITTER_PX,
    load_hand_template,
    minimum_jerk,
    synthetic_hand,
    synthetic_head,
)

pytestmark = pytest.mark.filterwarnings("error")  # numeric warnings are bugs here

TEMPLATE_PATH = HAND_TEMPLATE_PATH
PLAN = [None, BreakKind.ARREST, BreakKind.JERK, BreakKind.REVERSAL]


@pytest.fixture(scope="module")
def template() -> np.ndarray:
    landmarks, size = load_hand_template(TEMPLATE_PATH)
    assert size == (640, 360)
    return landmarks


def _palm_px(recording) -> np.ndarray:  # type: ignore[no-untyped-def]
    size = (recording.info.width_px, recording.info.height_px)
    return np.array([np.multiply(palm_centre_norm(f.hands[0]), size) for f in recording.frames])


def test_template_is_a_real_open_hand(template: np.ndarray) -> None:
    assert np.all((template[:, :2] > 0) & (template[:, :2] < 1))
    # an open hand: fingertips (8, 12, 16, 20) farther from the wrist than their MCP joints (5, 9, 13, 17)
    wrist = template[0, :2]
    for tip, mcp in [(8, 5), (12, 9), (16, 13), (20, 17)]:
        assert np.linalg.norm(template[tip, :2] - wrist) > np.linalg.norm(template[mcp, :2] - wrist)


def test_bad_template_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"width": 640, "height": 360, "landmarks": [[0, 0, 0]]}', encoding="utf-8")
    with pytest.raises(ValueError, match="bad.json: expected 21 landmarks"):
        load_hand_template(bad)


def test_same_seed_same_recording(template: np.ndarray) -> None:
    one = synthetic_hand(template, seed=4, fps=25.0, breaks=PLAN)
    two = synthetic_hand(template, seed=4, fps=25.0, breaks=PLAN)
    other = synthetic_hand(template, seed=5, fps=25.0, breaks=PLAN)
    assert np.array_equal(_palm_px(one), _palm_px(two))
    assert one.reaches == two.reaches
    assert one.reaches != other.reaches


@pytest.mark.parametrize("fps", [25.0, 30.0])
def test_jitter_and_path_are_as_documented(template: np.ndarray, fps: float) -> None:
    recording = synthetic_hand(template, seed=1, fps=fps, breaks=[None] * 6)
    times = np.array([f.t_s for f in recording.frames])
    assert np.allclose(np.diff(times), 1 / fps)
    error = _palm_px(recording) - recording.path_px
    # whole-hand AR(1) jitter plus per-landmark noise averaged over the 5 palm points
    assert error.std(axis=0) == pytest.approx([JITTER_PX, JITTER_PX], rel=0.3)
    lag1 = np.mean([np.corrcoef(error[:-1, axis], error[1:, axis])[0, 1] for axis in range(2)])
    assert lag1 == pytest.approx(JITTER_CORRELATION, abs=0.08)
    # the hand stays in the picture
    points = np.concatenate([f.hands[0].landmarks_norm[:, :2] for f in recording.frames])
    assert points.min() > 0 and points.max() < 1


def test_reaches_follow_minimum_jerk_between_rests(template: np.ndarray) -> None:
    recording = synthetic_hand(template, seed=2, fps=30.0, breaks=[None] * 4)
    times = np.array([f.t_s for f in recording.frames])
    for reach in recording.reaches:
        length = np.hypot(*np.subtract(reach.end_px, reach.start_px))
        assert 140 <= length <= 260
        before = recording.path_px[times < reach.start_s - 0.05][-1]
        after = recording.path_px[times > reach.end_s + 0.05][0]
        assert np.allclose(before, reach.start_px) and np.allclose(after, reach.end_px)
        # halfway in time is halfway along the chord (minimum jerk is symmetric), up to the sideways bow
        mid = recording.path_px[np.argmin(np.abs(times - (reach.start_s + reach.end_s) / 2))]
        chord = np.subtract(reach.end_px, reach.start_px)
        progress = np.dot(mid - reach.start_px, chord) / np.dot(chord, chord)
        assert progress == pytest.approx(0.5, abs=0.1)
    assert minimum_jerk(np.array([0.0, 0.5, 1.0])).tolist() == [0.0, 0.5, 1.0]


def test_injected_breaks_are_where_the_truth_says(template: np.ndarray) -> None:
    recording = synthetic_hand(template, seed=3, fps=30.0, breaks=PLAN * 2)
    times = np.array([f.t_s for f in recording.frames])
    speed = np.linalg.norm(np.gradient(recording.path_px, times, axis=0), axis=1)
    for reach in recording.reaches:
        truth = reach.injected
        if truth is None:
            continue
        assert reach.start_s < truth.t_s < reach.end_s
        near = np.abs(times - truth.t_s) <= 0.05
        if truth.kind is BreakKind.ARREST:  # the noiseless hand is still in the middle of the hold
            assert speed[near].min() < 1.0
        if truth.kind is BreakKind.REVERSAL:  # and turns back right after the truth time
            chord = np.subtract(reach.end_px, reach.start_px)
            progress = recording.path_px @ chord
            after = (times > truth.t_s) & (times < truth.t_s + 0.3)
            assert progress[after].min() < progress[np.argmin(np.abs(times - truth.t_s))] - 0.1 * chord @ chord


def test_recording_round_trip(template: np.ndarray, tmp_path: Path) -> None:
    recording = synthetic_hand(template, seed=0, fps=25.0, breaks=[BreakKind.JERK])
    path = recording.write(tmp_path / "synthetic.jsonl")
    reader = RecordingReader(path)
    frames = [r.frame for r in reader.frames()]
    assert reader.info == recording.info
    assert len(frames) == len(recording.frames)
    assert np.allclose(frames[10].hands[0].landmarks_norm, recording.frames[10].hands[0].landmarks_norm, atol=1e-6)


def test_head_excursions_and_sway() -> None:
    head = synthetic_head(seed=0, fps=30.0, excursions=3)
    deviation = np.linalg.norm(head.angles_deg, axis=1)
    for truth in head.excursions:
        window = (head.t_s > truth.t_s) & (head.t_s < truth.t_s + 0.8)
        assert deviation[window].max() >= 14.0 - 3.0  # 14-22 degrees, plus or minus the sway
    calm = synthetic_head(seed=0, fps=30.0, excursions=0)
    assert np.abs(calm.angles_deg).max() < 5.0
    assert calm.excursions == ()


def test_jerks_along_the_path_are_a_seeded_option(template: np.ndarray) -> None:
    plan = [BreakKind.JERK] * 4
    sideways = synthetic_hand(template, seed=5, fps=30.0, breaks=plan)
    along = synthetic_hand(template, seed=5, fps=30.0, breaks=plan, along_jerk_share=1.0)
    assert not any(t.along_path for t in sideways.injected) and all(t.along_path for t in along.injected)
    # without the option, a seed's recording is the same as before the option existed (no extra draw)
    unchanged = synthetic_hand(template, seed=5, fps=30.0, breaks=plan, along_jerk_share=0.0)
    assert np.array_equal(unchanged.path_px, sideways.path_px)
    # the first reach is drawn alike in both (the direction draw comes after it): at the truth time, the jolt
    # moves the noiseless hand along the chord by up to 7-15% of the reach (the nearest frame may be off the
    # jolt's peak by half a frame, where a 0.08 s jolt is down to 60% of its size)
    reach, truth = along.reaches[0], along.injected[0]
    chord = np.subtract(reach.end_px, reach.start_px)
    length = float(np.linalg.norm(chord))
    at = int(np.argmin(np.abs(np.array([f.t_s for f in along.frames]) - truth.t_s)))
    jolt = along.path_px[at] - sideways.path_px[at]  # the along-path jolt minus the sideways one
    along_px = abs(float(jolt @ chord) / length)
    assert 0.6 * 0.07 * length <= along_px <= 0.15 * length
    across_px = abs(float(chord[0] * jolt[1] - chord[1] * jolt[0]) / length)
    assert along_px == pytest.approx(across_px, rel=1e-6)  # the same jolt, turned by 90 degrees


def test_along_jerk_share_is_checked(template: np.ndarray) -> None:
    with pytest.raises(ValueError, match="along_jerk_share must be between 0 and 1, got 1.5"):
        synthetic_hand(template, seed=0, fps=25.0, breaks=[None], along_jerk_share=1.5)


def test_the_synthetic_ranges_cite_no_issue_as_their_source() -> None:
    """Each range is a design choice or a publication, said as such; an issue tracker is not a source."""
    text = (REPO_ROOT / "tracking" / "synthetic.py").read_text(encoding="utf-8")
    assert not re.search(r"\bissue\b", text, flags=re.IGNORECASE)

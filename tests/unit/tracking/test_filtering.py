"""The uniform grid never grows with the time a gap spans: long gaps split the track into pieces, nothing else changes.

A recording with one 10^6 s gap used to take a gigabyte (gap x fps NaN rows) and a 10^9 s gap raised MemoryError.
"""

from __future__ import annotations

import dataclasses
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
import pytest

from tests.support.paths import HAND_TEMPLATE_PATH
from tracking.analysis import analyze_track, effector_track
from tracking.analysis_input import analyze_file
from tracking.filtering import SPLIT_GAP_FRAMES, Track, to_uniform_grid, tracked_segments
from tracking.quality_types import BreakKind, QualityResult
from tracking.synthetic import SyntheticHand, load_hand_template, synthetic_hand
from tracking.types import Effector, FloatArray

pytestmark = pytest.mark.filterwarnings("error")  # numeric warnings (overflow in t x fps) are bugs here

TEMPLATE_PATH = HAND_TEMPLATE_PATH
FPS = 25.0
# The whole analysis of two short recordings needs well under this; a grid over a 10^6 s gap needs 400 MB.
MEMORY_BOUND_BYTES = 8 * 1024 * 1024

T = TypeVar("T")


def _peak_bytes(work: Callable[[], T]) -> tuple[T, int]:
    tracemalloc.start()
    try:
        result = work()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture(scope="module")
def recordings() -> tuple[SyntheticHand, SyntheticHand]:
    template, _ = load_hand_template(TEMPLATE_PATH)
    first = synthetic_hand(template, seed=3, fps=FPS, breaks=[None, BreakKind.ARREST])
    second = synthetic_hand(template, seed=4, fps=FPS, breaks=[BreakKind.JERK, None])
    return first, second


def _track(recording: SyntheticHand) -> tuple[FloatArray, FloatArray]:
    return effector_track(recording.samples(), effector=Effector.HAND, width_px=640, height_px=360)


def _analyse(t_s: FloatArray, positions: FloatArray) -> QualityResult:
    return analyze_track(t_s, positions, effector=Effector.HAND, width_px=640, fs_hz=FPS)[0]


@pytest.mark.parametrize("gap_s", [1e6, 1e9])
def test_a_huge_gap_is_analysed_in_bounded_memory_with_the_movements_on_both_sides(
    recordings: tuple[SyntheticHand, SyntheticHand], gap_s: float
) -> None:
    (t1, p1), (t2, p2) = (_track(r) for r in recordings)
    offset_s = t1[-1] + gap_s
    joined, peak = _peak_bytes(lambda: _analyse(np.concatenate([t1, t2 + offset_s]), np.vstack([p1, p2])))
    assert peak < MEMORY_BOUND_BYTES, peak
    alone = [_analyse(t1, p1), _analyse(t2, p2)]
    assert len(alone[0].movements) == len(alone[1].movements) == 2
    assert len(joined.movements) == 4
    for got, want, shift_s in zip(joined.movements, alone[0].movements + alone[1].movements, [0, 0, offset_s, offset_s],
                                  strict=True):
        assert got.start_s == pytest.approx(want.start_s + shift_s, abs=1e-6)
        assert got.sparc == pytest.approx(want.sparc, rel=1e-9) and got.ldlj == pytest.approx(want.ldlj, rel=1e-9)
    kinds = [b.kind for b in joined.breaks]
    assert kinds == [b.kind for b in alone[0].breaks + alone[1].breaks]


def test_a_recording_with_a_million_second_gap_is_analysed_in_bounded_memory(
    recordings: tuple[SyntheticHand, SyntheticHand], tmp_path: Path
) -> None:
    first, second = recordings
    offset_s = first.frames[-1].t_s + 1e6
    later = tuple(dataclasses.replace(frame, t_s=frame.t_s + offset_s) for frame in second.frames)
    path = dataclasses.replace(first, frames=first.frames + later).write(tmp_path / "gap.jsonl")
    report, peak = _peak_bytes(lambda: analyze_file(path))
    assert peak < 4 * MEMORY_BOUND_BYTES, peak  # (it reads and tracks every frame; the grid adds nothing)
    assert len(report.result.movements) == 4
    assert report.result.movements[2].start_s > offset_s


def _full_grid(t_s: FloatArray, values: FloatArray, fs_hz: float) -> Track:
    """The grid as it was before pieces: every missing frame a NaN row (fine for the short gaps used here)."""
    index = np.rint((t_s - t_s[0]) * fs_hz).astype(np.int64)
    grid = np.full((int(index[-1]) + 1, values.shape[1]), np.nan)
    grid[index] = values
    return Track(t_s=t_s[0] + np.arange(grid.shape[0]) / fs_hz, positions=grid, fs_hz=fs_hz)


@pytest.mark.parametrize("missing_frames", [0, 2, 5, SPLIT_GAP_FRAMES - 1, SPLIT_GAP_FRAMES, SPLIT_GAP_FRAMES + 1,
                                            SPLIT_GAP_FRAMES + 2, 7 * SPLIT_GAP_FRAMES])
def test_segments_are_those_of_a_full_grid_whatever_the_gap(
    recordings: tuple[SyntheticHand, SyntheticHand], missing_frames: int
) -> None:
    t_s, positions = _track(recordings[0])
    t_s[t_s.size // 2 :] += missing_frames / FPS  # a gap in the middle of the input, every sample kept
    old = _full_grid(t_s, positions, FPS)
    new = to_uniform_grid(t_s, positions, fs_hz=FPS)
    assert (new.piece_starts != ()) == (missing_frames > SPLIT_GAP_FRAMES)
    if not new.piece_starts:
        np.testing.assert_array_equal(new.positions, old.positions)
        np.testing.assert_array_equal(new.t_s, old.t_s)
    old_segments, new_segments = tracked_segments(old), tracked_segments(new)
    assert len(new_segments) == len(old_segments) == (1 if missing_frames <= 3 else 2)  # 3: max_gap_frames
    for got, want in zip(new_segments, old_segments, strict=True):
        np.testing.assert_allclose(new.t_s[got.start : got.stop], old.t_s[want.start : want.stop], atol=1e-9)
        np.testing.assert_array_equal(got.raw_positions, want.raw_positions)
        np.testing.assert_allclose(got.speed, want.speed, rtol=1e-12)


def test_pieces_are_laid_out_with_one_nan_row_between() -> None:
    t_s = np.array([0.0, 0.04, 0.12, 1e9, 1e9 + 0.04])
    track = to_uniform_grid(t_s, np.arange(10.0).reshape(5, 2), fs_hz=FPS)
    assert track.piece_starts == (5,)
    np.testing.assert_array_equal(track.positions[:, 0], [0, 2, np.nan, 4, np.nan, 6, 8])
    np.testing.assert_allclose(track.t_s, [0, 0.04, 0.08, 0.12, 0.16, 1e9, 1e9 + 0.04])
    assert np.all(np.diff(track.t_s) > 0)


def test_absurd_times_and_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="finite"):
        to_uniform_grid(np.array([0.0, np.inf]), np.zeros((2, 2)))
    track = to_uniform_grid(np.array([0.0, 1e300]), np.zeros((2, 2)), fs_hz=1000.0)  # no overflow, two pieces
    assert track.positions.shape == (3, 2) and track.piece_starts == (2,)
    with pytest.raises(ValueError, match="max_gap_frames"):
        tracked_segments(track, max_gap_frames=SPLIT_GAP_FRAMES)

"""The analysis's one run-finder (tracking.runs.true_runs) and one zero-phase filter (tracking.filtering.zero_phase)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from scipy.signal import butter, sosfiltfilt

from tracking.analysis import analyze_track
from tracking.filtering import zero_phase
from tracking.quality_types import QualityParams
from tracking.runs import Span, true_runs
from tracking.types import Effector

pytestmark = pytest.mark.filterwarnings("error")


def _reference_runs(mask: list[bool], bridge: int) -> list[tuple[int, int]]:
    """Plain loops: runs of True, then joined when at most ``bridge`` False samples lie between them."""
    runs: list[list[int]] = []
    for i, value in enumerate(mask):
        if value and runs and runs[-1][1] == i:
            runs[-1][1] = i + 1
        elif value:
            runs.append([i, i + 1])
    joined: list[list[int]] = []
    for start, stop in runs:
        if joined and start - joined[-1][1] <= bridge:
            joined[-1][1] = stop
        else:
            joined.append([start, stop])
    return [(start, stop) for start, stop in joined]


def _mask(text: str) -> npt.NDArray[np.bool_]:
    return np.array([c == "1" for c in text])


def test_runs_and_bridges() -> None:
    assert true_runs(_mask("0110010001")) == [Span(1, 3), Span(5, 6), Span(9, 10)]
    assert true_runs(_mask("0110010001"), bridge=2) == [Span(1, 6), Span(9, 10)]
    assert true_runs(_mask("0110010001"), bridge=3) == [Span(1, 10)]
    assert true_runs(_mask("0000")) == [] and true_runs(_mask("")) == []
    assert true_runs(_mask("1111")) == [Span(0, 4)]


def test_a_run_restarts_at_a_piece_boundary_even_when_bridged() -> None:
    assert true_runs(_mask("111111"), restart_at=(3,)) == [Span(0, 3), Span(3, 6)]
    assert true_runs(_mask("1101011"), bridge=1, restart_at=(3,)) == [Span(0, 2), Span(3, 7)]
    assert true_runs(_mask("1101011"), bridge=1) == [Span(0, 7)]


def test_runs_agree_with_plain_loops_on_random_masks() -> None:
    rng = np.random.default_rng(7)
    for _ in range(300):
        mask = rng.random(int(rng.integers(0, 40))) < rng.uniform(0.2, 0.8)
        bridge = int(rng.integers(0, 4))
        got = [(span.start, span.stop) for span in true_runs(mask, bridge=bridge)]
        assert got == _reference_runs(mask.tolist(), bridge)


def test_zero_phase_low_pass_keeps_slow_movement_in_place_and_removes_fast_jitter() -> None:
    fs_hz = 100.0
    t_s = np.arange(400) / fs_hz
    slow = np.sin(2 * np.pi * 1.0 * t_s)
    filtered = zero_phase(slow + 0.3 * np.sin(2 * np.pi * 20.0 * t_s), fs_hz, cutoff_hz=6.0)
    middle = slice(50, 350)
    assert np.max(np.abs(filtered[middle] - slow[middle])) < 0.01  # no lag, no jitter left
    pulse = np.exp(-((t_s - 2.0) ** 2) / 0.02)
    assert int(np.argmax(zero_phase(pulse, fs_hz, cutoff_hz=6.0))) == int(np.argmax(pulse))


def test_zero_phase_band_pass_keeps_the_band_and_drops_the_trend() -> None:
    fs_hz = 30.0
    t_s = np.arange(300) / fs_hz
    tremor = np.sin(2 * np.pi * 5.0 * t_s)
    banded = zero_phase(np.column_stack([tremor + 20.0 * t_s, 3.0 * np.sin(2 * np.pi * 0.3 * t_s)]), fs_hz,
                        band_hz=(3.0, 8.0))
    middle = slice(60, 240)
    assert np.max(np.abs(banded[middle, 0] - tremor[middle])) < 0.1
    assert np.max(np.abs(banded[middle, 1])) < 0.1


def test_zero_phase_padding_rule_and_short_inputs() -> None:
    """scipy's padding for one 2nd-order section (9 samples), or n - 1 for shorter inputs: the figures of
    docs/movement-quality.md were measured with this rule."""
    rng = np.random.default_rng(1)
    sos = butter(2, 6.0, btype="low", fs=25.0, output="sos")
    for n in (2, 3, 9, 10, 11, 60):
        values = rng.normal(size=(n, 2))
        expected = sosfiltfilt(sos, values, axis=0, padlen=min(9, n - 1))
        np.testing.assert_array_equal(zero_phase(values, 25.0, cutoff_hz=6.0), expected)


def test_zero_phase_clips_the_cut_off_below_nyquist_and_wants_one_kind() -> None:
    values = np.random.default_rng(2).normal(size=50)
    np.testing.assert_array_equal(zero_phase(values, 10.0, cutoff_hz=6.0), zero_phase(values, 10.0, cutoff_hz=4.5))
    np.testing.assert_array_equal(zero_phase(values, 10.0, band_hz=(1.0, 8.0)),
                                  zero_phase(values, 10.0, band_hz=(1.0, 4.5)))
    with pytest.raises(ValueError, match="expected one of cutoff_hz, band_hz"):
        zero_phase(values, 10.0)
    with pytest.raises(ValueError, match="expected one of cutoff_hz, band_hz"):
        zero_phase(values, 10.0, cutoff_hz=3.0, band_hz=(1.0, 4.0))


def test_the_filter_settings_come_from_quality_params() -> None:
    """A 5-frame tracking gap ends the track by default (3 frames filled) and is filled with max_gap_frames=5."""
    fs_hz = 25.0
    t_s = np.arange(100) / fs_hz
    positions = np.column_stack([100.0 * np.sin(t_s), np.zeros_like(t_s)])
    positions[50:55] = np.nan
    default = analyze_track(t_s, positions, effector=Effector.HAND, width_px=640)[1]
    wider = analyze_track(t_s, positions, effector=Effector.HAND, width_px=640,
                          params=QualityParams(max_gap_frames=5))[1]
    assert np.isnan(default.speed_units_per_s[50:55]).all() and np.isfinite(wider.speed_units_per_s).all()
    smoother = analyze_track(t_s, positions, effector=Effector.HAND, width_px=640,
                             params=QualityParams(max_gap_frames=5, lowpass_cutoff_hz=2.0))[1]
    assert not np.allclose(smoother.speed_units_per_s, wider.speed_units_per_s)

"""SPARC and LDLJ against the authors' published values and an independent step-by-step oracle."""

from __future__ import annotations

import cmath
import math

import numpy as np
import pytest

from tracking.smoothness import ldlj, sparc, velocity_peaks

pytestmark = pytest.mark.filterwarnings("error")  # numeric warnings are bugs here


def _oracle_sparc(speed: list[float], fs: float, padlevel: int = 4, fc: float = 10.0, amp_th: float = 0.05) -> float:
    """Balasubramanian et al. 2015, step by step with plain loops (a direct DFT, no numpy FFT)."""
    n = len(speed)
    nfft = 2 ** (math.ceil(math.log2(n)) + padlevel)
    spectrum = []
    for k in range(nfft):
        total = 0j
        for i, value in enumerate(speed):
            total += value * cmath.exp(-2j * math.pi * k * i / nfft)
        spectrum.append(abs(total))
    biggest = max(spectrum)
    points = []
    for k in range(nfft):
        freq = k * fs / nfft
        if freq <= fc:
            points.append((freq, spectrum[k] / biggest))
    first = next(i for i, (_, mag) in enumerate(points) if mag >= amp_th)
    last = max(i for i, (_, mag) in enumerate(points) if mag >= amp_th)
    width = points[last][0] - points[first][0]
    length = 0.0
    for i in range(first + 1, last + 1):
        df = (points[i][0] - points[i - 1][0]) / width
        dm = points[i][1] - points[i - 1][1]
        length += math.sqrt(df * df + dm * dm)
    return -length


def _oracle_ldlj(speed: list[float], fs: float) -> float:
    dt = 1.0 / fs
    peak = max(abs(v) for v in speed)
    jerk_sq = 0.0
    for i in range(len(speed) - 2):
        jerk = (speed[i + 2] - 2 * speed[i + 1] + speed[i]) / (dt * dt)
        jerk_sq += jerk * jerk * dt
    duration = len(speed) * dt
    return -math.log(duration**3 / peak**2 * jerk_sq)


def _profiles() -> list[tuple[np.ndarray, float]]:
    rng = np.random.default_rng(20121)
    cases: list[tuple[np.ndarray, float]] = []
    for _ in range(12):  # minimum-jerk speed with noise and sub-movements, at camera frame rates
        fs = float(rng.choice([25.0, 30.0, 60.0, 100.0]))
        n = int(rng.integers(8, 90))
        u = np.linspace(0, 1, n)
        speed = 30 * u**2 * (1 - u) ** 2
        speed += rng.uniform(0, 0.6) * np.roll(speed, int(rng.integers(1, n)))
        speed += np.abs(rng.normal(0, rng.uniform(0.001, 0.2), n))
        cases.append((speed, fs))
    for _ in range(6):  # arbitrary positive noise
        cases.append((rng.uniform(0, 5, int(rng.integers(2, 40))), 30.0))
    cases.append((np.array([1.0, 2.0]), 25.0))  # shortest signal
    return cases


def test_published_examples() -> None:
    t = np.arange(-1, 1, 0.01)
    speed = np.exp(-5 * t**2)
    assert round(sparc(speed, fs_hz=100.0), 5) == -1.41403
    assert round(ldlj(speed, fs_hz=100.0), 5) == -5.81636


@pytest.mark.parametrize("index", range(len(_profiles())))
def test_agrees_with_oracle(index: int) -> None:
    speed, fs = _profiles()[index]
    assert sparc(speed, fs) == pytest.approx(_oracle_sparc(list(speed), fs), abs=1e-6)
    if speed.size >= 3:
        assert ldlj(speed, fs) == pytest.approx(_oracle_ldlj(list(speed), fs), abs=1e-6)


def test_options_agree_with_oracle() -> None:
    rng = np.random.default_rng(7)
    speed = np.sin(np.linspace(0, np.pi, 40)) + rng.uniform(0, 0.1, 40)
    for padlevel, fc, amp_th in [(0, 10.0, 0.05), (2, 3.0, 0.2), (4, 80.0, 0.05), (3, 10.0, 0.01)]:
        # fc=80 Hz at 30 Hz sampling is above Nyquist: the reference reaches into the mirrored spectrum
        got = sparc(speed, 30.0, padlevel=padlevel, cutoff_hz=fc, amp_th=amp_th)
        assert got == pytest.approx(_oracle_sparc(list(speed), 30.0, padlevel, fc, amp_th), abs=1e-6)


def test_single_bin_band_is_zero_like_the_reference() -> None:
    # A constant speed: only the DC bin reaches amp_th (others are exactly 0 at multiples of N in the grid).
    speed = np.ones(16)
    assert _oracle_sparc(list(speed), 25.0, padlevel=0) == 0.0
    assert sparc(speed, 25.0, padlevel=0) == 0.0
    # amp_th above every bin but DC
    speed = np.exp(-5 * np.arange(-1, 1, 0.05) ** 2)
    assert sparc(speed, 20.0, amp_th=0.999) == pytest.approx(_oracle_sparc(list(speed), 20.0, amp_th=0.999), abs=1e-9)


def test_smoother_is_closer_to_zero() -> None:
    t = np.arange(-1, 1, 0.01)
    one_peak = np.exp(-5 * t**2)
    two_peaks = np.exp(-20 * (t - 0.4) ** 2) + np.exp(-20 * (t + 0.4) ** 2)
    assert sparc(one_peak, 100.0) > sparc(two_peaks, 100.0)
    assert ldlj(one_peak, 100.0) > ldlj(two_peaks, 100.0)


def test_bad_input_is_rejected_with_a_message() -> None:
    with pytest.raises(ValueError, match="zero everywhere"):
        sparc(np.zeros(10), 25.0)
    with pytest.raises(ValueError, match="NaN"):
        ldlj(np.array([0.0, np.nan, 1.0]), 25.0)
    with pytest.raises(ValueError, match="at least 3"):
        ldlj(np.array([0.0, 1.0]), 25.0)
    with pytest.raises(ValueError, match="sampling frequency"):
        sparc(np.ones(5), 0.0)
    with pytest.raises(ValueError, match="1-D"):
        sparc(np.ones((3, 2)), 25.0)


def test_velocity_peaks_prominence_rule() -> None:
    t = np.arange(0, 2, 0.01)
    one = np.exp(-30 * (t - 1) ** 2)
    assert velocity_peaks(one) == 1
    two = np.exp(-60 * (t - 0.6) ** 2) + np.exp(-60 * (t - 1.4) ** 2)
    assert velocity_peaks(two) == 2
    # a ripple of 5% of the peak is not a peak (prominence < 10% of the peak)
    ripple = one + 0.05 * np.exp(-2000 * (t - 1.5) ** 2)
    assert velocity_peaks(ripple) == 1
    # a peak on the last sample counts (zero padding at the ends)
    assert velocity_peaks(np.linspace(0, 1, 20)) == 1


def test_tuning_arguments_are_keyword_only_and_the_rate_is_fs_hz() -> None:
    """As kinetics-toolkit and NeuroKit2 write metrics: a positional 4 cannot be read as the wrong setting, and
    velocity_peaks takes no sampling rate (its rule does not depend on time)."""
    speed = np.exp(-5 * np.arange(-1, 1, 0.01) ** 2)
    assert sparc(speed, fs_hz=100.0, padlevel=4, cutoff_hz=10.0, amp_th=0.05) == sparc(speed, 100.0)
    with pytest.raises(TypeError):
        sparc(speed, 100.0, 4)  # type: ignore[misc]
    with pytest.raises(TypeError):
        velocity_peaks(speed, 100.0)  # type: ignore[misc]
    assert velocity_peaks(speed, prominence_fraction=0.1) == 1

"""Smoothness of one movement's speed profile: SPARC, LDLJ and the number of velocity peaks.

SPARC and LDLJ follow, convention for convention, the reference implementation published by the metrics'
authors (github.com/siva82kb/SPARC, ``scripts/smoothness.py``), so that our numbers can be compared with the
literature:

- Balasubramanian S, Melendez-Calderon A, Burdet E (2012). A robust and sensitive metric for quantifying
  movement smoothness. IEEE Trans Biomed Eng 59(8):2126-2136.
- Balasubramanian S, Melendez-Calderon A, Roby-Brami A, Burdet E (2015). On the analysis of movement smoothness.
  J NeuroEng Rehabil 12:112.

Both are dimensionless, negative, and closer to zero for smoother movements. They are training feedback here,
not clinical scores. Written with numpy rather than imported because the reference is a script, not a package.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from tracking.types import FloatArray

# Reference defaults (Balasubramanian et al. 2015, and the authors' code).
SPARC_PADLEVEL = 4
SPARC_CUTOFF_HZ = 10.0
SPARC_AMPLITUDE_THRESHOLD = 0.05
# A local speed maximum counts as a velocity peak when its prominence is at least this fraction of the movement's
# peak speed. Design choice (Rohrer et al. 2002 count peaks without a stated rule); 0.1 ignores tracking jitter
# left after the 6 Hz low-pass, checked on the seeded synthetic reaches (clean reaches give 1 peak).
VELOCITY_PEAK_PROMINENCE_FRACTION = 0.1


def _checked_speed(speed: npt.ArrayLike, *, fs_hz: float | None, min_samples: int, what: str) -> FloatArray:
    """``speed`` as a float array, after checking it (and ``fs_hz``, unless the measure does not use time: ``None``)."""
    profile = np.asarray(speed, dtype=np.float64)
    if profile.ndim != 1:
        raise ValueError(f"{what}: expected a 1-D speed profile, got an array of shape {profile.shape}")
    if profile.size < min_samples:
        raise ValueError(f"{what}: expected at least {min_samples} speed samples, got {profile.size}")
    if not np.all(np.isfinite(profile)):
        raise ValueError(f"{what}: the speed profile contains NaN or infinite values")
    if fs_hz is not None and (not np.isfinite(fs_hz) or fs_hz <= 0):
        raise ValueError(f"{what}: expected a positive sampling frequency in Hz, got {fs_hz}")
    if not np.any(profile != 0.0):
        raise ValueError(f"{what}: the speed profile is zero everywhere (no movement)")
    return profile


def sparc(
    speed: npt.ArrayLike, fs_hz: float, *, padlevel: int = SPARC_PADLEVEL, cutoff_hz: float = SPARC_CUTOFF_HZ,
    amp_th: float = SPARC_AMPLITUDE_THRESHOLD,
) -> float:
    """Spectral arc length (SPARC) of a speed profile.

    Parameters
    ----------
    speed
        Speed samples of one movement (any unit: the spectrum is normalised), at least 2.
    fs_hz
        Sampling frequency in Hz.
    padlevel
        Zero padding: the FFT length is ``2 ** (ceil(log2(N)) + padlevel)``.
    cutoff_hz
        Upper cut-off in Hz of the spectrum considered (``fc`` in the reference; default 10 Hz).
    amp_th
        Amplitude threshold (of the spectrum normalised to its maximum) that sets the adaptive cut-off.

    Returns
    -------
    float
        SPARC, dimensionless, <= 0; closer to 0 is smoother. ``exp(-5 t^2)``, t in [-1, 1) at 100 Hz, gives
        -1.41403.

    Notes
    -----
    As in the reference: the frequency grid is ``arange(0, fs_hz, fs_hz / nfft)`` (so ``cutoff_hz`` above Nyquist
    reaches into the mirrored half of the spectrum), the band kept is the contiguous range from the first to the last
    bin below ``cutoff_hz`` whose magnitude is >= ``amp_th``, and the frequency axis is normalised by that band's
    width. A band of one bin has zero length: SPARC is 0.
    """
    profile = _checked_speed(speed, fs_hz=fs_hz, min_samples=2, what="sparc")
    nfft = int(2 ** (np.ceil(np.log2(profile.size)) + padlevel))
    freqs_hz = np.arange(0, fs_hz, fs_hz / nfft)[:nfft]
    magnitude = np.abs(np.fft.fft(profile, nfft))
    magnitude = magnitude / magnitude.max()
    in_band = freqs_hz <= cutoff_hz
    freqs_hz = freqs_hz[in_band]
    magnitude = magnitude[in_band]
    above = np.flatnonzero(magnitude >= amp_th)
    if above.size == 0:
        raise ValueError(f"sparc: no spectral bin up to cutoff_hz={cutoff_hz} Hz reaches amp_th={amp_th}")
    first, last = int(above[0]), int(above[-1])
    if last == first:
        return 0.0
    band_f = freqs_hz[first : last + 1]
    band_m = magnitude[first : last + 1]
    step_f = np.diff(band_f) / (band_f[-1] - band_f[0])
    return float(-np.sum(np.hypot(step_f, np.diff(band_m))))


def ldlj(speed: npt.ArrayLike, fs_hz: float) -> float:
    """Log dimensionless jerk (LDLJ) of a speed profile.

    ``-ln(D^3 / v_peak^2 * sum(j^2) dt)`` with ``D = N / fs_hz``, ``v_peak = max |v|`` and the jerk ``j`` the second
    difference of the speed over ``dt^2`` (the reference's conventions).

    Parameters
    ----------
    speed
        Speed samples of one movement (any unit), at least 3 and not all equal to a straight line (zero jerk).
    fs_hz
        Sampling frequency in Hz.

    Returns
    -------
    float
        LDLJ, dimensionless; closer to 0 (less negative) is smoother. ``exp(-5 t^2)`` at 100 Hz gives -5.81636.
    """
    profile = _checked_speed(speed, fs_hz=fs_hz, min_samples=3, what="ldlj")
    dt_s = 1.0 / fs_hz
    duration_s = profile.size * dt_s
    peak = float(np.max(np.abs(profile)))
    jerk = np.diff(profile, 2) / dt_s**2
    integral = float(np.dot(jerk, jerk)) * dt_s
    if integral == 0.0:
        raise ValueError("ldlj: the speed profile has zero jerk (a straight line), LDLJ is undefined")
    return float(-np.log(duration_s**3 / peak**2 * integral))


def velocity_peaks(speed: npt.ArrayLike, *, prominence_fraction: float = VELOCITY_PEAK_PROMINENCE_FRACTION) -> int:
    """Return the number of velocity peaks in one movement's speed profile.

    A local maximum counts when its topographic prominence (``scipy.signal.find_peaks``) is at least
    ``prominence_fraction`` times the profile's maximum; the profile is padded with a zero at each end so that a
    peak at the first or last sample counts too. A smooth reach has 1; each arrest or sub-movement adds peaks. The
    rule does not depend on time: no sampling rate.

    Parameters
    ----------
    speed
        Speed samples of one movement (non-negative).
    prominence_fraction
        Minimum prominence relative to the peak speed (default 0.1, a design choice: see the module constants).
    """
    from scipy.signal import find_peaks  # here, not at import: scipy takes about 1.5 s to load (the game's start)
    profile = _checked_speed(speed, fs_hz=None, min_samples=1, what="velocity_peaks")
    padded = np.concatenate(([0.0], profile, [0.0]))
    peaks, _ = find_peaks(padded, prominence=prominence_fraction * float(np.max(profile)))
    return int(peaks.size)

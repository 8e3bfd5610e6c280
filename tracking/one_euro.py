"""The One Euro filter (Casiez, Roussel and Vogel, CHI 2012): low jitter at rest, low lag in fast movement.

Used only for what is displayed (the cursor); analysis always uses raw landmarks. Written by hand because it is
twelve lines of arithmetic and no well-kept package on the registries provides it with the timestamps we need.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class OneEuroParams:
    """``min_cutoff_hz`` sets jitter at rest, ``beta`` how fast the cutoff rises with speed (units/s)."""

    min_cutoff_hz: float = 1.0
    beta: float = 0.7
    derivative_cutoff_hz: float = 1.0


def _smoothing_factor(cutoff_hz: float, dt_s: float) -> float:
    tau_s = 1.0 / (2.0 * math.pi * cutoff_hz)
    return 1.0 / (1.0 + tau_s / dt_s)


class OneEuroFilter:
    """Filters one scalar signal sampled at irregular times (seconds from the source)."""

    def __init__(self, params: OneEuroParams | None = None) -> None:
        self.params = params or OneEuroParams()
        self._last_t_s: float | None = None
        self._value = 0.0
        self._derivative = 0.0

    def reset(self) -> None:
        """Forget the past: the next value passes unfiltered."""
        self._last_t_s = None

    def __call__(self, t_s: float, value: float) -> float:
        """Return ``value`` at time ``t_s`` (seconds) filtered; a time not after the last one restarts the filter."""
        if self._last_t_s is None or t_s <= self._last_t_s:
            self._last_t_s, self._value, self._derivative = t_s, value, 0.0
            return value
        dt_s = t_s - self._last_t_s
        self._last_t_s = t_s
        raw_derivative = (value - self._value) / dt_s
        alpha_d = _smoothing_factor(self.params.derivative_cutoff_hz, dt_s)
        self._derivative += alpha_d * (raw_derivative - self._derivative)
        cutoff_hz = self.params.min_cutoff_hz + self.params.beta * abs(self._derivative)
        self._value += _smoothing_factor(cutoff_hz, dt_s) * (value - self._value)
        return self._value


class OneEuroFilter2D:
    """Two independent One Euro filters for a point (x, y)."""

    def __init__(self, params: OneEuroParams | None = None) -> None:
        self._x = OneEuroFilter(params)
        self._y = OneEuroFilter(params)

    def reset(self) -> None:
        """Forget the past of both coordinates."""
        self._x.reset()
        self._y.reset()

    def __call__(self, t_s: float, point: tuple[float, float]) -> tuple[float, float]:
        """Return ``point`` at time ``t_s`` (seconds) filtered, each coordinate on its own."""
        return self._x(t_s, point[0]), self._y(t_s, point[1])

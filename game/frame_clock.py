"""Frame clocks for the game loop: real time paced at 60 fps, or simulated time for tests and benchmarks."""

from __future__ import annotations

import time
from typing import Protocol

import pygame

RENDER_FPS = 60


class FrameClock(Protocol):
    def tick(self) -> float:
        """Wait for the next frame (real clock) and return the seconds since the previous one."""

    def now_s(self) -> float:
        """Seconds since the clock started."""


class RealFrameClock:
    """Wall time; :meth:`tick` sleeps to hold ``fps`` (pygame's ``Clock.tick``), also when headless, so that a
    video plays at its own speed and ``--max-seconds`` means seconds on a watch.

    ``started_s`` (``time.monotonic()``) is when the clock counts from: the command's start, so that loading the
    game and MediaPipe counts towards ``--max-seconds``; default: now.
    """

    def __init__(self, fps: int = RENDER_FPS, *, started_s: float | None = None) -> None:
        self._fps = fps
        self._clock = pygame.time.Clock()
        self._start_s = time.monotonic() if started_s is None else started_s

    def tick(self) -> float:
        return self._clock.tick(self._fps) / 1000.0

    def now_s(self) -> float:
        return time.monotonic() - self._start_s


class SimulatedFrameClock:
    """Each tick advances exactly one frame of ``1 / fps`` seconds, without sleeping."""

    def __init__(self, fps: int = RENDER_FPS) -> None:
        self._frame_s = 1.0 / fps
        self._now_s = 0.0

    def tick(self) -> float:
        self._now_s += self._frame_s
        return self._frame_s

    def now_s(self) -> float:
        return self._now_s

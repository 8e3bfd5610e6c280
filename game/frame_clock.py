"""Frame clocks for the game loop: real time paced at 60 fps, or simulated time for tests and benchmarks."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol, runtime_checkable

RENDER_FPS = 60


class FrameClock(Protocol):
    def tick(self) -> float:
        """Wait for the next frame (real clock) and return the seconds since the previous one."""

    def now_s(self) -> float:
        """Seconds since the clock started."""


@runtime_checkable
class PacedClock(Protocol):
    """A frame clock whose :meth:`~FrameClock.tick` waits for the frame's deadline: the game's loop may spend that
    time waiting for tracked samples instead (:meth:`game.app.App.frame`)."""

    def until_due_s(self) -> float:
        """Seconds left until the next frame is due (0 when it is due or late, or before the first frame)."""


class RealFrameClock:
    """Wall time; :meth:`tick` sleeps until the next frame is due, ``1 / fps`` after the previous one was (also
    when headless, so that a video plays at its own speed and ``--max-seconds`` means seconds on a watch).

    Frames are due on a fixed grid of ``1 / fps`` seconds (16.7 ms at 60 fps): a frame that ends a little late is
    followed by a shorter wait, and one later than a whole frame starts the grid again from now instead of racing
    to catch up. ``time.sleep`` wakes within about 0.1 ms on Linux; pygame's ``Clock.tick`` waited whole
    milliseconds (16 or 17 ms frames at 60 fps).

    ``started_s`` (``time.monotonic()``) is when the clock counts from: the command's start, so that loading the
    game and MediaPipe counts towards ``--max-seconds``; default: now.
    """

    def __init__(
        self,
        fps: int = RENDER_FPS,
        *,
        started_s: float | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._frame_s = 1.0 / fps
        self._monotonic = monotonic
        self._sleep = sleep
        self._start_s = monotonic() if started_s is None else started_s
        self._last_s: float | None = None
        self._due_s = 0.0

    def tick(self) -> float:
        now_s = self._monotonic()
        if self._last_s is None:  # the first frame: nothing to wait for
            self._last_s = self._due_s = now_s
            return 0.0
        self._due_s += self._frame_s
        if self._due_s > now_s:
            self._sleep(self._due_s - now_s)
            now_s = self._monotonic()
        elif now_s - self._due_s > self._frame_s:  # more than a frame late (a stall): pace from now
            self._due_s = now_s
        elapsed_s, self._last_s = now_s - self._last_s, now_s
        return elapsed_s

    def until_due_s(self) -> float:
        if self._last_s is None:
            return 0.0
        return max(0.0, self._due_s + self._frame_s - self._monotonic())

    def now_s(self) -> float:
        return self._monotonic() - self._start_s


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

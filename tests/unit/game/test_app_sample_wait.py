"""Issue 9 latency: with live tracking and the real (paced) clock, the game's loop waits for the tracker's samples
until the frame's deadline instead of sleeping through it, so a sample that arrives mid-frame reaches the game's
update before the next frame is drawn (not at the next frame's poll). Rendering stays once a frame on its grid; the
mouse and the keys are polled once a frame as before, and a source that no longer blocks does not spin the loop.

Driven by a simulated monotonic clock: time moves only when the game sleeps or waits, so the assertions are on the
order of calls and on the simulated time, never on wall time.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from game.app import STEP_S, App
from game.frame_clock import RealFrameClock
from game.input_source import InputSource
from game.mouse_input import MouseInput
from game.scenes.base import BaseScene, GameContext
from game.scenes.routes import AppExit, Route
from game.theme import BACKGROUND
from game.tracking_input import TrackingInput
from levels.events import InputEvent, TrackedFrame
from tests.support.game_contexts import reach_context
from tests.support.game_inputs import FakeTracker, sample
from tracking.calibration import ReachRange
from tracking.types import TrackedSample

FRAME_S = 1.0 / 60.0
SIZE_PX = (320, 180)
REACH = ReachRange(0.1, 0.9, 0.1, 0.9)


class FakeTime:
    """A monotonic clock that moves only when the game sleeps or waits for samples."""

    def __init__(self) -> None:
        self.now_s = 100.0
        self.sleeps_s: list[float] = []

    def monotonic(self) -> float:
        return self.now_s

    def sleep(self, seconds: float) -> None:
        self.sleeps_s.append(seconds)
        self.now_s += seconds


class ScheduledTracker(FakeTracker):
    """Samples that become ready at given times of the fake clock; waiting moves the clock to the next one (or by
    the whole timeout when none comes in time), like ``LiveTracker.wait_for_samples``. An ended tracker's wait
    returns at once, as the real one does."""

    def __init__(self, time: FakeTime) -> None:
        super().__init__()
        self.time = time
        self.scheduled: list[tuple[float, TrackedSample]] = []
        self.waits_s: list[float] = []

    def wait_for_samples(self, timeout_s: float) -> bool:
        self.waits_s.append(timeout_s)
        if self.ended or self._ready():
            return True
        arrivals = [at_s for at_s, _ in self.scheduled if at_s <= self.time.now_s + timeout_s]
        if not arrivals:
            self.time.now_s += timeout_s
            return False
        self.time.now_s = min(arrivals)
        return True

    def poll(self) -> list[TrackedSample]:
        ready = self._ready()
        self.scheduled = [(at_s, s) for at_s, s in self.scheduled if at_s > self.time.now_s]
        return [s for _, s in ready]

    def _ready(self) -> list[tuple[float, TrackedSample]]:
        return [(at_s, s) for at_s, s in self.scheduled if at_s <= self.time.now_s]


class LoggingScene(BaseScene):
    """Logs each update (its tracked samples, the fake time) and each draw, in order."""

    name = "logging"

    def __init__(self, time: FakeTime) -> None:
        self.time = time
        self.log: list[tuple[str, float, int]] = []  # ("update" | "draw", fake time, tracked samples in it)

    def update(self, events: list[InputEvent], dt_s: float) -> Route | AppExit | None:
        tracked = sum(isinstance(event, TrackedFrame) for event in events)
        self.log.append(("update", self.time.now_s, tracked))
        return None

    def draw(self, surface: pygame.Surface) -> None:
        self.log.append(("draw", self.time.now_s, 0))
        surface.fill(BACKGROUND)


@pytest.fixture
def window() -> Iterator[pygame.Surface]:
    pygame.init()
    yield pygame.display.set_mode(SIZE_PX)
    pygame.quit()


def _app(window: pygame.Surface, tmp_path: Path, time: FakeTime, source: InputSource) -> tuple[App, LoggingScene]:
    context: GameContext = reach_context(tmp_path, SIZE_PX, source)
    scene = LoggingScene(time)
    clock = RealFrameClock(60, monotonic=time.monotonic, sleep=time.sleep)
    return App(window, context, scene, clock), scene


def test_a_sample_arriving_mid_frame_is_updated_before_the_next_frame_is_drawn(
    window: pygame.Surface, tmp_path: Path
) -> None:
    time = FakeTime()
    tracker = ScheduledTracker(time)
    app, scene = _app(window, tmp_path, time, TrackingInput(tracker, reach=REACH))
    app.frame([])  # the first frame starts the grid at 100.0
    first_draw_s = time.now_s
    arrives_s = first_draw_s + 0.005  # 5 ms into the next frame
    tracker.scheduled.append((arrives_s, sample(0.0, (0.5, 0.5))))
    app.frame([])
    app.frame([])

    draws = [at_s for kind, at_s, _ in scene.log if kind == "draw"]
    assert draws == pytest.approx([first_draw_s, first_draw_s + FRAME_S, first_draw_s + 2 * FRAME_S])  # the 60 fps grid
    with_sample = [(i, at_s) for i, (kind, at_s, tracked) in enumerate(scene.log) if kind == "update" and tracked]
    assert len(with_sample) == 1  # delivered once
    index, updated_s = with_sample[0]
    second_draw = [i for i, (kind, _, _) in enumerate(scene.log) if kind == "draw"][1]
    assert index < second_draw  # the game saw the sample before the frame after its arrival was drawn
    assert arrives_s <= updated_s < draws[1]  # at the first step boundary after it came, before the deadline
    assert updated_s <= arrives_s + STEP_S + 1e-9


def test_early_updates_keep_the_step_count_of_the_clock(window: pygame.Surface, tmp_path: Path) -> None:
    """Updates run early, not more often: 2 steps of 1/120 s per 1/60 s frame, samples or not."""
    time = FakeTime()
    tracker = ScheduledTracker(time)
    app, scene = _app(window, tmp_path, time, TrackingInput(tracker, reach=REACH))
    app.frame([])
    start_s = time.now_s
    for i in range(30):  # a sample every 40 ms (25 fps), at odd moments of the frames
        tracker.scheduled.append((start_s + 0.003 + i * 0.040, sample(i * 0.040, (0.5, 0.5))))
    for _ in range(60):
        app.frame([])
    updates = [entry for entry in scene.log if entry[0] == "update"]
    assert len(updates) in (119, 120, 121)  # 60 frames of 1/60 s (within a step of float rounding)
    assert sum(tracked for _, _, tracked in updates) == 25  # those that arrived within the 1 s played
    assert len([entry for entry in scene.log if entry[0] == "draw"]) == 61
    assert all(at_s < start_s + 1.0 + 1e-9 for _, at_s, _ in updates)  # never ahead of the clock


def test_the_mouse_is_polled_once_a_frame_and_the_clock_sleeps_once_a_frame(
    window: pygame.Surface, tmp_path: Path
) -> None:
    """A mouse/keys session is as before: no waiting on samples, one pacing sleep per frame (no busy loop)."""
    time = FakeTime()
    app, scene = _app(window, tmp_path, time, MouseInput(SIZE_PX))
    for _ in range(11):
        app.frame([])
    assert time.sleeps_s == pytest.approx([FRAME_S] * 10)
    kinds = [kind for kind, _, _ in scene.log]
    assert kinds.count("draw") == 11 and kinds.count("update") in (19, 20)  # within a step of float rounding


def test_an_ended_source_does_not_spin_the_loop(window: pygame.Surface, tmp_path: Path) -> None:
    """An ended tracker's wait returns at once without samples: the loop then sleeps the rest of the frame."""
    time = FakeTime()
    tracker = ScheduledTracker(time)
    app, scene = _app(window, tmp_path, time, TrackingInput(tracker, reach=REACH))
    app.frame([])
    tracker.ended = True
    for _ in range(10):
        app.frame([])
    assert len(tracker.waits_s) == 10  # one wait a frame, not a spin
    assert time.sleeps_s == pytest.approx([FRAME_S] * 10)
    assert len([entry for entry in scene.log if entry[0] == "update"]) in (19, 20, 21)

"""Display frames (issue 9): frames are due on a 1/60 s grid (not whole milliseconds), and while the game runs a
thread holding the GIL (the tracker's) gives it up to the game's loop within half a millisecond."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from game.app import RENDER_SWITCH_INTERVAL_S, App
from game.frame_clock import RealFrameClock, SimulatedFrameClock
from game.scenes.base import BaseScene, GameContext
from game.scenes.routes import EXIT, AppExit, Route
from game.theme import BACKGROUND
from levels.events import InputEvent
from tests.support.game_contexts import mouse_context_in_window

FRAME_S = 1.0 / 60.0
SIZE_PX = (320, 180)


class FakeTime:
    """A monotonic clock that only moves when the game works (:meth:`work`) or sleeps."""

    def __init__(self) -> None:
        self.now_s = 100.0
        self.sleeps_s: list[float] = []

    def monotonic(self) -> float:
        return self.now_s

    def sleep(self, seconds: float) -> None:
        self.sleeps_s.append(seconds)
        self.now_s += seconds

    def work(self, seconds: float) -> None:
        self.now_s += seconds


def test_frames_are_due_every_sixtieth_of_a_second_not_every_whole_millisecond() -> None:
    fake = FakeTime()
    clock = RealFrameClock(60, monotonic=fake.monotonic, sleep=fake.sleep)
    assert clock.tick() == 0.0  # the first frame starts the grid
    intervals_s = []
    for _ in range(60):
        fake.work(0.004)  # update and render
        intervals_s.append(clock.tick())
    assert intervals_s == pytest.approx([FRAME_S] * 60, abs=1e-9)  # pygame's Clock.tick(60): 16 or 17 ms
    assert fake.sleeps_s[0] == pytest.approx(FRAME_S - 0.004)


def test_a_late_frame_is_made_up_and_a_stall_restarts_the_grid() -> None:
    fake = FakeTime()
    clock = RealFrameClock(60, monotonic=fake.monotonic, sleep=fake.sleep)
    clock.tick()
    fake.work(FRAME_S + 0.003)  # 3 ms late
    assert clock.tick() == pytest.approx(FRAME_S + 0.003)
    fake.work(0.002)
    assert clock.tick() == pytest.approx(FRAME_S - 0.003)  # the next one comes on time: back on the grid
    fake.work(0.5)  # a stall: the game does not race to catch up on 30 frames
    assert clock.tick() == pytest.approx(0.5)
    fake.work(0.001)
    assert clock.tick() == pytest.approx(FRAME_S)


def test_now_counts_from_the_commands_start() -> None:
    fake = FakeTime()
    clock = RealFrameClock(60, started_s=fake.now_s - 2.0, monotonic=fake.monotonic, sleep=fake.sleep)
    assert clock.now_s() == pytest.approx(2.0)


class SwitchIntervalScene(BaseScene):
    """Notes the interpreter's switch interval while the game runs, then ends the game."""

    name = "probe"

    def __init__(self) -> None:
        self.seen_s: list[float] = []

    def update(self, events: list[InputEvent], dt_s: float) -> Route | AppExit | None:
        self.seen_s.append(sys.getswitchinterval())
        return EXIT

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(BACKGROUND)


@pytest.fixture
def context(tmp_path: Path) -> Iterator[GameContext]:
    with mouse_context_in_window(tmp_path, SIZE_PX) as context:
        yield context


def test_other_threads_give_the_gil_up_quickly_while_the_game_runs(context: GameContext) -> None:
    before_s = sys.getswitchinterval()
    assert before_s > RENDER_SWITCH_INTERVAL_S  # CPython's 5 ms
    scene = SwitchIntervalScene()
    App(pygame.display.get_surface(), context, scene, SimulatedFrameClock(60)).run(max_frames=5)
    assert scene.seen_s == [RENDER_SWITCH_INTERVAL_S]
    assert sys.getswitchinterval() == before_s  # given back when the game ends

"""The game loop: fixed time steps from an accumulator with a cap, events delivered once, scene changes,
screenshots, and the time limit. Driven headless for N frames with synthetic pygame events."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from game.app import MAX_FRAME_S, STEP_S, App, FrameTimes
from game.frame_clock import SimulatedFrameClock
from game.scenes.base import BaseScene, GameContext
from game.scenes.level import LevelScene
from game.scenes.menu import MenuScene
from game.scenes.routes import AppExit, Route, ToMenu
from game.screenshots import ScreenshotRecorder
from game.theme import BACKGROUND
from levels.events import CursorMoved, HeadPose, InputEvent
from levels.head.rules import screen_to_head
from tests.support.game_contexts import mouse_context_in_window

SIZE_PX = (640, 360)


class RecordingScene(BaseScene):
    """Records every update; returns ``then`` (a route, or the exit) after ``switch_after`` updates."""

    def __init__(self, name: str, *, switch_after: int | None = None, then: Route | AppExit | None = None) -> None:
        self.name = name
        self.updates: list[tuple[list[InputEvent], float]] = []
        self.shown = self.hidden = 0
        self.switch_after = switch_after
        self.then = then

    def on_show(self) -> None:
        self.shown += 1

    def on_hide(self) -> None:
        self.hidden += 1

    def update(self, events: list[InputEvent], dt_s: float) -> Route | AppExit | None:
        self.updates.append((events, dt_s))
        if self.switch_after is not None and len(self.updates) >= self.switch_after:
            return self.then
        return None

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(BACKGROUND)


class StallClock(SimulatedFrameClock):
    """Every frame takes one whole second (a stalled machine)."""

    def tick(self) -> float:
        super().tick()
        return 1.0


@pytest.fixture
def context(tmp_path: Path) -> Iterator[GameContext]:
    with mouse_context_in_window(tmp_path, SIZE_PX) as context:
        yield context


def test_two_fixed_steps_per_60fps_frame_and_events_once(context: GameContext) -> None:
    scene = RecordingScene("a")
    app = App(pygame.display.get_surface(), context, scene, SimulatedFrameClock(60))
    motion = pygame.event.Event(pygame.MOUSEMOTION, pos=(320, 90), rel=(0, 0), buttons=(0, 0, 0))
    app.frame([motion])
    for _ in range(9):
        app.frame([])
    # 10 frames of 1/60 s are 20 steps of 1/120 s (within one step of float rounding in the accumulator).
    assert len(scene.updates) in (19, 20)
    assert all(dt_s == STEP_S for _, dt_s in scene.updates)
    delivered = [event for events, _ in scene.updates for event in events]
    # One motion is the cursor and the simulated head that the mouse also moves (game/mouse_input.py), once each.
    assert [type(event) for event in delivered] == [CursorMoved, HeadPose]
    cursor, head = delivered
    assert isinstance(cursor, CursorMoved) and isinstance(head, HeadPose)
    assert (cursor.x_norm, cursor.y_norm) == (0.5, 0.25)
    assert head.angles == screen_to_head((0.5, 0.25)) and head.angles.pitch_deg > 0.0  # above the middle: chin up


def test_a_stall_is_capped(context: GameContext) -> None:
    scene = RecordingScene("a")
    app = App(pygame.display.get_surface(), context, scene, StallClock(60))
    app.frame([])
    assert len(scene.updates) == round(MAX_FRAME_S / STEP_S)  # 30 steps, not 120


def test_scene_switch_calls_hooks_and_exit_ends(context: GameContext, tmp_path: Path) -> None:
    last = RecordingScene("b", switch_after=6, then=AppExit(3))
    first = RecordingScene("a", switch_after=4, then=ToMenu(notice="b"))  # two frames of "a", then three of "b"
    routes: list[Route] = []

    def router(route: Route) -> RecordingScene:
        routes.append(route)
        return last

    screenshots = ScreenshotRecorder(tmp_path / "shots", interval_s=0.01)
    times = FrameTimes()
    app = App(
        pygame.display.get_surface(),
        context,
        first,
        SimulatedFrameClock(60),
        screenshots=screenshots,
        frame_times=times,
        router=router,
    )
    assert app.run(max_frames=100) == 3
    assert app.scene_history == ["a", "b"] and routes == [ToMenu(notice="b")]  # the route was built once
    assert (first.shown, first.hidden, last.shown) == (1, 1, 1)
    names = [path.name.split("_")[1] for path in screenshots.saved]
    assert all(path.is_file() and path.stat().st_size > 0 for path in screenshots.saved)
    # One a frame (0.01 s is shorter than a 1/60 s frame), in scene order.
    assert names[0] == "a" and names[-1] == "b" and names == sorted(names)
    assert len(names) == len(times.update_render_ms)
    assert 4 <= len(times.update_render_ms) <= 6 and all(ms >= 0 for ms in times.update_render_ms)


def test_time_limit_stops_with_exit_zero(context: GameContext) -> None:
    scene = RecordingScene("a")
    app = App(pygame.display.get_surface(), context, scene, SimulatedFrameClock(60), max_seconds=1.0)
    assert app.run() == 0
    assert len(scene.updates) == pytest.approx(120, abs=2)


def test_posted_events_drive_menu_to_level_and_quit(context: GameContext) -> None:
    """Real pygame event queue: Space on the menu starts the level; Q in the level ends the game."""
    app = App(pygame.display.get_surface(), context, MenuScene(context), SimulatedFrameClock(60))
    pygame.event.clear()
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_SPACE, mod=0, unicode=" ", scancode=44))
    app.run(max_frames=3)
    assert isinstance(app.scene, LevelScene)
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=(100, 100), rel=(0, 0), buttons=(0, 0, 0)))
    app.run(max_frames=2)
    assert app.scene.state.cursor == pytest.approx((100 / 640, 100 / 360))  # type: ignore[attr-defined]
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_q, mod=0, unicode="q", scancode=20))
    assert app.run(max_frames=10) == 0
    assert app.exit_code == 0 and app.scene_history == ["menu", "level"]

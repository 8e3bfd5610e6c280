"""The session's own screens and buttons, stepped directly: the rest between sets, the dwell overlay (held,
clicked, pressed once while held), and the menu's Calibrate and Quit buttons."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pygame
import pytest

from game.app import STEP_S
from game.input_source import InputSource
from game.mouse_input import MouseInput
from game.scenes.base import BaseScene, GameContext, Scene
from game.scenes.buttons import BUTTON_DWELL_S
from game.scenes.controls import DwellOverlay, OverlayButton
from game.scenes.menu import CALIBRATE_BUTTON_NORM, QUIT_BUTTON_NORM, MenuScene
from game.scenes.rest import GO_ON_BUTTON_NORM, STOP_BUTTON_NORM, RestScene
from game.scenes.routes import EXIT, AppExit, Route, ToCalibration, ToLevel, ToStopped
from game.theme import Theme
from game.tracking_input import TrackingInput
from levels.events import Command, CommandIssued, CursorMoved, InputEvent
from tests.support.game_contexts import reach_context
from tests.support.game_inputs import FakeTracker
from tracking.calibration import ReachRange

SIZE_PX = (1280, 720)


@pytest.fixture(autouse=True)
def _display() -> Iterator[None]:
    pygame.init()
    pygame.display.set_mode(SIZE_PX)
    yield
    pygame.quit()


def context(tmp_path: Path, source: InputSource | None = None) -> GameContext:
    return reach_context(tmp_path, SIZE_PX, source or MouseInput(SIZE_PX))


def at(button: tuple[float, float, float, float]) -> CursorMoved:
    return CursorMoved(0.0, button[0], button[1])


def drive(scene: Scene, seconds: float, events: Sequence[InputEvent] = ()) -> tuple[Route | AppExit | None, float]:
    """Step ``scene`` up to ``seconds`` (``events`` on the first step): its first route and when it came.

    A pointer in ``events`` comes from a corner off every button (a hold counts only on a button moved onto).
    """
    if any(isinstance(event, CursorMoved) for event in events):
        scene.update([CursorMoved(0.0, 0.01, 0.99)], 0.0)
    pending = list(events)
    for step in range(round(seconds / STEP_S)):
        route = scene.update(pending, STEP_S)
        pending = []
        if route is not None:
            return route, (step + 1) * STEP_S
    return None, seconds


def test_the_rest_goes_on_by_itself_after_its_time(tmp_path: Path) -> None:
    route, when_s = drive(RestScene(context(tmp_path), sets_done=1, sets=3, rest_s=4.0), 10.0)
    assert route == ToLevel() and when_s == pytest.approx(4.0, abs=STEP_S)


def test_the_rest_buttons_go_on_sooner_or_stop(tmp_path: Path) -> None:
    rest = RestScene(context(tmp_path), sets_done=1, sets=3, rest_s=30.0)
    route, when_s = drive(rest, 10.0, [at(GO_ON_BUTTON_NORM)])
    assert route == ToLevel() and when_s == pytest.approx(BUTTON_DWELL_S, abs=STEP_S)
    rest = RestScene(context(tmp_path), sets_done=1, sets=3, rest_s=30.0)
    assert drive(rest, 10.0, [at(STOP_BUTTON_NORM)])[0] == ToStopped()
    rest = RestScene(context(tmp_path), sets_done=1, sets=3, rest_s=30.0)
    click = CommandIssued(0.0, Command.CONFIRM)
    assert drive(rest, 1.0, [at(STOP_BUTTON_NORM), click])[0] == ToStopped()  # a click on Stop is Stop


class Recorder(BaseScene):
    name = "inner"

    def __init__(self) -> None:
        self.commands: list[Command] = []

    def update(self, events: list[InputEvent], dt_s: float) -> Route | AppExit | None:
        self.commands += [e.command for e in events if isinstance(e, CommandIssued)]
        return None

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill((0, 0, 0))


BUTTON = (0.5, 0.5, 0.2, 0.1)


def overlay(inner: Recorder, action: Command | Route | AppExit) -> DwellOverlay:
    return DwellOverlay(inner, [OverlayButton(BUTTON, lambda: "Button", lambda: action)], Theme.for_height(720))


def test_a_held_button_is_pressed_once_until_the_pointer_leaves_it() -> None:
    inner = Recorder()
    scene = overlay(inner, Command.PAUSE)
    assert scene.name == "inner"
    drive(scene, BUTTON_DWELL_S * 3.5, [at(BUTTON)])
    assert inner.commands == [Command.PAUSE]  # held 3.5 dwell times: pressed once
    drive(scene, 0.1, [CursorMoved(0.0, 0.1, 0.1)])  # left
    drive(scene, BUTTON_DWELL_S + 0.1, [at(BUTTON)])  # and held again
    assert inner.commands == [Command.PAUSE, Command.PAUSE]


def test_a_click_on_a_button_presses_it_and_is_not_passed_on() -> None:
    inner = Recorder()
    route, _ = drive(overlay(inner, ToStopped()), 0.1, [at(BUTTON), CommandIssued(0.0, Command.CONFIRM)])
    assert route == ToStopped() and inner.commands == []
    inner = Recorder()
    drive(overlay(inner, ToStopped()), 0.1, [CursorMoved(0.0, 0.9, 0.9), CommandIssued(0.0, Command.CONFIRM)])
    assert inner.commands == [Command.CONFIRM]  # a click elsewhere is the scene's


def test_the_menu_quit_button(tmp_path: Path) -> None:
    route, when_s = drive(MenuScene(context(tmp_path)), 5.0, [at(QUIT_BUTTON_NORM)])
    assert route == EXIT and when_s == pytest.approx(BUTTON_DWELL_S, abs=STEP_S)


def test_the_menu_calibrate_button_with_the_camera_only(tmp_path: Path) -> None:
    source = TrackingInput(FakeTracker(), reach=ReachRange.whole_image())
    route, _ = drive(MenuScene(context(tmp_path, source)), 5.0, [at(CALIBRATE_BUTTON_NORM)])
    assert isinstance(route, ToCalibration) and route.then == ToLevel()
    route, _ = drive(MenuScene(context(tmp_path)), 5.0, [at(CALIBRATE_BUTTON_NORM)])  # the mouse: no button
    assert route is None

"""No keyboard needed from the start of a session to its end: the screens that only had keys (no camera, the
calibration's outcome, the menu once the camera stopped, the results once it stopped) are driven here with
pointer events only - the hand's cursor or the mouse - and every choice is reached."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pygame
import pytest

from game.input_source import KeysOnlyInput
from game.mouse_input import MouseInput
from game.scenes.base import GameContext, Scene
from game.scenes.buttons import BUTTON_DWELL_S
from game.scenes.calibration import CalibrationScene
from game.scenes.calibration_outcome import Phase
from game.scenes.controls import MOUSE_BUTTON_NORM
from game.scenes.menu import CALIBRATE_BUTTON_NORM, MenuScene
from game.scenes.no_camera import NoCameraScene
from game.scenes.routes import EXIT, AppExit, Route, ToLevel, ToMenu, ToResults
from game.session_flow import SessionFlow
from game.session_results import SessionJournal
from game.tracking_input import TrackingInput, TrackingOpener
from levels.events import CursorMoved, InputEvent, SourceEnded
from tests.support.game_contexts import reach_context
from tests.support.game_inputs import FakeTracker
from tracking.calibration import ReachRange
from tracking.live import SourceSpec
from tracking.types import Effector

SIZE_PX = (1280, 720)
STEP_S = 1.0 / 120.0
Button = tuple[float, float, float, float]


@pytest.fixture(autouse=True)
def _display() -> Iterator[None]:
    pygame.init()
    pygame.display.set_mode(SIZE_PX)
    yield
    pygame.quit()


def camera_context(tmp_path: Path, *, path: Path | None = None) -> tuple[GameContext, FakeTracker]:
    tracker = FakeTracker()
    source = TrackingInput(tracker, reach=ReachRange.whole_image())
    context = reach_context(tmp_path, SIZE_PX, source)
    context.tracking = TrackingOpener(
        spec=SourceSpec(camera_index=None if path else 0, path=path),
        models=context.models,
        clock=lambda: 0.0,
        required=frozenset({Effector.HAND}),
    )
    return context, tracker


def hold(scene: Scene, button: Button, seconds: float = BUTTON_DWELL_S + 0.05) -> Route | AppExit | None:
    """Move the pointer from a corner (off every button: a hold counts only on a button moved onto) onto ``button``
    and keep it there: no key, no click."""
    scene.update([CursorMoved(0.0, 0.01, 0.99)], STEP_S)
    pending: Sequence[InputEvent] = [CursorMoved(0.0, button[0], button[1])]
    for _ in range(round(seconds / STEP_S)):
        result = scene.update(list(pending), STEP_S)
        pending = []
        if result is not None:
            return result
    return None


def mouse_motion(x_norm: float, y_norm: float) -> pygame.event.Event:
    pos = (round(x_norm * SIZE_PX[0]), round(y_norm * SIZE_PX[1]))
    return pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0))


def test_no_camera_mouse_and_quit_are_buttons_held_with_the_pointer(tmp_path: Path) -> None:
    context, _ = camera_context(tmp_path)
    context.input_source = KeysOnlyInput(SIZE_PX)  # what the game has while no camera is open
    scene = NoCameraScene(context, "No camera found at index 0.")
    mouse_button, quit_button = scene.buttons
    # The real path: a pygame mouse motion, through the keys-only input, becomes the pointer.
    events = context.input_source.poll([mouse_motion(*mouse_button[:2])], 0.0)
    assert any(isinstance(event, CursorMoved) for event in events)
    scene.update(events, STEP_S)
    assert hold(scene, mouse_button, BUTTON_DWELL_S / 2) is None  # half the hold: not yet
    scene.draw(pygame.display.get_surface())
    pygame.image.save(pygame.display.get_surface(), str(tmp_path / "no_camera.png"))
    assert hold(scene, mouse_button) == ToMenu() and isinstance(context.input_source, MouseInput)
    assert hold(NoCameraScene(context, "x"), quit_button) is EXIT


def ended_calibration(tmp_path: Path, *, path: Path | None = None) -> tuple[GameContext, CalibrationScene]:
    context, tracker = camera_context(tmp_path, path=path)
    scene = CalibrationScene(context, then=ToLevel())
    tracker.ended, tracker.error = True, "Tracking stopped: the camera stopped delivering images."
    scene.update([SourceEnded(0.0, tracker.error)], STEP_S)
    assert scene.outcome is not None and scene.outcome.phase is Phase.ENDED
    return context, scene


def test_the_calibration_outcome_choices_are_buttons(tmp_path: Path) -> None:
    context, scene = ended_calibration(tmp_path)  # the camera stopped: try it again, the mouse, or quit
    labels = [choice.label for choice in scene.screen.choices()]
    assert labels == ["Try the camera", "Use the mouse"]
    buttons = scene.screen.buttons(len(labels))
    scene.draw(pygame.display.get_surface())
    pygame.image.save(pygame.display.get_surface(), str(tmp_path / "calibration_camera_stopped.png"))
    assert hold(scene, buttons[1]) == ToMenu() and isinstance(context.input_source, MouseInput)
    _, scene = ended_calibration(tmp_path)
    assert hold(scene, buttons[2]) is EXIT  # Quit
    video = tmp_path / "hand.mp4"
    _, scene = ended_calibration(tmp_path, path=video)  # a file ended: play now, calibrate again, quit
    labels = [choice.label for choice in scene.screen.choices()]
    assert labels == ["Play now", "Calibrate again"]
    route = hold(scene, scene.screen.buttons(2)[0])
    assert route is not None and not isinstance(route, AppExit)


def test_the_menu_offers_the_mouse_as_a_button_once_the_camera_stopped(tmp_path: Path) -> None:
    context, tracker = camera_context(tmp_path)
    tracker.ended, tracker.error = True, "Tracking stopped: the camera stopped delivering images."
    assert hold(MenuScene(context), CALIBRATE_BUTTON_NORM) == ToMenu()
    assert isinstance(context.input_source, MouseInput)


def test_the_results_offer_the_mouse_as_a_button_once_the_camera_stopped(tmp_path: Path) -> None:
    context, tracker = camera_context(tmp_path)
    journal = SessionJournal("anna")
    flow = SessionFlow(context, (context.level,), journal)
    level = flow.route(ToLevel())
    level.update([SourceEnded(0.0, "Tracking stopped.")], STEP_S)  # the level ends at once: its results
    tracker.ended, tracker.error = True, "Tracking stopped: the camera stopped delivering images."
    route = level.update([], STEP_S)
    assert isinstance(route, ToResults)
    results = flow.route(route)
    results.draw(pygame.display.get_surface())
    pygame.image.save(pygame.display.get_surface(), str(tmp_path / "results_camera_stopped.png"))
    assert hold(results, MOUSE_BUTTON_NORM) == ToMenu() and isinstance(context.input_source, MouseInput)

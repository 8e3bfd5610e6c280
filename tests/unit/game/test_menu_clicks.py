"""The menu answers a mouse click where the pointer is: a click on a level's button plays that level, Space still
starts the plan, a click on nothing starts nothing. Real pygame events go through the game's mouse input."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from game.input_source import KeysOnlyInput
from game.mouse_input import MouseInput
from game.scenes.menu import QUIT_BUTTON_NORM, START_BUTTON_NORM, MenuScene
from game.scenes.routes import EXIT, ToChosenLevel, ToLevel
from levels.events import Clicked, Command, InputEvent
from tests.support.game_contexts import reach_context
from tests.support.mouse_clicks import click_events, loadable_catalogue

SIZE_PX = (1280, 720)
STEP_S = 1.0 / 60.0


@pytest.fixture(autouse=True)
def surface() -> Iterator[pygame.Surface]:
    pygame.init()
    yield pygame.display.set_mode(SIZE_PX)
    pygame.quit()


def menu(tmp_path: Path) -> tuple[MenuScene, MouseInput]:
    source = MouseInput(SIZE_PX)
    context = reach_context(tmp_path, SIZE_PX, source)
    return MenuScene(context, plan=(context.level,), choices=loadable_catalogue()), source


def pixels(point_norm: tuple[float, ...]) -> tuple[int, int]:
    return round(point_norm[0] * SIZE_PX[0]), round(point_norm[1] * SIZE_PX[1])


def key(code: int) -> pygame.event.Event:
    return pygame.event.Event(pygame.KEYDOWN, key=code, mod=0, unicode="", scancode=0)


def motion(point_norm: tuple[float, ...]) -> pygame.event.Event:
    return pygame.event.Event(pygame.MOUSEMOTION, pos=pixels(point_norm), rel=(0, 0), buttons=(0, 0, 0))


def step(scene: MenuScene, source: MouseInput, pygame_events: list[pygame.event.Event], now_s: float = 0.5) -> object:
    events: list[InputEvent] = source.poll(pygame_events, now_s)
    return scene.update(events, STEP_S)


def test_a_click_on_the_second_level_plays_that_level(tmp_path: Path) -> None:
    scene, source = menu(tmp_path)
    second = scene.choice_buttons()[1]
    route = step(scene, source, click_events(pixels(second)))  # no hold, no move onto it first: a click
    assert isinstance(route, ToChosenLevel) and route.name == scene.pages()[0][1].name
    assert route.name != scene.context.level.name  # not the plan


def test_space_starts_the_plan_with_the_pointer_on_a_level(tmp_path: Path) -> None:
    scene, source = menu(tmp_path)
    second = scene.choice_buttons()[1]
    assert step(scene, source, [motion(second)]) is None
    assert step(scene, source, [key(pygame.K_SPACE)]) == ToLevel()


def test_a_click_presses_start_or_quit_and_a_click_on_nothing_starts_nothing(tmp_path: Path) -> None:
    scene, source = menu(tmp_path)
    assert step(scene, source, click_events((5, SIZE_PX[1] - 5))) is None  # a corner: no button there
    assert step(scene, source, click_events(pixels(START_BUTTON_NORM))) == ToLevel()
    scene, source = menu(tmp_path)
    assert step(scene, source, click_events(pixels(QUIT_BUTTON_NORM))) == EXIT


def test_a_click_is_a_confirm_with_its_place_before_a_source_opens(tmp_path: Path) -> None:
    events = KeysOnlyInput(SIZE_PX).poll(click_events((320, 540)), 1.5)
    assert events == [Clicked(1.5, Command.CONFIRM, x_norm=0.25, y_norm=0.75)]


def test_the_digits_t_and_backspace_are_typed(tmp_path: Path) -> None:
    from levels.events import CommandIssued, DigitTyped

    source = MouseInput(SIZE_PX)
    events = source.poll([key(pygame.K_t), key(pygame.K_4), key(pygame.K_KP7), key(pygame.K_BACKSPACE)], 2.0)
    assert events == [
        CommandIssued(2.0, Command.THERAPIST),
        DigitTyped(2.0, "4"),
        DigitTyped(2.0, "7"),
        CommandIssued(2.0, Command.ERASE),
    ]

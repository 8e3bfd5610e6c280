"""The window: the game's fixed logical surface shown scaled (letterbox) in a window of another size, fitted to a
small laptop's desktop, with mouse positions mapped back; F11 toggles fullscreen, N mutes the sounds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from clinic.calibration_store import CalibrationStore
from game.app import App
from game.display import DESKTOP_MARGIN_PX, Display, fit_window, letterbox
from game.frame_clock import SimulatedFrameClock
from game.mouse_input import MouseInput
from game.scenes.base import GameContext
from game.scenes.buttons import BUTTON_DWELL_S
from game.scenes.menu import START_BUTTON_NORM, MenuScene
from game.scenes.routes import ToLevel
from game.sound import SoundPlayer
from game.theme import BACKGROUND, CURSOR, Theme
from levels.loader import load_level
from tests.support.game_contexts import reach_context

LOGICAL_PX = (1280, 720)
WINDOW_PX = (1000, 700)  # another size and aspect: bars above and below


def test_a_1366x768_laptop_shows_the_whole_window_with_its_title_bar() -> None:
    width, height = fit_window(LOGICAL_PX, (1366, 768))
    assert width + DESKTOP_MARGIN_PX[0] <= 1366 and height + DESKTOP_MARGIN_PX[1] <= 768
    assert width / height == pytest.approx(16 / 9, rel=0.01)
    assert fit_window(LOGICAL_PX, (1920, 1080)) == LOGICAL_PX  # a large screen: the game's own size


def test_letterbox_keeps_the_aspect_and_centres() -> None:
    shown = letterbox(LOGICAL_PX, WINDOW_PX)
    assert shown.width == 1000 and shown.height == round(720 * 1000 / 1280)
    assert shown.centery == 350 and shown.x == 0


@pytest.fixture
def display() -> Iterator[Display]:
    pygame.init()
    yield Display(LOGICAL_PX, WINDOW_PX)
    pygame.quit()


def test_the_logical_surface_is_scaled_into_the_window(display: Display) -> None:
    display.surface.fill(BACKGROUND)
    pygame.draw.rect(display.surface, CURSOR, pygame.Rect(1180, 620, 100, 100))  # bottom right corner
    display.present()
    window = pygame.display.get_surface()
    assert window.get_size() == WINDOW_PX
    shown = display.shown

    def near(point: tuple[int, int], colour: tuple[int, int, int]) -> bool:  # smoothscale blends a little
        return all(abs(a - b) <= 6 for a, b in zip(window.get_at(point)[:3], colour, strict=True))

    assert near((shown.right - 5, shown.bottom - 5), CURSOR)
    assert near((shown.x + 5, shown.y + 5), BACKGROUND)
    assert shown.y > 0 and near((500, shown.y // 2), BACKGROUND)  # the bar above
    assert display.to_logical((shown.right - 5, shown.bottom - 5))[0] > 1180


def test_the_mouse_presses_start_through_the_scaling(display: Display, tmp_path: Path) -> None:
    context = reach_context(tmp_path, LOGICAL_PX, MouseInput(LOGICAL_PX))
    menu = MenuScene(context)
    routes: list[object] = []

    def router(route: object) -> MenuScene:
        routes.append(route)
        return MenuScene(context)

    app = App(display.surface, context, menu, SimulatedFrameClock(60), display=display, router=router)
    shown = display.shown
    cx, cy = START_BUTTON_NORM[:2]
    window_pos = (round(shown.x + cx * shown.width), round(shown.y + cy * shown.height))
    motion = pygame.event.Event(pygame.MOUSEMOTION, pos=window_pos, rel=(0, 0), buttons=(0, 0, 0))
    corner = pygame.event.Event(pygame.MOUSEMOTION, pos=(shown.x + 2, shown.bottom - 2), rel=(0, 0), buttons=(0, 0, 0))
    app.frame([corner])  # a hold counts only on a button moved onto from off it
    app.frame([motion])
    assert menu.cursor == pytest.approx((cx, cy), abs=0.002)
    for _ in range(round(BUTTON_DWELL_S * 60) + 2):
        app.frame([])
    assert routes and isinstance(routes[0], ToLevel)


def test_f11_toggles_fullscreen_and_n_mutes(display: Display, tmp_path: Path) -> None:
    context = GameContext(
        screen_size_px=LOGICAL_PX,
        theme=Theme.for_height(LOGICAL_PX[1]),
        level=load_level("reach"),
        patient="anna",
        store=CalibrationStore(tmp_path),
        input_source=MouseInput(LOGICAL_PX),
        sound=SoundPlayer.silent(),
    )
    app = App(display.surface, context, MenuScene(context), SimulatedFrameClock(60), display=display)
    app.frame([pygame.event.Event(pygame.KEYDOWN, key=pygame.K_F11, mod=0, unicode="", scancode=0)])
    assert display.fullscreen
    app.frame([pygame.event.Event(pygame.KEYDOWN, key=pygame.K_n, mod=0, unicode="n", scancode=0)])
    assert context.sound.muted
    app.frame([pygame.event.Event(pygame.KEYDOWN, key=pygame.K_F11, mod=0, unicode="", scancode=0)])
    assert not display.fullscreen and pygame.display.get_surface().get_size() == WINDOW_PX

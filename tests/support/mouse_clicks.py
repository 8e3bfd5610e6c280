"""Clicks of the mouse in scripted headless sessions: a :class:`MouseClock` that also posts left clicks (button down
and up) at window points when the game clock passes their time, and the menu's buttons as a session shows them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pygame

from clinic.calibration_store import CalibrationStore
from game.mouse_input import MouseInput
from game.scenes.base import GameContext
from game.scenes.menu import MenuScene
from game.session import DEFAULT_PATIENT, DEFAULT_WINDOW_PX
from game.theme import Theme
from levels.errors import LevelFileError
from levels.loader import list_levels, load_level
from levels.schema import LevelFile
from tests.support.game_flows import KeyPress
from tests.support.session_flows import MouseAt, MouseClock


@dataclass(frozen=True)
class ClickAt:
    """A left click at ``pos_norm`` (window fractions) when the game clock reaches ``at_s``."""

    at_s: float
    pos_norm: tuple[float, float]


def window_pos(pos_norm: tuple[float, float], fallback_px: tuple[int, int]) -> tuple[int, int]:
    """``pos_norm`` in pixels of the game's window (or of ``fallback_px`` when no window is open)."""
    window = pygame.display.get_surface()
    width_px, height_px = window.get_size() if window is not None else fallback_px
    return round(pos_norm[0] * width_px), round(pos_norm[1] * height_px)


def click_events(pos_px: tuple[int, int]) -> list[pygame.event.Event]:
    """The pygame events of one left click at ``pos_px``: the button pressed and released."""
    return [
        pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos_px, button=pygame.BUTTON_LEFT),
        pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos_px, button=pygame.BUTTON_LEFT),
    ]


class ClickClock(MouseClock):
    """A :class:`MouseClock` that also posts ``clicks``."""

    def __init__(
        self,
        clicks: Sequence[ClickAt] = (),
        *,
        moves: Sequence[MouseAt] = (),
        keys: Sequence[KeyPress] = (),
        window_px: tuple[int, int] = (1280, 720),
    ) -> None:
        super().__init__(moves, keys=keys, window_px=window_px)
        self._clicks = sorted(clicks, key=lambda click: click.at_s)
        self._window_px = window_px

    def tick(self) -> float:
        frame_s = super().tick()
        while self._clicks and self._clicks[0].at_s <= self.now_s():
            click = self._clicks.pop(0)
            for event in click_events(window_pos(click.pos_norm, self._window_px)):
                pygame.event.post(event)
        return frame_s


def loadable_catalogue() -> tuple[LevelFile, ...]:
    """The catalogue's levels that load, as the session offers them on the menu."""
    levels = []
    for name in list_levels():
        try:
            levels.append(load_level(name))
        except LevelFileError:
            continue
    return tuple(levels)


def session_menu(data_dir: Path, planned: Path) -> MenuScene:
    """The menu as a mouse session planned with the level file ``planned`` shows it (to know where its buttons are)."""
    pygame.init()  # the menu's fonts
    return MenuScene(
        GameContext(
            screen_size_px=DEFAULT_WINDOW_PX,
            theme=Theme.for_height(DEFAULT_WINDOW_PX[1]),
            level=load_level(planned),
            patient=DEFAULT_PATIENT,
            store=CalibrationStore(data_dir),
            input_source=MouseInput(DEFAULT_WINDOW_PX),
        ),
        plan=(load_level(planned),),
        choices=loadable_catalogue(),
    )

"""Shown when the camera cannot be opened: says so, and offers the mouse or quitting. It never fakes input."""

from __future__ import annotations

import pygame

from game.scenes import source_choices
from game.scenes.base import BaseScene, GameContext
from game.scenes.routes import EXIT, AppExit, Route
from game.texts import DISCLAIMER
from game.theme import BACKGROUND, NOTICE, TEXT, draw_footer, draw_text
from levels.events import Command, InputEvent, commands_in


class NoCameraScene(BaseScene):
    name = "no_camera"

    def __init__(self, context: GameContext, message: str) -> None:
        self.context = context
        self.message = message

    def update(self, events: list[InputEvent], dt_s: float) -> Route | AppExit | None:
        commands = commands_in(events)
        if Command.QUIT in commands or Command.PAUSE in commands:
            return EXIT
        if Command.USE_MOUSE in commands:
            return source_choices.use_mouse(self.context)
        return None

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.context.theme
        width, height = surface.get_size()
        surface.fill(BACKGROUND)
        y = draw_text(surface, "No camera found", theme.title, NOTICE, centre_x=width // 2, top_y=height // 10)
        y = draw_text(
            surface,
            self.message,
            theme.body,
            TEXT,
            centre_x=width // 2,
            top_y=y + height // 30,
            width_px=int(width * 0.8),
        )
        draw_text(
            surface,
            "Press M to play with the mouse instead.\nPress Q to quit.",
            theme.heading,
            TEXT,
            centre_x=width // 2,
            top_y=y + height // 15,
        )
        draw_footer(surface, theme, DISCLAIMER)

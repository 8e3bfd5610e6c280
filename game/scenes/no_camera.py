"""Shown when the camera cannot be opened: says so, and offers the mouse or quitting. It never fakes input."""

from __future__ import annotations

import pygame

from game.input_events import Command, InputEvent, commands_in
from game.mouse_input import MouseInput
from game.scenes.base import EXIT, AppExit, BaseScene, GameContext, Scene
from game.scenes.menu import MenuScene, disclaimer
from game.theme import BACKGROUND, NOTICE, TEXT, draw_footer, draw_text


class NoCameraScene(BaseScene):
    name = "no_camera"

    def __init__(self, context: GameContext, message: str) -> None:
        self.context = context
        self.message = message

    def update(self, events: list[InputEvent], dt_s: float) -> Scene | AppExit | None:
        commands = commands_in(events)
        if Command.QUIT in commands or Command.PAUSE in commands:
            return EXIT
        if Command.USE_MOUSE in commands:
            self.context.input_source.close()
            self.context.input_source = MouseInput(self.context.screen_size_px)
            return MenuScene(self.context)
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
        draw_footer(surface, theme, disclaimer())

"""Shown when the camera cannot be opened: says so, and offers the mouse or quitting. It never fakes input.

Both choices are buttons held with the mouse pointer (or clicked), so no key is needed; M and Q still work.
"""

from __future__ import annotations

import pygame

from game.scenes import source_choices
from game.scenes.base import BaseScene, GameContext
from game.scenes.buttons import DwellButtons, row_of_buttons
from game.scenes.routes import EXIT, AppExit, Route
from game.texts import DISCLAIMER
from game.theme import BACKGROUND, NOTICE, TEXT, TEXT_SOFT, draw_cursor, draw_footer, draw_text
from levels.events import Command, CursorMoved, InputEvent, commands_in

# The two choices, side by side below the message.
BUTTONS_CENTRE_Y_NORM = 0.7
LABELS = ("Play with the mouse", "Quit")


class NoCameraScene(BaseScene):
    name = "no_camera"

    def __init__(self, context: GameContext, message: str) -> None:
        self.context = context
        self.message = message
        self.buttons = row_of_buttons(len(LABELS), centre_y=BUTTONS_CENTRE_Y_NORM, height=0.11, width=0.7)
        self.hold = DwellButtons(context.cursor_norm)

    def update(self, events: list[InputEvent], dt_s: float) -> Route | AppExit | None:
        commands = commands_in(events)
        cursor = next((e for e in reversed(events) if isinstance(e, CursorMoved)), None)
        point = None if cursor is None else (cursor.x_norm, cursor.y_norm)
        pressed = self.hold.update(point, self.buttons, Command.CONFIRM in commands, dt_s)
        if pressed == 1 or Command.QUIT in commands or Command.PAUSE in commands or Command.BACK in commands:
            return EXIT
        if pressed == 0 or Command.USE_MOUSE in commands:
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
            "Hold the mouse pointer on a button, or click it.",
            theme.body,
            TEXT,
            centre_x=width // 2,
            top_y=y + height // 20,
        )
        self.hold.draw(surface, self.buttons, list(LABELS), theme.heading)
        draw_text(
            surface, "M: mouse.   Q: quit.", theme.small, TEXT_SOFT, centre_x=width // 2, top_y=int(height * 0.79)
        )
        if self.hold.cursor is not None:
            draw_cursor(surface, self.hold.cursor)
        draw_footer(surface, theme, DISCLAIMER)

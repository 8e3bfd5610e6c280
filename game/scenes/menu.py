"""The first screen: what motorplay is and is not, the patient and the level, and how to start.

Start with Space / Enter / a click, or by holding the cursor on the Start button (camera players need no
keyboard). Headless runs start after a reading time. A video or recording does not play behind the menu: it starts
with the calibration or the level. If the camera stops while the menu shows, the menu says so and Start tries the
camera again (M: the mouse).
"""

from __future__ import annotations

import pygame

from game.input_source import InputKind
from game.scenes import source_choices
from game.scenes.base import BaseScene, GameContext
from game.scenes.buttons import BUTTON_DWELL_S, draw_dwell_button, on_button
from game.scenes.routes import EXIT, AppExit, Next, Route, ToCalibration, ToLevel
from game.texts import DISCLAIMER
from game.theme import BACKGROUND, NOTICE, TEXT, TEXT_SOFT, draw_cursor, draw_text
from levels.events import Command, CursorMoved, InputEvent, commands_in

# Start button, as fractions of the window (centre x, centre y, width, height).
START_BUTTON_NORM = (0.5, 0.74, 0.28, 0.12)


class MenuScene(BaseScene):
    name = "menu"

    def __init__(self, context: GameContext, *, notice: str | None = None) -> None:
        self.context = context
        self.notice = notice
        self.cursor: tuple[float, float] | None = None
        self.dwell_s = 0.0
        self.shown_s = 0.0

    def update(self, events: list[InputEvent], dt_s: float) -> Route | AppExit | None:
        self.shown_s += dt_s
        for event in events:
            if isinstance(event, CursorMoved):
                self.cursor = (event.x_norm, event.y_norm)
        commands = commands_in(events)
        if Command.QUIT in commands:
            return EXIT
        if Command.USE_MOUSE in commands and source_choices.ended(self.context) is not None:
            return source_choices.use_mouse(self.context)
        if Command.RECALIBRATE in commands:
            if self.context.input_source.kind is InputKind.CAMERA:
                return self._calibration()
            self.notice = "Calibration measures your hand with the camera; with the mouse it is not needed."
        self.dwell_s = self.dwell_s + dt_s if on_button(self.cursor, START_BUTTON_NORM) else 0.0
        auto = self.context.auto_start_after_s
        if Command.CONFIRM in commands or self.dwell_s >= BUTTON_DWELL_S or (auto is not None and self.shown_s >= auto):
            return self.start()
        return None

    def _calibration(self) -> Next:
        return source_choices.fresh_source(self.context, ToCalibration(then=ToLevel()))

    def start(self) -> Next:
        """The level, after calibration when a camera player has none saved yet; a source that has ended (a
        camera unplugged while the menu showed) is opened again first."""
        if self.context.input_source.kind is InputKind.CAMERA and self.context.calibration is None:
            return self._calibration()
        return source_choices.fresh_source(self.context, ToLevel())

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.context.theme
        width, height = surface.get_size()
        surface.fill(BACKGROUND)
        y = draw_text(surface, "motorplay", theme.title, TEXT, centre_x=width // 2, top_y=height // 20)
        y = draw_text(
            surface, DISCLAIMER, theme.small, TEXT_SOFT, centre_x=width // 2, top_y=y, width_px=int(width * 0.8)
        )
        level = self.context.level
        calibrated = "calibrated" if self.context.calibration is not None else "not calibrated yet"
        how = "camera" if self.context.input_source.kind is InputKind.CAMERA else "mouse"
        y = draw_text(
            surface, f"Level: {level.title}", theme.heading, TEXT, centre_x=width // 2, top_y=y + height // 30
        )
        y = draw_text(
            surface, level.description, theme.body, TEXT, centre_x=width // 2, top_y=y, width_px=int(width * 0.8)
        )
        draw_text(
            surface,
            f"Patient: {self.context.patient} ({calibrated}) - playing with the {how}",
            theme.small,
            TEXT_SOFT,
            centre_x=width // 2,
            top_y=y,
        )
        draw_dwell_button(surface, START_BUTTON_NORM, "Start", theme.heading, self.dwell_s)
        if self._draw_source_end(surface):
            return
        pointer = "your hand" if self.context.input_source.kind is InputKind.CAMERA else "the mouse"
        hint = self.notice or f"Space, or hold {pointer} on Start, to begin.   C: calibrate again.   Q: quit."
        draw_text(
            surface,
            hint,
            theme.small,
            TEXT_SOFT,
            centre_x=width // 2,
            top_y=int(height * 0.86),
            width_px=int(width * 0.9),
        )
        if self.cursor is not None:
            draw_cursor(surface, self.cursor)

    def _draw_source_end(self, surface: pygame.Surface) -> bool:
        """What happened to the source and what Start does now; False while the source delivers."""
        end = source_choices.ended(self.context)
        if end is None:
            return False
        theme = self.context.theme
        width, height = surface.get_size()
        draw_text(
            surface,
            end.message,
            theme.small,
            NOTICE,
            centre_x=width // 2,
            top_y=int(height * 0.48),
            width_px=int(width * 0.9),
        )
        mouse = "" if source_choices.playing_from_file(self.context) else "   M: play with the mouse."
        keys = f"Space or Start: {source_choices.again_words(self.context)}.{mouse}   Q: quit."
        draw_text(
            surface,
            keys,
            theme.small,
            TEXT_SOFT,
            centre_x=width // 2,
            top_y=int(height * 0.86),
            width_px=int(width * 0.9),
        )
        return True

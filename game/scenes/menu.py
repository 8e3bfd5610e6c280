"""The first screen: what motorplay is and is not, the patient and the level, and how to start.

Start with Space / Enter / a click, or by holding the cursor on the Start button (camera players need no
keyboard). Headless runs start after a reading time. A video or recording does not play behind the menu: it starts
with the calibration or the level. If the camera stops while the menu shows, the menu says so and Start tries the
camera again (M: the mouse).
"""

from __future__ import annotations

import pygame

from game.input_events import Command, CursorMoved, InputEvent, commands_in
from game.input_source import InputKind
from game.scenes import source_choices
from game.scenes.base import EXIT, AppExit, BaseScene, GameContext, Scene
from game.theme import ACCENT, ACCENT_FILL, BACKGROUND, NOTICE, PANEL, TEXT, TEXT_SOFT, draw_cursor, draw_text

# Holding the cursor on Start this long starts the level: long enough not to start by passing over it.
START_DWELL_S = 1.5
# Start button, as fractions of the window (centre x, centre y, width, height).
START_BUTTON_NORM = (0.5, 0.74, 0.28, 0.12)


def disclaimer() -> str:
    from game.cli import DISCLAIMER  # the one wording shared with the command line

    return DISCLAIMER


class MenuScene(BaseScene):
    name = "menu"

    def __init__(self, context: GameContext, *, notice: str | None = None) -> None:
        self.context = context
        self.notice = notice
        self.cursor: tuple[float, float] | None = None
        self.dwell_s = 0.0
        self.shown_s = 0.0

    def _on_button(self) -> bool:
        if self.cursor is None:
            return False
        cx, cy, w, h = START_BUTTON_NORM
        return abs(self.cursor[0] - cx) <= w / 2 and abs(self.cursor[1] - cy) <= h / 2

    def update(self, events: list[InputEvent], dt_s: float) -> Scene | AppExit | None:
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
        self.dwell_s = self.dwell_s + dt_s if self._on_button() else 0.0
        auto = self.context.auto_start_after_s
        if Command.CONFIRM in commands or self.dwell_s >= START_DWELL_S or (auto is not None and self.shown_s >= auto):
            return self.start()
        return None

    def _calibration(self) -> Scene | AppExit:
        from game.scenes.calibration import CalibrationScene
        from game.scenes.level import LevelScene

        context = self.context
        return source_choices.fresh_source(context, lambda: CalibrationScene(context, then=lambda: LevelScene(context)))

    def start(self) -> Scene | AppExit:
        """The level, after calibration when a camera player has none saved yet; a source that has ended (a
        camera unplugged while the menu showed) is opened again first."""
        from game.scenes.level import LevelScene

        if self.context.input_source.kind is InputKind.CAMERA and self.context.calibration is None:
            return self._calibration()
        context = self.context
        return source_choices.fresh_source(context, lambda: LevelScene(context))

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.context.theme
        width, height = surface.get_size()
        surface.fill(BACKGROUND)
        y = draw_text(surface, "motorplay", theme.title, TEXT, centre_x=width // 2, top_y=height // 20)
        y = draw_text(
            surface, disclaimer(), theme.small, TEXT_SOFT, centre_x=width // 2, top_y=y, width_px=int(width * 0.8)
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
        self._draw_button(surface)
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

    def _draw_button(self, surface: pygame.Surface) -> None:
        width, height = surface.get_size()
        cx, cy, w, h = START_BUTTON_NORM
        rect = pygame.Rect(0, 0, round(w * width), round(h * height))
        rect.center = (round(cx * width), round(cy * height))
        pygame.draw.rect(surface, PANEL, rect, border_radius=rect.height // 4)
        if self.dwell_s > 0:
            filled = rect.copy()
            filled.width = round(rect.width * min(self.dwell_s / START_DWELL_S, 1.0))
            pygame.draw.rect(surface, ACCENT_FILL, filled, border_radius=rect.height // 4)
        pygame.draw.rect(surface, ACCENT, rect, width=3, border_radius=rect.height // 4)
        label = self.context.theme.heading.render("Start", True, TEXT)
        surface.blit(label, label.get_rect(center=rect.center))

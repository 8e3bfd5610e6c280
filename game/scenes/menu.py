"""The first screen: what motorplay is and is not, the patient and the level, and how to start.

Start with Space / Enter / a click, or by holding the cursor on the Start button (camera players need no
keyboard). Headless runs start after a reading time. A video or recording does not play behind the menu: it starts
with the calibration or the level. If the camera stops while the menu shows, the menu says so and Start tries the
camera again; a "Play with the mouse" button (or M) takes the place of "Calibrate again".
"""

from __future__ import annotations

import pygame

from game.input_source import InputKind
from game.scenes import source_choices
from game.scenes.base import BaseScene, GameContext
from game.scenes.buttons import BUTTON_DWELL_S, draw_dwell_button, on_button
from game.scenes.routes import EXIT, AppExit, Next, Route, ToCalibration, ToChosenLevel, ToLevel
from game.texts import DISCLAIMER
from game.theme import BACKGROUND, NOTICE, TEXT, TEXT_SOFT, draw_cursor, draw_text
from levels.events import Command, CursorMoved, InputEvent, commands_in
from levels.schema import LevelFile

# Start button, as fractions of the window (centre x, centre y, width, height).
START_BUTTON_NORM = (0.5, 0.74, 0.28, 0.12)
# Beside Start: calibrate again (camera players) and quit, so that no menu item needs the keyboard.
CALIBRATE_BUTTON_NORM = (0.17, 0.74, 0.22, 0.09)
QUIT_BUTTON_NORM = (0.83, 0.74, 0.22, 0.09)
# The level choices (each one alone becomes the session): a grid of CHOICE_COLUMNS buttons a row, the first row
# centred at CHOICES_TOP_Y_NORM, rows CHOICE_ROW_STEP_NORM apart, between the patient line and Start; at most
# MAX_CHOICES fit readably.
CHOICE_COLUMNS = 3
CHOICES_TOP_Y_NORM = 0.49
CHOICE_ROW_STEP_NORM = 0.072
CHOICE_SIZE_NORM = (0.28, 0.058)
MAX_CHOICES = 9


def choice_buttons(count: int) -> list[tuple[float, float, float, float]]:
    """The buttons of ``count`` level choices, row by row, as fractions of the window."""
    buttons = []
    for index in range(count):
        row, column = divmod(index, CHOICE_COLUMNS)
        in_row = min(CHOICE_COLUMNS, count - row * CHOICE_COLUMNS)
        x = 0.5 + (column - (in_row - 1) / 2) * (CHOICE_SIZE_NORM[0] + 0.02)
        buttons.append((x, CHOICES_TOP_Y_NORM + row * CHOICE_ROW_STEP_NORM, *CHOICE_SIZE_NORM))
    return buttons


def fitted(text: str, font: pygame.font.Font, width_px: int) -> str:
    """``text``, shortened with an ellipsis until it fits ``width_px``."""
    if font.size(text)[0] <= width_px:
        return text
    while text and font.size(text + "...")[0] > width_px:
        text = text[:-1]
    return text.rstrip() + "..."


class MenuScene(BaseScene):
    name = "menu"

    def __init__(
        self,
        context: GameContext,
        *,
        notice: str | None = None,
        plan: tuple[LevelFile, ...] = (),
        choices: tuple[LevelFile, ...] = (),
    ) -> None:
        self.context = context
        self.notice = notice
        self.plan = plan  # the session's levels in order (Start plays them); empty: the context's level
        self.choices = choices[:MAX_CHOICES]  # levels the patient may choose instead, each one alone
        self.cursor: tuple[float, float] | None = None
        self.dwell_s = 0.0
        self.choice_dwell_s = [0.0] * len(self.choices)
        self.calibrate_dwell_s = 0.0
        self.quit_dwell_s = 0.0
        self.shown_s = 0.0

    def update(self, events: list[InputEvent], dt_s: float) -> Route | AppExit | None:
        self.shown_s += dt_s
        for event in events:
            if isinstance(event, CursorMoved):
                self.cursor = (event.x_norm, event.y_norm)
        commands = commands_in(events)
        self._side_buttons(commands, dt_s)
        if Command.QUIT in commands:
            return EXIT
        if Command.USE_MOUSE in commands and source_choices.ended(self.context) is not None:
            return source_choices.use_mouse(self.context)
        if Command.RECALIBRATE in commands:
            if self.context.input_source.kind is InputKind.CAMERA:
                return self._calibration()
            self.notice = "Calibration measures your hand with the camera; with the mouse it is not needed."
        chosen = self._chosen(Command.CONFIRM in commands, dt_s)
        if chosen is not None:
            return chosen
        self.dwell_s = self.dwell_s + dt_s if on_button(self.cursor, START_BUTTON_NORM) else 0.0
        auto = self.context.auto_start_after_s
        if Command.CONFIRM in commands or self.dwell_s >= BUTTON_DWELL_S or (auto is not None and self.shown_s >= auto):
            return self.start()
        return None

    def _camera_stopped(self) -> bool:
        """A camera (not a file) has stopped: the mouse is offered in place of calibrating again."""
        return source_choices.ended(self.context) is not None and not source_choices.playing_from_file(self.context)

    def _side_buttons(self, commands: list[Command], dt_s: float) -> None:
        """Calibrate (or, once the camera stopped, the mouse) and Quit held long enough (or clicked) add their
        command, as their keys would."""
        confirmed = Command.CONFIRM in commands
        camera = self.context.input_source.kind is InputKind.CAMERA
        on_calibrate = camera and on_button(self.cursor, CALIBRATE_BUTTON_NORM)
        self.calibrate_dwell_s = self.calibrate_dwell_s + dt_s if on_calibrate else 0.0
        self.quit_dwell_s = self.quit_dwell_s + dt_s if on_button(self.cursor, QUIT_BUTTON_NORM) else 0.0
        if on_calibrate and (confirmed or self.calibrate_dwell_s >= BUTTON_DWELL_S):
            commands[:] = [command for command in commands if command is not Command.CONFIRM]
            commands.append(Command.USE_MOUSE if self._camera_stopped() else Command.RECALIBRATE)
        if on_button(self.cursor, QUIT_BUTTON_NORM) and (confirmed or self.quit_dwell_s >= BUTTON_DWELL_S):
            commands.append(Command.QUIT)

    def _chosen(self, confirmed: bool, dt_s: float) -> Route | AppExit | None:
        """The level choice held long enough (or clicked), as its route; ``None`` while there is none."""
        for index, button in enumerate(choice_buttons(len(self.choices))):
            if not on_button(self.cursor, button):
                self.choice_dwell_s[index] = 0.0
                continue
            self.choice_dwell_s[index] += dt_s
            if confirmed or self.choice_dwell_s[index] >= BUTTON_DWELL_S:
                then = self.start()
                return then if isinstance(then, AppExit) else ToChosenLevel(self.choices[index].name, then)
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
        titles = ", ".join(planned.title for planned in self.plan) if len(self.plan) > 1 else level.title
        label = "Levels" if len(self.plan) > 1 else "Level"
        y = draw_text(
            surface,
            f"{label}: {titles}",
            theme.heading,
            TEXT,
            centre_x=width // 2,
            top_y=y + height // 30,
            width_px=int(width * 0.9),
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
        if self.context.input_source.kind is InputKind.CAMERA:
            side = "Play with the mouse" if self._camera_stopped() else "Calibrate again"
            draw_dwell_button(surface, CALIBRATE_BUTTON_NORM, side, theme.small, self.calibrate_dwell_s)
        draw_dwell_button(surface, QUIT_BUTTON_NORM, "Quit", theme.small, self.quit_dwell_s)
        for index, button in enumerate(choice_buttons(len(self.choices))):
            label = fitted(self.choices[index].title, theme.small, round(button[2] * width * 0.92))
            draw_dwell_button(surface, button, label, theme.small, self.choice_dwell_s[index])
        if self._draw_source_end(surface):
            return
        pointer = "your hand" if self.context.input_source.kind is InputKind.CAMERA else "the mouse"
        choose = "; or hold it on one level to play that one" if self.choices else ""
        hint = self.notice or f"Hold {pointer} on Start to begin{choose}."
        y = draw_text(
            surface, hint, theme.body, TEXT, centre_x=width // 2, top_y=int(height * 0.83), width_px=int(width * 0.9)
        )
        if self.notice is None:
            keys = "Keys: Space starts.   C: calibrate again.   Q: quit.   N: sound on/off.   F11: full screen."
            draw_text(surface, keys, theme.small, TEXT_SOFT, centre_x=width // 2, top_y=y)
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

"""The first screen: what motorplay is and is not, the patient and the level, and how to start.

Start with Space / Enter, or by holding the cursor on the Start button (camera players need no keyboard); Space
always starts the planned session, whatever the cursor is over, while a mouse click presses the button clicked
(a level's button plays that level). For a patient whose records are open, a small "Therapist" button (or T) opens
the therapist screen, behind a PIN. A hold counts only once the cursor has come onto a
button from off it (:class:`~game.scenes.buttons.DwellButtons`), so a pointer resting where the menu appears does
not choose anything. Every level of the catalogue is offered, a page at a time when they do not all fit.
Headless runs start after a reading time. A video or recording does not play behind the menu: it starts
with the calibration or the level. If the camera stops while the menu shows, the menu says so and Start tries the
camera again; a "Play with the mouse" button (or M) takes the place of "Calibrate again". While the camera
delivers no pictures and is reopened every second (:func:`game.tracking_input.camera_waiting`), the menu says so
in place of its hint.
"""

from __future__ import annotations

import pygame

from game.input_source import InputKind
from game.scenes import source_choices
from game.scenes.base import BaseScene, GameContext
from game.scenes.buttons import ButtonNorm, DwellButtons, draw_dwell_button
from game.scenes.routes import EXIT, AppExit, Next, Route, ToCalibration, ToChosenLevel, ToLevel, ToTherapist
from game.texts import DISCLAIMER
from game.theme import BACKGROUND, LINE_SPACING, NOTICE, TEXT, TEXT_SOFT, draw_cursor, draw_text, wrap
from game.therapist_access import therapist_available
from game.tracking_input import camera_waiting
from levels.events import Command, CursorMoved, InputEvent, clicks_in, key_commands_in
from levels.schema import LevelFile

# Start button, as fractions of the window (centre x, centre y, width, height).
START_BUTTON_NORM = (0.5, 0.74, 0.28, 0.12)
# Beside Start: calibrate again (camera players) and quit, so that no menu item needs the keyboard.
CALIBRATE_BUTTON_NORM = (0.17, 0.74, 0.22, 0.09)
QUIT_BUTTON_NORM = (0.83, 0.74, 0.22, 0.09)
# The therapist's way in, small and in a corner (beside the title): a patient has no reason to use it.
THERAPIST_BUTTON_NORM = (0.9, 0.06, 0.17, 0.08)
THERAPIST_LABEL = "Therapist"
NO_THERAPIST_NOTICE = (
    "The therapist screen is for a patient whose sessions are recorded: start the game with --patient ID."
)
# The level choices (each one alone becomes the session): CHOICE_COLUMNS buttons a row, wide enough for the
# longest catalogue title on one line of the small font ("Head control with a helping touch"), in the space between
# the measured text and Start; when they do not all fit, the last place is "More levels", which turns the page.
CHOICE_COLUMNS = 2
CHOICE_WIDTH_NORM = 0.44
CHOICE_GAP_NORM = 0.02
# A choice button is this many lines of the small font high, and the rows are this much further apart.
CHOICE_HEIGHT_LINES = 1.35
CHOICE_ROW_GAP_PX = 6
# The space kept between the text, the choices and Start (as a fraction of the window's height).
MARGIN_NORM = 0.015
MORE_LABEL = "More levels"


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
        self.choices = choices  # levels the patient may choose instead, each one alone: all of them, by pages
        self.page = 0
        self.hold = DwellButtons(context.cursor_norm)
        self.shown_s = 0.0
        self.now_s = 0.0  # the game clock, as the events tell it

    @property
    def cursor(self) -> tuple[float, float] | None:
        """Where the pointer is (kept across screens), if known."""
        return self.hold.cursor

    # Layout ------------------------------------------------------------------------------------------------------

    def _text_blocks(self) -> list[tuple[str, pygame.font.Font, tuple[int, int, int], float, int]]:
        """The text above the choices, in order: (text, font, colour, wrap width as a fraction, space above px)."""
        theme = self.context.theme
        height = self.context.screen_size_px[1]
        level = self.context.level
        calibrated = "calibrated" if self.context.calibration is not None else "not calibrated yet"
        titles = ", ".join(planned.title for planned in self.plan) if len(self.plan) > 1 else level.title
        label = "Levels" if len(self.plan) > 1 else "Level"
        return [
            ("motorplay", theme.title, TEXT, 0.9, height // 20),
            (DISCLAIMER, theme.small, TEXT_SOFT, 0.8, 0),
            (f"{label}: {titles}", theme.heading, TEXT, 0.9, height // 30),
            (level.description, theme.body, TEXT, 0.8, 0),
            (
                f"Patient: {self.context.patient} ({calibrated}) - {self._playing_with()}",
                theme.small,
                TEXT_SOFT,
                0.9,
                0,
            ),
        ]

    def _playing_with(self) -> str:
        if self.context.input_source.kind is not InputKind.CAMERA:
            return "playing with the mouse"
        if source_choices.playing_from_file(self.context):
            return f"playing from the {source_choices.source_noun(self.context)} file"
        return "playing with the camera"

    def text_bottom_px(self) -> int:
        """Where the text above the choices ends (measured as it is drawn)."""
        width = self.context.screen_size_px[0]
        y = 0
        for text, font, _, wrap_norm, above_px in self._text_blocks():
            y += above_px + round(font.get_linesize() * LINE_SPACING) * len(wrap(text, font, int(width * wrap_norm)))
        return y

    def _choice_rows(self) -> int:
        """How many rows of choices fit between the text and Start (at least one)."""
        height = self.context.screen_size_px[1]
        step_px = self._choice_height_px() + CHOICE_ROW_GAP_PX
        space_px = (START_BUTTON_NORM[1] - START_BUTTON_NORM[3] / 2 - 2 * MARGIN_NORM) * height - self.text_bottom_px()
        return max(1, int((space_px + CHOICE_ROW_GAP_PX) // step_px))

    def _choice_height_px(self) -> int:
        return round(self.context.theme.small.get_linesize() * CHOICE_HEIGHT_LINES)

    def pages(self) -> list[tuple[LevelFile, ...]]:
        """The choices, page by page: all on one page when they fit, else pages with room for "More levels"."""
        places = self._choice_rows() * CHOICE_COLUMNS
        if len(self.choices) <= places:
            return [self.choices] if self.choices else []
        each = max(1, places - 1)
        return [self.choices[start : start + each] for start in range(0, len(self.choices), each)]

    def choice_labels(self) -> list[str]:
        """The labels of this page's choice buttons, "More levels" last when there are several pages."""
        pages = self.pages()
        if not pages:
            return []
        labels = [level.title for level in pages[self.page % len(pages)]]
        return [*labels, MORE_LABEL] if len(pages) > 1 else labels

    def choice_buttons(self) -> list[ButtonNorm]:
        """This page's choice buttons (and "More levels"), row by row, as fractions of the window."""
        width_px, height_px = self.context.screen_size_px
        h_norm = self._choice_height_px() / height_px
        step_norm = (self._choice_height_px() + CHOICE_ROW_GAP_PX) / height_px
        top_norm = self.text_bottom_px() / height_px + MARGIN_NORM + h_norm / 2
        count = len(self.choice_labels())
        buttons = []
        for index in range(count):
            row, column = divmod(index, CHOICE_COLUMNS)
            in_row = min(CHOICE_COLUMNS, count - row * CHOICE_COLUMNS)
            x = 0.5 + (column - (in_row - 1) / 2) * (CHOICE_WIDTH_NORM + CHOICE_GAP_NORM)
            buttons.append((x, top_norm + row * step_norm, CHOICE_WIDTH_NORM, h_norm))
        return buttons

    def _buttons(self) -> list[ButtonNorm]:
        """Start, Quit, calibrate (camera players), Therapist (a recorded patient), then this page's choices."""
        return [*self._side_buttons(), *self.choice_buttons()]

    def _side_buttons(self) -> list[ButtonNorm]:
        side = [CALIBRATE_BUTTON_NORM] if self._camera() else []
        therapist = [THERAPIST_BUTTON_NORM] if therapist_available(self.context) else []
        return [START_BUTTON_NORM, QUIT_BUTTON_NORM, *side, *therapist]

    def _camera(self) -> bool:
        return self.context.input_source.kind is InputKind.CAMERA

    # Update ------------------------------------------------------------------------------------------------------

    def update(self, events: list[InputEvent], dt_s: float) -> Route | AppExit | None:
        self.shown_s += dt_s
        self.now_s = max([self.now_s + dt_s, *(event.t_s for event in events)])
        cursor = None
        for event in events:
            if isinstance(event, CursorMoved):
                cursor = (event.x_norm, event.y_norm)
        # Space (or Enter) starts the planned session whatever the cursor is over: the buttons answer a hold, or a
        # click where it is (a click is a confirm with its place, not Space).
        commands = key_commands_in(events)
        buttons = self._buttons()
        pressed = self.hold.update(cursor, buttons, False, dt_s)
        for point in clicks_in(events):
            pressed = self.hold.click(point, buttons)
            if pressed is not None:
                break
        if self.hold.cursor is not None:
            self.context.cursor_norm = self.hold.cursor
        if pressed is not None:
            commands.extend(self._pressed(pressed))
        if Command.QUIT in commands:
            return EXIT
        if Command.USE_MOUSE in commands and source_choices.ended(self.context) is not None:
            return source_choices.use_mouse(self.context)
        if Command.RECALIBRATE in commands:
            if self._camera():
                return self._calibration()
            self.notice = "Calibration measures your hand with the camera; with the mouse it is not needed."
        if Command.THERAPIST in commands:
            if therapist_available(self.context):
                return ToTherapist(at_s=self.now_s)
            self.notice = NO_THERAPIST_NOTICE
        chosen = self._chosen(pressed)
        if chosen is not None:
            return chosen
        auto = self.context.auto_start_after_s
        if Command.CONFIRM in commands or (auto is not None and self.shown_s >= auto):
            return self.start()
        return None

    def _pressed(self, index: int) -> list[Command]:
        """The command of a side button pressed (held or clicked), as its key would issue it."""
        side = self._side_buttons()
        if index >= len(side):
            return []
        button = side[index]
        if button == START_BUTTON_NORM:
            return [Command.CONFIRM]
        if button == QUIT_BUTTON_NORM:
            return [Command.QUIT]
        if button == THERAPIST_BUTTON_NORM:
            return [Command.THERAPIST]
        return [Command.USE_MOUSE if self._camera_stopped() else Command.RECALIBRATE]

    def _camera_stopped(self) -> bool:
        """A camera (not a file) has stopped: the mouse is offered in place of calibrating again."""
        return source_choices.ended(self.context) is not None and not source_choices.playing_from_file(self.context)

    def _chosen(self, pressed: int | None) -> Route | AppExit | None:
        """The level choice held long enough, as its route; "More levels" turns the page; ``None`` otherwise."""
        first = len(self._side_buttons())
        if pressed is None or pressed < first:
            return None
        labels = self.choice_labels()
        index = pressed - first
        if labels[index] == MORE_LABEL and index == len(labels) - 1 and len(self.pages()) > 1:
            self.page = (self.page + 1) % len(self.pages())
            self.hold = DwellButtons(self.hold.cursor)  # the new page's buttons wait for a move onto them
            return None
        level = self.pages()[self.page % len(self.pages())][index]
        then = self.start()
        return then if isinstance(then, AppExit) else ToChosenLevel(level.name, then)

    def _calibration(self) -> Next:
        return source_choices.fresh_source(self.context, ToCalibration(then=ToLevel()))

    def start(self) -> Next:
        """The level, after calibration when a camera player has none saved yet; a source that has ended (a
        camera unplugged while the menu showed) is opened again first."""
        if self._camera() and self.context.calibration is None:
            return self._calibration()
        return source_choices.fresh_source(self.context, ToLevel())

    # Draw --------------------------------------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.context.theme
        width, height = surface.get_size()
        surface.fill(BACKGROUND)
        y = 0
        for text, font, colour, wrap_norm, above_px in self._text_blocks():
            y = draw_text(
                surface, text, font, colour, centre_x=width // 2, top_y=y + above_px, width_px=int(width * wrap_norm)
            )
        buttons = self._buttons()
        dwell = [self.hold.dwell_s.get(index, 0.0) for index in range(len(buttons))]
        draw_dwell_button(surface, START_BUTTON_NORM, "Start", theme.heading, dwell[0])
        draw_dwell_button(surface, QUIT_BUTTON_NORM, "Quit", theme.small, dwell[1])
        if self._camera():
            side = "Play with the mouse" if self._camera_stopped() else "Calibrate again"
            draw_dwell_button(surface, CALIBRATE_BUTTON_NORM, side, theme.small, dwell[2])
        first = len(self._side_buttons())
        if therapist_available(self.context):
            draw_dwell_button(surface, THERAPIST_BUTTON_NORM, THERAPIST_LABEL, theme.small, dwell[first - 1])
        for index, (button, label) in enumerate(zip(self.choice_buttons(), self.choice_labels(), strict=True)):
            shown = fitted(label, theme.small, round(button[2] * width * 0.95))
            draw_dwell_button(surface, button, shown, theme.small, dwell[first + index])
        if self._draw_source_end(surface):
            return
        # A camera lost and being reopened every second says so in place of the notice: Start would only wait.
        waiting = camera_waiting(self.context.input_source)
        notice = waiting or self.notice
        if self._camera():
            choose = "; or hold it on one level to play that one" if self.choices else ""
            hint = notice or f"Hold your hand on Start to begin{choose}."
        else:
            choose = "; or click one level to play that one" if self.choices else ""
            hint = notice or f"Click or hold Start to begin{choose}."
        colour = NOTICE if waiting else TEXT
        y = draw_text(
            surface, hint, theme.body, colour, centre_x=width // 2, top_y=int(height * 0.83), width_px=int(width * 0.9)
        )
        if notice is None:
            calibrate = "   C: calibrate again." if self._camera() else ""
            therapist = "   T: therapist." if therapist_available(self.context) else ""
            keys = f"Keys: Space starts.{calibrate}{therapist}   Q: quit.   N: sound on/off.   F11: full screen."
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

"""The therapist screen, behind a PIN: the patient's plan, to view and change.

Reached from the menu (its "Therapist" button, or T) for a patient whose records are open. The therapist types
the PIN on the pad (the digit keys, or the pad's buttons clicked or held); only its salted scrypt hash is kept
(``motorplay plan pin --patient ID``, :mod:`clinic.pin`), and without one the screen says how to set it and shows
no plan. A wrong PIN says how many tries are left; five in a row lock the screen for a minute of the game's clock
(the lock is kept on the session's context: leaving the screen does not reset it).

After the right PIN: the plan's levels in order, the session's limit, and for one level at a time its sets,
repetitions and start, lowest and highest difficulty, each with buttons to step it (:mod:`game.plan_editor`).
Save checks the edited plan as a plan file is checked (:func:`clinic.plan.check_plan`: a refused plan shows the
message naming the field) and stores it as the patient's newest version, by "therapist (in game)", so that the
plan's history records it. Back returns to the menu without saving.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

import pygame

from clinic.pin import (
    MAX_PIN_DIGITS,
    MIN_PIN_DIGITS,
    PinLock,
    after_attempt,
    is_locked,
    seconds_left,
    tries_left,
    verify_pin,
)
from clinic.plan import current_plan, pin_file, save_plan
from game.plan_editor import Which, plan_to_toml, step_difficulty, step_session_limit, step_sets
from game.scenes.base import BaseScene, GameContext
from game.scenes.buttons import ButtonNorm, DwellButtons, draw_dwell_button
from game.scenes.routes import EXIT, AppExit, Route, ToMenu
from game.theme import BACKGROUND, GOOD, NOTICE, TEXT, TEXT_SOFT, draw_cursor, draw_footer, draw_text, wrap
from game.therapist_access import keep_pin_lock, pin_lock, session_records
from levels.errors import LevelFileError
from levels.events import Command, CursorMoved, InputEvent, clicks_in, digits_in, key_commands_in
from levels.loader import load_level_spec
from levels.plan import Plan
from tracking.errors import UserFacingError

AUTHOR = "therapist (in game)"
EDITED_SOURCE = "the edited plan"  # how a refused plan is named in its message
PIN_COMMAND = "motorplay plan pin --patient {patient}"
IMPORT_COMMAND = "motorplay plan import --patient {patient} FILE"

# The PIN pad: three columns of digit buttons, then Erase, 0 and OK (fractions of the window).
PAD_COLUMNS_X = (0.38, 0.5, 0.62)
PAD_ROWS_Y = (0.43, 0.54, 0.65, 0.76)
PAD_KEY_W, PAD_KEY_H = 0.11, 0.09
PAD_LABELS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "Erase", "0", "OK")
BACK_BUTTON_NORM: ButtonNorm = (0.12, 0.9, 0.17, 0.08)
# The plan screen: one row a setting (label, value, then - and + buttons); Save and Back at the bottom.
ROWS_TOP_Y = 0.19
ROW_STEP_Y = 0.072
LABEL_X = 0.06
VALUE_X = 0.42
MINUS_X, PLUS_X = 0.8, 0.9
STEP_BUTTON_W, STEP_BUTTON_H = 0.08, 0.062
SAVE_BUTTON_NORM: ButtonNorm = (0.88, 0.94, 0.17, 0.07)
PLAN_BACK_BUTTON_NORM: ButtonNorm = (0.12, 0.94, 0.17, 0.07)
MESSAGE_TOP_Y = 0.69
MESSAGE_LINES = 3  # a refused plan's message fits in this many lines above the buttons


class Phase(enum.Enum):
    NO_PIN = "no_pin"  # no PIN set for the patient: how to set one; no plan shown
    PIN = "pin"  # the PIN pad
    PLAN = "plan"  # the plan and its controls
    UNAVAILABLE = "unavailable"  # no plan yet, or the records or the PIN file cannot be read: what to do


@dataclass(frozen=True)
class Button:
    """A button of the screen: where, its label, and what a press does (a route to leave, or None to stay)."""

    button_norm: ButtonNorm
    label: str
    press: Callable[[], Route | AppExit | None]


@dataclass(frozen=True)
class Row:
    """One line of the plan: its label, its value in words, and its step (``None``: shown, not changed here)."""

    label: str
    value: str
    step: Callable[[int], None] | None = None


def lock_words(lock: PinLock, now_s: float) -> str:
    """What the pad says of the lock and the tries left."""
    if is_locked(lock, now_s):
        minutes, seconds = divmod(int(-(-seconds_left(lock, now_s) // 1)), 60)
        return f"Locked after {lock.wrong_tries} wrong tries. Try again in {minutes}:{seconds:02d}."
    left = tries_left(lock, now_s)
    return f"Wrong PIN: {left} {'try' if left == 1 else 'tries'} left before a one-minute lock."


class TherapistScene(BaseScene):
    """The PIN pad, then the plan of the session's patient; ``at_s`` is the game clock when it was opened."""

    name = "therapist"

    def __init__(self, context: GameContext, *, at_s: float = 0.0) -> None:
        self.context = context
        self.now_s = at_s  # the game clock, as the events tell it (the PIN lock counts on it)
        self.entry = ""  # the digits typed so far
        self.message: str | None = None
        self.message_colour = TEXT_SOFT
        self.plan: Plan | None = None  # the plan being edited
        self.saved: Plan | None = None  # the plan as stored
        self.version_words = ""
        self.titles: dict[str, str] = {}  # the plan's levels' titles, read once
        self.level_index = 0
        self.hold = DwellButtons(context.cursor_norm)
        self.phase = self._first_phase()

    # Phases ------------------------------------------------------------------------------------------------------

    def _first_phase(self) -> Phase:
        if session_records(self.context) is None:
            self._say("The therapist screen needs the patient's records: start the game with --patient ID.", NOTICE)
            return Phase.UNAVAILABLE
        try:
            if not pin_file(self.context.store.data_dir, self.context.patient).exists():
                return Phase.NO_PIN
        except UserFacingError as error:
            self._say(str(error), NOTICE)
            return Phase.UNAVAILABLE
        return Phase.PIN

    def _stored_hash(self) -> str:
        return pin_file(self.context.store.data_dir, self.context.patient).read_text(encoding="utf-8")

    def _go(self, phase: Phase) -> None:
        self.phase = phase
        self.hold = DwellButtons(self.hold.cursor)  # the new buttons wait for a move onto them

    def _say(self, text: str | None, colour: tuple[int, int, int] = TEXT_SOFT) -> None:
        self.message, self.message_colour = text, colour

    # The PIN -----------------------------------------------------------------------------------------------------

    def type_digit(self, digit: str) -> None:
        """Add a digit to the PIN typed (ignored while locked, and beyond the longest PIN)."""
        if is_locked(pin_lock(self.context), self.now_s) or len(self.entry) >= MAX_PIN_DIGITS:
            return
        self.entry += digit

    def erase(self) -> None:
        """Erase the last digit typed."""
        self.entry = self.entry[:-1]

    def submit(self) -> None:
        """Check the PIN typed: the plan when right; a wrong one counts towards the lock."""
        lock = pin_lock(self.context)
        if is_locked(lock, self.now_s):
            return
        entry, self.entry = self.entry, ""
        if not MIN_PIN_DIGITS <= len(entry) <= MAX_PIN_DIGITS:
            self._say(f"A PIN has {MIN_PIN_DIGITS} to {MAX_PIN_DIGITS} digits.", NOTICE)
            return
        try:
            correct = verify_pin(entry, self._stored_hash())
        except (UserFacingError, OSError) as error:
            self._say(f"The PIN cannot be checked: {error}", NOTICE)
            return
        lock = after_attempt(lock, correct, self.now_s)
        keep_pin_lock(self.context, lock)
        if correct:
            self._open_plan()
        else:  # while locked, the pad says so (and counts down) by itself
            self._say(None if is_locked(lock, self.now_s) else lock_words(lock, self.now_s), NOTICE)

    def _open_plan(self) -> None:
        records = session_records(self.context)
        patient = self.context.patient
        try:
            found = None if records is None else current_plan(records, patient)
        except UserFacingError as error:
            self._say(f"The plan cannot be read: {error}", NOTICE)
            self._go(Phase.UNAVAILABLE)
            return
        if found is None:
            self._say(f"{patient} has no plan yet. Import one in a terminal: {IMPORT_COMMAND.format(patient=patient)}")
            self._go(Phase.UNAVAILABLE)
            return
        record, plan = found
        self.plan = self.saved = plan
        self.titles = {entry.name: level_title(entry.name) for entry in plan.levels}
        self.version_words = f"version {record.version} by {record.author}"
        self._say(None)
        self._go(Phase.PLAN)

    # The plan ----------------------------------------------------------------------------------------------------

    def rows(self) -> list[Row]:
        """The plan's lines: the session's limit, the level shown, its sets, repetitions and difficulties."""
        plan = self.plan
        if plan is None:
            return []
        entry = plan.levels[self.level_index]
        repetitions = "as in the level file" if entry.repetitions is None else str(entry.repetitions)
        return [
            Row("Session limit", f"{plan.session_limit_min:g} min", self._step_limit),
            Row("Level", f"{self.level_index + 1} of {len(plan.levels)}: {self._title(entry.name)}", self._turn),
            Row("Sets", str(entry.sets), self._step_sets),
            Row("Repetitions a set", repetitions),
            Row("Start difficulty", f"{entry.start_difficulty:.2f}", self._difficulty("start")),
            Row("Lowest difficulty", f"{entry.min_difficulty:.2f}", self._difficulty("min")),
            Row("Highest difficulty", f"{entry.max_difficulty:.2f}", self._difficulty("max")),
        ]

    def _title(self, name: str) -> str:
        return self.titles.get(name, name)

    def _edited(self, plan: Plan, note: str | None = None) -> None:
        self.plan = plan
        self._say(note or ("Changed, not saved yet." if plan != self.saved else None), NOTICE if note else TEXT_SOFT)

    def _step_limit(self, direction: int) -> None:
        if self.plan is not None:
            self._edited(step_session_limit(self.plan, direction))

    def _turn(self, direction: int) -> None:
        if self.plan is not None:
            self.level_index = (self.level_index + direction) % len(self.plan.levels)

    def _step_sets(self, direction: int) -> None:
        if self.plan is not None:
            self._edited(step_sets(self.plan, self.level_index, direction))

    def _difficulty(self, which: Which) -> Callable[[int], None]:
        def step(direction: int) -> None:
            if self.plan is not None:
                self._edited(*step_difficulty(self.plan, self.level_index, which, direction))

        return step

    def save(self) -> None:
        """Check the edited plan as a plan file and store it as the patient's newest version; or say why not."""
        records = session_records(self.context)
        if self.plan is None or records is None:
            return
        try:
            record = save_plan(
                records, self.context.patient, plan_to_toml(self.plan), author=AUTHOR, source=EDITED_SOURCE
            )
        except UserFacingError as error:
            self._say(f"Not saved: {error}", NOTICE)
            return
        self.saved = self.plan
        self.version_words = f"version {record.version} by {record.author}"
        self._say(f"Saved as version {record.version}. The game plays it from the next session.", GOOD)

    # Buttons -----------------------------------------------------------------------------------------------------

    def buttons(self) -> list[Button]:
        """The buttons of the current phase."""
        back = Button(BACK_BUTTON_NORM, "Back", ToMenu)
        if self.phase is Phase.PIN:
            return [*self._pad(), back]
        if self.phase is Phase.PLAN:
            return [
                *self._steps(),
                Button(SAVE_BUTTON_NORM, "Save", self.save),
                Button(PLAN_BACK_BUTTON_NORM, "Back", ToMenu),
            ]
        return [back]

    def _pad(self) -> list[Button]:
        keys = []
        for index, label in enumerate(PAD_LABELS):
            row, column = divmod(index, len(PAD_COLUMNS_X))
            where = (PAD_COLUMNS_X[column], PAD_ROWS_Y[row], PAD_KEY_W, PAD_KEY_H)
            if label == "Erase":
                action = self.erase
            elif label == "OK":
                action = self.submit
            else:
                action = self._typing(label)
            keys.append(Button(where, label, action))
        return keys

    def _typing(self, digit: str) -> Callable[[], None]:
        return lambda: self.type_digit(digit)

    def _steps(self) -> list[Button]:
        steps = []
        for index, row in enumerate(self.rows()):
            if row.step is None:
                continue
            y = row_centre_y(index)
            down, up = ("<", ">") if row.label == "Level" else ("-", "+")
            steps.append(Button((MINUS_X, y, STEP_BUTTON_W, STEP_BUTTON_H), down, self._stepping(row.step, -1)))
            steps.append(Button((PLUS_X, y, STEP_BUTTON_W, STEP_BUTTON_H), up, self._stepping(row.step, 1)))
        return steps

    @staticmethod
    def _stepping(step: Callable[[int], None], direction: int) -> Callable[[], None]:
        return lambda: step(direction)

    # Update ------------------------------------------------------------------------------------------------------

    def update(self, events: list[InputEvent], dt_s: float) -> Route | AppExit | None:
        """Follow the clock, the keys, the clicks and the holds on the buttons."""
        self.now_s = max([self.now_s + dt_s, *(event.t_s for event in events)])
        commands = key_commands_in(events)
        if Command.QUIT in commands:
            return EXIT
        if Command.BACK in commands:
            return ToMenu()
        if self.phase is Phase.PIN:
            for digit in digits_in(events):
                self.type_digit(digit)
            if Command.ERASE in commands:
                self.erase()
            if Command.CONFIRM in commands:  # Enter (or Space): the PIN typed
                self.submit()
        return self._press_buttons(events, dt_s)

    def _press_buttons(self, events: list[InputEvent], dt_s: float) -> Route | AppExit | None:
        cursor = None
        for event in events:
            if isinstance(event, CursorMoved):
                cursor = (event.x_norm, event.y_norm)
        buttons = self.buttons()
        places = [button.button_norm for button in buttons]
        pressed = self.hold.update(cursor, places, False, dt_s)
        for point in clicks_in(events):
            pressed = self.hold.click(point, places)
            if pressed is not None:
                break
        if self.hold.cursor is not None:
            self.context.cursor_norm = self.hold.cursor
        if pressed is None:
            return None
        return buttons[pressed].press()

    # Draw --------------------------------------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        """The phase's words and buttons, and the pointer."""
        surface.fill(BACKGROUND)
        if self.phase is Phase.PLAN:
            self._draw_plan(surface)
        else:
            self._draw_pin(surface)
        for index, button in enumerate(self.buttons()):
            font = self.context.theme.heading if len(button.label) == 1 else self.context.theme.body
            draw_dwell_button(surface, button.button_norm, button.label, font, self.hold.dwell_s.get(index, 0.0))
        keys = "Keys: the digits, Backspace, Enter: OK.   Escape: back." if self.phase is Phase.PIN else "Escape: back."
        draw_footer(surface, self.context.theme, keys)
        if self.hold.cursor is not None:
            draw_cursor(surface, self.hold.cursor)

    def _draw_pin(self, surface: pygame.Surface) -> None:
        theme = self.context.theme
        width, height = surface.get_size()
        patient = self.context.patient
        y = draw_text(
            surface, f"Therapist: the plan of {patient}", theme.heading, TEXT, centre_x=width // 2, top_y=height // 30
        )
        if self.phase is Phase.NO_PIN:
            text = (
                f"No therapist PIN is set for {patient}, so the plan stays closed. "
                f"Set one in a terminal: {PIN_COMMAND.format(patient=patient)}"
            )
            draw_text(
                surface, text, theme.body, TEXT, centre_x=width // 2, top_y=y + height // 20, width_px=int(width * 0.85)
            )
            return
        if self.phase is Phase.UNAVAILABLE:
            draw_text(
                surface,
                self.message or "",
                theme.body,
                self.message_colour,
                centre_x=width // 2,
                top_y=y + height // 20,
                width_px=int(width * 0.85),
            )
            return
        lock = pin_lock(self.context)
        if is_locked(lock, self.now_s):
            prompt, colour = lock_words(lock, self.now_s), NOTICE
        else:
            prompt, colour = (
                self.message or f"Type the PIN ({MIN_PIN_DIGITS} to {MAX_PIN_DIGITS} digits), then OK.",
                (self.message_colour if self.message else TEXT),
            )
        y = draw_text(surface, prompt, theme.body, colour, centre_x=width // 2, top_y=y, width_px=int(width * 0.9))
        draw_pin_dots(surface, len(self.entry), centre_y=y + height // 12)

    def _draw_plan(self, surface: pygame.Surface) -> None:
        theme = self.context.theme
        width, height = surface.get_size()
        plan = self.plan
        if plan is None:
            return
        title = f"Plan of {self.context.patient} ({self.version_words})"
        draw_text(surface, title, theme.body, TEXT, centre_x=width // 2, top_y=height // 60)
        order = "Levels: " + ", ".join(f"{i + 1} {self._title(entry.name)}" for i, entry in enumerate(plan.levels))
        draw_text(
            surface,
            fitted_line(order, theme.body, int(width * 0.94)),
            theme.body,
            TEXT_SOFT,
            centre_x=width // 2,
            top_y=height // 60 + round(theme.body.get_linesize() * 1.15),
        )
        for index, row in enumerate(self.rows()):
            y = round(row_centre_y(index) * height)
            label = theme.body.render(row.label, True, TEXT_SOFT)
            surface.blit(label, label.get_rect(midleft=(round(LABEL_X * width), y)))
            value = theme.body.render(row.value, True, TEXT)
            surface.blit(value, value.get_rect(midleft=(round(VALUE_X * width), y)))
        if self.message:
            lines = wrap(self.message, theme.body, int(width * 0.94))
            if len(lines) > MESSAGE_LINES:
                lines = [
                    *lines[: MESSAGE_LINES - 1],
                    fitted_line(" ".join(lines[MESSAGE_LINES - 1 :]), theme.body, int(width * 0.94)),
                ]
            draw_text(
                surface,
                "\n".join(lines),
                theme.body,
                self.message_colour,
                centre_x=width // 2,
                top_y=round(MESSAGE_TOP_Y * height),
            )


def draw_pin_dots(surface: pygame.Surface, typed: int, *, centre_y: int) -> None:
    """The PIN typed so far as filled dots (never its digits), with hollow ones up to the shortest PIN."""
    width, height = surface.get_size()
    radius = max(6, height // 45)
    slots = max(typed, MIN_PIN_DIGITS)
    step = radius * 3
    left = width // 2 - step * (slots - 1) // 2
    for slot in range(slots):
        centre = (left + slot * step, centre_y)
        pygame.draw.circle(surface, TEXT, centre, radius, width=0 if slot < typed else 3)


def row_centre_y(index: int) -> float:
    """The centre of the plan's line ``index``, as a fraction of the window's height."""
    return ROWS_TOP_Y + index * ROW_STEP_Y


def level_title(name: str) -> str:
    """A catalogue level's title (its name when it cannot be read)."""
    try:
        return str(load_level_spec(name).fixed.get("title", name))
    except LevelFileError:
        return name


def fitted_line(text: str, font: pygame.font.Font, width_px: int) -> str:
    """``text`` shortened with an ellipsis until it fits ``width_px``."""
    if font.size(text)[0] <= width_px:
        return text
    while text and font.size(text + "...")[0] > width_px:
        text = text[:-1]
    return text.rstrip() + "..."

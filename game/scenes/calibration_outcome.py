"""How a calibration ended, and what the screen offers next.

- Saved: go on (to the level, or end ``motorplay calibrate``).
- Not enough hand positions, the source still running: try again.
- The file is too short, the file ended, or the calibration could not be saved: when playing, go on to the level
  with the saved calibration or, without one, the default range (the whole camera image), saving nothing; or
  calibrate again (a file from its start, opened again). A camera that stopped can be tried again, or the mouse
  chosen.

Every choice, and Quit, is a button held with the hand (or the mouse pointer), so no key is needed; the keys still
work. Headless runs have nobody at the keys: after the reading time the way on is chosen (the level with the default
range when playing; the end of the run for ``motorplay calibrate``, whose exit status says why). While the camera
delivers no pictures and is reopened every second (:func:`game.tracking_input.camera_waiting`), the screen says so.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import pygame

from game.scenes import source_choices
from game.scenes.base import GameContext
from game.scenes.buttons import DwellButtons, row_of_buttons
from game.scenes.routes import EXIT, AppExit, Next, Route, ToCalibration
from game.theme import BACKGROUND, GOOD, NOTICE, TEXT, TEXT_SOFT, draw_cursor, draw_text
from game.tracking_input import camera_waiting
from levels.events import Command

# How long the saved result stays on screen before the game goes on (Space goes on at once).
DONE_DISPLAY_S = 3.0
# The choices' buttons (and Quit), side by side near the bottom, above the footer.
BUTTONS_CENTRE_Y_NORM = 0.83
# How to choose, in instruction size, below the buttons.
HINT_TOP_Y_NORM = 0.9


class Phase(enum.Enum):
    SAVED = "saved"
    RETRY = "retry"  # measured, but not enough hand positions: the source still runs
    TOO_SHORT = "too_short"  # a file shorter than the calibration needs: said before it starts
    ENDED = "ended"  # the file ended, or the camera stopped, before the calibration finished
    NOT_SAVED = "not_saved"  # measured, but the file could not be written (the reason is said)


TITLES = {
    Phase.SAVED: "Calibration done",
    Phase.RETRY: "Calibration not finished",
    Phase.TOO_SHORT: "Too short to calibrate from",
    Phase.ENDED: "Calibration not finished",
    Phase.NOT_SAVED: "Calibration not saved",
}


@dataclass(frozen=True)
class Outcome:
    phase: Phase
    message: str


@dataclass(frozen=True)
class Choice:
    """One way on: the command that takes it, its words on screen, what it does, and its button's label."""

    command: Command
    words: str
    act: Callable[[], Route | AppExit | None]
    label: str = "Continue"


class Calibrating(Protocol):
    """What the outcome screen needs of the calibration scene it is part of."""

    context: GameContext
    then: Next
    outcome: Outcome | None
    outcome_shown_s: float

    def start_measuring(self) -> None: ...


_KEY_NAMES = {Command.CONFIRM: "Space", Command.RECALIBRATE: "C", Command.USE_MOUSE: "M"}


class OutcomeScreen:
    """The end of one calibration: its message and the choices; part of :class:`CalibrationScene`."""

    def __init__(self, scene: Calibrating) -> None:
        self.scene = scene
        self.hold = DwellButtons(scene.context.cursor_norm)

    @property
    def _outcome(self) -> Outcome:
        assert self.scene.outcome is not None
        return self.scene.outcome

    def choices(self) -> list[Choice]:
        """What can be done now, Space first."""
        context = self.scene.context
        phase = self._outcome.phase
        playing = not context.calibrate_only
        if phase is Phase.SAVED:
            return [Choice(Command.CONFIRM, "continue", self._continue, "Continue")]
        if phase is Phase.RETRY:
            return [Choice(Command.CONFIRM, "try again", self._try_again, "Try again")]
        if phase is Phase.ENDED and not source_choices.playing_from_file(context):
            return self._camera_stopped(playing)
        choices: list[Choice] = []
        if playing:
            choices.append(Choice(Command.CONFIRM, self._play_words(), self._play_without, "Play now"))
        again = Command.RECALIBRATE if playing else Command.CONFIRM
        if phase is Phase.TOO_SHORT:
            choices.append(Choice(again, "calibrate from it anyway", self._try_again, "Calibrate anyway"))
        elif phase is Phase.ENDED and source_choices.can_reopen(context):
            noun = source_choices.source_noun(context)
            choices.append(
                Choice(again, f"calibrate again from the start of the {noun}", self._reopen, "Calibrate again")
            )
        elif phase is Phase.NOT_SAVED:
            choices.append(Choice(again, "try again", self._try_again, "Try again"))
        return choices

    def _camera_stopped(self, playing: bool) -> list[Choice]:
        context = self.scene.context
        choices = []
        if source_choices.can_reopen(context):
            choices.append(Choice(Command.CONFIRM, "try the camera again", self._reopen, "Try the camera"))
        if playing:
            choices.append(
                Choice(
                    Command.USE_MOUSE, "play with the mouse", lambda: source_choices.use_mouse(context), "Use the mouse"
                )
            )
        return choices

    def _play_words(self) -> str:
        context = self.scene.context
        if context.calibration is not None:
            words = "play now with your saved calibration"
        else:
            words = "play now with the default range (the whole camera image; nothing is saved)"
        if source_choices.ended(context) is not None:
            words += f" - the {source_choices.source_noun(context)} starts again from the beginning"
        return words

    def buttons(self, count: int) -> list[tuple[float, float, float, float]]:
        """The buttons of ``count`` choices and Quit, in a row."""
        return row_of_buttons(count + 1, centre_y=BUTTONS_CENTRE_Y_NORM, height=0.1)

    def update(
        self, commands: list[Command], cursor: tuple[float, float] | None = None, dt_s: float = 0.0
    ) -> Route | AppExit | None:
        """Take a choice's key, or its button held (or clicked); else, headless, the way on after reading."""
        choices = self.choices()
        buttons = self.buttons(len(choices))
        # Space or a click while the pointer is on a button presses that button, as a click would.
        pressed = self.hold.update(cursor, buttons, Command.CONFIRM in commands, dt_s)
        if pressed is not None:
            return EXIT if pressed == len(choices) else choices[pressed].act()
        for choice in choices:
            if choice.command in commands:
                return choice.act()
        auto = self._automatic(choices)
        return None if auto is None else auto()

    def _automatic(self, choices: list[Choice]) -> Callable[[], Route | AppExit | None] | None:
        """Without a person (headless), the way on after the reading time; the saved result goes on by itself."""
        shown_s = self.scene.outcome_shown_s
        phase = self._outcome.phase
        if phase is Phase.SAVED:
            return self._continue if shown_s >= DONE_DISPLAY_S else None
        reading_s = self.scene.context.auto_start_after_s
        if reading_s is None or shown_s < reading_s:
            return None
        if phase is Phase.RETRY:
            return self._try_again
        if self.scene.context.calibrate_only:
            return lambda: EXIT  # nothing more can happen without a person: the command says why
        if any(choice.act == self._play_without for choice in choices):
            return self._play_without  # the level with the default range (a camera that stopped: nothing)
        return None

    def _continue(self) -> Next:
        context = self.scene.context
        if context.calibrate_only:
            return self.scene.then
        return source_choices.fresh_source(context, self.scene.then)

    def _play_without(self) -> Next:
        """The level without saving anything: the cursor keeps the saved or the default range."""
        return source_choices.fresh_source(self.scene.context, self.scene.then)

    def _try_again(self) -> Route | AppExit | None:
        if source_choices.ended(self.scene.context) is not None:
            return self._reopen()
        self.scene.start_measuring()
        return None

    def _reopen(self) -> Route | AppExit | None:
        """Calibrate again from the start of the file (or with the camera opened again)."""
        if not source_choices.can_reopen(self.scene.context):
            return None
        # Asked for after the file ran out: its length is not questioned again.
        return source_choices.reopen(ToCalibration(then=self.scene.then, check_length=False))

    def draw(self, surface: pygame.Surface) -> None:
        scene = self.scene
        theme = scene.context.theme
        width, height = surface.get_size()
        surface.fill(BACKGROUND)
        phase = self._outcome.phase
        title = TITLES[phase]
        if phase is Phase.ENDED and not source_choices.playing_from_file(scene.context):
            title = "The camera stopped"
        colour = GOOD if phase is Phase.SAVED else NOTICE
        y = draw_text(surface, title, theme.title, colour, centre_x=width // 2, top_y=height // 8)
        y = draw_text(
            surface,
            self._outcome.message,
            theme.body,
            TEXT,
            centre_x=width // 2,
            top_y=y + height // 30,
            width_px=int(width * 0.85),
        )
        choices = self.choices()
        for choice in choices:
            y = draw_text(
                surface,
                f"{_KEY_NAMES[choice.command]}: {choice.words}",
                theme.body,
                TEXT_SOFT,
                centre_x=width // 2,
                top_y=y + height // 40,
                width_px=int(width * 0.85),
            )
        waiting = camera_waiting(scene.context.input_source)
        if waiting is not None:  # the camera is lost and reopened every second: said, not waited on silently
            draw_text(
                surface,
                waiting,
                theme.body,
                NOTICE,
                centre_x=width // 2,
                top_y=y + height // 30,
                width_px=int(width * 0.85),
            )
        labels = [choice.label for choice in choices] + ["Quit"]
        self.hold.draw(surface, self.buttons(len(choices)), labels, theme.body)
        if self.hold.cursor is not None and source_choices.ended(scene.context) is None:
            draw_cursor(surface, self.hold.cursor)  # not once the source ended: the hand's ring stays put over the text
        hint = "Hold your hand on a button to choose."
        draw_text(surface, hint, theme.body, TEXT_SOFT, centre_x=width // 2, top_y=int(height * HINT_TOP_Y_NORM))

"""Dwell buttons laid over a scene: Pause and Stop on every level screen, Next level / Play again and Finish on
the results, so that a camera player needs no keyboard from the start of a session to its end.

:class:`DwellOverlay` wraps any scene: it passes the scene its events, draws the buttons over it, and presses a
button held for :data:`~game.scenes.buttons.BUTTON_DWELL_S` (or clicked). A pressed button either issues a command
to the scene (as its key would) or leaves the scene for a route. A button pressed once must be left before it can
be pressed again, so a hand resting on Pause does not pause and resume in turn.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pygame

from game.scenes import source_choices
from game.scenes.base import GameContext, Scene
from game.scenes.buttons import BUTTON_DWELL_S, ButtonNorm, arms, draw_dwell_button, on_button
from game.scenes.routes import AppExit, Route
from game.theme import Theme, draw_cursor
from levels.events import Command, CommandIssued, CursorMoved, InputEvent

# On a level screen: top right, in the status bar, away from the play area where targets appear.
PAUSE_BUTTON_NORM: ButtonNorm = (0.835, 0.033, 0.1, 0.056)
STOP_BUTTON_NORM: ButtonNorm = (0.945, 0.033, 0.1, 0.056)
# On the results: the two ways on, at the bottom corners, above the footer line.
NEXT_BUTTON_NORM: ButtonNorm = (0.2, 0.86, 0.26, 0.08)
FINISH_BUTTON_NORM: ButtonNorm = (0.8, 0.86, 0.26, 0.08)
# Between them, only once a camera has stopped: go on with the mouse; else back to the menu.
MOUSE_BUTTON_NORM: ButtonNorm = (0.5, 0.86, 0.26, 0.08)
MENU_BUTTON_NORM: ButtonNorm = MOUSE_BUTTON_NORM
# After Stop with levels still planned: Play again, Next level, Back to the menu, Finish, side by side.
STOPPED_BUTTONS_NORM: tuple[ButtonNorm, ...] = (
    (0.14, 0.86, 0.22, 0.08),
    (0.38, 0.86, 0.22, 0.08),
    (0.62, 0.86, 0.22, 0.08),
    (0.86, 0.86, 0.22, 0.08),
)

Action = Command | Route | AppExit


@dataclass(frozen=True)
class OverlayButton:
    """A button: where it is, its label (read each frame: "Pause" becomes "Resume"), what pressing it does, and
    whether it shows now (read each frame; a hidden button cannot be pressed)."""

    button_norm: ButtonNorm
    label: Callable[[], str]
    action: Callable[[], Action]
    visible: Callable[[], bool] = lambda: True


class DwellOverlay:
    """``inner`` with ``buttons`` over it; ``after_update`` is called after each update of ``inner``.

    ``auto`` = (seconds, command): with nobody at the keyboard (headless), issue ``command`` once after that long.
    ``context``: the pointer starts where the last screen left it, and is kept there for the next one.
    """

    def __init__(
        self,
        inner: Scene,
        buttons: Sequence[OverlayButton],
        theme: Theme,
        *,
        after_update: Callable[[], None] | None = None,
        draw_pointer: bool = False,
        auto: tuple[float, Command] | None = None,
        context: GameContext | None = None,
    ) -> None:
        self.inner = inner
        self.name = inner.name  # the run's list of screens is unchanged by the buttons
        self.buttons = tuple(buttons)
        self.theme = theme
        self.after_update = after_update
        self.draw_pointer = draw_pointer
        self.auto = auto
        self.context = context  # where the pointer is kept across screens, when given
        self.cursor = None if context is None else context.cursor_norm
        self.dwell_s = [0.0] * len(self.buttons)
        self.armed = [False] * len(self.buttons)  # a hold counts once the cursor was seen off the button
        self.shown_s = 0.0

    def on_show(self) -> None:
        """Show the wrapped scene."""
        self.inner.on_show()

    def on_hide(self) -> None:
        """Hide the wrapped scene."""
        self.inner.on_hide()

    def update(self, events: list[InputEvent], dt_s: float) -> Route | AppExit | None:
        """Press the buttons held long enough (or clicked), then update the wrapped scene."""
        self.shown_s += dt_s
        for event in events:
            if isinstance(event, CursorMoved):
                self.cursor = (event.x_norm, event.y_norm)
                if self.context is not None:
                    self.context.cursor_norm = self.cursor
        t_s = events[-1].t_s if events else 0.0
        pressed = self._pressed(events, dt_s)
        if self.auto is not None and self.shown_s >= self.auto[0]:
            pressed.append(self.auto[1])
            self.auto = None
        for action in pressed:
            if isinstance(action, Command):
                events = [*events, CommandIssued(t_s, action)]
            else:
                return action
        route = self.inner.update(events, dt_s)
        if self.after_update is not None:
            self.after_update()
        return route

    def _pressed(self, events: list[InputEvent], dt_s: float) -> list[Action]:
        clicked = any(isinstance(e, CommandIssued) and e.command is Command.CONFIRM for e in events)
        pressed: list[Action] = []
        for index, button in enumerate(self.buttons):
            if not button.visible() or not on_button(self.cursor, button.button_norm):
                self.dwell_s[index], self.armed[index] = 0.0, arms(self.cursor, self.armed[index])
                continue
            if clicked:  # a click (or Space) on a button presses that button, and only it
                events[:] = [e for e in events if not (isinstance(e, CommandIssued) and e.command is Command.CONFIRM)]
                pressed.append(button.action())
                self.dwell_s[index], self.armed[index] = 0.0, False
                continue
            if not self.armed[index]:
                continue
            self.dwell_s[index] += dt_s
            if self.dwell_s[index] >= BUTTON_DWELL_S:
                pressed.append(button.action())
                self.dwell_s[index], self.armed[index] = 0.0, False
        return pressed

    def draw(self, surface: pygame.Surface) -> None:
        """The wrapped scene, its buttons over it, and the pointer."""
        self.inner.draw(surface)
        for index, button in enumerate(self.buttons):
            if not button.visible():
                continue
            draw_dwell_button(surface, button.button_norm, button.label(), self.theme.small, self.dwell_s[index])
        if self.draw_pointer and self.cursor is not None:
            draw_cursor(surface, self.cursor)


def camera_stopped(context: GameContext) -> bool:
    """Whether a camera (not a video or recording) has stopped: the mouse is then offered."""
    return source_choices.ended(context) is not None and not source_choices.playing_from_file(context)


def unwrap(scene: Scene) -> Scene:
    """The scene under any overlays."""
    while isinstance(scene, DwellOverlay):
        scene = scene.inner
    return scene

"""What the game loop polls each frame for input events, and the keys every input shares.

Keys: Space / Enter confirm, P / Escape pause, Q quits, M chooses the mouse, C calibrates again. Closing the
window quits. On every screen N mutes the sounds and F11 toggles fullscreen (:class:`game.app.App`). No key is
needed: every choice is also a button held with the hand or the mouse pointer.
"""

from __future__ import annotations

import enum
from typing import Protocol

import pygame

from levels.events import Command, CommandIssued, CursorMoved, InputEvent
from tracking.calibration import ReachRange
from tracking.types import Effector

KEY_COMMANDS: dict[int, Command] = {
    pygame.K_SPACE: Command.CONFIRM,
    pygame.K_RETURN: Command.CONFIRM,
    pygame.K_KP_ENTER: Command.CONFIRM,
    pygame.K_p: Command.PAUSE,
    pygame.K_ESCAPE: Command.BACK,
    pygame.K_q: Command.QUIT,
    pygame.K_m: Command.USE_MOUSE,
    pygame.K_c: Command.RECALIBRATE,
}


class InputKind(enum.Enum):
    CAMERA = "camera"  # live tracking from a camera, a video file or a landmark recording
    MOUSE = "mouse"


class InputSource(Protocol):
    """A producer of :mod:`levels.events` from pygame events and, for tracking, from the tracker."""

    kind: InputKind

    @property
    def seen(self) -> frozenset[Effector]:
        """The effectors seen now (the mouse stands for the hand and, with the arrow keys, the head: always seen).
        A level's clock runs only while the level's own effector is among them."""

    def poll(self, pygame_events: list[pygame.event.Event], now_s: float) -> list[InputEvent]:
        """The input events since the last poll; ``now_s`` is the game clock."""

    def set_reach(self, reach: ReachRange) -> None:
        """Use a new calibrated reach range for the cursor mapping."""

    def close(self) -> None:
        """Release the camera, file or worker."""


def key_commands(pygame_events: list[pygame.event.Event], now_s: float) -> list[InputEvent]:
    """The commands asked for by key presses and by closing the window."""
    events: list[InputEvent] = []
    for event in pygame_events:
        if event.type == pygame.QUIT:
            events.append(CommandIssued(now_s, Command.QUIT))
        elif event.type == pygame.KEYDOWN and event.key in KEY_COMMANDS:
            events.append(CommandIssued(now_s, KEY_COMMANDS[event.key]))
    return events


class KeysOnlyInput:
    """The input while no source is open (no camera found): keys, the window's close button and, for a window of
    ``screen_size_px`` (logical pixels), the mouse pointer and its click on the screen's buttons."""

    kind = InputKind.CAMERA

    def __init__(self, screen_size_px: tuple[int, int] | None = None) -> None:
        self._size_px = screen_size_px

    @property
    def seen(self) -> frozenset[Effector]:
        return frozenset()

    def poll(self, pygame_events: list[pygame.event.Event], now_s: float) -> list[InputEvent]:
        events = key_commands(pygame_events, now_s)
        if self._size_px is None:
            return events
        width_px, height_px = self._size_px
        for event in pygame_events:
            if event.type == pygame.MOUSEMOTION:
                x_norm = min(max(event.pos[0] / width_px, 0.0), 1.0)
                y_norm = min(max(event.pos[1] / height_px, 0.0), 1.0)
                events.append(CursorMoved(now_s, x_norm, y_norm))
            elif event.type == pygame.MOUSEBUTTONDOWN and event.button == pygame.BUTTON_LEFT:
                events.append(CommandIssued(now_s, Command.CONFIRM))
        return events

    def set_reach(self, reach: ReachRange) -> None:
        """No cursor to map."""

    def close(self) -> None:
        """Nothing to release."""

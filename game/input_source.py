"""What the game loop polls each frame for input events, and the keys every input shares.

Keys: Space / Enter confirm, P / Escape pause, Q quits, M chooses the mouse, C calibrates again, T opens the
therapist screen from the menu; the digits and Backspace type a number (the therapist's PIN). Closing the
window quits. A click of the mouse is a :class:`~levels.events.Clicked`: a confirm that says where it was.
On every screen N mutes the sounds and F11 toggles fullscreen (:class:`game.app.App`). No key is
needed: every choice is also a button held with the hand or the mouse pointer.
"""

from __future__ import annotations

import enum
from typing import Protocol

import pygame

from levels.events import Clicked, Command, CommandIssued, CursorMoved, DigitTyped, InputEvent
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
    pygame.K_t: Command.THERAPIST,
    pygame.K_BACKSPACE: Command.ERASE,
}
# The digit keys of the main row and of the keypad, and the digit each types.
DIGIT_KEYS: dict[int, str] = {
    **{getattr(pygame, f"K_{digit}"): str(digit) for digit in range(10)},
    **{getattr(pygame, f"K_KP{digit}"): str(digit) for digit in range(10)},
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
    """The commands asked for by key presses and by closing the window, and the digits typed."""
    events: list[InputEvent] = []
    for event in pygame_events:
        if event.type == pygame.QUIT:
            events.append(CommandIssued(now_s, Command.QUIT))
        elif event.type == pygame.KEYDOWN and event.key in KEY_COMMANDS:
            events.append(CommandIssued(now_s, KEY_COMMANDS[event.key]))
        elif event.type == pygame.KEYDOWN and event.key in DIGIT_KEYS:
            events.append(DigitTyped(now_s, DIGIT_KEYS[event.key]))
    return events


def click_at(pos_px: tuple[int, int], size_px: tuple[int, int], now_s: float) -> Clicked:
    """A left click at ``pos_px`` in a window of ``size_px`` (logical pixels): a confirm with its place."""
    x_norm, y_norm = clip_norm(pos_px[0] / size_px[0]), clip_norm(pos_px[1] / size_px[1])
    return Clicked(now_s, Command.CONFIRM, x_norm=x_norm, y_norm=y_norm)


def clip_norm(value: float) -> float:
    """``value`` kept within 0..1 (a pointer just outside the window is at its edge)."""
    return min(max(value, 0.0), 1.0)


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
                x_norm, y_norm = clip_norm(event.pos[0] / width_px), clip_norm(event.pos[1] / height_px)
                events.append(CursorMoved(now_s, x_norm, y_norm))
            elif event.type == pygame.MOUSEBUTTONDOWN and event.button == pygame.BUTTON_LEFT:
                events.append(click_at(event.pos, self._size_px, now_s))
        return events

    def set_reach(self, reach: ReachRange) -> None:
        """No cursor to map."""

    def close(self) -> None:
        """Nothing to release."""

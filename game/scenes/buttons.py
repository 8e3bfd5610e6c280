"""Buttons pressed by holding the cursor (or the hand) on them: camera players need no keyboard.

Shared by the menu's Start and the calibration's Skip, so both answer the same hold in the same way.
"""

from __future__ import annotations

import pygame

from game.theme import ACCENT, ACCENT_FILL, PANEL, TEXT

# Holding the cursor on a button this long presses it: long enough not to press it by passing over it.
BUTTON_DWELL_S = 1.5

# A button as fractions of the window: (centre x, centre y, width, height).
ButtonNorm = tuple[float, float, float, float]


def on_button(point_norm: tuple[float, float] | None, button_norm: ButtonNorm) -> bool:
    """Whether ``point_norm`` (screen 0..1, or None when there is no pointer) is on the button."""
    if point_norm is None:
        return False
    cx, cy, w, h = button_norm
    return abs(point_norm[0] - cx) <= w / 2 and abs(point_norm[1] - cy) <= h / 2


def button_at(point_norm: tuple[float, float] | None, buttons: list[ButtonNorm]) -> int | None:
    """The index of the first of ``buttons`` under ``point_norm`` (a click's place), ``None`` when it is on none."""
    return next((index for index, button in enumerate(buttons) if on_button(point_norm, button)), None)


def arms(cursor: tuple[float, float] | None, armed: bool) -> bool:
    """Whether a button the cursor is off is armed (a hold on it will count): once the cursor is known to be off it.

    With no cursor yet it stays as it was, so that a cursor first seen on a button must leave it and come back.
    """
    return armed or cursor is not None


def draw_dwell_button(
    surface: pygame.Surface, button_norm: ButtonNorm, label: str, font: pygame.font.Font, dwell_s: float
) -> pygame.Rect:
    """The button with ``label``, filled from the left as the hold (``dwell_s``) nears :data:`BUTTON_DWELL_S`."""
    width, height = surface.get_size()
    cx, cy, w, h = button_norm
    rect = pygame.Rect(0, 0, round(w * width), round(h * height))
    rect.center = (round(cx * width), round(cy * height))
    pygame.draw.rect(surface, PANEL, rect, border_radius=rect.height // 4)
    if dwell_s > 0:
        filled = rect.copy()
        filled.width = round(rect.width * min(dwell_s / BUTTON_DWELL_S, 1.0))
        pygame.draw.rect(surface, ACCENT_FILL, filled, border_radius=rect.height // 4)
    pygame.draw.rect(surface, ACCENT, rect, width=3, border_radius=rect.height // 4)
    rendered = font.render(label, True, TEXT)
    surface.blit(rendered, rendered.get_rect(center=rect.center))
    return rect


def row_of_buttons(count: int, *, centre_y: float, height: float = 0.09, width: float = 0.9) -> list[ButtonNorm]:
    """``count`` buttons side by side, centred, sharing ``width`` of the window with gaps between them."""
    gap = 0.02
    each = min(0.3, (width - gap * (count - 1)) / max(count, 1))
    left = 0.5 - (each * count + gap * (count - 1)) / 2
    return [(left + each / 2 + index * (each + gap), centre_y, each, height) for index in range(count)]


class DwellButtons:
    """The hold on a set of buttons: a button is pressed when the cursor is held on it for :data:`BUTTON_DWELL_S`
    (or clicked: Space or the mouse button while on it); it must be left before it can be pressed again.

    A hold counts only once the cursor was seen off the button since the screen appeared (:func:`arms`): a pointer
    resting where the last screen left it (the window's centre) does not press the button under it.
    """

    def __init__(self, cursor: tuple[float, float] | None = None) -> None:
        self.cursor = cursor
        self.dwell_s: dict[int, float] = {}
        self.armed: dict[int, bool] = {}

    def update(self, cursor: tuple[float, float] | None, buttons: list[ButtonNorm], confirmed: bool, dt_s: float) -> (
        int | None
    ):
        """Follow the cursor; return the index of the button pressed now, if any."""
        if cursor is not None:
            self.cursor = cursor
        pressed = None
        for index, button in enumerate(buttons):
            if not on_button(self.cursor, button):
                self.dwell_s[index], self.armed[index] = 0.0, arms(self.cursor, self.armed.get(index, False))
                continue
            if confirmed:
                pressed = index
            elif self.armed.get(index, False):
                self.dwell_s[index] = self.dwell_s.get(index, 0.0) + dt_s
                if self.dwell_s[index] >= BUTTON_DWELL_S:
                    pressed = index
            if pressed == index:
                self.dwell_s[index], self.armed[index] = 0.0, False
        return pressed

    def armed_under(self, cursor: tuple[float, float] | None, buttons: list[ButtonNorm]) -> bool:
        """Whether the button under ``cursor`` (if any) is armed: the cursor was seen off it since the screen
        appeared, so it came onto it on purpose."""
        index = button_at(cursor, buttons)
        return index is not None and self.armed.get(index, False)

    def click(self, point_norm: tuple[float, float], buttons: list[ButtonNorm]) -> int | None:
        """A click at ``point_norm`` (the pointer is there now): return the index of the button clicked, if any.

        A click presses the button under it at once, armed or not: it is a deliberate act, not a resting pointer.
        """
        self.cursor = point_norm
        index = button_at(point_norm, buttons)
        if index is not None:
            self.dwell_s[index], self.armed[index] = 0.0, False
        return index

    def on_any(self, buttons: list[ButtonNorm]) -> bool:
        """Whether the cursor is on one of ``buttons`` (a click there is the button's, not the screen's)."""
        return any(on_button(self.cursor, button) for button in buttons)

    def draw(
        self, surface: pygame.Surface, buttons: list[ButtonNorm], labels: list[str], font: pygame.font.Font
    ) -> None:
        """Draw each button with its label and its hold so far."""
        for index, (button, label) in enumerate(zip(buttons, labels, strict=True)):
            draw_dwell_button(surface, button, label, font, self.dwell_s.get(index, 0.0))

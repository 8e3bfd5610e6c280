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

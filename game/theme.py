"""Colours, fonts and text drawing: calm, high-contrast, large (patients with dystonia; stress worsens symptoms).

Only pygame's default font is used, so no font asset (nor its licence) is needed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

Colour = tuple[int, int, int]

BACKGROUND: Colour = (28, 38, 52)  # deep slate blue: calm, and white text on it has a contrast ratio above 12:1
PANEL: Colour = (44, 58, 76)
TEXT: Colour = (244, 246, 248)
TEXT_SOFT: Colour = (190, 202, 214)
ACCENT: Colour = (120, 200, 190)  # soft teal: targets, progress
ACCENT_FILL: Colour = (70, 150, 140)
CURSOR: Colour = (250, 214, 120)  # warm yellow, clearly distinct from the teal targets
GOOD: Colour = (140, 210, 150)
NOTICE: Colour = (240, 190, 120)  # warm amber for "hand not seen": visible, not alarming (no red)

# Font heights as fractions of the window height (at 720 px: 72, 50, 40 and 30 px).
TITLE_FRACTION = 0.10
HEADING_FRACTION = 0.07
BODY_FRACTION = 0.055
SMALL_FRACTION = 0.042
LINE_SPACING = 1.2


@dataclass(frozen=True)
class Theme:
    """The fonts for one window size."""

    title: pygame.font.Font
    heading: pygame.font.Font
    body: pygame.font.Font
    small: pygame.font.Font

    @classmethod
    def for_height(cls, height_px: int) -> Theme:
        def font(fraction: float) -> pygame.font.Font:
            return pygame.font.Font(None, max(12, round(height_px * fraction)))

        return cls(font(TITLE_FRACTION), font(HEADING_FRACTION), font(BODY_FRACTION), font(SMALL_FRACTION))


def wrap(text: str, font: pygame.font.Font, width_px: int) -> list[str]:
    """Split ``text`` into lines no wider than ``width_px`` (words kept whole)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}".strip()
            if line and font.size(candidate)[0] > width_px:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def draw_text(
    surface: pygame.Surface,
    text: str,
    font: pygame.font.Font,
    colour: Colour,
    *,
    centre_x: int,
    top_y: int,
    width_px: int | None = None,
) -> int:
    """Draw ``text`` centred on ``centre_x``, wrapped to ``width_px``; return the y below the last line."""
    lines = wrap(text, font, width_px) if width_px else text.split("\n")
    y = top_y
    for line in lines:
        rendered = font.render(line, True, colour)
        surface.blit(rendered, rendered.get_rect(midtop=(centre_x, y)))
        y += round(font.get_linesize() * LINE_SPACING)
    return y


def draw_footer(surface: pygame.Surface, theme: Theme, text: str) -> None:
    """A soft line of small text at the bottom of the window."""
    width, height = surface.get_size()
    lines = wrap(text, theme.small, int(width * 0.9))
    y = height - round(theme.small.get_linesize() * LINE_SPACING) * len(lines) - height // 40
    draw_text(surface, "\n".join(lines), theme.small, TEXT_SOFT, centre_x=width // 2, top_y=y)


def draw_cursor(surface: pygame.Surface, position_norm: tuple[float, float]) -> None:
    """The cursor: a warm ring with a dark centre, visible on the background and on targets."""
    width, height = surface.get_size()
    centre = (round(position_norm[0] * width), round(position_norm[1] * height))
    radius = max(8, height // 40)
    pygame.draw.circle(surface, CURSOR, centre, radius)
    pygame.draw.circle(surface, BACKGROUND, centre, radius // 2)

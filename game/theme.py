"""Colours, fonts and text drawing: calm, high-contrast, large (patients with dystonia; stress worsens symptoms).

Only pygame's default font is used, so no font asset (nor its licence) is needed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

Colour = tuple[int, int, int]

# The palette is colour-blind safe: the accents are Okabe & Ito's "Color Universal Design" colours (2008), which
# stay distinct under protanopia, deuteranopia and tritanopia (tests/unit/game/test_theme.py simulates them); every
# meaning is also carried by words or shape, never by colour alone.
BACKGROUND: Colour = (28, 38, 52)  # deep slate blue: calm, and white text on it has a contrast ratio above 12:1
PANEL: Colour = (44, 58, 76)
TEXT: Colour = (244, 246, 248)
TEXT_SOFT: Colour = (190, 202, 214)
ACCENT: Colour = (120, 190, 240)  # Okabe-Ito sky blue, lightened to stand out on the background: targets
ACCENT_FILL: Colour = (0, 114, 178)  # Okabe-Ito blue: filled bars and buttons (white text on it reads at 5:1)
CURSOR: Colour = (255, 240, 120)  # Okabe-Ito yellow, lightened: distinct from the blue targets for every vision
GOOD: Colour = (0, 150, 110)  # Okabe-Ito bluish green (darker than the sky blue, for tritanopes)
NOTICE: Colour = (230, 159, 0)  # Okabe-Ito orange for "hand not seen": visible, not alarming (no red)

# Font sizes as fractions of the window height (at 720 px: 72, 54, 44 and 30 px; pygame's default font draws a
# line about 0.7 of its size high: 51, 38, 31 and 20 px), so instructions, in body or larger, are at least the
# 28 px that reading from 1-2 m needs; small text is only for secondary notes (the disclaimer, key reminders).
TITLE_FRACTION = 0.10
HEADING_FRACTION = 0.075
BODY_FRACTION = 0.061
SMALL_FRACTION = 0.042
# The least height (px at 720p) of a line of instruction text, as :func:`text_height_px` measures it.
MIN_INSTRUCTION_HEIGHT_720P_PX = 28
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


def text_height_px(font: pygame.font.Font) -> int:
    """The height of a line of text drawn with ``font``: the rendered line's box (ascent plus descent)."""
    return font.size("Hg")[1]


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

"""What a family's renderer does for the game's generic level scene, and the drawing every renderer shares.

A renderer is the only game code a family needs: it tells the rules the play area's shape
(:class:`levels.screen.ScreenShape`, worked out from the window and the theme's status bar) and draws the family's
state. The generic :class:`game.scenes.level.LevelScene` fills the background before and draws the pause or
"not seen" veil after it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import pygame

from game.texts import STEADY_LABEL
from game.theme import ACCENT_FILL, CURSOR, NOTICE, PANEL, TEXT, TEXT_SOFT, Theme, draw_text
from levels.feedback import MAX_STARS, TrialFeedback
from levels.screen import ScreenShape

STATUS_BAR_LINES = 1.5  # the status bar is one line of body text with half a line of padding


@dataclass(frozen=True)
class LevelView:
    """What a renderer draws: the family's ``state``, the movement feedback of the trials so far, the fonts."""

    state: Any  # the family's own state (its rules' frozen dataclass)
    feedback: Sequence[TrialFeedback]
    theme: Theme
    # The mouse moves a simulated head (game/mouse_input.py): a head level says so, and shows the head at once.
    simulated_head: bool = False


class LevelRenderer(Protocol):
    """One family's drawing. ``trial_noun`` names a trial for the player ("target": "Target 3", "3 targets").

    ``shows_trial_card``: whether the level scene shows each trial's stars and words after it (the assessment's
    steps are not trials to be scored, and it says how each went in its own summary).
    """

    trial_noun: str
    shows_trial_card: bool

    def screen_shape(self, size_px: tuple[int, int], theme: Theme) -> ScreenShape:
        """The play area the rules see on a window of ``size_px`` drawn with ``theme``."""
        ...

    def draw(self, surface: pygame.Surface, view: LevelView) -> None:
        """Draw the level (over the background; the scene draws the pause veil on top)."""
        ...


def status_bar_height_px(theme: Theme) -> int:
    """The height of the status bar at the top of a level, pixels."""
    return round(theme.body.get_linesize() * STATUS_BAR_LINES)


def status_bar_shape(size_px: tuple[int, int], theme: Theme) -> ScreenShape:
    """The play area of a window whose top holds the status bar."""
    width, height = size_px
    return ScreenShape(aspect=width / height, top_reserved_norm=status_bar_height_px(theme) / height)


def draw_status_bar(surface: pygame.Surface, theme: Theme, text: str) -> None:
    """The status bar: ``text`` centred on a panel across the top of the window."""
    bar = pygame.Rect(0, 0, surface.get_width(), status_bar_height_px(theme))
    pygame.draw.rect(surface, PANEL, bar)
    label = theme.body.render(text, True, TEXT)
    surface.blit(label, label.get_rect(center=bar.center))


# --- movement feedback every family shares: stars, the feedback card, the live steadiness and break marks ------

STAR_POINTS = 5
STAR_INNER_RATIO = 0.45  # inner radius of a drawn star over its outer radius
MARK_SHOW_S = 1.5  # a live break mark fades out over this time: noticed, then gone (gentle, not an alarm)


def star_polygon(centre: tuple[float, float], radius_px: float) -> list[tuple[float, float]]:
    """Return the corners of a five-pointed star (point up) of outer radius ``radius_px`` around ``centre``."""
    corners = []
    for index in range(2 * STAR_POINTS):
        angle = math.pi * index / STAR_POINTS - math.pi / 2
        reach = radius_px if index % 2 == 0 else radius_px * STAR_INNER_RATIO
        corners.append((centre[0] + reach * math.cos(angle), centre[1] + reach * math.sin(angle)))
    return corners


def draw_stars(surface: pygame.Surface, stars: int, *, centre: tuple[int, int], size_px: int) -> None:
    """Draw ``stars`` of :data:`levels.feedback.MAX_STARS` filled (warm yellow), the rest as outlines, centred."""
    gap = size_px * 1.25
    first_x = centre[0] - gap * (MAX_STARS - 1) / 2
    for index in range(MAX_STARS):
        corners = star_polygon((first_x + gap * index, centre[1]), size_px / 2)
        if index < stars:
            pygame.draw.polygon(surface, CURSOR, corners)
        else:
            pygame.draw.polygon(surface, TEXT_SOFT, corners, width=max(1, size_px // 12))


def draw_feedback_card(
    surface: pygame.Surface, theme: Theme, *, stars: int | None, lines: Sequence[str], top_y: int
) -> int:
    """Draw the last trial's stars and plain words centred from ``top_y``; return the y below them."""
    width = surface.get_width()
    y = top_y
    if stars is not None:
        size_px = theme.body.get_linesize()
        draw_stars(surface, stars, centre=(width // 2, y + size_px // 2), size_px=size_px)
        y += round(size_px * 1.3)
    for line in lines:
        y = draw_text(surface, line, theme.body, TEXT, centre_x=width // 2, top_y=y, width_px=width * 9 // 10)
    return y


def draw_live_feedback(
    surface: pygame.Surface,
    theme: Theme,
    *,
    steadiness: float,
    mark_ages_s: Sequence[float],
    mark_at_norm: tuple[float, float] | None = None,
) -> None:
    """Draw the live steadiness gauge (bottom left) and a soft ring for each break marked in the last
    :data:`MARK_SHOW_S` (``mark_ages_s``: seconds since each), around the gauge and at ``mark_at_norm``."""
    width, height = surface.get_size()
    label = theme.small.render(STEADY_LABEL, True, TEXT_SOFT)
    margin = height // 40
    bar = pygame.Rect(margin + label.get_width() + margin // 2, 0, width // 6, label.get_height() // 2)
    bar.centery = height - margin - label.get_height() // 2
    surface.blit(label, label.get_rect(midleft=(margin, bar.centery)))
    pygame.draw.rect(surface, PANEL, bar, border_radius=bar.height // 2)
    filled = bar.copy()
    filled.width = max(bar.height, round(bar.width * min(max(steadiness, 0.0), 1.0)))
    pygame.draw.rect(surface, ACCENT_FILL, filled, border_radius=bar.height // 2)
    for age_s in mark_ages_s:
        if not 0.0 <= age_s < MARK_SHOW_S:
            continue
        fade = 1.0 - age_s / MARK_SHOW_S
        places = [bar.center]
        if mark_at_norm is not None:
            places.append((round(mark_at_norm[0] * width), round(mark_at_norm[1] * height)))
        for place in places:
            _draw_soft_ring(surface, place, radius_px=round(height / 30 * (1.0 + age_s)), alpha=round(200 * fade))


def _draw_soft_ring(surface: pygame.Surface, centre: tuple[int, int], *, radius_px: int, alpha: int) -> None:
    ring = pygame.Surface((2 * radius_px + 2, 2 * radius_px + 2), pygame.SRCALPHA)
    pygame.draw.circle(ring, (*NOTICE, alpha), (radius_px + 1, radius_px + 1), radius_px, width=max(2, radius_px // 6))
    surface.blit(ring, ring.get_rect(center=centre))

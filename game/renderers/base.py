"""What a family's renderer does for the game's generic level scene, and the drawing every renderer shares.

A renderer is the only game code a family needs: it tells the rules the play area's shape
(:class:`levels.screen.ScreenShape`, worked out from the window and the theme's status bar) and draws the family's
state. The generic :class:`game.scenes.level.LevelScene` fills the background before and draws the pause or
"not seen" veil after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import pygame

from game.theme import PANEL, TEXT, Theme
from levels.feedback import TrialFeedback
from levels.screen import ScreenShape

STATUS_BAR_LINES = 1.5  # the status bar is one line of body text with half a line of padding


@dataclass(frozen=True)
class LevelView:
    """What a renderer draws: the family's ``state``, the movement feedback of the trials so far, the fonts."""

    state: Any  # the family's own state (its rules' frozen dataclass)
    feedback: Sequence[TrialFeedback]
    theme: Theme


class LevelRenderer(Protocol):
    """One family's drawing. ``trial_noun`` names a trial for the player ("target": "Target 3", "3 targets")."""

    trial_noun: str

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

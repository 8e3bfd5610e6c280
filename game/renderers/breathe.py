"""The breathe level's drawing: a soft circle that grows as the patient breathes in and shrinks as they breathe
out, the words "Breathe in" / "Breathe out", and the status bar (breath and score; no stopwatch: the circle sets
the pace).

Stillness biofeedback: while the body is still, the circle's edge is smooth and quiet; movement of the head or
hands makes it ripple gently, in proportion to the motion, and settle again when the body does. Nothing turns red
and no number is shown.
"""

from __future__ import annotations

import math

import pygame

from game.renderers.base import LevelView, draw_status_bar, status_bar_height_px, status_bar_shape
from game.theme import ACCENT, ACCENT_FILL, BACKGROUND, PANEL, TEXT, TEXT_SOFT, Colour, Theme, draw_text
from levels.breathe.rules import BreatheState, Phase
from levels.screen import ScreenShape

# The circle: centre (fractions of the window), breathed out and breathed in radii (fractions of the height).
CIRCLE_CENTRE_NORM = (0.5, 0.55)
RADIUS_OUT_NORM = 0.11
RADIUS_IN_NORM = 0.29
# The ripple at the size of a break of the stillness: the edge moves by this fraction of the radius, in
# RIPPLE_WAVES waves around the circle that drift at RIPPLE_SPEED_RAD_PER_S (a slow, water-like movement).
RIPPLE_AT_BREAK = 0.07
RIPPLE_MAX_LEVEL = 1.5
RIPPLE_WAVES = 6
RIPPLE_SPEED_RAD_PER_S = 2.0
EDGE_POINTS = 120  # enough for a smooth edge at 1080p
# Soft halo rings outside the circle, each fainter.
HALO_RINGS = 3


def _mix(a: Colour, b: Colour, weight: float) -> Colour:
    w = min(max(weight, 0.0), 1.0)
    return (round(a[0] + (b[0] - a[0]) * w), round(a[1] + (b[1] - a[1]) * w), round(a[2] + (b[2] - a[2]) * w))


LEAD_IN_WORDS = "Sit comfortably and let your shoulders drop"


def guide_words(state: BreatheState) -> str:
    """What the guide in the circle says now."""
    if state.phase is Phase.LEAD_IN:
        return "Ready"
    return "Breathe in" if state.inhaling else "Breathe out"


def top_words(state: BreatheState) -> str:
    """The line under the status bar: how to start, then a calm line on the stillness (praise while still, a
    gentle reminder while moving)."""
    if state.phase is Phase.LEAD_IN:
        return LEAD_IN_WORDS
    if state.moving:
        return "Let your body rest - only the circle moves"
    return "Still and easy - follow the circle"


def status_text(state: BreatheState) -> str:
    """The status bar's words: which breath, and the score."""
    progress = state.progress
    shown = min(state.trial_index + 1, progress.trials)
    return f"Breath {shown} of {progress.trials}    Score {progress.score}"


def circle_radius_px(state: BreatheState, height_px: int) -> int:
    """The circle's radius now, pixels: from breathed out to breathed in with the guide."""
    radius_norm = RADIUS_OUT_NORM + (RADIUS_IN_NORM - RADIUS_OUT_NORM) * state.breath_size
    return round(radius_norm * height_px)


def edge_points(state: BreatheState, centre: tuple[int, int], radius_px: int) -> list[tuple[float, float]]:
    """The circle's edge, rippling with the motion level (a plain circle while still)."""
    ripple = RIPPLE_AT_BREAK * min(state.motion_level, RIPPLE_MAX_LEVEL)
    drift = state.progress.clock.elapsed_s * RIPPLE_SPEED_RAD_PER_S
    points = []
    for index in range(EDGE_POINTS):
        angle = 2 * math.pi * index / EDGE_POINTS
        r = radius_px * (1.0 + ripple * math.sin(RIPPLE_WAVES * angle + drift))
        points.append((centre[0] + r * math.cos(angle), centre[1] + r * math.sin(angle)))
    return points


class BreatheRenderer:
    """Draws a breathe level (see the module's docstring)."""

    trial_noun = "breath"
    shows_trial_card = True

    def screen_shape(self, size_px: tuple[int, int], theme: Theme) -> ScreenShape:
        """Return the play area below the status bar."""
        return status_bar_shape(size_px, theme)

    def draw(self, surface: pygame.Surface, view: LevelView) -> None:
        """Draw the breathing circle, the guide's words and the status bar."""
        state = view.state
        assert isinstance(state, BreatheState)
        theme = view.theme
        width, height = surface.get_size()
        centre = (round(CIRCLE_CENTRE_NORM[0] * width), round(CIRCLE_CENTRE_NORM[1] * height))
        # The breathed-in size, faintly: where the circle is going.
        pygame.draw.circle(surface, PANEL, centre, round(RADIUS_IN_NORM * height), width=max(2, height // 240))
        radius_px = circle_radius_px(state, height)
        for ring in range(HALO_RINGS, 0, -1):
            halo = _mix(BACKGROUND, ACCENT_FILL, 0.25 / ring)
            pygame.draw.circle(surface, halo, centre, radius_px + ring * max(4, height // 80))
        points = edge_points(state, centre, radius_px)
        pygame.draw.polygon(surface, ACCENT_FILL, points)
        pygame.draw.aalines(surface, ACCENT, True, points)
        words = theme.heading.render(guide_words(state), True, TEXT)
        surface.blit(words, words.get_rect(center=centre))
        top = status_bar_height_px(theme) + theme.body.get_linesize() // 4
        draw_text(surface, top_words(state), theme.body, TEXT_SOFT, centre_x=width // 2, top_y=top)
        draw_status_bar(surface, theme, status_text(state))

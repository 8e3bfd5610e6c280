"""The breathe renderer: the circle grows while breathing in and shrinks while breathing out, its edge is smooth
while the body is still and ripples with motion, and the guide's words are drawn."""

from __future__ import annotations

import math
from collections.abc import Iterator

import pygame
import pytest

from game.renderers.base import LevelView
from game.renderers.breathe import (
    CIRCLE_CENTRE_NORM,
    LEAD_IN_WORDS,
    RADIUS_IN_NORM,
    RADIUS_OUT_NORM,
    BreatheRenderer,
    circle_radius_px,
    edge_points,
)
from game.theme import ACCENT_FILL, BACKGROUND, PANEL, TEXT, TEXT_SOFT, Theme
from levels.breathe import rules
from levels.breathe.rules import BreatheParams, BreatheState
from levels.events import HeadPose, InputEvent
from tests.support.game_screens import colour_at, shows_text
from tracking.types import Effector, HeadAngles

SIZE_PX = (800, 600)
STEP_S = 1.0 / 60.0
PARAMS = BreatheParams(breaths=4, cycle_s=10.0, inhale_fraction=0.4, lead_in_s=2.0)


@pytest.fixture
def surface() -> Iterator[pygame.Surface]:
    pygame.init()
    yield pygame.display.set_mode(SIZE_PX)
    pygame.quit()


def after(seconds: float, state: BreatheState | None = None, *events: InputEvent) -> BreatheState:
    state = state or rules.initial_state(PARAMS, seen=frozenset(Effector))
    pending = list(events)
    for _ in range(round(seconds / STEP_S)):
        state = rules.step(state, pending, STEP_S)
        pending = []
    return state


def draw(surface: pygame.Surface, state: BreatheState) -> Theme:
    theme = Theme.for_height(SIZE_PX[1])
    surface.fill(BACKGROUND)
    BreatheRenderer().draw(surface, LevelView(state, (), theme))
    return theme


def below_centre(distance_norm: float) -> tuple[float, float]:
    return (CIRCLE_CENTRE_NORM[0], CIRCLE_CENTRE_NORM[1] + distance_norm)


def test_the_circle_is_large_when_breathed_in_and_small_when_breathed_out(surface: pygame.Surface) -> None:
    middle = (RADIUS_IN_NORM + RADIUS_OUT_NORM) / 2
    breathed_in = after(2.0 + 4.2)  # the lead-in, then 4.2 s of a 10 s breath: in at 4 s, now breathing out
    theme = draw(surface, breathed_in)
    assert circle_radius_px(breathed_in, SIZE_PX[1]) >= round(RADIUS_IN_NORM * SIZE_PX[1]) - 1
    assert colour_at(surface, below_centre(middle)) == ACCENT_FILL
    assert shows_text(surface, "Breathe out", theme.heading, TEXT, background=ACCENT_FILL)  # the turn has come
    breathed_out = after(2.0 + 9.9)
    theme = draw(surface, breathed_out)
    assert colour_at(surface, below_centre(middle)) != ACCENT_FILL
    assert colour_at(surface, below_centre(RADIUS_OUT_NORM * 0.9)) == ACCENT_FILL
    breathing_in = after(2.0 + 1.0)
    theme = draw(surface, breathing_in)
    assert shows_text(surface, "Breathe in", theme.heading, TEXT, background=ACCENT_FILL)
    assert shows_text(surface, "Still and easy - follow the circle", theme.body, TEXT_SOFT, background=BACKGROUND)
    assert shows_text(surface, "Breath 1 of 4    Score 0", theme.body, TEXT, background=PANEL)


def test_the_lead_in_says_how_to_sit(surface: pygame.Surface) -> None:
    theme = draw(surface, after(1.0))
    assert shows_text(surface, LEAD_IN_WORDS, theme.body, TEXT_SOFT, background=BACKGROUND)


def test_the_edge_is_round_while_still_and_ripples_while_moving(surface: pygame.Surface) -> None:
    still = after(2.0 + 4.0, None, HeadPose(0.0, HeadAngles(0.0, 0.0, 0.0)))
    centre = (400, 330)
    radius_px = circle_radius_px(still, SIZE_PX[1])
    distances = [math.dist(point, centre) for point in edge_points(still, centre, radius_px)]
    assert max(distances) - min(distances) == pytest.approx(0.0, abs=1e-9)
    moving = after(0.6, still, HeadPose(6.0, HeadAngles(6.0, 0.0, 0.0)))  # a 6-degree turn
    assert moving.moving
    distances = [math.dist(point, centre) for point in edge_points(moving, centre, radius_px)]
    assert max(distances) - min(distances) > 0.05 * radius_px
    draw(surface, moving)
    assert ACCENT_FILL in ring_colours(surface, 1.04 * RADIUS_IN_NORM)  # the ripple's crests reach past the circle
    draw(surface, still)
    assert ACCENT_FILL not in ring_colours(surface, 1.04 * RADIUS_IN_NORM)


def ring_colours(surface: pygame.Surface, radius_norm: float) -> set[tuple[int, int, int]]:
    """The colours on a ring of ``radius_norm`` (screen heights) round the circle's centre, every 5 degrees."""
    aspect = SIZE_PX[0] / SIZE_PX[1]
    return {
        colour_at(
            surface,
            (
                CIRCLE_CENTRE_NORM[0] + radius_norm * math.cos(math.radians(degrees)) / aspect,
                CIRCLE_CENTRE_NORM[1] + radius_norm * math.sin(math.radians(degrees)),
            ),
        )
        for degrees in range(0, 360, 5)
    }

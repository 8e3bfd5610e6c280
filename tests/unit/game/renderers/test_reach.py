"""The reach renderer: the play area it gives the rules (below the status bar) and what it draws."""

from __future__ import annotations

from collections.abc import Iterator

import pygame
import pytest

from game.renderers import renderer_for
from game.renderers.base import LevelView, status_bar_height_px
from game.renderers.reach import ReachRenderer, status_text, time_left_fraction
from game.theme import ACCENT, ACCENT_FILL, BACKGROUND, CURSOR, PANEL, TEXT, TEXT_SOFT, Theme
from levels.events import CursorMoved, InputEvent, TrackingLost
from levels.families import FAMILIES
from levels.feedback import TrialFeedback
from levels.loader import load_level
from levels.reach import rules
from levels.reach.schema import ReachLevel
from tests.support.game_screens import colour_at, shows_text
from tracking.types import Effector

SIZE_PX = (800, 600)
STEP_S = 1.0 / 120.0
HAND = frozenset({Effector.HAND})


@pytest.fixture
def surface() -> Iterator[pygame.Surface]:
    pygame.init()
    yield pygame.display.set_mode(SIZE_PX)
    pygame.quit()


def test_every_family_has_a_renderer() -> None:
    for family in FAMILIES:
        assert renderer_for(family.kind).trial_noun
    with pytest.raises(KeyError, match="no renderer for the level family 'jump'"):
        renderer_for("jump")


def test_the_rules_get_the_screen_shape_below_the_status_bar(surface: pygame.Surface) -> None:
    theme = Theme.for_height(SIZE_PX[1])
    shape = ReachRenderer().screen_shape(SIZE_PX, theme)
    assert shape.aspect == pytest.approx(800 / 600)
    assert shape.top_reserved_norm == pytest.approx(status_bar_height_px(theme) / 600)
    assert 0.05 < shape.top_reserved_norm < 0.15  # one line of body text and its padding


def level_state(surface: pygame.Surface, seconds: float, *events: InputEvent) -> tuple[rules.ReachState, Theme]:
    theme = Theme.for_height(SIZE_PX[1])
    level = load_level("reach")
    assert isinstance(level, ReachLevel)
    state = rules.start(level, ReachRenderer().screen_shape(SIZE_PX, theme), HAND)
    pending = list(events)
    for _ in range(round(seconds / STEP_S)):
        state = rules.step(state, pending, STEP_S)
        pending = []
    return state, theme


def test_the_target_the_cursor_and_the_status_are_drawn(surface: pygame.Surface) -> None:
    state, theme = level_state(surface, 1.5, CursorMoved(0.0, 0.2, 0.8))
    assert state.target is not None
    surface.fill(BACKGROUND)
    ReachRenderer().draw(surface, LevelView(state, (), theme))
    radius_px = round(state.params.target_radius_norm * SIZE_PX[1])
    assert colour_at(surface, state.target) == PANEL
    assert colour_at(surface, state.target, (-(radius_px - 1), 0)) == ACCENT
    assert colour_at(surface, (0.2, 0.8), (0, max(8, SIZE_PX[1] // 40) * 3 // 4)) == CURSOR
    assert shows_text(surface, "Target 1 of 8    Hits 0    Score 0", theme.body, TEXT, background=PANEL)


def test_no_cursor_while_the_hand_is_not_seen(surface: pygame.Surface) -> None:
    state, theme = level_state(surface, 0.5, CursorMoved(0.0, 0.2, 0.8), TrackingLost(0.0, Effector.HAND))
    surface.fill(BACKGROUND)
    ReachRenderer().draw(surface, LevelView(state, (), theme))
    assert colour_at(surface, (0.2, 0.8), (0, max(8, SIZE_PX[1] // 40) * 3 // 4)) == BACKGROUND


def test_no_stopwatch_but_a_gentle_bar_of_the_time_left(surface: pygame.Surface) -> None:
    state, theme = level_state(surface, 1.5, CursorMoved(0.0, 0.2, 0.8))
    assert state.phase is rules.Phase.REACHING and "Time" not in status_text(state)
    surface.fill(BACKGROUND)
    ReachRenderer().draw(surface, LevelView(state, (), theme))
    bar_y = status_bar_height_px(theme) + 1
    fraction = time_left_fraction(state)
    assert fraction is not None and 0.9 < fraction < 1.0
    assert surface.get_at((SIZE_PX[0] // 2, bar_y))[:3] == ACCENT_FILL
    assert surface.get_at((2, bar_y))[:3] == PANEL  # already shrunk from the edges
    later, _ = level_state(surface, 1.5 + state.params.trial_timeout_s / 2, CursorMoved(0.0, 0.2, 0.8))
    later_fraction = time_left_fraction(later)
    assert later_fraction is not None and later_fraction < fraction


def test_the_rest_says_get_ready_and_leaves_the_feedback_to_the_scene(surface: pygame.Surface) -> None:
    state, theme = level_state(surface, 0.5)
    surface.fill(BACKGROUND)
    feedback = TrialFeedback(-1.43, 0, stars=3)
    ReachRenderer().draw(surface, LevelView(state, (feedback,), theme))
    assert shows_text(surface, "Get ready - the first target is coming", theme.body, TEXT_SOFT, background=BACKGROUND)
    assert time_left_fraction(state) is None
    assert surface.get_at((SIZE_PX[0] // 2, status_bar_height_px(theme) + 1))[:3] == BACKGROUND  # no bar at rest

"""The hold renderer: a gauge, not a number. The dot sits where the head is relative to the target, the tolerance
circle glows as it comes near, the words say which way to go, and nothing is drawn for a head that is not seen."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pygame
import pytest

from game.renderers.base import LevelView
from game.renderers.head import MOUSE_HEAD_NOTE
from game.renderers.hold import (
    DOT_RADIUS_NORM,
    GAUGE_CENTRE_NORM,
    GAUGE_RADIUS_NORM,
    GAUGE_TOLERANCES,
    TRICK_HINT,
    HoldRenderer,
    _mix,
    nearness,
)
from game.theme import ACCENT_FILL, BACKGROUND, CURSOR, PANEL, TEXT, TEXT_SOFT, Theme
from levels.events import CursorMoved, HeadPose, InputEvent, TrackingLost
from levels.hold import rules
from levels.hold.schema import HoldLevel
from levels.loader import load_level
from tests.support.game_screens import colour_at, shows_text
from tracking.types import Effector, HeadAngles

SIZE_PX = (800, 600)
STEP_S = 1.0 / 60.0


@pytest.fixture
def surface() -> Iterator[pygame.Surface]:
    pygame.init()
    yield pygame.display.set_mode(SIZE_PX)
    pygame.quit()


def stretch_state(seconds: float, *events: InputEvent, hand: bool = False) -> rules.HoldState:
    level = load_level("stretch")
    assert isinstance(level, HoldLevel)
    theme = Theme.for_height(SIZE_PX[1])
    state = rules.start(level, HoldRenderer().screen_shape(SIZE_PX, theme), frozenset(Effector))
    if hand:
        state = replace(state, params=replace(state.params, effector=Effector.HAND))
    pending = list(events)
    for _ in range(round(seconds / STEP_S)):
        state = rules.step(state, pending, STEP_S)
        pending = []
    return state


def draw(surface: pygame.Surface, state: rules.HoldState) -> Theme:
    theme = Theme.for_height(SIZE_PX[1])
    surface.fill(BACKGROUND)
    HoldRenderer().draw(surface, LevelView(state, (), theme))
    return theme


def gauge_point(dx_px: int, dy_px: int = 0) -> tuple[float, float]:
    return (GAUGE_CENTRE_NORM[0] + dx_px / SIZE_PX[0], GAUGE_CENTRE_NORM[1] + dy_px / SIZE_PX[1])


def test_the_dot_shows_the_head_off_the_stretch_target_and_the_words_say_which_way(surface: pygame.Surface) -> None:
    state = stretch_state(5.0, HeadPose(0.0, HeadAngles(10.5, 0.0, 0.0)))  # 4.5 degrees short of 15 to the left
    assert state.phase is rules.Phase.SETTLING
    theme = draw(surface, state)
    tolerance_px = round(GAUGE_RADIUS_NORM * SIZE_PX[1] / GAUGE_TOLERANCES)
    dot_x = round(4.5 / 5.0 * tolerance_px)  # not yet turned far enough left: the dot is right of the target
    ring_px = round(DOT_RADIUS_NORM * SIZE_PX[1]) * 2 // 3
    assert colour_at(surface, gauge_point(dot_x + ring_px)) == CURSOR
    assert colour_at(surface, gauge_point(-dot_x - ring_px)) != CURSOR
    # the tolerance circle glows by how near the head is: 4.5 degrees of the 15 the gauge shows
    assert colour_at(surface, gauge_point(0, -tolerance_px // 2)) == _mix(PANEL, ACCENT_FILL, nearness(state))
    assert nearness(state) == pytest.approx(0.7)
    words = "Gently turn to your left until the dot rests in the circle"
    assert shows_text(surface, words, theme.body, TEXT_SOFT, background=BACKGROUND)
    assert shows_text(surface, "Hold 1 of 4    Score 0", theme.body, TEXT, background=PANEL)


def test_far_off_the_dot_rests_on_the_gauges_rim_and_the_circle_does_not_glow(surface: pygame.Surface) -> None:
    state = stretch_state(5.0, HeadPose(0.0, HeadAngles(-20.0, 0.0, 0.0)))  # 35 degrees the other way
    draw(surface, state)
    gauge_px = round(GAUGE_RADIUS_NORM * SIZE_PX[1])
    dot_px = round(DOT_RADIUS_NORM * SIZE_PX[1])
    assert colour_at(surface, gauge_point(gauge_px - dot_px - dot_px * 2 // 3)) == CURSOR
    assert colour_at(surface, gauge_point(0, -10)) == PANEL


def test_no_dot_while_the_head_is_not_seen(surface: pygame.Surface) -> None:
    state = stretch_state(5.0, HeadPose(0.0, HeadAngles(10.5, 0.0, 0.0)), TrackingLost(0.0, Effector.HEAD))
    draw(surface, state)
    tolerance_px = round(GAUGE_RADIUS_NORM * SIZE_PX[1] / GAUGE_TOLERANCES)
    ring_px = round(DOT_RADIUS_NORM * SIZE_PX[1]) * 2 // 3
    assert colour_at(surface, gauge_point(round(4.5 / 5.0 * tolerance_px) + ring_px)) != CURSOR


def test_holding_praises_and_a_hand_hold_draws_its_circle_at_the_target(surface: pygame.Surface) -> None:
    state = stretch_state(5.0, HeadPose(0.0, HeadAngles(15.0, 0.0, 0.0)))
    assert state.phase is rules.Phase.HOLDING
    theme = draw(surface, state)
    assert shows_text(surface, "Hold it there - breathe easy", theme.body, TEXT_SOFT, background=BACKGROUND)
    tolerance_px = round(GAUGE_RADIUS_NORM * SIZE_PX[1] / GAUGE_TOLERANCES)
    assert colour_at(surface, gauge_point(0, 10 - tolerance_px)) == ACCENT_FILL  # on target: it glows fully
    hand = stretch_state(5.0, CursorMoved(0.0, 0.2, 0.9), hand=True)
    draw(surface, hand)
    assert colour_at(surface, (0.5, 0.55)) == PANEL  # the hand's target circle, not glowing: the hand is far
    assert colour_at(surface, (0.2, 0.9), (0, round(DOT_RADIUS_NORM * SIZE_PX[1]) * 2 // 3)) == CURSOR


def test_a_level_that_encourages_the_trick_hints_at_it_during_a_hold(surface: pygame.Surface) -> None:
    state = stretch_state(5.0, HeadPose(0.0, HeadAngles(15.0, 0.0, 0.0)))
    theme = draw(surface, state)
    assert not shows_text(surface, TRICK_HINT, theme.small, TEXT_SOFT, background=BACKGROUND)
    encouraged = replace(state, params=replace(state.params, sensory_trick="encouraged"))
    theme = draw(surface, encouraged)
    assert shows_text(surface, TRICK_HINT, theme.small, TEXT_SOFT, background=BACKGROUND)


def test_with_the_mouse_the_head_hold_says_so_and_shows_the_dot_before_the_mouse_moves(
    surface: pygame.Surface,
) -> None:
    state = stretch_state(5.0)  # no head pose yet: the mouse has not moved
    assert state.head is None and state.phase is rules.Phase.SETTLING
    theme = Theme.for_height(SIZE_PX[1])
    gauge_px = round(GAUGE_RADIUS_NORM * SIZE_PX[1])
    dot_px = max(6, round(DOT_RADIUS_NORM * SIZE_PX[1]))
    # the simulated head starts straight ahead, 15 degrees (3 tolerances) short of the target to the left: the dot
    # rests on the gauge's rim to the right
    on_dot = gauge_point(gauge_px - dot_px + dot_px * 2 // 3)
    surface.fill(BACKGROUND)
    HoldRenderer().draw(surface, LevelView(state, (), theme))
    assert colour_at(surface, on_dot) != CURSOR  # a camera: no dot until the head is seen
    assert not shows_text(surface, MOUSE_HEAD_NOTE, theme.small, TEXT_SOFT, background=BACKGROUND)
    surface.fill(BACKGROUND)
    HoldRenderer().draw(surface, LevelView(state, (), theme, simulated_head=True))
    assert colour_at(surface, on_dot) == CURSOR
    assert shows_text(surface, MOUSE_HEAD_NOTE, theme.small, TEXT_SOFT, background=BACKGROUND)

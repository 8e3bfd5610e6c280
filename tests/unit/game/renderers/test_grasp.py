"""The grasp renderer: the play area it gives the rules (below the status bar and the strip of words) and what it
draws in each phase: the ball and goal, the hand open or closed, the words, the gauge, the rest's feedback."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pygame
import pytest

from game.renderers import renderer_for
from game.renderers.base import LevelView, status_bar_height_px
from game.renderers.grasp import BALL, BALL_RIM, GOAL_INSIDE, GraspRenderer, strip_height_px
from game.theme import ACCENT, ACCENT_FILL, BACKGROUND, CURSOR, PANEL, TEXT, TEXT_SOFT, Theme
from levels.events import CursorMoved, GraspChanged, InputEvent, TrackedFrame
from levels.feedback import TrialFeedback
from levels.grasp import rules
from levels.grasp.schema import GraspLevel
from levels.loader import load_level
from tests.support.game_screens import colour_at, save_screenshot, shows_text
from tracking.types import Effector, GraspState, LandmarkFrame, Signals, TrackedSample

SIZE_PX = (1280, 720)
STEP_S = 1.0 / 60.0
HAND = frozenset({Effector.HAND})


@pytest.fixture
def surface() -> Iterator[pygame.Surface]:
    pygame.init()
    yield pygame.display.set_mode(SIZE_PX)
    pygame.quit()


def run(state: rules.GraspLevelState, seconds: float, *events: InputEvent) -> rules.GraspLevelState:
    pending = list(events)
    for _ in range(round(seconds / STEP_S)):
        state = rules.step(state, pending, STEP_S)
        pending = []
    return state


def first_ball(theme: Theme) -> rules.GraspLevelState:
    level = load_level("grasp")
    assert isinstance(level, GraspLevel)
    state = rules.start(level, GraspRenderer().screen_shape(SIZE_PX, theme), HAND)
    state = run(state, level.inter_trial_pause_s + STEP_S, CursorMoved(0.0, 0.5, 0.95))
    assert state.phase is rules.Phase.REACHING
    return state


def frame(aperture: float) -> TrackedFrame:
    return TrackedFrame(0.0, TrackedSample(LandmarkFrame(0.0), Signals(0.0, grasp=aperture)))


def drawn(surface: pygame.Surface, state: rules.GraspLevelState, theme: Theme, *feedback: TrialFeedback) -> None:
    surface.fill(BACKGROUND)
    renderer_for("grasp").draw(surface, LevelView(state, feedback, theme))


def test_the_rules_get_the_play_area_below_the_status_bar_and_the_words(surface: pygame.Surface) -> None:
    theme = Theme.for_height(SIZE_PX[1])
    shape = GraspRenderer().screen_shape(SIZE_PX, theme)
    reserved_px = status_bar_height_px(theme) + strip_height_px(theme)
    assert shape.top_reserved_norm == pytest.approx(reserved_px / SIZE_PX[1])
    state = rules.start(load_level("grasp"), shape, HAND)  # type: ignore[arg-type]
    for ball, goal in rules.all_placements(replace(state.params, trials=40)):
        assert ball[1] - state.params.object_radius_norm >= shape.top_reserved_norm
        assert goal[1] - state.params.goal_radius_norm >= shape.top_reserved_norm


def test_the_ball_the_goal_the_open_hand_and_the_words_are_drawn(surface: pygame.Surface) -> None:
    theme = Theme.for_height(SIZE_PX[1])
    state = first_ball(theme)
    assert state.ball_home is not None and state.goal is not None
    drawn(surface, state, theme)
    radius_px = round(state.params.object_radius_norm * SIZE_PX[1])
    assert colour_at(surface, state.ball_home, (radius_px // 3, radius_px // 3)) == BALL
    assert colour_at(surface, state.ball_home, (radius_px - 1, 0)) == BALL_RIM
    goal_px = round(state.params.goal_radius_norm * SIZE_PX[1])
    assert colour_at(surface, state.goal, (-(goal_px - 1), 0)) == ACCENT
    assert colour_at(surface, state.goal, (goal_px // 2, goal_px // 2)) == GOAL_INSIDE
    assert colour_at(surface, (0.5, 0.95), (max(8, SIZE_PX[1] // 40) - 1, 0)) == CURSOR  # the open hand's ring
    assert colour_at(surface, (0.5, 0.95)) == BACKGROUND  # open: the ring's middle is empty
    assert shows_text(surface, "Ball 1 of 6    Delivered 0    Score 0", theme.body, TEXT, background=PANEL)
    assert shows_text(surface, "Move your open hand to the ball", theme.body, TEXT, background=BACKGROUND)
    assert shows_text(surface, "Hand open", theme.small, TEXT, background=PANEL)


def test_gripping_carrying_and_the_goal_ready_to_take_the_ball(surface: pygame.Surface) -> None:
    theme = Theme.for_height(SIZE_PX[1])
    state = first_ball(theme)
    assert state.ball_home is not None and state.goal is not None
    home, goal = state.ball_home, state.goal
    state = run(state, 0.1, CursorMoved(0.0, *home), frame(0.9))
    drawn(surface, state, theme)
    assert shows_text(surface, "Close your hand to pick it up", theme.body, TEXT, background=BACKGROUND)
    state = run(state, 0.2, frame(0.2))
    drawn(surface, state, theme)
    assert shows_text(surface, "Keep it closed - lifting", theme.body, TEXT, background=BACKGROUND)
    assert shows_text(surface, "Hand closed", theme.small, TEXT, background=PANEL)
    state = run(state, 0.4)
    assert state.phase is rules.Phase.CARRYING
    state = run(state, STEP_S, CursorMoved(0.0, *goal))
    drawn(surface, state, theme)
    radius_px = round(state.params.object_radius_norm * SIZE_PX[1])
    goal_px = round(state.params.goal_radius_norm * SIZE_PX[1])
    assert colour_at(surface, goal, (radius_px // 3, radius_px // 3)) == BALL  # the ball is in the hand
    assert colour_at(surface, home, (radius_px // 3, radius_px // 3)) == BACKGROUND  # and no longer at home
    assert colour_at(surface, goal, (0, -(goal_px - 8))) == ACCENT_FILL  # the goal lights: let go here
    assert shows_text(surface, "Open your hand to let go", theme.body, TEXT, background=BACKGROUND)


def test_the_rest_says_the_delivery_and_the_movement_in_words_without_numbers(surface: pygame.Surface) -> None:
    theme = Theme.for_height(SIZE_PX[1])
    state = first_ball(theme)
    assert state.ball_home is not None and state.goal is not None
    goal = state.goal
    state = run(state, 0.1, CursorMoved(0.0, *state.ball_home))
    state = run(state, 0.7, GraspChanged(0.0, GraspState.CLOSED))
    state = run(state, 0.1, CursorMoved(0.0, *goal))
    state = run(state, 0.1, GraspChanged(0.0, GraspState.OPEN))
    assert state.progress.hits == 1 and state.phase is rules.Phase.RESTING
    drawn(surface, state, theme, TrialFeedback(-1.43, 0))
    assert shows_text(surface, "Delivered! +100. A steady carry", theme.heading, TEXT, background=BACKGROUND)
    # the movement's words are the level scene's card: not said a second time here
    flowed = "Your movement flowed without a break."
    assert not shows_text(surface, flowed, theme.body, TEXT_SOFT, background=BACKGROUND)
    assert not shows_text(surface, "-1.4", theme.body, TEXT_SOFT, background=BACKGROUND)
    assert shows_text(surface, "Hand open", theme.small, TEXT, background=PANEL)  # the mouse: no aperture bar


def test_screenshots_of_each_phase(surface: pygame.Surface, tmp_path: Path) -> None:
    """A person looks at these (saved under the test's tmp folder); the files hold what was drawn."""
    theme = Theme.for_height(SIZE_PX[1])
    state = first_ball(theme)
    assert state.ball_home is not None and state.goal is not None
    home, goal = state.ball_home, state.goal
    shots = []
    for name, events, seconds in (
        ("reaching", [CursorMoved(0.0, home[0] - 0.1, home[1] + 0.1), frame(0.9)], 0.1),
        ("over_the_ball", [CursorMoved(0.0, *home)], 0.1),
        ("gripping", [frame(0.2)], 0.3),
        ("lifted", [], 0.3),
        ("carrying", [CursorMoved(0.0, (home[0] + goal[0]) / 2, (home[1] + goal[1]) / 2)], 0.4),
    ):
        state = run(state, seconds, *events)
        drawn(surface, state, theme)
        shots.append(save_screenshot(surface, tmp_path, name))
    assert state.phase is rules.Phase.CARRYING
    assert all(path.stat().st_size > 0 for path in shots)

"""The assessment renderer: every step's title and instruction, the bar that fills with the step's condition, the
set-up advice, the five targets and the summary; a screenshot of each step for a person to look at."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from game.renderers import renderer_for
from game.renderers.assessment import HAND_MOVING, SETUP_GOOD, STEP_TEXTS, AssessmentRenderer, status_text
from game.renderers.base import LevelView
from game.theme import ACCENT, ACCENT_FILL, BACKGROUND, GOOD, NOTICE, PANEL, TEXT, TEXT_SOFT, Theme
from levels.assessment import rules
from levels.assessment.rules import AssessmentState, Step
from levels.assessment.schema import AssessmentLevel
from levels.assessment.setup import SetupProblem
from levels.events import CursorMoved
from levels.loader import load_level
from tests.support.assessment_inputs import BOTH, MOUSE, camera_frame, circle, play
from tests.support.game_screens import colour_at, save_screenshot, shows_text
from tracking.types import HeadAngles, TrackingModel

SIZE_PX = (1280, 720)
BAR_Y_NORM = 0.9 + 0.012  # inside the bar (its top at 0.9 of the height, 24 px high at 720 p)


@pytest.fixture
def surface() -> Iterator[pygame.Surface]:
    pygame.init()
    yield pygame.display.set_mode(SIZE_PX)
    pygame.quit()


def start(models: tuple[TrackingModel, ...] | None = None) -> AssessmentState:
    level = load_level("assessment")
    assert isinstance(level, AssessmentLevel)
    if models is not None:
        level = level.model_copy(update={"models": models})
    return rules.start(level, AssessmentRenderer().screen_shape(SIZE_PX, Theme.for_height(SIZE_PX[1])), BOTH)


def drawn(surface: pygame.Surface, state: AssessmentState, name: str, shots: Path) -> Theme:
    theme = Theme.for_height(SIZE_PX[1])
    surface.fill(BACKGROUND)
    AssessmentRenderer().draw(surface, LevelView(state, (), theme))
    save_screenshot(surface, shots, name)
    return theme


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    return tmp_path


def test_the_family_has_this_renderer() -> None:
    assert isinstance(renderer_for("assessment"), AssessmentRenderer)
    assert AssessmentRenderer.trial_noun == "step"


@pytest.mark.parametrize("step", [Step.REACH_RANGE, Step.HEAD_RANGE, Step.REST_POSTURE, Step.REST_HAND, Step.SUMMARY])
def test_each_step_shows_its_title_its_instruction_and_a_half_filled_bar(
    surface: pygame.Surface, shots: Path, step: Step
) -> None:
    state = start()
    state = play(state, MOUSE, max_s=1e9, until=step)
    duration_s = state.params.durations_s[step]
    state = play(state, MOUSE, max_s=duration_s / 2)
    assert state.step is step and state.step_fraction == pytest.approx(0.5, abs=0.02)
    theme = drawn(surface, state, step.value, shots)
    title, _ = STEP_TEXTS[step]
    assert shows_text(surface, title, theme.heading, TEXT, background=BACKGROUND)
    assert shows_text(surface, status_text(state), theme.body, TEXT, background=PANEL)
    assert colour_at(surface, (0.2 + 0.6 * 0.4, BAR_Y_NORM)) == ACCENT_FILL  # filled up to a half
    assert colour_at(surface, (0.2 + 0.6 * 0.6, BAR_Y_NORM)) == PANEL


def test_the_setup_says_what_to_do_and_when_all_is_well(surface: pygame.Surface, shots: Path) -> None:
    state = start()
    for index in range(10):  # a dark room
        state = rules.step(
            state, camera_frame(index / 30, (0.5, 0.5), head=HeadAngles(0, 0, 0), brightness=0.1), 1 / 30
        )
    theme = drawn(surface, state, "setup_dark", shots)
    assert shows_text(surface, SetupProblem.TOO_DARK.advice, theme.body, NOTICE, background=BACKGROUND)
    assert colour_at(surface, (0.2 + 0.6 * 0.1, BAR_Y_NORM)) == PANEL  # the bar waits
    for index in range(10, 40):
        state = rules.step(state, camera_frame(index / 30, (0.5, 0.5), head=HeadAngles(0, 0, 0)), 1 / 30)
    theme = drawn(surface, state, "setup", shots)
    assert shows_text(surface, SETUP_GOOD, theme.body, GOOD, background=BACKGROUND)
    assert colour_at(surface, (0.2 + 0.6 * 0.3, BAR_Y_NORM)) == ACCENT_FILL


def test_a_moving_hand_is_asked_to_settle(surface: pygame.Surface, shots: Path) -> None:
    state = play(start(), MOUSE, max_s=1e9, until=Step.REST_HAND)
    state = play(state, {Step.REST_HAND: lambda s, t: [CursorMoved(t, *circle(t))]}, max_s=1.0)
    theme = drawn(surface, state, "rest_hand_moving", shots)
    assert shows_text(surface, HAND_MOVING, theme.body, NOTICE, background=BACKGROUND)


def test_the_reaches_show_the_target_filling_under_the_cursor(surface: pygame.Surface, shots: Path) -> None:
    state = play(start(), MOUSE, max_s=1e9, until=Step.REACHES)
    for _ in range(600):  # two reaches done, dwelling on the third
        if state.reach_index == 2 and state.held_s >= 0.3:
            break
        state = play(state, MOUSE, max_s=1 / 60)
    assert state.target is not None and state.reach_index >= 1
    drawn(surface, state, "reaches", shots)
    radius_px = round(state.params.target_radius_norm * SIZE_PX[1])
    assert colour_at(surface, state.target, (-(radius_px - 1), 0)) == ACCENT
    assert colour_at(surface, state.target, (0, -radius_px // 3)) == ACCENT_FILL  # filling


def test_the_summary_says_how_each_step_went_in_words(surface: pygame.Surface, shots: Path) -> None:
    state = play(start((TrackingModel.HANDS,)), MOUSE, max_s=1e9, until=Step.SUMMARY)
    theme = drawn(surface, state, "summary_skipped", shots)
    assert shows_text(surface, "Head movement: skipped", theme.small, TEXT_SOFT, background=BACKGROUND)
    assert shows_text(surface, "Five reaches: done", theme.small, GOOD, background=BACKGROUND)

"""A notice between two trials (issue 8, "Fatigue and stress": a suggested rest said at once): the level scene draws
it at heading size under the last trial's card, holds the level for its reading time, then clears it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from game.scenes.level import LevelScene
from game.theme import BACKGROUND, MIN_INSTRUCTION_HEIGHT_720P_PX, NOTICE, text_height_px
from levels.events import CursorMoved, InputEvent, TrackedFrame, TrackingFound
from levels.feedback import reading_time_s
from levels.reach.rules import Phase, ReachState
from levels.trial import Outcome
from tests.support.game_contexts import tracked_reach_context
from tests.support.game_inputs import FakeTracker, hand_sample
from tests.support.game_screens import save_screenshot, text_positions
from tracking.types import Effector

SIZE_PX = (1280, 720)
STEP_S = 1.0 / 60.0
FRAME_EVERY = 2  # a 30 fps camera
REST_NOTE = "Well done - take a short rest before the next one."


@pytest.fixture(autouse=True)
def surface() -> Iterator[pygame.Surface]:
    pygame.init()
    yield pygame.display.set_mode(SIZE_PX)
    pygame.quit()


def camera_scene(tmp_path: Path) -> LevelScene:
    return LevelScene(tracked_reach_context(tmp_path, SIZE_PX, FakeTracker()))


def reach(scene: LevelScene) -> ReachState:
    assert isinstance(scene.state, ReachState)
    return scene.state


def hit_first_target(scene: LevelScene) -> None:
    """The hand goes straight onto each target the level shows, until the first trial has ended."""
    scene.update([TrackingFound(0.0, Effector.HAND)], STEP_S)
    t_s, palm = 0.0, (0.5, 0.5)
    for index in range(round(30.0 / STEP_S)):
        events: list[InputEvent] = []
        if index % FRAME_EVERY == 0:
            t_s += FRAME_EVERY * STEP_S
            target = reach(scene).target
            if target is not None:
                palm = (1.0 - target[0], target[1])  # mirrored back to image coordinates
            events = [TrackedFrame(t_s, hand_sample(t_s, palm)), CursorMoved(t_s, 1.0 - palm[0], palm[1])]
        scene.update(events, STEP_S)
        if scene.feedback:
            return
    raise AssertionError("the first trial did not end")


def notice_at(scene: LevelScene, surface: pygame.Surface) -> list[tuple[int, int]]:
    """Where the notice's words are drawn now, at heading size in the notice colour."""
    scene.draw(surface)
    return text_positions(surface, REST_NOTE, scene.context.theme.heading, NOTICE, background=BACKGROUND)


def test_a_notice_between_trials_is_drawn_large_and_holds_the_level_for_its_reading_time(
    tmp_path: Path, surface: pygame.Surface
) -> None:
    scene = camera_scene(tmp_path)
    hit_first_target(scene)
    assert scene.state.progress.results[0].outcome is Outcome.HIT
    assert reach(scene).phase is Phase.RESTING
    card = scene.feedback[-1].lines(noun="reach")
    card_only_s = scene.reading_left_s
    assert card_only_s == pytest.approx(reading_time_s(card))
    assert notice_at(scene, surface) == []  # nothing said before it is asked for

    scene.show_notice(REST_NOTE)
    reading_s = reading_time_s((*card, REST_NOTE))
    assert reading_s > card_only_s  # the notice makes the rest longer than the card alone would
    assert scene.notice_left_s == pytest.approx(reading_s) and scene.reading_left_s == pytest.approx(reading_s)
    # Drawn under the card, at heading size: readable from 1-2 m (at least 28 px at 720p)
    theme = scene.context.theme
    assert text_height_px(theme.heading) >= MIN_INSTRUCTION_HEIGHT_720P_PX
    (where,) = notice_at(scene, surface)
    assert where[1] > SIZE_PX[1] * 0.56  # below the card's top (FEEDBACK_CARD_TOP)
    save_screenshot(surface, tmp_path, "level_rest_notice")

    # The rules' time stands still while the notice is read, beyond the level's own rest between targets
    pause_s = reach(scene).params.inter_trial_pause_s
    rest_s = reach(scene).phase_elapsed_s
    scene.update([], card_only_s)  # past the time the card alone would have held the level
    assert reach(scene).phase is Phase.RESTING and reach(scene).phase_elapsed_s == rest_s
    assert notice_at(scene, surface) == [where]  # still said
    waited_s = card_only_s
    while reach(scene).phase is Phase.RESTING:
        scene.update([], STEP_S)
        waited_s += STEP_S
    # The rest lasted the notice's reading time (held for reading_s - pause_s, then the level's own rest), and goes on
    assert waited_s == pytest.approx(reading_s, abs=2 * STEP_S) and reading_s > pause_s
    assert reach(scene).phase is Phase.REACHING and reach(scene).target is not None
    scene.update([], STEP_S)
    assert scene.notice is None and notice_at(scene, surface) == []  # cleared after


def test_a_notice_for_given_seconds_holds_the_level_that_long(tmp_path: Path, surface: pygame.Surface) -> None:
    scene = camera_scene(tmp_path)
    hit_first_target(scene)
    scene.show_notice(REST_NOTE, seconds=5.0)
    assert scene.notice_left_s == 5.0
    pause_s = reach(scene).params.inter_trial_pause_s
    assert scene.hold_left_s == pytest.approx(5.0 - pause_s)
    rest_s = reach(scene).phase_elapsed_s
    scene.update([], 4.9 - pause_s)
    assert reach(scene).phase_elapsed_s == rest_s and notice_at(scene, surface)

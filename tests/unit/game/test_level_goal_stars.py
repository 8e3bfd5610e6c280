"""The level scene gives a trial whose goal was met at least one star: a real hand's landmarks reaching the target
after turning back twice on the way (breaks judged against the target) still earn a star for the hit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from game.scenes.level import LevelScene
from levels.events import CursorMoved, InputEvent, TrackedFrame, TrackingFound
from levels.feedback import GOAL_MET_MIN_STARS, stars_for
from levels.reach.rules import ReachState
from levels.trial import Outcome
from tests.support.game_contexts import tracked_reach_context
from tests.support.game_inputs import FakeTracker, hand_sample
from tracking.quality_types import BreakKind
from tracking.types import Effector

SIZE_PX = (960, 540)
STEP_S = 1.0 / 120.0
FRAME_EVERY = 4  # a 30 fps camera
# The way to the target as fractions of the distance: out, back, out further, back again, then onto it.
WAYPOINTS = (0.0, 0.55, 0.15, 0.75, 0.35, 1.0)
SEGMENT_S = 0.5  # each stretch a minimum-jerk movement of this long


@pytest.fixture(autouse=True)
def surface() -> Iterator[pygame.Surface]:
    pygame.init()
    yield pygame.display.set_mode(SIZE_PX)
    pygame.quit()


def along_the_way(elapsed_s: float) -> float:
    """The fraction of the way to the target reached ``elapsed_s`` after it appeared."""
    index = min(int(elapsed_s / SEGMENT_S), len(WAYPOINTS) - 2)
    u = min((elapsed_s - index * SEGMENT_S) / SEGMENT_S, 1.0)
    smooth = 10 * u**3 - 15 * u**4 + 6 * u**5
    return WAYPOINTS[index] + smooth * (WAYPOINTS[index + 1] - WAYPOINTS[index])


def test_a_hit_reached_with_turns_back_keeps_one_star(tmp_path: Path) -> None:
    scene = LevelScene(tracked_reach_context(tmp_path, SIZE_PX, FakeTracker()))
    scene.update([TrackingFound(0.0, Effector.HAND)], STEP_S)
    t_s, palm, start = 0.0, (0.5, 0.5), (0.5, 0.5)
    for index in range(round(30.0 / STEP_S)):
        events: list[InputEvent] = []
        state = scene.state
        assert isinstance(state, ReachState)
        if index % FRAME_EVERY == 0:
            t_s += FRAME_EVERY * STEP_S
            if state.target is None:
                start = palm
            else:
                goal = (1.0 - state.target[0], state.target[1])  # mirrored back to image coordinates
                way = along_the_way(state.phase_elapsed_s)
                palm = (start[0] + way * (goal[0] - start[0]), start[1] + way * (goal[1] - start[1]))
            events = [TrackedFrame(t_s, hand_sample(t_s, palm)), CursorMoved(t_s, 1.0 - palm[0], palm[1])]
        scene.update(events, STEP_S)
        if scene.feedback:
            break
    assert scene.feedback, "the first target was not reached"
    (result,), (feedback,) = scene.state.progress.results, scene.feedback
    assert result.outcome is Outcome.HIT
    assert feedback.judged_against_task and BreakKind.REVERSAL in feedback.break_kinds
    # the smoothness and breaks alone would give no star; the hit keeps one
    assert feedback.break_count is not None
    assert stars_for(feedback.mean_sparc, feedback.velocity_peaks, feedback.break_count) == 0
    assert feedback.stars == GOAL_MET_MIN_STARS

"""The level scene's movement feedback: a live mark within 0.5 s of a break, the level held while the last trial's
stars and plain words are read, breaks judged against the reach target."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from game.renderers.base import draw_stars, star_polygon
from game.scenes.base import GameContext
from game.scenes.level import LevelScene, screen_to_image_px
from game.scenes.results import ResultsScene
from game.texts import STARS_HEADING, THERAPIST_HEADING
from game.theme import BACKGROUND, CURSOR, PANEL, TEXT, TEXT_SOFT
from levels.events import CursorMoved, InputEvent, TrackedFrame, TrackingFound
from levels.feedback import TrialFeedback, reading_time_s
from levels.reach.rules import Phase, ReachState
from tests.support.game_contexts import tracked_reach_context
from tests.support.game_inputs import FakeTracker, hand_sample
from tests.support.game_screens import shows_text
from tests.support.played_levels import all_hits
from tracking.calibration import ReachRange
from tracking.quality_types import BreakKind
from tracking.types import Effector

SIZE_PX = (960, 540)
STEP_S = 1.0 / 120.0
FRAME_EVERY = 4  # a 30 fps camera
MOVE_S = 1.0
HOLD_AT_S = 0.4  # the injected arrest: the hand stops this long after the target appears
HOLD_S = 0.3
MARK_WITHIN_S = 0.5


@pytest.fixture(autouse=True)
def surface() -> Iterator[pygame.Surface]:
    pygame.init()
    yield pygame.display.set_mode(SIZE_PX)
    pygame.quit()


def camera_context(tmp_path: Path) -> GameContext:
    return tracked_reach_context(tmp_path, SIZE_PX, FakeTracker())


def reach(scene: LevelScene) -> ReachState:
    assert isinstance(scene.state, ReachState)
    return scene.state


def progress_at(elapsed_s: float) -> float:
    """Minimum-jerk progress of a 1 s reach that stops for HOLD_S at HOLD_AT_S (an arrest short of the target)."""
    if elapsed_s < HOLD_AT_S:
        u = elapsed_s / MOVE_S
    elif elapsed_s < HOLD_AT_S + HOLD_S:
        u = HOLD_AT_S / MOVE_S
    else:
        u = min((elapsed_s - HOLD_S) / MOVE_S, 1.0)
    return 10 * u**3 - 15 * u**4 + 6 * u**5


def test_an_arrest_is_marked_live_and_the_feedback_is_read_before_the_next_target(
    tmp_path: Path, surface: pygame.Surface
) -> None:
    context = camera_context(tmp_path)
    scene = LevelScene(context)
    scene.update([TrackingFound(0.0, Effector.HAND)], STEP_S)
    t_s, palm, start = 0.0, (0.5, 0.5), (0.5, 0.5)
    hold_mid_s: float | None = None
    for index in range(round(30.0 / STEP_S)):
        events: list[InputEvent] = []
        if index % FRAME_EVERY == 0:
            t_s += FRAME_EVERY * STEP_S
            target = reach(scene).target
            if target is None:
                start = palm
            else:
                goal = (1.0 - target[0], target[1])  # mirrored back to image coordinates
                elapsed_s = reach(scene).phase_elapsed_s
                if hold_mid_s is None and elapsed_s >= HOLD_AT_S:
                    hold_mid_s = scene.now_s + HOLD_S / 2
                step = progress_at(elapsed_s)
                palm = (start[0] + step * (goal[0] - start[0]), start[1] + step * (goal[1] - start[1]))
            events = [TrackedFrame(t_s, hand_sample(t_s, palm)), CursorMoved(t_s, 1.0 - palm[0], palm[1])]
        scene.update(events, STEP_S)
        if scene.feedback:
            break
    assert hold_mid_s is not None and scene.feedback, "the first target was not hit"
    delays_s = [mark_s - hold_mid_s for mark_s in scene.mark_times_s]
    assert len(delays_s) == 1 and -HOLD_S / 2 <= delays_s[0] <= MARK_WITHIN_S, delays_s
    first = scene.feedback[0]
    assert first.judged_against_task and first.break_kinds == (BreakKind.ARREST,)
    assert first.stars is not None and first.stars < 3
    lines = first.lines(noun="reach")
    assert lines == ("One pause in the middle - keep it flowing",)
    # the words show for their reading time; the level holds for what that needs beyond its own 1 s rest
    reading_s = reading_time_s(lines)
    pause_s = reach(scene).params.inter_trial_pause_s
    assert scene.reading_left_s == pytest.approx(reading_s) and reading_s > pause_s
    assert scene.hold_left_s == pytest.approx(reading_s - pause_s)
    rest_s = reach(scene).phase_elapsed_s
    scene.update([], 0.5)
    assert reach(scene).phase is Phase.RESTING and reach(scene).phase_elapsed_s == rest_s
    scene.draw(surface)
    assert shows_text(surface, lines[0], context.theme.body, TEXT, background=BACKGROUND)
    waited_s = 0.5
    while reach(scene).phase is Phase.RESTING:
        scene.update([], STEP_S)
        waited_s += STEP_S
    # the rest between targets lasted as long as the words needed, then the next target came and the words went
    assert waited_s == pytest.approx(reading_s, abs=2 * STEP_S)
    assert scene.reading_left_s <= STEP_S
    scene.update([], STEP_S)
    scene.draw(surface)
    assert not shows_text(surface, lines[0], context.theme.body, TEXT, background=BACKGROUND)


def test_the_reach_target_maps_back_to_the_image_pixel_the_cursor_came_from() -> None:
    reach_range = ReachRange(0.2, 0.8, 0.1, 0.9)
    palm_norm = (0.35, 0.6)
    screen = reach_range.to_screen_norm(palm_norm, mirror=True)
    x_px, y_px = screen_to_image_px(screen, reach_range, (640, 360))
    assert x_px == pytest.approx(0.35 * 640) and y_px == pytest.approx(0.6 * 360)


def test_stars_are_drawn_filled_then_as_outlines(surface: pygame.Surface) -> None:
    surface.fill(BACKGROUND)
    draw_stars(surface, 2, centre=(300, 200), size_px=40)
    gap = 40 * 1.25
    assert surface.get_at((round(300 - gap), 200))[:3] == CURSOR  # the first star, filled
    assert surface.get_at((300, 200))[:3] == CURSOR  # the second
    assert surface.get_at((round(300 + gap), 200))[:3] == BACKGROUND  # the third: an outline, hollow
    top = star_polygon((300 + gap, 200), 20)[0]
    assert surface.get_at((round(top[0]), round(top[1]) + 2))[:3] == TEXT_SOFT


def test_the_results_show_stars_for_the_patient_and_the_raw_measures_for_the_therapist(
    tmp_path: Path, surface: pygame.Surface
) -> None:
    context = camera_context(tmp_path)
    feedback = (
        TrialFeedback(-1.45, 0, stars=3),
        TrialFeedback(-2.61, 1, None, (BreakKind.ARREST,), stars=1, break_fractions=(0.5,)),
        TrialFeedback(None, None, "no movement found"),
    )
    scene = ResultsScene(context, all_hits(3), feedback)
    assert scene.stars() == [3, 1, None]
    assert [row[3:] for row in scene.rows()] == [("-1.45", "0"), ("-2.61", "1"), ("-", "-")]
    scene.draw(surface)
    small = context.theme.small
    assert shows_text(surface, THERAPIST_HEADING, small, TEXT_SOFT, background=PANEL)
    assert shows_text(surface, STARS_HEADING, small, TEXT_SOFT, background=PANEL)
    assert shows_text(surface, "-2.61", small, TEXT, background=PANEL)  # raw, under the therapist's heading
    star_colours = {
        surface.get_at((x, y))[:3]
        for x in range(SIZE_PX[0] * 45 // 100, SIZE_PX[0] * 59 // 100)
        for y in range(SIZE_PX[1] // 3, SIZE_PX[1] * 2 // 3)
    }
    assert CURSOR in star_colours  # filled stars drawn in the stars' column
    assert not shows_text(surface, "arrest", small, TEXT, background=PANEL)

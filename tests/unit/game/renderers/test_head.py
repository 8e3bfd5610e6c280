"""The head renderer: the target at the head angles' screen point, the head cursor, the mouse offer, the sensory
trick hint where a level encourages it, calm words at rest, and a status bar without a stopwatch."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pygame
import pytest

from game.renderers import renderer_for
from game.renderers.base import LevelView
from game.renderers.head import MOUSE_HEAD_NOTE, TRICK_HINT, TRICK_NOT_NOW, HeadRenderer
from game.theme import ACCENT, BACKGROUND, CURSOR, PANEL, TEXT, TEXT_SOFT, Theme
from levels.events import HeadPose, InputEvent, TrackedFrame, TrackingLost
from levels.feedback import TrialFeedback
from levels.head import rules
from levels.head.schema import HeadLevel
from levels.loader import load_level
from tests.support.game_screens import colour_at, save_screenshot, shows_text
from tracking.types import Effector, HeadAngles, LandmarkFrame, Signals, TrackedSample

SIZE_PX = (1280, 720)
STEP_S = 1.0 / 120.0
FACE = frozenset({Effector.HEAD})
CURSOR_OFFSET_PX = (0, max(8, SIZE_PX[1] // 40) * 3 // 4)  # on the cursor's ring, off its dark centre


@pytest.fixture
def surface() -> Iterator[pygame.Surface]:
    pygame.init()
    yield pygame.display.set_mode(SIZE_PX)
    pygame.quit()


def tracked(on_face: bool) -> TrackedFrame:
    return TrackedFrame(0.0, TrackedSample(LandmarkFrame(0.0), Signals(0.0, hand_on_face=on_face)))


def level_state(name: str, seconds: float, *events: InputEvent, sensory_trick: str | None = None) -> rules.HeadState:
    level = load_level(name)
    assert isinstance(level, HeadLevel)
    if sensory_trick is not None:
        level = level.model_copy(update={"sensory_trick": sensory_trick})
    state = rules.start(level, HeadRenderer().screen_shape(SIZE_PX, Theme.for_height(SIZE_PX[1])), FACE)
    pending = list(events)
    for _ in range(round(seconds / STEP_S)):
        state = rules.step(state, pending, STEP_S)
        pending = []
    return state


def draw(surface: pygame.Surface, state: rules.HeadState, *feedback: TrialFeedback) -> Theme:
    theme = Theme.for_height(SIZE_PX[1])
    surface.fill(BACKGROUND)
    renderer_for("head").draw(surface, LevelView(state, feedback, theme))
    return theme


def test_target_cursor_status_and_the_mouse_offer(surface: pygame.Surface, tmp_path: Path) -> None:
    head = HeadAngles(-20.0, -10.0, 0.0)  # turned to the patient's right, chin down: right of and below the centre
    state = level_state("head", 2.0, HeadPose(0.0, head))
    assert state.target_point is not None and state.cursor == pytest.approx((0.75, 0.7))
    theme = draw(surface, state)
    save_screenshot(surface, tmp_path, "head-mouse")
    radius_px = round(state.params.target_radius_norm * SIZE_PX[1])
    assert colour_at(surface, state.target_point) == PANEL
    assert colour_at(surface, state.target_point, (-(radius_px - 1), 0)) == ACCENT
    assert colour_at(surface, (0.75, 0.7), CURSOR_OFFSET_PX) == CURSOR
    assert shows_text(surface, "Target 1 of 8    Hits 0    Score 0", theme.body, TEXT, background=PANEL)
    assert shows_text(surface, MOUSE_HEAD_NOTE, theme.small, TEXT_SOFT, background=BACKGROUND)  # no frame tracked
    draw(surface, level_state("head-trick", 2.0, HeadPose(0.0, head)))
    assert shows_text(surface, MOUSE_HEAD_NOTE, theme.small, TEXT_SOFT, background=BACKGROUND)
    assert not shows_text(surface, TRICK_HINT, theme.small, TEXT_SOFT, background=BACKGROUND)  # not with a mouse


def test_a_tracked_head_has_no_mouse_offer_and_no_cursor_while_the_face_is_lost(surface: pygame.Surface) -> None:
    state = level_state("head", 2.0, tracked(False), HeadPose(0.0, HeadAngles(-20.0, -10.0, 0.0)))
    theme = draw(surface, state)
    assert not shows_text(surface, MOUSE_HEAD_NOTE, theme.small, TEXT_SOFT, background=BACKGROUND)
    lost = level_state("head", 2.0, tracked(False), HeadPose(0.0, HeadAngles(-20.0, -10.0, 0.0)))
    lost = rules.step(lost, [TrackingLost(0.0, Effector.HEAD)], STEP_S)
    draw(surface, lost)
    assert colour_at(surface, (0.75, 0.7), CURSOR_OFFSET_PX) == BACKGROUND


def test_the_trick_is_hinted_where_encouraged_and_asked_away_where_not_allowed(
    surface: pygame.Surface, tmp_path: Path
) -> None:
    encouraged = level_state("head-trick", 2.0, tracked(False), HeadPose(0.0, HeadAngles(5.0, 3.0, 0.0)))
    theme = draw(surface, encouraged)
    save_screenshot(surface, tmp_path, "head-trick")
    assert shows_text(surface, TRICK_HINT, theme.small, TEXT_SOFT, background=BACKGROUND)
    allowed = level_state("head", 2.0, tracked(True))
    draw(surface, allowed)
    assert not shows_text(surface, TRICK_HINT, theme.small, TEXT_SOFT, background=BACKGROUND)
    assert not shows_text(surface, TRICK_NOT_NOW, theme.small, TEXT_SOFT, background=BACKGROUND)
    blocked = level_state("head", 2.0, tracked(True), sensory_trick="not_allowed")
    draw(surface, blocked)
    assert shows_text(surface, TRICK_NOT_NOW, theme.small, TEXT_SOFT, background=BACKGROUND)
    draw(surface, replace(blocked, trick=replace(blocked.trick, on_face=False)))
    assert not shows_text(surface, TRICK_NOT_NOW, theme.small, TEXT_SOFT, background=BACKGROUND)


def test_the_rest_speaks_plainly_with_the_last_movements_feedback(surface: pygame.Surface) -> None:
    state = level_state("head", 0.5, tracked(False))
    feedback = TrialFeedback(-1.43, 0)
    theme = draw(surface, state, feedback)
    words = "Get ready - turn your head to steer the ring onto the circle"
    assert shows_text(surface, words, theme.body, TEXT_SOFT, background=BACKGROUND)
    sentence = feedback.biofeedback()
    assert sentence is not None
    assert shows_text(surface, sentence, theme.small, TEXT_SOFT, background=BACKGROUND)


def gates_state(seconds: float, *events: InputEvent) -> rules.HeadState:
    return level_state("head-gates", seconds, *events)


def post_px(point: tuple[float, float]) -> tuple[int, int]:
    return round(point[0] * SIZE_PX[0]), round(point[1] * SIZE_PX[1])


def test_gates_show_their_posts_and_arrow_the_next_one_bright(surface: pygame.Surface, tmp_path: Path) -> None:
    from game.renderers.head import GATES_READY

    resting = gates_state(0.5, tracked(False), HeadPose(0.0, HeadAngles(0.0, 0.0, 0.0)))
    theme = draw(surface, resting)
    assert shows_text(surface, GATES_READY, theme.body, TEXT_SOFT, background=BACKGROUND)
    state = gates_state(2.0, tracked(False), HeadPose(0.0, HeadAngles(0.0, 0.0, 0.0)))
    assert state.current_gate is not None and len(state.gates) >= 2
    draw(surface, state)
    save_screenshot(surface, tmp_path, "head-gates")
    aspect = SIZE_PX[0] / SIZE_PX[1]
    for number, gate in enumerate(state.gates):
        expected = ACCENT if number == 0 else PANEL
        for post in gate.posts(aspect):
            assert tuple(surface.get_at(post_px(post)))[:3] == expected, (number, post)
    first = state.gates[0]
    tip = (first.centre[0] + first.direction[0] * 0.02 / aspect, first.centre[1] + first.direction[1] * 0.02)
    assert colour_at(surface, tip) == ACCENT  # the arrow points through the opening, the way to pass it
    assert shows_text(
        surface, f"Path 1 of 6    Gate 1 of {len(state.gates)}    Score 0", theme.body, TEXT, background=PANEL
    )


def test_the_gate_time_bar_empties_and_the_rest_words_count_the_gates(surface: pygame.Surface) -> None:
    from game.renderers.base import status_bar_height_px
    from game.theme import ACCENT_FILL

    def bar_px(state: rules.HeadState) -> int:
        theme = draw(surface, state)
        row = status_bar_height_px(theme) + 1
        return sum(1 for x in range(SIZE_PX[0]) if tuple(surface.get_at((x, row)))[:3] == ACCENT_FILL)

    early = gates_state(2.0, tracked(False), HeadPose(0.0, HeadAngles(0.0, 0.0, 0.0)))
    later = rules.step(early, [], early.params.gate_time_s / 2)
    assert bar_px(early) > SIZE_PX[0] * 0.85  # the first gate came up half a second ago: most of its time left
    assert later.gate_time_fraction == pytest.approx(early.gate_time_fraction - 0.5)
    assert bar_px(later) == pytest.approx(SIZE_PX[0] * later.gate_time_fraction, abs=2)  # half its time: half less bar
    state = early
    while not state.progress.results:  # every gate's time runs out
        state = rules.step(state, [], STEP_S * 12)
    theme = draw(surface, state)
    words = "Those gates slipped by - no problem. Rest your head in the middle"
    assert shows_text(surface, words, theme.body, TEXT_SOFT, background=BACKGROUND)
    passed = state.progress.results[-1]
    full = replace(passed, measures={**passed.measures, "gates_passed": passed.params["gates_per_trial"]})
    done = replace(state, progress=replace(state.progress, results=(full,)))
    from game.renderers.head import gates_rest_message

    assert gates_rest_message(done).startswith("Well done - through every gate!")


def test_a_passed_gate_turns_green_and_counts_at_once(surface: pygame.Surface) -> None:
    from game.theme import GOOD

    state = gates_state(2.0, tracked(False), HeadPose(0.0, HeadAngles(0.0, 0.0, 0.0)))
    gate = state.gates[0]
    aspect = SIZE_PX[0] / SIZE_PX[1]

    def pose(ahead_norm: float) -> HeadPose:
        x = gate.centre[0] + ahead_norm * gate.direction[0] / aspect
        return HeadPose(0.0, rules.screen_to_head((x, gate.centre[1] + ahead_norm * gate.direction[1])))

    state = rules.step(rules.step(state, [pose(-0.02)], STEP_S), [pose(0.02)], STEP_S)
    assert state.gates_passed == (True,) and state.gate_index == 1
    theme = draw(surface, state)
    for post in gate.posts(aspect):
        assert tuple(surface.get_at(post_px(post)))[:3] == GOOD
    status = f"Path 1 of 6    Gate 2 of {len(state.gates)}    Score {rules.GATE_POINTS}"
    assert shows_text(surface, status, theme.body, TEXT, background=PANEL)

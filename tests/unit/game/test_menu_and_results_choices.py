"""The menu and the results as a tester found them: a level started that nobody chose (the pointer rested on it when
the menu appeared), Space played the hovered level instead of Start, levels missing from the menu and titles cut,
text under the level buttons, P quitting from the results. Each screen is driven headless with scripted events."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pygame
import pytest

from game.input_source import InputSource
from game.mouse_input import MouseInput
from game.scenes import source_choices
from game.scenes.base import GameContext, Scene
from game.scenes.buttons import BUTTON_DWELL_S
from game.scenes.calibration import SKIP_BUTTON_NORM, SKIP_OFFER_AFTER_S, CalibrationScene, Step
from game.scenes.calibration_outcome import Phase
from game.scenes.controls import DwellOverlay, OverlayButton
from game.scenes.level import LevelScene
from game.scenes.menu import MORE_LABEL, START_BUTTON_NORM, MenuScene
from game.scenes.rest import STOP_BUTTON_NORM as STOP_REST_BUTTON_NORM
from game.scenes.rest import RestScene
from game.scenes.results import ResultsScene
from game.scenes.routes import EXIT, AppExit, Route, ToChosenLevel, ToLevel, ToStopped
from game.texts import PAUSED_MESSAGE, PAUSED_TITLE
from game.theme import BACKGROUND, CURSOR, TEXT_SOFT
from game.tracking_input import TrackingInput, TrackingOpener
from levels.events import Command, CommandIssued, CursorMoved, InputEvent, SourceEnded, TrackedFrame, TrackingFound
from levels.feedback import TrialFeedback
from levels.loader import list_levels, load_level
from levels.schema import LevelFile
from levels.trial import Outcome, TrialResult
from tests.support.game_contexts import reach_context
from tests.support.game_inputs import FakeTracker, sample
from tests.support.game_screens import shows_text
from tracking.calibration import ReachRange
from tracking.live import SourceSpec
from tracking.types import Effector, TrackingModel

SIZE_PX = (1280, 720)
STEP_S = 1.0 / 60.0
CORNER = (0.01, 0.99)  # off every button of these screens


@pytest.fixture(autouse=True)
def surface() -> Iterator[pygame.Surface]:
    pygame.init()
    yield pygame.display.set_mode(SIZE_PX)
    pygame.quit()


def context(tmp_path: Path, source: InputSource | None = None) -> GameContext:
    return reach_context(tmp_path, SIZE_PX, source or MouseInput(SIZE_PX))


def catalogue() -> tuple[LevelFile, ...]:
    return tuple(load_level(name) for name in list_levels())


def drive(scene: Scene, seconds: float, events: Sequence[InputEvent] = ()) -> Route | AppExit | None:
    """Step ``scene`` for ``seconds`` (``events`` on the first step); its first route, or None."""
    pending = list(events)
    for _ in range(round(seconds / STEP_S)):
        route = scene.update(pending, STEP_S)
        pending = []
        if route is not None:
            return route
    return None


def at(point: tuple[float, ...]) -> CursorMoved:
    return CursorMoved(0.0, point[0], point[1])


def menu_with_choices(tmp_path: Path) -> MenuScene:
    ctx = context(tmp_path)
    return MenuScene(ctx, plan=(ctx.level,), choices=catalogue())


def test_a_pointer_resting_on_a_level_when_the_menu_appears_chooses_nothing(tmp_path: Path) -> None:
    menu = menu_with_choices(tmp_path)
    first = menu.choice_buttons()[0]
    assert drive(menu, 3 * BUTTON_DWELL_S, [at(first)]) is None  # it was there when the menu appeared
    drive(menu, 0.1, [at(CORNER)])  # a deliberate move off it, then onto it
    route = drive(menu, BUTTON_DWELL_S + 0.1, [at(first)])
    assert isinstance(route, ToChosenLevel) and route.name == menu.pages()[0][0].name


def test_the_pointer_kept_from_the_last_screen_on_a_button_presses_nothing(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    ctx.cursor_norm = START_BUTTON_NORM[:2]  # where the last screen left it
    menu = MenuScene(ctx)
    assert menu.cursor == START_BUTTON_NORM[:2]  # drawn at once, before the mouse moves
    assert drive(menu, 3 * BUTTON_DWELL_S) is None


def test_an_overlay_button_under_the_resting_pointer_waits_for_a_move_onto_it(tmp_path: Path) -> None:
    button = (0.5, 0.5, 0.2, 0.1)
    ctx = context(tmp_path)
    overlay = DwellOverlay(LevelScene(ctx), [OverlayButton(button, lambda: "Stop", ToStopped)], ctx.theme, context=ctx)
    assert drive(overlay, 3 * BUTTON_DWELL_S, [at(button)]) is None
    drive(overlay, 0.1, [at(CORNER)])
    assert drive(overlay, BUTTON_DWELL_S + 0.1, [at(button)]) == ToStopped()
    assert ctx.cursor_norm == button[:2]  # kept for the next screen


def test_space_starts_the_plan_whatever_the_pointer_is_on(tmp_path: Path) -> None:
    menu = menu_with_choices(tmp_path)
    drive(menu, 0.1, [at(CORNER)])
    drive(menu, BUTTON_DWELL_S / 2, [at(menu.choice_buttons()[0])])  # on a level, not held long enough
    assert drive(menu, STEP_S, [CommandIssued(0.0, Command.CONFIRM)]) == ToLevel()


def test_the_menu_offers_every_level_with_its_whole_title(tmp_path: Path) -> None:
    menu = menu_with_choices(tmp_path)
    font = menu.context.theme.small
    offered: list[str] = []
    for _ in menu.pages():
        labels = menu.choice_labels()
        for label, button in zip(labels, menu.choice_buttons(), strict=True):
            assert font.size(label)[0] <= button[2] * SIZE_PX[0] * 0.95, label  # shown whole
        offered.extend(label for label in labels if label != MORE_LABEL)
        if MORE_LABEL in labels:  # turn the page as a player does: move onto "More levels" and hold
            drive(menu, 0.1, [at(CORNER)])
            assert drive(menu, BUTTON_DWELL_S + 0.1, [at(menu.choice_buttons()[-1])]) is None
    assert sorted(offered) == sorted(level.title for level in catalogue())
    assert len(offered) == len(list_levels())


def test_the_menu_text_stays_above_the_level_buttons_with_a_long_plan(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    plan = catalogue()[:6]
    menu = MenuScene(ctx, plan=plan, choices=catalogue())
    buttons = menu.choice_buttons()
    top_px = min(button[1] - button[3] / 2 for button in buttons) * SIZE_PX[1]
    bottom_px = max(button[1] + button[3] / 2 for button in buttons) * SIZE_PX[1]
    assert menu.text_bottom_px() <= top_px  # the patient line ends above the first row
    assert bottom_px <= (START_BUTTON_NORM[1] - START_BUTTON_NORM[3] / 2) * SIZE_PX[1]  # and the rows above Start
    # The patient line is drawn where it was measured: on the background, not under a button.
    menu.draw(pygame.display.get_surface())
    patient = "Patient: anna (not calibrated yet) - playing with the mouse"
    assert shows_text(pygame.display.get_surface(), patient, ctx.theme.small, TEXT_SOFT, background=BACKGROUND)


def test_the_menu_names_a_video_file_and_offers_calibration_keys_only_with_a_camera(
    tmp_path: Path, surface: pygame.Surface
) -> None:
    video = TrackingInput(FakeTracker(), reach=ReachRange.whole_image(), paused=True, name="hand.mp4")
    ctx = context(tmp_path, video)
    ctx.tracking = TrackingOpener(
        spec=SourceSpec(camera_index=None, path=tmp_path / "hand.mp4"),
        models=frozenset({TrackingModel.HANDS}),
        clock=lambda: 0.0,
        required=frozenset({Effector.HAND}),
    )
    MenuScene(ctx).draw(surface)
    line = "Patient: anna (not calibrated yet) - playing from the video file"
    assert shows_text(surface, line, ctx.theme.small, TEXT_SOFT, background=BACKGROUND)
    mouse = context(tmp_path)
    MenuScene(mouse).draw(surface)
    keys = "Keys: Space starts.   Q: quit.   N: sound on/off.   F11: full screen."
    assert shows_text(surface, keys, mouse.theme.small, TEXT_SOFT, background=BACKGROUND)


def test_p_does_nothing_on_the_results_and_q_or_escape_finish(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    results = ResultsScene(ctx, LevelScene(ctx).state, ())
    assert drive(results, STEP_S, [CommandIssued(0.0, Command.PAUSE)]) is None
    assert drive(results, STEP_S, [CommandIssued(0.0, Command.BACK)]) is EXIT
    assert drive(results, STEP_S, [CommandIssued(0.0, Command.QUIT)]) is EXIT


def test_the_players_pause_pauses_a_file_source_and_leaving_the_level_resumes_it(tmp_path: Path) -> None:
    tracker = FakeTracker()
    ctx = context(tmp_path, TrackingInput(tracker, reach=ReachRange.whole_image()))
    level = LevelScene(ctx)
    drive(level, STEP_S, [CommandIssued(0.0, Command.PAUSE)])
    assert level.state.progress.clock.paused and tracker.paused
    drive(level, STEP_S, [CommandIssued(0.0, Command.BACK)])  # Escape resumes, as P does
    assert not level.state.progress.clock.paused and not tracker.paused
    drive(level, STEP_S, [CommandIssued(0.0, Command.PAUSE)])
    level.on_hide()  # Stop while paused: the source is not left paused for the next screen
    assert not tracker.paused


def test_an_unfinished_trial_gets_no_stars_whatever_its_movement(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    state = LevelScene(ctx).state
    results = (TrialResult(0, Outcome.HIT, 0.0, 2.0), TrialResult(1, Outcome.UNFINISHED, 2.0, 5.0))
    played = replace(state, progress=replace(state.progress, results=results))
    smooth = TrialFeedback(mean_sparc=-1.5, break_count=0, stars=2)
    assert ResultsScene(ctx, played, (smooth, smooth)).stars() == [2, 0]


def test_the_pause_screen_says_paused_once() -> None:
    assert PAUSED_TITLE == "Paused"
    assert "paused" not in PAUSED_MESSAGE.lower()


def test_a_video_preview_is_named_as_the_file_and_no_frozen_ring_after_it_ended(
    tmp_path: Path, surface: pygame.Surface
) -> None:
    tracker = FakeTracker()
    ctx = context(tmp_path, TrackingInput(tracker, reach=ReachRange.whole_image(), name="hand.mp4"))
    ctx.tracking = TrackingOpener(
        spec=SourceSpec(camera_index=None, path=tmp_path / "hand.mp4"),
        models=frozenset({TrackingModel.HANDS}),
        clock=lambda: 0.0,
        required=frozenset({Effector.HAND}),
    )
    assert source_choices.preview_label(ctx) == "The video file (not recorded)"
    scene = CalibrationScene(ctx, then=ToLevel())
    ring_at = (0.5, 0.22)  # where the hand was when the video ended: over the outcome's title
    scene.update([CursorMoved(0.0, *ring_at)], STEP_S)
    tracker.ended = True
    scene.update([SourceEnded(0.0, "hand.mp4 has played to its end.")], STEP_S)
    assert scene.outcome is not None and scene.outcome.phase is Phase.ENDED
    scene.screen.hold.cursor = ring_at
    scene.draw(surface)
    ring_px = (round(ring_at[0] * SIZE_PX[0]) + max(8, SIZE_PX[1] // 40) - 2, round(ring_at[1] * SIZE_PX[1]))
    assert tuple(surface.get_at(ring_px))[:3] != CURSOR


def test_the_rest_waits_for_a_move_onto_its_buttons_from_where_the_level_left_the_pointer(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    ctx.cursor_norm = STOP_REST_BUTTON_NORM[:2]  # the hand rested there when the level ended
    rest = RestScene(ctx, sets_done=1, sets=2, rest_s=60.0)
    assert rest.cursor == STOP_REST_BUTTON_NORM[:2]
    assert drive(rest, 3 * BUTTON_DWELL_S) is None  # not stopped by a pointer that did not move
    drive(rest, 0.1, [at(CORNER)])
    assert drive(rest, BUTTON_DWELL_S + 0.1, [at(STOP_REST_BUTTON_NORM)]) == ToStopped()


def test_a_hand_resting_on_skip_from_the_start_of_a_calibration_step_skips_nothing(tmp_path: Path) -> None:
    tracker = FakeTracker()
    ctx = context(tmp_path, TrackingInput(tracker, reach=ReachRange.whole_image()))
    ctx.models = frozenset({TrackingModel.HANDS, TrackingModel.FACE})
    scene = CalibrationScene(ctx, then=EXIT)
    assert scene.step is Step.HEAD
    palm_on_skip = (1.0 - SKIP_BUTTON_NORM[0], SKIP_BUTTON_NORM[1])  # the pointer is the palm, mirrored
    frames = [TrackedFrame(0.0, sample(0.0, palm_on_skip))]
    drive(scene, SKIP_OFFER_AFTER_S + 3 * BUTTON_DWELL_S, [TrackingFound(0.0, Effector.HAND), *frames])
    assert scene.step is Step.HEAD and scene.skip_offered  # offered, but not pressed by a hand that did not move
    drive(scene, STEP_S, [TrackedFrame(0.0, sample(0.0, (0.5, 0.5)))])
    drive(scene, BUTTON_DWELL_S + 0.1, [TrackedFrame(0.0, sample(0.0, palm_on_skip))])
    assert scene.step is Step.LEFT and scene.skipped == [Step.HEAD]

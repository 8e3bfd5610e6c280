"""Each scene driven headless with synthetic events. Scenes return routes (where to go next), which the tests
check as values and build with the scene registry, as the game loop does. Each test that draws a screen checks what
is on it (a text rendered as the game renders it, a colour where the game draws it) and saves its screenshot in its
own temporary folder for a person to look at."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pygame
import pytest

from clinic.calibration_store import CalibrationStore
from clinic.errors import CalibrationFileError
from game import tracking_input
from game.input_source import InputSource
from game.mouse_input import MouseInput
from game.scenes.base import GameContext, Scene
from game.scenes.buttons import BUTTON_DWELL_S
from game.scenes.calibration import (
    SKIP_BUTTON_NORM,
    SKIP_OFFER_AFTER_S,
    STEP_DURATION_S,
    CalibrationScene,
    Step,
)
from game.scenes.calibration_outcome import DONE_DISPLAY_S
from game.scenes.calibration_outcome import Phase as CalibrationPhase
from game.scenes.level import LevelScene
from game.scenes.loading import LoadingScene
from game.scenes.menu import START_BUTTON_NORM, MenuScene
from game.scenes.no_camera import NoCameraScene
from game.scenes.registry import build_scene
from game.scenes.results import ResultsScene
from game.scenes.routes import (
    EXIT,
    AppExit,
    Route,
    ToCalibration,
    ToLevel,
    ToLoading,
    ToMenu,
    ToNoCamera,
    ToResults,
)
from game.texts import DISCLAIMER, MOUSE_NOTE
from game.theme import ACCENT, ACCENT_FILL, BACKGROUND, CURSOR, GOOD, NOTICE, PANEL, TEXT, TEXT_SOFT
from game.tracking_input import TrackingInput, TrackingOpener
from levels.events import (
    Command,
    CommandIssued,
    CursorMoved,
    InputEvent,
    SourceEnded,
    TrackedFrame,
    TrackingFound,
    TrackingLost,
)
from levels.feedback import TrialFeedback
from levels.reach.rules import Phase, ReachState
from levels.reach.schema import ReachLevel
from levels.trial import Outcome
from tests.support.game_contexts import reach_context
from tests.support.game_inputs import FakeTracker, hand_sample, sample
from tests.support.game_screens import colour_at, save_screenshot, shows_text
from tracking.calibration import REACH_MARGIN_FRACTION, Calibration, ReachRange
from tracking.errors import SourceError
from tracking.live import SourceSpec
from tracking.types import Effector, HeadAngles, TrackingModel

SIZE_PX = (960, 540)
STEP_S = 1.0 / 120.0
# Where the synthetic patient holds the palm at each calibration step (normalised image coordinates, unmirrored).
EXTREMES = {Step.LEFT: (0.75, 0.5), Step.RIGHT: (0.25, 0.5), Step.UP: (0.5, 0.2), Step.DOWN: (0.5, 0.8)}


@pytest.fixture(autouse=True)
def surface() -> Iterator[pygame.Surface]:
    pygame.init()
    yield pygame.display.set_mode(SIZE_PX)
    pygame.quit()


def make_context(
    tmp_path: Path,
    input_source: InputSource,
    *,
    calibration: Calibration | None = None,
    models: frozenset[TrackingModel] = frozenset({TrackingModel.HANDS}),
) -> GameContext:
    return reach_context(tmp_path, SIZE_PX, input_source, calibration=calibration, models=models)


def camera(
    tmp_path: Path,
    *,
    calibration: Calibration | None = None,
    models: frozenset[TrackingModel] = frozenset({TrackingModel.HANDS}),
) -> GameContext:
    source = TrackingInput(FakeTracker(), reach=ReachRange.whole_image())
    return make_context(tmp_path, source, calibration=calibration, models=models)


def drive(scene: Scene, seconds: float, events: Sequence[InputEvent] | None = None) -> Route | AppExit | None:
    """Update for ``seconds`` (events on the first step); return the first route (or exit), or None."""
    pending = list(events or [])
    for _ in range(max(1, round(seconds / STEP_S))):
        result = scene.update(pending, STEP_S)
        pending = []
        if result is not None:
            return result
    return None


def shot(surface: pygame.Surface, scene: Scene, directory: Path, name: str) -> pygame.Surface:
    """Draw ``scene``, save its screenshot in ``directory`` (the test's own folder) and return what was drawn."""
    scene.draw(surface)
    save_screenshot(surface, directory, name)
    return surface.copy()


def reach(scene: LevelScene) -> ReachState:
    """The level scene's state, which is the reach family's here."""
    assert isinstance(scene.state, ReachState)
    return scene.state


def reach_level(context: GameContext) -> ReachLevel:
    assert isinstance(context.level, ReachLevel)
    return context.level


def results_of(context: GameContext, route: Route | AppExit | None) -> ResultsScene:
    """The results scene ``route`` leads to, built as the game loop builds it."""
    assert isinstance(route, ToResults), route
    scene = build_scene(context, route)
    assert isinstance(scene, ResultsScene)
    return scene


def confirm() -> list[InputEvent]:
    return [CommandIssued(0.0, Command.CONFIRM)]


# --- menu ---------------------------------------------------------------------------------------------------


def test_menu_shows_the_level_and_start(tmp_path: Path, surface: pygame.Surface) -> None:
    context = make_context(tmp_path, MouseInput(SIZE_PX))
    drawn = shot(surface, MenuScene(context), tmp_path, "menu")
    theme = context.theme
    assert shows_text(drawn, "motorplay", theme.title, TEXT, background=BACKGROUND)
    assert shows_text(drawn, f"Level: {context.level.title}", theme.heading, TEXT, background=BACKGROUND)
    assert shows_text(drawn, "Start", theme.heading, TEXT, background=PANEL)  # the label on its button
    assert shows_text(
        drawn,
        "Patient: anna (not calibrated yet) - playing with the mouse",
        theme.small,
        TEXT_SOFT,
        background=BACKGROUND,
    )
    assert colour_at(drawn, START_BUTTON_NORM[:2], (0, round(START_BUTTON_NORM[3] * SIZE_PX[1] / 2) - 1)) == ACCENT
    assert DISCLAIMER.startswith("motorplay supports") and not shows_text(
        drawn, "Hand not seen", theme.heading, NOTICE, background=BACKGROUND
    )


def test_menu_starts_level_or_calibration(tmp_path: Path) -> None:
    assert drive(MenuScene(make_context(tmp_path, MouseInput(SIZE_PX))), STEP_S, confirm()) == ToLevel()
    # a camera player with no calibration yet calibrates first, then plays
    assert drive(MenuScene(camera(tmp_path)), STEP_S, confirm()) == ToCalibration(then=ToLevel())
    calibrated = camera(tmp_path, calibration=Calibration(ReachRange(0.2, 0.8, 0.2, 0.8)))
    assert drive(MenuScene(calibrated), STEP_S, confirm()) == ToLevel()
    assert drive(MenuScene(calibrated), STEP_S, [CommandIssued(0.0, Command.QUIT)]) is EXIT
    recalibrate = [CommandIssued(0.0, Command.RECALIBRATE)]
    assert drive(MenuScene(calibrated), STEP_S, recalibrate) == ToCalibration(then=ToLevel())
    assert isinstance(build_scene(calibrated, ToCalibration(then=ToLevel())), CalibrationScene)


def test_menu_recalibrate_with_mouse_explains(tmp_path: Path) -> None:
    menu = MenuScene(make_context(tmp_path, MouseInput(SIZE_PX)))
    assert drive(menu, STEP_S, [CommandIssued(0.0, Command.RECALIBRATE)]) is None
    assert menu.notice is not None and "camera" in menu.notice


def test_menu_starts_when_the_cursor_dwells_on_start(tmp_path: Path) -> None:
    on_button = [CursorMoved(0.0, START_BUTTON_NORM[0], START_BUTTON_NORM[1])]
    menu = MenuScene(make_context(tmp_path, MouseInput(SIZE_PX)))
    drive(menu, STEP_S, [CursorMoved(0.0, 0.01, 0.99)])  # the pointer comes onto Start from off it
    assert drive(menu, BUTTON_DWELL_S - 0.1, on_button) is None
    assert drive(menu, 0.2) == ToLevel()
    passing = MenuScene(make_context(tmp_path, MouseInput(SIZE_PX)))
    drive(passing, STEP_S, [CursorMoved(0.0, 0.01, 0.99)])
    assert drive(passing, BUTTON_DWELL_S - 0.1, on_button) is None
    assert drive(passing, 1.0, [CursorMoved(0.0, 0.1, 0.1)]) is None  # leaving resets the dwell


def test_menu_auto_starts_only_when_headless(tmp_path: Path) -> None:
    context = make_context(tmp_path, MouseInput(SIZE_PX))
    assert drive(MenuScene(context), 5.0) is None
    context.auto_start_after_s = 2.0
    menu = MenuScene(context)
    assert drive(menu, 1.9) is None
    assert drive(menu, 0.2) == ToLevel()


# --- no camera ----------------------------------------------------------------------------------------------


def test_no_camera_offers_mouse_or_quit(tmp_path: Path, surface: pygame.Surface) -> None:
    tracker = FakeTracker()
    context = camera(tmp_path)
    context.input_source = TrackingInput(tracker, reach=ReachRange.whole_image())
    scene = NoCameraScene(context, "No camera found at index 0.")
    drawn = shot(surface, scene, tmp_path, "no_camera")
    assert shows_text(drawn, "No camera found", context.theme.title, NOTICE, background=BACKGROUND)
    assert shows_text(drawn, "No camera found at index 0.", context.theme.body, TEXT, background=BACKGROUND)
    assert shows_text(drawn, "Play with the mouse", context.theme.heading, TEXT, background=PANEL)  # a button
    assert drive(scene, 3.0) is None  # nothing is faked: it waits for the person
    assert drive(scene, STEP_S, [CommandIssued(0.0, Command.USE_MOUSE)]) == ToMenu()
    assert isinstance(context.input_source, MouseInput) and tracker.closed
    assert drive(NoCameraScene(context, "x"), STEP_S, [CommandIssued(0.0, Command.QUIT)]) is EXIT


# --- calibration --------------------------------------------------------------------------------------------


def run_calibration(scene: CalibrationScene, *, head: HeadAngles | None = None) -> None:
    """Feed 30 fps frames with the palm at each step's extreme until the scene leaves measuring."""
    rng = np.random.default_rng(5)
    scene.update([TrackingFound(0.0, Effector.HAND), TrackingFound(0.0, Effector.HEAD)], STEP_S)
    t_s = 0.0
    for index in range(round(20.0 / STEP_S)):
        if scene.outcome is not None:
            return
        events: list[InputEvent] = []
        if index % 4 == 0:
            t_s += 4 * STEP_S
            step = scene.step
            x, y = EXTREMES.get(step, (0.5, 0.5)) if step is not None else (0.5, 0.5)
            palm = (x + rng.normal(0, 0.003), y + rng.normal(0, 0.003))
            events.append(TrackedFrame(t_s, sample(t_s, palm, head=head)))
        scene.update(events, STEP_S)


def test_calibration_measures_saves_and_applies(tmp_path: Path, surface: pygame.Surface) -> None:
    context = camera(tmp_path)
    scene = CalibrationScene(context, then=EXIT)
    assert scene.steps == [Step.LEFT, Step.RIGHT, Step.UP, Step.DOWN]
    theme = context.theme
    waiting = shot(surface, scene, tmp_path, "calibration_waiting_for_hand")
    hand_not_seen = "Hand not seen - move your hand into view of the camera"
    assert shows_text(waiting, hand_not_seen, theme.heading, NOTICE, background=BACKGROUND)
    scene.update([TrackingFound(0.0, Effector.HAND)], STEP_S)
    drive(scene, STEP_DURATION_S / 2, [TrackedFrame(0.0, sample(0.0, (0.7, 0.5)))])
    measuring = shot(surface, scene, tmp_path, "calibration_step")
    assert shows_text(measuring, "Calibration - step 1 of 4", theme.heading, TEXT, background=BACKGROUND)
    assert not shows_text(measuring, hand_not_seen, theme.heading, NOTICE, background=BACKGROUND)
    assert colour_at(measuring, (0.3, 0.5)) == CURSOR  # the palm at x 0.7 in the image, mirrored
    scene = CalibrationScene(context, then=EXIT)
    run_calibration(scene)
    done = shot(surface, scene, tmp_path, "calibration_saved")
    assert shows_text(done, "Calibration done", theme.title, GOOD, background=BACKGROUND)
    assert scene.outcome is not None and "saved" in scene.outcome.message
    saved = CalibrationStore(tmp_path).load("anna")
    assert saved is not None and saved == context.calibration and saved.head_neutral is None
    span_x, span_y = 0.5, 0.6  # between the held extremes
    reach = saved.reach
    assert reach.x_min_norm == pytest.approx(0.25 + REACH_MARGIN_FRACTION * span_x, abs=0.01)
    assert reach.x_max_norm == pytest.approx(0.75 - REACH_MARGIN_FRACTION * span_x, abs=0.01)
    assert reach.y_min_norm == pytest.approx(0.2 + REACH_MARGIN_FRACTION * span_y, abs=0.01)
    assert reach.y_max_norm == pytest.approx(0.8 - REACH_MARGIN_FRACTION * span_y, abs=0.01)
    # The cursor now uses the new range: the right edge of the range maps to the left of the (mirrored) screen.
    tracker = context.input_source.tracker  # type: ignore[attr-defined]
    tracker.queue = [sample(9.0, (reach.x_max_norm, reach.y_min_norm))]
    cursor = [e for e in context.input_source.poll([], 9.0) if isinstance(e, CursorMoved)][0]
    assert (cursor.x_norm, cursor.y_norm) == pytest.approx((0.0, 0.0), abs=1e-6)
    assert drive(scene, DONE_DISPLAY_S + 0.1) is EXIT


def test_calibration_head_step_when_face_runs(tmp_path: Path) -> None:
    context = camera(tmp_path, models=frozenset({TrackingModel.HANDS, TrackingModel.FACE}))
    context.tracker_head_neutral = HeadAngles(1.0, 1.0, 1.0)  # the tracker already subtracts an older neutral
    scene = CalibrationScene(context, then=EXIT)
    assert scene.steps[0] is Step.HEAD
    run_calibration(scene, head=HeadAngles(4.0, -2.0, 0.5))
    saved = CalibrationStore(tmp_path).load("anna")
    assert saved is not None and saved.head_neutral == HeadAngles(5.0, -1.0, 1.5)


def test_calibration_counts_a_face_already_seen_when_it_starts(tmp_path: Path) -> None:
    """The face was found while the menu showed (its one TrackingFound went there): the head step still counts."""
    models = frozenset({TrackingModel.HANDS, TrackingModel.FACE})
    context = camera(tmp_path, models=models)
    tracker = FakeTracker()
    source = TrackingInput(tracker, reach=ReachRange.whole_image(), required=frozenset(Effector))
    tracker.queue = [sample(0.0, (0.5, 0.5), head=HeadAngles(0.0, 0.0, 0.0))]
    source.poll([], 0.0)
    context.input_source = source
    scene = CalibrationScene(context, then=EXIT)
    assert scene.step is Step.HEAD
    drive(scene, 1.0)
    assert scene.step_elapsed_s == pytest.approx(1.0, abs=0.01) and not scene.skip_offered


def test_calibration_step_waits_while_hand_lost(tmp_path: Path, surface: pygame.Surface) -> None:
    scene = CalibrationScene(camera(tmp_path), then=EXIT)
    drive(scene, 1.0, [TrackingFound(0.0, Effector.HAND)])
    elapsed = scene.step_elapsed_s
    drive(scene, 5.0, [TrackingLost(0.0, Effector.HAND)])
    shot(surface, scene, tmp_path, "calibration_hand_lost")
    assert scene.step_elapsed_s == elapsed and scene.step is Step.LEFT


def test_calibration_source_end_saves_nothing(tmp_path: Path, surface: pygame.Surface) -> None:
    scene = CalibrationScene(camera(tmp_path), then=EXIT)
    drive(scene, 1.0, [TrackingFound(0.0, Effector.HAND), SourceEnded(0.0)])
    shot(surface, scene, tmp_path, "calibration_source_ended")
    assert scene.outcome is not None and "nothing was saved" in scene.outcome.message
    assert drive(scene, 10.0, confirm()) is None and scene.outcome is not None
    assert not (tmp_path / "patients").exists()


def test_calibration_never_overwrites_a_bad_file(tmp_path: Path) -> None:
    path = CalibrationStore(tmp_path).path_for("anna")
    path.parent.mkdir(parents=True)
    path.write_text("{broken", encoding="utf-8")
    scene = CalibrationScene(camera(tmp_path), then=EXIT)
    run_calibration(scene)
    assert scene.outcome is not None and str(path) in scene.outcome.message
    assert path.read_text(encoding="utf-8") == "{broken"


def test_calibration_too_few_positions_asks_to_try_again(tmp_path: Path) -> None:
    scene = CalibrationScene(camera(tmp_path), then=EXIT)
    scene.update([TrackingFound(0.0, Effector.HAND)], STEP_S)
    for step in list(scene.steps):  # one frame at each step's place, then no more frames: too few positions
        drive(scene, STEP_DURATION_S + 0.05, [TrackedFrame(0.0, sample(0.0, EXTREMES[step]))])
    assert scene.outcome is not None and "Not enough hand positions" in scene.outcome.message
    assert [(choice.command, choice.words) for choice in scene.screen.choices()] == [(Command.CONFIRM, "try again")]
    drive(scene, STEP_S, confirm())
    assert scene.outcome is None and scene.step is Step.LEFT


# --- level and results --------------------------------------------------------------------------------------


def play_level_with_mouse(scene: LevelScene) -> Route | AppExit | None:
    """Move the cursor onto each target as it appears; return the route at the end."""
    for _ in range(round(200.0 / STEP_S)):
        target = reach(scene).target
        events: list[InputEvent] = [] if target is None else [CursorMoved(0.0, *target)]
        result = scene.update(events, STEP_S)
        if result is not None:
            return result
    return None


def test_level_draws_the_target_the_cursor_and_the_status(tmp_path: Path, surface: pygame.Surface) -> None:
    context = make_context(tmp_path, MouseInput(SIZE_PX))
    scene = LevelScene(context)
    drive(scene, 1.2, [CursorMoved(0.0, 0.1, 0.9)])
    target = reach(scene).target
    assert target is not None
    drawn = shot(surface, scene, tmp_path, "level")
    radius_px = round(reach_level(context).target_radius_norm * SIZE_PX[1])
    assert colour_at(drawn, target) == PANEL  # the target, not yet filling
    assert colour_at(drawn, target, (radius_px - 1, 0)) == ACCENT  # its rim
    cursor_radius_px = max(8, SIZE_PX[1] // 40)
    assert colour_at(drawn, (0.1, 0.9), (cursor_radius_px * 3 // 4, 0)) == CURSOR  # the cursor's ring
    assert colour_at(drawn, (0.1, 0.9)) == BACKGROUND  # and its dark centre
    status = "Target 1 of 8    Hits 0    Score 0"
    assert shows_text(drawn, status, context.theme.body, TEXT, background=PANEL)
    drive(scene, 0.3, [CursorMoved(0.0, *target)])  # half the 0.6 s dwell
    filling = shot(surface, scene, tmp_path, "level_dwelling")
    # The target fills from its centre while the cursor dwells on it: half its radius by now, beyond the cursor.
    assert colour_at(filling, target, (0, radius_px * 3 // 8)) == ACCENT_FILL
    assert colour_at(filling, target, (0, radius_px * 3 // 4)) == PANEL


def test_level_with_mouse_hits_every_target(tmp_path: Path, surface: pygame.Surface) -> None:
    context = make_context(tmp_path, MouseInput(SIZE_PX))
    route = play_level_with_mouse(LevelScene(context))
    result = results_of(context, route)
    trials = reach_level(context).trials
    progress = result.state.progress
    assert progress.hits == trials and progress.score == 100 * trials
    rows = result.rows()
    assert [row[1] for row in rows] == ["hit"] * trials
    assert all(row[3] == "-" and row[4] == "-" for row in rows)
    assert result.notes() == [f"All targets: {MOUSE_NOTE}"]
    drawn = shot(surface, result, tmp_path, "results_mouse")
    theme = context.theme
    assert shows_text(drawn, "Well done", theme.title, GOOD, background=BACKGROUND)
    assert shows_text(
        drawn, f"Score {100 * trials}    Hits {trials}    Missed 0", theme.heading, TEXT, background=BACKGROUND
    )
    assert shows_text(drawn, "SPARC", theme.small, TEXT_SOFT, background=PANEL)  # the therapist's column header
    assert drive(result, STEP_S, confirm()) == ToLevel()  # play again
    assert drive(result, STEP_S, [CommandIssued(0.0, Command.QUIT)]) is EXIT


def test_level_pauses_while_hand_lost(tmp_path: Path, surface: pygame.Surface) -> None:
    context = camera(tmp_path)
    scene = LevelScene(context)
    theme = context.theme
    assert scene.state.progress.frozen  # a camera level waits for the hand
    drive(scene, 1.5, [TrackingFound(0.0, Effector.HAND), CursorMoved(0.0, 0.5, 0.5)])
    running = shot(surface, scene, tmp_path, "level_camera")
    assert not shows_text(running, "Waiting for your hand", theme.title, NOTICE, background=BACKGROUND)
    clock_s = scene.state.progress.clock.elapsed_s
    drive(scene, 2.0, [TrackingLost(0.0, Effector.HAND)])
    paused = shot(surface, scene, tmp_path, "level_hand_lost")
    assert scene.state.progress.frozen and scene.state.progress.clock.elapsed_s == clock_s
    assert shows_text(paused, "Waiting for your hand", theme.title, NOTICE, background=BACKGROUND)
    drive(scene, 0.5, [TrackingFound(0.0, Effector.HAND)])
    assert scene.state.progress.clock.elapsed_s == pytest.approx(clock_s + 0.5, abs=0.02)
    drive(scene, 0.5, [CommandIssued(0.0, Command.PAUSE)])
    by_key = shot(surface, scene, tmp_path, "level_paused")
    assert shows_text(by_key, "Paused", theme.title, NOTICE, background=BACKGROUND)
    clock = scene.state.progress.clock
    assert clock.paused and clock.elapsed_s == pytest.approx(clock_s + 0.5, abs=0.02)
    assert drive(scene, STEP_S, [CommandIssued(0.0, Command.QUIT)]) is EXIT


def test_level_with_camera_measures_each_trial(tmp_path: Path, surface: pygame.Surface) -> None:
    """Raw samples of a smooth reach (minimum jerk) go to movement analysis; its SPARC appears in the results."""
    context = camera(tmp_path)
    context.source_info = FakeTracker().info
    scene = LevelScene(context)
    scene.update([TrackingFound(0.0, Effector.HAND)], STEP_S)
    t_s, palm = 0.0, (0.5, 0.5)
    start = palm
    route: Route | AppExit | None = None
    for index in range(round(300.0 / STEP_S)):
        events: list[InputEvent] = []
        if index % 4 == 0:  # a 30 fps camera
            t_s += 4 * STEP_S
            target = reach(scene).target
            if target is None:
                start = palm
            else:
                # The palm follows a 1 s minimum-jerk path to the target (mirrored back to image coordinates).
                goal = (1.0 - target[0], target[1])
                u = min(reach(scene).phase_elapsed_s / 1.0, 1.0)
                progress = 10 * u**3 - 15 * u**4 + 6 * u**5
                palm = (start[0] + progress * (goal[0] - start[0]), start[1] + progress * (goal[1] - start[1]))
            events = [TrackedFrame(t_s, hand_sample(t_s, palm)), CursorMoved(t_s, 1.0 - palm[0], palm[1])]
        route = scene.update(events, STEP_S)
        if route is not None:
            break
    result = results_of(context, route)
    assert result.state.progress.hits == reach_level(context).trials
    drawn = shot(surface, result, tmp_path, "results_camera")
    measured = [f for f in result.feedback if f.mean_sparc is not None]
    assert measured, [f.note for f in result.feedback]
    for feedback in measured:
        assert feedback.mean_sparc is not None and -6.0 < feedback.mean_sparc < 0.0
        assert feedback.break_count == 0, feedback  # one smooth reach: no arrest, no reversal
    rows = result.rows()
    for row, feedback in zip(rows, result.feedback, strict=True):
        if feedback.mean_sparc is not None:
            assert row[3] == f"{feedback.mean_sparc:.2f}" and row[4] == "0"
    first = rows[0]
    assert shows_text(drawn, first[3], context.theme.small, TEXT, background=PANEL)  # the SPARC in the table
    smooth = measured[0]
    words = smooth.biofeedback()
    assert words is not None and not any(ch.isdigit() for ch in words)  # plain words, no bare number


def test_level_ends_when_source_ends(tmp_path: Path) -> None:
    context = make_context(tmp_path, MouseInput(SIZE_PX))
    scene = LevelScene(context)
    drive(scene, 1.5)
    result = results_of(context, drive(scene, STEP_S, [SourceEnded(0.0, None)]))
    assert [r.outcome for r in result.state.progress.results] == [Outcome.UNFINISHED]
    assert result.note is not None and "ended" in result.note
    assert result.state.progress.finished


def test_level_rest_says_how_the_last_target_went(tmp_path: Path, surface: pygame.Surface) -> None:
    context = make_context(tmp_path, MouseInput(SIZE_PX))
    scene = LevelScene(context)
    body = context.theme.body

    def says(text: str) -> bool:
        return shows_text(surface, text, body, TEXT_SOFT, background=BACKGROUND)

    scene.draw(surface)
    assert says("Get ready - the first target is coming")
    drive(scene, 1.1)
    target = reach(scene).target
    assert target is not None
    drive(scene, 0.7, [CursorMoved(0.0, *target)])
    assert scene.state.progress.hits == 1 and reach(scene).phase is Phase.RESTING
    shot(surface, scene, tmp_path, "level_after_hit")
    assert says("Hit! +100. Rest - the next target is coming") and not says("Get ready - the first target is coming")
    timeout_s = reach(scene).params.trial_timeout_s
    drive(scene, 1.0 + timeout_s + 0.1, [CursorMoved(0.0, 0.0, 1.0)])
    assert scene.state.progress.misses == 1
    scene.draw(surface)
    assert says("That one timed out - no problem. Rest - the next target is coming")


def test_results_notes_name_the_targets_they_apply_to(tmp_path: Path) -> None:
    context = make_context(tmp_path, MouseInput(SIZE_PX))
    played = results_of(context, play_level_with_mouse(LevelScene(context)))
    missing = TrialFeedback(None, None, "no movement found")
    measured = TrialFeedback(-1.5, 0)
    feedback = (missing, measured, missing) + (measured,) * (reach_level(context).trials - 3)
    scene = ResultsScene(context, played.state, feedback)
    assert scene.notes() == ["Targets 1, 3: no movement found"]


# --- the end of the source, on every screen ------------------------------------------------------------------


def tracked(
    tmp_path: Path,
    *,
    path: Path | None = None,
    duration_s: float | None = None,
    paused: bool = False,
    calibration: Calibration | None = None,
    models: frozenset[TrackingModel] = frozenset({TrackingModel.HANDS}),
) -> tuple[GameContext, FakeTracker]:
    """A context with a fake tracker behind a TrackingInput, and an opener for a camera or for ``path``."""
    tracker = FakeTracker(duration_s=duration_s)
    name = None if path is None else str(path)
    source = TrackingInput(tracker, reach=ReachRange.whole_image(), paused=paused, name=name)
    context = make_context(tmp_path, source, calibration=calibration, models=models)
    context.tracking = TrackingOpener(
        spec=SourceSpec(camera_index=None if path else 0, path=path),
        models=models,
        clock=lambda: 0.0,
        required=frozenset({Effector.HAND}),
    )
    context.source_info = tracker.info
    context.source_duration_s = duration_s
    return context, tracker


def unplug(tracker: FakeTracker) -> None:
    tracker.ended, tracker.error = True, "Tracking stopped: the camera stopped delivering images."


def test_menu_says_the_camera_stopped_and_start_opens_it_again(tmp_path: Path, surface: pygame.Surface) -> None:
    calibration = Calibration(ReachRange(0.2, 0.8, 0.2, 0.8))
    context, tracker = tracked(tmp_path, calibration=calibration)
    menu = MenuScene(context)
    small = context.theme.small
    before = shot(surface, menu, tmp_path, "menu_camera")
    unplug(tracker)
    after = shot(surface, menu, tmp_path, "menu_camera_stopped")
    stopped = "Tracking stopped: the camera stopped delivering images."
    assert not shows_text(before, stopped, small, NOTICE, background=BACKGROUND)
    assert shows_text(after, stopped, small, NOTICE, background=BACKGROUND)  # it is said on screen
    assert drive(menu, STEP_S, confirm()) == ToLoading(then=ToLevel())  # Start tries the camera again
    context2, tracker2 = tracked(tmp_path, calibration=calibration)
    unplug(tracker2)
    assert drive(MenuScene(context2), STEP_S, [CommandIssued(0.0, Command.USE_MOUSE)]) == ToMenu()
    assert isinstance(context2.input_source, MouseInput) and tracker2.closed


def test_a_file_is_not_started_by_the_menu_but_by_the_level(tmp_path: Path) -> None:
    calibration = Calibration(ReachRange(0.2, 0.8, 0.2, 0.8))
    context, tracker = tracked(tmp_path, path=tmp_path / "hand.jsonl", paused=True, calibration=calibration)
    menu = MenuScene(context)
    menu.on_show()
    assert drive(menu, 10.0) is None and not tracker.started
    route = drive(menu, STEP_S, confirm())
    assert route == ToLevel() and not tracker.started
    build_scene(context, route).on_show()
    assert tracker.started


def test_a_level_shown_after_the_source_ended_goes_to_the_results_at_once(tmp_path: Path) -> None:
    """Never "Waiting for your hand" for a source that cannot deliver one."""
    context, tracker = tracked(tmp_path, path=tmp_path / "hand.jsonl")
    tracker.ended = True
    result = results_of(context, drive(LevelScene(context), STEP_S))
    assert result.note is not None and "hand.jsonl has played to its end" in result.note
    assert "play the recording again from the start" in result.footer()
    assert drive(result, STEP_S, confirm()) == ToLoading(then=ToLevel())  # the file is opened again


def test_results_after_the_camera_stopped_offer_the_camera_again_or_the_mouse(
    tmp_path: Path, surface: pygame.Surface
) -> None:
    context, tracker = tracked(tmp_path)
    level = LevelScene(context)
    drive(level, 1.0, [TrackingFound(0.0, Effector.HAND)])
    unplug(tracker)
    results = results_of(context, drive(level, STEP_S))
    drawn = shot(surface, results, tmp_path, "results_camera_stopped")
    footer = "Space: try the camera again.   M: play with the mouse.   Q or Escape: finish."
    assert results.footer() == footer
    shown = "Space: try the camera again. M: play with the mouse. Q or Escape: finish."  # one line, spaces joined
    assert shows_text(drawn, shown, context.theme.small, TEXT_SOFT, background=BACKGROUND)
    assert drive(results, STEP_S, confirm()) == ToLoading(then=ToLevel())
    assert drive(results, STEP_S, [CommandIssued(0.0, Command.USE_MOUSE)]) == ToMenu()
    assert isinstance(context.input_source, MouseInput)


def test_results_of_a_file_that_is_still_playing_play_it_again_from_the_start(tmp_path: Path) -> None:
    context, tracker = tracked(tmp_path, path=tmp_path / "hand_video.mp4", paused=True)
    results = ResultsScene(context, LevelScene(context).state, ())
    assert results.footer() == "Space: play again from the start of the video.   Q or Escape: finish."
    assert drive(results, STEP_S, confirm()) == ToLoading(then=ToLevel())


# --- calibration: a step that finds nothing can be skipped ----------------------------------------------------


def test_calibration_offers_skip_when_the_face_is_not_seen(tmp_path: Path, surface: pygame.Surface) -> None:
    models = frozenset({TrackingModel.HANDS, TrackingModel.FACE})
    context, _ = tracked(tmp_path, models=models)
    scene = CalibrationScene(context, then=EXIT)
    assert scene.step is Step.HEAD
    drive(scene, SKIP_OFFER_AFTER_S - 0.1, [TrackingFound(0.0, Effector.HAND)])
    assert not scene.skip_offered
    assert drive(scene, STEP_S, confirm()) is None and scene.step is Step.HEAD  # Space does not skip yet
    drive(scene, 0.2)
    assert scene.skip_offered
    offered = shot(surface, scene, tmp_path, "calibration_skip_offered")
    assert shows_text(offered, "Skip", context.theme.heading, TEXT, background=PANEL)
    assert shows_text(
        offered, "Face not seen - look at the camera", context.theme.heading, NOTICE, background=BACKGROUND
    )
    drive(scene, STEP_S, confirm())
    assert scene.step is Step.LEFT and scene.skipped == [Step.HEAD] and not scene.skip_offered


def test_calibration_skip_by_holding_the_hand_on_it(tmp_path: Path) -> None:
    models = frozenset({TrackingModel.HANDS, TrackingModel.FACE})
    context, _ = tracked(tmp_path, models=models)
    scene = CalibrationScene(context, then=EXIT)
    drive(scene, SKIP_OFFER_AFTER_S + 0.1, [TrackingFound(0.0, Effector.HAND)])
    # The pointer is the palm mirrored: the image point (1 - x, y) of the Skip button's centre.
    palm_on_skip = (1.0 - SKIP_BUTTON_NORM[0], SKIP_BUTTON_NORM[1])
    drive(scene, STEP_S, [TrackedFrame(0.0, sample(0.0, (0.5, 0.5)))])  # the hand comes onto Skip from off it
    drive(scene, BUTTON_DWELL_S - 0.1, [TrackedFrame(0.0, sample(0.0, palm_on_skip))])
    assert scene.step is Step.HEAD and scene.skip_dwell_s > 0
    drive(scene, 0.2)
    assert scene.step is Step.LEFT and scene.skipped == [Step.HEAD]


def test_calibration_skip_is_chosen_by_itself_when_headless(tmp_path: Path) -> None:
    context, _ = tracked(tmp_path, models=frozenset({TrackingModel.HANDS, TrackingModel.FACE}))
    context.auto_start_after_s = 2.0
    scene = CalibrationScene(context, then=EXIT)
    drive(scene, SKIP_OFFER_AFTER_S + 1.9, [TrackingFound(0.0, Effector.HAND)])
    assert scene.step is Step.HEAD
    drive(scene, 0.2)
    assert scene.step is Step.LEFT


# --- calibration from a file that is too short or ends --------------------------------------------------------


def test_calibration_says_at_once_when_the_file_is_too_short(tmp_path: Path, surface: pygame.Surface) -> None:
    video = tmp_path / "hand_video.mp4"
    context, tracker = tracked(tmp_path, path=video, paused=True, duration_s=8.08)
    scene = CalibrationScene(context, then=ToLevel())
    scene.on_show()
    drawn = shot(surface, scene, tmp_path, "calibration_too_short")
    assert shows_text(drawn, "Too short to calibrate from", context.theme.title, NOTICE, background=BACKGROUND)
    assert not tracker.started  # the file is kept for the level
    assert scene.outcome is not None and scene.outcome.phase is CalibrationPhase.TOO_SHORT
    assert f"{video} is 8.1 s long" in scene.outcome.message
    words = [(choice.command, choice.words) for choice in scene.screen.choices()]
    assert words == [
        (Command.CONFIRM, "play now with the default range (the whole camera image; nothing is saved)"),
        (Command.RECALIBRATE, "calibrate from it anyway"),
    ]
    assert drive(scene, STEP_S, confirm()) == ToLevel()
    assert context.calibration is None  # nothing saved: the default range
    anyway = CalibrationScene(context, then=ToLevel())
    anyway.on_show()
    drive(anyway, STEP_S, [CommandIssued(0.0, Command.RECALIBRATE)])
    assert anyway.outcome is None and tracker.started and anyway.step is Step.LEFT
    long_enough = tracked(tmp_path, path=video, paused=True, duration_s=60.0)[0]
    scene = CalibrationScene(long_enough, then=EXIT)
    scene.on_show()
    assert scene.outcome is None


def test_calibration_cut_short_by_the_file_offers_the_default_range(tmp_path: Path, surface: pygame.Surface) -> None:
    context, tracker = tracked(tmp_path, path=tmp_path / "hand.jsonl")
    scene = CalibrationScene(context, then=ToLevel())
    drive(scene, 1.0, [TrackingFound(0.0, Effector.HAND)])
    tracker.ended = True
    drive(scene, STEP_S)
    drawn = shot(surface, scene, tmp_path, "calibration_file_ended")
    assert shows_text(drawn, "Calibration not finished", context.theme.title, NOTICE, background=BACKGROUND)
    assert shows_text(
        drawn,
        "C: calibrate again from the start of the recording",
        context.theme.body,
        TEXT_SOFT,
        background=BACKGROUND,
    )
    assert scene.outcome is not None and scene.outcome.phase is CalibrationPhase.ENDED
    assert "hand.jsonl has played to its end" in scene.outcome.message
    assert [choice.command for choice in scene.screen.choices()] == [Command.CONFIRM, Command.RECALIBRATE]
    assert drive(scene, 1.0) is None  # with a person at the keys, it waits for their choice
    assert drive(scene, STEP_S, confirm()) == ToLoading(then=ToLevel())  # the file again, then the level
    context.auto_start_after_s = 2.0
    assert drive(scene, 1.1) == ToLoading(then=ToLevel())  # headless: after the reading time
    assert not (tmp_path / "patients").exists()


def test_calibrate_only_when_the_file_ended_offers_to_start_again_and_ends_when_headless(tmp_path: Path) -> None:
    context, tracker = tracked(tmp_path, path=tmp_path / "hand.jsonl")
    context.calibrate_only = True
    scene = CalibrationScene(context, then=EXIT)
    tracker.ended = True
    drive(scene, STEP_S)
    assert [(c.command, c.words) for c in scene.screen.choices()] == [
        (Command.CONFIRM, "calibrate again from the start of the recording")
    ]
    # the file again, from its start, then the calibration again (its length is not questioned a second time)
    assert drive(scene, STEP_S, confirm()) == ToLoading(then=ToCalibration(then=EXIT, check_length=False))
    context.auto_start_after_s = 2.0
    assert drive(scene, 2.1) is EXIT


def test_calibration_that_cannot_be_saved_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    context = camera(tmp_path)

    def full_disk(patient: str, calibration: Calibration) -> Path:
        raise CalibrationFileError(f"{tmp_path}/calibration.json: cannot save the calibration (No space left)")

    monkeypatch.setattr(context.store, "save", full_disk)
    scene = CalibrationScene(context, then=EXIT)
    run_calibration(scene)
    assert scene.outcome is not None and scene.outcome.phase is CalibrationPhase.NOT_SAVED
    assert "No space left" in scene.outcome.message
    assert isinstance(context.report.save_error, CalibrationFileError) and context.calibration is None


# --- loading -------------------------------------------------------------------------------------------------


def wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 10.0  # a thread that has not answered by then is stuck, not slow
    while not condition():
        assert time.monotonic() < deadline, "the opening thread did not finish"
        time.sleep(0.001)


def test_loading_opens_only_after_it_was_drawn_then_shows_the_next_scene(
    tmp_path: Path, surface: pygame.Surface, monkeypatch: pytest.MonkeyPatch
) -> None:
    context, old = tracked(tmp_path, path=tmp_path / "hand.jsonl")
    opened: list[FakeTracker] = []

    def open_tracker(spec: SourceSpec, models: object, **kwargs: object) -> FakeTracker:
        opened.append(FakeTracker(duration_s=8.0))
        return opened[-1]

    monkeypatch.setattr(tracking_input, "open_live_tracker", open_tracker)
    scene = LoadingScene(context, then=EXIT)
    assert drive(scene, 0.5) is None and not opened  # nothing is opened before the loading screen is shown
    drawn = shot(surface, scene, tmp_path, "loading")
    assert shows_text(drawn, "Loading the camera tracking...", context.theme.title, TEXT, background=BACKGROUND)
    drive(scene, STEP_S)
    wait_for(lambda: bool(opened))
    assert drive(scene, 1.0) is EXIT
    assert old.closed and isinstance(context.input_source, TrackingInput)
    assert context.input_source.tracker is opened[0] and context.source_duration_s == 8.0
    assert not context.input_source.started  # a file waits for the level or the calibration


def test_quitting_while_loading_closes_what_opens_later(
    tmp_path: Path, surface: pygame.Surface, monkeypatch: pytest.MonkeyPatch
) -> None:
    context, _ = tracked(tmp_path)
    release, tracker = threading.Event(), FakeTracker()

    def slow_open(spec: SourceSpec, models: object, **kwargs: object) -> FakeTracker:
        release.wait(10.0)
        return tracker

    monkeypatch.setattr(tracking_input, "open_live_tracker", slow_open)
    scene = LoadingScene(context, then=EXIT)
    scene.draw(surface)
    drive(scene, STEP_S)
    assert drive(scene, STEP_S, [CommandIssued(0.0, Command.QUIT)]) is EXIT
    release.set()
    wait_for(lambda: tracker.closed)


def test_loading_failures_go_to_no_camera_or_end_the_game(
    tmp_path: Path, surface: pygame.Surface, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_source(spec: SourceSpec, models: object, **kwargs: object) -> FakeTracker:
        raise SourceError(f"cannot open {spec.describe()}")

    monkeypatch.setattr(tracking_input, "open_live_tracker", no_source)

    def load(context: GameContext) -> Route | AppExit | None:
        scene = LoadingScene(context, then=EXIT)
        scene.draw(surface)
        drive(scene, STEP_S)  # opening starts in the background
        answers: list[Route | AppExit | None] = []

        def answered() -> bool:
            answers.append(scene.update([], STEP_S))
            return answers[-1] is not None

        wait_for(answered)
        return answers[-1]

    route = load(tracked(tmp_path)[0])  # a camera: the mouse is offered
    assert route == ToNoCamera("cannot open camera 0")
    assert isinstance(build_scene(tracked(tmp_path)[0], route), NoCameraScene)
    with pytest.raises(SourceError, match="hand.jsonl"):
        load(tracked(tmp_path, path=tmp_path / "hand.jsonl")[0])  # a file the person named: the command says why
    calibrating = tracked(tmp_path)[0]
    calibrating.calibrate_only = True
    with pytest.raises(SourceError, match="camera 0"):
        load(calibrating)

"""The level scene between the family's rules and the player: the level the rules see (its models narrowed to
those running), one feedback per result (a skipped step included), no stars-and-words card where the renderer does
not score trials (the assessment), per-trial analysis of the level's own effector (a hand hold), and the results'
words for a skipped step."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from clinic.calibration_store import CalibrationStore
from game.input_source import InputSource
from game.mouse_input import MouseInput
from game.scenes.base import GameContext
from game.scenes.level import LevelScene
from game.scenes.results import ResultsScene
from game.theme import BACKGROUND, TEXT, Theme
from game.tracking_input import TrackingInput
from levels.assessment.rules import STEPS, AssessmentState, Step
from levels.events import CursorMoved, InputEvent, TrackedFrame, TrackingFound
from levels.hold.rules import HoldState
from levels.loader import load_level
from levels.schema import LevelFile
from levels.trial import JoinedSets, LevelProgress, Outcome, TrialClock, TrialResult
from tests.support.assessment_inputs import VIDEO_PALM_WIDTH_FRAC, sized_hand
from tests.support.game_inputs import FakeTracker, hand_sample
from tests.support.game_screens import shows_text
from tracking.calibration import ReachRange
from tracking.types import Effector, LandmarkFrame, Signals, TrackedSample, TrackingModel

SIZE_PX = (960, 540)
STEP_S = 1.0 / 120.0
FRAME_EVERY = 4  # a 30 fps camera


@pytest.fixture(autouse=True)
def surface() -> Iterator[pygame.Surface]:
    pygame.init()
    yield pygame.display.set_mode(SIZE_PX)
    pygame.quit()


def context_for(
    tmp_path: Path, level: LevelFile, input_source: InputSource, models: frozenset[TrackingModel]
) -> GameContext:
    context = GameContext(
        screen_size_px=SIZE_PX,
        theme=Theme.for_height(SIZE_PX[1]),
        level=level,
        patient="anna",
        store=CalibrationStore(tmp_path),
        input_source=input_source,
        models=models,
    )
    if isinstance(input_source, TrackingInput):
        context.source_info = FakeTracker().info
    return context


def camera() -> TrackingInput:
    return TrackingInput(FakeTracker(), reach=ReachRange.whole_image())


def assessment(scene: LevelScene) -> AssessmentState:
    assert isinstance(scene.state, AssessmentState)
    return scene.state


# The hand's path during the set-up and the reach range (image 0..1): rest, then smooth one-second moves between
# these points with a rest at each, so that each movement is measured.
PATH = ((0.5, 0.5), (0.3, 0.4), (0.7, 0.4), (0.5, 0.65), (0.3, 0.6), (0.6, 0.35))
MOVE_S, REST_S = 1.0, 0.8


def palm_at(t_s: float) -> tuple[float, float]:
    leg, into = divmod(t_s, MOVE_S + REST_S)
    index = int(leg) % (len(PATH) - 1)
    start, goal = PATH[index], PATH[index + 1]
    u = min(into / MOVE_S, 1.0)
    s = 10 * u**3 - 15 * u**4 + 6 * u**5  # minimum jerk
    return (start[0] + s * (goal[0] - start[0]), start[1] + s * (goal[1] - start[1]))


def camera_frame(t_s: float) -> list[InputEvent]:
    palm = palm_at(t_s)
    hand = sized_hand(palm, VIDEO_PALM_WIDTH_FRAC)  # the set-up check's right distance from the camera
    sample = TrackedSample(LandmarkFrame(t_s, (hand,)), Signals(t_s, cursor_norm=palm))
    return [TrackedFrame(t_s, sample), CursorMoved(t_s, 1.0 - palm[0], palm[1])]


def test_with_only_the_hands_model_running_the_head_steps_are_skipped_and_no_card_is_shown(
    tmp_path: Path, surface: pygame.Surface
) -> None:
    level = load_level("assessment")
    assert TrackingModel.FACE in level.models  # the level file asks for the face: --models hands overrides it
    context = context_for(tmp_path, level, camera(), frozenset({TrackingModel.HANDS}))
    scene = LevelScene(context)
    assert assessment(scene).params.models == frozenset({TrackingModel.HANDS})
    scene.update([TrackingFound(0.0, Effector.HAND)], STEP_S)
    t_s = 0.0
    for index in range(round(30.0 / STEP_S)):
        events: list[InputEvent] = []
        if index % FRAME_EVERY == 0:
            t_s += FRAME_EVERY * STEP_S
            events = camera_frame(t_s)
        scene.update(events, STEP_S)
        if assessment(scene).step is not Step.REACH_RANGE and len(scene.feedback) > 1:
            break
    state = assessment(scene)
    # the set-up and the reach range filled while the hand was seen; the head steps then passed at once
    assert state.step is Step.REST_HAND, [(r.params, r.outcome) for r in state.progress.results]
    results = state.progress.results
    assert [r.outcome for r in results] == [Outcome.HIT, Outcome.HIT, Outcome.SKIPPED, Outcome.SKIPPED]
    # one feedback per result (the journal pairs them by index); a skipped step says why it has no measure
    assert len(scene.feedback) == len(results)
    assert all("face model" in str(f.note) for f in scene.feedback[2:])
    # the reach range's movements were measured, yet no stars and words follow an assessment step, and the level
    # does not hold for them
    lines = scene.feedback[1].lines(scene.feedback[0])
    assert scene.feedback[1].measured and lines, scene.feedback[1]
    assert scene.reading_left_s == 0.0 and scene.hold_left_s == 0.0
    scene.draw(surface)
    assert not any(shows_text(surface, line, context.theme.body, TEXT, background=BACKGROUND) for line in lines)


def test_the_mouse_stands_in_for_the_face_so_the_head_steps_are_played(tmp_path: Path) -> None:
    level = load_level("assessment")
    scene = LevelScene(context_for(tmp_path, level, MouseInput(SIZE_PX), frozenset({TrackingModel.HANDS})))
    assert assessment(scene).params.models == frozenset(level.models)


def hand_hold(tmp_path: Path) -> LevelFile:
    path = tmp_path / "hand-hold.toml"
    path.write_text(
        "\n".join(
            (
                "schema_version = 1",
                'name = "hand-hold"',
                'title = "Hold your hand"',
                'description = "Keep the dot in the circle."',
                'kind = "hold"',
                'models = ["hands"]',
                'effector = "hand"',
                "repetitions = 2",
                "hold_time_s = 2.0",
                "trial_timeout_s = 20.0",
                "inter_trial_pause_s = 1.0",
                "target_x_norm = 0.5",
                "target_y_norm = 0.55",
                "tolerance_norm = 0.1",
                "",
            )
        ),
        encoding="utf-8",
    )
    return load_level(str(path))


def test_a_hand_hold_analyses_the_hand_not_the_familys_head(tmp_path: Path) -> None:
    context = context_for(tmp_path, hand_hold(tmp_path), camera(), frozenset({TrackingModel.HANDS}))
    scene = LevelScene(context)
    assert isinstance(scene.state, HoldState) and scene.family.effector is Effector.HEAD  # the family's default
    scene.update([TrackingFound(0.0, Effector.HAND)], STEP_S)
    start, goal = (0.8, 0.3), (0.5, 0.55)  # image coordinates; the screen is their mirror image
    t_s, move_from_s = 0.0, None
    for index in range(round(20.0 / STEP_S)):
        events: list[InputEvent] = []
        if index % FRAME_EVERY == 0:
            t_s += FRAME_EVERY * STEP_S
            state = scene.state
            assert isinstance(state, HoldState)
            if move_from_s is None and state.progress.clock.elapsed_s > 0.0 and state.phase.name != "RESTING":
                move_from_s = t_s
            u = 0.0 if move_from_s is None else min((t_s - move_from_s) / 1.0, 1.0)
            s = 10 * u**3 - 15 * u**4 + 6 * u**5  # one smooth minimum-jerk movement into the circle
            palm = (start[0] + s * (goal[0] - start[0]), start[1] + s * (goal[1] - start[1]))
            events = [TrackedFrame(t_s, hand_sample(t_s, palm)), CursorMoved(t_s, 1.0 - palm[0], palm[1])]
        scene.update(events, STEP_S)
        if scene.feedback:
            break
    assert scene.feedback, "the first hold did not end"
    assert scene.state.progress.results[0].outcome is Outcome.HIT
    first = scene.feedback[0]
    assert first.measured, first.note  # the hand's movement measured (as the head: "head not seen enough")
    assert first.mean_sparc is not None and first.mean_sparc < 0.0 and first.stars is not None


def test_the_results_say_skipped_for_a_step_passed_over(tmp_path: Path) -> None:
    context = context_for(tmp_path, load_level("assessment"), MouseInput(SIZE_PX), frozenset(TrackingModel))
    results = (
        TrialResult(0, Outcome.HIT, 0.0, 2.0, params={"step": Step.SETUP.value}),
        TrialResult(1, Outcome.SKIPPED, 2.0, 2.0, params={"step": Step.HEAD_RANGE.value}),
    )
    progress = LevelProgress(len(STEPS), TrialClock(Effector.HAND), results=results, finished=True)
    scene = ResultsScene(context, JoinedSets(progress), ())
    assert [row[1] for row in scene.rows()] == ["hit", "skipped"]

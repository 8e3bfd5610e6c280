"""The assessment's rules with scripted input: every step from the mouse and from camera frames, progress that
fills only while a step's condition holds, skipped steps, timeouts, pause and the source's end."""

from __future__ import annotations

import math

import pytest

from levels.assessment import rules
from levels.assessment.rules import REACH_TARGETS, STEPS, AssessmentState, Step
from levels.assessment.schema import AssessmentLevel
from levels.assessment.setup import SetupProblem
from levels.events import Command, CommandIssued, CursorMoved, InputEvent, SourceEnded, TrackingLost
from levels.loader import load_level
from levels.screen import ScreenShape
from levels.trial import Outcome
from tests.support.assessment_inputs import BOTH, DT_S, MOUSE, camera_frame, circle, play
from tracking.types import Effector, HeadAngles, TrackingModel

SCREEN = ScreenShape(aspect=16 / 9, top_reserved_norm=0.08)


def level(**changes: object) -> AssessmentLevel:
    base = load_level("assessment")
    assert isinstance(base, AssessmentLevel)
    return base.model_copy(update=changes)


def measures_of(state: AssessmentState, step: Step) -> dict[str, object]:
    result = state.progress.results[STEPS.index(step)]
    assert result.params["step"] == step.value
    return dict(result.measures)


def test_the_whole_assessment_with_the_mouse() -> None:
    the_level = level()
    state = play(rules.start(the_level, SCREEN, BOTH), MOUSE)
    results = state.progress.results
    assert state.progress.finished and len(results) == len(STEPS) == 7
    assert [r.outcome for r in results] == [Outcome.HIT] * 7
    # each timed step lasted its duration (the condition held throughout)
    for step, duration_s in (
        (Step.SETUP, the_level.setup_check_s),
        (Step.REACH_RANGE, the_level.reach_range_s),
        (Step.HEAD_RANGE, the_level.head_range_s),
        (Step.REST_POSTURE, the_level.rest_posture_s),
        (Step.REST_HAND, the_level.rest_hand_s),
        (Step.SUMMARY, the_level.summary_s),
    ):
        assert results[STEPS.index(step)].duration_s == pytest.approx(duration_s, abs=2 * DT_S), step
    assert measures_of(state, Step.SETUP)["checked_with"] == "mouse (no camera image)"
    reach = measures_of(state, Step.REACH_RANGE)
    assert reach["positions_of"] == "screen (mouse)"
    assert 0.5 < float(reach["reach_width_norm"]) < 0.7  # the circle spans 0.7, less the robust percentiles
    head = measures_of(state, Step.HEAD_RANGE)
    for key in ("turn_left_max_deg", "turn_right_max_deg", "chin_up_max_deg", "chin_down_max_deg"):
        assert float(head[key]) == pytest.approx(30.0, abs=0.5), key
    posture = measures_of(state, Step.REST_POSTURE)
    assert posture["turn_deg"] == pytest.approx(28.0) and posture["turn_side"] == "left"
    assert posture["tilt_deg"] == pytest.approx(12.0) and posture["tilt_side"] == "right"
    assert "22.5-45 deg" in str(posture["turn_band"]) and "0-15 deg" in str(posture["tilt_band"])
    assert measures_of(state, Step.REST_HAND)["measured"] is False  # the mouse: no hand to analyse
    reaches = measures_of(state, Step.REACHES)
    assert reaches["reaches_done"] == len(REACH_TARGETS) and reaches["measured"] is False


def test_the_setup_bar_fills_only_while_the_camera_sees_everything_right() -> None:
    def setup(state: AssessmentState, t_s: float) -> list[InputEvent]:
        if t_s < 1.0:  # a dark room for the first second
            return camera_frame(t_s, (0.5, 0.5), head=HeadAngles(0, 0, 0), brightness=0.1)
        return camera_frame(t_s, (0.5, 0.5), head=HeadAngles(0, 0, 0))

    state = rules.start(level(), SCREEN, BOTH)
    for frame in range(round(1.0 / DT_S)):
        state = rules.step(state, setup(state, frame * DT_S), DT_S)
    assert state.check is not None and state.check.problems == (SetupProblem.TOO_DARK,)
    assert state.step is Step.SETUP and state.held_s == 0.0 and state.step_fraction == 0.0
    state = play(state, {Step.SETUP: lambda s, t_s: setup(s, 1.0 + t_s)}, max_s=1.0)
    assert state.step is Step.SETUP and state.step_fraction == pytest.approx(0.5, abs=0.05)
    state = play(state, {Step.SETUP: lambda s, t_s: setup(s, 2.0 + t_s)}, max_s=1.2)
    setup_measures = measures_of(state, Step.SETUP)
    assert state.progress.results[0].outcome is Outcome.HIT
    assert setup_measures["problems_seen"] == "too_dark" and setup_measures["checked_with"] == "camera"
    assert setup_measures["image_brightness"] == 0.5 and 0.04 < float(setup_measures["palm_width_frac"]) < 0.2


def test_the_still_hand_bar_waits_while_the_hand_moves() -> None:
    state = play(rules.start(level(), SCREEN, BOTH), MOUSE, max_s=34.0)  # up to the still hand
    assert state.step is Step.REST_HAND
    moving = play(state, {Step.REST_HAND: lambda s, t_s: [CursorMoved(t_s, *circle(t_s))]}, max_s=3.0)
    assert moving.step is Step.REST_HAND
    # only the first frames count, before the cursor had moved STILL_SPREAD_NORM (0.73 screen heights a second)
    assert moving.held_s - state.held_s < rules.STILL_SPREAD_NORM / 0.73 + DT_S
    still = play(moving, {}, max_s=1.0)
    # the bar fills again once the movement has left the still window (at most STILL_WINDOW_S after it stopped)
    assert 1.0 - rules.STILL_WINDOW_S <= still.held_s - moving.held_s <= 1.0 - rules.STILL_WINDOW_S + 0.2


def test_head_steps_are_skipped_with_a_note_when_the_face_model_does_not_run() -> None:
    state = play(rules.start(level(models=(TrackingModel.HANDS,)), SCREEN, BOTH), MOUSE)
    for step in (Step.HEAD_RANGE, Step.REST_POSTURE):
        result = state.progress.results[STEPS.index(step)]
        assert result.outcome is Outcome.SKIPPED and result.duration_s == 0.0
        assert result.measures["skipped"] is True and "face model" in str(result.measures["note"])
    assert state.progress.results[STEPS.index(Step.REST_HAND)].outcome is Outcome.HIT


def test_a_head_never_seen_ends_its_step_at_the_timeout_with_a_note() -> None:
    no_head = {step: script for step, script in MOUSE.items() if step is not Step.HEAD_RANGE}
    state = play(rules.start(level(step_timeout_s=12.0), SCREEN, BOTH), no_head, max_s=10.5)
    assert state.step is Step.HEAD_RANGE and state.progress.clock.effector is Effector.HEAD
    state = rules.step(state, [TrackingLost(0.0, Effector.HEAD)], DT_S)
    assert state.progress.frozen  # the level clock waits for the head ...
    state = play(state, {}, max_s=12.0)
    result = state.progress.results[STEPS.index(Step.HEAD_RANGE)]
    assert result.outcome is Outcome.MISSED and result.measures["note"] == "the head was not seen"  # ... not forever
    assert state.progress.clock.effector is Effector.HEAD  # the resting posture also waits for the head


def test_pause_stops_the_step_and_the_source_end_ends_the_level() -> None:
    state = rules.start(level(), SCREEN, BOTH)
    state = rules.step(state, [CommandIssued(0.0, Command.PAUSE)], DT_S)
    paused = play(state, {}, max_s=5.0)
    assert paused.held_s == 0.0 and paused.step_elapsed_s == 0.0 and not paused.progress.results
    running = rules.step(paused, [CommandIssued(5.0, Command.PAUSE)], DT_S)
    running = play(running, {}, max_s=1.0)
    ended = rules.step(running, [SourceEnded(6.0)], DT_S)
    assert ended.progress.finished and len(ended.progress.results) == 1
    assert ended.progress.results[0].outcome is Outcome.UNFINISHED


def test_the_reaches_go_to_five_targets_on_screen_below_the_status_bar() -> None:
    params = rules.assessment_params(level(), SCREEN)
    targets = [rules.target_on_screen(params, target) for target in REACH_TARGETS]
    radius = params.target_radius_norm
    for x, y in targets:
        assert radius / SCREEN.aspect <= x <= 1 - radius / SCREEN.aspect
        assert SCREEN.top_reserved_norm + radius <= y <= 1 - radius
    for a, b in zip([(0.5, 0.5), *targets], targets, strict=False):  # each far from where the hand comes from
        assert math.hypot((a[0] - b[0]) * SCREEN.aspect, a[1] - b[1]) > 0.3

"""The grasp and release rules with scripted events: placements, grip, lift, carry, delivery, drops, the aperture
thresholds, the frozen clock, timeouts, the source's end, and the carry's smoothness measures."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from levels.errors import LevelFileError
from levels.events import CursorMoved, GraspChanged, InputEvent, SourceEnded, TrackedFrame, TrackingFound, TrackingLost
from levels.grasp import rules
from levels.grasp.rules import GraspLevelState, GraspParams, Phase
from levels.loader import load_level, parse_level
from levels.screen import ScreenShape
from levels.trial import Outcome
from tracking.types import Effector, GraspState, LandmarkFrame, Signals, TrackedSample

PARAMS = GraspParams(
    trials=3,
    object_radius_norm=0.07,
    goal_radius_norm=0.12,
    carry_distance_norm=0.5,
    grip_hold_time_s=0.5,
    close_below_aperture=0.35,
    open_above_aperture=0.55,
    trial_timeout_s=30.0,
    inter_trial_pause_s=1.0,
    seed=5,
    screen_aspect=16 / 9,
    top_reserved_norm=0.08,
)
STEP_S = 1.0 / 60.0
HAND = frozenset({Effector.HAND})
CLOSE = GraspChanged(0.0, GraspState.CLOSED)
OPEN = GraspChanged(0.0, GraspState.OPEN)


def run(state: GraspLevelState, seconds: float, events: list[InputEvent] | None = None) -> GraspLevelState:
    """Step for ``seconds``, feeding ``events`` on the first step."""
    pending = list(events or [])
    for _ in range(round(seconds / STEP_S)):
        state = rules.step(state, pending, STEP_S)
        pending = []
    return state


def at(point: tuple[float, float]) -> CursorMoved:
    return CursorMoved(0.0, point[0], point[1])


def glide(state: GraspLevelState, goal: tuple[float, float], seconds: float, *, stop_midway_s: float = 0.0) -> (
    GraspLevelState
):
    """Move the cursor from where it is to ``goal`` along a minimum-jerk path, one event a step; with
    ``stop_midway_s``, stand still that long half-way (a hesitation in the carry)."""
    assert state.cursor is not None
    start = state.cursor
    steps = round(seconds / STEP_S)
    for index in range(1, steps + 1):
        u = index / steps
        s = 10 * u**3 - 15 * u**4 + 6 * u**5
        point = (start[0] + s * (goal[0] - start[0]), start[1] + s * (goal[1] - start[1]))
        state = rules.step(state, [at(point)], STEP_S)
        if stop_midway_s and index == steps // 2:
            state = run(state, stop_midway_s)
    return state


def first_ball(params: GraspParams = PARAMS) -> GraspLevelState:
    """The level once the first ball has appeared, the cursor resting on the screen's middle."""
    state = run(rules.initial_state(params, seen=HAND), params.inter_trial_pause_s + STEP_S, [at((0.5, 0.5))])
    assert state.phase is Phase.REACHING and state.ball_home is not None
    return state


def lifted(state: GraspLevelState) -> GraspLevelState:
    """Reach the ball with an open hand, close it and hold for the grip time: the ball lifts."""
    assert state.ball_home is not None
    state = glide(state, state.ball_home, 0.6)
    state = run(state, state.params.grip_hold_time_s + 2 * STEP_S, [CLOSE])
    assert state.phase is Phase.CARRYING
    return state


def test_balls_and_goals_are_seeded_on_screen_and_a_carry_apart() -> None:
    params = replace(PARAMS, trials=60)
    placements = rules.all_placements(params)
    assert placements == rules.all_placements(params)
    assert placements != rules.all_placements(replace(params, seed=6))
    margin = params.goal_radius_norm
    for ball, goal in placements:
        assert rules.screen_distance_norm(ball, goal, params.screen_aspect) == pytest.approx(0.5)
        for x, y in (ball, goal):
            assert margin / params.screen_aspect <= x <= 1 - margin / params.screen_aspect
            assert params.top_reserved_norm + margin <= y <= 1 - margin


def test_a_carry_longer_than_the_screen_allows_is_shortened_to_fit() -> None:
    params = replace(PARAMS, carry_distance_norm=1.2, screen_aspect=1.0)
    for index, (ball, goal) in enumerate(rules.all_placements(replace(params, trials=4))):
        assert ball[1] == goal[1]
        assert rules.screen_distance_norm(ball, goal, 1.0) == pytest.approx(1.0 - 2 * params.goal_radius_norm)
        assert (ball[0] < goal[0]) == (index % 2 == 0)  # the ball on alternate sides


def test_close_on_the_ball_for_the_grip_time_lifts_it_and_opening_in_the_goal_delivers() -> None:
    state = first_ball()
    assert state.ball_home is not None and state.goal is not None
    goal = state.goal
    state = glide(state, state.ball_home, 0.6)
    assert state.on_ball and state.armed and state.phase is Phase.REACHING
    state = run(state, 0.4, [CLOSE])
    assert state.phase is Phase.REACHING and state.grip_fraction == pytest.approx(0.8, abs=0.05)
    state = run(state, 0.15)
    assert state.phase is Phase.CARRYING and state.ball == state.cursor
    state = glide(state, goal, 1.0)
    assert state.phase is Phase.CARRYING and not state.progress.results  # still closed: still carried
    state = run(state, STEP_S, [OPEN])
    (result,) = state.progress.results
    assert result.outcome is Outcome.HIT and result.points == rules.DELIVERY_POINTS
    assert state.progress.hits == 1 and state.phase is Phase.RESTING and state.ball is None
    assert result.measures["transport_drops"] == 0
    assert result.measures["carry_time_s"] == pytest.approx(1.0, abs=0.05)
    assert result.measures["carry_path_length_norm"] == pytest.approx(0.5, abs=0.02)
    assert result.params["carry_distance_norm"] == pytest.approx(0.5)
    assert -3.0 < float(result.measures["carry_sparc"]) < 0.0
    assert float(result.measures["carry_ldlj"]) < 0.0
    assert result.duration_s == pytest.approx(0.6 + 0.55 + 1.0 + STEP_S, abs=0.05)


def test_opening_outside_the_goal_drops_the_ball_back_and_counts_a_drop() -> None:
    state = lifted(first_ball())
    assert state.ball_home is not None and state.goal is not None
    home = state.ball_home
    midway = ((home[0] + state.goal[0]) / 2, (home[1] + state.goal[1]) / 2)
    state = glide(state, midway, 0.5)
    state = run(state, STEP_S, [OPEN])
    assert state.phase is Phase.REACHING and state.drops == 1 and state.ball == home
    assert not state.progress.results and state.progress.score == 0
    state = lifted(state)  # picked up again where it fell back to
    assert state.goal is not None
    state = glide(state, state.goal, 0.8)
    state = run(state, STEP_S, [OPEN])
    (result,) = state.progress.results
    assert result.outcome is Outcome.HIT and result.points == rules.DELIVERY_POINTS  # a drop costs nothing
    assert result.measures["transport_drops"] == 1
    assert result.measures["carry_time_s"] == pytest.approx(0.8, abs=0.05)  # the carry that delivered


def test_a_hand_that_arrives_closed_must_open_over_the_ball_first() -> None:
    state = first_ball()
    assert state.ball_home is not None
    home = state.ball_home
    state = run(state, STEP_S, [CLOSE])
    state = glide(state, home, 0.6)
    state = run(state, 2.0)
    assert state.phase is Phase.REACHING and state.on_ball and not state.armed and state.grip_s == 0.0
    state = run(state, 0.1, [OPEN])
    state = run(state, 0.6, [CLOSE])
    assert state.phase is Phase.CARRYING


def test_a_grip_shorter_than_the_hold_time_does_not_lift() -> None:
    state = first_ball()
    assert state.ball_home is not None
    state = glide(state, state.ball_home, 0.6)
    for _ in range(5):
        state = run(state, 0.4, [CLOSE])
        state = run(state, 0.2, [OPEN])
    assert state.phase is Phase.REACHING and state.grip_s == 0.0


def test_the_hand_is_lost_the_clock_stops_and_the_grip_starts_again() -> None:
    state = first_ball()
    assert state.ball_home is not None
    state = glide(state, state.ball_home, 0.6)
    state = run(state, 0.4, [CLOSE])
    elapsed_s = state.progress.clock.elapsed_s
    state = run(state, 5.0, [TrackingLost(0.0, Effector.HAND)])
    assert state.progress.clock.elapsed_s == elapsed_s and state.grip_s == 0.0
    state = run(state, 0.4, [TrackingFound(0.0, Effector.HAND)])
    assert state.phase is Phase.REACHING  # 0.4 s again, not 0.8 s
    state = run(state, 0.15)
    assert state.phase is Phase.CARRYING


def frame(aperture: float | None, cursor: tuple[float, float] | None = None) -> TrackedFrame:
    return TrackedFrame(0.0, TrackedSample(LandmarkFrame(0.0), Signals(0.0, cursor_norm=cursor, grasp=aperture)))


def test_the_levels_own_aperture_thresholds_decide_and_the_trackers_state_is_then_ignored() -> None:
    """A level asking for a tighter fist (close below 0.2) is not fooled by the tracker's 0.35 threshold."""
    params = replace(PARAMS, close_below_aperture=0.2, open_above_aperture=0.6)
    state = first_ball(params)
    assert state.ball_home is not None
    state = glide(state, state.ball_home, 0.6)
    state = run(state, 0.1, [frame(0.9)])
    assert state.armed and state.hand.uses_aperture and state.hand.aperture == 0.9
    state = run(state, 1.0, [frame(0.3), CLOSE])  # closed for the tracker, not for this level
    assert not state.hand.closed and state.phase is Phase.REACHING
    state = run(state, 0.6, [frame(0.15)])
    assert state.phase is Phase.CARRYING
    state = run(state, 0.5, [frame(0.5), OPEN])  # between the thresholds: still closed (hysteresis)
    assert state.phase is Phase.CARRYING and state.hand.closed
    state = run(state, STEP_S, [frame(0.7)])
    assert state.phase is Phase.REACHING and state.drops == 1
    state = run(state, 0.1, [frame(None)])  # a frame without a hand keeps the last state
    assert not state.hand.closed and state.hand.aperture == 0.7


def test_an_opening_and_closing_within_one_step_still_releases_where_it_opened() -> None:
    state = lifted(first_ball())
    assert state.goal is not None and state.ball_home is not None
    home = state.ball_home
    events: list[InputEvent] = [OPEN, at(state.goal), CLOSE]
    state = rules.step(state, events, STEP_S)
    assert state.phase is Phase.REACHING and state.drops == 1 and state.ball == home  # opened before the goal


def test_a_ball_not_delivered_in_time_is_missed_and_the_level_goes_on() -> None:
    state = first_ball(replace(PARAMS, trial_timeout_s=10.0))
    state = run(state, 10.0 + STEP_S)
    (result,) = state.progress.results
    assert result.outcome is Outcome.MISSED and result.points == 0
    assert result.duration_s == pytest.approx(10.0, abs=0.02)
    assert "carry_sparc" not in result.measures and "reach_and_grip_time_s" not in result.measures
    state = run(state, 1.0 + STEP_S)
    assert state.phase is Phase.REACHING and state.trial_index == 1


def test_every_ball_delivered_finishes_the_level() -> None:
    state = first_ball()
    for _ in range(PARAMS.trials):
        state = lifted(state)
        assert state.goal is not None
        state = glide(state, state.goal, 0.7)
        state = run(state, PARAMS.inter_trial_pause_s + 2 * STEP_S, [OPEN])
    assert state.progress.finished and state.progress.hits == 3 and state.progress.score == 300


def test_the_source_ending_mid_carry_records_an_unfinished_trial() -> None:
    state = lifted(first_ball())
    state = rules.step(state, [SourceEnded(0.0)], STEP_S)
    (result,) = state.progress.results
    assert result.outcome is Outcome.UNFINISHED and state.progress.finished


def test_a_hesitation_in_the_carry_scores_as_less_smooth() -> None:
    """SPARC and LDLJ of the carry: a smooth minimum-jerk carry beats the same carry with a stop half-way."""
    measures = []
    for stop_s in (0.0, 0.4):
        state = lifted(first_ball())
        assert state.goal is not None
        state = glide(state, state.goal, 1.0, stop_midway_s=stop_s)
        state = run(state, STEP_S, [OPEN])
        measures.append(state.progress.results[0].measures)
    smooth, hesitant = measures
    assert float(smooth["carry_sparc"]) > float(hesitant["carry_sparc"]) + 0.3
    assert float(smooth["carry_ldlj"]) > float(hesitant["carry_ldlj"]) + 1.0


def test_a_carry_without_movement_has_no_smoothness_numbers() -> None:
    assert "carry_sparc" not in rules.carry_measures(tuple((t * STEP_S, 0.5, 0.5) for t in range(60)))
    short = rules.carry_measures(((0.0, 0.5, 0.5), (0.1, 0.6, 0.5)))
    assert short["carry_time_s"] == pytest.approx(0.1) and "carry_sparc" not in short


def test_the_catalogue_level_starts_on_the_play_area() -> None:
    level = load_level("grasp")
    state = rules.start(level, ScreenShape(16 / 9, 0.08), HAND)  # type: ignore[arg-type]
    assert state.params.trials == 6 and state.phase is Phase.RESTING
    ball, goal = rules.placement_for_trial(state.params, 0)
    assert rules.screen_distance_norm(ball, goal, 16 / 9) == pytest.approx(level.carry_distance_norm)  # type: ignore[attr-defined]
    assert math.isfinite(ball[0] + goal[1])


GRASP_TOML = """\
schema_version = 1
name = "g"
title = "Grasp"
kind = "grasp"
models = ["hands"]
trials = 3
object_radius_norm = 0.07
carry_distance_norm = 0.5
grip_hold_time_s = 0.5
seed = 1
"""


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("close_below_aperture = 0.5\nopen_above_aperture = 0.55\n", "field 'open_above_aperture': expected at least"),
        ("carry_distance_norm_x = 2\n", "did you mean 'carry_distance_norm'?"),
        ("grip_hold_time = 1.0\n", "did you mean 'grip_hold_time_s'?"),
        ("goal_radius_norm = 0.5\n", "field 'goal_radius_norm': Input should be less than or equal to 0.3"),
    ],
)
def test_bad_grasp_fields_are_named(extra: str, expected: str) -> None:
    with pytest.raises(LevelFileError, match="g.toml") as raised:
        parse_level(GRASP_TOML.replace('seed = 1\n', f"seed = 1\n{extra}"), source="g.toml")
    assert expected in str(raised.value)


def test_the_seconds_of_a_sensory_trick_are_recorded_per_trial() -> None:
    """A hand on the face (signals.hand_on_face) for 2 s of a trial: 2 s in its measures, 0 in the next one's."""
    state = first_ball()

    def face(on: bool) -> TrackedFrame:
        return TrackedFrame(0.0, TrackedSample(LandmarkFrame(0.0), Signals(0.0, hand_on_face=on)))

    state = run(state, 2.0, [face(True)])
    state = run(state, 1.0, [face(False)])
    state = lifted(state)
    assert state.goal is not None
    state = glide(state, state.goal, 0.5)
    state = run(state, STEP_S, [OPEN])
    assert state.progress.results[0].measures["sensory_trick_s"] == pytest.approx(2.0, abs=STEP_S)
    state = run(state, PARAMS.inter_trial_pause_s + 2.0)
    state = run(state, PARAMS.trial_timeout_s)
    assert state.progress.results[1].measures["sensory_trick_s"] == 0.0

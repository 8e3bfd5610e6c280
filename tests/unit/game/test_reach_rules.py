"""The reach level's pure rules: seeded targets, dwell to hit, timeout, frozen clock while the hand is lost."""

from __future__ import annotations

from dataclasses import replace

import pytest

from game import reach_rules
from game.input_events import Command, CommandIssued, CursorMoved, InputEvent, SourceEnded, TrackingFound, TrackingLost
from game.reach_rules import Outcome, Phase, ReachParams, ReachState
from tracking.types import Effector

PARAMS = ReachParams(
    trials=4,
    target_radius_norm=0.1,
    dwell_time_s=0.5,
    trial_timeout_s=5.0,
    inter_trial_pause_s=1.0,
    min_target_distance_norm=0.3,
    seed=11,
    screen_aspect=16 / 9,
    top_reserved_norm=0.08,
)
STEP_S = 1.0 / 120.0


def run(state: ReachState, seconds: float, events: list[InputEvent] | None = None) -> ReachState:
    """Step for ``seconds``, feeding ``events`` on the first step."""
    pending = list(events or [])
    for _ in range(round(seconds / STEP_S)):
        state = reach_rules.step(state, pending, STEP_S)
        pending = []
    return state


def to_target(state: ReachState) -> CursorMoved:
    assert state.target is not None
    return CursorMoved(0.0, *state.target)


def test_targets_are_seeded_on_screen_below_status_bar_and_apart() -> None:
    params = replace(PARAMS, trials=60)
    targets = reach_rules.all_targets(params)
    assert targets == reach_rules.all_targets(params)
    assert targets != reach_rules.all_targets(replace(params, seed=12))
    radius_x = params.target_radius_norm / params.screen_aspect
    for x, y in targets:
        assert radius_x <= x <= 1 - radius_x
        assert params.top_reserved_norm + params.target_radius_norm <= y <= 1 - params.target_radius_norm
    for previous, current in zip(targets, targets[1:], strict=False):
        assert reach_rules.screen_distance_norm(previous, current, params.screen_aspect) >= 0.3


def test_first_target_is_a_reach_away_from_the_resting_hand() -> None:
    """The hand rests at the screen centre (the middle of the calibrated range) before the first target."""
    for seed in range(40):
        params = replace(PARAMS, seed=seed, trials=1)
        first = reach_rules.all_targets(params)[0]
        assert reach_rules.screen_distance_norm(first, (0.5, 0.5), params.screen_aspect) >= 0.3, seed


def test_first_target_appears_after_the_rest() -> None:
    state = run(reach_rules.initial_state(PARAMS, hand_seen=True), 0.99)
    assert state.phase is Phase.RESTING and state.target is None
    state = run(state, 0.02)
    assert state.phase is Phase.REACHING
    assert state.target == reach_rules.all_targets(PARAMS)[0]


def test_dwell_on_target_hits_and_scores() -> None:
    state = run(reach_rules.initial_state(PARAMS, hand_seen=True), 1.01)
    state = run(state, 0.3, [CursorMoved(0.0, 0.0, 1.0)])  # away from every target: nothing happens
    assert state.dwell_s == 0.0 and not state.results
    state = run(state, 0.45, [to_target(state)])
    assert state.phase is Phase.REACHING and state.dwell_fraction == pytest.approx(0.9, abs=0.02)
    state = run(state, 0.06)
    assert [r.outcome for r in state.results] == [Outcome.HIT]
    assert state.score == reach_rules.HIT_POINTS and state.hits == 1
    assert state.results[0].duration_s == pytest.approx(0.3 + 0.5, abs=0.02)


def test_leaving_the_target_resets_the_dwell() -> None:
    state = run(reach_rules.initial_state(PARAMS, hand_seen=True), 1.01)
    on = to_target(state)
    state = run(state, 0.4, [on])
    state = run(state, 0.1, [CursorMoved(0.0, 0.0, 1.0)])
    assert state.dwell_s == 0.0
    state = run(state, 0.4, [on])
    assert not state.results  # 0.4 s is short of the 0.5 s dwell: the earlier 0.4 s did not count


def test_timeout_misses_and_level_finishes_after_all_trials() -> None:
    state = run(reach_rules.initial_state(PARAMS, hand_seen=True), 4 * (1.0 + 5.0) + 0.1)
    assert state.phase is Phase.FINISHED
    assert [r.outcome for r in state.results] == [Outcome.MISSED] * 4
    assert state.misses == 4 and state.score == 0
    assert all(r.duration_s == pytest.approx(5.0, abs=0.02) for r in state.results)
    assert reach_rules.step(state, [], STEP_S) is state


def test_lost_hand_freezes_the_clock_and_resumes() -> None:
    state = run(reach_rules.initial_state(PARAMS, hand_seen=True), 1.01)
    state = run(state, 0.2, [to_target(state)])
    frozen_at = state.clock_s
    state = run(state, 3.0, [TrackingLost(0.0, Effector.HAND)])
    assert state.frozen and state.clock_s == frozen_at and state.dwell_s == 0.0
    assert not state.results  # 3 s lost would have completed the dwell, and nearly the timeout
    state = run(state, 0.55, [TrackingFound(0.0, Effector.HAND)])
    assert [r.outcome for r in state.results] == [Outcome.HIT]
    assert state.results[0].duration_s == pytest.approx(0.2 + 0.5, abs=0.02)  # the lost time is excluded


def test_head_lost_does_not_pause_the_reach_level() -> None:
    state = run(reach_rules.initial_state(PARAMS, hand_seen=True), 0.5, [TrackingLost(0.0, Effector.HEAD)])
    assert not state.frozen and state.clock_s == pytest.approx(0.5)


def test_camera_level_waits_for_the_hand() -> None:
    state = run(reach_rules.initial_state(PARAMS, hand_seen=False), 2.0)
    assert state.clock_s == 0.0 and state.phase is Phase.RESTING
    state = run(state, 1.01, [TrackingFound(0.0, Effector.HAND)])
    assert state.phase is Phase.REACHING


def test_manual_pause_toggles() -> None:
    state = run(reach_rules.initial_state(PARAMS, hand_seen=True), 0.5, [CommandIssued(0.0, Command.PAUSE)])
    assert state.paused and state.clock_s == 0.0
    state = run(state, 0.5, [CommandIssued(0.0, Command.PAUSE)])
    assert not state.paused and state.clock_s == pytest.approx(0.5)


def test_source_end_finishes_with_the_trial_unfinished() -> None:
    state = run(reach_rules.initial_state(PARAMS, hand_seen=True), 1.5)
    state = run(state, 0.1, [SourceEnded(0.0)])
    assert state.phase is Phase.FINISHED
    assert [r.outcome for r in state.results] == [Outcome.UNFINISHED]
    resting = run(reach_rules.initial_state(PARAMS, hand_seen=True), 0.1, [SourceEnded(0.0)])
    assert resting.phase is Phase.FINISHED and not resting.results

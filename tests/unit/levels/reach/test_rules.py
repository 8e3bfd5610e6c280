"""The reach level's pure rules: seeded targets, dwell to hit, timeout, frozen clock while the hand is lost."""

from __future__ import annotations

from dataclasses import replace
from typing import cast

import numpy as np
import pytest

from levels.errors import LevelFileError
from levels.events import Command, CommandIssued, CursorMoved, InputEvent, SourceEnded, TrackingFound, TrackingLost
from levels.loader import parse_level
from levels.reach import rules as reach_rules
from levels.reach.rules import Phase, ReachParams, ReachState
from levels.reach.schema import ReachLevel, ReachRegion
from levels.screen import ScreenShape
from levels.trial import Outcome
from tracking.calibration import ReachRange
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
HAND = frozenset({Effector.HAND})


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
    state = run(reach_rules.initial_state(PARAMS, seen=HAND), 0.99)
    assert state.phase is Phase.RESTING and state.target is None
    state = run(state, 0.02)
    assert state.phase is Phase.REACHING
    assert state.target == reach_rules.all_targets(PARAMS)[0]


def test_dwell_on_target_hits_and_scores() -> None:
    state = run(reach_rules.initial_state(PARAMS, seen=HAND), 1.01)
    state = run(state, 0.3, [CursorMoved(0.0, 0.0, 1.0)])  # away from every target: nothing happens
    assert state.dwell_s == 0.0 and not state.progress.results
    state = run(state, 0.45, [to_target(state)])
    assert state.phase is Phase.REACHING and state.dwell_fraction == pytest.approx(0.9, abs=0.02)
    state = run(state, 0.06)
    assert [r.outcome for r in state.progress.results] == [Outcome.HIT]
    assert state.progress.score == reach_rules.HIT_POINTS and state.progress.hits == 1
    assert state.progress.results[0].duration_s == pytest.approx(0.3 + 0.5, abs=0.02)


def test_leaving_the_target_resets_the_dwell() -> None:
    state = run(reach_rules.initial_state(PARAMS, seen=HAND), 1.01)
    on = to_target(state)
    state = run(state, 0.4, [on])
    state = run(state, 0.1, [CursorMoved(0.0, 0.0, 1.0)])
    assert state.dwell_s == 0.0
    state = run(state, 0.4, [on])
    assert not state.progress.results  # 0.4 s is short of the 0.5 s dwell: the earlier 0.4 s did not count


def test_timeout_misses_and_level_finishes_after_all_trials() -> None:
    state = run(reach_rules.initial_state(PARAMS, seen=HAND), 4 * (1.0 + 5.0) + 0.1)
    assert state.progress.finished
    assert [r.outcome for r in state.progress.results] == [Outcome.MISSED] * 4
    assert state.progress.misses == 4 and state.progress.score == 0
    assert all(r.duration_s == pytest.approx(5.0, abs=0.02) for r in state.progress.results)
    assert reach_rules.step(state, [], STEP_S) is state


def test_lost_hand_freezes_the_clock_and_resumes() -> None:
    state = run(reach_rules.initial_state(PARAMS, seen=HAND), 1.01)
    state = run(state, 0.2, [to_target(state)])
    frozen_at = state.progress.clock.elapsed_s
    state = run(state, 3.0, [TrackingLost(0.0, Effector.HAND)])
    assert state.progress.frozen and state.progress.clock.elapsed_s == frozen_at and state.dwell_s == 0.0
    assert not state.progress.results  # 3 s lost would have completed the dwell, and nearly the timeout
    state = run(state, 0.55, [TrackingFound(0.0, Effector.HAND)])
    assert [r.outcome for r in state.progress.results] == [Outcome.HIT]
    assert state.progress.results[0].duration_s == pytest.approx(0.2 + 0.5, abs=0.02)  # the lost time is excluded


def test_head_lost_does_not_pause_the_reach_level() -> None:
    state = run(reach_rules.initial_state(PARAMS, seen=HAND), 0.5, [TrackingLost(0.0, Effector.HEAD)])
    assert not state.progress.frozen and state.progress.clock.elapsed_s == pytest.approx(0.5)


def test_camera_level_waits_for_the_hand() -> None:
    state = run(reach_rules.initial_state(PARAMS, seen=frozenset()), 2.0)
    assert state.progress.clock.elapsed_s == 0.0 and state.phase is Phase.RESTING
    state = run(state, 1.01, [TrackingFound(0.0, Effector.HAND)])
    assert state.phase is Phase.REACHING


def test_manual_pause_toggles() -> None:
    state = run(reach_rules.initial_state(PARAMS, seen=HAND), 0.5, [CommandIssued(0.0, Command.PAUSE)])
    assert state.progress.clock.paused and state.progress.clock.elapsed_s == 0.0
    state = run(state, 0.5, [CommandIssued(0.0, Command.PAUSE)])
    assert not state.progress.clock.paused and state.progress.clock.elapsed_s == pytest.approx(0.5)


def test_source_end_finishes_with_the_trial_unfinished() -> None:
    state = run(reach_rules.initial_state(PARAMS, seen=HAND), 1.5)
    state = run(state, 0.1, [SourceEnded(0.0)])
    assert state.progress.finished
    assert [r.outcome for r in state.progress.results] == [Outcome.UNFINISHED]
    resting = run(reach_rules.initial_state(PARAMS, seen=HAND), 0.1, [SourceEnded(0.0)])
    assert resting.progress.finished and not resting.progress.results


LEVEL_TOML = """\
schema_version = 1
name = "custom"
title = "Custom reach"
kind = "reach"
trials = 5
target_radius_norm = 0.12
dwell_time_s = 0.7
trial_timeout_s = 9.0
inter_trial_pause_s = 0.5
min_target_distance_norm = 0.25
models = ["hands"]
seed = 3
"""


def test_params_come_from_the_level_file_and_plain_screen_numbers() -> None:
    """No pygame and no theme: the renderer gives the screen's aspect and the reserved top fraction."""
    level = parse_level(LEVEL_TOML, source="custom.toml")
    assert isinstance(level, ReachLevel)
    params = reach_rules.reach_params(level, ScreenShape(aspect=4 / 3, top_reserved_norm=0.1))
    assert params == ReachParams(
        trials=5,
        target_radius_norm=0.12,
        dwell_time_s=0.7,
        trial_timeout_s=9.0,
        inter_trial_pause_s=0.5,
        min_target_distance_norm=0.25,
        seed=3,
        screen_aspect=4 / 3,
        top_reserved_norm=0.1,
    )
    state = reach_rules.start(level, ScreenShape(aspect=4 / 3, top_reserved_norm=0.1), HAND)
    assert state.params == params and state.progress.trials == 5 and state.progress.clock.effector is Effector.HAND
    assert all(y >= 0.1 + 0.12 for _, y in reach_rules.all_targets(params))  # nothing under the reserved top


def test_each_result_is_plain_data_with_its_target_and_points() -> None:
    state = run(reach_rules.initial_state(PARAMS, seen=HAND), 1.01)
    target = state.target
    assert target is not None
    state = run(state, 0.55, [to_target(state)])
    hit = state.progress.results[0]
    assert reach_rules.trial_target(hit) == target and hit.points == reach_rules.HIT_POINTS
    record = hit.as_dict()
    assert record["outcome"] == "hit" and record["points"] == 100 and record["index"] == 0
    assert record["params"] == {"target_x_norm": target[0], "target_y_norm": target[1], "target_radius_norm": 0.1}
    assert record["duration_s"] == pytest.approx(0.5, abs=0.02) and record["measures"] == {}
    state = run(state, 1.0 + 5.0 + 0.1)
    missed = state.progress.results[1]
    assert missed.outcome is Outcome.MISSED and missed.points == 0 and state.progress.score == 100


def test_a_pause_and_resume_in_one_step_still_restarts_the_dwell() -> None:
    """The clock stopped (even for no time at all): the hold on the target starts again, as for a lost hand."""
    state = run(reach_rules.initial_state(PARAMS, seen=HAND), 1.01)
    state = run(state, 0.4, [to_target(state)])
    assert state.dwell_s > 0.3
    toggle = CommandIssued(0.0, Command.PAUSE)
    state = reach_rules.step(state, [toggle, toggle], STEP_S)
    assert not state.progress.clock.paused and state.dwell_s == pytest.approx(STEP_S)
    lost_and_found: list[InputEvent] = [TrackingLost(0.0, Effector.HAND), TrackingFound(0.0, Effector.HAND)]
    state = run(state, 0.2, lost_and_found)
    assert state.dwell_s == pytest.approx(0.2, abs=0.01) and not state.progress.results


def test_the_state_keeps_each_effector_seen_and_only_the_hand_stops_the_reach_clock() -> None:
    both = frozenset({Effector.HAND, Effector.HEAD})
    state = run(reach_rules.initial_state(PARAMS, seen=both), 0.5, [TrackingLost(0.0, Effector.HEAD)])
    assert state.progress.clock.seen == HAND and state.progress.clock.elapsed_s == pytest.approx(0.5)
    state = run(state, 0.5, [TrackingFound(0.0, Effector.HEAD), TrackingLost(0.0, Effector.HAND)])
    assert state.progress.clock.seen == frozenset({Effector.HEAD}) and state.progress.frozen
    assert state.progress.clock.elapsed_s == pytest.approx(0.5)


# --- the region of the workspace and the distance between targets ------------------------------------------------


def targets_as_before(params: ReachParams) -> list[tuple[float, float]]:
    """The targets as the rules drew them before regions and a maximum distance existed (whole screen, a minimum
    distance only): a level file that sets neither must keep exactly these."""
    targets: list[tuple[float, float]] = []
    for index in range(params.trials):
        rng = np.random.default_rng([params.seed, index])
        margin_x = params.target_radius_norm / params.screen_aspect
        top_y = params.top_reserved_norm + params.target_radius_norm
        previous = targets[-1] if targets else reach_rules.START_POSITION
        best: tuple[float, float] | None = None
        best_distance = -1.0
        for _ in range(reach_rules.TARGET_DRAW_ATTEMPTS):
            candidate = (
                float(rng.uniform(margin_x, 1.0 - margin_x)),
                float(rng.uniform(top_y, 1.0 - params.target_radius_norm)),
            )
            distance = reach_rules.screen_distance_norm(candidate, previous, params.screen_aspect)
            if distance >= params.min_target_distance_norm:
                best = candidate
                break
            if distance > best_distance:
                best, best_distance = candidate, distance
        assert best is not None
        targets.append(best)
    return targets


@pytest.mark.parametrize("minimum", [0.3, 0.8])  # 0.8: often unreachable, so the farthest-draw fallback is used too
def test_a_level_without_region_or_maximum_keeps_its_targets(minimum: float) -> None:
    params = replace(PARAMS, trials=40, min_target_distance_norm=minimum)
    assert params.region == "whole" and params.max_target_distance_norm is None
    assert reach_rules.all_targets(params) == targets_as_before(params)


REGIONS = {
    "left": lambda x, y, rx, r, top: x + rx <= 0.5,
    "right": lambda x, y, rx, r, top: x - rx >= 0.5,
    "upper": lambda x, y, rx, r, top: y + r <= (top + 1) / 2,
    "lower": lambda x, y, rx, r, top: y - r >= (top + 1) / 2,
}


@pytest.mark.parametrize("region", sorted(REGIONS))
def test_targets_lie_wholly_in_the_levels_region(region: str) -> None:
    params = replace(PARAMS, trials=60, region=cast(ReachRegion, region), min_target_distance_norm=0.15)
    radius_x = params.target_radius_norm / params.screen_aspect
    targets = reach_rules.all_targets(params)
    for x, y in targets:
        assert REGIONS[region](x, y, radius_x, params.target_radius_norm, params.top_reserved_norm), (x, y)
        assert radius_x <= x <= 1 - radius_x
        assert params.top_reserved_norm + params.target_radius_norm <= y <= 1 - params.target_radius_norm
    assert len(set(targets)) == len(targets)


def test_left_is_the_patients_left_on_the_mirrored_screen() -> None:
    """A palm on the patient's left (the camera image's right) maps into the left region's half of the screen."""
    x, _ = ReachRange(0.2, 0.8, 0.2, 0.8).to_screen_norm((0.7, 0.5), mirror=True)
    params = replace(PARAMS, region="left")
    (x_low, x_high), _ = reach_rules.region_spans(params)
    assert x_low <= x <= x_high


def test_a_target_too_big_for_its_half_is_centred_in_it() -> None:
    params = replace(PARAMS, target_radius_norm=0.3, screen_aspect=1.0, top_reserved_norm=0.2, region="upper")
    (_, _), (y_low, y_high) = reach_rules.region_spans(params)
    assert y_low == y_high == pytest.approx((0.2 + 0.6) / 2)  # the middle of the upper half
    assert all(y == pytest.approx(0.4) for _, y in reach_rules.all_targets(params))


def test_targets_keep_between_the_minimum_and_maximum_distance() -> None:
    params = replace(PARAMS, trials=60, min_target_distance_norm=0.2, max_target_distance_norm=0.35)
    targets = reach_rules.all_targets(params)
    distances = [
        reach_rules.screen_distance_norm(a, b, params.screen_aspect)
        for a, b in zip([reach_rules.START_POSITION, *targets], targets, strict=False)
    ]
    assert all(0.2 <= d <= 0.35 for d in distances), distances
    unlimited = reach_rules.all_targets(replace(params, max_target_distance_norm=None))
    far = [
        reach_rules.screen_distance_norm(a, b, params.screen_aspect)
        for a, b in zip([reach_rules.START_POSITION, *unlimited], unlimited, strict=False)
    ]
    assert max(far) > 0.35  # without the maximum, the same seed reaches farther


def test_region_and_distance_come_from_the_level_file_and_are_checked() -> None:
    text = LEVEL_TOML + 'region = "right"\nmax_target_distance_norm = 0.5\n'
    level = parse_level(text, source="custom.toml")
    assert isinstance(level, ReachLevel)
    params = reach_rules.reach_params(level, ScreenShape(aspect=4 / 3, top_reserved_norm=0.1))
    assert params.region == "right" and params.max_target_distance_norm == 0.5
    assert all(x >= 0.5 for x, _ in reach_rules.all_targets(params))
    with pytest.raises(LevelFileError, match="custom.toml: field 'max_target_distance_norm': expected at least"):
        parse_level(LEVEL_TOML + "max_target_distance_norm = 0.2\n", source="custom.toml")
    with pytest.raises(LevelFileError, match="custom.toml: field 'region'.*'whole', 'left', 'right', 'upper'"):
        parse_level(LEVEL_TOML + 'region = "middle"\n', source="custom.toml")
    default = parse_level(LEVEL_TOML, source="custom.toml")
    assert isinstance(default, ReachLevel) and default.region == "whole" and default.max_target_distance_norm is None

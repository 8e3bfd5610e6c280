"""Head control through gates: the gates' geometry, and the rules with scripted head poses (through a gate, round
it, its time running out, the clock stopped while the face is lost, the trick blocked), and the level file's goal
fields."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from levels.errors import LevelFileError
from levels.events import (
    Command,
    CommandIssued,
    HeadPose,
    SourceEnded,
    TrackedFrame,
    TrackingFound,
    TrackingLost,
)
from levels.head import rules as head_rules
from levels.head.gates import Crossing, Gate, gate_path
from levels.head.rules import GATE_POINTS, HeadParams, HeadState, Phase, head_to_screen, screen_to_head
from levels.head.schema import HeadLevel
from levels.loader import load_level, load_level_spec, parse_level
from levels.screen import ScreenShape
from levels.trial import Outcome
from tests.support.head_steps import FACE, STEP_S, new_state, run
from tracking.types import Effector, HeadAngles, LandmarkFrame, Signals, TrackedSample

ASPECT = 16 / 9
PARAMS = HeadParams(
    trials=3,
    range_fraction=0.7,
    bias_yaw=0.0,
    bias_pitch=0.0,
    target_radius_norm=0.0,
    dwell_time_s=0.0,
    trial_timeout_s=0.0,
    inter_trial_pause_s=1.0,
    seed=11,
    screen_aspect=ASPECT,
    top_reserved_norm=0.08,
    goal="gates",
    gates_per_trial=3,
    gate_width_norm=0.12,
    gate_time_s=4.0,
)
# How far before and beyond a gate's line the scripted head goes, screen heights: well within the gates' spacing.
STRIDE_NORM = 0.02


def fresh(params: HeadParams = PARAMS) -> HeadState:
    state = run(new_state(params), 0.5, [HeadPose(0.0, HeadAngles(0.0, 0.0, 0.0))])  # resting at neutral
    return run(state, params.inter_trial_pause_s)  # the first path is shown


def pose_at(gate: Gate, ahead_norm: float, aside_norm: float = 0.0) -> HeadPose:
    """The head pose whose cursor is ``ahead_norm`` beyond the gate's line (< 0: before) and ``aside_norm`` across."""
    across = (-gate.direction[1], gate.direction[0])
    x = gate.centre[0] + (ahead_norm * gate.direction[0] + aside_norm * across[0]) / ASPECT
    y = gate.centre[1] + ahead_norm * gate.direction[1] + aside_norm * across[1]
    return HeadPose(0.0, screen_to_head((x, y)))


def through(state: HeadState, aside_norm: float = 0.0) -> HeadState:
    """Steer the head from just before the current gate to just beyond it, ``aside_norm`` from its centre."""
    gate = state.current_gate
    assert gate is not None
    state = run(state, 0.1, [pose_at(gate, -STRIDE_NORM, aside_norm)])
    return run(state, 0.1, [pose_at(gate, STRIDE_NORM, aside_norm)])


def tracked(on_face: bool) -> TrackedFrame:
    return TrackedFrame(0.0, TrackedSample(LandmarkFrame(0.0), Signals(0.0, hand_on_face=on_face)))


def test_a_gate_is_passed_between_its_posts_its_way_only() -> None:
    gate = Gate(centre=(0.5, 0.5), direction=(1.0, 0.0), width_norm=0.2)  # pass it left to right
    left, right = (0.45, 0.5), (0.55, 0.5)
    assert gate.crossing(left, right, ASPECT) is Crossing.PASSED
    assert gate.crossing(right, left, ASPECT) is Crossing.NONE  # the wrong way changes nothing
    assert gate.crossing(left, (0.48, 0.55), ASPECT) is Crossing.NONE  # not yet at the line
    assert gate.crossing((0.45, 0.59), (0.55, 0.59), ASPECT) is Crossing.PASSED  # 0.09 aside: within 0.1
    assert gate.crossing((0.45, 0.62), (0.55, 0.62), ASPECT) is Crossing.WENT_ROUND  # 0.12 aside: round a post
    posts = gate.posts(ASPECT)
    assert posts == (pytest.approx((0.5, 0.4)), pytest.approx((0.5, 0.6)))
    slanted = Gate(centre=(0.5, 0.5), direction=(0.6, 0.8), width_norm=0.2)
    for post in slanted.posts(ASPECT):  # each post 0.1 screen heights from the centre, across the direction
        dx, dy = (post[0] - 0.5) * ASPECT, post[1] - 0.5
        assert np.hypot(dx, dy) == pytest.approx(0.1) and dx * 0.6 + dy * 0.8 == pytest.approx(0.0)


def test_a_path_runs_from_neutral_to_its_target_evenly_and_stays_on_screen() -> None:
    rng = np.random.default_rng(3)
    gates = gate_path(
        (0.5, 0.5), (0.8, 0.3), gates=4, width_norm=0.1, aspect=ASPECT, rng=rng, bounds=((0.05, 0.1), (0.95, 0.95))
    )
    assert len(gates) == 4 and gates[-1].centre == (0.8, 0.3)
    for number, gate in enumerate(gates, start=1):  # each a quarter further along, facing on from the one before
        along = (gate.centre[0] - 0.5) * ASPECT * 0.3 * ASPECT - (gate.centre[1] - 0.5) * 0.2
        along /= (0.3 * ASPECT) ** 2 + 0.2**2
        assert along == pytest.approx(number / 4, abs=0.02)
    for params in (PARAMS, replace(PARAMS, range_fraction=1.0, gate_width_norm=0.4, gates_per_trial=6)):
        for index in range(40):
            path = head_rules.gates_for_trial(params, index)
            assert path == head_rules.gates_for_trial(params, index)  # seeded
            assert path[-1].centre == pytest.approx(head_to_screen(head_rules.target_for_trial(params, index)))
            for gate in path:
                for x, y in (gate.centre, *gate.posts(ASPECT)):
                    assert -1e-9 <= x <= 1 + 1e-9 and params.top_reserved_norm - 1e-9 <= y <= 1 + 1e-9


def test_steering_through_every_gate_is_a_hit_with_points_for_each_gate() -> None:
    state = fresh()
    assert state.phase is Phase.STEERING and len(state.gates) == 3
    target = state.target
    for number in range(3):
        assert state.gate_index == number
        state = through(state)
    result = state.progress.results[0]
    assert result.outcome is Outcome.HIT and result.points == 3 * GATE_POINTS
    assert result.measures["gates_passed"] == 3 and result.measures["gates_slipped"] == 0
    assert result.params["goal"] == "gates" and result.params["gates_per_trial"] == 3
    assert target is not None and result.params["target_yaw_deg"] == target.yaw_deg
    assert state.phase is Phase.RESTING and state.current_gate is None


def test_going_round_a_gate_lets_it_slip_by_and_the_next_one_comes() -> None:
    state = fresh()
    state = through(state, aside_norm=PARAMS.gate_width_norm)  # a whole width aside: round the post
    assert state.gate_index == 1 and state.gates_passed == (False,)
    state = through(through(state))
    result = state.progress.results[0]
    assert result.outcome is Outcome.MISSED and result.points == 2 * GATE_POINTS
    assert result.measures["gates_passed"] == 2 and result.measures["gates_slipped"] == 1


def test_coming_back_the_wrong_way_passes_nothing_and_a_gate_times_out() -> None:
    state = fresh()
    gate = state.current_gate
    assert gate is not None
    state = run(state, 0.1, [pose_at(gate, -STRIDE_NORM)])
    state = run(state, 0.1, [pose_at(gate, -3 * STRIDE_NORM)])  # backwards: nothing
    assert state.gate_index == 0 and state.gates_passed == ()
    state = run(state, PARAMS.gate_time_s)  # the first gate's time runs out
    assert state.gates_passed == (False,) and state.gate_index == 1
    state = run(state, 2 * PARAMS.gate_time_s + 2 * STEP_S)
    assert state.progress.results[0].outcome is Outcome.MISSED
    assert state.progress.results[0].measures["gates_passed"] == 0
    assert state.progress.results[0].duration_s == pytest.approx(3 * PARAMS.gate_time_s, abs=4 * STEP_S)


def test_the_clock_stops_while_the_face_is_lost_and_a_move_across_the_gap_passes_nothing() -> None:
    state = fresh()
    gate = state.current_gate
    assert gate is not None
    state = run(state, 0.1, [pose_at(gate, -STRIDE_NORM)])
    elapsed, gate_s = state.progress.clock.elapsed_s, state.gate_elapsed_s
    lost = run(state, 2 * PARAMS.gate_time_s, [TrackingLost(0.0, Effector.HEAD), pose_at(gate, STRIDE_NORM)])
    assert lost.progress.clock.elapsed_s == elapsed and lost.gate_elapsed_s == gate_s  # no gate time lost
    assert lost.gate_index == 0 and lost.last_cursor is None
    found = run(lost, 0.1, [TrackingFound(0.0, Effector.HEAD)])
    assert found.gate_index == 0 and found.gates_passed == ()  # the jump across the line while lost passed nothing
    paused = run(found, 2 * PARAMS.gate_time_s, [CommandIssued(0.0, Command.PAUSE)])
    assert paused.gate_elapsed_s == found.gate_elapsed_s and paused.gate_index == 0
    resumed = through(run(paused, STEP_S, [CommandIssued(0.0, Command.PAUSE)]))
    assert resumed.gates_passed == (True,)


def test_a_level_without_the_trick_passes_no_gate_while_the_hand_is_on_the_face() -> None:
    blocked = through(run(fresh(replace(PARAMS, sensory_trick="not_allowed")), STEP_S, [tracked(True)]))
    assert blocked.gate_index == 0 and blocked.trick_blocks_dwell
    freed = through(run(blocked, STEP_S, [tracked(False)]))
    assert freed.gates_passed == (True,)


def test_the_source_ending_mid_path_records_it_unfinished() -> None:
    state = through(fresh())
    ended = run(state, STEP_S, [SourceEnded(0.0)])
    assert ended.progress.finished and ended.progress.results[0].outcome is Outcome.UNFINISHED
    assert ended.progress.results[0].measures["gates_passed"] == 1


def test_bias_and_the_patients_range_shape_where_the_paths_end() -> None:
    left = [head_rules.target_for_trial(replace(PARAMS, bias_yaw=0.5), index) for index in range(40)]
    assert all(target.yaw_deg >= 0 for target in left)  # against a pull to the right: every path ends to the left
    level = load_level("head-gates")
    assert isinstance(level, HeadLevel)
    stiff = level.model_copy(update={"range_left_deg": 10.0, "range_right_deg": 30.0})
    params = head_rules.head_params(stiff, ScreenShape(ASPECT, 0.08))
    for index in range(40):
        target = head_rules.target_for_trial(params, index)
        assert -level.range_fraction * 30.0 - 1e-9 <= target.yaw_deg <= level.range_fraction * 10.0 + 1e-9


def test_the_catalogue_level_plays_gates_and_its_pairs_ramp_the_gates() -> None:
    level = load_level("head-gates")
    assert isinstance(level, HeadLevel) and level.goal == "gates" and level.target_radius_norm is None
    state = head_rules.start(level, ScreenShape(ASPECT, 0.08), FACE)
    assert state.params.gates and state.params.gates_per_trial == level.gates_per_trial
    spec = load_level_spec("head-gates")
    assert {ramp.field for ramp in spec.ramps} >= {"gates_per_trial", "gate_width_norm", "gate_time_s"}
    easy, hard = spec.data_at(0.0), spec.data_at(1.0)
    assert easy["gate_width_norm"] > hard["gate_width_norm"] and easy["gates_per_trial"] < hard["gates_per_trial"]
    assert easy["gate_time_s"] > hard["gate_time_s"]


BASE = (
    'schema_version = 1\nname = "x"\ntitle = "X"\nkind = "head"\nmodels = ["face"]\ntrials = 3\n'
    "range_fraction = 0.5\nseed = 1\n"
)
GATES = 'goal = "gates"\ngates_per_trial = 3\ngate_width_norm = 0.2\ngate_time_s = 5.0\n'


@pytest.mark.parametrize(
    ("text", "field", "words"),
    [
        (BASE + 'goal = "gates"\ngates_per_trial = 3\ngate_time_s = 5.0\n', "gate_width_norm", "needed"),
        (BASE + GATES + "dwell_time_s = 0.5\n", "dwell_time_s", "only for goal"),
        (BASE + GATES.replace("0.2", "0.9"), "gate_width_norm", "less than or equal to 0.5"),
        (BASE + GATES.replace("= 3", "= 9"), "gates_per_trial", "less than or equal to 6"),
        (BASE + GATES.replace("= 3", "= [2, 8]"), "gates_per_trial", "less than or equal to 6"),
        (BASE + GATES + "range_left_deg = 2.0\n", "range_left_deg", "greater than or equal to 5"),
        (BASE + "target_radius_norm = 0.1\ndwell_time_s = 0.5\n", "trial_timeout_s", "needed"),
        (BASE + GATES.replace('"gates"', '"doors"'), "goal", "'targets' or 'gates'"),
    ],
)
def test_the_goal_fields_are_checked_and_named(text: str, field: str, words: str) -> None:
    with pytest.raises(LevelFileError, match=f"custom.toml.*field '{field}'") as error:
        parse_level(text, source="custom.toml")
    assert words in str(error.value)


def test_a_gates_file_without_target_fields_is_valid() -> None:
    level = parse_level(BASE + GATES, source="custom.toml")
    assert isinstance(level, HeadLevel) and level.gate_width_norm == 0.2 and level.dwell_time_s is None

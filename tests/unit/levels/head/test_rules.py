"""The head control level's pure rules: targets within the range and bias, dwell to hit, timeout, the clock frozen
while the face is lost, and the seconds of sensory trick per trial."""

from __future__ import annotations

from dataclasses import replace

import pytest

from levels.errors import LevelFileError
from levels.events import (
    Command,
    CommandIssued,
    HeadPose,
    InputEvent,
    SourceEnded,
    TrackedFrame,
    TrackingFound,
    TrackingLost,
)
from levels.head import rules as head_rules
from levels.head.rules import DEFAULT_ROM, HeadParams, HeadState, Phase, head_to_screen, screen_to_head
from levels.head.schema import HeadLevel
from levels.loader import load_level, parse_level
from levels.screen import ScreenShape
from levels.trial import Outcome
from tests.support.head_steps import FACE, STEP_S, new_state, run
from tracking.types import Effector, HeadAngles, LandmarkFrame, Signals, TrackedSample

PARAMS = HeadParams(
    trials=4,
    range_fraction=0.6,
    bias_yaw=0.0,
    bias_pitch=0.0,
    target_radius_norm=0.1,
    dwell_time_s=0.5,
    trial_timeout_s=5.0,
    inter_trial_pause_s=1.0,
    seed=7,
    screen_aspect=16 / 9,
    top_reserved_norm=0.08,
)
NEUTRAL = HeadAngles(0.0, 0.0, 0.0)


def fresh(params: HeadParams = PARAMS) -> HeadState:
    return run(new_state(params), params.inter_trial_pause_s + STEP_S)  # the first target is shown


def look_at_target(state: HeadState) -> HeadPose:
    assert state.target is not None
    return HeadPose(0.0, state.target)


def frame(on_face: bool | None) -> TrackedFrame:
    return TrackedFrame(0.0, TrackedSample(LandmarkFrame(0.0), Signals(0.0, head=NEUTRAL, hand_on_face=on_face)))


def test_head_and_screen_map_as_a_mirror_and_invert_each_other() -> None:
    assert head_to_screen(NEUTRAL) == (0.5, 0.5)
    left_up = head_to_screen(HeadAngles(DEFAULT_ROM.yaw_deg / 2, DEFAULT_ROM.pitch_deg / 2, 0.0))
    assert left_up == (0.25, 0.25)  # turned to the patient's left and chin up: up and left on the screen
    assert head_to_screen(HeadAngles(90.0, -90.0, 0.0)) == (0.0, 1.0)  # clipped to the screen
    for point in [(0.1, 0.9), (0.5, 0.5), (0.73, 0.21)]:
        assert head_to_screen(screen_to_head(point)) == pytest.approx(point)


def test_targets_are_seeded_within_the_range_on_screen_and_away_from_neutral() -> None:
    params = replace(PARAMS, trials=60)
    targets = head_rules.all_targets(params)
    assert targets == head_rules.all_targets(params)
    assert targets != head_rules.all_targets(replace(params, seed=8))
    for target in targets:
        assert abs(target.yaw_deg) <= params.range_fraction * DEFAULT_ROM.yaw_deg + 1e-9
        assert abs(target.pitch_deg) <= params.range_fraction * DEFAULT_ROM.pitch_deg + 1e-9
        x, y = head_to_screen(target)
        assert params.target_radius_norm / params.screen_aspect <= x <= 1 - params.target_radius_norm / 16 * 9
        assert params.top_reserved_norm + params.target_radius_norm - 1e-9 <= y <= 1 - params.target_radius_norm
        offset = ((target.yaw_deg / DEFAULT_ROM.yaw_deg) ** 2 + (target.pitch_deg / DEFAULT_ROM.pitch_deg) ** 2) ** 0.5
        assert offset >= head_rules.MIN_TARGET_OFFSET_FRACTION * params.range_fraction - 1e-9


def test_yaw_bias_puts_the_targets_on_one_side_against_the_pull() -> None:
    unbiased = head_rules.all_targets(replace(PARAMS, trials=60))
    to_left = head_rules.all_targets(replace(PARAMS, trials=60, bias_yaw=0.5))
    to_right = head_rules.all_targets(replace(PARAMS, trials=60, bias_yaw=-0.5))
    assert any(t.yaw_deg < 0 for t in unbiased) and any(t.yaw_deg > 0 for t in unbiased)
    assert all(t.yaw_deg >= 0 for t in to_left)  # every target towards the patient's left
    assert all(t.yaw_deg <= 0 for t in to_right)
    up = head_rules.all_targets(replace(PARAMS, trials=60, bias_pitch=0.6))
    assert all(t.pitch_deg > 0 for t in up)


def test_dwelling_on_the_target_hits_it_and_records_its_angles() -> None:
    state = fresh()
    assert state.phase is Phase.STEERING and state.target is not None
    state = run(state, PARAMS.dwell_time_s / 2, [look_at_target(state)])
    assert 0.4 < state.dwell_fraction < 0.6 and not state.progress.results
    state = run(state, PARAMS.dwell_time_s / 2 + 2 * STEP_S)
    result = state.progress.results[0]
    assert result.outcome is Outcome.HIT and result.points == head_rules.HIT_POINTS
    assert result.params["target_yaw_deg"] == head_rules.target_for_trial(PARAMS, 0).yaw_deg
    assert result.measures == {"sensory_trick_s": 0.0}
    assert state.phase is Phase.RESTING and state.target is None


def test_looking_away_resets_the_dwell_and_a_target_times_out() -> None:
    state = fresh()
    state = run(state, PARAMS.dwell_time_s * 0.8, [look_at_target(state)])
    state = run(state, STEP_S, [HeadPose(0.0, NEUTRAL)])
    assert state.dwell_s == 0.0
    state = run(state, PARAMS.trial_timeout_s)
    assert state.progress.results[0].outcome is Outcome.MISSED
    assert state.progress.results[0].duration_s == pytest.approx(PARAMS.trial_timeout_s, abs=2 * STEP_S)


def test_the_clock_stops_while_the_face_is_lost() -> None:
    state = fresh()
    elapsed = state.progress.clock.elapsed_s
    state = run(state, 3.0, [TrackingLost(0.0, Effector.HEAD), look_at_target(state)])
    assert state.progress.clock.elapsed_s == elapsed and state.dwell_s == 0.0 and not state.progress.results
    state = run(state, 1.0, [TrackingLost(0.0, Effector.HAND)])  # a lost hand does not stop a head level
    assert state.progress.clock.elapsed_s == elapsed  # still frozen: the face is still lost
    state = run(state, PARAMS.dwell_time_s + 2 * STEP_S, [TrackingFound(0.0, Effector.HEAD)])
    assert state.progress.results[0].outcome is Outcome.HIT


def test_pause_freezes_and_the_source_end_records_an_unfinished_trial() -> None:
    state = fresh()
    paused = run(state, 2.0, [CommandIssued(0.0, Command.PAUSE)])
    assert paused.progress.clock.elapsed_s == state.progress.clock.elapsed_s
    ended = run(paused, STEP_S, [SourceEnded(0.0)])
    assert ended.progress.finished and ended.progress.results[0].outcome is Outcome.UNFINISHED


def test_trick_seconds_are_counted_on_the_level_clock_per_trial() -> None:
    state = fresh()
    state = run(state, 1.0, [frame(True)])
    state = run(state, 0.5, [frame(False)])
    state = run(state, 1.0, [frame(True), TrackingLost(0.0, Effector.HEAD)])  # frozen: not counted
    state = run(state, 0.25, [TrackingFound(0.0, Effector.HEAD)])
    state = run(state, PARAMS.dwell_time_s + 2 * STEP_S, [frame(None), look_at_target(state)])
    first = state.progress.results[0]
    assert first.outcome is Outcome.HIT
    assert first.measures["sensory_trick_s"] == pytest.approx(1.25, abs=2 * STEP_S)
    state = run(state, PARAMS.inter_trial_pause_s + PARAMS.trial_timeout_s + STEP_S)
    assert state.progress.results[1].measures["sensory_trick_s"] == 0.0  # each trial counts its own


def test_a_level_without_the_trick_does_not_fill_while_the_hand_is_on_the_face() -> None:
    allowed = fresh()
    blocked = fresh(replace(PARAMS, sensory_trick="not_allowed"))
    events: list[InputEvent] = [frame(True), look_at_target(allowed)]
    assert run(allowed, PARAMS.dwell_time_s + 2 * STEP_S, events).progress.hits == 1
    held = run(blocked, PARAMS.dwell_time_s + 2 * STEP_S, events)
    assert held.progress.hits == 0 and held.dwell_s == 0.0 and held.trick_blocks_dwell
    assert run(held, PARAMS.dwell_time_s + 2 * STEP_S, [frame(False)]).progress.hits == 1


def test_a_tracked_frame_tells_a_real_head_from_the_mouse() -> None:
    state = fresh()
    assert not state.tracked
    assert run(state, STEP_S, [frame(False)]).tracked


def test_catalogue_levels_load_and_start() -> None:
    for name, models in [("head", ("face",)), ("head-trick", ("hands", "face"))]:
        level = load_level(name)
        assert isinstance(level, HeadLevel)
        assert tuple(model.value for model in level.models) == models
        state = head_rules.start(level, ScreenShape(16 / 9, 0.08), FACE)
        assert state.params.sensory_trick == level.sensory_trick
    assert load_level("head-trick").sensory_trick == "encouraged"


def test_level_file_fields_are_checked() -> None:
    base = (
        'schema_version = 1\nname = "x"\ntitle = "X"\nkind = "head"\nmodels = ["face"]\ntrials = 3\n'
        "range_fraction = 0.5\ntarget_radius_norm = 0.1\ndwell_time_s = 0.5\ntrial_timeout_s = 10.0\nseed = 1\n"
    )
    level = parse_level(base, source="custom.toml")
    assert isinstance(level, HeadLevel) and level.sensory_trick == "allowed" and level.bias_yaw == 0.0
    for bad, field in [
        ("bias_yaw = 1.5\n", "bias_yaw"),
        ('sensory_trick = "sometimes"\n', "sensory_trick"),
        ("range_fraction2 = 0.5\n", "range_fraction2"),
    ]:
        with pytest.raises(LevelFileError, match=f"custom.toml: field '{field}'"):
            parse_level(base + bad, source="custom.toml")

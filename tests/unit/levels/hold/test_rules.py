"""The hold level's pure rules: settling into the target, time within the tolerance, longest hold, drifts out (with
hysteresis), the clock stopped while the effector is lost, missed and unfinished holds, and hand holds."""

from __future__ import annotations

from dataclasses import replace

import pytest

from levels.errors import LevelFileError
from levels.events import (
    CursorMoved,
    HeadPose,
    InputEvent,
    SourceEnded,
    TrackedFrame,
    TrackingFound,
    TrackingLost,
)
from levels.hold import rules
from levels.hold.rules import HoldParams, HoldState, Phase
from levels.hold.schema import HoldLevel
from levels.loader import parse_level
from levels.screen import ScreenShape
from levels.trial import Outcome
from tracking.types import Effector, HeadAngles, LandmarkFrame, Signals, TrackedSample

STEP_S = 1.0 / 120.0
HEAD = frozenset({Effector.HEAD})
PARAMS = HoldParams(
    effector=Effector.HEAD,
    repetitions=3,
    hold_time_s=10.0,
    trial_timeout_s=20.0,
    inter_trial_pause_s=1.0,
    target_head=HeadAngles(15.0, 0.0, 0.0),
    tolerance_deg=5.0,
    target_point=(0.5, 0.55),
    tolerance_norm=0.08,
    screen_aspect=16 / 9,
)


def run(state: HoldState, seconds: float, events: list[InputEvent] | None = None) -> HoldState:
    """Step for ``seconds``, feeding ``events`` on the first step."""
    pending = list(events or [])
    for _ in range(round(seconds / STEP_S)):
        state = rules.step(state, pending, STEP_S)
        pending = []
    return state


def head(yaw_deg: float, pitch_deg: float = 0.0, roll_deg: float = 0.0) -> HeadPose:
    return HeadPose(0.0, HeadAngles(yaw_deg, pitch_deg, roll_deg))


def holding(params: HoldParams = PARAMS) -> HoldState:
    """A level whose first hold has just started (the head settled on the target after the rest)."""
    state = run(rules.initial_state(params, seen=HEAD), 1.0 + STEP_S, [head(0.0)])
    assert state.phase is Phase.SETTLING
    state = run(state, 2 * STEP_S, [head(15.0)])
    assert state.phase is Phase.HOLDING
    return state


def test_a_stretch_starts_only_once_the_head_is_within_the_tolerance_of_the_target() -> None:
    state = run(rules.initial_state(PARAMS, seen=HEAD), 3.0, [head(0.0)])  # neutral: 15 degrees off the stretch
    assert state.phase is Phase.SETTLING and state.deviation == pytest.approx(15.0)
    state = run(state, 1.0, [head(10.5)])  # within 5 degrees but not within 80% of them yet: still settling
    assert state.phase is Phase.SETTLING
    state = run(state, 0.5, [head(13.0, 1.0, 1.0)])
    assert state.phase is Phase.HOLDING and state.in_tolerance


def test_a_steady_hold_is_all_within_the_tolerance() -> None:
    state = run(holding(), 10.0)
    (result,) = state.progress.results
    assert result.outcome is Outcome.HIT and result.points == rules.HOLD_POINTS
    assert result.measures["hold_in_tolerance_fraction"] == pytest.approx(1.0)
    assert result.measures["hold_longest_s"] == pytest.approx(10.0, abs=2 * STEP_S)
    assert result.measures["hold_drifts_out"] == 0
    assert result.measures["hold_mean_deviation_deg"] == pytest.approx(0.0)
    assert result.params["target_yaw_deg"] == 15.0 and result.params["tolerance_deg"] == 5.0
    assert state.phase is Phase.RESTING


def test_a_drift_out_counts_once_and_shortens_the_fraction_and_the_longest_hold() -> None:
    state = run(holding(), 3.0)
    state = run(state, 2.0, [head(22.0)])  # 7 degrees off: out
    state = run(state, 5.0, [head(16.0)])
    (result,) = state.progress.results
    assert result.measures["hold_in_tolerance_fraction"] == pytest.approx(0.8, abs=0.01)
    assert result.measures["hold_longest_s"] == pytest.approx(5.0, abs=0.02)
    assert result.measures["hold_drifts_out"] == 1
    assert result.points == 80
    # mean deviation: 3 s at 0, 2 s at 7, 5 s at 1 degree
    assert result.measures["hold_mean_deviation_deg"] == pytest.approx((2 * 7 + 5 * 1) / 10, abs=0.02)


def test_jitter_on_the_border_is_not_counted_as_drifts() -> None:
    """Back within only at 80% of the tolerance: a head jittering across the border drifts out once."""
    state = run(holding(), 1.0)
    for index in range(40):  # 4.9 and 5.1 degrees off in turn, 0.1 s each
        state = run(state, 0.1, [head(15.0 + (4.9 if index % 2 else 5.1))])
    state = run(state, 5.0, [head(15.0)])
    (result,) = state.progress.results
    assert result.measures["hold_drifts_out"] == 1
    assert result.measures["hold_in_tolerance_fraction"] == pytest.approx(0.6, abs=0.01)


def test_the_hold_waits_while_the_head_is_not_seen_and_a_loss_is_no_drift() -> None:
    state = run(holding(), 4.0)
    lost = run(state, 5.0, [TrackingLost(0.0, Effector.HEAD)])
    assert lost.progress.clock.elapsed_s == state.progress.clock.elapsed_s
    assert lost.phase_elapsed_s == state.phase_elapsed_s and not lost.progress.results
    state = run(lost, 6.0, [TrackingFound(0.0, Effector.HEAD)])
    (result,) = state.progress.results
    assert result.measures["hold_drifts_out"] == 0
    assert result.measures["hold_in_tolerance_fraction"] == pytest.approx(1.0)
    assert result.measures["hold_longest_s"] == pytest.approx(6.0, abs=0.02)  # the loss ended the first run
    assert result.duration_s == pytest.approx(10.0 + 2 * STEP_S, abs=0.02)  # the settle steps and the hold


def test_a_target_never_reached_is_missed_without_points() -> None:
    state = run(rules.initial_state(PARAMS, seen=HEAD), 1.0 + 20.0 + 2 * STEP_S, [head(-10.0)])
    (result,) = state.progress.results
    assert result.outcome is Outcome.MISSED and result.points == 0
    assert "hold_in_tolerance_fraction" not in result.measures
    assert result.duration_s == pytest.approx(20.0, abs=0.02)


def test_the_level_ends_after_its_repetitions_and_an_ended_source_leaves_the_hold_unfinished() -> None:
    state = rules.initial_state(PARAMS, seen=HEAD)
    for _ in range(3):
        state = run(state, 12.0, [head(15.0)])
    assert state.progress.finished and [r.outcome for r in state.progress.results] == [Outcome.HIT] * 3
    state = run(holding(), 2.0, [SourceEnded(0.0)])
    assert state.progress.finished and state.progress.results[-1].outcome is Outcome.UNFINISHED


def test_a_hand_hold_follows_the_cursor_in_screen_heights() -> None:
    params = replace(PARAMS, effector=Effector.HAND)
    state = run(
        rules.initial_state(params, seen=frozenset({Effector.HAND})), 1.0 + 2 * STEP_S, [CursorMoved(0.0, 0.5, 0.55)]
    )
    assert state.phase is Phase.HOLDING
    # 0.05 of the width to the right is 0.05 * 16/9 = 0.089 screen heights: beyond 0.08
    state = run(state, 2.0, [CursorMoved(0.0, 0.55, 0.55), head(15.0)])
    assert not state.in_tolerance and state.deviation == pytest.approx(0.05 * 16 / 9)
    state = run(state, 8.0, [CursorMoved(0.0, 0.5, 0.6)])  # 0.05 below: within
    (result,) = state.progress.results
    assert result.measures["hold_in_tolerance_fraction"] == pytest.approx(0.8, abs=0.02)
    assert result.measures["hold_mean_deviation_norm"] == pytest.approx((2 * 0.05 * 16 / 9 + 8 * 0.05) / 10, abs=1e-3)
    assert result.params["effector"] == "hand" and "target_yaw_deg" not in result.params


LEVEL = """\
schema_version = 1
name = "custom"
title = "Hold"
kind = "hold"
models = ["face"]
repetitions = 2
hold_time_s = 5.0
"""


def test_the_level_file_gives_the_rules_its_target_and_refuses_the_other_effectors_fields() -> None:
    level = parse_level(LEVEL + "target_yaw_deg = -12.0\n", source="custom.toml")
    assert isinstance(level, HoldLevel)
    params = rules.start(level, ScreenShape(aspect=4 / 3), HEAD).params
    assert params.effector is Effector.HEAD and params.target_head == HeadAngles(-12.0, 0.0, 0.0)
    assert params.tolerance_deg == 5.0 and params.repetitions == 2
    with pytest.raises(LevelFileError, match=r"custom\.toml.*target_x_norm: not a field of a head hold"):
        parse_level(LEVEL + "target_x_norm = 0.3\n", source="custom.toml")
    with pytest.raises(LevelFileError, match=r"tolerance_deg: not a field of a hand hold"):
        parse_level(LEVEL + 'effector = "hand"\ntolerance_deg = 3.0\n', source="custom.toml")
    with pytest.raises(LevelFileError, match=r"field 'tolerance_deg'"):
        parse_level(LEVEL + "tolerance_deg = 40.0\n", source="custom.toml")


def trick(t_s: float, on_face: bool) -> TrackedFrame:
    """A tracked frame saying whether a hand is on the face (the sensory trick)."""
    return TrackedFrame(t_s, TrackedSample(LandmarkFrame(t_s), Signals(t_s, hand_on_face=on_face)))


def test_the_tricks_seconds_are_recorded_and_a_trick_not_allowed_stops_the_hold_counting() -> None:
    allowed = run(holding(), 2.0, [trick(0.0, True)])
    allowed = run(allowed, 8.0, [trick(2.0, False)])
    (result,) = allowed.progress.results
    assert result.measures["sensory_trick_s"] == pytest.approx(2.0, abs=0.02)
    assert result.measures["hold_in_tolerance_fraction"] == pytest.approx(1.0)
    assert result.params["sensory_trick"] == "allowed"

    strict = holding(replace(PARAMS, sensory_trick="not_allowed"))
    strict = run(strict, 2.0, [trick(0.0, True)])
    assert strict.trick_blocks_hold
    strict = run(strict, 8.0, [trick(2.0, False)])
    (result,) = strict.progress.results
    assert result.measures["sensory_trick_s"] == pytest.approx(2.0, abs=0.02)
    assert result.measures["hold_in_tolerance_fraction"] == pytest.approx(0.8, abs=0.01)
    assert result.measures["hold_drifts_out"] == 0  # the posture did not move
    assert result.measures["hold_longest_s"] == pytest.approx(8.0, abs=0.02)

"""The staircase (3 up / 1 down, fatigue, pain, limits) and the simulated patients played against it."""

from __future__ import annotations

import math
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from levels.difficulty import Adaptation
from levels.simulation import SimulatedPatient, SimulatedTrial, simulate, success_rate
from levels.staircase import (
    StaircaseRules,
    TrialResult,
    start,
    step,
    success_rule_text,
    trial_success,
    warm_up_start,
)

RULES = StaircaseRules(step=0.1)
WIN = TrialResult(success=True, breaks=0)
MISS = TrialResult(success=False, breaks=0)
BREAK = TrialResult(success=False, breaks=1, failure="break")
SEEDS = range(300)


def _play(rules: StaircaseRules, difficulty: float, trials: list[TrialResult]) -> list:
    state = start(rules, difficulty)
    states = []
    for trial in trials:
        state = step(rules, state, trial)
        states.append(state)
    return states


def test_three_successes_step_up_and_a_failure_steps_down_with_reasons() -> None:
    states = _play(RULES, 0.5, [WIN, WIN, WIN, MISS, BREAK])
    assert [round(s.difficulty, 3) for s in states] == [0.5, 0.5, 0.6, 0.5, 0.4]
    assert [s.reason for s in states] == [
        "1 success in a row", "2 successes in a row", "3 successes in a row", "missed", "break"]
    assert [s.changed for s in states] == [False, False, True, True, True]


def test_limits_hold_and_say_so() -> None:
    states = _play(StaircaseRules(step=0.1, min_index=0.2, max_index=0.3), 0.3, [WIN, WIN, WIN, MISS, MISS, MISS])
    assert [round(s.difficulty, 3) for s in states] == [0.3, 0.3, 0.3, 0.2, 0.2, 0.2]
    assert "already at the highest" in states[2].reason
    assert "already at the lowest" in states[5].reason


def test_fatigue_steps_down_suggests_rest_and_blocks_step_up_until_under_threshold() -> None:
    states = _play(RULES, 0.5, [WIN, WIN, MISS, WIN, WIN, BREAK, BREAK])  # baseline 0 breaks, floored at 0.15
    assert states[-2].reason == "break" and not states[-2].fatigued  # one break in five: 0.2, 1.3x
    fatigue = states[-1]
    assert fatigue.reason == "breaks 2.7x baseline: fatigue"
    assert fatigue.rest_suggested and fatigue.fatigued
    assert math.isclose(fatigue.difficulty, states[-2].difficulty - 0.1)
    state = fatigue
    for _ in range(3):
        state = step(RULES, state, WIN)
        assert not state.rest_suggested  # suggested once, at the onset
    assert state.difficulty == fatigue.difficulty  # still 2 breaks in the last 5: no step up
    assert state.reason == "no step up while breaks are above the fatigue threshold"
    state = step(RULES, state, WIN)  # the first break left the window: back under the threshold
    assert not state.fatigued
    assert state.difficulty > fatigue.difficulty and state.reason == "3 successes in a row"


def test_an_assessment_baseline_is_used_from_the_first_five_trials() -> None:
    rules = StaircaseRules(step=0.1, baseline_breaks_per_movement=0.4)
    states = _play(rules, 0.5, [BREAK, BREAK, MISS, MISS, BREAK])  # 0.6 a movement = 1.5x: not above
    assert not any(s.fatigued for s in states)
    states = _play(rules, 0.5, [BREAK, BREAK, BREAK, MISS, BREAK])  # 0.8 = 2.0x
    assert states[-1].reason == "breaks 2.0x baseline: fatigue" and states[-1].rest_suggested


def test_after_a_pause_for_pain_the_difficulty_never_rises() -> None:
    pain = TrialResult(success=True, breaks=0, paused_for_pain=True)
    states = _play(RULES, 0.5, [WIN, pain] + [WIN] * 12)
    assert max(s.difficulty for s in states[1:]) == 0.5
    assert states[-1].reason == "no step up after a pause for pain"


def test_warm_up_starts_one_step_below_the_last_session() -> None:
    rules = StaircaseRules(step=0.1, min_index=0.1, max_index=0.8)
    assert math.isclose(warm_up_start(rules, 0.7, plan_start=0.3), 0.6)
    assert warm_up_start(rules, None, plan_start=0.3) == 0.3
    assert warm_up_start(rules, 0.15, plan_start=0.3) == 0.1  # never below the plan's minimum
    assert warm_up_start(rules, 1.0, plan_start=0.3) == 0.8


def test_the_success_rule_needs_goal_no_break_and_smoothness() -> None:
    rule = Adaptation(success_sparc_floor=-3.0)
    assert trial_success(rule, goal_met=True, breaks=0, sparc=-2.0) == (True, "success")
    assert trial_success(rule, goal_met=True, breaks=0, sparc=-4.0)[0] is False
    assert trial_success(rule, goal_met=True, breaks=1, sparc=-2.0) == (False, "break")
    assert trial_success(rule, goal_met=False, breaks=0, sparc=-2.0) == (False, "missed")
    hold = Adaptation(success_in_tolerance_floor=0.8)
    assert trial_success(hold, goal_met=True, breaks=0, in_tolerance_fraction=0.85)[0] is True
    assert trial_success(hold, goal_met=True, breaks=0, in_tolerance_fraction=0.7)[0] is False
    assert "SPARC) above -3.0" in success_rule_text(rule)


def _first_in_band(trials: tuple[SimulatedTrial, ...]) -> int | None:
    """Return the first trial (from 1) at which the success of the last 10 trials is in the 70-80% band."""
    for last in range(10, len(trials) + 1):
        if 0.70 <= success_rate(trials[last - 10 : last]) <= 0.80:
            return last
    return None


@pytest.mark.parametrize("skill", [0.3, 0.6, 0.9])
def test_simulated_patients_enter_the_band_within_30_trials_and_stay_there(skill: float) -> None:
    """Started at the middle of the range, every patient enters the 70-80% band within 30 trials (the last 10 trials'
    success) and stays there: success over trials 21-60 is in the band. A skilled patient (0.9) climbs from 0.5 for
    about 12 trials, so the band's first trials come later for them (median trial 17)."""
    patient = SimulatedPatient(skill=skill, fatigue=0.0, break_rate=0.05)
    runs = [simulate(patient, RULES, 0.5, 60, seed).trials for seed in SEEDS]
    firsts = [_first_in_band(trials) for trials in runs]
    assert statistics.median(first or 999 for first in firsts) <= 30
    assert sum(first is not None and first <= 30 for first in firsts) >= 0.95 * len(runs)
    assert 0.70 <= statistics.mean(success_rate(trials[20:]) for trials in runs) <= 0.80


def test_with_fatigue_the_difficulty_comes_down_in_the_second_half() -> None:
    tired = SimulatedPatient(skill=0.7, fatigue=0.8, break_rate=0.05)
    drops = []
    for seed in SEEDS:
        trials = simulate(tired, RULES, 0.5, 40, seed).trials
        drops.append(statistics.mean(t.difficulty for t in trials[10:20]) - statistics.mean(
            t.difficulty for t in trials[30:]))
    assert statistics.mean(drops) > 0.15
    fresh = SimulatedPatient(skill=0.7, fatigue=0.0, break_rate=0.05)
    fresh_drops = [statistics.mean(t.difficulty for t in simulate(fresh, RULES, 0.5, 40, s).trials[10:20])
                   - statistics.mean(t.difficulty for t in simulate(fresh, RULES, 0.5, 40, s).trials[30:])
                   for s in range(50)]
    assert statistics.mean(fresh_drops) < 0.05


@settings(max_examples=150, deadline=None)
@given(
    low=st.floats(0.0, 1.0), high=st.floats(0.0, 1.0), begin=st.floats(-0.5, 1.5),
    step_size=st.floats(0.01, 0.5), skill=st.floats(0.0, 1.0), fatigue=st.floats(0.0, 1.0),
    breaks=st.floats(0.0, 1.0), seed=st.integers(0, 2**31),
)
def test_difficulty_always_finite_and_within_the_plan(
    low: float, high: float, begin: float, step_size: float, skill: float, fatigue: float, breaks: float, seed: int
) -> None:
    rules = StaircaseRules(step=step_size, min_index=min(low, high), max_index=max(low, high))
    run = simulate(SimulatedPatient(skill, fatigue, breaks), rules, begin, 40, seed)
    for value in [t.difficulty for t in run.trials] + [run.final_difficulty]:
        assert math.isfinite(value)
        assert 0.0 <= value <= 1.0
        assert rules.min_index - 1e-9 <= value <= rules.max_index + 1e-9


@settings(max_examples=150, deadline=None)
@given(
    clean=st.integers(5, 15), start_index=st.floats(0.0, 1.0), step_size=st.floats(0.01, 0.5),
    outcomes=st.lists(st.booleans(), min_size=5, max_size=15),
)
def test_rising_breaks_step_down_and_suggest_a_rest(
    clean: int, start_index: float, step_size: float, outcomes: list[bool]
) -> None:
    rules = StaircaseRules(step=step_size)
    state = start(rules, start_index)
    for _ in range(clean):
        state = step(rules, state, MISS)  # no breaks: baseline 0 (floored)
    before = state.difficulty
    rested = False
    for success in outcomes:
        state = step(rules, state, TrialResult(success=success, breaks=1))
        if state.rest_suggested:
            rested = True
            assert state.difficulty < before or state.difficulty == rules.min_index
            assert "fatigue" in state.reason
            break
        before = state.difficulty
    assert rested

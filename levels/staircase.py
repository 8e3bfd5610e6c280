"""The staircase that adapts a level's difficulty trial by trial (pure: frozen state, one step a trial).

One step up after three successes in a row, one step down after a failure: the difficulty settles where
``p**3 = 0.5``, a success rate near 79% (a transformed up-down staircase), in the 70-80% band that motor-learning
research recommends (issue 8). The difficulty never leaves ``[min_index, max_index]`` (the plan's limits and the
caps' highest index). Fatigue: when the breaks per movement over the last five trials rise more than 50% above the
baseline (the assessment's rate, else the session's first five trials), one step down and a rest is suggested;
no step up until the rate is back under that threshold. Pain: after a pause for pain the difficulty never rises.
Every change carries its reason.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from levels.difficulty import DEFAULT_DIFFICULTY_STEP, Adaptation, clamp_index

# Successes in a row before a step up (a 3-up/1-down staircase converges near 79% success: 0.5 ** (1/3)).
SUCCESSES_TO_STEP_UP = 3
# Trials in the window of the fatigue check, and in the baseline taken from a session's start (issue 8).
FATIGUE_WINDOW_TRIALS = 5
# The breaks-per-movement rate counts as fatigue above this multiple of the baseline ("more than 50% above").
FATIGUE_RATIO = 1.5
# The lowest baseline used: with none or almost no breaks at baseline, a single break in five trials (0.2 a
# movement, 1.33x of 0.15) must not count as fatigue; two in five (0.4, 2.7x) are the first fatigue signal.
MIN_BASELINE_BREAKS_PER_MOVEMENT = 0.15


@dataclass(frozen=True)
class TrialResult:
    """What the staircase needs of one trial: success by the level's rule, its breaks, and a pause for pain."""

    success: bool
    breaks: int
    movements: int = 1
    failure: str = "missed"
    paused_for_pain: bool = False


@dataclass(frozen=True)
class StaircaseRules:
    """The limits of one level's staircase: step, lowest and highest index (plan and caps), baseline if known."""

    step: float = DEFAULT_DIFFICULTY_STEP
    min_index: float = 0.0
    max_index: float = 1.0
    baseline_breaks_per_movement: float | None = None


@dataclass(frozen=True)
class StaircaseState:
    """The staircase after some trials. ``reason`` says why the last trial changed (or held) the difficulty."""

    difficulty: float
    streak: int = 0
    breaks: tuple[int, ...] = ()
    movements: tuple[int, ...] = ()
    fatigued: bool = False
    pain: bool = False
    rest_suggested: bool = False
    reason: str = ""
    changed: bool = False


def start(rules: StaircaseRules, difficulty: float) -> StaircaseState:
    """Return the state before the first trial, at ``difficulty`` kept within the rules' limits."""
    return StaircaseState(difficulty=_within(rules, difficulty))


def warm_up_start(rules: StaircaseRules, last_difficulty: float | None, plan_start: float) -> float:
    """Where a session starts: one step below where the patient ended last time, else the plan's start."""
    if last_difficulty is None or math.isnan(last_difficulty):
        return _within(rules, plan_start)
    return _within(rules, last_difficulty - rules.step)


def rules_for(adaptation: Adaptation, *, min_index: float = 0.0, max_index: float = 1.0,
              baseline: float | None = None) -> StaircaseRules:
    """Return the rules of a level (its step) within a plan's limits."""
    low, high = clamp_index(min_index), clamp_index(max_index)
    return StaircaseRules(step=adaptation.difficulty_step, min_index=low, max_index=max(low, high),
                          baseline_breaks_per_movement=baseline)


def _within(rules: StaircaseRules, difficulty: float) -> float:
    value = clamp_index(difficulty)
    return round(min(rules.max_index, max(rules.min_index, value)), 9)


def baseline_rate(rules: StaircaseRules, state: StaircaseState) -> float | None:
    """Return the baseline breaks per movement: the assessment's, else the first five trials', else None."""
    if rules.baseline_breaks_per_movement is not None:
        return rules.baseline_breaks_per_movement
    if len(state.breaks) < FATIGUE_WINDOW_TRIALS:
        return None
    return _rate(state.breaks[:FATIGUE_WINDOW_TRIALS], state.movements[:FATIGUE_WINDOW_TRIALS])


def recent_ratio(rules: StaircaseRules, state: StaircaseState) -> float | None:
    """Return the last five trials' breaks per movement over the (floored) baseline; None before five."""
    baseline = baseline_rate(rules, state)
    if baseline is None or len(state.breaks) < FATIGUE_WINDOW_TRIALS:
        return None
    recent = _rate(state.breaks[-FATIGUE_WINDOW_TRIALS:], state.movements[-FATIGUE_WINDOW_TRIALS:])
    return recent / max(baseline, MIN_BASELINE_BREAKS_PER_MOVEMENT)


def _rate(breaks: tuple[int, ...], movements: tuple[int, ...]) -> float:
    return sum(breaks) / max(1, sum(movements))


def step(rules: StaircaseRules, state: StaircaseState, trial: TrialResult) -> StaircaseState:
    """Return the state after ``trial``: the difficulty one step up, one step down or held, with the reason."""
    seen = replace(
        state,
        breaks=state.breaks + (max(0, trial.breaks),),
        movements=state.movements + (max(1, trial.movements),),
        pain=state.pain or trial.paused_for_pain,
        rest_suggested=False,
        changed=False,
    )
    ratio = recent_ratio(rules, seen)
    over = ratio is not None and ratio > FATIGUE_RATIO
    if over and not state.fatigued:
        return _move(rules, replace(seen, fatigued=True, streak=0, rest_suggested=True), -rules.step,
                     f"breaks {ratio:.1f}x baseline: fatigue")
    seen = replace(seen, fatigued=over)
    if trial.paused_for_pain:
        return replace(seen, streak=0, reason="paused for pain: no step up for the rest of the session")
    if not trial.success:
        reason = "break" if trial.breaks > 0 else trial.failure
        return _move(rules, replace(seen, streak=0), -rules.step, reason)
    streak = seen.streak + 1
    if streak < SUCCESSES_TO_STEP_UP:
        return replace(seen, streak=streak, reason=f"{streak} success{'es' if streak > 1 else ''} in a row")
    held = _why_held(seen)
    if held is not None:
        return replace(seen, streak=streak, reason=held)
    return _move(rules, replace(seen, streak=0), rules.step, f"{SUCCESSES_TO_STEP_UP} successes in a row")


def _why_held(state: StaircaseState) -> str | None:
    if state.pain:
        return "no step up after a pause for pain"
    if state.fatigued:
        return "no step up while breaks are above the fatigue threshold"
    return None


def _move(rules: StaircaseRules, state: StaircaseState, delta: float, reason: str) -> StaircaseState:
    target = _within(rules, state.difficulty + delta)
    if target == state.difficulty:
        limit = "highest" if delta > 0 else "lowest"
        return replace(state, reason=f"{reason} (already at the {limit} difficulty allowed)")
    return replace(state, difficulty=target, reason=reason, changed=True)


def trial_success(
    adaptation: Adaptation,
    *,
    goal_met: bool,
    breaks: int,
    sparc: float | None = None,
    in_tolerance_fraction: float | None = None,
) -> tuple[bool, str]:
    """Apply the level file's success rule (goal met, no break, smooth enough); return it and the failure.

    Smoothness is SPARC (``success_sparc_floor``) for movements, the in-tolerance fraction
    (``success_in_tolerance_floor``) for holds; a floor the file does not set is not checked, and a measure
    missing when a floor is set fails the trial (smoothness could not be shown).
    """
    if not goal_met:
        return False, "missed"
    if breaks > 0:
        return False, "break"
    floor = adaptation.success_sparc_floor
    if floor is not None and (sparc is None or not sparc > floor):
        return False, f"not smooth enough (SPARC below {floor})"
    tolerance = adaptation.success_in_tolerance_floor
    if tolerance is not None and (in_tolerance_fraction is None or in_tolerance_fraction < tolerance):
        return False, f"under {tolerance:.0%} of the hold within tolerance"
    return True, "success"


def success_rule_text(adaptation: Adaptation) -> str:
    """Return the success rule in words, for the therapist."""
    parts = ["the goal is met", "with no dystonic break"]
    if adaptation.success_sparc_floor is not None:
        parts.append(f"and smoothness (SPARC) above {adaptation.success_sparc_floor}")
    if adaptation.success_in_tolerance_floor is not None:
        parts.append(f"and at least {adaptation.success_in_tolerance_floor:.0%} of the hold within tolerance")
    return "A trial succeeds when " + ", ".join(parts) + "."

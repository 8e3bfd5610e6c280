"""One level played adaptively: the staircase fed with the game's trial results (pure; the game's hook).

The game (``game/session_flow.py``) needs three calls, all pure::

    run = begin(spec, entry, plan, last_index)     # the level file, the plan's entry (or None), the last session's
    level = level_now(run)                         # the concrete level to start (or the next set) at
    run, change = after_trial(run, result, breaks=n, paused_for_pain=False)   # each trial's result

``change`` is ``None`` or a :class:`DifficultyChange` (from, to, reason, rest suggested) to record
(:func:`clinic.plan.difficulty_change`) and show. :func:`warm_up_change` is the change a session starts with when
it starts one step below where the last one ended (recorded like the others, so that the records always hold where
the level is). A trial's success is the level file's rule (:func:`levels.staircase.trial_success`):
:attr:`Outcome.HIT`, no dystonic break, smoothness from the trial's measures (``sparc``, ``mean_sparc`` or
``carry_sparc``; ``hold_in_tolerance_fraction`` for holds).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from levels.difficulty import Caps, LevelSpec, level_at
from levels.plan import Plan, PlanLevel, index_limits, planned_level
from levels.staircase import (
    StaircaseRules,
    StaircaseState,
    TrialResult,
    start,
    step,
    trial_success,
    warm_up_start,
)
from levels.trial import Outcome
from levels.trial import TrialResult as PlayedTrial

# The reason of a session's start one step below the last session's end (issue 8: a warm-up).
WARM_UP_REASON = "warm-up: one step below where the last session ended"
# The trial index of a change made before the level's first trial (the warm-up).
BEFORE_FIRST_TRIAL = -1
# The measures a family may give a trial's smoothness under (SPARC: closer to 0 is smoother), first found wins.
SPARC_MEASURES = ("sparc", "mean_sparc", "carry_sparc")
IN_TOLERANCE_MEASURE = "hold_in_tolerance_fraction"


@dataclass(frozen=True)
class DifficultyChange:
    """A change of the difficulty after a trial (or a rest suggested): from, to, and why.

    ``trial_index`` is the trial's index in its set (:attr:`levels.trial.TrialResult.index`), or
    :data:`BEFORE_FIRST_TRIAL` for the warm-up.
    """

    trial_index: int
    from_index: float
    to_index: float
    reason: str
    rest_suggested: bool


@dataclass(frozen=True)
class AdaptiveRun:
    """A level's spec, its plan entry (if any), the staircase's rules and its state."""

    spec: LevelSpec
    entry: PlanLevel | None
    plan: Plan | None
    rules: StaircaseRules
    state: StaircaseState


def begin(
    spec: LevelSpec,
    entry: PlanLevel | None = None,
    plan: Plan | None = None,
    last_index: float | None = None,
    baseline_breaks_per_movement: float | None = None,
) -> AdaptiveRun:
    """Start a level: one step below ``last_index`` (the last session's end), else the plan's or file's start."""
    low, high = (0.0, 1.0) if entry is None else index_limits(spec, entry)
    rules = StaircaseRules(step=spec.adaptation.difficulty_step, min_index=low, max_index=high,
                           baseline_breaks_per_movement=baseline_breaks_per_movement)
    first = spec.adaptation.start_difficulty if entry is None else entry.start_difficulty
    return AdaptiveRun(spec=spec, entry=entry, plan=plan, rules=rules,
                       state=start(rules, warm_up_start(rules, last_index, first)))


def warm_up_change(run: AdaptiveRun, last_index: float | None) -> DifficultyChange | None:
    """Return the change from ``last_index`` (the last session's end) to the run's start, ``None`` when the same."""
    if last_index is None or math.isnan(last_index) or last_index == run.state.difficulty:
        return None
    return DifficultyChange(trial_index=BEFORE_FIRST_TRIAL, from_index=last_index, to_index=run.state.difficulty,
                            reason=WARM_UP_REASON, rest_suggested=False)


def caps_of(run: AdaptiveRun) -> Caps:
    """Return the plan's caps on this level (none without a plan)."""
    return {} if run.entry is None else run.entry.cap_bounds()


def level_now(run: AdaptiveRun) -> Any:
    """Return the concrete level at the current difficulty, the plan's caps and sets applied."""
    if run.entry is not None and run.plan is not None:
        return planned_level(run.spec, run.entry, run.plan, run.state.difficulty)
    return level_at(run.spec, run.state.difficulty, caps_of(run))


def _measure(result: PlayedTrial, names: tuple[str, ...]) -> float | None:
    for name in names:
        value = result.measures.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    return None


def after_trial(
    run: AdaptiveRun,
    result: PlayedTrial,
    *,
    breaks: int,
    sparc: float | None = None,
    paused_for_pain: bool = False,
    smoothness_measured: bool = True,
) -> tuple[AdaptiveRun, DifficultyChange | None]:
    """Feed one played trial; return the run and the change to record (``None`` when nothing changed).

    ``breaks`` and ``sparc`` come from the trial's movement feedback (:class:`levels.feedback.TrialFeedback`:
    ``break_count``, ``mean_sparc``); without ``sparc`` the trial's measures are read. ``smoothness_measured`` is
    false when the input cannot be measured at all (the mouse): the level's SPARC floor is then not part of the
    success rule (a missing SPARC would fail every trial); a camera trial whose SPARC is missing still fails it.
    """
    adaptation = run.spec.adaptation
    if not smoothness_measured:
        adaptation = adaptation.model_copy(update={"success_sparc_floor": None})
    success, failure = trial_success(
        adaptation,
        goal_met=result.outcome is Outcome.HIT,
        breaks=breaks,
        sparc=_measure(result, SPARC_MEASURES) if sparc is None else sparc,
        in_tolerance_fraction=_measure(result, (IN_TOLERANCE_MEASURE,)),
    )
    before = run.state.difficulty
    state = step(run.rules, run.state, TrialResult(success=success, breaks=breaks, failure=failure,
                                                     paused_for_pain=paused_for_pain))
    moved = replace(run, state=state)
    if not (state.changed or state.rest_suggested):
        return moved, None
    return moved, DifficultyChange(trial_index=result.index, from_index=before, to_index=state.difficulty,
                                   reason=state.reason, rest_suggested=state.rest_suggested)

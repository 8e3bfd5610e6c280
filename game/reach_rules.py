"""The reach level's rules, pure and deterministic: ``step(state, events, dt_s) -> state``.

A target appears; the patient moves the cursor onto it and keeps it there for the dwell time to hit it. A target
not hit within the trial timeout is missed. The level clock stops while tracking is lost or the game is paused,
so a lost hand never costs time. Each hit scores :data:`HIT_POINTS`; there is deliberately no speed bonus,
because time pressure and stress worsen dystonic symptoms.

Screen positions are 0..1 of the width (x) and height (y). Because the calibrated reach range is mapped onto the
whole screen (:meth:`tracking.calibration.ReachRange.to_screen_norm`), every target on the screen lies within the
patient's comfortable range. Distances and radii are in screen heights, so targets stay round.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np

from game.input_events import (
    Command,
    CommandIssued,
    CursorMoved,
    InputEvent,
    SourceEnded,
    TrackingFound,
    TrackingLost,
)
from tracking.types import Effector

HIT_POINTS = 100
# Where the hand rests before the first target: the screen centre, the middle of the calibrated reach range.
START_POSITION = (0.5, 0.5)
# Attempts to draw a target far enough from the previous one before accepting the farthest candidate.
TARGET_DRAW_ATTEMPTS = 64


class Phase(enum.Enum):
    RESTING = "resting"  # between targets
    REACHING = "reaching"  # a target is shown
    FINISHED = "finished"


class Outcome(enum.Enum):
    HIT = "hit"
    MISSED = "missed"  # the trial timed out
    UNFINISHED = "unfinished"  # the source ended during the trial


@dataclass(frozen=True)
class ReachParams:
    """Tuning of one play of the level (from the level file) and the screen's shape (width / height)."""

    trials: int
    target_radius_norm: float
    dwell_time_s: float
    trial_timeout_s: float
    inter_trial_pause_s: float
    min_target_distance_norm: float
    seed: int
    screen_aspect: float
    top_reserved_norm: float = 0.0  # the status bar's height (fraction of the screen height): no target under it


@dataclass(frozen=True)
class TrialResult:
    """One target: where it was, what happened, and its time on the level clock (pauses excluded)."""

    index: int
    target: tuple[float, float]
    outcome: Outcome
    start_s: float
    end_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True)
class ReachState:
    params: ReachParams
    phase: Phase = Phase.RESTING
    clock_s: float = 0.0  # level clock: stops while paused or while the hand is lost
    phase_elapsed_s: float = 0.0
    trial_index: int = 0
    target: tuple[float, float] | None = None
    cursor: tuple[float, float] | None = None
    dwell_s: float = 0.0
    hand_seen: bool = True
    paused: bool = False
    source_ended: bool = False
    results: tuple[TrialResult, ...] = ()

    @property
    def score(self) -> int:
        return HIT_POINTS * self.hits

    @property
    def hits(self) -> int:
        return sum(1 for result in self.results if result.outcome is Outcome.HIT)

    @property
    def misses(self) -> int:
        return sum(1 for result in self.results if result.outcome is Outcome.MISSED)

    @property
    def frozen(self) -> bool:
        """True while the level clock stands still."""
        return self.paused or not self.hand_seen

    @property
    def dwell_fraction(self) -> float:
        return min(self.dwell_s / self.params.dwell_time_s, 1.0)


def initial_state(params: ReachParams, *, hand_seen: bool) -> ReachState:
    """The level before its first target; ``hand_seen`` is False for camera input until the hand appears."""
    return ReachState(params=params, hand_seen=hand_seen)


def screen_distance_norm(a: tuple[float, float], b: tuple[float, float], screen_aspect: float) -> float:
    """Distance between two screen points in screen heights."""
    return math.hypot((a[0] - b[0]) * screen_aspect, a[1] - b[1])


def target_for_trial(params: ReachParams, index: int, previous: tuple[float, float] | None) -> tuple[float, float]:
    """The target of trial ``index``: seeded by (seed, index), wholly on screen and below the status bar, at least
    ``min_target_distance_norm`` from ``previous`` (or the farthest of :data:`TARGET_DRAW_ATTEMPTS` draws).
    The first target (``previous`` None) keeps that distance from :data:`START_POSITION`, the screen centre, where
    the middle of the calibrated reach range maps: a target under a resting hand would be hit with no reach.

    Deterministic, so a test (or a therapist) can know every target of a level in advance.
    """
    rng = np.random.default_rng([params.seed, index])
    margin_y = params.target_radius_norm
    margin_x = params.target_radius_norm / params.screen_aspect
    top_y = params.top_reserved_norm + margin_y
    best: tuple[float, float] | None = None
    best_distance = -1.0
    for _ in range(TARGET_DRAW_ATTEMPTS):
        candidate = (
            float(rng.uniform(margin_x, 1.0 - margin_x)),
            float(rng.uniform(top_y, 1.0 - margin_y)),
        )
        distance = screen_distance_norm(candidate, previous or START_POSITION, params.screen_aspect)
        if distance >= params.min_target_distance_norm:
            return candidate
        if distance > best_distance:
            best, best_distance = candidate, distance
    assert best is not None
    return best


def all_targets(params: ReachParams) -> list[tuple[float, float]]:
    """Every target of the level, in order."""
    targets: list[tuple[float, float]] = []
    for index in range(params.trials):
        targets.append(target_for_trial(params, index, targets[-1] if targets else None))
    return targets


def _apply_events(state: ReachState, events: Iterable[InputEvent]) -> ReachState:
    for event in events:
        if isinstance(event, CursorMoved):
            state = replace(state, cursor=(event.x_norm, event.y_norm))
        elif isinstance(event, TrackingLost) and event.effector is Effector.HAND:
            state = replace(state, hand_seen=False, dwell_s=0.0)
        elif isinstance(event, TrackingFound) and event.effector is Effector.HAND:
            state = replace(state, hand_seen=True)
        elif isinstance(event, CommandIssued) and event.command is Command.PAUSE:
            state = replace(state, paused=not state.paused, dwell_s=0.0)
        elif isinstance(event, SourceEnded):
            state = replace(state, source_ended=True)
    return state


def _end_trial(state: ReachState, outcome: Outcome) -> ReachState:
    assert state.target is not None
    result = TrialResult(
        index=state.trial_index,
        target=state.target,
        outcome=outcome,
        start_s=state.clock_s - state.phase_elapsed_s,
        end_s=state.clock_s,
    )
    next_index = state.trial_index + 1
    finished = next_index >= state.params.trials or outcome is Outcome.UNFINISHED
    return replace(
        state,
        phase=Phase.FINISHED if finished else Phase.RESTING,
        phase_elapsed_s=0.0,
        trial_index=next_index,
        target=None,
        dwell_s=0.0,
        results=(*state.results, result),
    )


def step(state: ReachState, events: Iterable[InputEvent], dt_s: float) -> ReachState:
    """Advance the level by ``dt_s`` seconds of game time after applying ``events``."""
    if state.phase is Phase.FINISHED:
        return state
    state = _apply_events(state, events)
    if state.source_ended:
        if state.phase is Phase.REACHING:
            return _end_trial(state, Outcome.UNFINISHED)
        return replace(state, phase=Phase.FINISHED)
    if state.frozen:
        return state
    state = replace(state, clock_s=state.clock_s + dt_s, phase_elapsed_s=state.phase_elapsed_s + dt_s)
    params = state.params
    if state.phase is Phase.RESTING:
        if state.phase_elapsed_s >= params.inter_trial_pause_s:
            previous = state.results[-1].target if state.results else None
            target = target_for_trial(params, state.trial_index, previous)
            return replace(state, phase=Phase.REACHING, phase_elapsed_s=0.0, target=target, dwell_s=0.0)
        return state
    assert state.target is not None
    on_target = (
        state.cursor is not None
        and screen_distance_norm(state.cursor, state.target, params.screen_aspect) <= params.target_radius_norm
    )
    dwell_s = state.dwell_s + dt_s if on_target else 0.0
    state = replace(state, dwell_s=dwell_s)
    if dwell_s >= params.dwell_time_s:
        return _end_trial(state, Outcome.HIT)
    if state.phase_elapsed_s >= params.trial_timeout_s:
        return _end_trial(state, Outcome.MISSED)
    return state

"""The reach level's rules, pure and deterministic: ``step(state, events, dt_s) -> state``.

A target appears; the patient moves the cursor onto it and keeps it there for the dwell time to hit it. A target
not hit within the trial timeout is missed. The level clock (:class:`levels.trial.TrialClock`) stops while the hand
is not seen or the game is paused, so a lost hand never costs time. Each hit scores :data:`HIT_POINTS`; there is
deliberately no speed bonus, because time pressure and stress worsen dystonic symptoms.

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

from levels.events import CursorMoved, InputEvent
from levels.reach.schema import ReachLevel
from levels.screen import ScreenShape
from levels.trial import LevelProgress, Outcome, TrialResult
from tracking.types import Effector

# What the reach level moves: the hand's palm centre drives the cursor; the clock stops while it is not seen.
EFFECTOR = Effector.HAND
HIT_POINTS = 100
# Where the hand rests before the first target: the screen centre, the middle of the calibrated reach range.
START_POSITION = (0.5, 0.5)
# Attempts to draw a target far enough from the previous one before accepting the farthest candidate.
TARGET_DRAW_ATTEMPTS = 64


class Phase(enum.Enum):
    RESTING = "resting"  # between targets (and before the first)
    REACHING = "reaching"  # a target is shown


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


def reach_params(level: ReachLevel, screen: ScreenShape) -> ReachParams:
    """The rules' parameters for ``level`` on a play area of ``screen``'s shape."""
    return ReachParams(
        trials=level.trials,
        target_radius_norm=level.target_radius_norm,
        dwell_time_s=level.dwell_time_s,
        trial_timeout_s=level.trial_timeout_s,
        inter_trial_pause_s=level.inter_trial_pause_s,
        min_target_distance_norm=level.min_target_distance_norm,
        seed=level.seed,
        screen_aspect=screen.aspect,
        top_reserved_norm=screen.top_reserved_norm,
    )


@dataclass(frozen=True)
class ReachState:
    params: ReachParams
    progress: LevelProgress  # the level clock (seen, paused), the results and the end
    phase: Phase = Phase.RESTING
    phase_elapsed_s: float = 0.0
    target: tuple[float, float] | None = None
    cursor: tuple[float, float] | None = None
    dwell_s: float = 0.0

    @property
    def trial_index(self) -> int:
        """The current (or next) trial, 0-based."""
        return len(self.progress.results)

    @property
    def dwell_fraction(self) -> float:
        return min(self.dwell_s / self.params.dwell_time_s, 1.0)


def initial_state(params: ReachParams, *, seen: frozenset[Effector]) -> ReachState:
    """The level before its first target; ``seen``: the effectors seen now (none for a camera before the hand
    appears; the mouse is always seen)."""
    return ReachState(params=params, progress=LevelProgress.start(params.trials, EFFECTOR, seen=seen))


def start(level: ReachLevel, screen: ScreenShape, seen: frozenset[Effector]) -> ReachState:
    """The family's entry point (:mod:`levels.families`): the initial state of ``level`` on ``screen``."""
    return initial_state(reach_params(level, screen), seen=seen)


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


def trial_target(result: TrialResult) -> tuple[float, float]:
    """Where the target of a reach trial was (screen 0..1), from the result's params."""
    return float(result.params["target_x_norm"]), float(result.params["target_y_norm"])


def _apply_events(state: ReachState, events: Iterable[InputEvent]) -> ReachState:
    """The events' effect: the cursor, the clock (seen, pause) and the source's end. The dwell starts again
    whenever the clock stops (the hand lost, a pause), even if it runs again within the same events."""
    progress, cursor, dwell_s = state.progress, state.cursor, state.dwell_s
    for event in events:
        if isinstance(event, CursorMoved):
            cursor = (event.x_norm, event.y_norm)
        progress = progress.take(event)
        if progress.frozen:
            dwell_s = 0.0
    return replace(state, progress=progress, cursor=cursor, dwell_s=dwell_s)


def _end_trial(state: ReachState, outcome: Outcome) -> ReachState:
    assert state.target is not None
    now_s = state.progress.clock.elapsed_s
    result = TrialResult(
        index=state.trial_index,
        outcome=outcome,
        start_s=now_s - state.phase_elapsed_s,
        end_s=now_s,
        points=HIT_POINTS if outcome is Outcome.HIT else 0,
        params={
            "target_x_norm": state.target[0],
            "target_y_norm": state.target[1],
            "target_radius_norm": state.params.target_radius_norm,
        },
    )
    return replace(
        state,
        progress=state.progress.record(result),
        phase=Phase.RESTING,
        phase_elapsed_s=0.0,
        target=None,
        dwell_s=0.0,
    )


def step(state: ReachState, events: Iterable[InputEvent], dt_s: float) -> ReachState:
    """Advance the level by ``dt_s`` seconds of game time after applying ``events``."""
    if state.progress.finished:
        return state
    state = _apply_events(state, events)
    if state.progress.source_ended:
        if state.phase is Phase.REACHING:
            return _end_trial(state, Outcome.UNFINISHED)
        return replace(state, progress=state.progress.finish())
    if state.progress.frozen:
        return state
    state = replace(state, progress=state.progress.advance(dt_s), phase_elapsed_s=state.phase_elapsed_s + dt_s)
    params = state.params
    if state.phase is Phase.RESTING:
        if state.phase_elapsed_s >= params.inter_trial_pause_s:
            previous = trial_target(state.progress.results[-1]) if state.progress.results else None
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

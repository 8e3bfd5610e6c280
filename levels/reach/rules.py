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
from typing import Any

from levels.common_rules import (
    LevelStepper,
    PhasedState,
    after_rest,
    best_draw,
    dwell_or_timeout,
    end_trial,
    params_from_level,
    placement_rng,
)
from levels.common_rules import screen_distance_norm as screen_distance_norm
from levels.events import CursorMoved, InputEvent
from levels.reach.schema import ReachLevel, ReachRegion
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
    """Where the level is: resting between targets, or a target shown."""

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
    region: ReachRegion = "whole"  # where targets appear, as the patient sees the screen (a mirror)
    max_target_distance_norm: float | None = None  # each target at most this far from the previous one (None: any)


def reach_params(level: ReachLevel, screen: ScreenShape) -> ReachParams:
    """Return the rules' parameters for ``level`` on a play area of ``screen``'s shape."""
    return params_from_level(ReachParams, level, screen)


@dataclass(frozen=True)
class ReachState(PhasedState[ReachParams]):
    """The level between two steps: the phase and its time, the target, the cursor and the hold on the target."""

    phase: Phase = Phase.RESTING
    target: tuple[float, float] | None = None
    cursor: tuple[float, float] | None = None
    dwell_s: float = 0.0

    @property
    def dwell_fraction(self) -> float:
        """How much of the dwell time the cursor has held the target (0 to 1)."""
        return min(self.dwell_s / self.params.dwell_time_s, 1.0)


def initial_state(params: ReachParams, *, seen: frozenset[Effector]) -> ReachState:
    """Return the level before its first target.

    ``seen``: the effectors seen now (none for a camera before the hand appears; the mouse is always seen).
    """
    return ReachState(params=params, progress=LevelProgress.start(params.trials, EFFECTOR, seen=seen))


def start(level: ReachLevel, screen: ScreenShape, seen: frozenset[Effector]) -> ReachState:
    """Return the initial state of ``level`` on ``screen``: the family's entry point (:mod:`levels.families`)."""
    return initial_state(reach_params(level, screen), seen=seen)


def _span(low: float, high: float, margin: float) -> tuple[float, float]:
    """Return where a target's centre may be for the target to lie wholly within ``low``..``high``.

    When the target is wider than the span, its middle.
    """
    if low + margin <= high - margin:
        return low + margin, high - margin
    middle = (low + high) / 2.0
    return middle, middle


def region_spans(params: ReachParams) -> tuple[tuple[float, float], tuple[float, float]]:
    """Return the x and y spans (screen 0..1) a target's centre may take.

    The target lies wholly on screen, below the status bar and within the level's region (``left``/``right``: a
    half of the width, as the patient sees the mirrored screen; ``upper``/``lower``: a half of the play area's
    height; ``whole``: all of it).
    """
    top, bottom = params.top_reserved_norm, 1.0
    left, right = 0.0, 1.0
    if params.region == "left":
        right = 0.5
    elif params.region == "right":
        left = 0.5
    elif params.region == "upper":
        bottom = (top + 1.0) / 2.0
    elif params.region == "lower":
        top = (top + 1.0) / 2.0
    margin_x = params.target_radius_norm / params.screen_aspect
    return _span(left, right, margin_x), _span(top, bottom, params.target_radius_norm)


def _distance_shortfall(params: ReachParams, distance: float) -> float:
    """Return how far ``distance`` lies outside the level's min..max target distance (0 when within)."""
    maximum = params.max_target_distance_norm if params.max_target_distance_norm is not None else math.inf
    return max(params.min_target_distance_norm - distance, distance - maximum, 0.0)


def target_for_trial(params: ReachParams, index: int, previous: tuple[float, float] | None) -> tuple[float, float]:
    """Return the target of trial ``index``.

    Seeded by (seed, index), wholly on screen, below the status bar and in the level's region, at least
    ``min_target_distance_norm`` and at most ``max_target_distance_norm`` from ``previous`` (or, when no draw of
    :data:`TARGET_DRAW_ATTEMPTS` is, the one nearest to that range). The first target (``previous`` None) keeps that
    distance from :data:`START_POSITION`, the screen centre, where the middle of the calibrated reach range maps: a
    target under a resting hand would be hit with no reach.

    Deterministic, so a test (or a therapist) can know every target of a level in advance.
    """
    rng = placement_rng(params.seed, index)
    (x_low, x_high), (y_low, y_high) = region_spans(params)

    def draw() -> tuple[float, float]:
        return float(rng.uniform(x_low, x_high)), float(rng.uniform(y_low, y_high))

    def shortfall(candidate: tuple[float, float]) -> float:
        distance = screen_distance_norm(candidate, previous or START_POSITION, params.screen_aspect)
        return _distance_shortfall(params, distance)

    return best_draw(draw, shortfall, TARGET_DRAW_ATTEMPTS)[0]


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
    """Apply the events: the cursor, the clock (seen, pause) and the source's end.

    The dwell starts again whenever the clock stops (the hand lost, a pause), even if it runs again within the same
    events.
    """
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
    x_norm, y_norm = state.target
    asked = {"target_x_norm": x_norm, "target_y_norm": y_norm, "target_radius_norm": state.params.target_radius_norm}
    points = HIT_POINTS if outcome is Outcome.HIT else 0
    rest: dict[str, Any] = {"phase": Phase.RESTING, "target": None, "dwell_s": 0.0}  # the rest after the target
    return end_trial(state, outcome, trial_s=state.phase_elapsed_s, points=points, params=asked, **rest)


def _advance(state: ReachState, dt_s: float) -> ReachState:
    """Return the state after ``dt_s`` seconds of running clock: the next target after the rest, or the dwell."""
    params = state.params
    if state.phase is Phase.RESTING:
        return after_rest(state, params.inter_trial_pause_s, _next_target)
    assert state.target is not None
    on_target = (
        state.cursor is not None
        and screen_distance_norm(state.cursor, state.target, params.screen_aspect) <= params.target_radius_norm
    )
    return dwell_or_timeout(
        state,
        dt_s,
        dwell_s=state.dwell_s,
        on_target=on_target,
        dwell_time_s=params.dwell_time_s,
        timeout_s=params.trial_timeout_s,
        end=_end_trial,
    )


def _next_target(state: ReachState) -> ReachState:
    """Return the state with the next target shown (far enough from the last one)."""
    previous = trial_target(state.progress.results[-1]) if state.progress.results else None
    target = target_for_trial(state.params, state.trial_index, previous)
    return replace(state, phase=Phase.REACHING, phase_elapsed_s=0.0, target=target, dwell_s=0.0)


# The family's step (:mod:`levels.families`): ``step(state, events, dt_s)`` advances the level by ``dt_s`` seconds
# of game time after applying ``events``.
step: LevelStepper[ReachState] = LevelStepper(_apply_events, _advance, _end_trial, frozenset({Phase.REACHING}))

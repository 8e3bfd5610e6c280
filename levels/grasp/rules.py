"""The grasp and release rules, pure and deterministic: ``step(state, events, dt_s) -> state``.

A ball and a goal appear. The patient moves the hand onto the ball with the hand open, closes it, and keeps it
closed for the grip hold time: the ball lifts and follows the hand. Opening the hand inside the goal delivers the
ball (a transport, :data:`DELIVERY_POINTS`); opening it anywhere else lets the ball slip back to where it was (a
drop, which costs nothing: the patient simply picks it up again). A ball not delivered within the trial timeout is
missed; the timeout is generous and never shown, because time pressure worsens dystonic symptoms.

Open or closed: from the raw grasp aperture of the tracked frames (``TrackedFrame.sample.signals.grasp``, 0 a
fist, 1 an open hand) with the level's own hysteresis thresholds, as soon as a frame carries it; otherwise (the
mouse: left button or Space) from :class:`levels.events.GraspChanged`.

The carry (from the lift to the release) is measured for the therapist: SPARC and LDLJ of the cursor's speed
(the cursor as the game shows it, sampled every step and resampled to :data:`CARRY_SAMPLE_HZ`), its duration and
path length, in :attr:`levels.trial.TrialResult.measures`, with the trial's drops and the seconds of a sensory trick
(``sensory_trick_s``, :class:`levels.sensory_trick.TrickTimer`). Screen positions are 0..1 of the width (x) and height
(y); distances and radii are in screen heights.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import numpy as np

from levels.common_rules import (
    LevelStepper,
    PhasedState,
    best_draw,
    end_trial,
    params_from_level,
    placement_rng,
)
from levels.common_rules import screen_distance_norm as screen_distance_norm
from levels.events import CursorMoved, GraspChanged, InputEvent, TrackedFrame
from levels.grasp.schema import GraspLevel
from levels.screen import ScreenShape
from levels.sensory_trick import TrickTimer
from levels.trial import LevelProgress, Outcome, Scalar
from tracking.smoothness import ldlj, sparc
from tracking.types import Effector, GraspState

# What the level moves: the hand (palm centre and aperture); the clock stops while it is not seen.
EFFECTOR = Effector.HAND
DELIVERY_POINTS = 100
# The hand touches the ball when the cursor's ring overlaps it: the cursor is drawn 1/40 of the height wide
# (game.theme.draw_cursor), so the grab reaches this far beyond the ball's edge.
GRAB_MARGIN_NORM = 0.025
# Attempts to place a ball and its goal wholly on screen before falling back to a level line across the middle.
PLACEMENT_ATTEMPTS = 64
# The carry's path is resampled to this rate before SPARC and LDLJ (both need evenly spaced samples); the game
# steps at about 60 Hz.
CARRY_SAMPLE_HZ = 60.0
# A carry shorter than this many resampled points (a quarter of a second) is too short for a speed spectrum.
MIN_CARRY_SAMPLES = 15

Point = tuple[float, float]


class Phase(enum.Enum):
    """Where a trial is."""

    RESTING = "resting"  # between balls (and before the first)
    REACHING = "reaching"  # a ball and a goal are shown; the ball waits to be picked up
    CARRYING = "carrying"  # the ball is in the hand


@dataclass(frozen=True)
class GraspParams:
    """Tuning of one play of the level (from the level file) and the play area's shape."""

    trials: int
    object_radius_norm: float
    goal_radius_norm: float
    carry_distance_norm: float
    grip_hold_time_s: float
    close_below_aperture: float
    open_above_aperture: float
    trial_timeout_s: float
    inter_trial_pause_s: float
    seed: int
    screen_aspect: float
    top_reserved_norm: float = 0.0  # the status bar's height (fraction of the screen height): nothing under it
    sensory_trick: str = "allowed"  # the level's word on the trick; its seconds are recorded whatever it says


def grasp_params(level: GraspLevel, screen: ScreenShape) -> GraspParams:
    """Return the rules' parameters for ``level`` on a play area of ``screen``'s shape."""
    return params_from_level(GraspParams, level, screen)


@dataclass(frozen=True)
class Hand:
    """The hand as the rules see it: open or closed, the last raw aperture, and where it first opened this step.

    ``uses_aperture`` turns true with the first tracked frame that carries an aperture; from then on the level's
    thresholds decide, and :class:`levels.events.GraspChanged` (the tracker's own thresholds) is ignored.
    """

    state: GraspState = GraspState.OPEN
    aperture: float | None = None
    uses_aperture: bool = False
    opened_at: Point | None = None  # the cursor when the hand opened during this step's events

    @property
    def closed(self) -> bool:
        """Whether the hand is closed."""
        return self.state is GraspState.CLOSED


@dataclass(frozen=True)
class GraspLevelState(PhasedState[GraspParams]):
    """The whole level: progress, phase, the ball and goal, the hand, and the current trial's measures."""

    phase: Phase = Phase.RESTING
    trial_elapsed_s: float = 0.0
    ball_home: Point | None = None  # where the ball waits (and goes back to after a drop)
    goal: Point | None = None
    cursor: Point | None = None
    hand: Hand = field(default_factory=Hand)
    armed: bool = False  # the hand has been open on the ball: closing it now grips
    grip_s: float = 0.0
    drops: int = 0
    lift_s: float | None = None  # trial time of the last lift
    carry_path: tuple[tuple[float, float, float], ...] = ()  # (level clock s, x, y in screen heights)
    trick: TrickTimer = field(default_factory=TrickTimer)  # seconds of this trial with a hand on the face

    @property
    def grip_fraction(self) -> float:
        """How far the grip is towards lifting the ball, 0..1."""
        return min(self.grip_s / self.params.grip_hold_time_s, 1.0)

    @property
    def ball(self) -> Point | None:
        """Where the ball is drawn: in the hand while carried, else at home (``None`` between trials)."""
        if self.phase is Phase.CARRYING and self.cursor is not None:
            return self.cursor
        return self.ball_home

    @property
    def on_ball(self) -> bool:
        """Whether the hand touches the waiting ball."""
        if self.phase is not Phase.REACHING or self.cursor is None or self.ball_home is None:
            return False
        reach_norm = self.params.object_radius_norm + GRAB_MARGIN_NORM
        return screen_distance_norm(self.cursor, self.ball_home, self.params.screen_aspect) <= reach_norm

    @property
    def in_goal(self) -> bool:
        """Whether the hand is inside the goal."""
        if self.cursor is None or self.goal is None:
            return False
        return screen_distance_norm(self.cursor, self.goal, self.params.screen_aspect) <= self.params.goal_radius_norm


def initial_state(params: GraspParams, *, seen: frozenset[Effector]) -> GraspLevelState:
    """Return the level before its first ball; ``seen``: the effectors the input sees now."""
    return GraspLevelState(params=params, progress=LevelProgress.start(params.trials, EFFECTOR, seen=seen))


def start(level: GraspLevel, screen: ScreenShape, seen: frozenset[Effector]) -> GraspLevelState:
    """Return the initial state of ``level`` on ``screen``: the family's entry point (:mod:`levels.families`)."""
    return initial_state(grasp_params(level, screen), seen=seen)


def _bounds(params: GraspParams) -> tuple[float, float, float, float]:
    """Return (x_min, x_max, y_min, y_max) for the centres of the ball and the goal: wholly on the play area."""
    margin = max(params.object_radius_norm, params.goal_radius_norm)
    margin_x = margin / params.screen_aspect
    return margin_x, 1.0 - margin_x, params.top_reserved_norm + margin, 1.0 - margin


def _inside(point: Point, bounds: tuple[float, float, float, float]) -> bool:
    x_min, x_max, y_min, y_max = bounds
    return x_min <= point[0] <= x_max and y_min <= point[1] <= y_max


def placement_for_trial(params: GraspParams, index: int) -> tuple[Point, Point]:
    """Return the (ball, goal) of trial ``index``: seeded by (seed, index), ``carry_distance_norm`` apart.

    Both lie wholly on the play area, below the status bar. When no seeded draw of :data:`PLACEMENT_ATTEMPTS` fits
    (a carry longer than the screen allows), the two sit on a level line across the middle, as far apart as the
    screen allows, the ball on the left for even trials and on the right for odd ones.
    """
    rng = placement_rng(params.seed, index)
    bounds = _bounds(params)
    x_min, x_max, y_min, y_max = bounds
    distance = params.carry_distance_norm

    def draw() -> tuple[Point, Point]:
        ball = (float(rng.uniform(x_min, x_max)), float(rng.uniform(y_min, y_max)))
        angle = float(rng.uniform(0.0, 2.0 * math.pi))
        return ball, (ball[0] + distance * math.cos(angle) / params.screen_aspect, ball[1] + distance * math.sin(angle))

    placement, off_screen = best_draw(draw, lambda drawn: 0.0 if _inside(drawn[1], bounds) else 1.0, PLACEMENT_ATTEMPTS)
    if off_screen == 0.0:
        return placement
    half_x = min(distance / params.screen_aspect, x_max - x_min) / 2.0
    middle_y = (y_min + y_max) / 2.0
    left, right = (0.5 - half_x, middle_y), (0.5 + half_x, middle_y)
    return (left, right) if index % 2 == 0 else (right, left)


def all_placements(params: GraspParams) -> list[tuple[Point, Point]]:
    """Return every (ball, goal) of the level, in order."""
    return [placement_for_trial(params, index) for index in range(params.trials)]


def _hand_after_aperture(hand: Hand, aperture: float, params: GraspParams) -> GraspState:
    """Return the open or closed state after ``aperture``, with the level's hysteresis thresholds."""
    if hand.state is GraspState.OPEN and aperture < params.close_below_aperture:
        return GraspState.CLOSED
    if hand.state is GraspState.CLOSED and aperture > params.open_above_aperture:
        return GraspState.OPEN
    return hand.state


def _take_hand(hand: Hand, event: InputEvent, cursor: Point | None, params: GraspParams) -> Hand:
    """Return the hand after ``event``; an opening records where the cursor was (a release point)."""
    new_state = hand.state
    if isinstance(event, TrackedFrame) and event.sample.signals.grasp is not None:
        aperture = event.sample.signals.grasp
        hand = replace(hand, aperture=aperture, uses_aperture=True)
        new_state = _hand_after_aperture(hand, aperture, params)
    elif isinstance(event, GraspChanged) and not hand.uses_aperture:
        new_state = event.state
    if new_state is hand.state:
        return hand
    opened = new_state is GraspState.OPEN and hand.opened_at is None and cursor is not None
    return replace(hand, state=new_state, opened_at=cursor if opened else hand.opened_at)


def _apply_events(state: GraspLevelState, events: Iterable[InputEvent]) -> GraspLevelState:
    """Apply the events: the cursor, the hand, the clock (seen, pause) and the source's end.

    The grip starts again whenever the clock stops (the hand lost, a pause).
    """
    progress, cursor, hand, grip_s, trick = state.progress, state.cursor, state.hand, state.grip_s, state.trick
    for event in events:
        if isinstance(event, CursorMoved):
            cursor = (event.x_norm, event.y_norm)
        hand = _take_hand(hand, event, cursor, state.params)
        trick = trick.take(event)
        progress = progress.take(event)
        if progress.frozen:
            grip_s = 0.0
    return replace(state, progress=progress, cursor=cursor, hand=hand, grip_s=grip_s, trick=trick)


def carry_measures(path: tuple[tuple[float, float, float], ...]) -> dict[str, Scalar]:
    """Return the carry's measures: duration, path length and, when long enough, SPARC and LDLJ of its speed.

    ``path`` holds (level clock s, x, y in screen heights). SPARC and LDLJ are left out (not guessed) for a carry
    shorter than :data:`MIN_CARRY_SAMPLES` resampled points or without movement.
    """
    if len(path) < 2:
        return {}
    samples = np.asarray(path, dtype=np.float64)
    t_s, x, y = samples[:, 0], samples[:, 1], samples[:, 2]
    measures: dict[str, Scalar] = {
        "carry_time_s": float(t_s[-1] - t_s[0]),
        "carry_path_length_norm": float(np.sum(np.hypot(np.diff(x), np.diff(y)))),
    }
    grid_s = np.arange(t_s[0], t_s[-1], 1.0 / CARRY_SAMPLE_HZ)
    if grid_s.size < MIN_CARRY_SAMPLES or np.any(np.diff(t_s) <= 0.0):
        return measures
    speed = np.hypot(np.diff(np.interp(grid_s, t_s, x)), np.diff(np.interp(grid_s, t_s, y))) * CARRY_SAMPLE_HZ
    try:
        measures["carry_sparc"] = sparc(speed, CARRY_SAMPLE_HZ)
        measures["carry_ldlj"] = ldlj(speed, CARRY_SAMPLE_HZ)
    except ValueError:  # no movement in the carry (the hand stood still): nothing to measure, nothing guessed
        measures.pop("carry_sparc", None)  # both or neither
    return measures


def _end_trial(state: GraspLevelState, outcome: Outcome) -> GraspLevelState:
    assert state.ball_home is not None and state.goal is not None
    params = state.params
    measures: dict[str, Scalar] = {"transport_drops": state.drops, "sensory_trick_s": state.trick.seconds}
    if state.lift_s is not None:
        measures["reach_and_grip_time_s"] = state.lift_s
    if outcome is Outcome.HIT:
        measures.update(carry_measures(state.carry_path))
    return end_trial(
        state,
        outcome,
        trial_s=state.trial_elapsed_s,
        points=DELIVERY_POINTS if outcome is Outcome.HIT else 0,
        params={
            "object_x_norm": state.ball_home[0],
            "object_y_norm": state.ball_home[1],
            "goal_x_norm": state.goal[0],
            "goal_y_norm": state.goal[1],
            "object_radius_norm": params.object_radius_norm,
            "goal_radius_norm": params.goal_radius_norm,
            "carry_distance_norm": screen_distance_norm(state.ball_home, state.goal, params.screen_aspect),
            "grip_hold_time_s": params.grip_hold_time_s,
            "close_below_aperture": params.close_below_aperture,
            "open_above_aperture": params.open_above_aperture,
            "sensory_trick": params.sensory_trick,
        },
        measures=measures,
        phase=Phase.RESTING,
        trial_elapsed_s=0.0,
        ball_home=None,
        goal=None,
        armed=False,
        grip_s=0.0,
        drops=0,
        lift_s=None,
        carry_path=(),
        trick=state.trick.restart(),
    )


def _reaching(state: GraspLevelState, dt_s: float) -> GraspLevelState:
    """Return the state after one step of reaching for the ball: arm on an open hand, grip on a closed one."""
    if not state.on_ball:
        return replace(state, armed=False, grip_s=0.0)
    if not state.hand.closed:
        return replace(state, armed=True, grip_s=0.0)
    if not state.armed:  # arrived with a closed hand: it must open over the ball first
        return replace(state, grip_s=0.0)
    grip_s = state.grip_s + dt_s
    if grip_s < state.params.grip_hold_time_s:
        return replace(state, grip_s=grip_s)
    return replace(
        state,
        phase=Phase.CARRYING,
        phase_elapsed_s=0.0,
        grip_s=0.0,
        armed=False,
        lift_s=state.trial_elapsed_s,
        carry_path=(_path_point(state),),
    )


def _path_point(state: GraspLevelState) -> tuple[float, float, float]:
    assert state.cursor is not None
    aspect = state.params.screen_aspect
    return (state.progress.clock.elapsed_s, state.cursor[0] * aspect, state.cursor[1])


def _carrying(state: GraspLevelState) -> GraspLevelState:
    """Return the state after one step of carrying: the ball follows the hand; opening delivers it or drops it."""
    if state.cursor is not None:
        state = replace(state, carry_path=(*state.carry_path, _path_point(state)))
    released_at = state.hand.opened_at
    if released_at is None and not state.hand.closed:
        released_at = state.cursor
    if released_at is None:
        return state
    assert state.goal is not None
    delivered = (
        screen_distance_norm(released_at, state.goal, state.params.screen_aspect) <= state.params.goal_radius_norm
    )
    if delivered:
        return _end_trial(state, Outcome.HIT)
    return replace(state, phase=Phase.REACHING, phase_elapsed_s=0.0, drops=state.drops + 1, carry_path=())


def _advance(state: GraspLevelState, dt_s: float) -> GraspLevelState:
    """Return the state after ``dt_s`` seconds of running clock (the level clock and the phase's time moved on)."""
    params = state.params
    in_trial = state.phase is not Phase.RESTING
    state = replace(
        state,
        trial_elapsed_s=state.trial_elapsed_s + dt_s if in_trial else 0.0,
        trick=state.trick.advance(dt_s) if in_trial else state.trick,
    )
    if state.phase is Phase.RESTING:
        if state.phase_elapsed_s < params.inter_trial_pause_s:
            return _forget_opening(state)
        ball, goal = placement_for_trial(params, state.trial_index)
        state = replace(state, phase=Phase.REACHING, phase_elapsed_s=0.0, ball_home=ball, goal=goal, armed=False)
        return _forget_opening(state)
    state = _reaching(state, dt_s) if state.phase is Phase.REACHING else _carrying(state)
    if state.phase is not Phase.RESTING and state.trial_elapsed_s >= params.trial_timeout_s:
        state = _end_trial(state, Outcome.MISSED)
    return _forget_opening(state)


def _forget_opening(state: GraspLevelState) -> GraspLevelState:
    """Return ``state`` with the step's opening of the hand forgotten (it counts in the step it happened in)."""
    return replace(state, hand=replace(state.hand, opened_at=None))


# The family's step (:mod:`levels.families`): ``step(state, events, dt_s)`` advances the level by ``dt_s`` seconds
# of game time after applying ``events``.
step: LevelStepper[GraspLevelState] = LevelStepper(
    _apply_events, _advance, _end_trial, frozenset({Phase.REACHING, Phase.CARRYING}), while_frozen=_forget_opening
)

"""The hold level's rules, pure and deterministic: ``step(state, events, dt_s) -> state``.

Each repetition: a rest, then the patient moves to the target posture (the head to target angles, or the hand to a
screen point); once within the tolerance the hold starts and lasts ``hold_time_s`` of level time. During the hold
the rules measure the fraction of time within the tolerance, the longest continuous time within it, and how often
the posture drifted out. A target not reached within ``trial_timeout_s`` is missed. The level clock stops while the
effector is not seen or the game is paused, so neither costs hold time; a loss ends the current continuous hold
(a hold is only counted while it is seen) but is not a drift.

Within the tolerance: the deviation (degrees between the head's angles and the target's, or the hand's distance
from the target in screen heights) at most the tolerance; after drifting out, back in only at
:data:`REENTRY_FRACTION` of it (hysteresis), so the tracker's jitter on the border is not counted as drifts.
Each completed hold scores up to :data:`HOLD_POINTS`, in proportion to the fraction held.

Each repetition records the seconds a sensory trick (a hand on the chin, cheek or jaw) was used, on the level clock,
in ``measures["sensory_trick_s"]``; a level whose ``sensory_trick`` is ``"not_allowed"`` does not count the hold as
within the tolerance while the hand is on the face (nor as a drift: the posture did not move).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable
from dataclasses import dataclass, replace

from levels.common_rules import LevelStepper, PhasedState, end_trial, params_from_level
from levels.events import CursorMoved, HeadPose, InputEvent
from levels.hold.schema import HoldLevel
from levels.screen import ScreenShape
from levels.sensory_trick import TrickTimer
from levels.trial import LevelProgress, Outcome, Scalar
from tracking.types import Effector, HeadAngles

# The family's effector in the registry: the catalogue's holds are head holds; a level may ask for the hand.
EFFECTOR = Effector.HEAD
HOLD_POINTS = 100
# Back within the tolerance only at 80% of it: head angles from Face Mesh jitter by about 1 degree at rest
# (tracking/head_pose.py's tests), so a 5-degree border needs a margin of that size to not count jitter as drifts.
REENTRY_FRACTION = 0.8
# Sums of frame times fall short of a whole second by rounding: a phase ends within a nanosecond of its time.
TIME_EPSILON_S = 1e-9


class Phase(enum.Enum):
    """Where a repetition is."""

    RESTING = "resting"  # between holds (and before the first)
    SETTLING = "settling"  # moving to the target posture
    HOLDING = "holding"  # the hold is under way


@dataclass(frozen=True)
class HoldParams:
    """Tuning of one play of the level: the target (head angles or a screen point) and its tolerance."""

    effector: Effector
    repetitions: int
    hold_time_s: float
    trial_timeout_s: float
    inter_trial_pause_s: float
    target_head: HeadAngles
    tolerance_deg: float
    target_point: tuple[float, float]
    tolerance_norm: float
    screen_aspect: float
    sensory_trick: str = "allowed"

    @property
    def tolerance(self) -> float:
        """The tolerance in the effector's unit: degrees for the head, screen heights for the hand."""
        return self.tolerance_deg if self.effector is Effector.HEAD else self.tolerance_norm

    @property
    def deviation_unit(self) -> str:
        """The unit suffix of the deviation measures: ``deg`` or ``norm`` (screen heights)."""
        return "deg" if self.effector is Effector.HEAD else "norm"


def hold_params(level: HoldLevel, screen: ScreenShape) -> HoldParams:
    """Return the rules' parameters for ``level`` on a play area of ``screen``'s shape."""
    return params_from_level(
        HoldParams,
        level,
        screen,
        effector=Effector(level.effector),
        target_head=HeadAngles(level.target_yaw_deg, level.target_pitch_deg, level.target_roll_deg),
        target_point=(level.target_x_norm, level.target_y_norm),
    )


@dataclass(frozen=True)
class HoldState(PhasedState[HoldParams]):
    """The level between two steps; ``hold_*`` fields measure the current hold."""

    phase: Phase = Phase.RESTING
    head: HeadAngles | None = None
    cursor: tuple[float, float] | None = None
    in_tolerance: bool = False
    settle_s: float = 0.0  # the current repetition's time to reach the target
    hold_in_s: float = 0.0
    hold_run_s: float = 0.0
    hold_longest_s: float = 0.0
    hold_drifts: int = 0
    hold_deviation_integral: float = 0.0  # deviation x seconds, for the mean
    trick: TrickTimer = TrickTimer()  # the sensory trick's seconds in this repetition

    @property
    def trick_blocks_hold(self) -> bool:
        """Whether the hold stops counting now: a hand on the face in a level that does not allow the trick."""
        return self.params.sensory_trick == "not_allowed" and self.trick.on_face

    @property
    def hold_fraction(self) -> float:
        """How much of the current hold has passed, 0..1 (the gauge's gentle ring, not a stopwatch)."""
        if self.phase is not Phase.HOLDING:
            return 0.0
        return min(self.phase_elapsed_s / self.params.hold_time_s, 1.0)

    @property
    def offset(self) -> tuple[float, float] | None:
        """Where the effector is relative to the target, in tolerances: x to the screen's right, y down.

        For the head, x is the turn to the patient's right (negative yaw: the mirror image the patient expects) and y
        is chin down; roll adds to the length only (:attr:`deviation`). ``None`` while nothing is known.
        """
        params = self.params
        if params.effector is Effector.HEAD:
            if self.head is None:
                return None
            target = params.target_head
            return (
                -(self.head.yaw_deg - target.yaw_deg) / params.tolerance_deg,
                -(self.head.pitch_deg - target.pitch_deg) / params.tolerance_deg,
            )
        if self.cursor is None:
            return None
        x_norm, y_norm = params.target_point
        return (
            (self.cursor[0] - x_norm) * params.screen_aspect / params.tolerance_norm,
            (self.cursor[1] - y_norm) / params.tolerance_norm,
        )

    @property
    def deviation(self) -> float | None:
        """How far the effector is from the target: degrees (all three head angles) or screen heights."""
        params = self.params
        if params.effector is Effector.HEAD:
            if self.head is None:
                return None
            target = params.target_head
            return math.sqrt(
                (self.head.yaw_deg - target.yaw_deg) ** 2
                + (self.head.pitch_deg - target.pitch_deg) ** 2
                + (self.head.roll_deg - target.roll_deg) ** 2
            )
        if self.cursor is None:
            return None
        x_norm, y_norm = params.target_point
        return math.hypot((self.cursor[0] - x_norm) * params.screen_aspect, self.cursor[1] - y_norm)


def initial_state(params: HoldParams, *, seen: frozenset[Effector]) -> HoldState:
    """Return the level before its first hold; ``seen``: the effectors seen now."""
    return HoldState(params=params, progress=LevelProgress.start(params.repetitions, params.effector, seen=seen))


def start(level: HoldLevel, screen: ScreenShape, seen: frozenset[Effector]) -> HoldState:
    """Return the initial state of ``level`` on ``screen`` (the family's entry point, :mod:`levels.families`)."""
    return initial_state(hold_params(level, screen), seen=seen)


def within(deviation: float | None, tolerance: float, *, was_in: bool) -> bool:
    """Whether a ``deviation`` counts as within ``tolerance``, with the re-entry hysteresis after drifting out."""
    if deviation is None:
        return False
    return deviation <= (tolerance if was_in else tolerance * REENTRY_FRACTION)


def _apply_events(state: HoldState, events: Iterable[InputEvent]) -> HoldState:
    progress, head, cursor, run_s = state.progress, state.head, state.cursor, state.hold_run_s
    in_tolerance, trick = state.in_tolerance, state.trick
    for event in events:
        trick = trick.take(event)
        if isinstance(event, HeadPose):
            head = event.angles
        elif isinstance(event, CursorMoved):
            cursor = (event.x_norm, event.y_norm)
        progress = progress.take(event)
        if not progress.clock.effector_seen:
            run_s, in_tolerance = 0.0, False  # a hold counts only while it is seen; a loss is not a drift
    return replace(
        state, progress=progress, head=head, cursor=cursor, hold_run_s=run_s, in_tolerance=in_tolerance, trick=trick
    )


def _trial_params(params: HoldParams) -> dict[str, Scalar]:
    common: dict[str, Scalar] = {
        "effector": params.effector.value,
        "hold_time_s": params.hold_time_s,
        "sensory_trick": params.sensory_trick,
    }
    if params.effector is Effector.HEAD:
        return {
            **common,
            "target_yaw_deg": params.target_head.yaw_deg,
            "target_pitch_deg": params.target_head.pitch_deg,
            "target_roll_deg": params.target_head.roll_deg,
            "tolerance_deg": params.tolerance_deg,
        }
    return {
        **common,
        "target_x_norm": params.target_point[0],
        "target_y_norm": params.target_point[1],
        "tolerance_norm": params.tolerance_norm,
    }


def _measures(state: HoldState) -> dict[str, Scalar]:
    held_s = state.phase_elapsed_s if state.phase is Phase.HOLDING else 0.0
    measures: dict[str, Scalar] = {
        "hold_settle_s": state.settle_s,
        "hold_drifts_out": state.hold_drifts,
        "sensory_trick_s": state.trick.seconds,
    }
    if held_s > 0.0:
        measures["hold_in_tolerance_fraction"] = min(state.hold_in_s / held_s, 1.0)
        measures["hold_longest_s"] = state.hold_longest_s
        measures[f"hold_mean_deviation_{state.params.deviation_unit}"] = state.hold_deviation_integral / held_s
    return measures


def _end_trial(state: HoldState, outcome: Outcome) -> HoldState:
    measures = _measures(state)
    fraction = float(measures.get("hold_in_tolerance_fraction", 0.0))
    return end_trial(
        state,
        outcome,
        trial_s=state.phase_elapsed_s + (state.settle_s if state.phase is Phase.HOLDING else 0.0),
        points=round(HOLD_POINTS * fraction) if outcome is Outcome.HIT else 0,
        params=_trial_params(state.params),
        measures=measures,
        phase=Phase.RESTING,
        settle_s=0.0,
        hold_in_s=0.0,
        hold_run_s=0.0,
        hold_longest_s=0.0,
        hold_drifts=0,
        hold_deviation_integral=0.0,
        trick=state.trick.restart(),
    )


def _hold(state: HoldState, dt_s: float, deviation: float | None, was_in: bool) -> HoldState:
    """One step of the hold: the time within the tolerance, the current and longest runs, drifts out."""
    drifted = 1 if was_in and not state.in_tolerance else 0
    if state.in_tolerance and not state.trick_blocks_hold:
        run_s = state.hold_run_s + dt_s
        state = replace(
            state, hold_in_s=state.hold_in_s + dt_s, hold_run_s=run_s, hold_longest_s=max(state.hold_longest_s, run_s)
        )
    else:
        state = replace(state, hold_run_s=0.0)
    state = replace(state, hold_drifts=state.hold_drifts + drifted)
    if deviation is not None:
        state = replace(state, hold_deviation_integral=state.hold_deviation_integral + deviation * dt_s)
    if state.phase_elapsed_s >= state.params.hold_time_s - TIME_EPSILON_S:
        return _end_trial(state, Outcome.HIT)
    return state


def _advance(state: HoldState, dt_s: float) -> HoldState:
    """Return the state after ``dt_s`` seconds of running clock: the next repetition after the rest, or its step."""
    state = replace(state, trick=state.trick.advance(dt_s) if state.phase is not Phase.RESTING else state.trick)
    params = state.params
    if state.phase is Phase.RESTING:
        if state.phase_elapsed_s >= params.inter_trial_pause_s - TIME_EPSILON_S:
            return replace(
                state, phase=Phase.SETTLING, phase_elapsed_s=0.0, in_tolerance=False, trick=state.trick.restart()
            )
        return state
    deviation = state.deviation
    was_in = state.in_tolerance
    state = replace(state, in_tolerance=within(deviation, params.tolerance, was_in=was_in))
    if state.phase is Phase.SETTLING:
        if state.in_tolerance and not state.trick_blocks_hold:
            return replace(state, phase=Phase.HOLDING, settle_s=state.phase_elapsed_s, phase_elapsed_s=0.0)
        if state.phase_elapsed_s >= params.trial_timeout_s - TIME_EPSILON_S:
            return _end_trial(state, Outcome.MISSED)
        return state
    return _hold(state, dt_s, deviation, was_in)


# The family's step (:mod:`levels.families`): ``step(state, events, dt_s)`` advances the level by ``dt_s`` seconds
# of game time after applying ``events``.
step: LevelStepper[HoldState] = LevelStepper(
    _apply_events, _advance, _end_trial, frozenset({Phase.SETTLING, Phase.HOLDING})
)

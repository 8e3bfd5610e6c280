"""The head control level's rules, pure and deterministic: ``step(state, events, dt_s) -> state``.

The patient steers a head cursor with head yaw and pitch (relative to the calibrated neutral posture) onto a target
and holds it there for the dwell time (``goal = "targets"``), or through a short path of gates from neutral outwards,
each the way its arrow points (``goal = "gates"``, :mod:`levels.head.gates`). The whole screen spans
:data:`YAW_ROM_DEG` and :data:`PITCH_ROM_DEG` each way (the head turned as far as a patient can while still seeing
the screen); targets and gates lie within the level's ``range_fraction`` of the patient's own range of motion each
way (``range_left_deg`` ...: from the latest assessment, :mod:`levels.head.personal`; the screen's span where it is
not known, and never beyond the screen), shifted by ``bias_yaw`` / ``bias_pitch`` to train against the dystonic
pull (targets away from the resting deviation). The level clock stops while the face is not seen or the game is
paused.

A path of gates is one trial: each gate has ``gate_time_s`` of level clock to be passed before it slips by and the
next one comes; the trial is a hit when every gate was passed and scores :data:`GATE_POINTS` for each passed gate.
A move of the cursor across a gap in the level clock (the face lost, a pause) passes nothing: the cursor's last
point is forgotten while the clock stands still.

Screen mapping, as in a mirror: turning to the patient's left (positive yaw) moves the cursor to the left of the
screen, chin up (positive pitch) moves it up. Each trial records the seconds a sensory trick (a hand on the face)
was used, counted on the level clock, in ``measures["sensory_trick_s"]``; a level whose ``sensory_trick`` is
``"not_allowed"`` does not fill a target while the hand is on the face.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np

from levels import common_rules
from levels.events import HeadPose, InputEvent, TrackedFrame
from levels.head.gates import SWAY_STREAM, Crossing, Gate, gate_path
from levels.head.schema import GATE_FIELDS, TARGET_FIELDS, HeadLevel
from levels.screen import ScreenShape
from levels.sensory_trick import TrickTimer
from levels.trial import LevelProgress, Outcome
from tracking.types import Effector, HeadAngles

EFFECTOR = Effector.HEAD
HIT_POINTS = 100
# Points for each gate passed: a path of three gates passed scores 150, a target's 100 and a bit.
GATE_POINTS = 50
# The default active range of motion each way from neutral, used until an assessment measures the patient's own.
# Healthy adults turn ~70-80 deg and flex/extend ~50-70 deg each way (Youdas et al. 1992, Phys Ther 72:770); people
# with cervical dystonia have less, and a game should ask only a comfortable part of it: about half of the healthy
# range, yaw +-40 deg and pitch +-25 deg (pitch less: looking up and down at a screen is limited by the screen).
YAW_ROM_DEG = 40.0
PITCH_ROM_DEG = 25.0
# A target at least this far from neutral (a fraction of the level's range): a target under the resting head would
# be hit with no movement.
MIN_TARGET_OFFSET_FRACTION = 0.4
# Attempts to draw a target far enough from neutral before accepting the farthest candidate.
TARGET_DRAW_ATTEMPTS = 64


@dataclass(frozen=True)
class RangeOfMotion:
    """How far the head turns each way from neutral, degrees: the whole screen spans it."""

    yaw_deg: float = YAW_ROM_DEG
    pitch_deg: float = PITCH_ROM_DEG


DEFAULT_ROM = RangeOfMotion()


@dataclass(frozen=True)
class TargetExtents:
    """How far targets (and a path's last gate) may go each way from neutral, degrees: the level's concrete range.

    Positive yaw is the patient's left, positive pitch chin up (as :class:`tracking.types.HeadAngles`).
    """

    left_deg: float
    right_deg: float
    up_deg: float
    down_deg: float

    def scale(self, unit: HeadAngles) -> HeadAngles:
        """Return the angles of ``unit`` (-1..1 each way, in units of the extents)."""
        yaw = unit.yaw_deg * (self.left_deg if unit.yaw_deg >= 0 else self.right_deg)
        pitch = unit.pitch_deg * (self.up_deg if unit.pitch_deg >= 0 else self.down_deg)
        return HeadAngles(yaw, pitch, 0.0)


def target_extents(level: HeadLevel, rom: RangeOfMotion = DEFAULT_ROM) -> TargetExtents:
    """Return the level's extents: ``range_fraction`` of the patient's range each way, within the screen's span.

    A way the level does not know the patient's range of (``range_left_deg`` ... unset) uses the screen's span.
    """

    def way(patient_deg: float | None, screen_deg: float) -> float:
        known = screen_deg if patient_deg is None else min(patient_deg, screen_deg)
        return level.range_fraction * known

    return TargetExtents(
        left_deg=way(level.range_left_deg, rom.yaw_deg),
        right_deg=way(level.range_right_deg, rom.yaw_deg),
        up_deg=way(level.range_up_deg, rom.pitch_deg),
        down_deg=way(level.range_down_deg, rom.pitch_deg),
    )


def head_to_screen(angles: HeadAngles, rom: RangeOfMotion = DEFAULT_ROM) -> tuple[float, float]:
    """Return the screen point (0..1, clipped) of head ``angles``: yaw left -> screen left, chin up -> screen up."""
    x_norm = 0.5 - angles.yaw_deg / (2.0 * rom.yaw_deg)
    y_norm = 0.5 - angles.pitch_deg / (2.0 * rom.pitch_deg)
    return min(max(x_norm, 0.0), 1.0), min(max(y_norm, 0.0), 1.0)


def screen_to_head(point_norm: tuple[float, float], rom: RangeOfMotion = DEFAULT_ROM) -> HeadAngles:
    """Return the head angles whose cursor is at ``point_norm`` (the inverse of :func:`head_to_screen`)."""
    yaw_deg = (0.5 - point_norm[0]) * 2.0 * rom.yaw_deg
    pitch_deg = (0.5 - point_norm[1]) * 2.0 * rom.pitch_deg
    return HeadAngles(yaw_deg, pitch_deg, 0.0)


@dataclass(frozen=True)
class HeadParams:
    """Tuning of one play of the level (from the level file), the range of motion and the screen's shape."""

    trials: int
    range_fraction: float
    bias_yaw: float
    bias_pitch: float
    target_radius_norm: float
    dwell_time_s: float
    trial_timeout_s: float
    inter_trial_pause_s: float
    seed: int
    screen_aspect: float
    top_reserved_norm: float = 0.0
    sensory_trick: str = "allowed"
    rom: RangeOfMotion = DEFAULT_ROM
    goal: str = "targets"
    gates_per_trial: int = 0
    gate_width_norm: float = 0.0
    gate_time_s: float = 0.0
    extents: TargetExtents | None = None  # None: range_fraction of ``rom`` each way

    @property
    def gates(self) -> bool:
        """True when the level's goal is paths of gates."""
        return self.goal == "gates"

    @property
    def margin_norm(self) -> float:
        """How far a target's (or a last gate's) centre stays from the screen's edges, screen heights."""
        return self.gate_width_norm / 2.0 if self.gates else self.target_radius_norm

    @property
    def reach(self) -> TargetExtents:
        """The extents targets lie within, degrees each way."""
        if self.extents is not None:
            return self.extents
        yaw_deg, pitch_deg = self.range_fraction * self.rom.yaw_deg, self.range_fraction * self.rom.pitch_deg
        return TargetExtents(yaw_deg, yaw_deg, pitch_deg, pitch_deg)


def head_params(level: HeadLevel, screen: ScreenShape, rom: RangeOfMotion = DEFAULT_ROM) -> HeadParams:
    """Return the rules' parameters for ``level`` on a play area of ``screen``'s shape.

    The fields of the goal the level does not have are 0 (a targets level has no gates).
    """
    unset = {name: 0 for name in (*TARGET_FIELDS, *GATE_FIELDS) if getattr(level, name) is None}
    extents = target_extents(level, rom)
    return common_rules.params_from_level(HeadParams, level, screen, rom=rom, extents=extents, **unset)


class Phase(enum.Enum):
    """Where the level is: resting between targets, or steering to a target."""

    RESTING = "resting"
    STEERING = "steering"


@dataclass(frozen=True)
class HeadState(common_rules.PhasedState[HeadParams]):
    """The head level between two steps."""

    phase: Phase = Phase.RESTING
    target: HeadAngles | None = None
    head: HeadAngles | None = None
    dwell_s: float = 0.0
    trick: TrickTimer = TrickTimer()
    tracked: bool = False  # a tracked frame arrived: a real head (camera, video, recording), not the mouse
    gates: tuple[Gate, ...] = ()  # the path of gates under way (goal gates)
    gate_index: int = 0  # the gate to pass next
    gate_elapsed_s: float = 0.0  # level time since the current gate came up
    gates_passed: tuple[bool, ...] = ()  # each gate of the path so far: passed or slipped by
    last_cursor: tuple[float, float] | None = None  # the cursor at the last running step (None after a gap)

    @property
    def current_gate(self) -> Gate | None:
        """The gate to pass next, or ``None`` (no path under way)."""
        return self.gates[self.gate_index] if self.gate_index < len(self.gates) else None

    @property
    def gate_time_fraction(self) -> float:
        """How much of the current gate's time is left, 1..0."""
        if self.params.gate_time_s <= 0.0:
            return 0.0
        return max(0.0, 1.0 - self.gate_elapsed_s / self.params.gate_time_s)

    @property
    def dwell_fraction(self) -> float:
        """How full the target is, 0..1."""
        return min(self.dwell_s / self.params.dwell_time_s, 1.0)

    @property
    def cursor(self) -> tuple[float, float] | None:
        """The head cursor on the screen, or ``None`` before the first head pose."""
        return None if self.head is None else head_to_screen(self.head, self.params.rom)

    @property
    def target_point(self) -> tuple[float, float] | None:
        """The target on the screen, or ``None`` between targets."""
        return None if self.target is None else head_to_screen(self.target, self.params.rom)

    @property
    def trick_blocks_dwell(self) -> bool:
        """True while a hand is on the face in a level that asks to do without it."""
        return self.params.sensory_trick == "not_allowed" and self.trick.on_face


def start(level: HeadLevel, screen: ScreenShape, seen: frozenset[Effector]) -> HeadState:
    """Return the initial state of ``level`` on ``screen`` (the family's entry point, :mod:`levels.families`)."""
    params = head_params(level, screen)
    return HeadState(params=params, progress=LevelProgress.start(params.trials, EFFECTOR, seen=seen))


def _biased(unit: float, bias: float) -> float:
    """Return ``unit`` (-1..1) squeezed into the interval of width ``2 (1 - |bias|)`` shifted by ``bias``."""
    return unit * (1.0 - abs(bias)) + bias


def _on_screen(params: HeadParams, angles: HeadAngles) -> HeadAngles:
    """Return ``angles`` moved so that the target lies wholly on screen and below the status bar."""
    (x_min, y_min), (x_max, y_max) = _bounds(params)
    x_norm, y_norm = head_to_screen(angles, params.rom)
    x_norm = min(max(x_norm, x_min), x_max)
    y_norm = min(max(y_norm, y_min), y_max)
    return screen_to_head((x_norm, y_norm), params.rom)


def _bounds(params: HeadParams) -> tuple[tuple[float, float], tuple[float, float]]:
    """Return the box ((x_min, y_min), (x_max, y_max), screen 0..1) a target's or a gate's centre stays within."""
    margin_x = params.margin_norm / params.screen_aspect
    return (margin_x, params.top_reserved_norm + params.margin_norm), (1.0 - margin_x, 1.0 - params.margin_norm)


def target_for_trial(params: HeadParams, index: int) -> HeadAngles:
    """Return the target of trial ``index``, seeded by (seed, index).

    Within the level's range and bias, on screen, and at least :data:`MIN_TARGET_OFFSET_FRACTION` of the range
    from neutral (or the farthest of the draws). Deterministic: a test or a therapist can know every target.
    """
    rng = common_rules.placement_rng(params.seed, index)

    def draw() -> HeadAngles:  # in units of the level's range, each way
        yaw_unit = _biased(float(rng.uniform(-1.0, 1.0)), params.bias_yaw)
        return HeadAngles(yaw_unit, _biased(float(rng.uniform(-1.0, 1.0)), params.bias_pitch), 0.0)

    def too_near(unit: HeadAngles) -> float:
        return max(MIN_TARGET_OFFSET_FRACTION - math.hypot(unit.yaw_deg, unit.pitch_deg), 0.0)

    best, _ = common_rules.best_draw(draw, too_near, TARGET_DRAW_ATTEMPTS)
    return _on_screen(params, params.reach.scale(best))


def all_targets(params: HeadParams) -> list[HeadAngles]:
    """Return every target of the level, in order (for gates: each path's last gate)."""
    return [target_for_trial(params, index) for index in range(params.trials)]


def gates_for_trial(params: HeadParams, index: int) -> tuple[Gate, ...]:
    """Return the path of gates of trial ``index``: from neutral (the screen's centre) to its target, seeded."""
    goal = head_to_screen(target_for_trial(params, index), params.rom)
    return gate_path(
        (0.5, 0.5),
        goal,
        gates=params.gates_per_trial,
        width_norm=params.gate_width_norm,
        aspect=params.screen_aspect,
        rng=np.random.default_rng([params.seed, index, SWAY_STREAM]),
        bounds=_bounds(params),
    )


def _apply_events(state: HeadState, events: Iterable[InputEvent]) -> HeadState:
    """Return the state after ``events``: the head, the trick, the clock and the source's end.

    The dwell starts again whenever the clock stops (the face lost, a pause).
    """
    progress, head, dwell_s, trick, tracked = state.progress, state.head, state.dwell_s, state.trick, state.tracked
    for event in events:
        if isinstance(event, HeadPose):
            head = event.angles
        elif isinstance(event, TrackedFrame):
            tracked = True
        trick = trick.take(event)
        progress = progress.take(event)
        if progress.frozen:
            dwell_s = 0.0
    return replace(state, progress=progress, head=head, dwell_s=dwell_s, trick=trick, tracked=tracked)


def _end_trial(state: HeadState, outcome: Outcome) -> HeadState:
    assert state.target is not None
    params = state.params
    point = head_to_screen(state.target, params.rom)
    reach = params.reach
    trial_params: dict[str, float | int | str] = {
        "goal": params.goal,
        "target_yaw_deg": state.target.yaw_deg,
        "target_pitch_deg": state.target.pitch_deg,
        "target_x_norm": point[0],
        "target_y_norm": point[1],
        "range_fraction": params.range_fraction,
        "reach_left_deg": reach.left_deg,
        "reach_right_deg": reach.right_deg,
        "reach_up_deg": reach.up_deg,
        "reach_down_deg": reach.down_deg,
        "bias_yaw": params.bias_yaw,
        "bias_pitch": params.bias_pitch,
        "sensory_trick": params.sensory_trick,
    }
    measures: dict[str, float | int] = {"sensory_trick_s": state.trick.seconds}
    if params.gates:
        trial_params.update(
            gates_per_trial=params.gates_per_trial,
            gate_width_norm=params.gate_width_norm,
            gate_time_s=params.gate_time_s,
        )
        passed = sum(state.gates_passed)
        measures.update(gates_passed=passed, gates_slipped=len(state.gates_passed) - passed)
        points = GATE_POINTS * passed
    else:
        trial_params["target_radius_norm"] = params.target_radius_norm
        points = HIT_POINTS if outcome is Outcome.HIT else 0
    return common_rules.end_trial(
        state,
        outcome,
        trial_s=state.phase_elapsed_s,
        points=points,
        params=trial_params,
        measures=measures,
        phase=Phase.RESTING,
        target=None,
        dwell_s=0.0,
        trick=state.trick.restart(),
        gates=(),
        gate_index=0,
        gate_elapsed_s=0.0,
    )


def _on_target(state: HeadState) -> bool:
    cursor, target = state.cursor, state.target_point
    if cursor is None or target is None:
        return False
    return (
        common_rules.screen_distance_norm(cursor, target, state.params.screen_aspect) <= state.params.target_radius_norm
    )


def _advance(state: HeadState, dt_s: float) -> HeadState:
    """Return the state after ``dt_s`` seconds of running clock: the next target after the rest, or the dwell."""
    params = state.params
    if state.phase is Phase.RESTING:
        resting = replace(state, last_cursor=state.cursor)
        return common_rules.after_rest(resting, params.inter_trial_pause_s, _next_target)
    state = replace(state, trick=state.trick.advance(dt_s))
    if params.gates:
        return _steer_through_gates(state, dt_s)
    return common_rules.dwell_or_timeout(
        state,
        dt_s,
        dwell_s=state.dwell_s,
        on_target=_on_target(state) and not state.trick_blocks_dwell,
        dwell_time_s=params.dwell_time_s,
        timeout_s=params.trial_timeout_s,
        end=_end_trial,
    )


def _steer_through_gates(state: HeadState, dt_s: float) -> HeadState:
    """Return the state after ``dt_s`` seconds of a path of gates: the current gate passed, slipped by, or waiting.

    The gate is passed when the cursor's move since the last step crossed it between its posts, its way (not while
    a hand on the face blocks a level without the trick); it slips by when the move went round it or its time ran
    out. The trial ends after its last gate: a hit when every gate was passed.
    """
    gate = state.current_gate
    assert gate is not None
    before, after = state.last_cursor, state.cursor
    state = replace(state, last_cursor=after, gate_elapsed_s=state.gate_elapsed_s + dt_s)
    crossing = Crossing.NONE
    if before is not None and after is not None and not state.trick_blocks_dwell:
        crossing = gate.crossing(before, after, state.params.screen_aspect)
    if crossing is Crossing.NONE and state.gate_elapsed_s < state.params.gate_time_s:
        return state
    passed = (*state.gates_passed, crossing is Crossing.PASSED)
    state = replace(state, gates_passed=passed, gate_index=state.gate_index + 1, gate_elapsed_s=0.0)
    if state.current_gate is not None:
        return state
    return _end_trial(state, Outcome.HIT if all(passed) else Outcome.MISSED)


def _next_target(state: HeadState) -> HeadState:
    """Return the state with the next target (or path of gates) shown and the trick's seconds counted afresh."""
    target = target_for_trial(state.params, state.trial_index)
    gates = gates_for_trial(state.params, state.trial_index) if state.params.gates else ()
    return replace(
        state,
        phase=Phase.STEERING,
        phase_elapsed_s=0.0,
        target=target,
        dwell_s=0.0,
        trick=state.trick.restart(),
        gates=gates,
        gate_index=0,
        gate_elapsed_s=0.0,
        gates_passed=(),
    )


def _forget_cursor(state: HeadState) -> HeadState:
    """Return the state while the level clock stands still: the cursor's last point forgotten (a gap passes nothing)."""
    return state if state.last_cursor is None else replace(state, last_cursor=None)


# The family's step (:mod:`levels.families`): ``step(state, events, dt_s)`` advances the level by ``dt_s`` seconds
# of game time after applying ``events``.
step: common_rules.LevelStepper[HeadState] = common_rules.LevelStepper(
    _apply_events, _advance, _end_trial, frozenset({Phase.STEERING}), while_frozen=_forget_cursor
)

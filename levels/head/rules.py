"""The head control level's rules, pure and deterministic: ``step(state, events, dt_s) -> state``.

The patient steers a head cursor with head yaw and pitch (relative to the calibrated neutral posture) onto a target
and holds it there for the dwell time. The whole screen spans the patient's range of motion (:data:`YAW_ROM_DEG`,
:data:`PITCH_ROM_DEG` each way until an assessment measures the patient's own), and targets lie within the level's
``range_fraction`` of it, shifted by ``bias_yaw`` / ``bias_pitch`` to train against the dystonic pull (targets
away from the resting deviation). The level clock stops while the face is not seen or the game is paused.

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

from levels import common_rules
from levels.events import HeadPose, InputEvent, TrackedFrame
from levels.head.schema import HeadLevel
from levels.screen import ScreenShape
from levels.sensory_trick import TrickTimer
from levels.trial import LevelProgress, Outcome
from tracking.types import Effector, HeadAngles

EFFECTOR = Effector.HEAD
HIT_POINTS = 100
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


def head_params(level: HeadLevel, screen: ScreenShape, rom: RangeOfMotion = DEFAULT_ROM) -> HeadParams:
    """Return the rules' parameters for ``level`` on a play area of ``screen``'s shape."""
    return common_rules.params_from_level(HeadParams, level, screen, rom=rom)


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
    x_norm, y_norm = head_to_screen(angles, params.rom)
    margin_x = params.target_radius_norm / params.screen_aspect
    top_y = params.top_reserved_norm + params.target_radius_norm
    x_norm = min(max(x_norm, margin_x), 1.0 - margin_x)
    y_norm = min(max(y_norm, top_y), 1.0 - params.target_radius_norm)
    return screen_to_head((x_norm, y_norm), params.rom)


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
    scale_yaw = params.range_fraction * params.rom.yaw_deg
    scale_pitch = params.range_fraction * params.rom.pitch_deg
    return _on_screen(params, HeadAngles(best.yaw_deg * scale_yaw, best.pitch_deg * scale_pitch, 0.0))


def all_targets(params: HeadParams) -> list[HeadAngles]:
    """Return every target of the level, in order."""
    return [target_for_trial(params, index) for index in range(params.trials)]


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
    point = head_to_screen(state.target, state.params.rom)
    return common_rules.end_trial(
        state,
        outcome,
        trial_s=state.phase_elapsed_s,
        points=HIT_POINTS if outcome is Outcome.HIT else 0,
        params={
            "target_yaw_deg": state.target.yaw_deg,
            "target_pitch_deg": state.target.pitch_deg,
            "target_x_norm": point[0],
            "target_y_norm": point[1],
            "target_radius_norm": state.params.target_radius_norm,
            "range_fraction": state.params.range_fraction,
            "bias_yaw": state.params.bias_yaw,
            "bias_pitch": state.params.bias_pitch,
            "sensory_trick": state.params.sensory_trick,
        },
        measures={"sensory_trick_s": state.trick.seconds},
        phase=Phase.RESTING,
        target=None,
        dwell_s=0.0,
        trick=state.trick.restart(),
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
        return common_rules.after_rest(state, params.inter_trial_pause_s, _next_target)
    state = replace(state, trick=state.trick.advance(dt_s))
    return common_rules.dwell_or_timeout(
        state,
        dt_s,
        dwell_s=state.dwell_s,
        on_target=_on_target(state) and not state.trick_blocks_dwell,
        dwell_time_s=params.dwell_time_s,
        timeout_s=params.trial_timeout_s,
        end=_end_trial,
    )


def _next_target(state: HeadState) -> HeadState:
    """Return the state with the next target shown and the trick's seconds counted afresh."""
    target = target_for_trial(state.params, state.trial_index)
    return replace(
        state, phase=Phase.STEERING, phase_elapsed_s=0.0, target=target, dwell_s=0.0, trick=state.trick.restart()
    )


# The family's step (:mod:`levels.families`): ``step(state, events, dt_s)`` advances the level by ``dt_s`` seconds
# of game time after applying ``events``.
step: common_rules.LevelStepper[HeadState] = common_rules.LevelStepper(
    _apply_events, _advance, _end_trial, frozenset({Phase.STEERING})
)

"""The breathe level's rules, pure and deterministic: ``step(state, events, dt_s) -> state``.

After a quiet lead-in, a guide paces the breaths: breathe in for ``inhale_fraction`` of each cycle, out for the
rest. Each breath cycle is a trial (all the same length, back to back; a cycle cut short by the end of the source
is unfinished). The level clock, and with it the guide, stops while the head is not seen or the game is paused.

Stillness biofeedback: :attr:`BreatheState.motion_level` is 0 while the body is still and 1 at the size of motion
counted as a break of the rest. It is the distance between a fast and a slow moving average of the head's angles
(degrees, over :data:`HEAD_MOTION_DEG`) and of the palm centre (over :data:`PALM_MOTION_NORM`), the larger of the
two: jitter averages out, slow settling is followed by the slow average, a movement shows. It comes from the raw
tracked frames (camera, video, recording); with the mouse, which has none, from the head angles and the cursor the
mouse produces. A break is counted when the level rises above 1, and counted again only after it has fallen below
:data:`BREAK_REARM_LEVEL`.

Measures of each breath (``TrialResult.measures``, from raw tracked frames only, so absent with the mouse):

- ``stillness_rms_head_deg``: RMS of the head's yaw, pitch and roll about their mean over the breath, degrees;
- ``stillness_rms_hand_image_norm``: RMS of the palm centre about its mean, normalised image coordinates (x in
  image widths, y in image heights: the aspect is not known to the rules);
- ``rest_breaks``: breaks of the stillness during the breath (also with the mouse);
- ``sensory_trick_s``: seconds of the breath with a hand on the face (the sensory trick, counted whatever the level's
  ``sensory_trick`` says: a rest allows it);
- ``breathing_rate_per_min``: the rate estimated over the last :data:`RATE_WINDOW_S` from the face's rise and fall
  (``breathing_rate_from = "face"``) or, when the pose model runs, the shoulders' (``"shoulders"``)
  (:mod:`levels.breathe.rate`; absent when no clear rhythm is found).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import partial

from levels.breathe.rate import estimate_breathing_rate_per_min, face_height_norm, shoulder_height_norm
from levels.breathe.schema import BreatheLevel
from levels.common_rules import LevelStepper, PhasedState, end_trial, params_from_level
from levels.events import CursorMoved, HeadPose, InputEvent, TrackedFrame
from levels.screen import ScreenShape
from levels.sensory_trick import TrickTimer
from levels.trial import LevelProgress, Outcome, Scalar
from tracking.types import Effector, TrackedSample

# The clock runs while the face is seen: a seated patient's head is in view for the whole level; hands may rest
# out of view in the lap.
EFFECTOR = Effector.HEAD
CALM_POINTS = 100  # a breath with no break of the stillness
BREATH_POINTS = 50  # a breath with a break: still a breath taken, never zero
# Moving averages of position (seconds): the fast one smooths frame jitter (Face Mesh head angles jitter about
# 1 degree frame to frame at rest), the slow one follows slow settling into the chair; a position that stays put
# after a movement is calm again within about 5 s.
FAST_TAU_S = 0.3
SLOW_TAU_S = 2.0
# Motion that breaks the rest: a head turn of 3 degrees is deliberate (three times the jitter, and larger than the
# head levels' 2-degree mouse nudge); the palm moving 2% of the image width is about 1-2 cm at a seated distance.
HEAD_MOTION_DEG = 3.0
PALM_MOTION_NORM = 0.02
BREAK_REARM_LEVEL = 0.5  # a new break only after the motion has calmed to half the break size
# Face (or shoulder) heights kept for the breathing rate: a minute gives about 1 breath a minute of resolution.
RATE_WINDOW_S = 60.0
# Sums of frame times fall short of a whole second by rounding: a phase ends within a nanosecond of its time.
TIME_EPSILON_S = 1e-9


class Phase(enum.Enum):
    """Where the level is."""

    LEAD_IN = "lead_in"
    BREATHING = "breathing"


@dataclass(frozen=True)
class BreatheParams:
    """The pace and the number of breath cycles of one play."""

    breaths: int
    cycle_s: float
    inhale_fraction: float
    lead_in_s: float
    breathing_rate_from: str = "face"  # "face" or "shoulders": the trace the rate is read from


def breathe_params(level: BreatheLevel) -> BreatheParams:
    """Return the rules' parameters for ``level``: whole cycles of ``60 / breaths_per_min`` s within its duration."""
    cycle_s = 60.0 / level.breaths_per_min
    breaths = max(1, math.floor(level.duration_s / cycle_s + TIME_EPSILON_S))
    return params_from_level(BreatheParams, level, breaths=breaths, cycle_s=cycle_s)


Vector = tuple[float, ...]


@dataclass(frozen=True)
class Smoothed:
    """A fast and a slow moving average of one position, both following its ``latest`` value in game time.

    The averages move towards the latest value every step (:meth:`advance`), also when no new value comes (the
    mouse at rest sends nothing): a position that stays put settles, whatever the rate of its samples.
    """

    fast: Vector
    slow: Vector
    latest: Vector

    @classmethod
    def at(cls, value: Vector) -> Smoothed:
        """Return averages that start at ``value`` (no motion)."""
        return cls(value, value, value)

    def advance(self, dt_s: float) -> Smoothed:
        """Return the averages ``dt_s`` later (time constants :data:`FAST_TAU_S`, :data:`SLOW_TAU_S`)."""
        fast_k = 1.0 - math.exp(-dt_s / FAST_TAU_S)
        slow_k = 1.0 - math.exp(-dt_s / SLOW_TAU_S)
        return Smoothed(
            tuple(f + fast_k * (v - f) for f, v in zip(self.fast, self.latest, strict=True)),
            tuple(s + slow_k * (v - s) for s, v in zip(self.slow, self.latest, strict=True)),
            self.latest,
        )

    @property
    def motion(self) -> float:
        """The distance between the fast and the slow average, in the position's unit."""
        return math.dist(self.fast, self.slow)


@dataclass(frozen=True)
class Spread:
    """Running count, sums and sums of squares of a position, for its RMS about the mean."""

    count: int = 0
    sums: Vector = ()
    squares: Vector = ()

    def add(self, value: Vector) -> Spread:
        """Return the spread with ``value`` added."""
        if not self.count:
            return Spread(1, value, tuple(v * v for v in value))
        return Spread(
            self.count + 1,
            tuple(s + v for s, v in zip(self.sums, value, strict=True)),
            tuple(q + v * v for q, v in zip(self.squares, value, strict=True)),
        )

    def rms(self) -> float | None:
        """Return the RMS distance of the values from their mean (square root of the summed variances)."""
        if self.count < 2:
            return None
        n = self.count
        variance = sum(max(q / n - (s / n) ** 2, 0.0) for s, q in zip(self.sums, self.squares, strict=True))
        return math.sqrt(variance)


@dataclass(frozen=True)
class BreatheState(PhasedState[BreatheParams]):
    """The level between two steps."""

    phase: Phase = Phase.LEAD_IN
    head: Smoothed | None = None
    palm: Smoothed | None = None
    from_frames: bool = False  # raw tracked frames arrive: motion comes from them, not from the events
    motion_level: float = 0.0
    moving: bool = False  # above the break size, until calm again
    breaks: int = 0  # in the current breath
    head_spread: Spread = Spread()
    palm_spread: Spread = Spread()
    rise: tuple[tuple[float, float], ...] = ()  # (t_s, face or shoulder height) over the last RATE_WINDOW_S
    last_rate_per_min: float | None = None
    trick: TrickTimer = TrickTimer()  # the sensory trick's seconds in this breath

    @property
    def inhaling(self) -> bool:
        """Whether the guide says "breathe in" now (the lead-in ends with the first inhale)."""
        return self.phase is Phase.BREATHING and self._cycle_fraction < self.params.inhale_fraction

    @property
    def _cycle_fraction(self) -> float:
        return min(self.phase_elapsed_s / self.params.cycle_s, 1.0)

    @property
    def breath_size(self) -> float:
        """The guide's size, 0 (breathed out) to 1 (breathed in), easing in and out like a breath."""
        if self.phase is not Phase.BREATHING:
            return 0.0
        u = self._cycle_fraction
        inhale = self.params.inhale_fraction
        if u < inhale:
            return (1.0 - math.cos(math.pi * u / inhale)) / 2.0
        return (1.0 + math.cos(math.pi * (u - inhale) / (1.0 - inhale))) / 2.0


def initial_state(params: BreatheParams, *, seen: frozenset[Effector]) -> BreatheState:
    """Return the level before the lead-in; ``seen``: the effectors seen now."""
    return BreatheState(params=params, progress=LevelProgress.start(params.breaths, EFFECTOR, seen=seen))


def start(level: BreatheLevel, screen: ScreenShape, seen: frozenset[Effector]) -> BreatheState:
    """Return the initial state of ``level`` (the family's entry point; the screen's shape does not matter)."""
    return initial_state(breathe_params(level), seen=seen)


def _smooth(previous: Smoothed | None, value: Vector) -> Smoothed:
    return Smoothed.at(value) if previous is None else replace(previous, latest=value)


def _take_frame(state: BreatheState, sample: TrackedSample) -> BreatheState:
    signals, t_s = sample.signals, sample.signals.t_s
    head, palm = state.head, state.palm
    head_spread, palm_spread = state.head_spread, state.palm_spread
    if signals.head is not None:
        angles = (signals.head.yaw_deg, signals.head.pitch_deg, signals.head.roll_deg)
        head, head_spread = _smooth(head if state.from_frames else None, angles), head_spread.add(angles)
    if signals.cursor_norm is not None:
        palm = _smooth(palm if state.from_frames else None, signals.cursor_norm)
        palm_spread = palm_spread.add(signals.cursor_norm)
    rise = state.rise
    from_shoulders = state.params.breathing_rate_from == "shoulders"
    height = shoulder_height_norm(sample.frame) if from_shoulders else face_height_norm(sample.frame)
    if height is not None:
        rise = tuple(point for point in rise if point[0] > t_s - RATE_WINDOW_S) + ((t_s, height),)
    return replace(
        state,
        head=head,
        palm=palm,
        from_frames=True,
        head_spread=head_spread,
        palm_spread=palm_spread,
        rise=rise,
    )


def _take(state: BreatheState, event: InputEvent) -> BreatheState:
    if isinstance(event, TrackedFrame):
        return _take_frame(state, event.sample)
    if state.from_frames:
        return state
    if isinstance(event, HeadPose):
        angles = (event.angles.yaw_deg, event.angles.pitch_deg, event.angles.roll_deg)
        return replace(state, head=_smooth(state.head, angles))
    if isinstance(event, CursorMoved):
        return replace(state, palm=_smooth(state.palm, (event.x_norm, event.y_norm)))
    return state


def _motion_level(state: BreatheState) -> float:
    head = state.head.motion / HEAD_MOTION_DEG if state.head is not None else 0.0
    palm = state.palm.motion / PALM_MOTION_NORM if state.palm is not None else 0.0
    return max(head, palm)


def _apply_events(state: BreatheState, events: Iterable[InputEvent], dt_s: float) -> BreatheState:
    """Apply the events, move the averages ``dt_s`` on, and update the motion level and the breaks."""
    for event in events:
        state = replace(_take(state, event), progress=state.progress.take(event), trick=state.trick.take(event))
    state = replace(
        state,
        head=None if state.head is None else state.head.advance(dt_s),
        palm=None if state.palm is None else state.palm.advance(dt_s),
    )
    level = _motion_level(state)
    moving, breaks = state.moving, state.breaks
    if not moving and level > 1.0:
        moving = True
        breaks += 1 if state.phase is Phase.BREATHING and not state.progress.frozen else 0
    elif moving and level < BREAK_REARM_LEVEL:
        moving = False
    return replace(state, motion_level=level, moving=moving, breaks=breaks)


def _measures(state: BreatheState) -> dict[str, Scalar]:
    measures: dict[str, Scalar] = {"rest_breaks": state.breaks, "sensory_trick_s": state.trick.seconds}
    head_rms = state.head_spread.rms()
    if head_rms is not None:
        measures["stillness_rms_head_deg"] = head_rms
    palm_rms = state.palm_spread.rms()
    if palm_rms is not None:
        measures["stillness_rms_hand_image_norm"] = palm_rms
    if state.rise:
        times, heights = zip(*state.rise, strict=True)
        rate = estimate_breathing_rate_per_min(times, heights)
        if rate is not None:
            measures["breathing_rate_per_min"] = rate
    return measures


def _end_breath(state: BreatheState, outcome: Outcome) -> BreatheState:
    measures = _measures(state)
    rate = measures.get("breathing_rate_per_min")
    return end_trial(
        state,
        outcome,
        trial_s=state.phase_elapsed_s,
        points=0 if outcome is not Outcome.HIT else (CALM_POINTS if state.breaks == 0 else BREATH_POINTS),
        params={"breaths_per_min": 60.0 / state.params.cycle_s, "inhale_fraction": state.params.inhale_fraction},
        measures=measures,
        breaks=0,
        head_spread=Spread(),
        palm_spread=Spread(),
        trick=state.trick.restart(),
        last_rate_per_min=float(rate) if rate is not None else state.last_rate_per_min,
    )


def _advance(state: BreatheState, dt_s: float) -> BreatheState:
    """Return the state after ``dt_s`` seconds of running clock: the breaths start after the lead-in, or go on."""
    state = replace(state, trick=state.trick.advance(dt_s) if state.phase is Phase.BREATHING else state.trick)
    if state.phase is Phase.LEAD_IN:
        if state.phase_elapsed_s >= state.params.lead_in_s - TIME_EPSILON_S:
            return replace(
                state, phase=Phase.BREATHING, phase_elapsed_s=0.0, breaks=0, head_spread=Spread(), palm_spread=Spread()
            )
        return state
    if state.phase_elapsed_s >= state.params.cycle_s - TIME_EPSILON_S:
        return _end_breath(state, Outcome.HIT)
    return state


def step(state: BreatheState, events: Iterable[InputEvent], dt_s: float) -> BreatheState:
    """Advance the level by ``dt_s`` seconds of game time after applying ``events``."""
    apply_events = partial(_apply_events, dt_s=dt_s)  # the averages move on with the game time, frozen or not
    stepper = LevelStepper(apply_events, _advance, _end_breath, frozenset({Phase.BREATHING}))
    return stepper(state, events, dt_s)

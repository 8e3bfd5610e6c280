"""The assessment's rules, pure and deterministic: ``step(state, events, dt_s) -> state``; one trial per step.

The steps (:data:`STEPS`), each with its duration in the level file: the camera set-up check, the hand's reach
range, the head's range of motion, the resting head posture, the still hand (jitter and tremor), five reaches
(smoothness and breaks) and a summary. A step's progress (:attr:`AssessmentState.step_fraction`) grows only while
its condition holds: the set-up is right, the hand or the head is seen, the hand is still, the cursor is on the
target. The step ends when it is full (:attr:`Outcome.HIT`), or after ``step_timeout_s`` of game time (pauses
excluded, lost tracking included) with what it measured (:attr:`Outcome.MISSED`). A step whose model is not running
(the face model for the head steps) is skipped at once (:attr:`Outcome.SKIPPED`) with a note
(``measures["skipped"]``, ``measures["note"]``). The source's end records the step under way as unfinished and
ends the level.

The level clock follows the step's effector (the hand, or the head for the head steps), so a lost head stops the
clock in a head step only. What each step measures is in :mod:`levels.assessment.measures`; the numbers go into
each result's ``measures`` for the therapist and never onto the patient's screen.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable
from dataclasses import dataclass, replace

from levels.assessment import measures
from levels.assessment.schema import AssessmentLevel
from levels.assessment.setup import SetupCheck, SetupProblem, check_frame
from levels.events import CursorMoved, HeadPose, InputEvent, TrackedFrame
from levels.screen import ScreenShape
from levels.trial import LevelProgress, Outcome, TrialResult
from tracking.types import Effector, HeadAngles, TrackedSample, TrackingModel

# The family's effector for the game (feedback analysis): the hand; the head steps move the clock to the head.
EFFECTOR = Effector.HAND
# The hand counts as still while the cursor's positions over the last STILL_WINDOW_S stay within STILL_SPREAD_NORM
# of the screen height: a resting tremor (a few millimetres) stays inside, a deliberate movement leaves it.
STILL_WINDOW_S = 0.5
STILL_SPREAD_NORM = 0.05
# The five reaches' targets, fractions of the play area (x of its width, y of its height below the status bar):
# left, right, up, down and up-left of the centre where the hand starts, each far from the one before; none in the
# bottom quarter, where the renderer draws the step's progress bar.
REACH_TARGETS = ((0.15, 0.45), (0.85, 0.45), (0.5, 0.0), (0.5, 0.75), (0.15, 0.0))


class Step(enum.Enum):
    """One step of the assessment, in order."""

    SETUP = "setup"
    REACH_RANGE = "reach_range"
    HEAD_RANGE = "head_range"
    REST_POSTURE = "rest_posture"
    REST_HAND = "rest_hand"
    REACHES = "reaches"
    SUMMARY = "summary"


STEPS = tuple(Step)
# What each step follows: the clock stops while it is not seen.
HEAD_STEPS = (Step.HEAD_RANGE, Step.REST_POSTURE)
STEP_EFFECTOR = {step: Effector.HEAD if step in HEAD_STEPS else Effector.HAND for step in Step}
# The model a step needs; without it the step is skipped with a note.
STEP_MODEL: dict[Step, TrackingModel | None] = {
    Step.SETUP: None,
    Step.REACH_RANGE: TrackingModel.HANDS,
    Step.HEAD_RANGE: TrackingModel.FACE,
    Step.REST_POSTURE: TrackingModel.FACE,
    Step.REST_HAND: TrackingModel.HANDS,
    Step.REACHES: TrackingModel.HANDS,
    Step.SUMMARY: None,
}


@dataclass(frozen=True)
class AssessmentParams:
    """The level file's step durations, the models running, and the play area's shape."""

    durations_s: dict[Step, float]
    reach_dwell_s: float
    target_radius_norm: float
    step_timeout_s: float
    models: frozenset[TrackingModel]
    screen_aspect: float
    top_reserved_norm: float = 0.0


def assessment_params(level: AssessmentLevel, screen: ScreenShape) -> AssessmentParams:
    """Return the rules' parameters for ``level`` on a play area of ``screen``'s shape."""
    durations = {
        Step.SETUP: level.setup_check_s,
        Step.REACH_RANGE: level.reach_range_s,
        Step.HEAD_RANGE: level.head_range_s,
        Step.REST_POSTURE: level.rest_posture_s,
        Step.REST_HAND: level.rest_hand_s,
        Step.REACHES: float(len(REACH_TARGETS)),  # progress counts reaches, not seconds
        Step.SUMMARY: level.summary_s,
    }
    return AssessmentParams(
        durations_s=durations,
        reach_dwell_s=level.reach_dwell_s,
        target_radius_norm=level.target_radius_norm,
        step_timeout_s=level.step_timeout_s,
        models=frozenset(level.models),
        screen_aspect=screen.aspect,
        top_reserved_norm=screen.top_reserved_norm,
    )


@dataclass(frozen=True)
class StepData:
    """What the step under way has gathered: tracked frames, cursor positions, head angles, set-up problems seen."""

    samples: tuple[TrackedSample, ...] = ()
    cursors: tuple[tuple[float, float], ...] = ()
    heads: tuple[HeadAngles, ...] = ()
    problems_seen: frozenset[SetupProblem] = frozenset()
    reaches: tuple[tuple[TrackedSample, ...], ...] = ()  # the five reaches' frames, each ending at its target


@dataclass(frozen=True)
class AssessmentState:
    """The assessment under way: its progress, the step's time and held time, and the latest input."""

    params: AssessmentParams
    progress: LevelProgress
    step_elapsed_s: float = 0.0  # game time in the step, pauses excluded (lost tracking included: the timeout)
    held_s: float = 0.0  # time the step's condition held (for the reaches: the dwell on the current target)
    data: StepData = StepData()
    cursor: tuple[float, float] | None = None
    recent_cursors: tuple[tuple[float, float, float], ...] = ()  # (age_s, x, y) of the last STILL_WINDOW_S
    head: HeadAngles | None = None
    check: SetupCheck | None = None  # the latest frame's set-up check (None: no camera image, e.g. the mouse)

    @property
    def step_index(self) -> int:
        """The current step, 0-based (one result per step)."""
        return len(self.progress.results)

    @property
    def step(self) -> Step:
        """The current step (the last one once the level has finished)."""
        return STEPS[min(self.step_index, len(STEPS) - 1)]

    @property
    def reach_index(self) -> int:
        """The reach under way in the reaches step, 0-based."""
        return len(self.data.reaches)

    @property
    def target(self) -> tuple[float, float] | None:
        """The reach target on the screen (0..1), or ``None`` outside the reaches step."""
        if self.step is not Step.REACHES or self.progress.finished or self.reach_index >= len(REACH_TARGETS):
            return None
        return target_on_screen(self.params, REACH_TARGETS[self.reach_index])

    @property
    def step_fraction(self) -> float:
        """How full the step's progress bar is, 0..1."""
        if self.step is Step.REACHES:
            dwell = min(self.held_s / self.params.reach_dwell_s, 1.0)
            return min((self.reach_index + dwell) / len(REACH_TARGETS), 1.0)
        return min(self.held_s / self.params.durations_s[self.step], 1.0)

    @property
    def hand_still(self) -> bool:
        """Whether the cursor stayed within :data:`STILL_SPREAD_NORM` over the last :data:`STILL_WINDOW_S`."""
        if not self.recent_cursors:
            return True
        xs = [x for _, x, _ in self.recent_cursors]
        ys = [y for _, _, y in self.recent_cursors]
        spread = math.hypot((max(xs) - min(xs)) * self.params.screen_aspect, max(ys) - min(ys))
        return spread <= STILL_SPREAD_NORM


def target_on_screen(params: AssessmentParams, target: tuple[float, float]) -> tuple[float, float]:
    """Return a play-area target (fractions) on the screen (0..1), wholly on screen and below the status bar."""
    margin_x = params.target_radius_norm / params.screen_aspect
    top = params.top_reserved_norm + params.target_radius_norm
    bottom = 1.0 - params.target_radius_norm
    return margin_x + target[0] * (1.0 - 2.0 * margin_x), top + target[1] * (bottom - top)


def start(level: AssessmentLevel, screen: ScreenShape, seen: frozenset[Effector]) -> AssessmentState:
    """Return the state before the first step (the family's entry point, :mod:`levels.families`)."""
    params = assessment_params(level, screen)
    state = AssessmentState(params, LevelProgress.start(len(STEPS), STEP_EFFECTOR[STEPS[0]], seen=seen))
    return _enter_step(state)


def _follow(progress: LevelProgress, step: Step) -> LevelProgress:
    clock = replace(progress.clock, effector=STEP_EFFECTOR[step])
    return replace(progress, clock=clock)


def _skip_note(params: AssessmentParams, step: Step) -> str | None:
    model = STEP_MODEL[step]
    if model is None or model in params.models:
        return None
    return f"skipped: this step needs the {model.value} model, which this level does not run"


def _enter_step(state: AssessmentState) -> AssessmentState:
    """Start the current step afresh; skip (with a note) every step whose model is not running."""
    while not state.progress.finished:
        step = state.step
        state = replace(state, progress=_follow(state.progress, step), step_elapsed_s=0.0, held_s=0.0, data=StepData())
        note = _skip_note(state.params, step)
        if note is None:
            return state
        state = _record(state, Outcome.SKIPPED, {"skipped": True, "note": note})
    return state


def _record(state: AssessmentState, outcome: Outcome, step_measures: measures.Measures) -> AssessmentState:
    now_s = state.progress.clock.elapsed_s
    step = state.step
    result = TrialResult(
        index=state.step_index,
        outcome=outcome,
        start_s=max(0.0, now_s - state.step_elapsed_s),
        end_s=now_s,
        params={"step": step.value, "step_duration_s": state.params.durations_s[step]},
        measures={"skipped": False, "held_s": state.held_s, **step_measures},
    )
    return replace(state, progress=state.progress.record(result))


def _take_cursor(state: AssessmentState, event: CursorMoved) -> AssessmentState:
    position = (event.x_norm, event.y_norm)
    data = state.data
    if state.step is Step.REACH_RANGE:
        data = replace(data, cursors=(*data.cursors, position))
    return replace(state, cursor=position, recent_cursors=(*state.recent_cursors, (0.0, *position)), data=data)


def _take_frame(state: AssessmentState, sample: TrackedSample) -> AssessmentState:
    data, check = state.data, state.check
    if state.step is Step.SETUP:
        check = check_frame(sample.frame, face_model=TrackingModel.FACE in state.params.models)
        data = replace(data, problems_seen=data.problems_seen | set(check.problems))
    keep = state.step in (Step.REACH_RANGE, Step.REACHES) or (state.step is Step.REST_HAND and state.hand_still)
    if keep:
        data = replace(data, samples=(*data.samples, sample))
    return replace(state, data=data, check=check)


def _apply_events(state: AssessmentState, events: Iterable[InputEvent]) -> AssessmentState:
    for event in events:
        if isinstance(event, CursorMoved):
            state = _take_cursor(state, event)
        elif isinstance(event, HeadPose):
            state = replace(state, head=event.angles)
            if state.step in HEAD_STEPS:
                state = replace(state, data=replace(state.data, heads=(*state.data.heads, event.angles)))
        elif isinstance(event, TrackedFrame):
            state = _take_frame(state, event.sample)
        state = replace(state, progress=state.progress.take(event))
    return state


def _age_cursors(state: AssessmentState, dt_s: float) -> AssessmentState:
    """Age the recent cursor positions by ``dt_s``; those older than the window go (the latest always stays)."""
    aged = [(age + dt_s, x, y) for age, x, y in state.recent_cursors]
    kept = tuple(entry for entry in aged[:-1] if entry[0] <= STILL_WINDOW_S) + tuple(aged[-1:])
    return replace(state, recent_cursors=kept)


def _condition_holds(state: AssessmentState) -> bool:
    """Whether the step's condition holds now (its effector seen, and the step's own condition)."""
    clock = state.progress.clock
    if state.step is Step.SUMMARY:
        return True
    if not clock.effector_seen:
        return False
    if state.step is Step.SETUP:
        face_ok = TrackingModel.FACE not in state.params.models or Effector.HEAD in clock.seen
        return face_ok and (state.check is None or state.check.ok)
    if state.step is Step.REST_HAND:
        return state.hand_still
    return True


def _on_target(state: AssessmentState) -> bool:
    target = state.target
    if target is None or state.cursor is None or not state.progress.clock.effector_seen:
        return False
    distance = math.hypot((state.cursor[0] - target[0]) * state.params.screen_aspect, state.cursor[1] - target[1])
    return distance <= state.params.target_radius_norm


def _step_reaches(state: AssessmentState, dt_s: float) -> AssessmentState:
    held_s = state.held_s + dt_s if _on_target(state) else 0.0
    if held_s < state.params.reach_dwell_s:
        return replace(state, held_s=held_s)
    data = replace(state.data, reaches=(*state.data.reaches, state.data.samples), samples=())
    return replace(state, held_s=0.0, data=data)


def step_measures(state: AssessmentState) -> measures.Measures:
    """Return what the step under way has measured so far (the step's result's ``measures``)."""
    data, step = state.data, state.step
    if step is Step.SETUP:
        return _setup_measures(state)
    if step is Step.REACH_RANGE:
        from_camera = bool(data.samples)
        palms = measures.palms_of(data.samples) if from_camera else list(data.cursors)
        return measures.reach_range_measures(palms, from_camera=from_camera)
    if step is Step.HEAD_RANGE:
        return measures.head_range_measures(data.heads)
    if step is Step.REST_POSTURE:
        return measures.rest_posture_measures(data.heads)
    if step is Step.REST_HAND:
        return measures.rest_hand_measures(data.samples)
    if step is Step.REACHES:
        return measures.reach_measures(data.reaches, targets=len(REACH_TARGETS))
    return {}


def _setup_measures(state: AssessmentState) -> measures.Measures:
    check = state.check
    found: measures.Measures = {
        "checked_with": "mouse (no camera image)" if check is None else "camera",
        "problems_seen": ", ".join(sorted(problem.value for problem in state.data.problems_seen)),
    }
    if check is not None:
        for key, value in (
            ("palm_width_frac", check.palm_width_frac),
            ("image_brightness", check.brightness),
            ("image_contrast", check.contrast),
        ):
            if value is not None:
                found[key] = value
    return found


def step(state: AssessmentState, events: Iterable[InputEvent], dt_s: float) -> AssessmentState:
    """Advance the assessment by ``dt_s`` seconds of game time after applying ``events``."""
    if state.progress.finished:
        return state
    state = _apply_events(state, events)
    if state.progress.source_ended:
        return _record(state, Outcome.UNFINISHED, step_measures(state))
    if state.progress.clock.paused:
        return state
    state = _age_cursors(state, dt_s)
    state = replace(state, progress=state.progress.advance(dt_s), step_elapsed_s=state.step_elapsed_s + dt_s)
    if state.step is Step.REACHES:
        state = _step_reaches(state, dt_s)
        done = state.reach_index >= len(REACH_TARGETS)
    else:
        held_s = state.held_s + dt_s if _condition_holds(state) else state.held_s
        state = replace(state, held_s=held_s)
        done = held_s >= state.params.durations_s[state.step]
    if done:
        return _enter_step(_record(state, Outcome.HIT, step_measures(state)))
    if state.step_elapsed_s >= state.params.step_timeout_s and state.step is not Step.SUMMARY:
        return _enter_step(_record(state, Outcome.MISSED, step_measures(state)))
    return state

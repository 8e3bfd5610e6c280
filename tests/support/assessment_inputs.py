"""Scripted input for the assessment level: a person doing every step, with the mouse or in front of a camera.

:func:`play` steps the assessment's rules frame by frame, feeding each frame's events; the scripts below say
what the person does at each moment of one step. Tracked frames carry a real hand's landmarks
(:func:`tests.support.game_inputs.hand_at`) and a face (a stand-in array: the rules only check that it was seen).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from levels.assessment import rules
from levels.assessment.rules import AssessmentState, Step
from levels.assessment.setup import palm_width_fraction
from levels.events import CursorMoved, HeadPose, InputEvent, TrackedFrame
from tests.support.game_inputs import hand_at
from tracking.types import Effector, HandLandmarks, HeadAngles, LandmarkFrame, Signals, TrackedSample

FPS = 30.0
DT_S = 1.0 / FPS
FACE = np.zeros((478, 3))
# The palm's width in the hand video (median over its frames, MediaPipe): a hand at a good distance.
VIDEO_PALM_WIDTH_FRAC = 0.10

# What the person does at time t (seconds into the step) in a given state: the events of that frame.
Script = Callable[[AssessmentState, float], list[InputEvent]]


def sized_hand(palm_norm: tuple[float, float], palm_width_frac: float) -> HandLandmarks:
    """The real hand of :func:`hand_at` at ``palm_norm``, scaled about its palm centre to a palm ``palm_width_frac``
    of the image wide (the recorded hand is small: a hand far from the camera)."""
    hand = hand_at(palm_norm)
    scale = palm_width_frac / palm_width_fraction(hand)
    centre = np.array([palm_norm[0], palm_norm[1], 0.0])
    return HandLandmarks(hand.side, hand.score, centre + (hand.landmarks_norm - centre) * scale)


def camera_frame(
    t_s: float,
    palm_norm: tuple[float, float] | None,
    *,
    head: HeadAngles | None = None,
    brightness: float | None = 0.5,
    contrast: float | None = 0.4,
    palm_width_frac: float = VIDEO_PALM_WIDTH_FRAC,
) -> list[InputEvent]:
    """One camera frame's events: the tracked frame, the cursor (palm centre) and the head's pose."""
    hands = () if palm_norm is None else (sized_hand(palm_norm, palm_width_frac),)
    frame = LandmarkFrame(
        t_s, hands, face=None if head is None else FACE, image_brightness=brightness, image_contrast=contrast
    )
    events: list[InputEvent] = [TrackedFrame(t_s, TrackedSample(frame, Signals(t_s, cursor_norm=palm_norm, head=head)))]
    if palm_norm is not None:
        events.append(CursorMoved(t_s, *palm_norm))
    if head is not None:
        events.append(HeadPose(t_s, head))
    return events


def head_sweep(t_s: float, *, amplitude_deg: float = 30.0, period_s: float = 4.0) -> HeadAngles:
    """Turn, nod and tilt one after the other, each as far as ``amplitude_deg`` both ways within ``period_s``."""
    phase = 2.0 * math.pi * t_s / period_s
    which = int(t_s // period_s) % 3
    angle = amplitude_deg * math.sin(phase)
    return HeadAngles(*(angle if axis == which else 0.0 for axis in range(3)))


def move_towards(
    cursor: tuple[float, float] | None, goal: tuple[float, float], step_norm: float = 0.05
) -> tuple[float, float]:
    """One frame of a steady movement of ``step_norm`` towards ``goal`` (from the centre when nowhere yet)."""
    x, y = cursor or (0.5, 0.5)
    distance = math.hypot(goal[0] - x, goal[1] - y)
    if distance <= step_norm:
        return goal
    return x + (goal[0] - x) * step_norm / distance, y + (goal[1] - y) * step_norm / distance


def play(
    state: AssessmentState, scripts: dict[Step, Script], *, max_s: float = 600.0, until: Step | None = None
) -> AssessmentState:
    """Play until the level finishes, ``max_s`` have passed or the step ``until`` has begun, each step following
    its script; a step without a script sees no input at all."""
    step_start_s, step_index, t_s = 0.0, state.step_index, 0.0
    while not state.progress.finished and t_s < max_s and state.step is not until:
        if state.step_index != step_index:
            step_start_s, step_index = t_s, state.step_index
        script = scripts.get(state.step)
        events = script(state, t_s - step_start_s) if script else []
        state = rules.step(state, events, DT_S)
        t_s += DT_S
    return state


BOTH = frozenset(Effector)  # the mouse: the hand and the head are always seen
RESTING_HEAD = HeadAngles(28.0, -4.0, -12.0)  # turned 28 deg to the left, tilted 12 deg towards the right shoulder


def circle(t_s: float) -> tuple[float, float]:
    """A circle around the screen centre, 0.7 of the width and 0.6 of the height across, once every 3 s."""
    return 0.5 + 0.35 * math.cos(2.0 * math.pi * t_s / 3.0), 0.5 + 0.3 * math.sin(2.0 * math.pi * t_s / 3.0)


def reach_script(state: AssessmentState, t_s: float) -> list[InputEvent]:
    """Move the cursor steadily to the current target."""
    assert state.target is not None
    return [CursorMoved(t_s, *move_towards(state.cursor, state.target))]


# The whole assessment with the mouse: circle for the reach range, the head swept (arrow keys) and then resting
# turned, the mouse left still, then moved to each target. The set-up and the summary need nothing.
MOUSE: dict[Step, Script] = {
    Step.REACH_RANGE: lambda state, t_s: [CursorMoved(t_s, *circle(t_s))],
    Step.HEAD_RANGE: lambda state, t_s: [HeadPose(t_s, head_sweep(t_s))],
    Step.REST_POSTURE: lambda state, t_s: [HeadPose(t_s, RESTING_HEAD)],
    Step.REACHES: reach_script,
}

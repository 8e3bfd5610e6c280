"""The input events a level's rules consume, whatever produced them: camera tracking, a replayed recording, or the
mouse and keyboard. The game's scenes and every family's rules see only these, so every level can be played and
tested without a camera. Plain data, no pygame: the game's input sources (``game/tracking_input.py``,
``game/mouse_input.py``) produce them.

Times (``t_s``) are the game clock's seconds; screen coordinates run from 0 (left, top) to 1 (right, bottom).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from tracking.types import Effector, GraspState, HeadAngles, TrackedSample


class Command(enum.Enum):
    """What a key press (or a click on a button) asks the game to do."""

    CONFIRM = "confirm"  # Space / Enter: start, continue, play again
    PAUSE = "pause"  # P / Escape: pause or resume
    QUIT = "quit"  # Q / window closed
    USE_MOUSE = "use_mouse"  # M: play with the mouse when there is no camera
    RECALIBRATE = "recalibrate"  # C: calibrate again from the menu


@dataclass(frozen=True)
class CursorMoved:
    """The cursor (palm centre or mouse) at screen coordinates 0..1, smoothed for display."""

    t_s: float
    x_norm: float
    y_norm: float


@dataclass(frozen=True)
class GraspChanged:
    """The hand opened or closed (mouse button or Space with mouse input)."""

    t_s: float
    state: GraspState


@dataclass(frozen=True)
class HeadPose:
    """Head angles relative to the patient's calibrated neutral posture."""

    t_s: float
    angles: HeadAngles


@dataclass(frozen=True)
class TrackingLost:
    """An effector the game needs has not been seen for the grace time."""

    t_s: float
    effector: Effector


@dataclass(frozen=True)
class TrackingFound:
    """A lost effector is seen again."""

    t_s: float
    effector: Effector


@dataclass(frozen=True)
class TrackedFrame:
    """One raw tracked frame (landmarks and unsmoothed signals), kept for movement analysis."""

    t_s: float
    sample: TrackedSample


@dataclass(frozen=True)
class SourceEnded:
    """The video or recording played to its end, or the camera failed (``message`` says why, for a person)."""

    t_s: float
    message: str | None = None


@dataclass(frozen=True)
class CommandIssued:
    """A key press or a click asking for a :class:`Command`."""

    t_s: float
    command: Command


InputEvent = (
    CursorMoved | GraspChanged | HeadPose | TrackingLost | TrackingFound | TrackedFrame | SourceEnded | CommandIssued
)


def commands_in(events: list[InputEvent]) -> list[Command]:
    """The commands among ``events``, in order."""
    return [event.command for event in events if isinstance(event, CommandIssued)]

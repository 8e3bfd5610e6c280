"""The input events a level's rules consume, whatever produced them.

They come from camera tracking, a replayed recording, or the mouse and keyboard. The game's scenes and every
family's rules see only these, so every level can be played and tested without a camera. Plain data, no pygame:
the game's input sources (``game/tracking_input.py``, ``game/mouse_input.py``) produce them.

Times (``t_s``) are the game clock's seconds; screen coordinates run from 0 (left, top) to 1 (right, bottom).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from tracking.types import Effector, GraspState, HeadAngles, TrackedSample


class Command(enum.Enum):
    """What a key press (or a click on a button) asks the game to do."""

    CONFIRM = "confirm"  # Space / Enter: start, continue, play again
    PAUSE = "pause"  # P: pause or resume
    BACK = "back"  # Escape: pause or resume in a level; leave the results (as Q does)
    QUIT = "quit"  # Q / window closed
    USE_MOUSE = "use_mouse"  # M: play with the mouse when there is no camera
    RECALIBRATE = "recalibrate"  # C: calibrate again from the menu
    THERAPIST = "therapist"  # T: the therapist screen (behind a PIN) from the menu
    ERASE = "erase"  # Backspace: erase the last digit typed (the therapist's PIN)


@dataclass(frozen=True)
class TimedEvent:
    """What every input event carries: when it happened.

    Attributes
    ----------
    t_s : float
        The game clock's time of the event, in seconds (not wall-clock time).
    """

    t_s: float


@dataclass(frozen=True)
class CursorMoved(TimedEvent):
    """The cursor (palm centre or mouse), smoothed for display.

    Attributes
    ----------
    x_norm, y_norm : float
        Screen coordinates, 0 (left, top) to 1 (right, bottom).
    """

    x_norm: float
    y_norm: float


@dataclass(frozen=True)
class GraspChanged(TimedEvent):
    """The hand opened or closed (mouse button or Space with mouse input).

    ``state`` is the new state; with tracking it follows the grasp aperture's thresholds (``tracking.hand_signals``).
    """

    state: GraspState


@dataclass(frozen=True)
class HeadPose(TimedEvent):
    """Head angles relative to the patient's calibrated neutral posture.

    Attributes
    ----------
    angles : HeadAngles
        Yaw, pitch and roll in degrees, each 0 at the neutral posture saved by calibration; the signs are those of
        :mod:`tracking.head_pose`.
    """

    angles: HeadAngles


@dataclass(frozen=True)
class EffectorEvent(TimedEvent):
    """An event about one effector (hand, head) being seen or not; see its two subclasses."""

    effector: Effector


@dataclass(frozen=True)
class TrackingLost(EffectorEvent):
    """An effector the game needs has not been seen for the grace time."""


@dataclass(frozen=True)
class TrackingFound(EffectorEvent):
    """A lost effector is seen again."""


@dataclass(frozen=True)
class TrackedFrame(TimedEvent):
    """One raw tracked frame (landmarks and unsmoothed signals), kept for movement analysis."""

    sample: TrackedSample


@dataclass(frozen=True)
class SourceEnded(TimedEvent):
    """The video or recording played to its end, or the camera failed.

    Attributes
    ----------
    message : str or None
        Why the source stopped, in words for a person; None when it simply played to its end.
    """

    message: str | None = None


@dataclass(frozen=True)
class CommandIssued(TimedEvent):
    """A key press or a click asking for a :class:`Command`."""

    command: Command


@dataclass(frozen=True, kw_only=True)
class Clicked(CommandIssued):
    """A click of the mouse's button at a point: a CONFIRM :class:`CommandIssued` that says where it was.

    Every screen that answers Space answers a click as before; a screen with buttons presses the one under the
    click, and can tell a click from Space (the menu: Space starts the plan, a click the button clicked).

    Attributes
    ----------
    x_norm, y_norm : float
        Where the click was, screen coordinates 0 (left, top) to 1 (right, bottom).
    """

    x_norm: float
    y_norm: float

    @property
    def point_norm(self) -> tuple[float, float]:
        """Return where the click was, as (x, y) screen fractions."""
        return self.x_norm, self.y_norm


@dataclass(frozen=True)
class DigitTyped(TimedEvent):
    """A digit key pressed (the main row or the keypad), for typing a number such as the therapist's PIN.

    Attributes
    ----------
    digit : str
        One character, ``"0"`` to ``"9"``.
    """

    digit: str


InputEvent = (
    CursorMoved
    | GraspChanged
    | HeadPose
    | TrackingLost
    | TrackingFound
    | TrackedFrame
    | SourceEnded
    | CommandIssued
    | DigitTyped
)


def commands_in(events: list[InputEvent]) -> list[Command]:
    """Return the commands among ``events``, in order (a click is a CONFIRM)."""
    return [event.command for event in events if isinstance(event, CommandIssued)]


def key_commands_in(events: list[InputEvent]) -> list[Command]:
    """Return the commands among ``events`` asked by keys (and the window's close button), not by clicks."""
    return [event.command for event in events if isinstance(event, CommandIssued) and not isinstance(event, Clicked)]


def clicks_in(events: list[InputEvent]) -> list[tuple[float, float]]:
    """Return where each click among ``events`` was (screen fractions), in order."""
    return [event.point_norm for event in events if isinstance(event, Clicked)]


def digits_in(events: list[InputEvent]) -> str:
    """Return the digits typed among ``events``, in order."""
    return "".join(event.digit for event in events if isinstance(event, DigitTyped))

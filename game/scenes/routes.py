"""Where a scene goes next, as data: scenes return a :data:`Route` (or :data:`EXIT`), never another scene.

The game loop builds the scene a route names (:func:`game.scenes.registry.build_scene`), so no scene module imports
another (an import-linter contract) and the flow between screens can be read, and tested, as values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from levels.feedback import TrialFeedback
from levels.trial import LevelState


@dataclass(frozen=True)
class AppExit:
    """Returned by a scene to end the game."""

    code: int = 0


EXIT = AppExit()


@dataclass(frozen=True)
class ToMenu:
    """The first screen: the patient, the level and Start."""

    notice: str | None = None


@dataclass(frozen=True)
class ToNoCamera:
    """The camera could not be opened: ``message`` says why; the mouse is offered."""

    message: str


@dataclass(frozen=True)
class ToLoading:
    """Open (or open again) the session's camera or file, then go to ``then``."""

    then: Next


@dataclass(frozen=True)
class ToCalibration:
    """The guided calibration, then ``then``; ``check_length`` False once the person chose to calibrate from a file
    that is too short."""

    then: Next
    check_length: bool = True


@dataclass(frozen=True)
class ToLevel:
    """The session's level, from its first trial."""


@dataclass(frozen=True)
class ToResults:
    """The results of a play of the level: its final ``state``, each trial's movement ``feedback``, and a ``note``
    on why it ended early (the source ended)."""

    state: LevelState
    feedback: Sequence[TrialFeedback]
    note: str | None = None


@dataclass(frozen=True)
class ToRest:
    """The calm rest between two sets of a level: ``sets_done`` of ``sets`` played, ``rest_s`` seconds, then the
    next set."""

    sets_done: int
    sets: int
    rest_s: float


@dataclass(frozen=True)
class ToNextLevel:
    """The next level of the session's plan (``motorplay play --levels a,b,c``), from its first trial."""


@dataclass(frozen=True)
class ToChosenLevel:
    """The menu's choice: the level ``name`` alone becomes the session's plan, then ``then`` (its start)."""

    name: str
    then: Route


@dataclass(frozen=True)
class ToStopped:
    """The patient stopped the level (its Stop button): the results of what was done, and no next level."""


@dataclass(frozen=True)
class ToTherapist:
    """The therapist screen behind a PIN (from the menu): the patient's plan, to view and change. ``at_s`` is the
    game clock when it was asked for (the PIN lock counts on that clock)."""

    at_s: float = 0.0


Route = (
    ToMenu
    | ToNoCamera
    | ToLoading
    | ToCalibration
    | ToLevel
    | ToResults
    | ToRest
    | ToNextLevel
    | ToChosenLevel
    | ToStopped
    | ToTherapist
)
Next = Route | AppExit  # where a screen that offers a way on goes

"""The scene interface and the session context that scenes share.

A scene is shown, updated with the input events of each fixed time step, drawn, and hidden. ``update`` returns
where to go next (a :data:`~game.scenes.routes.Route`, which the game loop builds), :data:`~game.scenes.routes.EXIT`
to end the game, or ``None`` to stay.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import pygame

from clinic.calibration_store import CalibrationStore
from clinic.pin import PinLock
from game.input_source import InputSource
from game.scenes.routes import AppExit, Route
from game.sound import SoundPlayer
from game.theme import Theme
from levels.events import InputEvent
from levels.schema import LevelFile
from levels.trial import LevelState
from tracking.calibration import Calibration
from tracking.errors import UserFacingError
from tracking.types import HeadAngles, SourceInfo, TrackingModel

if TYPE_CHECKING:
    from clinic.records.store import RecordsStore
    from game.tracking_input import TrackingOpener


class Scene(Protocol):
    name: str

    def on_show(self) -> None: ...

    def on_hide(self) -> None: ...

    def update(self, events: list[InputEvent], dt_s: float) -> Route | AppExit | None: ...

    def draw(self, surface: pygame.Surface) -> None: ...


@dataclass
class SessionReport:
    """What the scenes note for the end of the session: the command's summary, exit status and messages."""

    level_state: LevelState | None = None  # the last level's state, whether or not it finished
    source_error: UserFacingError | None = None  # a bad file met during play: exit status 2 with its message
    save_error: UserFacingError | None = None  # the calibration could not be saved: exit status 2
    calibration_note: str | None = None  # how the last calibration ended, for a person


@dataclass
class GameContext:
    """What the scenes of one session share. Mutable on purpose: the calibration is replaced when the patient
    calibrates, and the input when the patient chooses the mouse because there is no camera."""

    screen_size_px: tuple[int, int]
    theme: Theme
    level: LevelFile
    patient: str
    store: CalibrationStore
    input_source: InputSource
    calibration: Calibration | None = None
    models: frozenset[TrackingModel] = frozenset({TrackingModel.HANDS})
    source_info: SourceInfo | None = None
    # The neutral head posture the tracker subtracts (from the saved calibration), if any.
    tracker_head_neutral: HeadAngles | None = None
    # Headless runs have nobody to press a key: the menu starts the level, and a screen that offers a way on
    # (skip a step, play with the default range) takes it, after this many seconds of display.
    auto_start_after_s: float | None = None
    # How to open the camera or file again (None: the mouse); the loading scene uses it.
    tracking: TrackingOpener | None = None
    # A video file's length (seconds) as declared, to tell at once when it is too short to calibrate from.
    source_duration_s: float | None = None
    # Calibration only (motorplay calibrate): no camera is an error, and there is no level to go on to.
    calibrate_only: bool = False
    report: SessionReport = field(default_factory=SessionReport)
    # The session's calm sounds (silent without an audio device, or muted with N / --mute).
    sound: SoundPlayer = field(default_factory=SoundPlayer.silent)
    # The therapist chose to calibrate without the head step (--skip-head).
    skip_head: bool = False
    # Where the pointer (the hand's cursor or the mouse) was last seen, kept across screens (fractions of the window).
    cursor_norm: tuple[float, float] | None = None
    # The session's clinic records (the journal's store) when the session is recorded: the therapist screen's plan.
    # None: not recorded, and the menu offers no therapist screen.
    records: RecordsStore | None = None
    # The therapist screen's PIN lock (wrong tries, the lock's end on the game clock), kept across screens.
    pin_lock: PinLock = field(default_factory=PinLock)


class BaseScene:
    """Default no-op hooks."""

    name = "scene"

    def on_show(self) -> None:
        """Called when the scene becomes current."""

    def on_hide(self) -> None:
        """Called when another scene replaces this one."""

"""The scene interface and the session context that scenes share.

A scene is shown, updated with the input events of each fixed time step, drawn, and hidden. ``update`` returns
the next scene, :data:`EXIT` to end the game, or ``None`` to stay.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import pygame

from clinic.calibration_store import CalibrationStore
from game.input_events import InputEvent
from game.input_source import InputSource
from game.theme import Theme
from levels.schema import LevelFile
from tracking.calibration import Calibration
from tracking.frames import HeadAngles, SourceInfo, TrackingModel


@dataclass(frozen=True)
class AppExit:
    """Returned by a scene to end the game."""

    code: int = 0


EXIT = AppExit()


class Scene(Protocol):
    name: str

    def on_show(self) -> None: ...

    def on_hide(self) -> None: ...

    def update(self, events: list[InputEvent], dt_s: float) -> Scene | AppExit | None: ...

    def draw(self, surface: pygame.Surface) -> None: ...


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
    # Headless runs have nobody to press a key: the menu starts the level after this many seconds of display.
    auto_start_after_s: float | None = None


class BaseScene:
    """Default no-op hooks."""

    name = "scene"

    def on_show(self) -> None:
        """Called when the scene becomes current."""

    def on_hide(self) -> None:
        """Called when another scene replaces this one."""

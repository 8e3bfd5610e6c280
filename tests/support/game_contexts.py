"""Game contexts for scene tests: the catalogue's reach level for the patient "anna", calibrations stored in a
test's folder, driven by the mouse or by a (fake or real) tracker."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pygame

from clinic.calibration_store import CalibrationStore
from game.input_source import InputSource
from game.mouse_input import MouseInput
from game.scenes.base import GameContext
from game.theme import Theme
from game.tracking_input import TrackingInput
from levels.loader import load_level
from tests.support.game_inputs import FakeTracker
from tracking.calibration import Calibration, ReachRange
from tracking.types import TrackingModel

HANDS = frozenset({TrackingModel.HANDS})


def reach_context(
    store_dir: Path,
    size_px: tuple[int, int],
    input_source: InputSource,
    *,
    calibration: Calibration | None = None,
    models: frozenset[TrackingModel] = HANDS,
    patient: str = "anna",
) -> GameContext:
    """The reach level for ``patient`` in a window of ``size_px`` with the theme for its height, calibrations kept in
    ``store_dir``."""
    return GameContext(
        screen_size_px=size_px,
        theme=Theme.for_height(size_px[1]),
        level=load_level("reach"),
        patient=patient,
        store=CalibrationStore(store_dir),
        input_source=input_source,
        calibration=calibration,
        models=models,
    )


def tracked_reach_context(store_dir: Path, size_px: tuple[int, int], tracker: FakeTracker) -> GameContext:
    """:func:`reach_context` with the hands tracked by ``tracker`` over the whole image, its source info known."""
    context = reach_context(store_dir, size_px, TrackingInput(tracker, reach=ReachRange.whole_image()))  # type: ignore[arg-type]
    context.source_info = tracker.info
    return context


@contextmanager
def mouse_context_in_window(store_dir: Path, size_px: tuple[int, int]) -> Iterator[GameContext]:
    """:func:`reach_context` with the mouse, while pygame is up with a window of ``size_px`` (pygame quit after)."""
    pygame.init()
    pygame.display.set_mode(size_px)
    try:
        yield reach_context(store_dir, size_px, MouseInput(size_px))
    finally:
        pygame.quit()

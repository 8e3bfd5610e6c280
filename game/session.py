"""One run of the game: options from the command line -> level, calibration, input, window -> the game loop.

Shared by ``motorplay play`` and ``motorplay calibrate``. Without ``--source`` or ``--input mouse`` the camera is
tried; when it cannot be opened the game says so on screen and offers the mouse. It never fakes input.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pygame

from clinic.calibration_store import CalibrationStore, default_data_dir, validate_patient_name
from game.app import App, FrameTimes
from game.errors import GameSetupError
from game.frame_clock import FrameClock, RealFrameClock
from game.input_source import InputKind, InputSource, KeysOnlyInput
from game.mouse_input import MouseInput
from game.reach_rules import ReachState
from game.scenes.base import EXIT, GameContext, Scene
from game.scenes.calibration import CalibrationScene
from game.scenes.menu import MenuScene
from game.scenes.no_camera import NoCameraScene
from game.scenes.results import ResultsScene
from game.screenshots import ScreenshotRecorder
from game.theme import Theme
from game.tracking_input import TrackingInput
from levels.loader import load_level
from tracking.calibration import ReachRange
from tracking.errors import SourceError
from tracking.frames import TrackingModel
from tracking.live import SourceSpec, open_live_tracker
from tracking.quality_types import Effector

DEFAULT_WINDOW_PX = (1280, 720)
# With nobody at the keyboard (headless), the first screen is shown this long before the level starts: enough for
# its screenshot and for a person watching a recording of the run to read it.
HEADLESS_READING_S = 2.0


@dataclass(frozen=True)
class SessionOptions:
    level: str = "reach"
    source: Path | None = None
    input_kind: InputKind = InputKind.CAMERA
    camera_index: int = 0
    patient: str = "default"
    data_dir: Path | None = None
    headless: bool = False
    max_seconds: float | None = None
    screenshot_dir: Path | None = None
    window_px: tuple[int, int] = DEFAULT_WINDOW_PX
    calibrate_only: bool = False
    models: frozenset[TrackingModel] | None = None  # None: the level's models


@dataclass
class SessionResult:
    """What a run did, for the command's exit code and for tests and benchmarks."""

    exit_code: int
    scenes: list[str]
    screenshots: list[Path]
    calibration_saved: bool
    level_results: ReachState | None  # the level's final state when the game ended on the results screen


def _check(options: SessionOptions) -> None:
    validate_patient_name(options.patient)
    if options.headless and options.max_seconds is None:
        raise GameSetupError("--headless needs --max-seconds N: there is no window to close.")
    if options.max_seconds is not None and options.max_seconds <= 0:
        raise GameSetupError(f"--max-seconds: expected a positive number of seconds, got {options.max_seconds}")
    if options.input_kind is InputKind.MOUSE and options.source is not None:
        raise GameSetupError("--input mouse and --source FILE cannot be used together: choose one input.")
    if options.calibrate_only and options.input_kind is InputKind.MOUSE:
        raise GameSetupError("Calibration measures your hand with the camera: use the camera or --source FILE.")


def run_session(
    options: SessionOptions,
    *,
    clock_factory: Callable[[], FrameClock] = RealFrameClock,
    frame_times: FrameTimes | None = None,
) -> SessionResult:
    """Run the game until it ends or ``max_seconds`` have passed on the clock."""
    _check(options)
    level = load_level(options.level)
    models = options.models or frozenset(level.models)
    store = CalibrationStore(options.data_dir or default_data_dir())
    calibration = store.load(options.patient)
    if options.headless:
        os.environ["SDL_VIDEODRIVER"] = "dummy"
        os.environ["SDL_AUDIODRIVER"] = "dummy"
    # Only what the game uses: no audio yet, so the mixer (and its device errors) is never started.
    try:
        try:
            pygame.display.init()
            pygame.font.init()
            surface = pygame.display.set_mode(options.window_px)
        except pygame.error as error:
            raise GameSetupError(
                f"Cannot open a game window ({error}). On a machine without a display, use --headless."
            ) from None
        pygame.display.set_caption("motorplay")
        clock = clock_factory()
        context = GameContext(
            screen_size_px=options.window_px,
            theme=Theme.for_height(options.window_px[1]),
            level=level,
            patient=options.patient,
            store=store,
            input_source=KeysOnlyInput(),
            calibration=calibration,
            models=models,
            auto_start_after_s=HEADLESS_READING_S if options.headless else None,
            tracker_head_neutral=None if calibration is None else calibration.head_neutral,
        )
        first = _open_input(options, context, clock)
        screenshots = ScreenshotRecorder(options.screenshot_dir) if options.screenshot_dir else None
        app = App(
            surface,
            context,
            first,
            clock,
            max_seconds=options.max_seconds,
            screenshots=screenshots,
            frame_times=frame_times,
        )
        try:
            exit_code = app.run()
        finally:
            context.input_source.close()
        return SessionResult(
            exit_code=exit_code,
            scenes=app.scene_history,
            screenshots=[] if screenshots is None else screenshots.saved,
            calibration_saved=context.calibration is not calibration,
            level_results=app.scene.state if isinstance(app.scene, ResultsScene) else None,
        )
    finally:
        pygame.quit()


def _open_input(options: SessionOptions, context: GameContext, clock: FrameClock) -> Scene:
    """Open the input and return the first scene."""
    if options.input_kind is InputKind.MOUSE:
        context.input_source = MouseInput(options.window_px)
        return MenuScene(context)
    spec = SourceSpec(camera_index=options.camera_index, path=options.source)
    neutral = context.tracker_head_neutral
    try:
        tracker = open_live_tracker(spec, context.models, head_neutral=neutral, clock=clock.now_s)
    except SourceError as error:
        if options.source is not None or options.calibrate_only:
            raise  # a file the person named, or calibration, cannot go on without it: the CLI prints why
        return NoCameraScene(context, str(error))
    reach = ReachRange.whole_image() if context.calibration is None else context.calibration.reach
    required = {Effector.HAND} | ({Effector.HEAD} if TrackingModel.FACE in context.models else set())
    tracking: InputSource = TrackingInput(tracker, reach=reach, required=frozenset(required))
    context.input_source = tracking
    context.source_info = tracker.info
    if options.calibrate_only:
        return CalibrationScene(context, then=lambda: EXIT)
    return MenuScene(context)

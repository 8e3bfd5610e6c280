"""One run of the game: options from the command line -> level, calibration, input, window -> the game loop.

Shared by ``motorplay play`` and ``motorplay calibrate``. Without ``--source`` or ``--input mouse`` the camera is
tried; when it cannot be opened the game says so on screen and offers the mouse. It never fakes input.

A session plays a list of levels (``--levels a,b,c``, or the one ``--level``) through its router
(:class:`game.session_flow.SessionFlow`). Without either, a patient whose records hold a therapist's plan plays
today's plan: its levels in order, with its sets, repetitions and rests, inside its session limit; without a plan,
the reach level. When the records are open, every level with difficulty ramps adapts
(:class:`game.session_flow.AdaptiveSetup`): it starts one step below where the patient ended it last time, within
the plan's limits and caps (the plan's entry for a level applies also when it is named with ``--level``, and its
session limit always holds). Without the records (``--no-record``, or a patient not recorded) there is no plan and
no history: a level adapts from its file's start. What the session did is kept as it happens
(:class:`game.session_results.SessionJournal`: the ``--results-json`` file, rewritten after every trial, and the
clinic records when they are used).

The window shows a loading screen at once while the camera or file and MediaPipe open in the background; a file
then waits, paused, until the calibration or the level starts. ``--max-seconds`` counts from the command's start,
loading included.
"""

from __future__ import annotations

import gc
import math
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pygame

from clinic.calibration_store import CalibrationStore, default_data_dir, validate_patient_name
from clinic.errors import ClinicError
from clinic.plan import baseline_breaks_per_movement, current_plan, last_difficulty
from game.app import App, FrameTimes
from game.display import Display
from game.errors import GameSetupError
from game.frame_clock import FrameClock, RealFrameClock
from game.input_source import InputKind, KeysOnlyInput
from game.live_view import LiveView
from game.mouse_input import MouseInput
from game.renderers import renderer_for
from game.scenes.base import GameContext
from game.scenes.controls import unwrap
from game.scenes.loading import LoadingScene
from game.scenes.results import ResultsScene
from game.scenes.routes import EXIT, Route, ToCalibration, ToLoading, ToMenu
from game.screenshots import ScreenshotRecorder, check_screenshot_dir
from game.session_flow import AdaptiveSetup, SessionFlow
from game.session_results import SessionJournal
from game.sound import SoundPlayer
from game.theme import Theme
from game.tracking_input import TrackingOpener, source_end
from levels.difficulty import LevelSpec
from levels.errors import LevelFileError
from levels.loader import list_levels, load_level, load_level_spec
from levels.plan import Plan
from levels.schema import LevelFile
from levels.trial import LevelState
from tracking.atomic_files import check_output_path
from tracking.calibration import Calibration
from tracking.errors import UserFacingError
from tracking.live import SourceSpec
from tracking.types import Effector, TrackingModel

if TYPE_CHECKING:
    from clinic.records.store import RecordsStore  # annotations only: SQLAlchemy loads when records open

DEFAULT_WINDOW_PX = (1280, 720)
DEFAULT_PATIENT = "default"  # whose calibration is used without --patient; never recorded unless asked
DEFAULT_LEVEL = "reach"  # what a session plays without --level, --levels or a plan
SECONDS_PER_MINUTE = 60.0
# With nobody at the keyboard (headless), the first screen is shown this long before the level starts: enough for
# its screenshot and for a person watching a recording of the run to read it.
HEADLESS_READING_S = 2.0


@dataclass(frozen=True)
class SessionOptions:
    level: str | None = None  # None: today's plan (--patient with a plan in the records), else DEFAULT_LEVEL
    source: Path | None = None
    input_kind: InputKind = InputKind.CAMERA
    camera_index: int = 0
    patient: str = DEFAULT_PATIENT
    data_dir: Path | None = None
    headless: bool = False
    max_seconds: float | None = None
    screenshot_dir: Path | None = None
    window_px: tuple[int, int] = DEFAULT_WINDOW_PX  # the game's logical size; the window is fitted to the desktop
    calibrate_only: bool = False
    models: frozenset[TrackingModel] | None = None  # None: the level's models
    started_s: float | None = None  # time.monotonic() when the command started; --max-seconds counts from it
    levels: tuple[str, ...] = ()  # the session's plan, in order (names or paths); empty: ``level`` alone
    results_json: Path | None = None  # the session-results file, rewritten after every trial
    db: str | None = None  # the records database (--db); None: $MOTORPLAY_DB, or the data folder's SQLite file
    record: bool | None = None  # keep the session in the records; None: when a database is named or already exists
    offer_choices: bool = True  # the menu offers the catalogue's levels, each to play alone
    fullscreen: bool = False  # start fullscreen (--fullscreen; F11 toggles)
    mute: bool = False  # start with the sounds muted (--mute; N toggles)
    background_tracking: bool = False  # tracking threads in the background (--background-tracking: tracking.priority)
    skip_head: bool = False  # calibrate without the head step (--skip-head)


@dataclass
class SessionResult:
    """What a run did, for the command's exit code and for tests and benchmarks."""

    exit_code: int
    scenes: list[str]
    screenshots: list[Path]
    calibration_saved: bool
    level_results: LevelState | None  # the level's final state when the game ended on the results screen
    level_state: LevelState | None = None  # the last level's state, finished or not
    summary: str = ""  # one line for a person: what was played and how the run ended
    timed_out: bool = False  # the run ended because --max-seconds had passed
    calibration_note: str | None = None  # how the last calibration ended
    # Errors a person must hear of when the game has ended (the command prints the first, exit status 2): a bad
    # line in the recording, a calibration that could not be saved, screenshots that could not be written.
    errors: tuple[UserFacingError, ...] = ()
    session_complete: bool = False  # every level of the plan was played to its end
    session_document: dict[str, object] | None = None  # the session results, as written to --results-json
    time_up: bool = False  # the plan's session limit ended the session


def _check(options: SessionOptions) -> None:
    validate_patient_name(options.patient)
    if options.headless and options.max_seconds is None:
        raise GameSetupError("--headless needs --max-seconds N: there is no window to close.")
    if options.max_seconds is not None and not (math.isfinite(options.max_seconds) and options.max_seconds > 0):
        raise GameSetupError(f"--max-seconds: expected a positive, finite number of seconds, got {options.max_seconds}")
    if options.input_kind is InputKind.MOUSE and options.source is not None:
        raise GameSetupError("--input mouse and --source FILE cannot be used together: choose one input.")
    if options.calibrate_only and options.input_kind is InputKind.MOUSE:
        raise GameSetupError("Calibration measures your hand with the camera: use the camera or --source FILE.")
    if options.screenshot_dir is not None:
        check_screenshot_dir(options.screenshot_dir)
    if options.results_json is not None:
        check_output_path(options.results_json, what="session results")


def run_session(
    options: SessionOptions,
    *,
    clock_factory: Callable[[], FrameClock] | None = None,
    frame_times: FrameTimes | None = None,
    live_view: LiveView | None = None,
) -> SessionResult:
    """Run the game until it ends or ``max_seconds`` have passed on the clock (by default the real clock, from
    ``options.started_s``); ``live_view`` (``--live-view``, started and closed by the caller) is told of every
    frame."""
    started_s = time.monotonic() if options.started_s is None else options.started_s
    _check(options)
    named = options.levels or (() if options.level is None else (options.level,))
    for name in named:  # a level file's error is told before the records open
        load_level_spec(name)
    journal = SessionJournal(options.patient, path=options.results_json)
    journal.store = _open_records(options, journal)
    try:
        todays = _patient_plan(options, journal)
        names = _level_names(options, todays)
        plan = tuple(load_level(name) for name in names)
        specs = {level.name: load_level_spec(name) for level, name in zip(plan, names, strict=True)}
        models = options.models or frozenset(model for level in plan for model in level.models)
        store = CalibrationStore(options.data_dir or default_data_dir())
        calibration = store.load(options.patient)
    except BaseException:
        if journal.store is not None:
            journal.store.close()
        raise
    if options.headless:
        os.environ["SDL_VIDEODRIVER"] = "dummy"
        os.environ["SDL_AUDIODRIVER"] = "dummy"
    try:
        return _play(
            options,
            _SessionSetup(journal, plan, specs, todays, models, store, calibration, started_s),
            clock_factory=clock_factory,
            frame_times=frame_times,
            live_view=live_view,
        )
    finally:
        _finish(journal, None)  # play stopped before the session's flow could end the journal
        if journal.store is not None:
            journal.store.close()
        # The screens' fonts and images (held in reference cycles) go before pygame does: their files close.
        gc.collect()
        pygame.quit()


@dataclass(frozen=True)
class _SessionSetup:
    """What :func:`run_session` has read before the window opens: the records, the levels, the calibration."""

    journal: SessionJournal
    plan: tuple[LevelFile, ...]
    specs: dict[str, LevelSpec]
    todays: Plan | None
    models: frozenset[TrackingModel]
    store: CalibrationStore
    calibration: Calibration | None
    started_s: float


def _play(
    options: SessionOptions,
    setup: _SessionSetup,
    *,
    clock_factory: Callable[[], FrameClock] | None,
    frame_times: FrameTimes | None,
    live_view: LiveView | None,
) -> SessionResult:
    """Open the window and play the session to its end; the journal ends here (the session's end in the records)."""
    journal, plan, calibration = setup.journal, setup.plan, setup.calibration
    flow: SessionFlow | None = None
    try:
        journal.begin()
        display = _open_window(options.window_px, fullscreen=options.fullscreen, fit=not options.headless)
        clock = clock_factory() if clock_factory is not None else RealFrameClock(started_s=setup.started_s)
        context = GameContext(
            screen_size_px=options.window_px,
            theme=Theme.for_height(options.window_px[1]),
            level=plan[0],
            patient=options.patient,
            store=setup.store,
            input_source=KeysOnlyInput(options.window_px),  # the keys and the mouse pointer until a source opens
            calibration=calibration,
            models=setup.models,
            auto_start_after_s=HEADLESS_READING_S if options.headless else None,
            tracker_head_neutral=None if calibration is None else calibration.head_neutral,
            calibrate_only=options.calibrate_only,
            sound=SoundPlayer(muted=options.mute),  # silent, not failing, without an audio device
            skip_head=options.skip_head,
            records=journal.store,  # the therapist screen reads and saves the patient's plan there
        )
        choices = _choices(options, plan, setup.models)
        flow = SessionFlow(
            context,
            plan,
            journal,
            choices=choices,
            adaptive=_adaptive_setup(options, journal, setup.specs, setup.todays),
            limit_s=None if setup.todays is None else setup.todays.session_limit_min * SECONDS_PER_MINUTE,
            now_s=clock.now_s,
        )
        if live_view is not None:
            live_view.session_started(options.patient, plan)
        offline = None if journal.store is None else journal.store.offline_notice
        first = flow.route(_first_route(options, context, clock, notice=offline))
        screenshots = ScreenshotRecorder(options.screenshot_dir) if options.screenshot_dir else None
        app = App(
            display.surface,
            context,
            first,
            clock,
            max_seconds=options.max_seconds,
            screenshots=screenshots,
            frame_times=frame_times,
            router=flow.route,
            display=display,
            live_view=live_view,
        )
        try:
            app.run()
            _finish(journal, flow)
            # Before closing: what the source did is part of the result (closing it is not its end).
            return _result(
                options, app, context, journal, flow, calibration_saved=context.calibration is not calibration
            )
        finally:
            if isinstance(app.scene, LoadingScene):
                app.scene.abandon()
            context.input_source.close()
    finally:
        _finish(journal, flow)


def _finish(journal: SessionJournal, flow: SessionFlow | None) -> None:
    """End the journal once (the file's last write, the session's end in the records)."""
    if journal.ended_at is None:
        journal.finish(complete=flow is not None and flow.complete)


def _open_records(options: SessionOptions, journal: SessionJournal) -> RecordsStore | None:
    """The clinic records, when the session is to be recorded; an error is kept in the journal and play goes on."""
    from clinic.records.location import DATABASE_FILE_NAME, DB_ENV
    from clinic.records.store import open_store

    if options.calibrate_only:
        return None
    data_dir = options.data_dir or default_data_dir()
    record = options.record
    if record is None:
        named = options.db is not None or bool(os.environ.get(DB_ENV))
        # A station whose data folder holds the records keeps every named patient's sessions; "default" is nobody.
        record = named or (options.patient != DEFAULT_PATIENT and (data_dir / DATABASE_FILE_NAME).exists())
    if not record:
        return None
    try:
        store = open_store(data_dir=options.data_dir, db=options.db)
    except ClinicError as error:
        journal.errors.append(error)
        return None
    if store.offline_notice is not None:  # the session is kept on this computer until the server answers
        print(f"motorplay: {store.offline_notice} ({store.unreachable})", file=sys.stderr)
    return store


def _patient_plan(options: SessionOptions, journal: SessionJournal) -> Plan | None:
    """The patient's current plan, when the records are open and hold one (an unknown patient has none).

    Raises
    ------
    levels.plan.PlanFileError
        The stored plan is no longer valid (a level it names changed); the message names the plan's version.
    """
    records = journal.store
    if records is None or options.calibrate_only:
        return None
    try:
        found = current_plan(records, options.patient)
    except ClinicError:  # not in the records: the session's start says so (journal.errors)
        return None
    return None if found is None else found[1]


def _level_names(options: SessionOptions, todays: Plan | None) -> tuple[str, ...]:
    """The session's levels: ``--levels``, else ``--level``, else today's plan, else :data:`DEFAULT_LEVEL`."""
    if options.levels:
        return options.levels
    if options.level is not None:
        return (options.level,)
    if todays is not None:
        return tuple(entry.name for entry in todays.levels)
    return (DEFAULT_LEVEL,)


def _adaptive_setup(
    options: SessionOptions, journal: SessionJournal, specs: dict[str, LevelSpec], todays: Plan | None
) -> AdaptiveSetup:
    """The levels' difficulty ramps, the plan, and (records open) where each level ended last time and the
    assessment's break rate."""
    records = journal.store
    if records is None:
        return AdaptiveSetup(specs=specs, plan=todays)
    patient = options.patient

    def last_index(level: str) -> float | None:
        try:
            return last_difficulty(records, patient, level)
        except ClinicError:  # an unknown patient, a database gone: start as a first session
            return None

    try:
        baseline = baseline_breaks_per_movement(records, patient)
    except ClinicError:
        baseline = None
    return AdaptiveSetup(specs=specs, plan=todays, last_index=last_index, baseline_breaks_per_movement=baseline)


def _choices(
    options: SessionOptions, plan: tuple[LevelFile, ...], models: frozenset[TrackingModel]
) -> tuple[LevelFile, ...]:
    """The catalogue's levels the menu offers, each to play alone: those the session's tracking models can run."""
    if not options.offer_choices or options.calibrate_only:
        return ()
    mouse = options.input_kind is InputKind.MOUSE
    choices: list[LevelFile] = []
    for name in list_levels():
        try:
            level = load_level(name)
        except LevelFileError:  # a catalogue level another family has not finished: not offered
            continue
        if mouse or set(level.models) <= models:
            choices.append(level)
    return tuple(choices)


def _open_window(window_px: tuple[int, int], *, fullscreen: bool = False, fit: bool = True) -> Display:
    """The game's surface of ``window_px`` (logical pixels), shown in a window fitted to the desktop (``fit``;
    headless: the window is the surface's size, there is no desktop to fit)."""
    try:
        pygame.display.init()
        pygame.font.init()
        display = Display.open(window_px, fullscreen=fullscreen, fit=fit)
    except pygame.error as error:
        raise GameSetupError(
            f"Cannot open a game window ({error}). On a machine without a display, use --headless."
        ) from None
    pygame.display.set_caption("motorplay")
    return display


def _first_route(
    options: SessionOptions, context: GameContext, clock: FrameClock, *, notice: str | None = None
) -> Route:
    """The input's first scene: the menu (showing ``notice``) for the mouse; for tracking, the loading screen while
    it opens, then the menu."""
    if options.input_kind is InputKind.MOUSE:
        context.input_source = MouseInput(options.window_px)
        return ToMenu(notice=notice)
    required = {Effector.HAND} | ({Effector.HEAD} if TrackingModel.FACE in context.models else set())
    context.tracking = TrackingOpener(
        spec=SourceSpec(camera_index=options.camera_index, path=options.source),
        models=context.models,
        clock=clock.now_s,
        required=frozenset(required),
        background=options.background_tracking,
    )
    if options.calibrate_only:
        return ToLoading(then=ToCalibration(then=EXIT))
    return ToLoading(then=ToMenu(notice=notice))


def _result(
    options: SessionOptions,
    app: App,
    context: GameContext,
    journal: SessionJournal,
    flow: SessionFlow,
    *,
    calibration_saved: bool,
) -> SessionResult:
    report = context.report
    end = source_end(context.input_source)
    errors = [report.source_error, None if end is None else end.error, report.save_error]
    if app.screenshots is not None:
        errors.append(app.screenshots.error)
    errors.extend(journal.errors)
    unique: list[UserFacingError] = []
    for error in errors:  # the same bad line met again after "play again" is reported once
        if error is not None and all(str(error) != str(seen) for seen in unique):
            unique.append(error)
    return SessionResult(
        exit_code=app.exit_code or 0,
        scenes=app.scene_history,
        screenshots=[] if app.screenshots is None else app.screenshots.saved,
        calibration_saved=calibration_saved,
        level_results=_results_state(app),
        level_state=report.level_state,
        summary=_session_words(journal, flow) + summarise(options, context.level, app, context),
        timed_out=app.timed_out,
        calibration_note=report.calibration_note,
        errors=tuple(unique),
        session_complete=flow.complete,
        session_document=journal.document(),
        time_up=flow.time_up,
    )


def _session_words(journal: SessionJournal, flow: SessionFlow) -> str:
    """For a session of several levels, what it did before the last level's words: e.g. ``session of 3 levels,
    2 played, 9 trials kept; ``."""
    limit = "the plan's time for today was reached; " if flow.time_up else ""
    if len(flow.plan) < 2:
        return limit
    played = len(journal.document()["levels"])
    done = "complete" if flow.complete else f"{played} played"
    return f"{limit}session of {len(flow.plan)} levels, {done}, {journal.trial_count} trials kept; "


def _results_state(app: App) -> LevelState | None:
    scene = unwrap(app.scene)
    return scene.state if isinstance(scene, ResultsScene) else None


def summarise(options: SessionOptions, level: LevelFile, app: App, context: GameContext) -> str:
    """One line: how the level went and how the run ended, e.g.
    ``reach: 3 of 8 targets hit, score 300 (stopped after 10 s)``."""
    state = context.report.level_state
    if state is None:
        text = f"{level.name}: the level was not reached (ended on the {app.scene.name} screen)"
    else:
        progress, noun = state.progress, renderer_for(level.kind).trial_noun
        text = f"{level.name}: {progress.hits} of {progress.trials} {noun}s hit, score {progress.score}"
    end = source_end(context.input_source)
    if end is not None:
        text += f"; {end.message.rstrip('.')}"
    if app.timed_out:
        text += f" (stopped after {options.max_seconds:g} s)"
    elif isinstance(unwrap(app.scene), ResultsScene):
        text += " (finished)"
    else:
        text += " (quit)"
    return text

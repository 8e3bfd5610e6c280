"""Shown at once while the camera or file and MediaPipe open (several seconds the first time), with a moving
indicator, so the window is never black and still answers Q.

Opening runs in a background thread that the scene starts on its first update, that is after the loading screen
has been drawn and shown. The same scene reopens a source: "play again" after a video ended, "try the camera
again" after it stopped. A camera that cannot be opened leads to the no-camera screen (the mouse is offered);
a file that cannot be opened, or a camera for calibration only, ends the game with the error's message.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pygame

from game.early_window import draw_spinner
from game.input_source import KeysOnlyInput
from game.scenes.base import BaseScene, GameContext
from game.scenes.routes import EXIT, AppExit, Next, Route, ToNoCamera
from game.texts import DISCLAIMER
from game.theme import BACKGROUND, TEXT, TEXT_SOFT, draw_footer, draw_text
from game.tracking_input import TrackingInput, source_end
from levels.events import Command, InputEvent, commands_in
from tracking.calibration import ReachRange
from tracking.errors import SourceError

LOADING_TITLE = "Loading the camera tracking..."
THREAD_NAME = "motorplay-open-tracking"


class _Opening:
    """Opens the tracking input in a daemon thread; the result is taken by :meth:`result` on the game's thread.

    If the game ends first (:meth:`abandon`), whatever is opened later is closed by the thread itself.
    """

    def __init__(self, open_input: Callable[[], TrackingInput]) -> None:
        self._open_input = open_input
        self._lock = threading.Lock()
        self._done = False
        self._abandoned = False
        self._opened: TrackingInput | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=THREAD_NAME, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            opened = self._open_input()
        except BaseException as error:  # handed to the game's thread, which reports or raises it
            with self._lock:
                self._error, self._done = error, True
            return
        with self._lock:
            abandoned = self._abandoned
            if not abandoned:
                self._opened, self._done = opened, True
        if abandoned:
            opened.close()

    def result(self) -> tuple[bool, TrackingInput | None, BaseException | None]:
        """(done, the opened input, the error)."""
        with self._lock:
            return self._done, self._opened, self._error

    def abandon(self) -> None:
        """The game ends while opening: close the input now if it is open, else when the thread opens it."""
        with self._lock:
            self._abandoned = True
            opened, self._opened = self._opened, None
        if opened is not None:
            opened.close()


class LoadingScene(BaseScene):
    """Opens ``context.tracking`` and then goes to ``then``."""

    name = "loading"

    def __init__(self, context: GameContext, *, then: Next) -> None:
        if context.tracking is None:
            raise ValueError("LoadingScene needs a tracking source to open (context.tracking)")
        self.context = context
        self.then = then
        self.shown_s = 0.0
        self._drawn = False
        self._opening: _Opening | None = None

    def update(self, events: list[InputEvent], dt_s: float) -> Route | AppExit | None:
        self.shown_s += dt_s
        if Command.QUIT in commands_in(events):
            self.abandon()
            return EXIT
        if self._opening is None:
            if self._drawn:
                self._begin()  # only once the loading screen is on the screen: MediaPipe takes seconds to load
            return None
        done, opened, error = self._opening.result()
        if not done:
            return None
        if error is not None:
            return self._failed(error)
        assert opened is not None
        self._use(opened)
        return self.then

    def _begin(self) -> None:
        context = self.context
        old = context.input_source
        end = source_end(old)
        if end is not None and end.error is not None:
            context.report.source_error = end.error  # reported when the game ends, even if the file is replayed
        context.input_source = KeysOnlyInput(context.screen_size_px)  # the keys and the pointer while opening
        old.close()  # a camera cannot be opened twice; a finished file's MediaPipe is released
        opener = context.tracking
        assert opener is not None
        calibration = context.calibration
        reach = ReachRange.whole_image() if calibration is None else calibration.reach
        neutral = None if calibration is None else calibration.head_neutral
        self._neutral = neutral
        self._opening = _Opening(lambda: opener.open(reach=reach, head_neutral=neutral))

    def _use(self, opened: TrackingInput) -> None:
        context = self.context
        context.input_source = opened
        context.source_info = opened.tracker.info
        context.source_duration_s = opened.tracker.duration_s
        context.tracker_head_neutral = self._neutral

    def _failed(self, error: BaseException) -> Route:
        opener = self.context.tracking
        assert opener is not None
        if isinstance(error, SourceError) and not opener.is_file and not self.context.calibrate_only:
            return ToNoCamera(str(error))
        raise error  # a file the person named, or calibration, cannot go on without it: the command says why

    def abandon(self) -> None:
        """The game ends while the source opens: release it whenever it is ready."""
        if self._opening is not None:
            self._opening.abandon()

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.context.theme
        width, height = surface.get_size()
        surface.fill(BACKGROUND)
        y = draw_text(surface, LOADING_TITLE, theme.title, TEXT, centre_x=width // 2, top_y=height // 5)
        opener = self.context.tracking
        what = "the camera" if opener is None or not opener.is_file else str(opener.spec.describe())
        draw_text(
            surface,
            f"Starting the hand tracking (MediaPipe) for {what}. This takes a few seconds the first time.",
            theme.body,
            TEXT_SOFT,
            centre_x=width // 2,
            top_y=y + height // 30,
            width_px=int(width * 0.8),
        )
        draw_spinner(surface, self.shown_s)  # the same indicator as the early loading screen's, so it goes on
        draw_footer(surface, theme, "Q: quit.\n" + DISCLAIMER)
        self._drawn = True

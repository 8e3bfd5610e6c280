"""The game's window and a loading screen within the first tenth of a second of ``motorplay play``.

Importing the game (its scenes, the records, the movement analysis: seconds on a slow machine) comes after the
window is on the screen: :func:`show_loading_screen` opens the window with pygame alone, draws a loading screen,
and imports the rest of the game in a background thread while the main thread keeps the screen's indicator moving
and the window answering. The session then opens "its" window through :meth:`game.display.Display.open`, which
takes over this same window (pygame keeps one window; opening it again with the same size reuses it, so the screen
goes straight from this loading screen to the game's own).

Only pygame and the light :mod:`game.display`, :mod:`game.theme` and :mod:`game.texts` are imported here.

For the start-up benchmark (``benchmarks/bench_startup.py``), ``$MOTORPLAY_STARTUP_MARKS`` names a file to which
the game appends one line per start-up step: ``NAME MONOTONIC_S`` (``time.monotonic()``, one clock for every
process on Linux): ``window`` (this loading screen shown), ``scene:NAME`` (each scene's first frame),
``tracked`` (the first tracked frame reaching the game).
"""

from __future__ import annotations

import importlib
import math
import os
import threading
import time
from pathlib import Path

import pygame

from game.display import Display
from game.texts import DISCLAIMER
from game.theme import ACCENT, BACKGROUND, PANEL, TEXT, Theme, draw_footer, draw_text

# The game's logical size, as game.session.DEFAULT_WINDOW_PX (not imported from there: that is the heavy import).
WINDOW_PX = (1280, 720)
MARKS_ENV = "MOTORPLAY_STARTUP_MARKS"
EARLY_TITLE = "Starting motorplay..."
# The modules imported behind the loading screen: the session imports the whole game.
GAME_MODULE = "game.session"
# One turn of the loading indicator, seconds: calm, clearly moving (the loading scene's indicator turns alike).
SPINNER_TURN_S = 1.2
# Redraws of the indicator while the game imports: smooth enough, and the importing thread keeps most of the time.
ANIMATION_FPS = 20
IMPORT_THREAD_NAME = "motorplay-import-game"
WINDOW_CAPTION = "motorplay"


class StartupMarks:
    """Appends ``NAME MONOTONIC_S`` lines to the file named by ``$MOTORPLAY_STARTUP_MARKS``, each name once; does
    nothing when the variable is not set (every run but the benchmark's)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._seen: set[str] = set()

    @classmethod
    def from_environment(cls) -> StartupMarks:
        """The marks file of ``$MOTORPLAY_STARTUP_MARKS``, or none."""
        value = os.environ.get(MARKS_ENV)
        return cls(Path(value) if value else None)

    def mark(self, name: str) -> None:
        """Note that ``name`` happened now (only its first time)."""
        if self.path is None or name in self._seen:
            return
        self._seen.add(name)
        with self.path.open("a", encoding="utf-8") as marks:  # a benchmark's scratch file, not a person's
            marks.write(f"{name} {time.monotonic():.6f}\n")


def draw_spinner(surface: pygame.Surface, shown_s: float) -> None:
    """The loading indicator: a quarter arc turning once every :data:`SPINNER_TURN_S`, below the screen's middle."""
    width, height = surface.get_size()
    radius = max(12, height // 14)
    rect = pygame.Rect(0, 0, 2 * radius, 2 * radius)
    rect.center = (width // 2, int(height * 0.62))
    thickness = max(4, radius // 4)
    pygame.draw.circle(surface, PANEL, rect.center, radius, width=thickness)
    start_rad = -2 * math.pi * (shown_s / SPINNER_TURN_S)
    pygame.draw.arc(surface, ACCENT, rect, start_rad, start_rad + math.pi / 2, thickness)


def draw_starting(surface: pygame.Surface, theme: Theme, shown_s: float) -> None:
    """The screen shown while the game itself loads: its title, the indicator and the disclaimer."""
    width, height = surface.get_size()
    surface.fill(BACKGROUND)
    draw_text(surface, EARLY_TITLE, theme.title, TEXT, centre_x=width // 2, top_y=height // 5)
    draw_spinner(surface, shown_s)
    draw_footer(surface, theme, DISCLAIMER)


def open_early_window(
    window_px: tuple[int, int], *, headless: bool = False, fullscreen: bool = False
) -> Display | None:
    """Open the game's window (SDL dummy drivers when ``headless``) and show the starting screen; ``None`` when no
    window can be opened (the session then says why, as it always has)."""
    if headless:
        os.environ["SDL_VIDEODRIVER"] = "dummy"
        os.environ["SDL_AUDIODRIVER"] = "dummy"
    try:
        pygame.display.init()
        pygame.font.init()
        display = Display.open(window_px, fullscreen=fullscreen, fit=not headless)
    except pygame.error:
        return None
    pygame.display.set_caption(WINDOW_CAPTION)
    return display


def import_behind(display: Display, module: str = GAME_MODULE, *, fps: int = ANIMATION_FPS) -> float:
    """Import ``module`` in a thread while the main thread redraws the starting screen ``fps`` times a second;
    return the seconds it took.

    Events are only pumped (the window keeps answering the system), not taken: a Q or a closed window is still in
    the queue when the game's first frame reads it. An import error is left for the caller's own import of the
    module, which raises it with its usual traceback.
    """
    pygame.font.init()
    theme = Theme.for_height(display.logical_px[1])
    started_s = time.monotonic()
    thread = threading.Thread(target=_import_quietly, args=(module,), name=IMPORT_THREAD_NAME, daemon=True)
    thread.start()
    while thread.is_alive():
        pygame.event.pump()
        draw_starting(display.surface, theme, time.monotonic() - started_s)
        display.present()
        thread.join(1.0 / fps)
    return time.monotonic() - started_s


def _import_quietly(module: str) -> None:
    try:
        importlib.import_module(module)
    except Exception:  # noqa: BLE001 - raised again, with its traceback, by the caller's own import on its thread
        return


def show_loading_screen(
    window_px: tuple[int, int] = WINDOW_PX,
    *,
    headless: bool = False,
    fullscreen: bool = False,
    module: str = GAME_MODULE,
) -> Display | None:
    """Show the window and the starting screen at once, then import the game (``module``) behind it.

    Called first thing by a command that opens the game's window. Returns the display (``None`` without a window:
    the session's own opening then reports the error).
    """
    display = open_early_window(window_px, headless=headless, fullscreen=fullscreen)
    if display is None:
        return None
    draw_starting(display.surface, Theme.for_height(window_px[1]), 0.0)
    display.present()
    StartupMarks.from_environment().mark("window")
    import_behind(display, module)
    return display
